"""`tryggnav export_person <e-mail, username or id>`: what Tryggnav holds about a person, as JSON."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from tryggnav.lib.commands import command_error
from tryggnav.lib.errors import InputError
from tryggnav.privacy import services


class Command(BaseCommand):
    help = "Exportera en persons uppgifter som JSON. Export a person's data as JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "user", help="e-postadress, användarnamn eller id / e-mail, username or id"
        )

    def handle(self, *args, **options):
        try:
            user = services.person_find(options["user"])
        except InputError as error:
            raise command_error(error) from None
        data = services.person_export(user=user, by=None)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
