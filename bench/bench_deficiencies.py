"""Benchmark of the deficiency pages with 100,000 deficiencies over five years.

Run: ``.venv/bin/python bench/bench_deficiencies.py [--database-url URL] [--deficiencies N]``

Default database: a SQLite file var/bench_deficiencies.sqlite3 (created once and reused;
``--fresh`` regenerates it). For PostgreSQL create a database of your own first and
pass ``--database-url postgres://postgres@127.0.0.1:5432/bench_deficiencies``.

Generates N deficiencies (default 100,000) in Stockholm's 117 stadsdelar, spread evenly
over the five years before today, routed to 20 owners; those older than 90 days are
verified but for one in twenty still open (overdue), newer ones in every state. A
collaboration group holds ten stadsdelar. Then measures server-side time (Django's
test client in the process, median of repeated requests, after one warm-up):

- an owner's queue, first page (the owner's member; target <= 150 ms);
- the municipality's overview of open and overdue per owner (its coordinator;
  target <= 150 ms);
- the map data of the group's areas: the deficiency layer of the group's lägesbild map
  (``inspections.groups.map_features``, as a group member; target <= 150 ms), and for
  information the whole map endpoint with it;
- the group's deficiency list, first page;
- the public map's data (``inspections:citizen_map_data``, anonymous) of the approved
  citizen reports (one deficiency in four came from one): the whole municipality and
  one district's frame (target <= 150 ms each; at most 5,000 features an answer,
  counted per grid cell beyond that).

Prints ``name: value (target …)`` lines and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from django_setup import load_stockholm, setup_django  # noqa: E402

TARGET_MS = 150.0
YEARS = 5
OWNERS = 20
GROUP_AREAS = 10
# One deficiency in four came from a citizen and is on the public map once moderated.
CITIZEN_EVERY = 4
POINTS_LIMIT = 5000
CATEGORIES = ["belysning", "vegetation", "klotter", "skrap", "sikt", "skada", "otrygg"]


def world():
    """The geography, the municipality's organisation, owners, a group and its people."""
    from django.contrib.auth import get_user_model

    from tryggnav.areas.models import Area
    from tryggnav.organisations.models import (
        CollaborationGroup,
        GroupMembership,
        Membership,
        Organisation,
        Role,
    )

    load_stockholm()
    lead, _ = Organisation.objects.get_or_create(
        slug="bench-def-kommun",
        defaults={"name": "Bench stad", "kind": "kommun", "municipality_id": "0180"},
    )
    owners = [
        Organisation.objects.get_or_create(
            slug=f"bench-def-agare-{i}",
            defaults={
                "name": f"Bench ägare {i}",
                "kind": "bostadsbolag",
                "municipality_id": "0180",
            },
        )[0]
        for i in range(OWNERS)
    ]
    group, _ = CollaborationGroup.objects.get_or_create(
        slug="bench-def-grupp",
        defaults={"name": "Bench EST", "municipality_id": "0180", "lead_organisation": lead},
    )
    GroupMembership.objects.get_or_create(group=group, organisation=lead)
    group.areas.set(Area.objects.filter(municipality_id="0180").order_by("name")[:GROUP_AREAS])
    users = {}
    for name, organisation, role in (
        ("coordinator", lead, Role.COORDINATOR),
        ("owner", owners[0], Role.REPORTER),
    ):
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-def-{name}@example.org",
            defaults={"email": f"bench-def-{name}@example.org"},
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        users[name] = user
    return lead, owners, group, users


def _state(created: datetime.date, today: datetime.date, rng: random.Random) -> str:
    if (today - created).days > 90:
        return "ny" if rng.random() < 0.05 else "verifierad"
    return rng.choice(["ny", "mottagen", "planerad", "atgardad", "verifierad", "inte_var"])


def generate(n: int, owners, creator) -> None:
    from django.utils import timezone

    from tryggnav.areas.models import Area
    from tryggnav.inspections.models import Deficiency

    rng = random.Random(14)
    areas = list(Area.objects.filter(municipality_id="0180").defer("geometry"))
    today = timezone.localdate()
    days = YEARS * 365
    batch = []
    for i in range(n):
        area = areas[i % len(areas)]
        created_day = today - datetime.timedelta(days=days - (i * days) // n)
        created = timezone.make_aware(datetime.datetime.combine(created_day, datetime.time(10)))
        status = _state(created_day, today, rng)
        batch.append(
            Deficiency(
                municipality_id="0180", category=rng.choice(CATEGORIES),
                severity=rng.choice([1, 2, 2, 3, 4]), title=f"Brist {i}",
                lat=rng.uniform(area.min_lat, area.max_lat),
                lon=rng.uniform(area.min_lon, area.max_lon), area=area, source="manuell",
                owner=owners[i % len(owners)], routed_by="rule", status=status,
                due=created_day + datetime.timedelta(days=30), created=created,
                status_changed=created, created_by=creator,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Deficiency.objects.bulk_create(batch)
            batch = []
    Deficiency.objects.bulk_create(batch)


def generate_citizen_reports(every: int) -> int:
    """Every ``every``-th deficiency came from a citizen: an approved report with a public
    title at its place, as moderation leaves it (the public map shows those)."""
    from tryggnav.inspections.models import Deficiency
    from tryggnav.inspections.models_citizen import CitizenReport, Moderation

    rows = Deficiency.objects.filter(owner__slug__startswith="bench-def-agare-").order_by("pk")
    batch, made = [], 0
    for i, (pk, lat, lon, category, created) in enumerate(
        rows.values_list("pk", "lat", "lon", "category", "created").iterator()
    ):
        if i % every:
            continue
        batch.append(
            CitizenReport(
                municipality_id="0180", category=category, text="Trasig lampa", lat=lat, lon=lon,
                token_digest=f"bench{pk:059d}", moderation=Moderation.APPROVED,
                public_title=f"Felanmälan {pk}", moderated=created, deficiency_id=pk,
                created=created,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            made += len(CitizenReport.objects.bulk_create(batch))
            batch = []
    return made + len(CitizenReport.objects.bulk_create(batch))


def prepare(n: int, fresh: bool):
    from django.core.management import call_command
    from django.db import transaction

    from tryggnav.inspections.models import Deficiency
    from tryggnav.inspections.models_citizen import CitizenReport

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    lead, owners, group, users = world()
    mine = Deficiency.objects.filter(owner__slug__startswith="bench-def-agare-")
    if fresh:
        mine.delete()
    have = mine.count()
    if have >= n:
        print(f"database holds {have} deficiencies (reused)", flush=True)
    else:
        started = time.perf_counter()
        with transaction.atomic():
            mine.delete()
            generate(n, owners, users["coordinator"])
        print(f"generated {n} deficiencies in {time.perf_counter() - started:.0f} s", flush=True)
    citizen = CitizenReport.objects.filter(deficiency__in=mine)
    if not citizen.exists():
        with transaction.atomic():
            made = generate_citizen_reports(CITIZEN_EVERY)
        print(f"generated {made} approved citizen reports (every {CITIZEN_EVERY}th)", flush=True)
    analyse()
    return lead, owners, group, users


def analyse() -> None:
    """Planner statistics after the bulk load, as autovacuum (PostgreSQL) or a periodic
    ANALYZE (SQLite) would have them in production."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inspections_deficiency")
        cursor.execute("ANALYZE inspections_citizenreport")


def measure_url(client, url: str, repeat: int) -> float:
    response = client.get(url, HTTP_HOST="127.0.0.1")  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, HTTP_HOST="127.0.0.1")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_public_map(client, url: str, repeat: int) -> tuple[float, int, bool]:
    """The public map's data: the median time, the features sent (the municipality's
    outline aside) and whether they are clustered."""
    median = measure_url(client, url, repeat)
    data = client.get(url, HTTP_HOST="127.0.0.1").json()
    sent = [f for f in data["features"] if f["properties"].get("layer") != "municipality"]
    return median, len(sent), data["clustered"]


def public_map_results(group, repeat: int) -> list[tuple[str, float, bool]]:
    """The public map for the whole municipality and for one district's frame, as an
    anonymous visitor; each answer holds at most POINTS_LIMIT features."""
    from django.db.models import Max, Min
    from django.test import Client

    from tryggnav.areas.models import Area

    area = group.areas.order_by("name").first()
    whole = Area.objects.filter(municipality_id="0180").aggregate(
        w=Min("min_lon"), s=Min("min_lat"), e=Max("max_lon"), n=Max("max_lat")
    )
    url = "/brister/felanmalan/0180/karta.json"
    frames = {
        "the municipality's frame": f"{url}?bbox={whole['w']},{whole['s']},{whole['e']},{whole['n']}",
        "no frame (Sweden's grid)": url,
        f"one district's frame ({area.name})": (
            f"{url}?bbox={area.min_lon},{area.min_lat},{area.max_lon},{area.max_lat}"
        ),
    }
    results = []
    for label, address in frames.items():
        median, sent, clustered = measure_public_map(Client(), address, repeat)
        if sent > POINTS_LIMIT:
            raise SystemExit(f"the public map sent {sent} features (at most {POINTS_LIMIT})")
        shape = "cells" if clustered else "points"
        results.append((f"public map data, {label} ({sent} {shape})", median, True))
    return results


def measure_call(call, repeat: int) -> tuple[float, int]:
    size = len(call())  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench_deficiencies.sqlite3'}"
    )
    parser.add_argument("--deficiencies", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    setup_django(args.database_url)

    from django.db import connection
    from django.test import Client

    from tryggnav.incidents.weeks import IsoWeek
    from tryggnav.inspections import groups

    lead, owners, group, users = prepare(args.deficiencies, args.fresh)
    print(f"database: {connection.vendor}, deficiencies: {args.deficiencies} over {YEARS} years")
    coordinator, owner = Client(), Client()
    coordinator.force_login(users["coordinator"])
    owner.force_login(users["owner"])
    week = IsoWeek.last_completed()
    results = [
        ("owner's queue", measure_url(owner, f"/brister/agare/{owners[0].slug}/", args.repeat), True),
        ("overview per owner",
         measure_url(coordinator, f"/brister/kommun/{lead.slug}/oversikt/", args.repeat), True),
    ]  # fmt: skip
    layer_ms, points = measure_call(
        lambda: groups.map_features(group, week, users["coordinator"]), args.repeat
    )
    results.append((f"map data, the group's {GROUP_AREAS} areas ({points} points)", layer_ms, True))
    results.append(
        ("whole lägesbild map with the layer",
         measure_url(coordinator, f"/lagesbild/{group.slug}/karta.geojson?vecka={week}", 5), False),
    )  # fmt: skip
    results.append(
        ("group's deficiency list",
         measure_url(coordinator, f"/brister/grupp/{group.slug}/", args.repeat), False),
    )  # fmt: skip
    results += public_map_results(group, args.repeat)
    missed = []
    for name, median, targeted in results:
        target = f" (target <= {TARGET_MS:.0f} ms)" if targeted else ""
        print(f"{name}: median {median:.0f} ms{target}", flush=True)
        if targeted and median > TARGET_MS:
            missed.append(name)
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
