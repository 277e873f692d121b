"""Running a partner import as a job: in the request for small files, in a thread for large.

The web upload stores the file on an ``ImportJob`` (state ``preview``); committing
queues it, and ``import_job_run`` imports it, all or nothing, recording the outcome
on the job. A failed job (bad rows without "skip invalid", or a file-level error)
keeps the InputError's problems in ``job.errors`` and writes nothing else. Every
committed job gets one audit entry: the importer writes it on success, this module
on failure.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.incidents.importers.common import PROGRESS, Progress
from tryggnav.incidents.importers.partner import open_table, partner_import
from tryggnav.incidents.models import ColumnMapping, ImportJob
from tryggnav.lib.errors import InputError, Problem

logger = logging.getLogger(__name__)

# Files above this size run in a background thread unless TRYGGNAV_IMPORT_INLINE is set.
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


def start_thread(target: Callable[[], None]) -> None:
    """Start ``target`` in a daemon thread (tests replace this; they never start threads)."""
    threading.Thread(target=target, name="tryggnav-import", daemon=True).start()


def import_job_start(*, job: ImportJob, skip_invalid: bool, by: Any) -> None:
    """Queue a previewed job and run it, in this request or in a background thread."""
    job.state = ImportJob.State.QUEUED
    job.created_by = by if getattr(by, "is_authenticated", False) else job.created_by
    job.summary = {"skip_invalid": skip_invalid}
    job.errors = []
    job.save(update_fields=["state", "created_by", "summary", "errors"])
    if runs_inline(job):
        import_job_run(job_id=job.pk)
        return

    def run_in_thread() -> None:
        # A thread gets its own database connection; close it when done so the
        # server does not keep one open per finished import.
        close_old_connections()
        try:
            import_job_run(job_id=job.pk)
        finally:
            connection.close()

    # Start only once the queued state is committed, or the thread could read the old row.
    transaction.on_commit(lambda: start_thread(run_in_thread))


def _progress(job_id: int) -> Progress:
    def report(processed: int, total: int) -> None:
        PROGRESS.set(job_id, processed, total)

    return report


def import_job_run(*, job_id: int) -> ImportJob:
    """Import a queued job's file; the outcome (summary or errors) is stored on the job."""
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if job.state != ImportJob.State.QUEUED:
        return job  # already run (a double submit)
    skip_invalid = bool(job.summary.get("skip_invalid"))
    job.state = ImportJob.State.RUNNING
    job.save(update_fields=["state"])
    PROGRESS.set(job.pk, 0, job.total)
    try:
        partner_import(
            path=Path(job.file.path),
            organisation=job.organisation,
            by=job.created_by,
            filename=job.filename,
            skip_invalid=skip_invalid,
            job=job,
            progress=_progress(job.pk),
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
    job.refresh_from_db()
    return job


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
