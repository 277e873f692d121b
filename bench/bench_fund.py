"""Benchmark of the trygghetsfond's list and overview pages with 10,000 applications.

Run: ``.venv/bin/python bench/bench_fund.py [--database-url URL] [--applications N]``

Default database: a SQLite file var/bench_fund.sqlite3 (created once and reused;
``--fresh`` regenerates it). For PostgreSQL create a database of your own first and
pass ``--database-url postgres://postgres@127.0.0.1:5432/bench_fund``.

Generates one fund per year over ten years (one municipality's coordinator administers
them), N applications spread evenly over the years (default 10,000), each with two
budget lines and an assessment with four scores; half decided (a fifth of those
refused), and a payment on each grant. Then measures server-side time (Django's test
client in the process, median of repeated requests, after one warm-up):

- the fund index (every fund with its figures; target <= 150 ms);
- a fund's overview with its figures and the first page of its applications
  (target <= 150 ms), and the same list filtered by status through HTMX;
- one application's page with the scores side by side.

Prints ``name: value (target …)`` lines and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from django_setup import setup_django  # noqa: E402

TARGET_MS = 150.0
YEARS = 10
FIRST_YEAR = 2016
SLUG = "bench-fund-kommun"


def _world():
    from django.contrib.auth import get_user_model

    from tryggnav.organisations.models import Membership, Organisation, Role

    lead, _ = Organisation.objects.get_or_create(
        slug=SLUG, defaults={"name": "Benchkommunen", "kind": "kommun", "municipality_id": "0126"}
    )
    applicant, _ = Organisation.objects.get_or_create(
        slug="bench-fund-bolag",
        defaults={"name": "Benchbostäder AB", "kind": "bostadsbolag", "municipality_id": "0126"},
    )
    user, _ = get_user_model().objects.get_or_create(
        username="bench-fund@example.org",
        defaults={"email": "bench-fund@example.org", "first_name": "Bench"},
    )
    Membership.objects.get_or_create(
        user=user, organisation=lead, defaults={"role": Role.COORDINATOR}
    )
    return lead, applicant, user


def _fund_rows(fund, applicant, user, n: int) -> None:
    import datetime

    from tryggnav.fund.models import (
        Application,
        Assessment,
        BudgetLine,
        Call,
        Criterion,
        Decision,
        Payment,
        Score,
    )

    year = fund.year
    call = Call.objects.create(
        fund=fund, title=f"Utlysning {year}", opens=datetime.date(year, 1, 1),
        closes=datetime.date(year, 3, 1), project_starts=datetime.date(year, 4, 1),
        project_ends=datetime.date(year + 1, 6, 30), eligible_kinds=["bostadsbolag"],
        prevention_types=["social", "situationell"], democracy_conditions="Demokrati.",
    )  # fmt: skip
    criteria = Criterion.objects.bulk_create(
        Criterion(call=call, name=f"Kriterium {i}", weight=i + 1, position=i) for i in range(4)
    )
    apps = Application.objects.bulk_create(
        Application(
            call=call, fund=fund, organisation=applicant, title=f"Projekt {year}-{i}",
            problem="Otrygghet.", prevention_type=("social", "situationell")[i % 2],
            starts=datetime.date(year, 4, 1), ends=datetime.date(year, 12, 31),
            state="decided" if i % 2 == 0 else "submitted", indicator="Andel otrygga (%)",
            baseline_value=30, target_value=25,
        )
        for i in range(n)
    )  # fmt: skip
    BudgetLine.objects.bulk_create(
        BudgetLine(application=a, item=item, amount=amount)
        for a in apps
        for item, amount in (("Personal", 2_000), ("Material", 1_000))
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(application=a, assessor=user) for a in apps
    )
    Score.objects.bulk_create(
        Score(assessment=s, criterion=c, score=(s.pk + c.pk) % 6) for s in assessments for c in criteria
    )  # fmt: skip
    decided = [a for i, a in enumerate(apps) if i % 2 == 0]
    decisions = Decision.objects.bulk_create(
        Decision(
            application=a, fund=fund, decided_by=user,
            outcome="refused" if i % 5 == 0 else "full", amount=0 if i % 5 == 0 else 3_000,
            reason="Utanför." if i % 5 == 0 else "",
        )
        for i, a in enumerate(decided)
    )  # fmt: skip
    Payment.objects.bulk_create(
        Payment(decision=d, amount=d.amount, paid_on=datetime.date(year, 5, 1), by=user)
        for d in decisions
        if d.amount
    )


def prepare(n: int, fresh: bool):
    from django.core.management import call_command
    from django.db import transaction

    from tryggnav.fund.models import Application, Fund

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    lead, applicant, user = _world()
    if fresh:
        Application.objects.filter(fund__organisation=lead).delete()
    have = Application.objects.filter(fund__organisation=lead).count()
    if have >= n:
        print(f"database holds {have} applications (reused)", flush=True)
        return lead, user
    started = time.perf_counter()
    with transaction.atomic():
        Fund.objects.filter(organisation=lead).delete()
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            fund = Fund.objects.create(
                municipality_id="0126", organisation=lead, name="Trygghetsfonden", year=year,
                budget=10_000_000,
            )  # fmt: skip
            _fund_rows(fund, applicant, user, n // YEARS)
    print(f"generated {n} applications in {time.perf_counter() - started:.0f} s", flush=True)
    return lead, user


def measure(client, url: str, repeat: int, **headers) -> tuple[float, int]:
    response = client.get(url, HTTP_HOST="127.0.0.1", headers=headers)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1", headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), response.content.decode().count("<tr")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench_fund.sqlite3'}"
    )
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    setup_django(args.database_url)

    from django.db import connection
    from django.test import Client

    from tryggnav.fund.models import Application, Fund

    lead, user = prepare(args.applications, args.fresh)
    client = Client()
    client.force_login(user)
    latest = Fund.objects.filter(organisation=lead).order_by("-year").first()
    assert latest is not None
    total = Application.objects.filter(fund__organisation=lead).count()
    print(f"database: {connection.vendor}, applications: {total} in {YEARS} funds")
    application = Application.objects.filter(fund=latest).order_by("pk").first()
    assert application is not None
    pages = [
        ("fund index", "/trygghetsfond/", {}, True),
        ("fund overview", f"/trygghetsfond/{latest.public_id}/", {}, True),
        ("application list, status filter (HTMX)",
         f"/trygghetsfond/{latest.public_id}/?status=decided&sida=3", {"HX-Request": "true"}, True),
        ("application page", application.get_absolute_url(), {}, False),
    ]  # fmt: skip
    missed = []
    for name, url, headers, targeted in pages:
        median, rows = measure(client, url, args.repeat, **headers)
        target = f"target <= {TARGET_MS:.0f} ms; " if targeted else ""
        print(f"{name}: median {median:.0f} ms ({target}{rows} table rows)", flush=True)
        if targeted and median > TARGET_MS:
            missed.append(name)
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
