"""`tryggnav remind_checks`: remind units of scheduled checks due soon or overdue.
Run nightly by `tryggnav run_scheduled` (docs/inspections.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from tryggnav.inspections.checks_reminders import reminders_send


class Command(BaseCommand):
    help = "Påminn enheter om kontroller. Remind units of checks due soon or overdue."

    def handle(self, *args, **options):
        sent = reminders_send(today=timezone.localdate())
        self.stdout.write(f"Påminnelser skickade / reminders sent: {sent}")
