from pathlib import Path

from django.core.management.base import BaseCommand

from tryggnav.areas.models import Area
from tryggnav.areas.services import areas_import
from tryggnav.lib.commands import input_error_to_command_error
from tryggnav.lib.errors import InputError


class Command(BaseCommand):
    help = (
        "Importera områden (polygoner i WGS84) från en GeoJSON-fil till en kommun. "
        "Import areas (WGS84 polygons) from a GeoJSON file into a municipality."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="Kommunkod, t.ex. 0180")
        parser.add_argument("--kind", required=True, choices=Area.Kind.values)
        parser.add_argument("--name-field", required=True)
        parser.add_argument("--code-field", default=None)
        parser.add_argument(
            "--name-case",
            default="keep",
            choices=["keep", "capitalize", "title"],
            help="capitalize: 'BAGARMOSSEN' → 'Bagarmossen'",
        )
        parser.add_argument("--source", default="")

    def handle(self, *args, **options):
        try:
            result = areas_import(
                path=options["file"],
                municipality_code=options["municipality"],
                kind=options["kind"],
                name_field=options["name_field"],
                code_field=options["code_field"],
                name_case=options["name_case"],
                source=options["source"],
            )
        except InputError as error:
            raise input_error_to_command_error(error) from None
        self.stdout.write(self.style.SUCCESS(str(result)))
