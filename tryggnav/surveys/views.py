"""Survey pages: lists, a result with its interval, comparisons, league tables, trends,
entry by hand and import with preview. Access rules: models.py's docstring."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.lib import charts
from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import (
    authenticated_user,
    get_organisation,
    organisations_of,
)
from tryggnav.organisations.models import Role
from tryggnav.surveys import analysis, services, text
from tryggnav.surveys.access import (
    can_edit,
    get_indicator,
    get_result,
    get_survey,
    visible_results,
)
from tryggnav.surveys.forms import ImportForm, IndicatorForm, ResultForm, SurveyForm
from tryggnav.surveys.importers import parse_results
from tryggnav.surveys.models import Survey, UnitType


def index(request: HttpRequest) -> HttpResponse:
    surveys = (
        Survey.objects.visible_to(request.user)
        .select_related("organisation")
        .prefetch_related("indicators")
    )
    return render(
        request,
        "surveys/survey_list.html",
        {
            "surveys": surveys,
            "editable_organisations": organisations_of(request.user, role=Role.COORDINATOR),
        },
    )


def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    survey = get_survey(request.user, public_id)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "indicators": survey.indicators.all(),
            "can_edit": can_edit(request.user, survey),
        },
    )


def _result_rows(results) -> list[dict[str, Any]]:
    rows = []
    for result in results:
        figure = analysis.Figure.from_result(result)
        u = analysis.uncertainty(figure)
        rows.append({"result": result, "u": u, "text": text.with_interval(u)})
    return rows


def _interval_chart(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    values = [
        {
            "Enhet": f"{r['result'].unit_name} ({r['result'].group})"
            if r["result"].group != "alla"
            else r["result"].unit_name,
            "Andel": round(r["u"].estimate * 100, 1),
            "Nedre": round(r["u"].low * 100, 1) if r["u"].low is not None else None,
            "Övre": round(r["u"].high * 100, 1) if r["u"].high is not None else None,
            "Genererad": _("ja") if r["result"].is_generated else _("nej"),
        }
        for r in rows
    ]
    return charts.bar_chart(
        values,
        x="Enhet",
        y="Andel",
        y_title=_("Andel (%)"),
        error=("Nedre", "Övre"),
        horizontal=True,
        sort="-x",
        title=title,
        height=max(120, 22 * len(values)),
    )


def _unit_type_and_group(request: HttpRequest, results) -> tuple[list, list[str], str, str]:
    """The unit types and groups the results have, and the ones chosen (``typ``,
    ``grupp``; by default municipalities and "alla"). An unknown choice is a 404."""
    unit_types = [t for t in UnitType if any(r.unit_type == t.value for r in results)]
    groups = sorted({r.group for r in results}, key=lambda g: (g != "alla", g))
    unit_type = request.GET.get("typ") or (
        UnitType.MUNICIPALITY
        if any(r.unit_type == UnitType.MUNICIPALITY for r in results)
        else (unit_types[0].value if unit_types else UnitType.MUNICIPALITY)
    )
    group = request.GET.get("grupp") or (groups[0] if groups else "alla")
    if unit_type not in UnitType.values or (groups and group not in groups):
        raise Http404
    return unit_types, groups, unit_type, group


def _league_rows(table, league_results) -> list[dict[str, Any]]:
    by_key = {str(r.public_id): r for r in league_results}
    return [
        {
            "row": row,
            "result": by_key[row.figure.key],
            "interval": text.with_interval(row.uncertainty),
            "rank": text.rank_text(row, table.size),
            "versus": text.comparison_phrase(row.versus_whole) if row.versus_whole else "",
        }
        for row in table.rows
    ]


def _claim_rows(indicator) -> list[dict[str, Any]]:
    return [
        {"claim": claim, "check": (check := analysis.check_claim(claim))}
        | {"label": text.verdict_label(check.verdict), "explanation": check.explanation()}
        for claim in indicator.claims.select_related(
            "indicator", "subject__indicator__survey", "other__indicator__survey"
        )
    ]


def indicator(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    indicator = get_indicator(request.user, public_id)
    results = list(indicator.results.all())
    unit_types, groups, unit_type, group = _unit_type_and_group(request, results)
    table, league_results, whole = analysis.league_for(indicator, unit_type=unit_type, group=group)
    rows = _result_rows(results)
    chart_rows = [r for r in rows if r["result"] in league_results]
    return render(
        request,
        "surveys/indicator_detail.html",
        {
            "indicator": indicator,
            "survey": indicator.survey,
            "rows": rows,
            "unit_types": unit_types,
            "unit_type": unit_type,
            "groups": groups,
            "group": group,
            "table": table,
            "league_rows": _league_rows(table, league_results),
            "whole": whole,
            "claims": _claim_rows(indicator),
            "has_generated": any(r.is_generated for r in results),
            "chart": _interval_chart(chart_rows, "") if chart_rows else None,
            "can_edit": can_edit(request.user, indicator.survey),
        },
    )


def result(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    result = get_result(request.user, public_id)
    visible = visible_results(request.user)
    survey = result.indicator.survey
    u = analysis.uncertainty(analysis.Figure.from_result(result))
    siblings = list(result.indicator.results.all())
    same_group = [r for r in siblings if r.group == result.group]
    wholes = [analysis.compare_results(result, w) for w in analysis.wholes_of(result, same_group)]
    other_groups = [
        analysis.compare_results(r, result)
        for r in siblings
        if r.unit_type == result.unit_type and r.unit_code == result.unit_code and r != result
    ]
    series = analysis.series_of(result, visible)
    years = [analysis.compare_results(result, r) for r in series if r.pk != result.pk]
    trend = None
    if len(series) > 1:
        values = []
        for r in series:
            ru = analysis.uncertainty(analysis.Figure.from_result(r))
            values.append(
                {
                    "År": str(r.indicator.survey.year),
                    "Andel": round(r.estimate * 100, 1),
                    "Nedre": round(ru.low * 100, 1) if ru.low is not None else None,
                    "Övre": round(ru.high * 100, 1) if ru.high is not None else None,
                }
            )
        trend = charts.line_chart(
            values,
            x="År",
            y="Andel",
            y_title=_("Andel (%)"),
            band=("Nedre", "Övre"),
            x_type="ordinal",
        )
    summary = [
        _("%(indicator)s, %(unit)s (%(group)s), %(survey)s: %(value)s.")
        % {
            "indicator": result.indicator.name,
            "unit": result.unit_name,
            "group": result.group,
            "survey": survey,
            "value": text.with_interval(u),
        },
        u.explanation(),
    ]
    summary += [c.sentence() for c in wholes]
    if years:
        summary.append(years[-1].sentence())
    return render(
        request,
        "surveys/result_detail.html",
        {
            "result": result,
            "survey": survey,
            "u": u,
            "interval": text.with_interval(u),
            "wholes": [(c, text.comparison_method(c)) for c in wholes],
            "other_groups": [(c, text.comparison_method(c)) for c in other_groups],
            "years": [(c, text.comparison_method(c)) for c in years],
            "trend": trend,
            "summary": summary,
            "can_edit": can_edit(request.user, survey),
        },
    )


def compare(request: HttpRequest, a: uuid.UUID, b: uuid.UUID) -> HttpResponse:
    """Two results side by side: units, groups or years."""
    result_a = get_result(request.user, a)
    result_b = get_result(request.user, b)
    comparison = analysis.compare_results(result_a, result_b)
    rows = _result_rows([result_a, result_b])
    return render(
        request,
        "surveys/comparison.html",
        {
            "a": result_a,
            "b": result_b,
            "comparison": comparison,
            "method": text.comparison_method(comparison),
            "chart": _interval_chart(rows, ""),
            "rows": rows,
        },
    )


# ----------------------------------------------------------------------------------------
# Entry by hand


def survey_create(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_organisation(request.user, slug, role=Role.COORDINATOR)
    organisation = membership.organisation
    form = SurveyForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(
            organisation=organisation, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Undersökningen är skapad."))
        return redirect(survey)
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "title": _("Ny undersökning för %(org)s") % {"org": organisation}},
    )


def indicator_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    survey = get_survey(request.user, public_id, edit=True)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if survey.indicators.filter(name=form.cleaned_data["name"]).exists():
            form.add_error("name", _("Undersökningen har redan den indikatorn."))
        else:
            indicator = services.indicator_create(
                survey=survey, by=request.user, **form.cleaned_data
            )
            return redirect(indicator)
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "title": _("Ny indikator i %(survey)s") % {"survey": survey}},
    )


def result_create(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    indicator = get_indicator(request.user, public_id, edit=True)
    form = ResultForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        values = form.result_values()
        if indicator.results.filter(
            unit_type=values["unit_type"], unit_code=values["unit_code"], group=values["group"]
        ).exists():
            form.add_error("unit_code", _("Det finns redan ett resultat för enheten och gruppen."))
        else:
            result = services.result_save(indicator=indicator, by=request.user, values=values)
            messages.success(request, _("Resultatet är sparat."))
            return redirect(result)
    return render(
        request,
        "surveys/survey_form.html",
        {
            "form": form,
            "title": _("Nytt resultat: %(indicator)s") % {"indicator": indicator},
            "help": _(
                "Ange det som källan publicerar: andelen och, om de finns, antal svarande, "
                "standardfel, designeffekt eller intervallets gränser."
            ),
        },
    )


@require_POST
def result_delete(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    result = get_result(request.user, public_id, edit=True)
    indicator = result.indicator
    services.result_delete(result=result, by=request.user)
    messages.success(request, _("Resultatet är borttaget."))
    return redirect(indicator)


@require_POST
def survey_delete(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    survey = get_survey(request.user, public_id, edit=True)
    services.survey_delete(survey=survey, by=request.user)
    messages.success(request, _("Undersökningen är borttagen."))
    return redirect("surveys:index")


# ----------------------------------------------------------------------------------------
# Import: upload and preview, then commit


UPLOAD_MAX_AGE = 24 * 3600  # seconds an uploaded file waits for its commit


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "survey-uploads"


def _remove_stale_uploads() -> None:
    now = time.time()
    for folder in _upload_dir().glob("*"):
        try:
            if now - folder.stat().st_mtime > UPLOAD_MAX_AGE:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def store_upload(*, filename: str, content: bytes, organisation_slug: str, user_id: int) -> str:
    """Keep an uploaded file until the user commits or uploads again; returns its token."""
    _remove_stale_uploads()
    token = uuid.uuid4().hex
    folder = _upload_dir() / token
    folder.mkdir(parents=True)
    safe_name = Path(filename).name or "upload"
    (folder / safe_name).write_bytes(content)
    (folder / "meta.json").write_text(
        json.dumps({"organisation": organisation_slug, "user": user_id, "file": safe_name})
    )
    return token


def _stored(token: str, organisation_slug: str, user_id: int) -> Path:
    if not token.isalnum():
        raise Http404
    folder = _upload_dir() / token
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError):
        raise Http404 from None
    if meta.get("organisation") != organisation_slug or meta.get("user") != user_id:
        raise PermissionDenied
    return folder / meta["file"]


def survey_import(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_organisation(request.user, slug, role=Role.COORDINATOR)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "organisation": membership.organisation}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        user = authenticated_user(request)
        token = store_upload(
            filename=upload.name,
            content=upload.read(),
            organisation_slug=slug,
            user_id=user.pk,
        )
        path = _stored(token, slug, user.pk)
        try:
            parsed = parse_results(path, filename=upload.name)
        except InputError as error:
            shutil.rmtree(path.parent, ignore_errors=True)
            context["error"] = error
            status = 400
        else:
            for row in parsed.rows:
                estimate = row.values.get("estimate")
                row.shown_estimate = text.pct(estimate) if estimate is not None else ""
            context.update(
                parsed=parsed,
                token=token,
                is_internal=form.cleaned_data["is_internal"],
                scale_note=parsed.scale_note()[0],
                shown_rows=parsed.rows[:500],
            )
            if not parsed.ok:
                shutil.rmtree(path.parent, ignore_errors=True)
                status = 400
    return render(request, "surveys/survey_import.html", context, status=status)


@require_POST
def survey_import_commit(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_organisation(request.user, slug, role=Role.COORDINATOR)
    path = _stored(request.POST.get("token", ""), slug, authenticated_user(request).pk)
    try:
        summary = services.survey_results_import(
            path=path,
            organisation=membership.organisation,
            by=request.user,
            is_internal=request.POST.get("is_internal") == "1",
        )
    except InputError as error:
        return render(
            request,
            "surveys/survey_import.html",
            {"form": ImportForm(), "organisation": membership.organisation, "error": error},
            status=400,
        )
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    messages.success(request, str(summary))
    return redirect("surveys:index")
