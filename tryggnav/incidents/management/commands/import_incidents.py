"""`tryggnav import_incidents FILE --org SLUG`: import a partner's CSV/XLSX or Brottsplatskartan file."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tryggnav.incidents.importers.partner import partner_import
from tryggnav.incidents.management.commands.import_police import progress_printer
from tryggnav.lib.commands import input_error_to_command_error
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import CollaborationGroup, Organisation


class Command(BaseCommand):
    help = (
        "Importera en partners händelser (CSV, XLSX eller Brottsplatskartans JSON)."
        " / Import a partner's incidents (CSV, XLSX or Brottsplatskartan JSON)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="organisationens kortnamn / slug")
        parser.add_argument("--group", help="samverkansgrupp att dela med / group slug")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="hoppa över rader med fel i stället för att avbryta / skip rows with errors",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="kontrollera bara / validate only"
        )
        parser.add_argument("--quiet", action="store_true", help="ingen förloppsvisning")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(
                f"Okänd organisation {options['org']!r} / unknown organisation", returncode=2
            )
        group = None
        if options["group"]:
            group = CollaborationGroup.objects.filter(
                slug=options["group"], organisations=organisation
            ).first()
            if group is None:
                raise CommandError(
                    f"Organisationen är inte med i gruppen {options['group']!r}"
                    " / the organisation is not in that group",
                    returncode=2,
                )
        progress = None
        if not options["quiet"] and options["verbosity"] > 0:
            progress = progress_printer(sys.stderr, "Import")
        try:
            result = partner_import(
                path=options["file"],
                organisation=organisation,
                group=group,
                commit=not options["dry_run"],
                skip_invalid=options["skip_invalid"],
                progress=progress,
            )
        except InputError as error:
            raise input_error_to_command_error(error) from error
        if progress:
            sys.stderr.write("\n")
        for reason in result.summary.reasons[:50]:
            self.stderr.write(reason)
        if options["dry_run"]:
            if result.problems:
                raise input_error_to_command_error(InputError(result.problems))
            self.stdout.write(f"Inga fel / no errors: {result.summary.total} rader / rows")
            return
        self.stdout.write(self.style.SUCCESS(f"{result.kind}: {result.summary}"))
