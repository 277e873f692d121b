"""Access cases for the web import of partner files (see tests/access.py).

The organisation is the group's lead ("sdf"): its coordinator may import, its
reader gets 403, and the reporter (of another organisation) and the outsider 404.
"""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import LOGIN_REDIRECT, Case
from tryggnav.incidents.importers.jobs import import_job_create
from tryggnav.incidents.models import ColumnMapping, ImportJob, Incident

CSV = (
    "Id;Datum;Kategori;Beskrivning\n"
    "W1;2024-03-05 14:30;Klotter;Tags på väggen\n"
    "W2;2024-03-06;Nedskräpning;Skräp vid entrén\n"
)
READ = {
    "anonymous": LOGIN_REDIRECT,
    "outsider": 404,
    "reader": 403,
    "reporter": 404,
    "coordinator": 200,
}
WRITE = {**READ, "coordinator": 302}


def preview_job(organisation, *, content: str = CSV, filename: str = "rapporter.csv", by=None):
    return import_job_create(
        organisation=organisation,
        by=by,
        filename=filename,
        content=ContentFile(content.encode()),
    )


def _assert(condition: bool) -> None:
    assert condition


IMPORT_CASES = [
    Case("incidents:import_list", READ, args=lambda w: [w.lead.slug]),
    Case("incidents:import_upload", READ, args=lambda w: [w.lead.slug]),
    Case(
        "incidents:import_upload",
        WRITE,
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {"file": SimpleUploadedFile("rapporter.csv", CSV.encode())},
        writes=True,
        check=lambda w, before: _assert(
            ImportJob.objects.filter(
                organisation=w.lead, state=ImportJob.State.PREVIEW, total=2
            ).exists()
        ),
        label="post",
    ),
    Case(
        "incidents:import_detail",
        READ,
        args=lambda w: [w.lead.slug, preview_job(w.lead).public_id],
    ),
    Case(
        "incidents:import_mapping",
        WRITE,
        args=lambda w: [w.lead.slug, preview_job(w.lead).public_id],
        method="post",
        data=lambda w: {"external_id": "Id", "occurred": "Datum", "category": "Kategori"},
        writes=True,
        check=lambda w, before: _assert(
            ColumnMapping.objects.filter(
                organisation=w.lead, name="standard", mapping__category="Kategori"
            ).exists()
        ),
    ),
    Case(
        "incidents:import_commit",
        WRITE,
        args=lambda w: [w.lead.slug, preview_job(w.lead).public_id],
        method="post",
        writes=True,
        check=lambda w, before: _assert(
            Incident.objects.filter(organisation=w.lead, source="file").count() == 2
            and ImportJob.objects.filter(organisation=w.lead, state="done").count() == 1
        ),
    ),
]
