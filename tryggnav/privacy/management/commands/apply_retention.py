"""`tryggnav apply_retention [--dry-run]`: apply every organisation's retention policy.

Meant for cron or a systemd timer (docs/deployment.md). Idempotent: free text
already anonymised and photos already deleted are not counted again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tryggnav.lib.commands import command_error
from tryggnav.lib.errors import InputError
from tryggnav.organisations import idempotency
from tryggnav.organisations.models import Organisation
from tryggnav.privacy import services


class Command(BaseCommand):
    help = "Gallra enligt organisationernas policyer. Apply the organisations' retention policies."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="räkna bara, ändra inget / only count, change nothing",
        )
        parser.add_argument(
            "--organisation", default="", help="bara denna organisation (kortnamn) / slug"
        )

    def handle(self, *args, **options):
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise command_error(
                    InputError.single(
                        f"Ingen organisation med kortnamnet {options['organisation']!r}.",
                        f"No organisation with the slug {options['organisation']!r}.",
                        field="--organisation",
                    )
                )
        results = services.retention_apply(dry_run=options["dry_run"], organisation=organisation)
        verb = "skulle gallras / would be" if options["dry_run"] else "gallrat / done"
        for result in results:
            self.stdout.write(
                f"{result.organisation.slug}: {result.texts} texter anonymiserade / texts "
                f"anonymised, {result.photos} foton raderade / photos deleted ({verb})"
            )
        if not results:
            self.stdout.write("Inga gallringspolicyer / no retention policies")
        keys = idempotency.prune(dry_run=options["dry_run"])
        self.stdout.write(
            f"{keys} engångsnycklar äldre än {idempotency.KEY_DAYS} dagar / one-time keys "
            f"older than {idempotency.KEY_DAYS} days ({verb})"
        )
