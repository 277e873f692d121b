"""Pages of the follow-up module: programmes, their yearly follow-ups and assessments,
and the downloads of the four reports (Word and PDF). Access through
``tryggnav.programmes.access`` (programmes), ``tryggnav.steering.access``
(agreements) and ``tryggnav.organisations.access.get_group`` (group reports)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.incidents.scope import Scope
from tryggnav.lib.diarium import AppendixChoice, diarium_download
from tryggnav.lib.documents import Appendix, document_response
from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import get_group, get_organisation, groups_of, memberships_of
from tryggnav.organisations.idempotency import KEY_FIELD, creates_once, page_once
from tryggnav.organisations.models import Role
from tryggnav.programmes import access, forms, reports, services
from tryggnav.programmes.models import ReportSnapshot, SubGoal
from tryggnav.steering import access as steering_access
from tryggnav.steering.models import Agreement

FORMATS = ("docx", "pdf")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "programmes/programmes_index.html",
        {
            "programmes": access.visible_programmes(user).select_related("organisation"),
            "groups": groups_of(user).order_by("name"),
            "can_create_for": [
                m.organisation
                for m in memberships_of(user).select_related("organisation")
                if m.has_role(Role.COORDINATOR)
            ],
        },
    )


@creates_once
def programme_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new programme or guideline of organisation ``slug`` (its coordinators)."""
    organisation = get_organisation(request.user, slug, role=Role.COORDINATOR).organisation
    form = forms.ProgrammeForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                programme = services.programme_create(
                    by=request.user, organisation=organisation, **data
                )
                submission.created(programme)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request, _("Programmet är skapat. Lägg nu till ansvarsområden och delmål.")
            )
            return redirect(programme)
    return render(
        request,
        "programmes/programme_form.html",
        {"organisation": organisation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def programme_update(request: HttpRequest, public_id) -> HttpResponse:
    """Change a programme's header: the organisation's coordinators."""
    programme = access.get_programme(request.user, public_id, write=True)
    initial = {name: getattr(programme, name) for name in services.EDITABLE}
    form = forms.ProgrammeForm(
        request.POST or None, initial=initial, organisation=programme.organisation, once=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(by=request.user, programme=programme, **form.cleaned_data)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Programmet är ändrat."))
            return redirect(programme)
    return render(
        request,
        "programmes/programme_form.html",
        {"organisation": programme.organisation, "form": form, "programme": programme},
        status=400 if request.method == "POST" else 200,
    )


def _programme_context(programme, can_write: bool, **forms_: Any) -> dict[str, Any]:
    return {
        "programme": programme,
        "areas": programme.areas.prefetch_related("goals", "guidelines"),
        "follow_ups": programme.follow_ups.all(),
        "can_write": can_write,
        "form": forms_.get("form")
        or (
            forms.FollowUpForm(initial={"year": timezone.localdate().year - 1})
            if can_write
            else None
        ),
        "area_form": forms_.get("area_form") or (forms.AreaForm() if can_write else None),
    }


@require_POST
@creates_once
def area_create(request: HttpRequest, public_id) -> HttpResponse:
    """Add a responsibility area with its sub-goals to a programme."""
    programme = access.get_programme(request.user, public_id, write=True)
    form = forms.AreaForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                area = services.area_create(by=request.user, programme=programme, **data)
                submission.created(area, url=programme.get_absolute_url())
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Ansvarsområdet är tillagt."))
            return redirect(programme)
    return render(
        request,
        "programmes/programme_detail.html",
        _programme_context(programme, True, area_form=form),
        status=400,
    )


def programme_detail(request: HttpRequest, public_id) -> HttpResponse:
    programme = access.get_programme(request.user, public_id)
    can_write = access.can_write(request.user, programme)
    return render(
        request, "programmes/programme_detail.html", _programme_context(programme, can_write)
    )


@require_POST
def follow_up_create(request: HttpRequest, public_id) -> HttpResponse:
    programme = access.get_programme(request.user, public_id, write=True)
    form = forms.FollowUpForm(request.POST)
    if form.is_valid():
        try:
            follow_up = services.follow_up_create(
                by=request.user, programme=programme, **form.cleaned_data
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Uppföljningen är skapad."))
            return redirect(follow_up)
    return render(
        request,
        "programmes/programme_detail.html",
        _programme_context(programme, True, form=form),
        status=400,
    )


def _follow_up_context(request: HttpRequest, follow_up, errors: dict | None = None) -> dict:
    assessments = {a.goal_id: a for a in follow_up.assessments.all()}
    items = []
    for item in follow_up.areas.select_related("area").prefetch_related(
        "sections", "activities", "measures", "indicators", "area__goals"
    ):
        goals = []
        for goal in item.area.goals.all():
            found = assessments.get(goal.pk)
            form = (errors or {}).get(goal.pk) or forms.AssessmentForm(
                initial={"status": found.status, "justification": found.justification}
                if found
                else {},
                prefix=f"g{goal.pk}",
            )
            goals.append({"goal": goal, "assessment": found, "form": form})
        items.append({"item": item, "goals": goals})
    return {
        "follow_up": follow_up,
        "programme": follow_up.programme,
        "items": items,
        "can_write": access.can_write(request.user, follow_up.programme),
    }


def follow_up_detail(request: HttpRequest, public_id) -> HttpResponse:
    follow_up = access.get_follow_up(request.user, public_id)
    return render(
        request, "programmes/follow_up_detail.html", _follow_up_context(request, follow_up)
    )


@require_POST
def assessment_save(request: HttpRequest, public_id, goal_id) -> HttpResponse:
    follow_up = access.get_follow_up(request.user, public_id, write=True)
    goal = SubGoal.objects.filter(public_id=goal_id, area__programme=follow_up.programme).first()
    if goal is None:
        raise Http404
    form = forms.AssessmentForm(request.POST, prefix=f"g{goal.pk}")
    if form.is_valid():
        try:
            services.assessment_save(
                by=request.user, follow_up=follow_up, goal=goal, **form.cleaned_data
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Bedömningen är sparad."))
            return redirect(follow_up.get_absolute_url() + f"#mal-{goal.public_id}")
    return render(
        request,
        "programmes/follow_up_detail.html",
        _follow_up_context(request, follow_up, errors={goal.pk: form}),
        status=400,
    )


def area_follow_up_update(request: HttpRequest, public_id) -> HttpResponse:
    item = access.get_area_follow_up(request.user, public_id, write=True)
    initial = {
        "narrative": item.narrative,
        "activities": list(item.activities.values_list("pk", flat=True)),
        "measures": list(item.measures.values_list("pk", flat=True)),
        "indicators": list(item.indicators.values_list("pk", flat=True)),
    }
    form = forms.AreaFollowUpForm(request.POST or None, initial=initial, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_follow_up_update(by=request.user, item=item, **form.cleaned_data)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Ansvarsområdets uppföljning är sparad."))
            return redirect(item.follow_up.get_absolute_url() + f"#omrade-{item.public_id}")
    return render(
        request,
        "programmes/area_follow_up_form.html",
        {"form": form, "item": item, "follow_up": item.follow_up},
        status=400 if form.errors else 200,
    )


# Reports --------------------------------------------------------------------------


def _filename(*parts: Any) -> str:
    return "-".join(slugify(str(p)) for p in parts if p)[:120]


def follow_up_report(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    follow_up = access.get_follow_up(request.user, public_id)
    document = reports.follow_up_report(follow_up)
    return document_response(
        document,
        fmt=_format(fmt),
        filename=_filename(follow_up.programme.title, "uppfoljning", follow_up.year),
    )


def group_reports(request: HttpRequest, slug: str) -> HttpResponse:
    group_access = get_group(request.user, slug)
    group = group_access.group
    agreements = []
    for agreement in steering_access.visible(request.user, Agreement.objects.filter(group=group)):
        agreements.append(
            {
                "agreement": agreement,
                "last": ReportSnapshot.objects.filter(agreement=agreement).first(),
                "can_write": steering_access.can_write(request.user, agreement),
            }
        )
    today = timezone.localdate()
    return render(
        request,
        "programmes/group_reports.html",
        {
            "group": group,
            "agreements": agreements,
            "period_form": forms.PeriodForm(
                initial={
                    "fran": today.replace(year=today.year - 1, month=1, day=1),
                    "till": today.replace(year=today.year - 1, month=12, day=31),
                }
            ),
            "record_form": forms.StatusRecordForm(),
        },
    )


def lagesbild_report(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    group = get_group(request.user, slug).group
    fmt = _format(fmt)
    period = _period_or_error(request, group)
    if isinstance(period, HttpResponse):
        return period
    document = reports.lagesbild_report(
        scope=Scope.for_group(group), period=period, user=request.user
    )
    return document_response(
        document, fmt=fmt, filename=_filename("lagesbild", group.slug, period.label)
    )


def action_plan_report(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    group = get_group(request.user, slug).group
    document = reports.action_plan_report(group=group, user=request.user)
    return document_response(
        document, fmt=_format(fmt), filename=_filename("atgardsplan", group.slug)
    )


def status_report(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    agreement = steering_access.get_agreement(request.user, public_id)
    return document_response(
        _status_document(agreement),
        fmt=_format(fmt),
        filename=_filename("statusrapport", agreement.title, timezone.localdate()),
    )


# The same reports ready for the diarium: header block, proposal, appendices ----------


def _group_choices(user: Any, group: Any, *, period: Any, exclude: str) -> list[AppendixChoice]:
    """The group's other reports that can be appended: the law's lägesbild (the page's
    period), the åtgärdsplan and the status report of each agreement the user reads."""
    lagesbild = _("Lägesbild enligt lag (2023:196)") + f", {period.label}"
    choices = [
        AppendixChoice(
            "lagesbild",
            lagesbild,
            lambda: Appendix(
                lagesbild,
                document=reports.lagesbild_report(
                    scope=Scope.for_group(group), period=period, user=user
                ),
            ),
        ),
        AppendixChoice(
            "atgardsplan",
            _("Åtgärdsplan"),
            lambda: Appendix(
                _("Åtgärdsplan"), document=reports.action_plan_report(group=group, user=user)
            ),
        ),
    ]
    for agreement in steering_access.visible(user, Agreement.objects.filter(group=group)):
        choices.append(_status_choice(agreement))
    return [choice for choice in choices if choice.key != exclude]


def _status_choice(agreement: Agreement) -> AppendixChoice:
    label = _("Statusrapport") + f": {agreement.title}"
    return AppendixChoice(
        f"status-{agreement.public_id}",
        label,
        lambda: Appendix(label, document=_status_document(agreement)),
    )


def _status_document(agreement: Agreement) -> Any:
    previous = ReportSnapshot.objects.filter(
        agreement=agreement, kind=ReportSnapshot.Kind.STATUS
    ).first()
    return reports.status_report(agreement, previous=previous)


def _period_or_error(request: HttpRequest, group: Any) -> reports.Period | HttpResponse:
    """The report period of the query string, or the page that says what is wrong."""
    try:
        return reports.Period.parse(request.GET, today=timezone.localdate())
    except InputError as error:
        return render(
            request,
            "programmes/report_error.html",
            {"error": error, "back": reverse("programmes:group", args=[group.slug])},
            status=400,
        )


def lagesbild_report_diarium(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group(request.user, slug).group
    period = _period_or_error(request, group)
    if isinstance(period, HttpResponse):
        return period
    return diarium_download(
        request,
        build=lambda: reports.lagesbild_report(
            scope=Scope.for_group(group), period=period, user=request.user
        ),
        filename=_filename("lagesbild", group.slug, period.label),
        title=_("Lägesbild enligt lag (2023:196)") + f", {period.label}",
        back=reverse("programmes:group", args=[group.slug]),
        choices=_group_choices(request.user, group, period=period, exclude="lagesbild"),
    )


def action_plan_report_diarium(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group(request.user, slug).group
    period = reports.Period.parse({}, today=timezone.localdate())
    return diarium_download(
        request,
        build=lambda: reports.action_plan_report(group=group, user=request.user),
        filename=_filename("atgardsplan", group.slug),
        title=_("Åtgärdsplan") + f": {group.name}",
        back=reverse("programmes:group", args=[group.slug]),
        choices=_group_choices(request.user, group, period=period, exclude="atgardsplan"),
    )


def status_report_diarium(request: HttpRequest, public_id) -> HttpResponse:
    agreement = steering_access.get_agreement(request.user, public_id)
    group = agreement.group
    period = reports.Period.parse({}, today=timezone.localdate())
    choices = (
        _group_choices(request.user, group, period=period, exclude=f"status-{public_id}")
        if group is not None
        else []
    )
    back = reverse("programmes:group", args=[group.slug]) if group else agreement.get_absolute_url()
    return diarium_download(
        request,
        build=lambda: _status_document(agreement),
        filename=_filename("statusrapport", agreement.title, timezone.localdate()),
        title=_("Statusrapport") + f": {agreement.title}",
        back=back,
        choices=choices,
    )


def follow_up_report_diarium(request: HttpRequest, public_id) -> HttpResponse:
    """The yearly follow-up; the programme's other years' follow-ups can be appended."""
    follow_up = access.get_follow_up(request.user, public_id)
    programme = follow_up.programme
    choices = [
        _follow_up_choice(other)
        for other in programme.follow_ups.exclude(pk=follow_up.pk).order_by("-year")
    ]
    return diarium_download(
        request,
        build=lambda: reports.follow_up_report(follow_up),
        filename=_filename(programme.title, "uppfoljning", follow_up.year),
        title=f"{programme.title}: " + _("Uppföljning för %(year)s") % {"year": follow_up.year},
        back=follow_up.get_absolute_url(),
        choices=choices,
    )


def _follow_up_choice(follow_up: Any) -> AppendixChoice:
    label = _("Uppföljning för %(year)s") % {"year": follow_up.year}
    return AppendixChoice(
        f"uppfoljning-{follow_up.public_id}",
        label,
        lambda: Appendix(label, document=reports.follow_up_report(follow_up)),
    )


@require_POST
def status_record(request: HttpRequest, public_id) -> HttpResponse:
    agreement = steering_access.get_agreement(request.user, public_id, write=True)
    form = forms.StatusRecordForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.report_snapshot_record(
        by=request.user, agreement=agreement, figures=reports.status_figures(agreement), note=note
    )
    messages.success(
        request,
        _("Statusrapporten är registrerad; nästa rapport visar förändringar sedan i dag."),
    )
    if agreement.group is not None:
        return redirect("programmes:group", agreement.group.slug)
    return redirect("programmes:index")
