"""Importing a partner's file on the web: upload, column mapping, preview, commit, progress.

The steps, for members of the organisation with at least the reporter role:
upload (the file is checked for type, size and encoding and kept on an
``ImportJob`` in state ``preview``), the preview (columns mapped to fields and
saved as the organisation's mapping; the first rows as parsed and every
row-level error; nothing written), and the commit, all or nothing unless
"skip invalid rows" is ticked. Small files are imported within the request,
large ones as a background task (`tryggnav db_worker`) while the job page shows the progress.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tryggnav.areas.models import Area
from tryggnav.background.progress import progress_read
from tryggnav.incidents.importers.common import PROGRESS
from tryggnav.incidents.importers.jobs import (
    column_mapping_save,
    import_job_create,
    import_job_start,
)
from tryggnav.incidents.importers.partner import (
    FIELDS,
    REQUIRED,
    guess_mapping,
    partner_import,
)
from tryggnav.incidents.importers.runs import task_error
from tryggnav.incidents.models import Category, ColumnMapping, ImportJob
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import max_import_bytes
from tryggnav.organisations.access import get_organisation
from tryggnav.organisations.models import Membership, Role

ALLOWED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".json"}
# Rows checked by the preview; the import itself checks every row again.
PREVIEW_CHECK_ROWS = 5000
PREVIEW_SHOWN_ROWS = 20
# An upload left in preview this long is removed with its file.
STALE_PREVIEW = datetime.timedelta(days=1)
FIELD_LABELS = {
    "external_id": gettext_lazy("Id"),
    "occurred": gettext_lazy("Datum (och tid)"),
    "time": gettext_lazy("Klockslag"),
    "occurred_to": gettext_lazy("Till (datum och tid)"),
    "category": gettext_lazy("Kategori"),
    "text": gettext_lazy("Beskrivning"),
    "municipality": gettext_lazy("Kommun"),
    "area": gettext_lazy("Område"),
    "lat": gettext_lazy("Latitud"),
    "lon": gettext_lazy("Longitud"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil (CSV, Excel .xlsx eller Brottsplatskartans JSON)"),
        help_text=gettext_lazy(
            "CSV i UTF-8 eller Windows-1252 med semikolon, komma eller tabb."
            " Filen kontrolleras först; inget sparas förrän du bekräftar."
        ),
        error_messages={"empty": gettext_lazy("Filen är tom.")},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix == ".xls":
            raise forms.ValidationError(
                _("Gamla Excel-filer (.xls) kan inte läsas. Spara filen som .xlsx eller CSV UTF-8.")
            )
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _(
                    "Filtypen %(suffix)s stöds inte. Ladda upp en CSV-fil eller en Excel-fil (.xlsx)."
                )
                % {"suffix": suffix or _("(ingen)")}
            )
        limit = max_import_bytes()
        if upload.size and upload.size > limit:
            raise forms.ValidationError(
                _("Filen är för stor; högst %(mb)d MB kan importeras. Dela upp den i flera filer.")
                % {"mb": limit // (1024 * 1024)}
            )
        if not upload.size:
            raise forms.ValidationError(_("Filen är tom."))
        return upload


class MappingForm(forms.Form):
    """One choice of the file's columns per target field."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unique = list(dict.fromkeys(h for h in headers if h))
        choices = [("", _("– ingen kolumn –")), *[(h, h) for h in unique]]
        for target in FIELDS:
            self.fields[target] = forms.ChoiceField(
                label=FIELD_LABELS[target],
                choices=choices,
                required=target in REQUIRED,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for target, header in list(data.items()):
            if not header:
                continue
            if header in used:
                self.add_error(
                    target,
                    _("Kolumnen %(header)s är redan vald för %(other)s.")
                    % {"header": header, "other": FIELD_LABELS[used[header]]},
                )
            used[header] = target
        return data

    def mapping(self) -> dict[str, str]:
        return {target: header for target, header in self.cleaned_data.items() if header}


class CommitForm(forms.Form):
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Hoppa över felaktiga rader"),
        required=False,
        help_text=gettext_lazy(
            "Annars importeras ingenting om någon rad har fel. Överhoppade rader"
            " listas med skäl i sammanfattningen."
        ),
    )


# Helpers ----------------------------------------------------------------------------


def _membership(request: HttpRequest, slug: str) -> Membership:
    return get_organisation(request.user, slug, role=Role.REPORTER)


def _job(membership: Membership, public_id: UUID) -> ImportJob:
    job = (
        ImportJob.objects.filter(organisation=membership.organisation, public_id=public_id)
        .select_related("created_by")
        .first()
    )
    if job is None:
        raise Http404
    return job


def _problem_rows(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"row": p.row, "field": p.field, "text": p.text(), "file": p.file} for p in problems]


def _remove_stale_previews(organisation: Any) -> None:
    cutoff = timezone.now() - STALE_PREVIEW
    for job in ImportJob.objects.filter(
        organisation=organisation, state=ImportJob.State.PREVIEW, created__lt=cutoff
    ):
        if job.file:
            job.file.delete(save=False)
        job.delete()


def _headers(job: ImportJob) -> list[str]:
    return [str(h) for h in job.summary.get("headers", [])]


# Pages ------------------------------------------------------------------------------


def import_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = _membership(request, slug)
    jobs = (
        ImportJob.objects.filter(organisation=membership.organisation)
        .exclude(state=ImportJob.State.PREVIEW)
        .select_related("created_by")[:100]
    )
    return render(
        request,
        "incidents/import_list.html",
        {"organisation": membership.organisation, "jobs": jobs, "form": UploadForm()},
    )


def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    membership = _membership(request, slug)
    organisation = membership.organisation
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            _remove_stale_previews(organisation)
            upload = form.cleaned_data["file"]
            try:
                job = import_job_create(
                    organisation=organisation,
                    by=request.user,
                    filename=Path(upload.name).name,
                    content=upload,
                )
            except InputError as error:
                error.add_to_form(form, field="file")
            else:
                return redirect("incidents:import_detail", slug, job.public_id)
    return render(
        request,
        "incidents/import_upload.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


def import_detail(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    """The job: mapping and preview before the commit; progress, then the summary, after."""
    membership = _membership(request, slug)
    job = _job(membership, public_id)
    context: dict[str, Any] = {"organisation": membership.organisation, "job": job}
    if job.state != ImportJob.State.PREVIEW:
        context.update(_status_context(job))
        template = "incidents/import_status.html"
        if request.headers.get("HX-Request"):
            template = "incidents/import_status_part.html"
        return render(request, template, context)
    context.update(_preview_context(request, job, membership))
    return render(request, "incidents/import_preview.html", context)


def _preview_context(request: HttpRequest, job: ImportJob, membership: Membership) -> dict:
    organisation = membership.organisation
    headers = _headers(job)
    fixed = bool(job.summary.get("fixed"))
    mapping: dict[str, str] = {}
    if not fixed:
        saved = ColumnMapping.objects.filter(organisation=organisation, name="standard").first()
        mapping = guess_mapping(headers, saved.mapping if saved else None)
    missing = [FIELD_LABELS[t] for t in REQUIRED if not fixed and t not in mapping]
    context: dict[str, Any] = {
        "fixed": fixed,
        "missing": missing,
        "mapping_form": None if fixed else MappingForm(headers=headers, initial=mapping),
        "commit_form": CommitForm(),
    }
    if missing:
        return context
    limit = int(getattr(settings, "TRYGGNAV_IMPORT_PREVIEW_ROWS", PREVIEW_CHECK_ROWS))
    try:
        result = partner_import(
            path=Path(job.file.path),
            organisation=organisation,
            by=request.user,
            mapping=mapping or None,
            filename=job.filename,
            commit=False,
            limit=limit,
        )
    except InputError as error:
        context["file_errors"] = _problem_rows(error.problems)
        return context
    except OSError:
        raise Http404 from None  # the stored file is gone
    categories = Category.objects.in_bulk({r["category_id"] for r in result.preview})
    areas = Area.objects.in_bulk({r["area_id"] for r in result.preview if r["area_id"]})
    rows = []
    for values in result.preview[:PREVIEW_SHOWN_ROWS]:
        rows.append(
            {
                **values,
                "category": categories.get(values["category_id"]),
                "area": areas.get(values["area_id"]) if values["area_id"] else None,
            }
        )
    context.update(
        result=result,
        rows=rows,
        problems=_problem_rows(result.problems),
        capped=result.checked < result.total,
        checked=result.checked,
        total=result.total,
    )
    return context


def _status_context(job: ImportJob) -> dict[str, Any]:
    running = job.state in (ImportJob.State.QUEUED, ImportJob.State.RUNNING)
    processed, total = job.processed, job.total
    live = (PROGRESS.get(job.pk) or progress_read(job)) if running else None
    if live is not None:
        processed, total = live
    percent = int(100 * processed / total) if total else 0
    errors = []
    for error in job.errors:
        if isinstance(error, dict):
            text = Problem(error.get("sv", ""), error.get("en", "")).text()
            errors.append({"where": error.get("where", ""), "text": text})
        else:
            errors.append({"where": "", "text": str(error)})
    return {
        "running": running,
        "processed": processed,
        "total": total,
        "percent": min(percent, 100),
        "summary": job.summary,
        "errors": errors,
        "error_count": job.summary.get("error_count", len(errors)),
        # A task that failed before the job could record it (e.g. the worker could not start it).
        "task_error": task_error(job) if running else "",
    }


@require_POST
def import_mapping(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    membership = _membership(request, slug)
    job = _job(membership, public_id)
    if job.state != ImportJob.State.PREVIEW or job.summary.get("fixed"):
        return redirect("incidents:import_detail", slug, job.public_id)
    form = MappingForm(request.POST, headers=_headers(job))
    if not form.is_valid():
        context: dict[str, Any] = {
            "organisation": membership.organisation,
            "job": job,
            "fixed": False,
            "missing": [],
            "mapping_form": form,
            "commit_form": None,
        }
        return render(request, "incidents/import_preview.html", context, status=400)
    column_mapping_save(
        organisation=membership.organisation, mapping=form.mapping(), by=request.user
    )
    messages.success(request, _("Kolumnerna är sparade för organisationens filer."))
    return redirect("incidents:import_detail", slug, job.public_id)


@require_POST
def import_commit(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    membership = _membership(request, slug)
    job = _job(membership, public_id)
    if job.state == ImportJob.State.PREVIEW:
        form = CommitForm(request.POST)
        skip_invalid = form.is_valid() and form.cleaned_data["skip_invalid"]
        import_job_start(job=job, skip_invalid=skip_invalid, by=request.user)
    return redirect("incidents:import_detail", slug, job.public_id)
