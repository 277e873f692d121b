"""`tryggnav fetch_kolada --kpi N07403 --municipality 0126 [--year 2023]`: fetch key
figures from Kolada's JSON API and import them (needs internet)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tryggnav.lib.commands import input_error_to_command_error
from tryggnav.lib.errors import InputError
from tryggnav.official.services import kolada_fetch


def _split(values: list[str]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


class Command(BaseCommand):
    help = (
        "Hämta nyckeltal från Koladas API (v2) och importera dem; allt eller inget. / "
        "Fetch key figures from Kolada's API (v2) and import them; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kpi",
            action="append",
            required=True,
            help="nyckeltals-id, t.ex. N07403 (flera: upprepa eller komma)",
        )
        parser.add_argument(
            "--municipality",
            action="append",
            required=True,
            help="kommunkod, t.ex. 0126 / municipality code",
        )
        parser.add_argument("--year", action="append", default=[], help="år / year")

    def handle(self, *args, **options):
        try:
            result = kolada_fetch(
                kpis=_split(options["kpi"]),
                municipalities=_split(options["municipality"]),
                years=_split(options["year"]),
            )
        except InputError as error:
            raise input_error_to_command_error(error) from error
        self.stdout.write(self.style.SUCCESS(str(result)))
