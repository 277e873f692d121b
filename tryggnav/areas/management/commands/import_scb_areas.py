from pathlib import Path

from django.core.management.base import BaseCommand

from tryggnav.areas.scb import SOURCE, scb_areas_import
from tryggnav.lib.commands import input_error_to_command_error
from tryggnav.lib.errors import InputError


class Command(BaseCommand):
    help = (
        "Importera SCB:s DeSO- eller RegSO-områden från SCB:s GeoPackage (SWEREF 99 TM) eller"
        " GeoJSON. Import SCB's DeSO or RegSO areas from SCB's GeoPackage (SWEREF 99 TM) or"
        " GeoJSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--municipality",
            action="append",
            default=[],
            help="Bara denna kommun (kommunkod, t.ex. 0180); kan anges flera gånger",
        )
        parser.add_argument("--source", default=SOURCE)

    def handle(self, *args, **options):
        try:
            kind, results = scb_areas_import(
                path=options["file"],
                municipality_codes=options["municipality"],
                source=options["source"],
            )
        except InputError as error:
            raise input_error_to_command_error(error) from None
        for code, result in results.items():
            self.stdout.write(self.style.SUCCESS(f"{kind} {code}: {result}"))
