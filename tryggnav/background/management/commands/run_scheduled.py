"""`tryggnav run_scheduled`: enqueue the scheduled jobs that are due (run it every minute).

Safe to run as often as wanted, from cron or a systemd timer: a job is enqueued once
per period, and only when its previous run has finished. It also marks imports whose
worker died as failed. The worker (`tryggnav db_worker`) runs what is enqueued.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tryggnav.background.recovery import recover_all
from tryggnav.background.schedule import scheduled_enqueue_due

LABELS = {
    "enqueued": "köad / enqueued",
    "pending": "förra körningen pågår / previous run not finished",
    "not due": "inte dags / not due",
}


class Command(BaseCommand):
    help = "Köa schemalagda jobb som är dags. / Enqueue the scheduled jobs that are due."

    def handle(self, *args, **options):
        for line in recover_all():
            self.stdout.write(line)
        for name, outcome in scheduled_enqueue_due().items():
            self.stdout.write(f"{name}: {LABELS[outcome]}")
