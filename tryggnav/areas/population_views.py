"""Areas' populations on the web: the table per municipality, and importing a file with a
preview before anything is saved (coordinators of an organisation in the municipality)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tryggnav.areas import access
from tryggnav.areas.models import Area, AreaPopulation, PopulationUpload
from tryggnav.areas.population_import import (
    population_upload_commit,
    population_upload_create,
    population_upload_preview,
)
from tryggnav.areas.views import _municipality, _place_editor_organisation
from tryggnav.lib.errors import InputError
from tryggnav.lib.files import max_import_bytes

ALLOWED_SUFFIXES = {".csv", ".txt", ".xlsx"}
PREVIEW_SHOWN_ROWS = 50


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil (CSV eller Excel .xlsx)"),
        help_text=gettext_lazy(
            "En tabell med område (kod eller namn), år och folkmängd, eller en export från"
            " SCB:s statistikdatabas med DeSO- eller RegSO-koder. Inget sparas förrän du"
            " bekräftar."
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Områdestyp"),
        required=False,
        choices=[("", gettext_lazy("Alla typer")), *Area.Kind.choices],
    )
    source = forms.CharField(
        label=gettext_lazy("Källa"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("T.ex. ”SCB, folkmängd 31 december 2024”."),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _(
                    "Filtypen %(suffix)s stöds inte. Ladda upp en CSV-fil eller en Excel-fil (.xlsx)."
                )
                % {"suffix": suffix or _("(ingen)")}
            )
        limit = max_import_bytes()
        if not upload.size:
            raise forms.ValidationError(_("Filen är tom."))
        if upload.size > limit:
            raise forms.ValidationError(
                _("Filen är för stor; högst %(mb)d MB kan importeras. Dela upp den i flera filer.")
                % {"mb": limit // (1024 * 1024)}
            )
        return upload


def _editor(request: HttpRequest, municipality: Any) -> Any:
    organisation = _place_editor_organisation(request.user, municipality)
    if organisation is None:
        # Geography is public, so the municipality exists for everyone: 403, not 404.
        raise PermissionDenied
    return organisation


def _upload(request: HttpRequest, municipality: Any, public_id: UUID) -> PopulationUpload:
    """The upload, for a coordinator of the organisation that made it; 404 to others
    who cannot see it, 403 to its organisation's members without the role."""
    upload = PopulationUpload.objects.filter(municipality=municipality, public_id=public_id).first()
    if upload is None or not access.is_member(request.user, upload.organisation_id):
        raise Http404
    if not access.is_member(request.user, upload.organisation_id, coordinator=True):
        raise PermissionDenied
    return upload


def _list_context(request: HttpRequest, municipality: Any, form: Any = None) -> dict[str, Any]:
    figures = (
        AreaPopulation.objects.filter(area__municipality=municipality)
        .select_related("area")
        .order_by("area__kind", "area__name", "year")
    )
    years = sorted({f.year for f in figures})
    table: dict[int, dict[str, Any]] = {}
    for figure in figures:
        row = table.setdefault(figure.area_id, {"area": figure.area, "by_year": {}})
        row["by_year"][figure.year] = figure
    if form is None and _place_editor_organisation(request.user, municipality) is not None:
        form = PopulationUploadForm()
    return {
        "municipality": municipality,
        "years": years,
        "rows": [
            {"area": r["area"], "cells": [r["by_year"].get(y) for y in years]}
            for r in table.values()
        ],
        "generated": any(f.is_generated for f in figures),
        "without": municipality.areas.filter(populations__isnull=True, is_generated=False).count(),
        "generated_areas": municipality.areas.filter(is_generated=True).count(),
        "form": form,
    }


def population_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    return render(request, "areas/population_list.html", _list_context(request, municipality))


@require_POST
def population_upload(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    organisation = _editor(request, municipality)
    form = PopulationUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = population_upload_create(
                municipality=municipality,
                organisation=organisation,
                by=request.user,
                filename=upload.name or "",
                content=upload,
                kind=form.cleaned_data["kind"],
                source=form.cleaned_data["source"],
            )
        except InputError as error:
            error.add_to_form(form, field="file")
        else:
            return redirect("areas:population_preview", municipality.code, stored.public_id)
    return render(
        request,
        "areas/population_list.html",
        _list_context(request, municipality, form),
        status=400,
    )


def population_preview(request: HttpRequest, code: str, upload: UUID) -> HttpResponse:
    municipality = _municipality(code)
    stored = _upload(request, municipality, upload)
    try:
        result = population_upload_preview(upload=stored)
    except InputError as error:
        return render(
            request,
            "areas/population_preview.html",
            {"municipality": municipality, "upload": stored, "file_errors": error.problems},
        )
    return render(
        request,
        "areas/population_preview.html",
        {
            "municipality": municipality,
            "upload": stored,
            "result": result,
            "rows": result.rows[:PREVIEW_SHOWN_ROWS],
            "more_rows": max(len(result.rows) - PREVIEW_SHOWN_ROWS, 0),
            "left_out": result.other_municipalities + result.not_areas,
        },
    )


@require_POST
def population_commit(request: HttpRequest, code: str, upload: UUID) -> HttpResponse:
    municipality = _municipality(code)
    stored = _upload(request, municipality, upload)
    try:
        result = population_upload_commit(upload=stored, by=request.user)
    except InputError as error:
        messages.error(request, _("Inget importerades: %(problems)s") % {"problems": error.text()})
        return redirect("areas:population_preview", municipality.code, stored.public_id)
    messages.success(
        request,
        _(
            "Folkmängderna är importerade: %(created)s nya, %(updated)s ändrade, %(unchanged)s oförändrade."
        )
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("areas:population", municipality.code)
