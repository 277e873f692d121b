"""The incidents' background tasks (run by ``tryggnav db_worker``); arguments are ids."""

from __future__ import annotations

from django.tasks import task


@task
def run_import(job_id: int) -> str:
    """Import a queued partner file (all or nothing); the job's final state."""
    # runs.py imports this module to enqueue the task.
    from tryggnav.incidents.importers.runs import import_task_run

    return import_task_run(job_id)
