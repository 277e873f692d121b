"""Make the notifications that are due and mail them (run by ``tryggnav run_scheduled``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tryggnav.notifications.services import notifications_run


class Command(BaseCommand):
    help = "Make due notifications (once each) and e-mail them, at once or as a daily digest."

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = notifications_run()
        self.stdout.write(
            f"created {outcome['created']}, mailed {outcome['mailed']}, "
            f"digests {outcome['digests']}"
        )
