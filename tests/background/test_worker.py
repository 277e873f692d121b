"""The real worker process (`tryggnav db_worker`) against a database file it shares with the test.

On SQLite the test database lives in memory; it is copied to a file for the worker
and copied back to be checked. On PostgreSQL (DATABASE_URL) the worker uses the test
database itself. The worker runs with ``--batch``: it takes what is queued and exits. One test, since
each start of a worker and each flush of the database take seconds.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.conftest import load_reference_data
from tests.incidents.import_access_cases import preview_job
from tryggnav.audit.models import AuditEntry
from tryggnav.background.models import ImportRun
from tryggnav.incidents import tasks
from tryggnav.incidents.importers.jobs import import_job_start
from tryggnav.incidents.importers.runs import INTERRUPTED
from tryggnav.incidents.models import ImportJob, Incident

PROJECT = Path(__file__).resolve().parents[2]
WAIT_S = 60


@pytest.fixture
def worker_env(django_db_blocker, tmp_path, settings, monkeypatch):
    """Settings and environment shared with the worker; the reference data put back after.

    Ask for it before ``transactional_db``, so that it is torn down after the flush.
    """
    settings.TRYGGNAV_IMPORT_INLINE = False
    settings.TRYGGNAV_IMPORT_BACKGROUND_BYTES = 10
    settings.MEDIA_ROOT = tmp_path / "test-media"
    settings.TRYGGNAV_PROGRESS_DIR = tmp_path / "test-progress"
    # The flows enqueue on the database backend, which the worker reads.
    monkeypatch.setattr(tasks, "run_import", tasks.run_import.using(backend="database"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TRYGGNAV_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(PROJECT),
    }
    yield env
    with django_db_blocker.unblock():
        load_reference_data()


class SharedDatabase:
    """The test database as the worker process sees it."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.file = tmp_path / "worker.sqlite3"
        self.env = env
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            env["DATABASE_URL"] = f"sqlite:///{self.file}"
        else:
            db = connection.settings_dict
            auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
            env["DATABASE_URL"] = f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"

    def export(self) -> None:
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)

    def reload(self) -> None:
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as source:
                source.backup(connection.connection)

    def worker(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "tryggnav", "db_worker", "--backend", "database", "--batch"]
            + ["--no-reload", "--no-startup-delay", "--interval", "0", "-v", "0"],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


def _rows(count: int, prefix: str) -> str:
    lines = ["Id;Datum;Kategori;Beskrivning"]
    lines += [f"{prefix}{i};2024-03-05 14:30;Klotter;Tags på väggen {i}" for i in range(count)]
    return "\n".join(lines) + "\n"


def _queue(world, rows: int, prefix: str) -> ImportJob:
    job = preview_job(world.partner, content=_rows(rows, prefix), filename=f"{prefix}.csv")
    import_job_start(job=job, skip_invalid=False, by=world.user("reporter"))
    job.refresh_from_db()
    assert job.state == ImportJob.State.QUEUED  # not run here: it waits for the worker
    return job


def _wait_for_progress(path: Path, worker: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_S
    while not path.exists():
        assert worker.poll() is None, worker.communicate()[0]
        assert time.monotonic() < deadline, "the import never reported progress"
        time.sleep(0.005)


def test_the_worker_runs_imports_and_one_killed_mid_import_leaves_nothing_and_fails(
    worker_env, transactional_db, world, tmp_path
):
    shared = SharedDatabase(tmp_path, worker_env)
    small = _queue(world, rows=50, prefix="S")
    large = _queue(world, rows=20_000, prefix="L")
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2
    shared.export()
    worker = shared.worker()
    # The first progress report of the large file comes after its first 2,000 rows
    # are written, in the import's transaction: kill the worker there.
    _wait_for_progress(tmp_path / "test-progress" / f"{large.public_id.hex}.json", worker)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=WAIT_S)
    shared.reload()
    small.refresh_from_db()
    large.refresh_from_db()
    # The small file, run first, is imported by the worker process, not here.
    assert small.state == ImportJob.State.DONE and small.summary["created"] == 50
    run = ImportRun.objects.get(job=small)
    assert run.pid and run.pid != os.getpid()
    task = DBTaskResult.objects.get(id=run.task_id)
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == "done"
    # The large one is "running" as the killed worker left it, with nothing written.
    assert large.state == ImportJob.State.RUNNING
    assert not Incident.objects.filter(external_id__startswith="L").exists()
    assert Incident.objects.filter(organisation=world.partner).count() == 50
    # A new worker, on start, sees the large job's worker is gone.
    shared.export()
    restarted = shared.worker()
    output, _ = restarted.communicate(timeout=WAIT_S)
    assert restarted.returncode == 0, output
    assert f"Import L.csv ({large.public_id}): avbruten" in output
    shared.reload()
    large.refresh_from_db()
    assert large.state == ImportJob.State.FAILED
    assert large.errors[0]["sv"] == INTERRUPTED.sv
    assert Incident.objects.filter(organisation=world.partner).count() == 50
    task = DBTaskResult.objects.get(id=ImportRun.objects.get(job=large).task_id)
    assert task.status == TaskResultStatus.FAILED
    assert AuditEntry.objects.filter(action="import", object_id=str(large.public_id)).count() == 1
