"""The web import of partner files: upload, mapping, preview, commit, background job, summary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.incidents.import_access_cases import CSV, preview_job
from tryggnav.audit.models import AuditEntry
from tryggnav.background.models import ImportRun
from tryggnav.background.progress import FileProgress, progress_read
from tryggnav.incidents.importers import jobs
from tryggnav.incidents.importers.runs import import_enqueue
from tryggnav.incidents.models import ColumnMapping, ImportJob, Incident

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _inline_and_private_media(settings, tmp_path):
    settings.TRYGGNAV_IMPORT_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRYGGNAV_PROGRESS_DIR = tmp_path / "progress"


def _upload(world, content: bytes, name: str = "rapporter.csv"):
    url = reverse("incidents:import_upload", args=[world.partner.slug])
    return world.client("reporter").post(url, {"file": SimpleUploadedFile(name, content)})


def _detail(world, job, **headers):
    url = reverse("incidents:import_detail", args=[world.partner.slug, job.public_id])
    return world.client("reporter").get(url, headers=headers)


def _commit(world, job, **data):
    url = reverse("incidents:import_commit", args=[world.partner.slug, job.public_id])
    return world.client("reporter").post(url, data)


def test_upload_then_preview_lists_rows_and_every_error_and_writes_nothing(world):
    response = _upload(world, (FIXTURES / "partner_bad_dates.csv").read_bytes())
    job = ImportJob.objects.get(organisation=world.partner)
    assert response.status_code == 302 and response.url.endswith(f"{job.public_id}/")
    assert job.state == ImportJob.State.PREVIEW and job.created_by == world.user("reporter")
    page = _detail(world, job).content.decode()
    assert "2024-03-05" in page and "Klotter" in page
    # Every row-level error with its row and field.
    for row, field, text in [
        (3, "Datum", "35/13/2024"),
        (4, "Datum", "igår"),
        (5, "Datum", "framtiden"),
        (6, "Kommun", "Gotham"),
        (7, "Kategori", "Okänd sak"),
    ]:
        assert f'<th scope="row">{row}</th><td>{field}</td><td>' in page
        assert text in page
    assert "5 fel" in page
    assert not Incident.objects.exists()
    assert not AuditEntry.objects.filter(action="import").exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("rapport.pdf", b"%PDF-1.4", "Filtypen .pdf stöds inte"),
        ("rapport.xls", b"\xd0\xcf\x11\xe0", "Gamla Excel-filer (.xls)"),
        ("rapport.csv", (FIXTURES / "partner_utf16.csv").read_bytes(), "UTF-16"),
        ("rapport.csv", b"", "Filen är tom"),
        ("rapport.csv", b"\n\n  \n", "Filen är tom"),
        ("rapport.xlsx", b"PK\x03\x04" + b"\x00" * 40, "Excel-filen är trasig"),
    ],
)
def test_bad_files_are_refused_with_a_message(world, name, content, message):
    response = _upload(world, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_too_large_file_is_refused(world, settings):
    settings.TRYGGNAV_MAX_IMPORT_BYTES = 50
    response = _upload(world, CSV.encode() * 3)
    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_mapping_step_saves_the_organisations_mapping(world):
    job = preview_job(world.partner, content="Nr;När;Vad\nQ1;2024-03-05;Klotter\n")
    page = _detail(world, job).content.decode()
    assert "Välj vilka kolumner i filen som innehåller: Datum (och tid), Kategori" in page
    assert "Raderna som de läses" not in page
    url = reverse("incidents:import_mapping", args=[world.partner.slug, job.public_id])
    refused = world.client("reporter").post(url, {"occurred": "När", "category": "När"})
    assert refused.status_code == 400 and "redan vald" in refused.content.decode()
    response = world.client("reporter").post(
        url, {"external_id": "Nr", "occurred": "När", "category": "Vad"}
    )
    assert response.status_code == 302
    saved = ColumnMapping.objects.get(organisation=world.partner, name="standard")
    assert saved.mapping == {"external_id": "Nr", "occurred": "När", "category": "Vad"}
    assert AuditEntry.objects.filter(object_type="incidents.columnmapping").count() == 1
    page = _detail(world, job).content.decode()
    assert "Raderna som de läses" in page and "Inga fel hittades" in page
    _commit(world, job)
    assert Incident.objects.get(organisation=world.partner).external_id == "Q1"


def test_preview_of_a_large_file_is_capped(world, settings):
    settings.TRYGGNAV_IMPORT_PREVIEW_ROWS = 2
    content = "Id;Datum;Kategori\n" + "".join(f"R{i};2024-03-05;Klotter\n" for i in range(5))
    page = _detail(world, preview_job(world.partner, content=content)).content.decode()
    assert "de första 2 av cirka 5 raderna" in page


def test_commit_is_all_or_nothing_and_the_job_shows_why(world):
    job = preview_job(
        world.partner,
        content=(FIXTURES / "partner_bad_dates.csv").read_text(),
        by=world.user("reporter"),
    )
    response = _commit(world, job)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert not Incident.objects.exists()
    assert not job.file  # not kept: it may hold personal data
    page = _detail(world, job).content.decode()
    assert "Importen misslyckades; ingenting sparades." in page
    assert "rad/row 3, fält/field &#x27;Datum&#x27;" in page and "35/13/2024" in page
    assert AuditEntry.objects.filter(action="import", object_id=str(job.public_id)).count() == 1


def test_commit_skipping_invalid_rows_lists_them_with_reasons(world):
    job = preview_job(world.partner, content=(FIXTURES / "partner_bad_dates.csv").read_text())
    _commit(world, job, skip_invalid="on")
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert (job.summary["created"], job.summary["rejected"]) == (1, 5)
    assert Incident.objects.filter(organisation=world.partner, external_id="E1").exists()
    page = _detail(world, job).content.decode()
    assert "Importen är klar." in page and "Avvisade rader och skälen" in page
    assert "Gotham" in page and "Okänd sak" in page
    assert AuditEntry.objects.filter(action="import", object_id=str(job.public_id)).count() == 1
    # Committing twice does not import twice.
    _commit(world, job, skip_invalid="on")
    assert Incident.objects.filter(organisation=world.partner).count() == 1
    listing = world.client("reporter").get(
        reverse("incidents:import_list", args=[world.partner.slug])
    )
    assert job.filename in listing.content.decode()


def test_large_file_runs_in_the_background_with_progress(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TRYGGNAV_IMPORT_INLINE = False
    settings.TRYGGNAV_IMPORT_BACKGROUND_BYTES = 10
    enqueued = []
    monkeypatch.setattr(jobs, "import_enqueue", enqueued.append)
    job = preview_job(world.partner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _commit(world, job)
        assert enqueued == []  # not before the queued state is committed
    assert len(callbacks) == 1 and enqueued == [job.pk]
    job.refresh_from_db()
    assert job.state == ImportJob.State.QUEUED and not Incident.objects.exists()
    # The worker, another process, reports progress through a file the page reads.
    FileProgress(job)(1, 2)
    part = _detail(world, job, **{"HX-Request": "true"}).content.decode()
    assert part.startswith('<section id="import-status"')
    assert 'hx-trigger="every 1s"' in part
    assert '<progress id="import-progress" max="2" value="1">' in part and "50 %" in part
    import_enqueue(job.pk)  # what the committed request enqueues; the immediate backend runs it
    part = _detail(world, job, **{"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in part and "Importen är klar." in part
    assert Incident.objects.filter(organisation=world.partner).count() == 2
    assert progress_read(job) is None  # the progress file is gone with the run
    run = ImportRun.objects.get(job=job)
    assert run.task_id and run.pid == os.getpid() and run.started is not None


def test_unexpected_failure_is_reported_and_nothing_written(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "partner_import", broken)
    job = preview_job(world.partner)
    _commit(world, job)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "Ett oväntat fel inträffade" in _detail(world, job).content.decode()


def test_jobs_of_other_organisations_do_not_exist(world):
    job = preview_job(world.lead)
    assert _detail(world, job).status_code == 404
    assert _commit(world, job).status_code == 404
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEW


def test_brottsplatskartan_needs_no_mapping(world):
    bpk = Path("/work/shared/data/brottsplatskartan-sample/brottsplatskartan_events_2020-02.json")
    job = preview_job(world.partner, content=bpk.read_text(), filename="bpk.json")
    page = _detail(world, job).content.decode()
    assert job.kind == "brottsplatskartan"
    assert "Spara kolumnerna" not in page and "Raderna som de läses" in page
