"""The scheduler's task (``tryggnav db_worker`` runs it); the apps define their own tasks."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.tasks import task


@task
def run_command(job: str, name: str, args: list[str]) -> str:
    """Run scheduled job ``job``: management command ``name``; keep what it printed."""
    # schedule.py imports this module to enqueue the task.
    from tryggnav.background.schedule import scheduled_finish

    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=out)
    except BaseException as error:
        scheduled_finish(job, succeeded=False, output=f"{out.getvalue()}{error}")
        raise
    scheduled_finish(job, succeeded=True, output=out.getvalue())
    return out.getvalue()[-2000:]
