"""The start page ("Idag"): what each of the user's roles needs today.

- a coordinator, per group they coordinate: the review queue, last week's alerts,
  the weekly reporters who did not report, the actions past their date;
- a reporter: the report button, the organisation's most used categories, their own
  recent reports and their status;
- everyone: each group's latest lägesbild and the decisions of its latest meeting.

Each part reads through the same access rules as the pages it links to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tryggnav.documents import access as documents_access
from tryggnav.documents import due as documents_due
from tryggnav.incidents.forms import common_categories
from tryggnav.incidents.models import Incident
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild.models import Action, Meeting
from tryggnav.lagesbild.picture import Scope, compile_lagesbild
from tryggnav.notifications.collect import missing_report_key
from tryggnav.notifications.models import Notification
from tryggnav.organisations.access import GroupAccess, group_access, groups_of, organisations_of
from tryggnav.organisations.models import Role

OWN_REPORTS = 5


@dataclass
class CoordinatorPanel:
    group: Any
    review_count: int
    week: Any
    alerts: list[Any]
    missing: list[Any]
    late_actions: list[Any]
    # Organisations among the missing whose reporters were reminded of the week already.
    reminded: set[int] = field(default_factory=set)
    coverage: Any = None


@dataclass
class ReaderPanel:
    group: Any
    week: Any
    total: int
    alert_count: int
    meeting: Any
    decisions: list[Any] = field(default_factory=list)


@dataclass
class LawPanel:
    """A municipality's statutory documents due or overdue, and the parties' missing
    contributions (for its coordinators)."""

    organisation: Any
    due: list[Any]
    missing: list[Any]


@dataclass
class Today:
    coordinating: list[CoordinatorPanel]
    can_report: bool
    common_categories: list[Any]
    own_reports: list[Any]
    reading: list[ReaderPanel]
    law: list[LawPanel] = field(default_factory=list)
    # What the user's parties are asked to contribute to a lägesbild and have not done.
    asked: list[Any] = field(default_factory=list)


def today_for(user: Any) -> Today:
    groups = list(groups_of(user).select_related("municipality", "lead_organisation"))
    accesses = [a for a in (group_access(user, g) for g in groups) if a is not None]
    can_report = any(a.can_report for a in accesses)
    return Today(
        coordinating=[_coordinator_panel(a) for a in accesses if a.can_coordinate],
        can_report=can_report,
        common_categories=common_categories(user, accesses) if can_report else [],
        own_reports=_own_reports(user) if can_report else [],
        reading=[_reader_panel(a) for a in accesses],
        law=_law_panels(user),
        asked=documents_due.open_contributions(list(organisations_of(user, role=Role.REPORTER))),
    )


def _law_panels(user: Any) -> list[LawPanel]:
    today = timezone.localdate()
    panels = []
    for organisation in documents_access.municipalities_of(user, role=Role.COORDINATOR):
        panel = LawPanel(
            organisation,
            documents_due.due_documents(organisation, today),
            documents_due.missing_contributions(organisation),
        )
        if panel.due or panel.missing:
            panels.append(panel)
    return panels


def _last_week() -> Any:

    return IsoWeek.last_completed(timezone.localdate())


def _coordinator_panel(access: GroupAccess) -> CoordinatorPanel:
    return coordinator_panel(access.group)


def coordinator_panel(group: Any) -> CoordinatorPanel:
    """What a group's coordinator has to do: also a row of the municipality's overview."""
    week = _last_week()
    picture = compile_lagesbild(scope=Scope.for_group(group), week=week)
    coverage = picture.coverage
    missing = list(coverage.missing) if coverage is not None else []
    return CoordinatorPanel(
        group=group,
        review_count=Incident.objects.filter(
            group=group, sharing=Incident.Sharing.GROUP, status=Incident.Status.SUBMITTED
        ).count(),
        week=week,
        alerts=picture.alerts[:5],
        missing=missing,
        late_actions=list(
            Action.objects.filter(
                group=group, status=Action.Status.OPEN, due__lt=timezone.localdate()
            )
            .select_related("organisation", "meeting", "group")
            .order_by("due")[:10]
        ),
        reminded=_reminded(group, week, missing),
        coverage=coverage,
    )


def _reminded(group: Any, week: IsoWeek, missing: list[Any]) -> set[int]:
    keys = {
        missing_report_key(group, row.organisation, week): row.organisation.pk for row in missing
    }
    if not keys:
        return set()
    sent = Notification.objects.filter(key__in=keys).values_list("key", flat=True).distinct()
    return {keys[key] for key in sent}


def _own_reports(user: Any) -> list[Any]:

    return list(
        Incident.objects.filter(reported_by=user)
        .select_related("category", "group")
        .order_by("-reported_at")[:OWN_REPORTS]
    )


def _reader_panel(access: GroupAccess) -> ReaderPanel:

    group = access.group
    week = _last_week()
    picture = compile_lagesbild(scope=Scope.for_group(group), week=week, with_coverage=False)
    meeting = (
        Meeting.objects.filter(group=group, status=Meeting.Status.HELD)
        .order_by("-iso_year", "-iso_week")
        .first()
    )
    decisions = []
    if meeting is not None:
        decisions = list(
            Action.objects.filter(meeting=meeting).select_related("organisation").order_by("due")
        )
    return ReaderPanel(
        group=group,
        week=week,
        total=picture.total,
        alert_count=len(picture.alerts),
        meeting=meeting,
        decisions=decisions,
    )
