"""Benchmark of the incident list, the API list, the exports and the map on a large table.

Run: ``.venv/bin/python bench/bench_scale.py [--database-url URL] [--incidents N]``

Uses the data of ``bench_lagesbild.py`` (same generator, same database; it is generated
when missing). For PostgreSQL create a database first
(``createdb -h 127.0.0.1 -U postgres bench_lagesbild``) and pass
``--database-url postgres://postgres@127.0.0.1:5432/bench_lagesbild``.

Measures, in process through Django's test client, the median of ``--repeat`` requests:

- the CSV, Excel and GeoJSON exports of the bench group's last year (target <= 0.5 s);
- the unfiltered incident list and the API list, their first pages and a page five
  years back (keyset paging), and the API list of the last year (target <= 0.3 s);
- the map's GeoJSON without a filter, its first request after a partner's report (the
  counts' version changed) and after an import of the police's feed (which counted the
  police's part itself),
  repeated, and a zoomed frame over Stockholm (cells recounted, places cached); each
  target <= 0.5 s, the payload printed (bounded by the grid whatever the table holds);
- the group's lägesbild: the first request of a week not yet seen, with the cache
  cleared (median over ``--repeat`` weeks; target <= 250 ms), and repeated requests
  (target <= 60 ms).

Prints ``name: value (target …)`` lines and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

# Before numpy is imported: tryggnav limits BLAS threads as in the web process.
import tryggnav  # noqa: E402, F401, I001
import bench_lagesbild as base  # noqa: E402

TARGETS = {
    "export_csv_s": 0.5,
    "export_xlsx_s": 2.0,
    "export_geojson_s": 0.5,
    "list_s": 0.3,
    "list_far_s": 0.3,
    "api_s": 0.3,
    "api_far_s": 0.3,
    "api_year_s": 0.3,
    "map_s": 0.5,
    # The import counts the police's part for every user when it is done
    # (``map_layers.warm_police``); the first request counts the rest, as after a report.
    "map_police_s": 0.5,
    "map_warm_s": 0.5,
    "map_frame_s": 0.5,
    "lagesbild_cold_s": 0.25,
    "lagesbild_warm_s": 0.06,
}


def median_seconds(fn, repeat: int, before=None) -> tuple[float, object]:
    """The median time of ``fn`` (``before`` runs untimed ahead of each call)."""
    times, result = [], None
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def lagesbild(client, slug: str, repeat: int) -> dict[str, float]:
    from django.core.cache import cache

    from tryggnav.incidents.weeks import IsoWeek

    week = IsoWeek.last_completed()
    client.get(f"/lagesbild/{slug}/?vecka={week.shift(-20)}")  # loads the code
    cache.clear()
    weeks = iter(range(1, repeat + 1))
    cold, _body = median_seconds(
        lambda: client.get(f"/lagesbild/{slug}/?vecka={week.shift(-next(weeks))}"), repeat
    )
    url = f"/lagesbild/{slug}/?vecka={week}"
    client.get(url)
    warm, _body = median_seconds(lambda: client.get(url), max(repeat, 10))
    print(f"lägesbild, first request of a week: {cold * 1000:.0f} ms (target <= 250 ms)")
    print(f"lägesbild, repeated: {warm * 1000:.0f} ms (target <= 60 ms)", flush=True)
    return {"lagesbild_cold_s": cold, "lagesbild_warm_s": warm}


def map_geojson(client, repeat: int) -> dict[str, float]:
    from django.core.cache import cache, caches

    from tryggnav.incidents import counts, map_layers

    url = "/handelser/karta.geojson"
    moves = iter(range(1, 1000))

    def cold(u: str) -> bytes:
        # As after a partner's report: the counts' version changes, the police's not.
        counts._bump(police=False)
        return body_of(client.get(u))

    def import_police() -> None:
        cache.clear()  # as after an import of the police's feed: every version changes
        caches["local"].clear()
        map_layers.warm_police()  # which the import does when it is done

    def moved() -> bytes:
        # Moving the map over Stockholm: a new frame each time, so its cells are
        # counted; the places of the view stay cached.
        east = 18.15 + next(moves) * 1e-4
        return body_of(client.get(f"{url}?bbox=17.75,59.28,{east:.4f},59.40"))

    measured = {
        "map_s": ("map GeoJSON, unfiltered, first after a partner's report", lambda: cold(url)),
        "map_police_s": (
            "map GeoJSON, unfiltered, first after an import of the police's feed",
            lambda: body_of(client.get(url)),
        ),
        "map_warm_s": ("map GeoJSON, unfiltered, repeated", lambda: body_of(client.get(url))),
        "map_frame_s": ("map GeoJSON, a new frame over Stockholm", moved),
    }
    results = {}
    for name, (label, fn) in measured.items():
        before = import_police if name == "map_police_s" else None
        seconds, response = median_seconds(fn, repeat, before)
        results[name] = seconds
        print(
            f"{label}: {seconds:.3f} s ({len(response)} bytes; target <= {TARGETS[name]} s)",
            flush=True,
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{base.ROOT / 'var' / 'bench_lagesbild.sqlite3'}"
    )
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base.setup_django(args.database_url)

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from tryggnav.incidents.models import Incident
    from tryggnav.lib.paging import Cursor
    from tryggnav.organisations.models import ApiToken

    base.prepare(args.incidents, False)
    group, _partner, user = base.world()
    print(
        f"database: {connection.vendor}, incidents: {Incident.objects.count()}, "
        f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    _token, key = ApiToken.issue(user=user, name="bench")
    api = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {key}"})
    until = datetime.date.today()
    since = until - datetime.timedelta(days=365)
    year = f"since={since}&until={until}"
    results: dict[str, float] = {}

    for fmt in ("csv", "xlsx", "geojson"):
        url = f"/handelser/export.{fmt}?group={group.slug}&{year}"
        seconds, response = median_seconds(lambda u=url: body_of(client.get(u)), args.repeat)
        results[f"export_{fmt}_s"] = seconds
        lines = response.count(b"\n") if fmt == "csv" else len(response)
        print(
            f"export {fmt} of the group's year: {seconds:.3f} s ({lines} "
            f"{'lines' if fmt == 'csv' else 'bytes'}; target <= {TARGETS[f'export_{fmt}_s']} s)",
            flush=True,
        )
    far = Cursor(timezone.now() - datetime.timedelta(days=5 * 365), 2**62).encode()
    checks = {
        "list_s": ("unfiltered incident list", client, "/handelser/"),
        "list_far_s": (
            "unfiltered incident list, a page five years back",
            client,
            f"/handelser/?sida={far}",
        ),
        "api_s": ("API list, first page", api, "/api/v1/incidents"),
        "api_far_s": ("API list, a page five years back", api, f"/api/v1/incidents?cursor={far}"),
        "api_year_s": ("API list of the last year", api, f"/api/v1/incidents?{year}"),
    }
    for name, (label, who, url) in checks.items():
        seconds, response = median_seconds(lambda w=who, u=url: body_of(w.get(u)), args.repeat)
        results[name] = seconds
        print(
            f"{label}: {seconds:.3f} s ({len(response)} bytes; target <= {TARGETS[name]} s)",
            flush=True,
        )
    results.update(map_geojson(client, args.repeat))
    results.update(lagesbild(client, group.slug, args.repeat))
    missed = [name for name, value in results.items() if value > TARGETS[name]]
    if missed:
        print(f"targets missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
