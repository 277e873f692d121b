"""Scheduled work, enqueued by ``tryggnav run_scheduled`` (run it every minute from cron).

Each job is a management command run as a task by the worker. A job is enqueued when
it is due and its previous run has finished; the time it was enqueued, and its
outcome, are kept in ``ScheduledRun``, so running the command twice in a minute (or
from two hosts) enqueues nothing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tryggnav.background.models import ScheduledRun

# Cron starts the command at whole minutes, a few seconds late or early.
SLACK = datetime.timedelta(seconds=59)
# A run not finished after this long is taken as lost (its worker died), not as running.
STUCK = datetime.timedelta(hours=6)


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    args: tuple[str, ...] = ()
    every: datetime.timedelta | None = None  # or:
    nightly_hour: int | None = None  # once a day, from this local hour

    def due(self, last: datetime.datetime | None, now: datetime.datetime) -> bool:
        if self.every is not None:
            return last is None or now - last >= self.every - SLACK
        local = timezone.localtime(now)
        if self.nightly_hour is None or local.hour < self.nightly_hour:
            return False
        return last is None or timezone.localtime(last).date() < local.date()


JobProvider = Callable[[], "Job | None"]
_PROVIDERS: list[JobProvider] = []


def register(provider: JobProvider) -> None:
    """Add an app's job (from its ``AppConfig.ready()``): ``provider`` returns the
    job as the settings ask for it, or None when they turn it off."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def scheduled_jobs() -> list[Job]:
    """The jobs the settings ask for, then the ones the apps registered."""
    jobs = []
    night = settings.TRYGGNAV_NIGHTLY_HOUR
    jobs.append(Job("rollup_check", "rebuild_rollup", ("--check",), nightly_hour=night))
    jobs.append(Job("retention", "apply_retention", nightly_hour=night))
    jobs.append(Job("deficiency_reminders", "remind_deficiencies", nightly_hour=night))
    jobs.extend(job for job in (provider() for provider in _PROVIDERS) if job is not None)
    return jobs


def _pending(row: ScheduledRun, now: datetime.datetime) -> bool:
    """Whether the previous run was enqueued and has not finished (nor got lost)."""
    if row.enqueued is None or now - row.enqueued >= STUCK:
        return False
    return row.finished is None or row.finished < row.enqueued


def scheduled_enqueue_due(now: datetime.datetime | None = None) -> dict[str, str]:
    """Enqueue every due job; for each job, "enqueued", "pending" or "not due"."""
    # tasks.py imports this module (the task records its finish here).
    from tryggnav.background.tasks import run_command

    now = now or timezone.now()
    outcome = {}
    for job in scheduled_jobs():
        with transaction.atomic():
            row, _ = ScheduledRun.objects.select_for_update().get_or_create(name=job.name)
            if _pending(row, now):
                outcome[job.name] = "pending"
                continue
            if not job.due(row.enqueued, now):
                outcome[job.name] = "not due"
                continue
            row.enqueued = now
            row.save(update_fields=["enqueued"])
            # In the same transaction: the database backend stores the task with the row.
            result = run_command.enqueue(job.name, job.command, list(job.args))
            ScheduledRun.objects.filter(pk=row.pk).update(task_id=str(result.id))
            outcome[job.name] = "enqueued"
    return outcome


def scheduled_finish(name: str, *, succeeded: bool, output: str) -> None:
    """Record a scheduled job's outcome (called by the task when the command ends)."""
    ScheduledRun.objects.filter(name=name).update(
        finished=timezone.now(), succeeded=succeeded, output=output[-4000:]
    )
