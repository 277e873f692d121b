"""`tryggnav citizen_followup`: tell citizen reporters whose case was fixed, and erase
the e-mail of cases closed CITIZEN_EMAIL_DAYS ago. Run nightly by `tryggnav run_scheduled`
(docs/inspections.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tryggnav.inspections.citizen import followup


class Command(BaseCommand):
    help = "Följ upp medborgarrapporter. Follow up citizens' reports (mail, erase e-mail)."

    def handle(self, *args, **options):
        mails, erased = followup()
        self.stdout.write(
            f"Meddelanden / mails: {mails}; raderade e-postadresser / erased: {erased}"
        )
