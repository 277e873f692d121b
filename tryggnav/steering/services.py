"""Writes of the steering module. Every write is audited, every step of a problem too.

Keyword-only, typed, ``<entity>_<verb>``. Views, the API and the demo loader call
these; bad input raises ``InputError`` and writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from tryggnav.areas.models import Area
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_create, audit_record, audit_update, snapshot
from tryggnav.incidents.models import Category
from tryggnav.lib.errors import Conflict, InputError, person
from tryggnav.organisations.models import CollaborationGroup, Organisation
from tryggnav.steering import figures, indicators, steps
from tryggnav.steering.models import (
    Activity,
    Agreement,
    AgreementParty,
    Escalation,
    Evaluation,
    FigureSnapshot,
    Indicator,
    IndicatorValue,
    Measure,
    PartyMapping,
    PriorityArea,
    Problem,
    ProblemStep,
    Step,
)

PROBLEM_STEP_FIELDS = {
    Step.INITIATION: ("decided_by", "decided_on", "reason"),
    Step.JOINT_MAPPING: ("joint_summary", "prioritised", "left_out"),
    Step.CAUSE_ANALYSIS: (
        "cause_place",
        "cause_time",
        "cause_offenders",
        "cause_victims",
        "cause_guardians",
        "cause_summary",
    ),
}


def _check_period(starts: datetime.date, ends: datetime.date | None, field: str = "ends") -> None:
    if ends is not None and ends < starts:
        raise InputError.single(
            "Slutdatum ligger före startdatum.",
            "The end date is before the start date.",
            field=field,
        )


def _check_areas(municipality_id: str | None, areas: Iterable[Area], field: str = "areas") -> None:
    for area in areas:
        if area.municipality_id != municipality_id:
            raise InputError.single(
                f"{area} ligger inte i kommunen.",
                f"{area} is not in the municipality.",
                field=field,
            )


def _check_members(
    group: CollaborationGroup | None, orgs: Iterable[Organisation], field: str
) -> None:
    if group is None:
        return
    members = set(group.organisations.values_list("pk", flat=True))
    for org in orgs:
        if org.pk not in members:
            raise InputError.single(
                f"{org} är inte med i {group}.", f"{org} is not a member of {group}.", field=field
            )


def _owner(group: CollaborationGroup | None, organisation: Organisation | None) -> dict[str, Any]:
    if (group is None) == (organisation is None):
        raise ValueError("exactly one of group and organisation")
    return {"group": group, "organisation": None if group else organisation}


# Agreements ------------------------------------------------------------------


def _set_parties(
    agreement: Agreement, organisations: list[Organisation], others: list[str]
) -> None:
    keep_orgs = {o.pk for o in organisations}
    keep_names = {n.strip() for n in others if n.strip()}
    agreement.parties.exclude(organisation_id__in=keep_orgs).filter(
        organisation__isnull=False
    ).delete()
    agreement.parties.filter(organisation__isnull=True).exclude(name__in=keep_names).delete()
    order = 0
    for org in organisations:
        AgreementParty.objects.update_or_create(
            agreement=agreement, organisation=org, defaults={"order": order}
        )
        order += 1
    for name in keep_names:
        AgreementParty.objects.update_or_create(
            agreement=agreement, organisation=None, name=name, defaults={"order": order}
        )
        order += 1


def _set_priorities(agreement: Agreement, names: list[str]) -> None:
    names = [n.strip() for n in names if n.strip()]
    agreement.priority_areas.exclude(name__in=names).delete()
    for order, name in enumerate(names):
        PriorityArea.objects.update_or_create(
            agreement=agreement, name=name, defaults={"order": order}
        )


def agreement_create(
    *,
    by: Any,
    group: CollaborationGroup | None = None,
    organisation: Organisation | None = None,
    kind: str,
    title: str,
    starts: datetime.date,
    ends: datetime.date,
    parent: Agreement | None = None,
    purpose: str = "",
    decided_by: str = "",
    decision_reference: str = "",
    decision_date: datetime.date | None = None,
    areas: Iterable[Area] = (),
    steering_group: str = "",
    meeting_rhythm: str = "",
    source: str = "",
    party_organisations: Iterable[Organisation] = (),
    other_parties: Iterable[str] = (),
    priority_areas: Iterable[str] = (),
    is_demo: bool = False,
) -> Agreement:
    owner = _owner(group, organisation)
    _check_period(starts, ends)
    areas = list(areas)
    party_organisations = list(party_organisations)
    _check_members(group, party_organisations, "party_organisations")
    if parent is not None and parent.kind != Agreement.Kind.INTENT:
        raise InputError.single(
            "En överenskommelse kan bara ligga under en avsiktsförklaring.",
            "An agreement can only sit under a declaration of intent.",
            field="parent",
        )
    with transaction.atomic():
        agreement = Agreement(
            **owner,
            kind=kind,
            title=title,
            starts=starts,
            ends=ends,
            parent=parent,
            purpose=purpose,
            decided_by=decided_by,
            decision_reference=decision_reference,
            decision_date=decision_date,
            steering_group=steering_group,
            meeting_rhythm=meeting_rhythm,
            source=source,
            is_demo=is_demo,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        _check_areas(agreement.municipality_id, areas)
        agreement.save()
        agreement.areas.set(areas)
        _set_parties(agreement, party_organisations, list(other_parties))
        _set_priorities(agreement, list(priority_areas))
        audit_create(actor=by, obj=agreement, organisation=agreement.audit_organisation)
    return agreement


def agreement_update(
    *,
    agreement: Agreement,
    by: Any,
    areas: Iterable[Area] | None = None,
    party_organisations: Iterable[Organisation] | None = None,
    other_parties: Iterable[str] | None = None,
    priority_areas: Iterable[str] | None = None,
    **fields: Any,
) -> Agreement:
    allowed = {
        "kind", "title", "starts", "ends", "parent", "purpose", "decided_by",
        "decision_reference", "decision_date", "steering_group", "meeting_rhythm", "source",
    }  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    with transaction.atomic():
        before = snapshot(agreement)
        for name, value in fields.items():
            setattr(agreement, name, value)
        _check_period(agreement.starts, agreement.ends)
        if agreement.parent_id == agreement.pk:
            agreement.parent = None
        changes = {}
        if areas is not None:
            areas = list(areas)
            _check_areas(agreement.municipality_id, areas)
            agreement.areas.set(areas)
            changes["areas"] = [a.name for a in areas]
        if party_organisations is not None or other_parties is not None:
            orgs = list(party_organisations or [])
            _check_members(agreement.group, orgs, "party_organisations")
            _set_parties(agreement, orgs, list(other_parties or []))
            changes["parties"] = [p.display_name for p in agreement.parties.all()]
        if priority_areas is not None:
            _set_priorities(agreement, list(priority_areas))
            changes["priority_areas"] = [p.name for p in agreement.priority_areas.all()]
        agreement.save()
        audit_update(
            actor=by,
            obj=agreement,
            before=before,
            organisation=agreement.audit_organisation,
            note="; ".join(f"{k}: {v}" for k, v in changes.items()),
        )
    return agreement


def party_commitments_update(*, party: AgreementParty, by: Any, commitments: str) -> AgreementParty:
    with transaction.atomic():
        before = snapshot(party)
        party.commitments = commitments
        party.save()
        audit_update(
            actor=by,
            obj=party,
            before=before,
            organisation=party.agreement.audit_organisation,
            note=str(party.agreement),
        )
    return party


# Problems and their steps ---------------------------------------------------


def problem_create(
    *,
    by: Any,
    group: CollaborationGroup | None = None,
    organisation: Organisation | None = None,
    title: str,
    description: str = "",
    agreement: Agreement | None = None,
    priority_area: PriorityArea | None = None,
    areas: Iterable[Area] = (),
    categories: Iterable[Category] = (),
    is_demo: bool = False,
) -> Problem:
    owner = _owner(group, organisation)
    if (
        priority_area is not None
        and agreement is not None
        and priority_area.agreement_id != agreement.pk
    ):
        raise InputError.single(
            "Det prioriterade området hör till en annan överenskommelse.",
            "The priority area belongs to another agreement.",
            field="priority_area",
        )
    if priority_area is not None and agreement is None:
        agreement = priority_area.agreement
    areas = list(areas)
    with transaction.atomic():
        problem = Problem(
            **owner,
            title=title,
            description=description,
            agreement=agreement,
            priority_area=priority_area,
            is_demo=is_demo,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        _check_areas(problem.municipality_id, areas)
        problem.save()
        problem.areas.set(areas)
        problem.categories.set(list(categories))
        ProblemStep.objects.bulk_create(ProblemStep(problem=problem, number=s.value) for s in Step)
        audit_create(actor=by, obj=problem, organisation=problem.audit_organisation)
    return problem


def _refuse_if_completed(problem: Problem, step: int) -> None:
    if problem.steps.filter(number=step, completed__isnull=False).exists():
        raise InputError.single(
            f"Steg {step} är avslutat. Öppna steget igen för att ändra det.",
            f"Step {step} is completed. Reopen it to change it.",
        )


def problem_step_save(
    *,
    problem: Problem,
    by: Any,
    step: int,
    parties: Iterable[Organisation] | None = None,
    areas: Iterable[Area] | None = None,
    categories: Iterable[Category] | None = None,
    **fields: Any,
) -> Problem:
    """Save the content of step 1, 3 or 4 (the steps whose content is on the problem)."""
    step = Step(step)
    allowed = set(PROBLEM_STEP_FIELDS.get(step, ()))
    if not allowed or set(fields) - allowed:
        raise TypeError(f"step {step} has no fields {set(fields) - allowed}")
    _refuse_if_completed(problem, step)
    with transaction.atomic():
        before = snapshot(problem)
        for name, value in fields.items():
            setattr(problem, name, value)
        notes = []
        if step == Step.INITIATION:
            if parties is not None:
                parties = list(parties)
                _check_members(problem.group, parties, "parties")
                problem.parties.set(parties)
                notes.append("parter: " + ", ".join(p.name for p in parties))
            if areas is not None:
                areas = list(areas)
                _check_areas(problem.municipality_id, areas)
                problem.areas.set(areas)
                notes.append("områden: " + ", ".join(a.name for a in areas))
            if categories is not None:
                categories = list(categories)
                problem.categories.set(categories)
                notes.append("kategorier: " + ", ".join(c.name for c in categories))
        problem.save()
        audit_update(
            actor=by,
            obj=problem,
            before=before,
            organisation=problem.audit_organisation,
            note=f"Steg {step.value}: {step.label}. " + "; ".join(notes),
        )
    return problem


def problem_step_complete(*, problem: Problem, by: Any, step: int) -> ProblemStep:
    """Complete a step when its required content is there and the earlier steps are done.

    The step's row is locked (SELECT … FOR UPDATE) and re-read: of two coordinators
    completing it at once, the second waits and is told who completed it, and when."""
    step = Step(step)
    with transaction.atomic():
        record = problem.steps.select_for_update().get(number=step)
        if record.completed is not None:
            raise Conflict.handled(
                f"Steg {step.value} är redan avslutat",
                f"Step {step.value} was already completed",
                who=person(record.completed_by),
                when=record.completed,
            )
        earlier = problem.steps.filter(number__lt=step, completed__isnull=True)
        if earlier.exists():
            raise InputError.single(
                "Avsluta de tidigare stegen först.", "Complete the earlier steps first."
            )
        lacking = steps.missing(problem, step)
        if lacking:
            raise InputError.single(
                "Steget saknar: " + " ".join(lacking), "The step lacks required content."
            )
        record.completed = timezone.now()
        record.completed_by = by if getattr(by, "is_authenticated", False) else None
        record.save()
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=problem,
            organisation=problem.audit_organisation,
            changes={"step": [None, step.value]},
            note=f"Steg {step.value} avslutat: {step.label}",
        )
    return record


def _already_open(problem: Problem, step: Step) -> InputError:
    entry = AuditEntry.objects.filter(
        object_type=problem._meta.label_lower,
        object_id=str(problem.public_id),
        note__startswith=f"Steg {step.value} öppnat igen",
    ).first()
    if entry is None:
        return InputError.single(
            f"Steg {step.value} är inte avslutat.", f"Step {step.value} is not completed."
        )
    return Conflict.handled(
        f"Steg {step.value} är redan öppnat igen",
        f"Step {step.value} was already reopened",
        who=entry.actor_name.split(" <")[0],
        when=entry.at,
    )


def problem_step_reopen(*, problem: Problem, by: Any, step: int, reason: str = "") -> ProblemStep:
    """Reopen a step (and the later ones, which rest on it).

    The step rows are locked: of two coordinators reopening at once, the second finds
    the step open and is told who reopened it, and when."""
    step = Step(step)
    with transaction.atomic():
        locked = list(problem.steps.select_for_update().filter(number__gte=step))
        reopened = [record for record in locked if record.completed is not None]
        if not any(record.number == step for record in reopened):
            raise _already_open(problem, step)
        for record in reopened:
            record.completed = None
            record.completed_by = None
            record.save()
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=problem,
            organisation=problem.audit_organisation,
            changes={"reopened": [None, [r.number for r in reopened]]},
            note=f"Steg {step.value} öppnat igen: {step.label}. {reason}".strip(),
        )
    return problem.steps.get(number=step)


def mapping_save(
    *,
    problem: Problem,
    by: Any,
    organisation: Organisation,
    summary: str,
    resources: str = "",
    sources: str = "",
) -> PartyMapping:
    """Step 2: one party's own mapping (created or replaced)."""
    _refuse_if_completed(problem, Step.OWN_MAPPING)
    if not problem.parties.filter(pk=organisation.pk).exists():
        raise InputError.single(
            f"{organisation} är inte part i ärendet.",
            f"{organisation} is not a party to the problem.",
            field="organisation",
        )
    with transaction.atomic():
        mapping = PartyMapping.objects.filter(problem=problem, organisation=organisation).first()
        before = snapshot(mapping) if mapping else None
        if mapping is None:
            mapping = PartyMapping(problem=problem, organisation=organisation)
            mapping.created_by = by if getattr(by, "is_authenticated", False) else None
        mapping.summary = summary
        mapping.resources = resources
        mapping.sources = sources
        mapping.save()
        if before is None:
            audit_create(
                actor=by, obj=mapping, organisation=problem.audit_organisation, note="Steg 2"
            )
        else:
            audit_update(
                actor=by, obj=mapping, before=before, organisation=problem.audit_organisation
            )
    return mapping


def snapshot_take(
    *, problem: Problem, by: Any, step: int, kind: str, note: str = ""
) -> FigureSnapshot:
    """Compute the figures of ``kind`` for the problem now and store them with the date."""
    step = Step(step)
    if step not in (Step.JOINT_MAPPING, Step.CAUSE_ANALYSIS):
        raise InputError.single(
            "Siffror sparas i steg 3 och 4.", "Figures are stored in steps 3 and 4.", field="step"
        )
    _refuse_if_completed(problem, step)
    if not problem.categories.exists():
        raise InputError.single(
            "Välj händelsekategorier för ärendet först (steg 1).",
            "Choose the problem's categories first (step 1).",
            field="kind",
        )
    scope = figures.Scope.for_problem(problem)
    data = figures.compute(kind, scope)
    with transaction.atomic():
        shot = FigureSnapshot.objects.create(
            problem=problem,
            step=step,
            kind=kind,
            title=figures.title(kind, problem, scope),
            parameters=scope.as_dict(),
            data=data,
            note=note,
            taken=timezone.now(),
            taken_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=shot,
            organisation=problem.audit_organisation,
            changes={"parameters": [None, scope.as_dict()], "rows": [None, len(data)]},
            note=f"Steg {step.value}: {problem}",
        )
    return shot


def measure_create(
    *,
    problem: Problem,
    by: Any,
    agreed_by: Iterable[Organisation],
    areas: Iterable[Area] = (),
    **fields: Any,
) -> Measure:
    """Step 5: a measure with a SMART goal; the form checks SMART, this re-checks it."""
    _refuse_if_completed(problem, Step.MEASURES)
    agreed_by = list(agreed_by)
    areas = list(areas)
    _check_members(problem.group, agreed_by, "agreed_by")
    _check_areas(problem.municipality_id, areas)
    indicator = fields.get("indicator")
    if indicator is not None and indicator.owner != problem.owner:
        raise InputError.single(
            "Indikatorn hör till en annan ägare.",
            "The indicator has another owner.",
            field="indicator",
        )
    with transaction.atomic():
        measure = Measure(problem=problem, **fields)
        measure.created_by = by if getattr(by, "is_authenticated", False) else None
        if measure.deadline <= measure.baseline_date:
            raise InputError.single(
                "Slutdatum måste ligga efter utgångsvärdets datum.",
                "The deadline must be after the baseline date.",
                field="deadline",
            )
        measure.save()
        measure.agreed_by.set(agreed_by)
        measure.areas.set(areas)
        lacking = steps.measure_missing(measure)
        if lacking:
            raise InputError.single(" ".join(lacking), "The measure is not SMART.")
        audit_create(actor=by, obj=measure, organisation=problem.audit_organisation, note="Steg 5")
    return measure


def measure_status_update(*, measure: Measure, by: Any, status: str) -> Measure:
    with transaction.atomic():
        before = snapshot(measure)
        measure.status = status
        measure.save()
        audit_update(
            actor=by, obj=measure, before=before, organisation=measure.problem.audit_organisation
        )
    return measure


def activity_create(
    *,
    by: Any,
    group: CollaborationGroup | None = None,
    organisation: Organisation | None = None,
    title: str,
    starts: datetime.date,
    prevention_type: str,
    areas: Iterable[Area] = (),
    measure: Measure | None = None,
    responsible: Organisation | None = None,
    is_demo: bool = False,
    **fields: Any,
) -> Activity:
    """An activity in the register; with a measure, step 6 of its problem."""
    owner = _owner(group, organisation)
    _check_period(starts, fields.get("ends"))
    if fields.get("hours") is not None and fields["hours"] < 0:
        raise InputError.single(
            "Timmar kan inte vara negativt.", "Hours cannot be negative.", field="hours"
        )
    if measure is not None:
        if measure.problem.owner != (group or organisation):
            raise InputError.single(
                "Åtgärden hör till en annan ägare.",
                "The measure has another owner.",
                field="measure",
            )
        _refuse_if_completed(measure.problem, Step.IMPLEMENTATION)
    if responsible is not None:
        _check_members(group, [responsible], "responsible")
    areas = list(areas)
    with transaction.atomic():
        activity = Activity(
            **owner,
            title=title,
            starts=starts,
            prevention_type=prevention_type,
            measure=measure,
            responsible=responsible,
            is_demo=is_demo,
            created_by=by if getattr(by, "is_authenticated", False) else None,
            **fields,
        )
        _check_areas(activity.municipality_id, areas)
        activity.save()
        activity.areas.set(areas)
        audit_create(
            actor=by,
            obj=activity,
            organisation=activity.audit_organisation,
            note=f"Steg 6: {measure.problem}" if measure else "",
        )
    return activity


def evaluation_create(
    *,
    measure: Measure,
    by: Any,
    evaluated_on: datetime.date,
    conclusion: str,
    comparison_areas: Iterable[Area] = (),
) -> Evaluation:
    """Step 7: compute the follow-up figures now and store them with the assessment."""
    problem = measure.problem
    _refuse_if_completed(problem, Step.FOLLOW_UP)
    comparison_areas = list(comparison_areas)
    _check_areas(problem.municipality_id, comparison_areas, "comparison_areas")
    treated = set(measure.areas.values_list("pk", flat=True))
    if any(a.pk in treated for a in comparison_areas):
        raise InputError.single(
            "Ett jämförelseområde kan inte vara ett av åtgärdens områden.",
            "A comparison area cannot be one of the measure's areas.",
            field="comparison_areas",
        )
    data = indicators.follow_up(measure, comparison_areas=comparison_areas, today=evaluated_on)
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            measure=measure,
            evaluated_on=evaluated_on,
            figures=data,
            conclusion=conclusion,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        evaluation.comparison_areas.set(comparison_areas)
        audit_create(
            actor=by, obj=evaluation, organisation=problem.audit_organisation, note="Steg 7"
        )
    return evaluation


def escalation_create(
    *, problem: Problem, by: Any, step: int, obstacle: str, raised_to: str
) -> Escalation:
    with transaction.atomic():
        escalation = Escalation.objects.create(
            problem=problem,
            step=Step(step),
            obstacle=obstacle,
            raised_to=raised_to,
            raised_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_create(actor=by, obj=escalation, organisation=problem.audit_organisation)
    return escalation


def escalation_update(*, escalation: Escalation, by: Any, status: str, response: str) -> Escalation:
    with transaction.atomic():
        before = snapshot(escalation)
        escalation.status = status
        escalation.response = response
        escalation.save()
        audit_update(
            actor=by,
            obj=escalation,
            before=before,
            organisation=escalation.problem.audit_organisation,
        )
    return escalation


# Indicators -------------------------------------------------------------------


def indicator_create(
    *,
    by: Any,
    group: CollaborationGroup | None = None,
    organisation: Organisation | None = None,
    name: str,
    kind: str,
    areas: Iterable[Area] = (),
    categories: Iterable[Category] = (),
    is_demo: bool = False,
    **fields: Any,
) -> Indicator:
    owner = _owner(group, organisation)
    areas, categories = list(areas), list(categories)
    if kind == Indicator.Kind.INCIDENT and not categories:
        raise InputError.single(
            "En indikator från händelser behöver minst en kategori.",
            "An incident indicator needs at least one category.",
            field="categories",
        )
    _check_official(kind, fields)
    with transaction.atomic():
        indicator = Indicator(
            **owner,
            name=name,
            kind=kind,
            is_demo=is_demo,
            created_by=by if getattr(by, "is_authenticated", False) else None,
            **fields,
        )
        _check_areas(indicator.municipality_id, areas)
        indicator.save()
        indicator.areas.set(areas)
        indicator.categories.set(categories)
        audit_create(actor=by, obj=indicator, organisation=indicator.audit_organisation)
    return indicator


def _check_official(kind: str, fields: dict[str, Any]) -> None:
    """An official indicator names a known source and a series."""
    if kind != Indicator.Kind.OFFICIAL:
        fields.pop("official_source", None)
        fields.pop("official_series", None)
        return
    source, name = fields.get("official_source", ""), fields.get("official_series", "")
    if source not in Indicator.OfficialSource.values or not name:
        raise InputError.single(
            "Välj vilken officiell serie indikatorn följer (Brå, Kolada eller MSB IDA).",
            "Choose the official series the indicator follows (Brå, Kolada or MSB IDA).",
            field="official",
        )
    if not fields.get("source"):
        fields["source"] = f"{Indicator.OfficialSource(source).label}: {name}"


def indicator_value_save(
    *,
    indicator: Indicator,
    by: Any,
    period_start: datetime.date,
    label: str,
    value: float,
    low: float | None = None,
    high: float | None = None,
    note: str = "",
) -> IndicatorValue:
    """Add or replace the value of one period of a survey or manual indicator."""
    if indicator.kind in (Indicator.Kind.INCIDENT, Indicator.Kind.OFFICIAL):
        raise InputError.single(
            "Värden för en händelseindikator eller officiell statistik beräknas eller "
            "importeras; de matas inte in.",
            "Values of an incident or official-statistics indicator are computed or "
            "imported, not entered.",
        )
    if (low is not None and low > value) or (high is not None and high < value):
        raise InputError.single(
            "Intervallet måste omsluta värdet (nedre ≤ värde ≤ övre).",
            "The interval must contain the value (low ≤ value ≤ high).",
            field="low",
        )
    with transaction.atomic():
        row = IndicatorValue.objects.filter(indicator=indicator, period_start=period_start).first()
        before = snapshot(row) if row else None
        row = row or IndicatorValue(indicator=indicator, period_start=period_start)
        row.label, row.value, row.low, row.high, row.note = label, value, low, high, note
        row.save()
        if before is None:
            audit_create(actor=by, obj=row, organisation=indicator.audit_organisation)
        else:
            audit_update(
                actor=by, obj=row, before=before, organisation=indicator.audit_organisation
            )
    return row
