"""Pages of the lägesbild: the weekly picture per group or municipality, and the meeting."""

from __future__ import annotations

import datetime
import hashlib
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.areas.models import Municipality
from tryggnav.incidents import counts
from tryggnav.incidents.models import CategoryGroup, Incident
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import exports, extensions, maps, minutes, services, trends
from tryggnav.lagesbild.forms import ActionForm, ActionUpdateForm, FocusForm, MeetingForm
from tryggnav.lagesbild.models import Action, Focus, Meeting
from tryggnav.lagesbild.picture import (
    CACHE_SECONDS,
    SOURCE_LABELS,
    Filters,
    Scope,
    compile_lagesbild,
)
from tryggnav.lagesbild.summary import ordered_rows, signal_lines, summary_lines
from tryggnav.lib.diarium import AppendixChoice, diarium_download
from tryggnav.lib.documents import Appendix
from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import get_group, groups_of
from tryggnav.organisations.idempotency import creates_once, page_once


def _week(request: HttpRequest) -> IsoWeek:
    text = request.GET.get("vecka", "").strip()
    return IsoWeek.parse(text) if text else IsoWeek.last_completed()


def _path_week(text: str) -> IsoWeek:
    try:
        return IsoWeek.parse(text)
    except InputError:
        raise Http404 from None


def _municipality(code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise Http404
    return municipality


def _input_error(request: HttpRequest, error: InputError, **context: Any) -> HttpResponse:
    return render(
        request, "lagesbild/lagesbild_error.html", {"error": error, **context}, status=400
    )


def index(request: HttpRequest) -> HttpResponse:
    groups = groups_of(request.user).select_related("municipality").order_by("name")
    code = request.GET.get("kommun", "").strip()
    error = ""
    if code:
        match = (
            Municipality.objects.filter(code=code).first()
            or Municipality.objects.filter(short_name__iexact=code).first()
        )
        if match is not None:
            return redirect("lagesbild:municipality", match.code)
        error = _("Hittade ingen kommun med kod eller namn %(code)s.") % {"code": code}
    return render(
        request,
        "lagesbild/lagesbild_index.html",
        {
            "groups": groups,
            "week": IsoWeek.last_completed(),
            "error": error,
            "code": code,
        },
    )


class _Body:
    """The tables and charts below the summary. The page caches their HTML under the
    counts' version (``body_key``), so a repeated request computes none of them."""

    def __init__(self, picture, scope: Scope, week: IsoWeek, filters: Filters, show_all: bool):
        self.picture, self.scope, self.week, self.filters = picture, scope, week, filters
        self.show_all = show_all

    @cached_property
    def rows(self) -> list:
        rows = self.picture.rows
        return ordered_rows(rows if self.show_all else [r for r in rows if r.is_active])

    @cached_property
    def hidden_rows(self) -> int:
        return len(self.picture.rows) - len(self.rows)

    @cached_property
    def trend(self) -> dict | None:
        return trends.overview_spec(self.picture)

    @cached_property
    def trend_table(self) -> str:
        return trends.overview_table(self.trend)

    @cached_property
    def pattern(self) -> dict | None:
        return trends.weekday_hour_spec(scope=self.scope, week=self.week, filters=self.filters)

    @cached_property
    def pattern_table(self) -> str:
        return trends.weekday_hour_table(self.pattern)


def body_key(request: HttpRequest, scope: Scope, week: IsoWeek) -> str:
    """What the body's HTML depends on: the counts' version (it changes with every write
    of incidents), whose lägesbild, the week, the query (filters, all rows) and the
    language."""
    parts = [
        counts.version(),
        "g" if scope.group else "m",
        scope.slug,
        str(week),
        request.GET.urlencode(),
        get_language() or "",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _page_context(request: HttpRequest, scope: Scope) -> dict[str, Any]:
    week = _week(request)
    filters = Filters.parse(request.GET)
    picture = compile_lagesbild(scope=scope, week=week, filters=filters)
    return {
        "picture": picture,
        "body": _Body(picture, scope, week, filters, request.GET.get("alla") == "1"),
        "body_key": body_key(request, scope, week),
        "body_seconds": CACHE_SECONDS,
        "signal": signal_lines(picture),
        "week": week,
        "previous_week": week.shift(-1),
        "next_week": week.shift(1) if week < IsoWeek.last_completed() else None,
        "summary": summary_lines(picture),
        "query": request.GET.urlencode(),
        "filters": filters,
        "category_groups": CategoryGroup.choices,
        "sources": [(value, label) for value, label in SOURCE_LABELS.items()],
        "precisions": Incident.Precision.choices,
    }


def group_lagesbild(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_group(request.user, slug)
    scope = Scope.for_group(access.group)
    try:
        context = _page_context(request, scope)
    except InputError as error:
        return _input_error(request, error, scope=scope)
    week = context["week"]
    meeting = Meeting.objects.filter(
        group=access.group, iso_year=week.year, iso_week=week.week
    ).first()
    return render(
        request,
        "lagesbild/lagesbild_detail.html",
        {
            **context,
            "access": access,
            "group": access.group,
            "meeting": meeting,
            "can_coordinate": access.can_coordinate,
            "map_url": reverse("lagesbild:group_map", args=[slug]),
            "map_layers": [
                (layer, layer.url_for(access.group)) for layer in extensions.map_layers()
            ],
        },
    )


def municipality_lagesbild(request: HttpRequest, code: str) -> HttpResponse:
    # The police feed is public data: every logged-in user may see a municipality's.
    scope = Scope.for_municipality(_municipality(code))
    try:
        context = _page_context(request, scope)
    except InputError as error:
        return _input_error(request, error, scope=scope)
    return render(
        request,
        "lagesbild/lagesbild_detail.html",
        {
            **context,
            "map_url": reverse("lagesbild:municipality_map", args=[code]),
        },
    )


def _json_error(error: InputError) -> JsonResponse:
    return JsonResponse({"errors": [str(p) for p in error.problems]}, status=400)


def group_map(request: HttpRequest, slug: str) -> JsonResponse:
    access = get_group(request.user, slug)
    try:
        return JsonResponse(
            maps.feature_collection(
                scope=Scope.for_group(access.group),
                week=_week(request),
                filters=Filters.parse(request.GET),
                user=request.user,
            )
        )
    except InputError as error:
        return _json_error(error)


def municipality_map(request: HttpRequest, code: str) -> JsonResponse:
    try:
        return JsonResponse(
            maps.feature_collection(
                scope=Scope.for_municipality(_municipality(code)),
                week=_week(request),
                filters=Filters.parse(request.GET),
                user=request.user,
            )
        )
    except InputError as error:
        return _json_error(error)


def _trend(request: HttpRequest, scope: Scope, **context: Any) -> HttpResponse:
    try:
        week = _week(request)
        filters = Filters.parse(request.GET)
        area_id = int(request.GET.get("omrade", "0") or 0)
        category_id = int(request.GET.get("kategori", "0") or 0)
    except InputError as error:
        return _input_error(request, error, scope=scope)
    except ValueError:
        return _input_error(
            request,
            InputError.single(
                "Område och kategori anges med sina nummer.",
                "Area and category are numbers.",
                field="omrade",
            ),
            scope=scope,
        )
    trend = trends.series_trend(
        scope=scope, week=week, filters=filters, area_id=area_id, category_id=category_id
    )
    if trend is None:
        return _input_error(
            request,
            InputError.single(
                "Det finns ingen sådan serie i lägesbilden.",
                "There is no such series.",
                field="kategori",
            ),
            scope=scope,
        )
    return render(
        request,
        "lagesbild/lagesbild_trend.html",
        {
            **context,
            "scope": scope,
            "week": week,
            "trend": trend,
            "query": request.GET.urlencode(),
        },
    )


def group_trend(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_group(request.user, slug)
    return _trend(request, Scope.for_group(access.group), group=access.group)


def municipality_trend(request: HttpRequest, code: str) -> HttpResponse:
    return _trend(request, Scope.for_municipality(_municipality(code)))


def group_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    access = get_group(request.user, slug)
    return _export(request, Scope.for_group(access.group), fmt)


def municipality_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    return _export(request, Scope.for_municipality(_municipality(code)), fmt)


def _export(request: HttpRequest, scope: Scope, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    try:
        week = _week(request)
        filters = Filters.parse(request.GET)
    except InputError as error:
        return _input_error(request, error, scope=scope)
    picture = compile_lagesbild(scope=scope, week=week, filters=filters)
    return exports.lagesbild_response(picture, fmt=fmt, user=request.user)


def group_export_diarium(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_group(request.user, slug)
    back = reverse("lagesbild:group", args=[access.group.slug])
    return _export_diarium(request, Scope.for_group(access.group), back=back)


def municipality_export_diarium(request: HttpRequest, code: str) -> HttpResponse:
    scope = Scope.for_municipality(_municipality(code))
    return _export_diarium(request, scope, back=reverse("lagesbild:municipality", args=[code]))


def _export_diarium(request: HttpRequest, scope: Scope, *, back: str) -> HttpResponse:
    """The week's lägesbild (Word or PDF) with a header block, a proposal and appendices:
    the week before's lägesbild, and the group's meeting minutes of the week."""
    try:
        week = _week(request)
        filters = Filters.parse(request.GET)
    except InputError as error:
        return _input_error(request, error, scope=scope)
    picture = compile_lagesbild(scope=scope, week=week, filters=filters)
    query = request.GET.urlencode()
    return diarium_download(
        request,
        build=lambda: exports.lagesbild_document(picture),
        filename=exports.filename(picture),
        title=_("Lägesbild vecka %(w)s %(y)s") % {"w": week.week, "y": week.year}
        + f" · {scope.name}",
        back=f"{back}?{query}" if query else back,
        choices=_weekly_choices(scope, week, filters),
    )


def _weekly_choices(scope: Scope, week: IsoWeek, filters: Filters) -> list[AppendixChoice]:
    previous = week.previous
    label = _("Lägesbild vecka %(w)s %(y)s") % {"w": previous.week, "y": previous.year}
    choices = [
        AppendixChoice(
            "foregaende",
            label,
            lambda: Appendix(
                label,
                document=exports.lagesbild_document(
                    compile_lagesbild(scope=scope, week=previous, filters=filters)
                ),
            ),
        ),
    ]
    meeting = (
        Meeting.objects.filter(group=scope.group, iso_year=week.year, iso_week=week.week).first()
        if scope.group is not None
        else None
    )
    if meeting is not None:
        choices.append(_minutes_choice(meeting))
    return choices


def _minutes_choice(meeting: Meeting) -> AppendixChoice:
    title = _("Minnesanteckningar vecka %(w)s") % {"w": meeting.iso_week}
    figures = minutes.figures_for_download
    return AppendixChoice(
        "protokoll",
        title,
        lambda: Appendix(title, document=minutes.minutes_document(meeting, figures(meeting))),
    )


# --- The weekly meeting ---------------------------------------------------------------


def _meeting(request: HttpRequest, slug: str, week_text: str, *, coordinate: bool = False):
    access = get_group(request.user, slug, coordinate=coordinate)
    week = _path_week(week_text)
    meeting = Meeting.objects.filter(
        group=access.group, iso_year=week.year, iso_week=week.week
    ).first()
    return access, week, meeting


def _agenda(access, week: IsoWeek, meeting: Meeting | None, user) -> dict[str, Any]:
    group = access.group
    picture = compile_lagesbild(scope=Scope.for_group(group), week=week)
    new_incidents = (
        Incident.objects.visible_to(user)
        .filter(
            group=group,
            status=Incident.Status.REVIEWED,
            sharing=Incident.Sharing.GROUP,
            reviewed_at__date__gte=week.monday,
            reviewed_at__date__lte=week.sunday + datetime.timedelta(days=1),
        )
        .select_related("category", "area")
        .order_by("-occurred_from")[:30]
    )
    carried = (
        services.open_actions_before(meeting)
        if meeting
        else list(
            Action.objects.filter(group=group, status=Action.Status.OPEN).select_related(
                "organisation", "area", "meeting"
            )
        )
    )
    return {
        "picture": picture,
        "summary": summary_lines(picture),
        "hotspots": maps.hotspot_cells(scope=Scope.for_group(group), week=week),
        "new_incidents": new_incidents,
        "carried": carried,
        "decided": list(meeting.actions.select_related("organisation", "area")) if meeting else [],
        "focuses": list(meeting.focuses.select_related("area")) if meeting else [],
        "previous_focuses": list(
            Focus.objects.filter(
                meeting__group=group,
                meeting__iso_year=week.shift(-1).year,
                meeting__iso_week=week.shift(-1).week,
            ).select_related("area")
        ),
        "today": timezone.localdate(),
        "more_items": extensions.agenda_items(group, week, user),
    }


def meeting_detail(request: HttpRequest, slug: str, week: str) -> HttpResponse:
    access, iso, meeting = _meeting(request, slug, week)
    context = {
        "access": access,
        "group": access.group,
        "week": iso,
        "meeting": meeting,
        "can_coordinate": access.can_coordinate,
        **_agenda(access, iso, meeting, request.user),
    }
    if meeting and access.can_coordinate:
        context["meeting_form"] = MeetingForm(
            initial={
                "held_on": meeting.held_on,
                "status": meeting.status,
                "attendees": meeting.attendees,
                "notes": meeting.notes,
            }
        )
        context["action_form"] = ActionForm(
            group=access.group, initial={"due": iso.sunday + datetime.timedelta(days=8)}
        )
        context["focus_form"] = FocusForm(group=access.group)
    return render(request, "lagesbild/meeting_detail.html", context)


def meeting_projector(request: HttpRequest, slug: str, week: str) -> HttpResponse:
    access, iso, meeting = _meeting(request, slug, week)
    return render(
        request,
        "lagesbild/meeting_projector.html",
        {
            "access": access,
            "group": access.group,
            "week": iso,
            "meeting": meeting,
            **_agenda(access, iso, meeting, request.user),
        },
    )


@require_POST
def meeting_create(request: HttpRequest, slug: str, week: str) -> HttpResponse:
    access, iso, _existing = _meeting(request, slug, week, coordinate=True)
    meeting, created = services.meeting_get_or_create(group=access.group, week=iso, by=request.user)
    if created:
        messages.success(request, _("Mötet för vecka %(w)s är skapat.") % {"w": iso.week})
    return redirect(meeting.get_absolute_url())


def _existing_meeting(request: HttpRequest, slug: str, week: str):
    access, iso, meeting = _meeting(request, slug, week, coordinate=True)
    if meeting is None:
        raise Http404
    return access, iso, meeting


@require_POST
def meeting_update(request: HttpRequest, slug: str, week: str) -> HttpResponse:
    _access, _iso, meeting = _existing_meeting(request, slug, week)
    form = MeetingForm(request.POST)
    if form.is_valid():
        services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
        messages.success(request, _("Mötet är sparat."))
    else:
        messages.error(request, _("Mötet sparades inte: kontrollera fälten."))
    return redirect(meeting.get_absolute_url())


@require_POST
@creates_once
def action_create(request: HttpRequest, slug: str, week: str) -> HttpResponse:
    access, _iso, meeting = _existing_meeting(request, slug, week)
    form = ActionForm(request.POST, group=access.group)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop("form_key")) as submission:
                action = services.action_create(meeting=meeting, by=request.user, **data)
                submission.created(action, url=meeting.get_absolute_url() + "#atgarder")
            messages.success(request, _("Åtgärden är registrerad."))
        except InputError as error:
            messages.error(request, error.text())
    else:
        errors = "; ".join(
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items()
        )
        messages.error(request, _("Åtgärden sparades inte: %(e)s") % {"e": errors})
    return redirect(meeting.get_absolute_url() + "#atgarder")


@require_POST
def action_update(request: HttpRequest, slug: str, week: str, action: str) -> HttpResponse:
    access, _iso, meeting = _existing_meeting(request, slug, week)
    item = Action.objects.filter(group=access.group, public_id=action).first()
    if item is None:
        raise Http404
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.action_update(
                action=item,
                by=request.user,
                meeting=meeting,
                seen=request.POST.get("seen", ""),
                **form.cleaned_data,
            )
        except InputError as error:
            messages.error(request, error.text())
        else:
            messages.success(request, _("Åtgärden är uppdaterad."))
    else:
        messages.error(request, _("Okänd status."))
    return redirect(meeting.get_absolute_url() + "#atgarder")


@require_POST
@creates_once
def focus_create(request: HttpRequest, slug: str, week: str) -> HttpResponse:
    access, _iso, meeting = _existing_meeting(request, slug, week)
    form = FocusForm(request.POST, group=access.group)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop("form_key")) as submission:
                focus = services.focus_create(meeting=meeting, by=request.user, **data)
                submission.created(focus, url=meeting.get_absolute_url() + "#fokus")
            messages.success(request, _("Fokus för nästa vecka är sparat."))
        except InputError as error:
            messages.error(request, error.text())
    else:
        messages.error(request, _("Fokus sparades inte: kontrollera fälten."))
    return redirect(meeting.get_absolute_url() + "#fokus")


@require_POST
def focus_delete(request: HttpRequest, slug: str, week: str, focus: str) -> HttpResponse:
    _access, _iso, meeting = _existing_meeting(request, slug, week)
    item = Focus.objects.filter(meeting=meeting, public_id=focus).first()
    if item is None:
        raise Http404
    services.focus_delete(focus=item, by=request.user)
    return redirect(meeting.get_absolute_url() + "#fokus")


def meeting_minutes(request: HttpRequest, slug: str, week: str, fmt: str) -> HttpResponse:
    access, iso, meeting = _meeting(request, slug, week)
    if meeting is None or fmt not in ("docx", "pdf"):
        raise Http404
    return minutes.minutes_response(meeting, fmt=fmt)
