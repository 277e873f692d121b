"""The tasks the worker runs (``tryggnav db_worker``); arguments are plain ids and names."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.tasks import task


@task
def run_import(job_id: int) -> str:
    """Import a queued partner file (all or nothing); the job's final state."""
    from tryggnav.background.imports import import_task_run

    return import_task_run(job_id)


@task
def run_command(job: str, name: str, args: list[str]) -> str:
    """Run scheduled job ``job``: management command ``name``; keep what it printed."""
    from tryggnav.background.schedule import scheduled_finish

    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=out)
    except BaseException as error:
        scheduled_finish(job, succeeded=False, output=f"{out.getvalue()}{error}")
        raise
    scheduled_finish(job, succeeded=True, output=out.getvalue())
    return out.getvalue()[-2000:]
