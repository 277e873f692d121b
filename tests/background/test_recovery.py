"""Imports whose worker is gone are marked failed, and a failed task shows on the job's page."""

from __future__ import annotations

import datetime
import io
import subprocess

import pytest
from django.core.management import call_command
from django.tasks import task_backends
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.incidents.import_access_cases import preview_job
from tryggnav.audit.models import AuditEntry
from tryggnav.background import process
from tryggnav.background.models import ImportRun
from tryggnav.incidents.importers import jobs
from tryggnav.incidents.importers import runs as imports
from tryggnav.incidents.importers.runs import INTERRUPTED, import_jobs_recover, import_task_run
from tryggnav.incidents.models import ImportJob, Incident
from tryggnav.incidents.tasks import run_import


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRYGGNAV_PROGRESS_DIR = tmp_path / "progress"


def _running(world, **runner) -> ImportJob:
    job = preview_job(world.partner, by=world.user("reporter"))
    job.state = ImportJob.State.RUNNING
    job.save()
    ImportRun.objects.create(job=job, started=timezone.now(), **runner)
    return job


def _status_page(world, job) -> str:
    url = reverse("incidents:import_detail", args=[world.partner.slug, job.public_id])
    return world.client("reporter").get(url).content.decode()


def test_an_import_whose_worker_died_is_marked_failed_on_the_next_start(world):
    child = subprocess.Popen(["true"])  # noqa: S607
    child.wait()  # gone, and reaped
    job = _running(world, **{**process.identity(), "pid": child.pid, "process_started": "1"})
    out = io.StringIO()
    call_command("run_scheduled", stdout=out)
    assert "interrupted, marked failed" in out.getvalue()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.errors[0]["sv"] == INTERRUPTED.sv
    assert not job.file  # the partner's file is not kept
    assert AuditEntry.objects.filter(action="import", object_id=str(job.public_id)).exists()
    page = _status_page(world, job)
    assert "Importen misslyckades; ingenting sparades." in page
    assert "Importen avbröts när bakgrundsprocessen stoppades" in page
    assert import_jobs_recover() == []  # once


def test_an_import_whose_worker_runs_is_left_alone(world):
    job = _running(world, **process.identity())  # this process: alive
    reused = _running(world, **{**process.identity(), "process_started": "0"})  # pid reused
    assert import_jobs_recover() == [reused]
    job.refresh_from_db()
    assert job.state == ImportJob.State.RUNNING


def test_an_import_on_another_host_fails_only_after_the_lease(world, settings):
    settings.TRYGGNAV_IMPORT_LEASE_SECONDS = 3600
    job = _running(world, host="another-host", pid=1, process_started="1")
    assert import_jobs_recover() == []
    later = timezone.now() + datetime.timedelta(seconds=3601)
    assert import_jobs_recover(now=later) == [job]


def test_a_worker_told_to_stop_mid_import_marks_the_job_failed_and_writes_nothing(
    world, monkeypatch
):
    real_import = jobs.partner_import

    def interrupted(**kwargs):
        real_import(**kwargs, commit=False)
        raise KeyboardInterrupt  # a second Ctrl-C: db_worker exits at once

    monkeypatch.setattr(jobs, "partner_import", interrupted)
    job = preview_job(world.partner, by=world.user("reporter"))
    job.state = ImportJob.State.QUEUED
    job.save()
    with pytest.raises(KeyboardInterrupt):
        import_task_run(job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.errors[0]["en"] == INTERRUPTED.en
    assert not Incident.objects.exists()


def test_a_failed_task_shows_its_error_on_the_import_page(world, monkeypatch):
    database = task_backends["database"]
    monkeypatch.setattr(imports, "default_task_backend", database)
    job = preview_job(world.partner, by=world.user("reporter"))
    job.state = ImportJob.State.QUEUED
    job.save()
    result = run_import.using(backend="database").enqueue(job.pk)
    ImportRun.objects.create(job=job, task_id=str(result.id))
    page = _status_page(world, job)
    assert 'hx-trigger="every 1s"' in page and "Bakgrundsjobbet misslyckades" not in page
    try:
        raise MemoryError("the worker ran out of memory")
    except MemoryError as error:
        DBTaskResult.objects.get(id=result.id).set_failed(error)
    page = _status_page(world, job)
    assert "Bakgrundsjobbet misslyckades; ingenting sparades." in page
    assert "MemoryError: the worker ran out of memory" in page
    assert "hx-trigger" not in page  # no more polling
    # The next worker start (or run_scheduled) records it on the job for good.
    assert import_jobs_recover() == [job]
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "MemoryError: the worker ran out of memory" in job.errors[0]["en"]
    assert "MemoryError: the worker ran out of memory" in _status_page(world, job)
