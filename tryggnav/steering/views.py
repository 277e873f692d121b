"""Pages of the steering module: agreements, problems through Brå's steps, measures,
activities, indicators and escalations. Access through ``tryggnav.steering.access``
(objects) and ``tryggnav.organisations.access.get_group`` (group pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import get_group, groups_of
from tryggnav.organisations.idempotency import KEY_FIELD, creates_once, page_once
from tryggnav.steering import access, figures, forms, indicators, services, steps
from tryggnav.steering.models import (
    Activity,
    Agreement,
    Escalation,
    Indicator,
    Measure,
    Problem,
    Step,
)


def _form_page(request: HttpRequest, form, *, title: str, back: str, intro: str = "", status=200):
    return render(
        request,
        "steering/steering_form.html",
        {"form": form, "title": title, "back": back, "intro": intro},
        status=status,
    )


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "steering/steering_index.html",
        {
            "groups": groups_of(user).order_by("name"),
            "agreements": access.visible(user, Agreement.objects.all()).prefetch_related("parties"),
            "problems": access.visible(user, Problem.objects.all()),
            "escalations": Escalation.objects.filter(
                problem__in=access.visible(user, Problem.objects.all()),
                status=Escalation.Status.OPEN,
            ).select_related("problem"),
        },
    )


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group_access = get_group(request.user, slug)
    group = group_access.group
    problems = list(Problem.objects.filter(group=group).prefetch_related("steps"))
    for problem in problems:
        problem.current = steps.current_step(problem)  # type: ignore[attr-defined]
    return render(
        request,
        "steering/group_detail.html",
        {
            "group": group,
            "can_write": group_access.can_coordinate,
            "agreements": Agreement.objects.filter(group=group).prefetch_related(
                "parties", "priority_areas"
            ),
            "problems": problems,
            "indicators": Indicator.objects.filter(group=group),
            "escalations": Escalation.objects.filter(problem__group=group).select_related(
                "problem"
            ),
            "activities_count": Activity.objects.filter(group=group).count(),
        },
    )


# Agreements --------------------------------------------------------------------


@creates_once
def agreement_create(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group(request.user, slug, coordinate=True).group
    form = forms.AgreementForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                agreement = services.agreement_create(by=request.user, group=group, **data)
                submission.created(agreement)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Överenskommelsen är sparad."))
            return redirect(agreement)
    return _form_page(
        request,
        form,
        title=_("Ny överenskommelse"),
        back=reverse("steering:group", args=[slug]),
        status=400 if form.errors else 200,
    )


def agreement_detail(request: HttpRequest, public_id) -> HttpResponse:
    agreement = access.get_agreement(request.user, public_id)
    return render(
        request,
        "steering/agreement_detail.html",
        {
            "agreement": agreement,
            "can_write": access.can_write(request.user, agreement),
            "parties": agreement.parties.select_related("organisation"),
            "children": agreement.children.all(),
            "problems": agreement.problems.all(),
        },
    )


def agreement_update(request: HttpRequest, public_id) -> HttpResponse:
    agreement = access.get_agreement(request.user, public_id, write=True)
    if agreement.group is None:
        raise Http404
    initial = {
        **{f: getattr(agreement, f) for f in ("kind", "title", "starts", "ends", "purpose")},
        **{
            f: getattr(agreement, f)
            for f in ("decided_by", "decision_reference", "decision_date", "steering_group")
        },
        "meeting_rhythm": agreement.meeting_rhythm,
        "source": agreement.source,
        "parent": agreement.parent_id,
        "areas": list(agreement.areas.values_list("pk", flat=True)),
        "party_organisations": [
            p.organisation_id for p in agreement.parties.all() if p.organisation_id
        ],
        "other_parties": "\n".join(
            p.name for p in agreement.parties.all() if not p.organisation_id
        ),
        "priority_areas": "\n".join(p.name for p in agreement.priority_areas.all()),
    }
    form = forms.AgreementForm(
        request.POST or None,
        initial=initial,
        group=agreement.group,
        agreement=agreement,
        once=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(agreement=agreement, by=request.user, **form.cleaned_data)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Överenskommelsen är uppdaterad."))
            return redirect(agreement)
    return _form_page(
        request,
        form,
        title=_("Ändra %(a)s") % {"a": agreement.title},
        back=agreement.get_absolute_url(),
        status=400 if form.errors else 200,
    )


@require_POST
def commitments_update(request: HttpRequest, public_id) -> HttpResponse:
    agreement = access.get_agreement(request.user, public_id, write=True)
    changed = 0
    for party in agreement.parties.all():
        key = f"commitments-{party.pk}"
        if key in request.POST and request.POST[key].strip() != party.commitments:
            services.party_commitments_update(
                party=party, by=request.user, commitments=request.POST[key].strip()[:5000]
            )
            changed += 1
    messages.success(request, _("%(n)d parters åtaganden uppdaterade.") % {"n": changed})
    return redirect(agreement.get_absolute_url() + "#parter")


# Problems ------------------------------------------------------------------------


@creates_once
def problem_create(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group(request.user, slug, coordinate=True).group
    form = forms.ProblemForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                problem = services.problem_create(by=request.user, group=group, **data)
                submission.created(problem)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Ärendet är skapat. Börja med steg 1."))
            return redirect(problem)
    return _form_page(
        request,
        form,
        title=_("Nytt ärende"),
        back=reverse("steering:group", args=[slug]),
        intro=_("Ett ärende är ett problem som parterna bearbetar enligt Brås steg."),
        status=400 if form.errors else 200,
    )


def _live_figures(problem: Problem) -> list[dict[str, Any]]:
    if not problem.categories.exists():
        return []
    scope = figures.Scope.for_problem(problem)
    out = []
    for kind, label in figures.FigureSnapshot.Kind.choices:
        data = figures.compute(kind, scope)
        out.append({"kind": kind, "label": label, "spec": figures.spec(kind, data)})
    return out


def problem_detail(request: HttpRequest, public_id) -> HttpResponse:
    problem = access.get_problem(request.user, public_id)
    records = {s.number: s for s in problem.steps.select_related("completed_by")}
    current = steps.current_step(problem)
    step_rows = [
        {
            "number": step.value,
            "label": step.label,
            "record": records.get(step.value),
            "missing": steps.missing(problem, step),
            "current": step.value == current,
        }
        for step in Step
    ]
    measures = list(
        problem.measures.select_related("indicator", "responsible").prefetch_related(
            "agreed_by", "areas", "activities", "evaluations"
        )
    )
    for measure in measures:
        points = indicators.series(measure.indicator)
        chart = indicators.chart(measure.indicator, points, target=measure.target_value)
        measure.chart = chart  # type: ignore[attr-defined]
    snapshots = list(problem.snapshots.all())
    for shot in snapshots:
        shot.spec = figures.spec(shot.kind, shot.data)  # type: ignore[attr-defined]
    show_live = request.GET.get("siffror") == "1"
    return render(
        request,
        "steering/problem_detail.html",
        {
            "problem": problem,
            "can_write": access.can_write(request.user, problem),
            "steps": step_rows,
            "current": current,
            "mappings": problem.mappings.select_related("organisation"),
            "measures": measures,
            "snapshots": snapshots,
            "live": _live_figures(problem) if show_live else None,
            "snapshot_form": forms.SnapshotForm(),
            "escalations": problem.escalations.all(),
            "escalation_update_form": forms.EscalationUpdateForm(),
            "reopen_form": forms.ReopenForm(),
        },
    )


def problem_step(request: HttpRequest, public_id, step: int) -> HttpResponse:
    problem = access.get_problem(request.user, public_id, write=True)
    if step not in Step.values:
        raise Http404
    if step not in forms.STEP_FORMS:
        # A step without a form of its own is worked on the problem's page, once the
        # steps before it are done.
        earlier = problem.steps.filter(number__lt=step, completed__isnull=True)
        first_open = earlier.order_by("number").values_list("number", flat=True).first()
        if first_open is not None:
            return _earlier_step_first(request, problem, step, first_open)
        return redirect(problem.get_absolute_url() + f"#steg-{step}")
    form_class = forms.STEP_FORMS[Step(step)]
    initial = {name: getattr(problem, name) for name in services.PROBLEM_STEP_FIELDS[Step(step)]}
    kwargs: dict[str, Any] = {}
    if step == Step.INITIATION:
        kwargs["problem"] = problem
        initial.update(
            parties=list(problem.parties.values_list("pk", flat=True)),
            areas=list(problem.areas.values_list("pk", flat=True)),
            categories=list(problem.categories.values_list("pk", flat=True)),
        )
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_step_save(
                problem=problem, by=request.user, step=step, **form.cleaned_data
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Steget är sparat."))
            return redirect(problem.get_absolute_url() + f"#steg-{step}")
    return _form_page(
        request,
        form,
        title=f"{step}. {Step(step).label}",
        back=problem.get_absolute_url(),
        intro=problem.title,
        status=400 if form.errors else 200,
    )


def _earlier_step_first(
    request: HttpRequest, problem: Problem, step: int, first_open: int
) -> HttpResponse:
    """A later step opened before an earlier one is done: say which, with a link."""
    if first_open in forms.STEP_FORMS:
        link = reverse("steering:problem_step", args=[problem.public_id, first_open])
    else:
        link = problem.get_absolute_url() + f"#steg-{first_open}"
    return render(
        request,
        "steering/step_blocked.html",
        {"problem": problem, "step": step, "first_open": first_open, "link": link},
    )


@require_POST
def step_complete(request: HttpRequest, public_id, step: int) -> HttpResponse:
    problem = access.get_problem(request.user, public_id, write=True)
    if step not in Step.values:
        raise Http404
    try:
        services.problem_step_complete(problem=problem, by=request.user, step=step)
        messages.success(request, _("Steg %(n)d är avslutat.") % {"n": step})
    except InputError as error:
        messages.error(request, error.text())
    return redirect(problem.get_absolute_url() + f"#steg-{step}")


@require_POST
def step_reopen(request: HttpRequest, public_id, step: int) -> HttpResponse:
    problem = access.get_problem(request.user, public_id, write=True)
    if step not in Step.values:
        raise Http404
    form = forms.ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.problem_step_reopen(problem=problem, by=request.user, step=step, reason=reason)
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Steg %(n)d är öppnat igen.") % {"n": step})
    return redirect(problem.get_absolute_url() + f"#steg-{step}")


def mapping_save(request: HttpRequest, public_id) -> HttpResponse:
    problem = access.get_problem(request.user, public_id, write=True)
    form = forms.MappingForm(request.POST or None, problem=problem)
    if request.method == "POST" and form.is_valid():
        try:
            services.mapping_save(problem=problem, by=request.user, **form.cleaned_data)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Kartläggningen är sparad."))
            return redirect(problem.get_absolute_url() + "#steg-2")
    return _form_page(
        request,
        form,
        title=_("2. Egen kartläggning"),
        back=problem.get_absolute_url(),
        intro=_(
            "Varje part tar fram sin egen lokala lägesbild: aktuella problem, lokala "
            "förhållanden, behov och resurser."
        ),  # fmt: skip
        status=400 if form.errors else 200,
    )


@require_POST
def snapshot_create(request: HttpRequest, public_id) -> HttpResponse:
    problem = access.get_problem(request.user, public_id, write=True)
    form = forms.SnapshotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj steg och vilka siffror som ska sparas."))
    else:
        try:
            services.snapshot_take(problem=problem, by=request.user, **form.cleaned_data)
            messages.success(request, _("Siffrorna är sparade med dagens datum."))
        except InputError as error:
            messages.error(request, error.text())
    return redirect(problem.get_absolute_url() + "#siffror")


@creates_once
def measure_create(request: HttpRequest, public_id) -> HttpResponse:
    problem = access.get_problem(request.user, public_id, write=True)
    form = forms.MeasureForm(request.POST or None, problem=problem)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                measure = services.measure_create(problem=problem, by=request.user, **data)
                submission.created(measure, url=problem.get_absolute_url() + "#steg-5")
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Åtgärden är sparad."))
            return redirect(problem.get_absolute_url() + "#steg-5")
    return _form_page(
        request,
        form,
        title=_("5. Ny åtgärd med SMART-mål"),
        back=problem.get_absolute_url(),
        intro=_(
            "Specifikt, mätbart, accepterat, realistiskt och tidsatt. Pröva åtgärden mot "
            "barn-, jämställdhets-, funktionshinders-, hbtq- och äldreperspektivet."
        ),  # fmt: skip
        status=400 if form.errors else 200,
    )


def _measure(problem: Problem, measure_id) -> Measure:
    measure = problem.measures.filter(public_id=measure_id).first()
    if measure is None:
        raise Http404
    return measure


@creates_once
def evaluation_create(request: HttpRequest, public_id, measure_id) -> HttpResponse:
    problem = access.get_problem(request.user, public_id, write=True)
    measure = _measure(problem, measure_id)
    form = forms.EvaluationForm(
        request.POST or None, measure=measure, initial={"evaluated_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                evaluation = services.evaluation_create(measure=measure, by=request.user, **data)
                submission.created(evaluation, url=problem.get_absolute_url() + "#steg-7")
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Uppföljningen är sparad."))
            return redirect(problem.get_absolute_url() + "#steg-7")
    return _form_page(
        request,
        form,
        title=_("7. Följ upp %(m)s") % {"m": measure.title},
        back=problem.get_absolute_url(),
        intro=_(
            "Indikatorn nu jämförs med utgångsvärde och mål. För indikatorer från händelser "
            "skattas effekten mot de jämförelseområden du väljer."
        ),  # fmt: skip
        status=400 if form.errors else 200,
    )


@creates_once
def escalation_create(request: HttpRequest, public_id) -> HttpResponse:
    problem = access.get_problem(request.user, public_id, write=True)
    form = forms.EscalationForm(
        request.POST or None, initial={"step": steps.current_step(problem) or Step.FOLLOW_UP}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with page_once(request, data.pop(KEY_FIELD)) as submission:
            escalation = services.escalation_create(problem=problem, by=request.user, **data)
            submission.created(escalation, url=problem.get_absolute_url() + "#hinder")
        messages.success(request, _("Hindret är lyft till central nivå."))
        return redirect(problem.get_absolute_url() + "#hinder")
    return _form_page(
        request,
        form,
        title=_("Lyft ett hinder till central nivå"),
        back=problem.get_absolute_url(),
        intro=_(
            "Uppstår hinder i det lokala arbetet ska det lyftas till den centrala nivån. "
            "Styrgruppen ser alla lyfta hinder."
        ),  # fmt: skip
        status=400 if form.errors else 200,
    )


@require_POST
def escalation_update(request: HttpRequest, public_id) -> HttpResponse:
    escalation = Escalation.objects.filter(public_id=public_id).select_related("problem").first()
    if escalation is None:
        raise Http404
    access.check(request.user, escalation.problem, write=True)
    form = forms.EscalationUpdateForm(request.POST)
    if form.is_valid():
        services.escalation_update(escalation=escalation, by=request.user, **form.cleaned_data)
        messages.success(request, _("Hindret är uppdaterat."))
    else:
        messages.error(request, _("Okänd status."))
    return redirect(escalation.problem.get_absolute_url() + "#hinder")


# Activities and indicators ---------------------------------------------------------


def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    group_access = get_group(request.user, slug)
    activities = (
        Activity.objects.filter(group=group_access.group)
        .select_related("responsible", "measure__problem")
        .prefetch_related("areas")
    )
    kind = request.GET.get("typ", "")
    if kind in forms.PreventionType.values:
        activities = activities.filter(prevention_type=kind)
    return render(
        request,
        "steering/activity_list.html",
        {
            "group": group_access.group,
            "can_write": group_access.can_coordinate,
            "activities": activities,
            "kinds": forms.PreventionType.choices,
            "kind": kind,
        },
    )


@creates_once
def activity_create(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group(request.user, slug, coordinate=True).group
    initial = {"measure": request.GET.get("atgard", "")}
    form = forms.ActivityForm(request.POST or None, group=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                activity = services.activity_create(by=request.user, group=group, **data)
                submission.created(activity, url=reverse("steering:activities", args=[slug]))
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Aktiviteten är registrerad."))
            return redirect("steering:activities", slug)
    return _form_page(
        request,
        form,
        title=_("Ny aktivitet"),
        back=reverse("steering:activities", args=[slug]),
        status=400 if form.errors else 200,
    )


@creates_once
def indicator_create(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group(request.user, slug, coordinate=True).group
    form = forms.IndicatorForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.pop(KEY_FIELD)) as submission:
                indicator = services.indicator_create(by=request.user, group=group, **data)
                submission.created(indicator)
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Indikatorn är sparad."))
            return redirect(indicator)
    return _form_page(
        request,
        form,
        title=_("Ny indikator"),
        back=reverse("steering:group", args=[slug]),
        status=400 if form.errors else 200,
    )


def indicator_detail(request: HttpRequest, public_id) -> HttpResponse:
    indicator = access.get_indicator(request.user, public_id)
    points = indicators.series(indicator)
    return render(
        request,
        "steering/indicator_detail.html",
        {
            "indicator": indicator,
            "can_write": access.can_write(request.user, indicator),
            "points": points,
            "chart": indicators.chart(indicator, points),
            "has_interval": any(p.low is not None for p in points),
            "rate_unavailable": indicators.rate_unavailable(indicator),
            "value_form": forms.IndicatorValueForm(),
            "measures": indicator.measures.select_related("problem"),
        },
    )


@require_POST
def indicator_value_add(request: HttpRequest, public_id) -> HttpResponse:
    indicator = access.get_indicator(request.user, public_id, write=True)
    form = forms.IndicatorValueForm(request.POST)
    if form.is_valid():
        try:
            services.indicator_value_save(indicator=indicator, by=request.user, **form.cleaned_data)
            messages.success(request, _("Värdet är sparat."))
        except InputError as error:
            messages.error(request, error.text())
    else:
        errors = "; ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(str(m) for m in e)}"
                           for f, e in form.errors.items())  # fmt: skip
        messages.error(request, _("Värdet sparades inte: %(e)s") % {"e": errors})
    return redirect(indicator)
