"""Incident pages: report, list and map, detail, exports, review, categories, coverage."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.incidents import exports, map_layers, services
from tryggnav.incidents.coverage import group_week_coverage
from tryggnav.incidents.forms import (
    CategoryForm,
    CheckForm,
    IncidentFilterForm,
    MergeForm,
    RejectForm,
    ReportForm,
    ReviewForm,
    common_categories,
)
from tryggnav.incidents.models import Category, Incident
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lib.errors import Conflict, InputError
from tryggnav.lib.paging import BadCursor, Cursor, KeysetPage, bounded_count, keyset_page
from tryggnav.lib.screening import screen
from tryggnav.lib.tabular import csv_response, xlsx_response
from tryggnav.organisations.access import (
    GroupAccess,
    active_membership,
    get_group,
    group_access,
    groups_of,
    organisations_of,
)
from tryggnav.organisations.idempotency import creates_once, page_once
from tryggnav.organisations.models import Role

PAGE_SIZE = 50


# Helpers ----------------------------------------------------------------------------


def _reporting_accesses(user) -> list[GroupAccess]:
    accesses = [group_access(user, g) for g in groups_of(user).select_related("municipality")]
    return [a for a in accesses if a is not None and a.can_report]


def _reporting_organisation(request: HttpRequest, access: GroupAccess):
    """The organisation a report is filed for: the active one if it may report, else the first."""
    memberships = access.reporting_memberships()
    active = active_membership(request)
    for membership in memberships:
        if active is not None and membership.pk == active.pk:
            return membership.organisation
    return memberships[0].organisation


def _own_organisation_ids(user) -> set[int]:
    return set(organisations_of(user).values_list("pk", flat=True))


def _visible(user):
    return Incident.objects.visible_to(user).with_related()


def _get_visible(user, public_id) -> Incident:
    incident = _visible(user).filter(public_id=public_id).first()
    if incident is None:
        raise Http404
    return incident


def _error_messages(request: HttpRequest, error: InputError) -> None:
    for problem in error.problems:
        messages.error(request, problem.text())


def _show(request: HttpRequest, form, error: InputError) -> None:
    """A conflict on the page's message list (the form may no longer be shown: a
    rejected report has no review form), other problems on the form."""
    if isinstance(error, Conflict):
        _error_messages(request, error)
    else:
        error.add_to_form(form)


def _status(error: InputError) -> int:
    """409 when someone else handled the report first, 400 for wrong input."""
    return 409 if isinstance(error, Conflict) else 400


def _filtered(request: HttpRequest, groups: list | None = None):
    if groups is None:
        groups = list(groups_of(request.user))
    form = IncidentFilterForm(request.GET or None, groups=groups)
    incidents = form.filter(_visible(request.user))
    query = request.GET.copy()
    query.pop("sida", None)
    return form, incidents, query.urlencode()


# Reporting ---------------------------------------------------------------------------


@creates_once
def incident_report(request: HttpRequest) -> HttpResponse:
    accesses = _reporting_accesses(request.user)
    if not accesses:
        raise PermissionDenied
    slug = request.POST.get("group", "")
    if request.method == "POST" and slug not in {a.group.slug for a in accesses}:
        # A group the user is not in does not exist for them (404); one where they
        # may not report is refused (403).
        get_group(request.user, slug, report=True)
    # A category tile of the start page opens the form with that category chosen.
    chosen = request.GET.get("kategori", "")
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        accesses=accesses,
        common=common_categories(request.user, accesses),
        initial={"category": chosen} if chosen.isdigit() else None,
    )
    screening = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        screening = screen(data["text"])
        if screening.has_personal_data and not data["confirm_personal_data"]:
            # Not saved: the reporter sees what was found and confirms, or edits the text.
            return render(
                request,
                "incidents/incident_form.html",
                {"form": form, "screening": screening, "needs_confirmation": True},
            )
        access = form.accesses[data["group"]]
        try:
            with page_once(request, data["form_key"], fallback="incidents:list") as submission:
                incident = services.incident_create(
                    organisation=_reporting_organisation(request, access),
                    user=request.user,
                    category=data["category"],
                    occurred_from=data["occurred_from"],
                    occurred_to=data.get("occurred_to"),
                    text=data["text"],
                    sharing=data["sharing"],
                    group=access.group,
                    photos=[data["photo"]] if data.get("photo") else [],
                    **form.location(),
                )
                submission.created(incident)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Tack! Rapporten är inskickad."))
            return redirect(incident)
    return render(request, "incidents/incident_form.html", {"form": form, "screening": screening})


@require_POST
def incident_check(request: HttpRequest) -> HttpResponse:
    """HTMX partial while typing: personal data in the text, and possible duplicates."""
    if not _reporting_accesses(request.user):
        raise PermissionDenied
    form = CheckForm(request.POST)
    screening = None
    duplicates: list = []
    if form.is_valid():
        data = form.cleaned_data
        screening = screen(data["text"] or "")
        lat, lon = data.get("lat"), data.get("lon")
        if lat is None and data.get("place"):
            lat, lon = data["place"].lat, data["place"].lon
        at = data.get("occurred_from") if data.get("when") == "earlier" else None
        if data.get("category") and lat is not None and lon is not None:
            duplicates = services.incident_duplicates(
                queryset=Incident.objects.visible_to(request.user),
                category=data["category"],
                lat=lat,
                lon=lon,
                at=at or timezone.now(),
            )
    return render(
        request,
        "incidents/incident_check.html",
        {"screening": screening, "duplicates": duplicates},
    )


# Reading -----------------------------------------------------------------------------


def _list_page(request: HttpRequest, incidents) -> KeysetPage:
    """The page of the list that ``sida`` names: a cursor written by the previous page
    (keyset paging); a page number of an old link, or anything else, is the first page."""
    try:
        cursor = Cursor.decode(request.GET.get("sida", ""))
    except BadCursor:
        cursor = None
    return keyset_page(incidents, cursor, PAGE_SIZE)


def incident_list(request: HttpRequest) -> HttpResponse:
    groups = list(groups_of(request.user).select_related("municipality").order_by("name"))
    form, incidents, query = _filtered(request, groups)
    page = _list_page(request, incidents)
    count, exact = bounded_count(incidents)
    own = _own_organisation_ids(request.user)
    accesses = [a for a in (group_access(request.user, g) for g in groups) if a is not None]
    coordinated = [a for a in accesses if a.can_coordinate]
    review_counts = {
        a.group.slug: Incident.objects.filter(
            group=a.group, sharing=Incident.Sharing.GROUP, status=Incident.Status.SUBMITTED
        ).count()
        for a in coordinated
    }
    return render(
        request,
        "incidents/incident_list.html",
        {
            "form": form,
            "page": page,
            "count": count,
            "count_exact": exact,
            "rows": [(i, i.text_for(own)) for i in page.rows],
            "query": query,
            "can_report": any(a.can_report for a in accesses),
            "coordinated": [(a.group, review_counts[a.group.slug]) for a in coordinated],
            "groups": groups,
        },
    )


def incident_map_geojson(request: HttpRequest) -> JsonResponse:
    """The map of the filtered incidents in the frame the map shows (``bbox``):
    points, or counts per grid cell beyond a few thousand (``map_layers``)."""
    form, incidents, _query = _filtered(request)
    frame = map_layers.Frame.parse(request.GET.get("bbox"))
    return JsonResponse(
        map_layers.incident_map(incidents, frame, user=request.user, narrow=form.filter)
    )


def incident_detail(request: HttpRequest, public_id) -> HttpResponse:
    incident = _get_visible(request.user, public_id)
    own = _own_organisation_ids(request.user)
    is_own = incident.organisation_id in own
    can_coordinate = False
    if incident.group is not None:
        access = group_access(request.user, incident.group)
        can_coordinate = bool(access and access.can_coordinate)
    can_delete = (
        is_own
        and incident.organisation_id is not None
        and incident.status == Incident.Status.SUBMITTED
        and organisations_of(request.user, role=Role.REPORTER)
        .filter(pk=incident.organisation_id)
        .exists()
    )
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "text": incident.text_for(own),
            "is_own": is_own,
            "can_coordinate": can_coordinate,
            "can_delete": can_delete,
            "photos": incident.photos.all() if is_own or can_coordinate else [],
            "merged_into": incident.merged_into
            if incident.merged_into_id
            and _visible(request.user).filter(pk=incident.merged_into_id).exists()
            else None,
        },
    )


def incident_photo(request: HttpRequest, public_id, photo) -> FileResponse:
    """A photo, for the reporting organisation and the group's coordinators only.

    Photos cannot be masked like text, so they are not shared with the whole group.
    """
    incident = _get_visible(request.user, public_id)
    access = group_access(request.user, incident.group) if incident.group is not None else None
    if incident.organisation_id not in _own_organisation_ids(request.user) and not (
        access and access.can_coordinate
    ):
        raise PermissionDenied
    image = incident.photos.filter(public_id=photo).first()
    if image is None:
        raise Http404
    response = FileResponse(image.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def incident_delete(request: HttpRequest, public_id) -> HttpResponse:
    incident = _get_visible(request.user, public_id)
    if (
        incident.organisation_id is None
        or not organisations_of(request.user, role=Role.REPORTER)
        .filter(pk=incident.organisation_id)
        .exists()
    ):
        raise PermissionDenied
    try:
        services.incident_delete(incident=incident, by=request.user)
    except InputError as error:
        _error_messages(request, error)
        # Deleted by someone else meanwhile: its page is gone, the list is not.
        if not Incident.objects.filter(pk=incident.pk).exists():
            return redirect("incidents:list")
        return redirect(incident)
    messages.success(request, _("Rapporten togs bort."))
    return redirect("incidents:list")


def incident_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in ("csv", "xlsx", "geojson"):
        raise Http404
    _form, incidents, query = _filtered(request)
    membership = active_membership(request)
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        organisation=membership.organisation if membership else None,
        object_type="incidents.incident",
        object_repr=_("Export av händelser (%(fmt)s)") % {"fmt": fmt.upper()},
        note=query,
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "geojson":
        response = JsonResponse(exports.geojson(incidents.iterator(chunk_size=2000)))
        response["Content-Disposition"] = f'attachment; filename="handelser-{stamp}.geojson"'
        response["Content-Type"] = "application/geo+json"
        return response
    if fmt == "csv":
        return csv_response(
            f"handelser-{stamp}.csv",
            exports.header(),
            exports.rows(incidents.iterator(chunk_size=2000), coordinates_as_text=True),
        )
    return xlsx_response(
        f"handelser-{stamp}.xlsx",
        [(_("Händelser"), exports.header(), exports.rows(incidents.iterator(chunk_size=2000)))],
    )


# Review ------------------------------------------------------------------------------


def _review_target(request: HttpRequest, slug: str, public_id) -> tuple[GroupAccess, Incident]:
    access = get_group(request.user, slug, coordinate=True)
    incident = (
        Incident.objects.filter(
            group=access.group, sharing=Incident.Sharing.GROUP, public_id=public_id
        )
        .select_related(
            "category", "area", "organisation", "group", "place", "municipality", "county"
        )
        .first()
    )
    if incident is None:
        raise Http404
    return access, incident


def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_group(request.user, slug, coordinate=True)
    submitted = (
        Incident.objects.filter(
            group=access.group, sharing=Incident.Sharing.GROUP, status=Incident.Status.SUBMITTED
        )
        .select_related("category", "area", "organisation", "municipality", "county")
        .order_by("reported_at")
    )
    page = Paginator(submitted, PAGE_SIZE).get_page(request.GET.get("sida"))
    group_incidents = Incident.objects.filter(group=access.group, sharing=Incident.Sharing.GROUP)
    rows = []
    for incident in page.object_list:
        duplicates = []
        if incident.lat is not None and incident.lon is not None:
            duplicates = services.incident_duplicates(
                queryset=group_incidents,
                category=incident.category,
                lat=incident.lat,
                lon=incident.lon,
                at=incident.occurred_from,
                exclude=incident,
            )
        rows.append((incident, len(duplicates)))
    return render(
        request,
        "incidents/incident_review_queue.html",
        {"group": access.group, "page": page, "rows": rows},
    )


def review_detail(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    access, incident = _review_target(request, slug, public_id)
    return _render_review(request, access, incident)


def _render_review(request, access, incident, *, review_form=None, reject_form=None, status=200):
    shared = Incident.objects.filter(group=access.group, sharing=Incident.Sharing.GROUP)
    candidates = _candidates(access, incident)
    return render(
        request,
        "incidents/incident_review.html",
        {
            "group": access.group,
            "incident": incident,
            "text": incident.text_for(_own_organisation_ids(request.user)),
            "review_form": review_form or ReviewForm(incident=incident),
            "reject_form": reject_form or RejectForm(),
            "candidates": candidates,
            "merge_choices": []
            if candidates
            else services.incident_merge_choices(queryset=shared, incident=incident),
        },
        status=status,
    )


def _candidates(access: GroupAccess, incident: Incident) -> list:
    """Reports of the group in the same category near the one under review in place
    and time: the duplicates offered for merging."""
    if incident.lat is None or incident.lon is None:
        return []
    return services.incident_duplicates(
        queryset=Incident.objects.filter(group=access.group, sharing=Incident.Sharing.GROUP),
        category=incident.category,
        lat=incident.lat,
        lon=incident.lon,
        at=incident.occurred_from,
        exclude=incident,
        limit=10,
    )


def _point(lat: float, lon: float, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def review_geojson(request: HttpRequest, slug: str, public_id) -> JsonResponse:
    """The report under review on its map: its area (or municipality) and its point
    with the possible duplicates near it; framed on the point when there is one."""
    access, incident = _review_target(request, slug, public_id)
    features = []
    where = incident.area or incident.municipality
    if where is not None and where.geometry:
        features.append(
            {"type": "Feature", "geometry": where.geometry, "properties": {"name": where.name}}
        )
    body: dict = {"type": "FeatureCollection", "features": features}
    lat, lon = incident.lat, incident.lon
    if lat is not None and lon is not None:
        features.append(
            _point(
                lat,
                lon,
                name=_("Rapporten som granskas"),
                fillColor="#b3261e",
                radius=9,
            )
        )
        for other, _distance in _candidates(access, incident):
            features.append(
                _point(
                    other.lat,
                    other.lon,
                    name=_("Möjlig dubblett"),
                    label=timezone.localtime(other.occurred_from).strftime("%Y-%m-%d %H:%M"),
                )
            )
        body["bbox"] = [lon - 0.006, lat - 0.003, lon + 0.006, lat + 0.003]
    return JsonResponse(body)


@require_POST
def review_accept(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    access, incident = _review_target(request, slug, public_id)
    form = ReviewForm(request.POST, incident=incident)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.incident_review(
                incident=incident,
                by=request.user,
                category=data["category"],
                area=data["area"],
                occurred_from=data["occurred_from"],
                occurred_to=data["occurred_to"],
                note=data["note"],
                seen=request.POST.get("seen", ""),
            )
        except InputError as error:
            _show(request, form, error)
            return _render_review(
                request, access, incident, review_form=form, status=_status(error)
            )
        messages.success(request, _("Rapporten är granskad och ingår i lägesbilden."))
        return redirect("incidents:review_queue", access.group.slug)
    return _render_review(request, access, incident, review_form=form, status=400)


@require_POST
def review_reject(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    access, incident = _review_target(request, slug, public_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.incident_reject(
                incident=incident,
                by=request.user,
                reason=form.cleaned_data["reason"],
                seen=request.POST.get("seen", ""),
            )
        except InputError as error:
            _show(request, form, error)
            return _render_review(
                request, access, incident, reject_form=form, status=_status(error)
            )
        messages.success(request, _("Rapporten avvisades."))
        return redirect("incidents:review_queue", access.group.slug)
    return _render_review(request, access, incident, reject_form=form, status=400)


@require_POST
def review_merge(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    access, incident = _review_target(request, slug, public_id)
    form = MergeForm(request.POST)
    into = None
    if form.is_valid():
        into = Incident.objects.filter(
            group=access.group,
            sharing=Incident.Sharing.GROUP,
            public_id=form.cleaned_data["into"],
        ).first()
    if into is None:
        messages.error(request, _("Välj en rapport i samma grupp att behålla."))
        return _render_review(request, access, incident, status=400)
    try:
        services.incident_merge(
            incident=incident, into=into, by=request.user, seen=request.POST.get("seen", "")
        )
    except InputError as error:
        _error_messages(request, error)
        return _render_review(request, access, incident, status=_status(error))
    messages.success(request, _("Rapporterna slogs ihop."))
    return redirect("incidents:review_queue", access.group.slug)


# Categories --------------------------------------------------------------------------


def category_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_group(request.user, slug)
    return render(
        request,
        "incidents/category_list.html",
        {
            "group": access.group,
            "can_edit": access.can_coordinate,
            "defaults": Category.objects.filter(collaboration_group__isnull=True, active=True),
            "own": Category.objects.filter(collaboration_group=access.group),
            "form": CategoryForm(),
        },
    )


@require_POST
def category_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_group(request.user, slug, coordinate=True)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_create(
                group=access.group,
                by=request.user,
                name=form.cleaned_data["name"],
                name_en=form.cleaned_data["name_en"],
                category_group=form.cleaned_data["group"],
                description=form.cleaned_data["description"],
            )
        except InputError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Kategorin lades till."))
    else:
        messages.error(request, _("Ange namn och kategorigrupp."))
    return redirect("incidents:categories", access.group.slug)


@require_POST
def category_toggle(request: HttpRequest, slug: str, category: str) -> HttpResponse:
    access = get_group(request.user, slug, coordinate=True)
    target = Category.objects.filter(collaboration_group=access.group, slug=category).first()
    if target is None:
        raise Http404
    services.category_set_active(category=target, active=not target.active, by=request.user)
    messages.success(
        request,
        _("Kategorin är aktiv igen.") if target.active else _("Kategorin är inaktiverad."),
    )
    return redirect("incidents:categories", access.group.slug)


# Coverage ----------------------------------------------------------------------------


def _coverage_week(value: str, today: date) -> tuple[IsoWeek, bool]:
    """The week asked for ('2026-W47', as an <input type=week> sends it), or this week
    and True when the text is no week the lägesbild knows."""
    if value:
        try:
            return IsoWeek.parse(value), False
        except InputError:
            return IsoWeek.of(today), True
    return IsoWeek.of(today), False


def coverage(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_group(request.user, slug)
    today = timezone.localdate()
    week, invalid = _coverage_week(request.GET.get("vecka", ""), today)
    result = group_week_coverage(group=access.group, year=week.year, week=week.week)
    following = week.shift(1)
    return render(
        request,
        "incidents/coverage_detail.html",
        {
            "group": access.group,
            "coverage": result,
            "week_value": str(week),
            "invalid_week": invalid,
            "previous_week": str(week.shift(-1)),
            "next_week": str(following) if following.monday <= today else None,
            "share_percent": round(100 * result.share_reporting)
            if result.share_reporting is not None
            else None,
            "usual_percent": round(100 * result.usual_share)
            if result.usual_share is not None
            else None,
            "list_url": reverse("incidents:list") + "?" + _week_query(access.group.slug, result),
        },
    )


def _week_query(slug: str, result) -> str:

    return urlencode(
        {"group": slug, "since": result.start.isoformat(), "until": result.end.isoformat()}
    )


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
