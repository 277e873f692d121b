"""Import benchmarks: the national police archive (84,697 events) and a large partner CSV.

    .venv/bin/python bench/bench_import.py [--database-url URL] [--partner-rows N]

Runs against a throwaway database (a temporary SQLite file by default; give a
PostgreSQL URL of a database you created for the purpose: it is migrated and its
incidents are deleted). Prints one line per figure and exits 1 if a target is missed.
Targets: police import and re-import <= 15 s, peak RSS < 1 GB; partner CSV of
1,000,000 rows <= 90 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared/data/polisen-events/events_all_2023-03_2026-08.json.gz"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--partner-rows", type=int, default=None)
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-import-")
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tryggnav.areas.models import Area
    from tryggnav.areas.services import areas_import, geography_load
    from tryggnav.demo.foundation import DATA_DIR
    from tryggnav.incidents.importers.partner import partner_import
    from tryggnav.incidents.importers.police import police_import
    from tryggnav.incidents.models import ImportJob, Incident
    from tryggnav.organisations.models import Organisation

    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    geography_load()
    areas_import(
        path=DATA_DIR / "stockholm_stadsdelar.geojson",
        municipality_code="0180",
        kind=Area.Kind.STADSDEL,
        name_field="name",
        name_case="capitalize",
    )
    from tryggnav.incidents.models import WeeklyCount

    Incident.objects.all().delete()
    WeeklyCount.objects.all().delete()
    ImportJob.objects.all().delete()
    missed = False

    def report(name: str, value: float, target: float, cpu: float | None = None) -> None:
        # The machine may be shared: the CPU time of this process tells the cost
        # apart from waiting for a core (and the database server's own time is not in it).
        nonlocal missed
        ok = value <= target
        missed |= not ok
        cpu_text = f" cpu {cpu:.1f}" if cpu is not None else ""
        print(
            f"{name}: {value:.1f}{cpu_text} (target <= {target:g}){'' if ok else '  MISSED'}",
            flush=True,
        )

    def timed(function, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args, **kwargs)
        return result, time.perf_counter() - wall, time.process_time() - cpu

    summary, wall, cpu = timed(police_import, path=args.archive)
    report(f"police_import_{summary.created}_{vendor}_s", wall, 15, cpu)
    again, wall, cpu = timed(police_import, path=args.archive)
    assert again.created == 0 and again.updated == 0, again
    report(f"police_reimport_{again.unchanged}_{vendor}_s", wall, 15, cpu)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report("police_peak_rss_mb", peak_mb, 1024)

    rows = args.partner_rows
    if rows is None:
        rows = 1_000_000 if vendor == "postgresql" else 0
    if rows:
        organisation, _ = Organisation.objects.get_or_create(
            slug="bench-partner",
            defaults={"name": "Bench partner", "kind": "housing", "municipality_id": "0180"},
        )
        path = Path(tmp) / "partner.csv"
        rng = random.Random(1)
        categories = ["Klotter", "Skadegörelse", "Nedskräpning", "Trasig belysning", "Bilbrand"]
        areas = ["Vällingby", "Vinsta", "Kista", "Rinkeby", "Tensta", "Södermalm"]
        with path.open("w", encoding="utf-8") as fh:
            fh.write("Id;Datum;Kategori;Beskrivning;Område\n")
            for i in range(rows):
                fh.write(
                    f"R{i};2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    f" {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d};"
                    f"{rng.choice(categories)};Rond {i}: noterat vid entrén;{rng.choice(areas)}\n"
                )
        result, wall, cpu = timed(partner_import, path=path, organisation=organisation)
        assert result.summary.created == rows, result.summary
        report(f"partner_csv_{rows}_{vendor}_s", wall, 90, cpu)
        again, wall, cpu = timed(partner_import, path=path, organisation=organisation)
        assert again.summary.unchanged == rows, again.summary
        report(f"partner_csv_reimport_{rows}_{vendor}_s", wall, 90, cpu)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report("partner_peak_rss_mb", peak_mb, 1024)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
