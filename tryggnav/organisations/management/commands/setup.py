"""`tryggnav setup --municipality 0126 --admin name@kommun.se`: a municipality's first hour."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tryggnav.lib.errors import InputError
from tryggnav.organisations.setup import municipality_setup


class Command(BaseCommand):
    help = (
        "Skapar kommunens organisation och bjuder in dess första administratör "
        "(idempotent). / Creates the municipality's organisation and invites its first "
        "admin (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="SCB-kod, t.ex. 0126")
        parser.add_argument("--admin", required=True, help="e-postadress / e-mail address")

    def handle(self, *args, **options):
        try:
            result = municipality_setup(
                municipality_code=options["municipality"], admin_email=options["admin"]
            )
        except InputError as error:
            raise CommandError(str(error), returncode=2) from None
        organisation = result.organisation
        self.stdout.write(
            f"{organisation.name}: "
            + ("skapad / created" if result.organisation_created else "fanns redan / exists")
        )
        if result.invitation is None:
            self.stdout.write(f"{options['admin']} är redan administratör / is already an admin.")
            return
        state = "ny / new" if result.invitation_created else "gäller fortfarande / still valid"
        self.stdout.write(f"Inbjudan ({state}) / invitation: {result.link}")
        if result.mailed:
            self.stdout.write(f"Skickad med e-post till / mailed to {result.invitation.email}")
