"""Pages of safety walks. Reads go through ``walk_access``, writes through ``walks``;
the public protocol page needs no login and shows no personal data."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.inspections import access, walk_access, walk_forms, walks
from tryggnav.inspections.walk_models import Walk
from tryggnav.inspections.walk_protocol import protocol_document, protocol_rows, theme_counts
from tryggnav.lib import documents
from tryggnav.lib.diarium import diarium_download
from tryggnav.lib.errors import InputError
from tryggnav.organisations.idempotency import KEY_FIELD, creates_once, page_once
from tryggnav.organisations.models import Role


def walk_index(request: HttpRequest) -> HttpResponse:
    walks_ = walk_access.visible_walks(request.user).select_related("area", "organisation")
    planners = access.municipality_organisations(request.user, role=Role.COORDINATOR)
    return render(request, "inspections/walks/walk_index.html",
                  {"walks": walks_, "planners": planners})  # fmt: skip


@creates_once
def walk_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.get_municipality(request.user, slug, role=Role.COORDINATOR)
    form = walk_forms.WalkForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop(KEY_FIELD, None)
        try:
            data["route"] = walks.route_parse(data["route"])
            with page_once(request, key) as submission:
                walk = walks.walk_create(by=request.user, organisation=organisation, **data)
                submission.created(walk)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Vandringen är planerad."))
            return redirect(walk)
    return render(request, "inspections/walks/walk_form.html",
                  {"form": form, "organisation": organisation},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def walk_detail(request: HttpRequest, walk: Any) -> HttpResponse:
    walk_ = walk_access.get_walk(request.user, walk)
    rows = protocol_rows(walk_, public=False)
    return render(request, "inspections/walks/walk_detail.html", {
        "walk": walk_, "rows": rows, "themes": theme_counts(rows),
        "manages": walk_access.manages_walk(request.user, walk_),
        "records": walk_access.records_on(request.user, walk_),
        "open_points": [r for r in rows if not r.is_deficiency],
    })  # fmt: skip


def _feature(geometry: dict, **properties: Any) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def walk_geojson(request: HttpRequest, walk: Any) -> JsonResponse:
    """The route and the points, framed on the walk's area."""
    walk_ = walk_access.get_walk(request.user, walk)
    features = []
    if walk_.route:
        features.append(_feature(walk_.route, layer="highlight", name=_("Rutt")))
    for number, p in enumerate(walk_.points.filter(lat__isnull=False), start=1):
        features.append(_feature({"type": "Point", "coordinates": [p.lon, p.lat]},
                                 layer="point", name=f"{number}. {p.get_theme_display()}"))  # fmt: skip
    a = walk_.area
    return JsonResponse({"type": "FeatureCollection", "features": features,
                         "bbox": [a.min_lon, a.min_lat, a.max_lon, a.max_lat]})  # fmt: skip


def walk_record(request: HttpRequest, walk: Any) -> HttpResponse:
    """The phone page: add a point in seconds, queued in the browser while offline."""
    walk_ = walk_access.get_walk(request.user, walk, record=True)
    form = walk_forms.PointForm(initial={"client_key": uuid.uuid4()})
    return render(request, "inspections/walks/walk_record.html",
                  {"walk": walk_, "form": form, "count": walk_.points.count()})  # fmt: skip


def _errors(form: Any) -> list[dict[str, str]]:
    return [{"field": name, "sv": str(e), "en": str(e)}
            for name, errs in form.errors.items() for e in errs]  # fmt: skip


@require_POST
def walk_point_add(request: HttpRequest, walk: Any) -> HttpResponse:
    """A point from the phone page's queue (JSON answers). Idempotent on ``client_key``:
    201 when stored now, 200 when it was stored before. Without the script the page's
    form posts here and goes back to the page."""
    walk_ = walk_access.get_walk(request.user, walk, record=True)
    script = request.headers.get("X-Requested-With") == "fetch"
    form = walk_forms.PointForm(request.POST, request.FILES)
    detail = _errors(form) if not form.is_valid() else []
    if not detail:
        try:
            point, created = walks.walk_point_add(walk=walk_, by=request.user, **form.cleaned_data)
        except InputError as error:
            detail = [{"field": p.field, "sv": p.sv, "en": p.en} for p in error.problems]
    if not script:
        if detail:
            messages.error(request, " ".join(d["sv"] for d in detail))
        else:
            messages.success(request, _("Punkten är sparad."))
        return redirect("inspections:walk_record", walk=walk_.public_id)
    if detail:
        return JsonResponse({"detail": detail}, status=400)
    return JsonResponse({"point": str(point.public_id), "created": created},
                        status=201 if created else 200)  # fmt: skip


def walk_point_photo(request: HttpRequest, walk: Any, point: Any) -> FileResponse:
    point_ = walk_access.get_point(request.user, walk, point)
    if not point_.photo:
        raise Http404
    response = FileResponse(point_.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def walk_deficiencies(request: HttpRequest, walk: Any) -> HttpResponse:
    """One point or several (checked) become deficiencies, routed by the rules."""
    walk_ = walk_access.get_walk(request.user, walk, manage=True)
    form = walk_forms.PointsForm(request.POST, walk=walk_)
    if not form.is_valid():
        messages.error(request, _("Välj minst en punkt."))
        return redirect(walk_)
    points = walk_.points.filter(public_id__in=form.cleaned_data["points"])
    try:
        made = walks.walk_points_to_deficiencies(walk=walk_, by=request.user, points=points)
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("%(n)s punkter blev brister.") % {"n": made})
    return redirect(walk_)


@require_POST
def walk_point_problem(request: HttpRequest, walk: Any, point: Any) -> HttpResponse:
    point_ = walk_access.get_point(request.user, walk, point, manage=True)
    problem = walks.walk_point_start_problem(point=point_, by=request.user)
    messages.success(request, _("Ett ärende i Brås process är startat för punkten."))
    return redirect(problem)


@require_POST
def walk_point_photo_public(request: HttpRequest, walk: Any, point: Any) -> HttpResponse:
    point_ = walk_access.get_point(request.user, walk, point, manage=True)
    form = walk_forms.FlagForm(request.POST)
    form.is_valid()
    try:
        walks.walk_point_photo_screen(point=point_, by=request.user,
                                      public=form.cleaned_data.get("on", False))  # fmt: skip
    except InputError as error:
        messages.error(request, error.text())
    return redirect(point_.walk)


@require_POST
def walk_publish(request: HttpRequest, walk: Any) -> HttpResponse:
    walk_ = walk_access.get_walk(request.user, walk, manage=True)
    form = walk_forms.FlagForm(request.POST)
    form.is_valid()
    publish = form.cleaned_data.get("on", False)
    walks.walk_publish(walk=walk_, by=request.user, publish=publish)
    messages.success(request, _("Protokollet är publicerat.") if publish
                     else _("Protokollet är inte längre publikt."))  # fmt: skip
    return redirect(walk_)


def walk_protocol(request: HttpRequest, walk: Any, fmt: str) -> HttpResponse:
    walk_ = walk_access.get_walk(request.user, walk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    filename = f"trygghetsvandring-{walk_.date.isoformat()}"
    return documents.document_response(protocol_document(walk_), fmt=fmt, filename=filename)


def walk_protocol_diarium(request: HttpRequest, walk: Any) -> HttpResponse:
    """The protocol with a header block, a proposal and appendices, for the diarium."""
    walk_ = walk_access.get_walk(request.user, walk)
    return diarium_download(
        request,
        build=lambda: protocol_document(walk_),
        filename=f"trygghetsvandring-{walk_.date.isoformat()}",
        title=_("Protokoll från trygghetsvandring"),
        back=reverse("inspections:walk", args=[walk_.public_id]),
    )


@login_not_required
def walk_public(request: HttpRequest, walk: Any) -> HttpResponse:
    walk_: Walk = walk_access.get_published(walk)
    rows = protocol_rows(walk_, public=True)
    return render(request, "inspections/walks/walk_public.html",
                  {"walk": walk_, "rows": rows, "themes": theme_counts(rows),
                   "invited": walk_.invited.order_by("name")})  # fmt: skip


@login_not_required
def walk_public_photo(request: HttpRequest, walk: Any, point: Any) -> FileResponse:
    walk_ = walk_access.get_published(walk)
    point_ = walk_.points.filter(public_id=point, photo_public=True).first()
    if point_ is None or not point_.photo:
        raise Http404
    response = FileResponse(point_.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response
