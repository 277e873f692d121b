"""`tryggnav rebuild_rollup`: recompute the weekly rollup from the incidents."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from tryggnav.incidents import counts


class Command(BaseCommand):
    help = "Räkna om veckosammanställningen från händelserna. Rebuild the weekly rollup."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="jämför med en omräkning utan att skriva / compare with a recount, write nothing",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["check"]:
            stored, counted = counts.snapshot(), counts.recount()
            differing = {
                k for k in stored.keys() | counted.keys() if stored.get(k) != counted.get(k)
            }
            self.stdout.write(f"{len(differing)} celler skiljer sig / cells differ")
            return
        cells = counts.rebuild()
        self.stdout.write(
            f"Veckosammanställningen: {cells} celler på {time.perf_counter() - started:.1f} s"
        )
