"""`tryggnav remind_deficiencies`: remind owners of deficiencies due soon or overdue.
Run nightly by `tryggnav run_scheduled` (docs/inspections.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from tryggnav.inspections.reminders import reminders_send


class Command(BaseCommand):
    help = "Påminn ägare om brister. Remind owners of deficiencies due soon or overdue."

    def handle(self, *args, **options):
        sent = reminders_send(today=timezone.localdate())
        self.stdout.write(f"Påminnelser skickade / reminders sent: {sent}")
