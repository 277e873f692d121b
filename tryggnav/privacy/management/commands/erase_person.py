"""`tryggnav erase_person <e-mail, username or id>`: anonymise a person; their reports stay."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tryggnav.lib.commands import command_error
from tryggnav.lib.errors import InputError
from tryggnav.privacy import services


class Command(BaseCommand):
    help = "Radera en persons uppgifter (anonymisera). Erase (anonymise) a person's data."

    def add_arguments(self, parser):
        parser.add_argument(
            "user", help="e-postadress, användarnamn eller id / e-mail, username or id"
        )

    def handle(self, *args, **options):
        try:
            user = services.person_find(options["user"])
            result = services.person_erase(user=user, by=None)
        except InputError as error:
            raise command_error(error) from None
        self.stdout.write(
            f"{services.erased_label(result.user_id)}: "
            f"{result.audit_entries_redacted} loggposter rensade / audit entries redacted, "
            f"{result.reports_kept} rapporter kvar hos organisationen / reports kept, "
            f"{result.tokens_revoked} API-nycklar återkallade / tokens revoked"
        )
