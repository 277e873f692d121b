"""Benchmark of the weekly lägesbild with a million incidents.

Run: ``.venv/bin/python bench/bench_lagesbild.py [--database-url URL] [--incidents N]``

Default database: a SQLite file var/bench_lagesbild.sqlite3 (created once and reused;
``--fresh`` regenerates it). For PostgreSQL create a database of your own first
(``createdb -h 127.0.0.1 -U postgres bench_lagesbild``) and pass
``--database-url postgres://postgres@127.0.0.1:5432/bench_lagesbild``.

Generates N incidents (default 1,000,000) over ten years and all 290 municipalities,
weighted by population: 60 % police feed events (municipality precision), 40 %
partner reports (90 % reviewed; in the nine Hässelby-Vällingby districts shared
with a collaboration group like the demo's EST group). Then measures, server side:

- the full rollup rebuild (target <= 30 s);
- an incremental update for one changed incident: the rollup part alone, and the
  save with it (median of 50; target <= 20 ms);
- the lägesbild page of the group for one week, the first (cold) request and the
  median of 20 repeated requests (target <= 200 ms);
- the Word and PDF exports of that lägesbild (target <= 5 s each).

Prints ``name: value (target …)`` lines and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from django_setup import load_stockholm, setup_django  # noqa: E402

TARGETS = {"rebuild_s": 30.0, "incremental_ms": 20.0, "page_ms": 200.0, "export_s": 5.0}
GROUP_SLUG = "bench-est"
DISTRICTS = [
    "Grimsta",
    "Hässelby gård",
    "Hässelby strand",
    "Hässelby villastad",
    "Kälvesta",
    "Nälsta",
    "Råcksta",
    "Vinsta",
    "Vällingby",
]
YEARS = 10
BATCH = 50_000
# Past this many incidents (PostgreSQL) the table grows by copying its own rows.
GENERATED = 1_000_000


def prepare(n: int, fresh: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from tryggnav.incidents.models import Incident

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if fresh:
        Incident.objects.all().delete()
    have = Incident.objects.count()
    if have >= n:
        print(f"database holds {have} incidents (reused)", flush=True)
        return
    started = time.perf_counter()
    if have and (have < GENERATED or connection.vendor != "postgresql"):
        Incident.objects.all().delete()
        have = 0
    if not have:
        generate(min(n, GENERATED) if connection.vendor == "postgresql" else n)
    if n > GENERATED and connection.vendor == "postgresql":
        grow(n)
    print(f"prepared {n} incidents in {time.perf_counter() - started:.0f} s", flush=True)
    # Planner statistics, as autovacuum (PostgreSQL) or a routine ANALYZE would keep them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # The weekly counts the lägesbild reads, as after any import.
    from tryggnav.incidents import counts

    started = time.perf_counter()
    counts.rebuild()
    print(f"rollup rebuilt in {time.perf_counter() - started:.0f} s", flush=True)


def world():
    """The geography, a group like the demo EST group, and a coordinator."""
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
        slug="bench-sdf",
        defaults={"name": "Bench SDF", "kind": "kommun", "municipality_id": "0180"},
    )
    partner, _ = Organisation.objects.get_or_create(
        slug="bench-bostader",
        defaults={"name": "Bench Bostäder", "kind": "bostadsbolag", "municipality_id": "0180"},
    )
    group, _ = CollaborationGroup.objects.get_or_create(
        slug=GROUP_SLUG,
        defaults={"name": "Bench EST", "municipality_id": "0180", "lead_organisation": lead},
    )
    for org in (lead, partner):
        GroupMembership.objects.get_or_create(
            group=group, organisation=org, defaults={"joined": datetime.date(2010, 1, 1)}
        )
    group.areas.set(Area.objects.filter(municipality_id="0180", name__in=DISTRICTS))
    user = get_user_model().objects.filter(username="bench@example.org").first()
    if user is None:
        user = get_user_model().objects.create_user(
            username="bench@example.org", email="bench@example.org", password="x" * 20
        )
    Membership.objects.get_or_create(
        user=user, organisation=lead, defaults={"role": Role.COORDINATOR}
    )
    return group, partner, user


def generate(n: int) -> None:
    """Insert ``n`` incidents column-wise with raw SQL (COPY on PostgreSQL): building a
    million model objects would take longer than everything measured here."""
    from django.db import connection, transaction
    from django.utils import timezone

    from tryggnav.areas.models import Area, Municipality
    from tryggnav.incidents.models import Category, Incident, PoliceTypeMapping

    group, partner, _user = world()
    rng = np.random.default_rng(2025)
    municipalities = list(
        Municipality.objects.exclude(population__isnull=True).values_list(
            "code", "county_id", "population", "centroid_lat", "centroid_lon"
        )
    )
    weights = np.array([m[2] for m in municipalities], dtype=float)
    weights /= weights.sum()
    categories = list(
        Category.objects.filter(collaboration_group__isnull=True).values_list("id", flat=True)
    )
    if not categories:
        raise SystemExit("the default taxonomy (incidents migration 0002) is missing")
    mappings = list(PoliceTypeMapping.objects.values_list("police_type", "category_id"))
    areas = list(
        Area.objects.filter(municipality_id="0180").values_list(
            "id", "min_lon", "min_lat", "max_lon", "max_lat"
        )
    )
    area_box = np.array([a[1:] for a in areas])
    area_ids = np.array([a[0] for a in areas])
    in_group = np.isin(area_ids, list(group.areas.values_list("id", flat=True)))
    m_code = np.array([m[0] for m in municipalities])
    m_county = np.array([m[1] for m in municipalities])
    m_lat = np.array([m[3] or 0.0 for m in municipalities])
    m_lon = np.array([m[4] or 0.0 for m in municipalities])
    stockholm = int(np.flatnonzero(m_code == "0180")[0])
    end = np.datetime64(timezone.now().replace(tzinfo=None), "s") - np.timedelta64(1, "D")
    span = YEARS * 365 * 86400
    postgres = connection.vendor == "postgresql"

    fields = [f for f in Incident._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(Incident._meta.db_table)

    def stamp(values: np.ndarray) -> np.ndarray:
        text = np.datetime_as_string(values, unit="s")
        return np.char.add(text, "+00:00") if postgres else np.char.replace(text, "T", " ")

    made = 0
    while made < n:
        size = min(BATCH, n - made)
        muni = rng.choice(len(municipalities), size=size, p=weights)
        occurred = end - rng.integers(0, span, size=size).astype("timedelta64[s]")
        police = rng.random(size) < 0.6
        window = (~police) & (rng.random(size) < 0.3)
        mapping = rng.integers(len(mappings), size=size)
        in_stockholm = (~police) & (muni == stockholm)
        area_pick = rng.integers(len(areas), size=size)
        box = area_box[area_pick]
        u, v = rng.random(size), rng.random(size)
        lon = np.where(in_stockholm, box[:, 0] + (box[:, 2] - box[:, 0]) * u, m_lon[muni])
        lat = np.where(in_stockholm, box[:, 1] + (box[:, 3] - box[:, 1]) * v, m_lat[muni])
        shared = in_stockholm & in_group[area_pick]
        reviewed = police | (rng.random(size) < 0.9)
        category = np.where(
            police,
            np.array([mappings[i][1] for i in mapping]),
            np.array(categories)[rng.integers(len(categories), size=size)],
        )
        hours = rng.integers(1, 12, size=size).astype("timedelta64[h]")
        occurred_text = stamp(occurred)
        to_text = stamp(occurred + hours)
        now_text = stamp(np.array([end]))[0]
        public = os.urandom(16 * size).hex()
        values = {
            "public_id": [public[32 * i : 32 * (i + 1)] for i in range(size)],
            "occurred_from": occurred_text.tolist(),
            "occurred_to": np.where(window, to_text, None).tolist(),
            "reported_at": occurred_text.tolist(),
            "lat": lat.tolist(),
            "lon": lon.tolist(),
            "precision": np.where(in_stockholm, "exact", "municipality").tolist(),
            "sharing": np.where(shared, "group", "organisation").tolist(),
            "source": np.where(police, "police", "form").tolist(),
            "external_id": [f"bench-{made + i}" if police[i] else "" for i in range(size)],
            "police_type": [mappings[mapping[i]][0] if police[i] else "" for i in range(size)],
            "status": np.where(reviewed, "reviewed", "submitted").tolist(),
            "is_generated": [True] * size,
            "created": [now_text] * size,
            "updated": [now_text] * size,
            "area_id": np.where(in_stockholm, area_ids[area_pick], None).tolist(),
            "category_id": category.tolist(),
            "county_id": m_county[muni].tolist(),
            "group_id": np.where(shared, group.pk, None).tolist(),
            "municipality_id": m_code[muni].tolist(),
            "organisation_id": np.where(police, None, partner.pk).tolist(),
        }
        for field in fields:
            if field.column not in values:
                default = None if field.null else field.get_default()
                values[field.column] = [default] * size
        rows = list(zip(*(values[c] for c in columns), strict=True))
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)
        made += size
        print(f"  {made}/{n}", end="\r", flush=True)
    print()


def grow(n: int) -> None:
    """Grow the table to ``n`` rows by copying the generated ones (``INSERT … SELECT`` in
    the database, a million rows a round): each copy is moved k × 17 minutes later, with
    a new public id and external id, so the distribution over time and place stays that
    of the generator. Ten million rows take minutes this way instead of an hour of COPY."""
    from django.db import connection

    from tryggnav.incidents.models import Incident

    fields = [f for f in Incident._meta.concrete_fields if f.column != "id"]
    table = connection.ops.quote_name(Incident._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), max(id) FROM {table}")
        have, last = cursor.fetchone()
    round_ = have // GENERATED
    with _without_indexes(table):
        _copy_rounds(table, fields, have, last, round_, n)


@contextmanager
def _without_indexes(table: str):
    """Drop the table's indexes and unique constraints but its primary key, and build
    them again afterwards: maintaining 25 indexes row by row made a round of copying
    take many minutes, building each once takes seconds per million rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u'",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)
    print(f"  indexes built in {time.perf_counter() - started:.0f} s", flush=True)


def _copy_rounds(table: str, fields: list, have: int, last: int, round_: int, n: int) -> None:
    from django.db import connection, transaction

    shifted = {"occurred_from", "occurred_to", "reported_at"}
    while have < n:
        size = min(GENERATED, n - have)
        select = []
        for field in fields:
            column = connection.ops.quote_name(field.column)
            if field.column == "public_id":
                select.append("md5(random()::text || id::text)::uuid")
            elif field.column == "external_id":
                select.append(f"CASE WHEN {column} = '' THEN '' ELSE {column} || '-{round_}' END")
            elif field.column in shifted:
                select.append(f"{column} + interval '{17 * round_} minutes'")
            else:
                select.append(column)
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) SELECT {', '.join(select)} FROM {table} "
                f"WHERE id <= %s ORDER BY id LIMIT %s",
                [last, size],
            )
        have += size
        round_ += 1
        print(f"  {have}/{n} ({time.perf_counter() - started:.0f} s)", flush=True)


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench_lagesbild.sqlite3'}"
    )
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_django(args.database_url)

    import logging

    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client

    from tryggnav.incidents import counts as rollup
    from tryggnav.incidents.models import Category, Incident
    from tryggnav.incidents.weeks import IsoWeek

    logging.disable(logging.INFO)  # WeasyPrint logs every layout step at INFO
    prepare(args.incidents, args.fresh)
    group, _partner, user = world()
    print(f"database: {connection.vendor}, incidents: {Incident.objects.count()}")
    results: dict[str, float] = {}

    seconds, cells = timed(rollup.rebuild)
    results["rebuild_s"] = seconds
    print(f"rollup rebuild: {seconds:.1f} s for {cells} cells (target <= 30 s)", flush=True)

    categories = list(Category.objects.values_list("id", flat=True))
    sample = list(
        Incident.objects.filter(group=group, status=Incident.Status.REVIEWED).order_by(
            "-occurred_from"
        )[:50]
    )
    rollup_only, with_save = [], []
    for i, incident in enumerate(sample):
        before = rollup.key_for(incident)
        incident.category_id = categories[i % len(categories)]
        incident.occurred_from -= datetime.timedelta(days=3)
        with transaction.atomic():
            started = time.perf_counter()
            incident.save(update_fields=["category", "occurred_from"])
            middle = time.perf_counter()
            rollup.incidents_changed(before=[before], after=[rollup.key_for(incident)])
            finished = time.perf_counter()
        rollup_only.append((finished - middle) * 1000)
        with_save.append((finished - started) * 1000)
    results["incremental_ms"] = statistics.median(with_save)
    print(
        f"incremental update, rollup only: median {statistics.median(rollup_only):.2f} ms, "
        f"max {max(rollup_only):.2f} ms"
    )
    print(
        f"incremental update, save + rollup: median {statistics.median(with_save):.2f} ms "
        f"(target <= 20 ms)",
        flush=True,
    )
    assert rollup.snapshot() == rollup.recount() if args.incidents <= 50_000 else True

    client = Client()
    client.force_login(user)
    week = IsoWeek.last_completed()
    url = f"/lagesbild/{GROUP_SLUG}/?vecka={week}"
    # A first request for another week loads the code (scipy alone takes seconds to
    # import); then the measured week's first request computes its alerts.
    warmup, _response = timed(
        client.get, f"/lagesbild/{GROUP_SLUG}/?vecka={week.shift(-1)}", HTTP_HOST="127.0.0.1"
    )
    print(f"lägesbild page, first request of the process: {warmup * 1000:.0f} ms")
    cache.clear()
    cold, response = timed(client.get, url, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(args.repeat):
        seconds, response = timed(client.get, url, HTTP_HOST="127.0.0.1")
        times.append(seconds * 1000)
    results["page_ms"] = statistics.median(times)
    rows = response.content.decode().count("<tr")
    print(f"lägesbild page, first request (alerts computed): {cold * 1000:.0f} ms")
    print(
        f"lägesbild page, median of {args.repeat}: {results['page_ms']:.0f} ms "
        f"(target <= 200 ms; {rows} table rows)",
        flush=True,
    )
    # Without the compiled-lägesbild cache (a request right after an incident changed):
    # the rollup query, the table and the cached alerts.
    from tryggnav.lagesbild.picture import Filters as _Filters
    from tryggnav.lagesbild.picture import Scope, _compile

    uncached = []
    for _ in range(5):
        seconds, _picture = timed(
            _compile, scope=Scope.for_group(group), week=week, filters=_Filters(), with_alerts=True
        )
        uncached.append(seconds * 1000)
    print(
        f"lägesbild compiled without its cache: median {statistics.median(uncached):.0f} ms "
        f"(alerts from their cache)"
    )
    for fmt in ("docx", "pdf"):
        # The first export of a process loads python-docx, vl-convert and WeasyPrint.
        first, _response = timed(
            client.get,
            f"/lagesbild/{GROUP_SLUG}/export.{fmt}?vecka={week.shift(-1)}",
            HTTP_HOST="127.0.0.1",
        )
        print(f"export {fmt}, first of the process (another week): {first:.2f} s")
        seconds, response = timed(
            client.get,
            f"/lagesbild/{GROUP_SLUG}/export.{fmt}?vecka={week}",
            HTTP_HOST="127.0.0.1",
        )
        assert response.status_code == 200
        results[f"export_{fmt}_s"] = seconds
        print(
            f"export {fmt}: {seconds:.2f} s, {len(response.content)} bytes (target <= 5 s)",
            flush=True,
        )

    missed = [
        name
        for name, value in results.items()
        if value > TARGETS["export_s" if name.startswith("export") else name]
    ]
    if missed:
        print(f"targets missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
