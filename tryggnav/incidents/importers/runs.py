"""Imports as background tasks: enqueueing, recording the runner, and finding those whose
worker died (registered with ``tryggnav.background.recovery`` in the app's ready()).

A worker killed mid-import (a restart, SIGKILL, a power cut) has written nothing: the
import is one transaction, rolled back by the database when the connection goes. What
remains is the job in state "running"; ``import_jobs_recover`` (run when a worker
starts and by ``run_scheduled``) marks such a job failed, with a message saying why,
once its process is gone: on the same host at once (process id and start time),
from another host after TRYGGNAV_IMPORT_LEASE_SECONDS.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.tasks import TaskResultStatus, default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from tryggnav.background import process
from tryggnav.background.models import ImportRun
from tryggnav.incidents.models import ImportJob
from tryggnav.lib.errors import Problem

logger = logging.getLogger(__name__)

INTERRUPTED = Problem(
    "Importen avbröts när bakgrundsprocessen stoppades; inget importerades."
    " Starta importen igen genom att ladda upp filen på nytt.",
    "The import was interrupted when the background worker stopped; nothing was"
    " imported. Upload the file again to import it.",
)


def import_enqueue(job_id: int) -> None:
    """Enqueue a queued job's import as a task and remember the task's id."""
    from tryggnav.incidents.tasks import run_import

    result = run_import.enqueue(job_id)
    ImportRun.objects.update_or_create(job_id=job_id, defaults={"task_id": str(result.id)})


def import_run_begin(job_id: int) -> None:
    """Record this process as the job's runner (before the import's transaction opens)."""
    ImportRun.objects.update_or_create(
        job_id=job_id, defaults={**process.identity(), "started": timezone.now()}
    )


def import_task_run(job_id: int) -> str:
    """The task's body: run the import; an interrupted run is marked failed at once."""
    from tryggnav.incidents.importers.jobs import import_job_fail, import_job_run

    try:
        return str(import_job_run(job_id=job_id).state)
    except BaseException:
        # SystemExit or KeyboardInterrupt from a worker told to stop now: the import's
        # transaction has been rolled back; say so on the job.
        job = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.RUNNING).first()
        if job is not None:
            import_job_fail(job, [INTERRUPTED])
        raise


def task_error(job: ImportJob) -> str:
    """The error of the job's task if the task failed while the job did not finish, or ""."""
    run = ImportRun.objects.filter(job=job).exclude(task_id="").first()
    if run is None or not default_task_backend.supports_get_result:
        return ""
    try:
        result = default_task_backend.get_result(run.task_id)
    except TaskResultDoesNotExist:
        return ""
    if result.status != TaskResultStatus.FAILED or not result.errors:
        return ""
    lines = result.errors[-1].traceback.strip().splitlines()
    return (lines[-1] if lines else result.errors[-1].exception_class_path)[:300]


def _runner_gone(job: ImportJob, run: ImportRun | None, now: datetime.datetime) -> bool:
    lease = datetime.timedelta(seconds=settings.TRYGGNAV_IMPORT_LEASE_SECONDS)
    if run is None or run.started is None:
        return job.created < now - lease  # run before runners were recorded
    running = process.alive(run.host, run.pid, run.process_started)
    if running is None:
        return run.started < now - lease  # another host: wait for the lease
    return not running


def _fail_task(run: ImportRun | None) -> None:
    """Mark the dead worker's task result failed too, so the task list agrees."""
    if run is None or not run.task_id:
        return
    # The task backend's model: importable only once the app registry is ready.
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.filter(id=run.task_id, status=TaskResultStatus.RUNNING):
        result.set_failed(RuntimeError("The worker stopped while the task ran."))


def import_jobs_recover(now: datetime.datetime | None = None) -> list[ImportJob]:
    """Mark imports that will never finish as failed; the jobs so marked.

    Running ones whose worker is gone, and queued ones whose task failed before the
    import began (the page shows that error meanwhile, ``task_error``).
    """
    return _fail_orphaned_running(now or timezone.now()) + _fail_queued_with_failed_task()


def _fail_orphaned_running(now: datetime.datetime) -> list[ImportJob]:
    # jobs imports this module at its top: a top-level import would be a cycle.
    from tryggnav.incidents.importers.jobs import import_job_fail

    failed = []
    for job in ImportJob.objects.filter(state=ImportJob.State.RUNNING).select_related(
        "organisation", "created_by"
    ):
        run = ImportRun.objects.filter(job=job).first()
        if not _runner_gone(job, run, now):
            continue
        still_running = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING)
        if not still_running.exists():
            continue  # finished meanwhile
        logger.warning("Import job %s: its worker is gone; marked failed", job.public_id)
        import_job_fail(job, [INTERRUPTED])
        _fail_task(run)
        failed.append(job)
    return failed


def _fail_queued_with_failed_task() -> list[ImportJob]:
    # jobs imports this module at its top: a top-level import would be a cycle.
    from tryggnav.incidents.importers.jobs import import_job_fail

    failed = []
    for job in ImportJob.objects.filter(state=ImportJob.State.QUEUED).select_related(
        "organisation", "created_by"
    ):
        error = task_error(job)
        if error:
            problem = Problem(
                f"Bakgrundsjobbet misslyckades ({error}); inget importerades.",
                f"The background task failed ({error}); nothing was imported.",
            )
            import_job_fail(job, [problem])
            failed.append(job)
    return failed


def recovered_lines() -> list[str]:
    """The start-up recovery of ``tryggnav.background.recovery``: one line per import
    marked failed."""
    return [
        f"Import {job.filename} ({job.public_id}): avbruten, markerad som misslyckad"
        " / interrupted, marked failed"
        for job in import_jobs_recover()
    ]
