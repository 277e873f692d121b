"""`tryggnav import_survey FILE --org SLUG`: import survey results from CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tryggnav.lib.commands import input_error_to_command_error
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import Organisation
from tryggnav.surveys.services import survey_results_import


class Command(BaseCommand):
    help = (
        "Importera undersökningsresultat (CSV eller XLSX, se docs/data-formats.md) för en "
        "organisation; allt eller inget. / Import survey results (CSV or XLSX) for an "
        "organisation; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="organisationens kortnamn / slug")
        parser.add_argument(
            "--internal",
            action="store_true",
            help="nya undersökningar blir interna / new surveys are internal",
        )

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(
                f"Okänd organisation {options['org']!r} / unknown organisation", returncode=2
            )
        try:
            summary = survey_results_import(
                path=options["file"],
                organisation=organisation,
                by=None,
                is_internal=options["internal"],
            )
        except InputError as error:
            raise input_error_to_command_error(error) from error
        self.stdout.write(self.style.SUCCESS(str(summary)))
