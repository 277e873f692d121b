"""`tryggnav db_worker`: django-tasks-db's worker, which first fails imports whose worker died.

An import interrupted by a restart wrote nothing (one transaction); its job is still
"running". Before taking new tasks, this marks such jobs failed (see
``tryggnav.background.imports``), so the page that started them says what happened.
"""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from tryggnav.background.imports import import_jobs_recover


class Command(db_worker.Command):
    def handle(self, *args, **options):
        for job in import_jobs_recover():
            self.stderr.write(
                f"Import {job.filename} ({job.public_id}): avbruten, markerad som misslyckad"
                " / interrupted, marked failed"
            )
        return super().handle(*args, **options)
