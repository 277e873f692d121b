"""Writes of the programmes module. Every write is audited.

Keyword-only, typed, ``<entity>_<verb>``. Views and the demo loader call these; bad
input raises ``InputError`` and writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from tryggnav.audit.services import audit_create, audit_update, snapshot
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import CollaborationGroup, Organisation
from tryggnav.programmes.models import (
    AreaFollowUp,
    Assessment,
    FollowUp,
    Programme,
    ReportSnapshot,
    ResponsibilityArea,
    Section,
    SubGoal,
)
from tryggnav.steering.models import Activity, Agreement, Indicator, Measure


def _clean(text: str) -> str:
    return (text or "").strip()


def _check_header(
    organisation: Organisation,
    *,
    title: str,
    starts: datetime.date,
    ends: datetime.date | None,
    group: CollaborationGroup | None,
) -> None:
    if not _clean(title):
        raise InputError.single("Ange en rubrik.", "Give a title.", field="title")
    if ends is not None and ends < starts:
        raise InputError.single(
            "Slutdatum ligger före startdatum.",
            "The end date is before the start date.",
            field="ends",
        )
    if group is not None and not group.organisations.filter(pk=organisation.pk).exists():
        raise InputError.single(
            f"{organisation} är inte med i {group}.",
            f"{organisation} is not a member of {group}.",
            field="group",
        )


@transaction.atomic
def programme_create(
    *,
    by: Any,
    organisation: Organisation,
    title: str,
    starts: datetime.date,
    ends: datetime.date | None,
    kind: str = Programme.Kind.PROGRAMME,
    group: CollaborationGroup | None = None,
    overall_goal: str = "",
    description: str = "",
    decided_by: str = "",
    decision_reference: str = "",
    decision_date: datetime.date | None = None,
    follow_up_by: str = "",
    parent_area: ResponsibilityArea | None = None,
    source: str = "",
    is_demo: bool = False,
) -> Programme:
    _check_header(organisation, title=title, starts=starts, ends=ends, group=group)
    programme = Programme.objects.create(
        organisation=organisation,
        group=group,
        kind=kind,
        title=_clean(title),
        starts=starts,
        ends=ends,
        overall_goal=_clean(overall_goal),
        description=_clean(description),
        decided_by=decided_by,
        decision_reference=decision_reference,
        decision_date=decision_date,
        follow_up_by=follow_up_by,
        parent_area=parent_area,
        source=source,
        is_demo=is_demo,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_create(actor=by, obj=programme, organisation=organisation)
    return programme


EDITABLE = (
    "kind",
    "title",
    "group",
    "starts",
    "ends",
    "overall_goal",
    "description",
    "decided_by",
    "decision_reference",
    "decision_date",
    "follow_up_by",
)


@transaction.atomic
def programme_update(*, by: Any, programme: Programme, **values: Any) -> Programme:
    """Change a programme's header (title, period, goal, decision, group); audited."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    data = {name: getattr(programme, name) for name in EDITABLE} | values
    _check_header(
        programme.organisation,
        title=data["title"],
        starts=data["starts"],
        ends=data["ends"],
        group=data["group"],
    )
    before = snapshot(programme)
    for name in EDITABLE:
        value = data[name]
        setattr(programme, name, _clean(value) if isinstance(value, str) else value)
    programme.save()
    audit_update(actor=by, obj=programme, before=before, organisation=programme.organisation)
    return programme


@transaction.atomic
def area_create(
    *,
    by: Any,
    programme: Programme,
    name: str,
    goal: str = "",
    description: str = "",
    goals: Iterable[str] = (),
) -> ResponsibilityArea:
    """A responsibility area with its sub-goals (one per item of ``goals``)."""
    if not _clean(name):
        raise InputError.single("Ange ansvarsområdets namn.", "Give the area's name.", field="name")
    if programme.areas.filter(name=_clean(name)).exists():
        raise InputError.single(
            "Ansvarsområdet finns redan i programmet.",
            "The programme already has this area.",
            field="name",
        )
    order = programme.areas.count() + 1
    area = ResponsibilityArea.objects.create(
        programme=programme,
        order=order,
        name=_clean(name),
        goal=_clean(goal),
        description=_clean(description),
    )
    for i, text in enumerate(t for t in (_clean(g) for g in goals) if t):
        SubGoal.objects.create(area=area, order=i + 1, text=text)
    audit_create(
        actor=by,
        obj=area,
        organisation=programme.organisation,
        note=f"{programme}: {area.goals.count()} delmål",
    )
    return area


@transaction.atomic
def follow_up_create(
    *,
    by: Any,
    programme: Programme,
    year: int,
    introduction: str = "",
    source: str = "",
) -> FollowUp:
    """The follow-up of ``year``, with one part per responsibility area."""
    if not 1990 <= year <= 2100:
        raise InputError.single("Ange ett år mellan 1990 och 2100.", "Give a year.", field="year")
    if programme.follow_ups.filter(year=year).exists():
        raise InputError.single(
            f"Det finns redan en uppföljning för {year}.",
            f"There is already a follow-up for {year}.",
            field="year",
        )
    follow_up = FollowUp.objects.create(
        programme=programme,
        year=year,
        introduction=_clean(introduction),
        source=source,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    for area in programme.areas.all():
        AreaFollowUp.objects.create(follow_up=follow_up, area=area)
    audit_create(actor=by, obj=follow_up, organisation=programme.organisation)
    return follow_up


def _check_links(programme: Programme, objects: Iterable[Any], field: str) -> None:
    """Linked steering objects must belong to the programme's organisation or group."""
    for obj in objects:
        if obj.group_id and obj.group_id == programme.group_id:
            continue
        if obj.organisation_id and obj.organisation_id == programme.organisation_id:
            continue
        raise InputError.single(
            f"{obj} hör inte till programmets organisation eller samverkansgrupp.",
            f"{obj} does not belong to the programme's organisation or group.",
            field=field,
        )


@transaction.atomic
def area_follow_up_update(
    *,
    by: Any,
    item: AreaFollowUp,
    narrative: str,
    activities: Iterable[Activity] = (),
    measures: Iterable[Measure] = (),
    indicators: Iterable[Indicator] = (),
) -> AreaFollowUp:
    programme = item.follow_up.programme
    activities, indicators, measures = list(activities), list(indicators), list(measures)
    _check_links(programme, activities, "activities")
    _check_links(programme, indicators, "indicators")
    _check_links(programme, [m.problem for m in measures], "measures")
    before = snapshot(item)
    links_before = _links(item)
    item.narrative = _clean(narrative)
    item.save()
    item.activities.set(activities)
    item.measures.set(measures)
    item.indicators.set(indicators)
    links_after = _links(item)
    note = ""
    if links_after != links_before:
        note = "Kopplingar: " + ", ".join(links_after) if links_after else "Kopplingar borttagna"
    audit_update(actor=by, obj=item, before=before, organisation=programme.organisation, note=note)
    return item


def _links(item: AreaFollowUp) -> list[str]:
    return sorted(
        [f"a:{a.public_id}" for a in item.activities.all()]
        + [f"m:{m.public_id}" for m in item.measures.all()]
        + [f"i:{i.public_id}" for i in item.indicators.all()]
    )


@transaction.atomic
def section_add(*, by: Any, item: AreaFollowUp, heading: str, text: str) -> Section:
    if not _clean(heading) or not _clean(text):
        raise InputError.single("Ange rubrik och text.", "Give a heading and a text.")
    section = Section.objects.create(
        area_follow_up=item,
        order=item.sections.count() + 1,
        heading=_clean(heading),
        text=_clean(text),
    )
    audit_create(actor=by, obj=section, organisation=item.follow_up.programme.organisation)
    return section


@transaction.atomic
def assessment_save(
    *, by: Any, follow_up: FollowUp, goal: SubGoal, status: str, justification: str = ""
) -> Assessment:
    """Set the assessment of ``goal`` in ``follow_up``. A justification is required for
    everything but "uppfyllt"."""
    if goal.area.programme_id != follow_up.programme_id:
        raise InputError.single(
            "Delmålet hör inte till programmet.",
            "The sub-goal is not in the programme.",
            field="goal",
        )
    if status not in Assessment.Status.values:
        raise InputError.single("Okänd bedömning.", "Unknown assessment.", field="status")
    justification = _clean(justification)
    if status != Assessment.Status.MET and not justification:
        raise InputError.single(
            "Motivera bedömningen när målet inte är uppfyllt.",
            "Justify the assessment when the goal is not met.",
            field="justification",
        )
    actor = by if getattr(by, "is_authenticated", False) else None
    existing = Assessment.objects.filter(follow_up=follow_up, goal=goal).first()
    organisation = follow_up.programme.organisation
    if existing is None:
        assessment = Assessment.objects.create(
            follow_up=follow_up,
            goal=goal,
            status=status,
            justification=justification,
            assessed_by=actor,
        )
        audit_create(actor=by, obj=assessment, organisation=organisation)
        return assessment
    before = snapshot(existing)
    existing.status = status
    existing.justification = justification
    existing.assessed_by = actor
    existing.save()
    audit_update(actor=by, obj=existing, before=before, organisation=organisation)
    return existing


@transaction.atomic
def report_snapshot_record(
    *, by: Any, agreement: Agreement, figures: dict[str, Any], note: str = ""
) -> ReportSnapshot:
    """Record a steering-group status report as presented, with its figures."""
    item = ReportSnapshot.objects.create(
        kind=ReportSnapshot.Kind.STATUS,
        agreement=agreement,
        figures=figures,
        note=_clean(note)[:2000],
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_create(actor=by, obj=item, organisation=agreement.audit_organisation, note=str(agreement))
    return item
