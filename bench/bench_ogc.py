"""Benchmark of the OGC API – Features incidents collection on a million incidents.

Run: ``.venv/bin/python bench/bench_ogc.py [--database-url URL] [--incidents N]``

Uses the data of ``bench_lagesbild.py`` (same generator, same database; generated when
missing). For PostgreSQL create a database of your own first
(``createdb -h 127.0.0.1 -U postgres bench_ogc``) and pass
``--database-url postgres://postgres@127.0.0.1:5432/bench_ogc``.

Measures in process, through Django's test client with a personal API token (so the
whole view runs: token, access rules, query, GeoJSON), as an analyst (reader) of the
partner organisation that filed the generated reports, who sees its own reports and the
police feed:

- one items page of 1,000 features with a bbox (Stockholm) and a datetime (the last
  year): the median of ``--repeat`` requests (target <= 200 ms);
- paging through all of Stockholm's incidents of one year with ``limit=1000`` and the
  ``next`` links: the time, the number of pages, and the growth of the process's peak
  RSS over the paging (target <= 100 MB: bounded by the page, not by the year);
- the GeoPackage export of the same municipality-year (streamed from the database):
  its time and the growth of peak RSS (target <= 100 MB), and of all its years (ten
  times as many features; the same bound).

Prints ``name: value (target …)`` lines and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import tryggnav  # noqa: E402, F401, I001
import bench_lagesbild as base  # noqa: E402

TARGETS = {
    "page_ms": 200.0,
    "paging_rss_mb": 100.0,
    "gpkg_rss_mb": 100.0,
    "gpkg_all_rss_mb": 100.0,
}
BBOX = "17.75,59.22,18.20,59.45"
ANALYST = "bench-analyst@example.org"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def year_interval() -> str:
    end = datetime.date.today() - datetime.timedelta(days=2)
    return f"{end - datetime.timedelta(days=365)}/{end}"


def page(client, headers, repeat: int) -> tuple[float, int, int]:
    url = "/ogc/collections/incidents/items"
    params = {"limit": 1000, "bbox": BBOX, "datetime": year_interval()}
    client.get(url, params, headers=headers)  # loads the code, warms the caches
    times, data = [], {}
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params, headers=headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
        data = response.json()
    return 1000 * statistics.median(times), data["numberReturned"], data["numberMatched"]


def paging(client, headers) -> tuple[float, int, int, float]:
    url = "/ogc/collections/incidents/items"
    params = {"limit": 1000, "datetime": year_interval(), "municipality_code": "0180"}
    before = peak_rss_mb()
    started = time.perf_counter()
    response = client.get(url, params, headers=headers)
    pages, features = 0, 0
    while True:
        data = response.json()
        pages += 1
        features += data["numberReturned"]
        nexts = [link["href"] for link in data["links"] if link["rel"] == "next"]
        if not nexts:
            break
        response = client.get(nexts[0], headers=headers)
    return time.perf_counter() - started, pages, features, peak_rss_mb() - before


def export(user, interval: str | None) -> tuple[float, int, float]:
    from tryggnav.ogc import gpkg
    from tryggnav.ogc.params import Query, parse_datetime

    query = Query(interval=parse_datetime(interval))
    before = peak_rss_mb()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        # Stockholm's year: the filter the paging used, as the export's query.
        from tryggnav.ogc import cql2
        from tryggnav.ogc.collections import COLLECTIONS

        node = cql2.parse("municipality_code = '0180'", COLLECTIONS["incidents"].queryables)
        query = Query(interval=query.interval, filter=node)
        counts = gpkg.write(
            Path(folder) / "bench.gpkg", user=user, collection_ids=["incidents"], query=query
        )
    return time.perf_counter() - started, counts["incidents"], peak_rss_mb() - before


def analyst():
    from django.contrib.auth import get_user_model

    from tryggnav.organisations.models import Membership, Role

    _group, partner, _coordinator = base.world()
    user = get_user_model().objects.filter(username=ANALYST).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=ANALYST, email=ANALYST, password="x" * 20
        )
    Membership.objects.get_or_create(
        user=user, organisation=partner, defaults={"role": Role.READER}
    )
    return user


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{base.ROOT / 'var' / 'bench_lagesbild.sqlite3'}"
    )
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    base.setup_django(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tryggnav.incidents.models import Incident
    from tryggnav.organisations.models import ApiToken

    setup_test_environment()
    base.prepare(args.incidents, False)
    user = analyst()
    print(f"database: {connection.vendor}, incidents: {Incident.objects.count()}", flush=True)
    _token, key = ApiToken.issue(user=user, name="bench_ogc")
    headers = {"Authorization": f"Bearer {key}"}
    client = Client()
    results = {}
    try:
        ms, returned, matched = page(client, headers, args.repeat)
        results["page_ms"] = ms
        print(f"page_ms: {ms:.0f} ({returned} of {matched} features; target <= 200)")
        seconds, pages, features, grown = paging(client, headers)
        results["paging_rss_mb"] = grown
        print(f"paging_s: {seconds:.1f} ({pages} pages, {features} features)")
        print(f"paging_rss_mb: {grown:.1f} (growth of peak RSS; target <= 100)")
        seconds, count, grown = export(user, year_interval())
        results["gpkg_rss_mb"] = grown
        print(f"gpkg_s: {seconds:.1f} ({count} features)")
        print(f"gpkg_rss_mb: {grown:.1f} (growth of peak RSS; target <= 100)")
        # All of Stockholm's years: ten times the features, the same memory if it streams.
        seconds, count, grown = export(user, None)
        results["gpkg_all_rss_mb"] = grown
        print(f"gpkg_all_s: {seconds:.1f} ({count} features, every year)")
        print(f"gpkg_all_rss_mb: {grown:.1f} (growth of peak RSS; target <= 100)")
        print(f"peak_rss_mb: {peak_rss_mb():.0f} (the whole process, Django and the data included)")
    finally:
        ApiToken.objects.filter(name="bench_ogc", user=user).delete()
    missed = [name for name, value in results.items() if value > TARGETS[name]]
    if missed:
        print(f"missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
