"""`tryggnav db_worker`: django-tasks-db's worker, which first fails imports whose worker died.

An import interrupted by a restart wrote nothing (one transaction); its job is still
"running". Before taking new tasks, this marks such jobs failed (see
``tryggnav.background.recovery``, where the incidents register it), so the page that started them says what happened.
"""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from tryggnav.background.recovery import recover_all


class Command(db_worker.Command):
    def handle(self, *args, **options):
        for line in recover_all():
            self.stderr.write(line)
        return super().handle(*args, **options)
