from pathlib import Path

from django.core.management.base import BaseCommand

from tryggnav.areas.models import Area
from tryggnav.areas.population_import import area_population_import
from tryggnav.lib.commands import input_error_to_command_error
from tryggnav.lib.errors import InputError


class Command(BaseCommand):
    help = (
        "Importera områdens folkmängd per år från CSV/XLSX (en tabell med område, år och"
        " folkmängd, eller en export från SCB:s statistikdatabas med DeSO/RegSO-koder)."
        " Import areas' population per year from CSV/XLSX (a table of area, year and"
        " population, or an export from SCB's statistical database with DeSO/RegSO codes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--municipality",
            default=None,
            help="Kommunkod, t.ex. 0180 (krävs för en tabell utan SCB:s regionkoder)",
        )
        parser.add_argument("--kind", default="", choices=["", *Area.Kind.values])
        parser.add_argument("--source", default="", help="Källa, t.ex. 'SCB, folkmängd 2024'")
        parser.add_argument(
            "--generated",
            action="store_true",
            help="Märk siffrorna som genererade ungefärliga folkmängder (demo)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera bara; inget sparas")

    def handle(self, *args, **options):
        try:
            result = area_population_import(
                path=options["file"],
                municipality_code=options["municipality"],
                kind=options["kind"],
                source=options["source"],
                is_generated=options["generated"],
                commit=not options["dry_run"],
            )
            if options["dry_run"] and result.problems:
                raise InputError(result.problems)
        except InputError as error:
            raise input_error_to_command_error(error) from None
        if result.other_municipalities or result.not_areas:
            self.stdout.write(
                f"{result.other_municipalities + result.not_areas} rader gäller andra kommuner"
                " eller inte DeSO/RegSO och lästes inte in / rows for other municipalities or"
                " not DeSO/RegSO were left out"
            )
        if options["dry_run"]:
            self.stdout.write(f"{len(result.rows)} rader utan fel / rows without errors")
        else:
            self.stdout.write(self.style.SUCCESS(str(result)))
