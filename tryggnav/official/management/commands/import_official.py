"""`tryggnav import_official FILE --source bra|kolada|ida [--municipality CODE]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tryggnav.areas.models import Municipality
from tryggnav.lib.commands import input_error_to_command_error
from tryggnav.lib.errors import InputError
from tryggnav.official.models import OfficialImport
from tryggnav.official.services import official_import


class Command(BaseCommand):
    help = (
        "Importera officiell statistik (Brå, Kolada, MSB IDA; se docs/data-formats.md);"
        " allt eller inget. / Import official statistics; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, choices=OfficialImport.Source.values)
        parser.add_argument(
            "--municipality",
            default="",
            help="bara denna kommun (kod) / only this municipality (code)",
        )

    def handle(self, *args, **options):
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(code=options["municipality"]).first()
            if municipality is None:
                raise CommandError(
                    f"Okänd kommun {options['municipality']!r} / unknown municipality",
                    returncode=2,
                )
        try:
            result = official_import(
                source=options["source"], path=options["file"], by=None, municipality=municipality
            )
        except InputError as error:
            raise input_error_to_command_error(error) from error
        self.stdout.write(self.style.SUCCESS(str(result)))
