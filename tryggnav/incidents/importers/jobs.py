"""Running a partner import as a job: in the request for small files, as a task for large.

The web upload stores the file on an ``ImportJob`` (state ``preview``); committing
queues it, and ``import_job_run`` imports it, all or nothing, recording the outcome
on the job. A large file's import is a Django task (``tryggnav.incidents.tasks``),
kept in the database until ``tryggnav db_worker`` runs it, so a restart loses nothing;
a worker that dies mid-import leaves nothing written, and the job is marked failed
when the next worker starts (``tryggnav.incidents.importers.runs``). A failed job (bad rows without "skip invalid", or a file-level error)
keeps the InputError's problems in ``job.errors`` and writes nothing else. Every
committed job gets one audit entry: the importer writes it on success, this module
on failure.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.background.progress import FileProgress, progress_clear
from tryggnav.incidents.importers.common import PROGRESS, Progress
from tryggnav.incidents.importers.partner import open_table, partner_import
from tryggnav.incidents.importers.runs import import_enqueue, import_run_begin
from tryggnav.incidents.models import ColumnMapping, ImportJob
from tryggnav.lib.errors import InputError, Problem

logger = logging.getLogger(__name__)

# Files above this size run as a background task unless TRYGGNAV_IMPORT_INLINE is set.
BACKGROUND_BYTES = 512 * 1024
MAX_ERRORS = 200


def import_job_create(*, organisation: Any, by: Any, filename: str, content: File) -> ImportJob:
    """Keep an uploaded file on a new job in state ``preview``, once it can be read.

    Raises InputError (and keeps nothing) for a file of the wrong encoding, an empty
    one, or an unreadable spreadsheet.
    """
    filename = Path(filename).name[:255] or "fil"
    job = ImportJob(
        organisation=organisation,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        kind="partner",
        filename=filename,
        state=ImportJob.State.PREVIEW,
    )
    # Stored under a random name: the partner's file name may say too much.
    job.file.save(f"{job.public_id.hex}{Path(filename).suffix.lower()}", content, save=False)
    try:
        table = open_table(Path(job.file.path), filename=filename)
    except InputError:
        job.file.delete(save=False)
        raise
    job.kind = table.kind
    job.total = table.total
    job.summary = {"headers": table.headers, "fixed": table.fixed}
    job.save()
    return job


def runs_inline(job: ImportJob) -> bool:
    """Whether the job runs within the request: always in tests, else for small files."""
    if getattr(settings, "TRYGGNAV_IMPORT_INLINE", False):
        return True
    try:
        size = job.file.size
    except (OSError, ValueError):
        return True  # a missing file fails at once, with a message
    threshold = int(getattr(settings, "TRYGGNAV_IMPORT_BACKGROUND_BYTES", BACKGROUND_BYTES))
    return size <= threshold


def import_job_start(*, job: ImportJob, skip_invalid: bool, by: Any) -> None:
    """Queue a previewed job and run it, in this request or as a background task."""
    job.state = ImportJob.State.QUEUED
    job.created_by = by if getattr(by, "is_authenticated", False) else job.created_by
    job.summary = {"skip_invalid": skip_invalid}
    job.errors = []
    job.save(update_fields=["state", "created_by", "summary", "errors"])
    if runs_inline(job):
        import_job_run(job_id=job.pk)
        return
    # Enqueue once the queued state is committed, or the worker could read the old row.
    job_id = job.pk
    transaction.on_commit(lambda: import_enqueue(job_id))


def _progress(job: ImportJob) -> Progress:
    shared = FileProgress(job)

    def report(processed: int, total: int) -> None:
        PROGRESS.set(job.pk, processed, total)
        shared(processed, total)

    return report


def import_job_run(*, job_id: int) -> ImportJob:
    """Import a queued job's file; the outcome (summary or errors) is stored on the job."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING
    )
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if not claimed:
        return job  # already run or running (a double submit, a second worker)
    import_run_begin(job_id)  # who runs it, committed before the import's transaction
    skip_invalid = bool(job.summary.get("skip_invalid"))
    PROGRESS.set(job.pk, 0, job.total)
    try:
        partner_import(
            path=Path(job.file.path),
            organisation=job.organisation,
            by=job.created_by,
            filename=job.filename,
            skip_invalid=skip_invalid,
            job=job,
            progress=_progress(job),
        )
    except InputError as error:
        _fail(job, error.problems)
    except Exception:
        logger.exception("Import job %s failed", job.public_id)
        _fail(
            job,
            [
                Problem(
                    "Ett oväntat fel inträffade; inget importerades.",
                    "An unexpected error occurred; nothing was imported.",
                    file=job.filename,
                )
            ],
        )
    else:
        job.summary["skip_invalid"] = skip_invalid
        job.save(update_fields=["summary"])
        _discard_file(job)
    finally:
        PROGRESS.clear(job.pk)
        progress_clear(job)
    job.refresh_from_db()
    return job


def import_job_fail(job: ImportJob, problems: list[Problem]) -> None:
    """Mark a queued or running job failed with ``problems`` (audited; its file discarded)."""
    _fail(job, problems)


def _fail(job: ImportJob, problems: list[Problem]) -> None:
    job.state = ImportJob.State.FAILED
    job.errors = [
        {"sv": p.sv, "en": p.en, "where": p.where(), "row": p.row, "field": p.field}
        for p in problems[:MAX_ERRORS]
    ]
    job.summary = {**job.summary, "error_count": len(problems)}
    job.finished = timezone.now()
    job.save(update_fields=["state", "errors", "summary", "finished"])
    audit_record(
        actor=job.created_by,
        action=AuditEntry.Action.IMPORT,
        obj=job,
        organisation=job.organisation,
        changes={"state": ImportJob.State.FAILED, "errors": len(problems)},
        note=f"{job.filename}: {problems[0] if problems else ''}"[:1000],
    )
    _discard_file(job)


def _discard_file(job: ImportJob) -> None:
    """The uploaded file is not kept after its import: it may hold personal data."""
    if job.file:
        job.file.delete(save=False)
        job.save(update_fields=["file"])


def column_mapping_save(*, organisation: Any, mapping: dict[str, str], by: Any) -> ColumnMapping:
    """Save the organisation's column mapping ("standard"), used by every later import."""
    saved, created = ColumnMapping.objects.get_or_create(
        organisation=organisation, name="standard", defaults={"mapping": mapping}
    )
    before = {} if created else dict(saved.mapping)
    if not created:
        saved.mapping = mapping
        saved.save(update_fields=["mapping", "updated"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=saved,
        organisation=organisation,
        changes={"mapping": [before, mapping]},
    )
    return saved
