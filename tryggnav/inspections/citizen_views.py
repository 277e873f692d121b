"""Pages of the citizen channel: the public form, the reporter's status page and the
public map need no login and set no cookie but CSRF's; the moderation queue is for the
municipality's coordinators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.areas.models import Municipality
from tryggnav.incidents.map_layers import Frame
from tryggnav.inspections import access, citizen, citizen_map
from tryggnav.inspections.citizen_forms import HONEYPOT, CitizenReportForm, ModerateForm
from tryggnav.inspections.models_citizen import CitizenReport, Moderation
from tryggnav.lib.errors import InputError
from tryggnav.lib.http import client_address
from tryggnav.lib.screening import screen
from tryggnav.organisations.idempotency import KEY_FIELD
from tryggnav.organisations.models import Role


def _municipality(code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None or not citizen.channel_open(code):
        raise Http404
    return municipality


def _private(response: HttpResponse) -> HttpResponse:
    """The status page's address is its key: never sent on as a referrer, never indexed."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
def report_form(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    form = CitizenReportForm(request.POST or None, request.FILES or None)
    warning: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data[HONEYPOT]:
            form.add_error(None, _("Rapporten kunde inte tas emot."))
        elif screen(data["text"]).has_personal_data and not data["confirm_personal_data"]:
            warning = screen(data["text"]).kinds()
        else:
            try:
                submitted = citizen.report_submit(
                    municipality_id=code, category=data["category"], text=data["text"],
                    lat=data["lat"], lon=data["lon"], email=data["email"] or "",
                    photo=data["photo"], address=client_address(request),
                    form_key=data.get(KEY_FIELD),
                )  # fmt: skip
            except InputError as error:
                error.add_to_form(form)
            else:
                # No message framework here: it would set a cookie.
                url = reverse("inspections:citizen_status", args=[submitted.token])
                return redirect(f"{url}?ny=1")
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/citizen/report_form.html",
                  {"form": form, "municipality": municipality, "warning": warning,
                   "honeypot": HONEYPOT}, status=status)  # fmt: skip


@login_not_required
def report_status(request: HttpRequest, token: str) -> HttpResponse:
    report = citizen.report_find(token)
    if report is None:
        return _private(render(request, "inspections/citizen/status_invalid.html", status=404))
    context = {"report": report, "deficiency": report.deficiency,
               "is_open": citizen.is_open(report), "new": request.GET.get("ny") == "1"}  # fmt: skip
    return _private(render(request, "inspections/citizen/status.html", context))


@login_not_required
def public_map_page(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    return render(request, "inspections/citizen/map.html", {"municipality": municipality})


@login_not_required
def public_map_data(request: HttpRequest, code: str) -> JsonResponse:
    municipality = _municipality(code)
    frame = Frame.parse(request.GET.get("bbox"))
    data = citizen_map.public_map(citizen.public_reports(code), frame, municipality=municipality)
    return JsonResponse(data)


# --- Moderation -------------------------------------------------------------------------


def _form_for(report: CitizenReport, data: Any = None) -> ModerateForm:
    initial = {"category": report.category, "public_text": report.text}
    return ModerateForm(data, prefix=str(report.public_id), initial=initial)


def moderation_queue(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.get_municipality(request.user, slug, role=Role.COORDINATOR)
    pending = CitizenReport.objects.filter(municipality_id=organisation.municipality_id,
                                           moderation=Moderation.PENDING).order_by("created")  # fmt: skip
    recent = CitizenReport.objects.filter(municipality_id=organisation.municipality_id).exclude(
        moderation=Moderation.PENDING).select_related("deficiency").order_by("-moderated")[:20]  # fmt: skip
    return render(request, "inspections/citizen/moderation.html", {
        "organisation": organisation, "rows": [(r, _form_for(r)) for r in pending],
        "recent": recent,
    })  # fmt: skip


def _report_of(request: HttpRequest, slug: str, public_id: Any) -> CitizenReport:
    organisation = access.get_municipality(request.user, slug, role=Role.COORDINATOR)
    report = CitizenReport.objects.filter(
        public_id=public_id, municipality_id=organisation.municipality_id
    ).first()
    if report is None:
        raise Http404
    return report


@require_POST
def moderate(request: HttpRequest, slug: str, public_id: Any) -> HttpResponse:
    report = _report_of(request, slug, public_id)
    form = _form_for(report, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("inspections:moderation", slug=slug)
    data = form.cleaned_data
    try:
        citizen.report_moderate(
            report=report, by=request.user, approve=data["decision"] == "approve",
            public_title=data["public_title"], public_text=data["public_text"],
            reject_reason=data["reject_reason"], severity=data["severity"],
            category=data["category"],
        )  # fmt: skip
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Rapporten är granskad."))
    return redirect("inspections:moderation", slug=slug)


def moderation_photo(request: HttpRequest, slug: str, public_id: Any) -> FileResponse:
    report = _report_of(request, slug, public_id)
    if not report.photo:
        raise Http404
    response = FileResponse(report.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
