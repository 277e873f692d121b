"""What is due to be told, and to whom: one ``Due`` per recipient and thing.

Each function reads the current state (the same reads as the pages) and returns
what should exist as notifications at ``now``; ``services.notifications_create``
keeps only what has not been made before (the key holds the thing and its period).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from tryggnav.audit.services import mask
from tryggnav.documents import due as law_due
from tryggnav.documents.models import Contribution, Status
from tryggnav.incidents.coverage import group_week_coverage
from tryggnav.incidents.models import Incident
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild.models import Action
from tryggnav.notifications.models import Kind
from tryggnav.organisations.models import CollaborationGroup, Organisation, Role
from tryggnav.programmes.models import FollowUp, Programme
from tryggnav.steering.models import Escalation


@dataclass(frozen=True)
class Due:
    recipient: Any
    kind: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""


def people(organisation_ids: Iterable[int], role: str) -> list[Any]:
    """Active users with at least ``role`` in one of the (active) organisations."""
    allowed = [r.value for r in Role if Role.at_least(r.value, role)]
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation_id__in=list(organisation_ids),
            memberships__organisation__is_active=True,
            memberships__role__in=allowed,
            memberships__deactivated__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def _coordinators(group: CollaborationGroup) -> list[Any]:
    return people([group.lead_organisation_id], Role.COORDINATOR)


def missing_report_key(group: CollaborationGroup, organisation: Organisation, week: IsoWeek) -> str:
    return f"missing:{group.pk}:{organisation.pk}:{week}"


def missing_report_notices(
    group: CollaborationGroup, organisation: Organisation, week: IsoWeek
) -> list[Due]:
    """The reminder to ``organisation``'s reporters that nothing came from them in ``week``."""
    params = {"organisation": organisation.name, "group": group.name, "week": str(week)}
    return [
        Due(
            user,
            Kind.MISSING_REPORT,
            missing_report_key(group, organisation, week),
            params,
            reverse("incidents:report"),
        )
        for user in people([organisation.pk], Role.REPORTER)
    ]


def report_deadline(group: CollaborationGroup, week: IsoWeek) -> datetime.datetime:
    day = datetime.date.fromisocalendar(week.year, week.week, group.report_weekday)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(group.report_hour)))


def missing_reports(now: datetime.datetime) -> Iterator[Due]:
    """Weekly reporters silent in the current week once the group's deadline has passed."""
    week = IsoWeek.of(timezone.localtime(now).date())
    groups = CollaborationGroup.objects.filter(lead_organisation__is_active=True)
    for group in groups.select_related("lead_organisation"):
        if now < report_deadline(group, week):
            continue
        coverage = group_week_coverage(group=group, year=week.year, week=week.week)
        for row in coverage.missing:
            if row.organisation.is_active:
                yield from missing_report_notices(group, row.organisation, week)


def _action_params(action: Action) -> dict[str, Any]:
    return {"what": mask(action.what), "group": action.group.name, "due": action.due.isoformat()}


def _action_people(action: Action) -> list[Any]:
    if action.assignee is not None and action.assignee.is_active:
        return [action.assignee]
    return people([action.organisation_id], Role.COORDINATOR)


def actions(now: datetime.datetime) -> Iterator[Due]:
    """Open actions: assigned to a person; due within a few days; past their date."""
    today = timezone.localtime(now).date()
    soon = today + datetime.timedelta(days=settings.TRYGGNAV_ACTION_DUE_DAYS)
    open_actions = Action.objects.filter(
        status=Action.Status.OPEN, group__lead_organisation__is_active=True
    ).select_related("group", "meeting", "assignee")
    for action in open_actions:
        url = action.meeting.get_absolute_url() + "#atgarder"
        params = _action_params(action)
        if action.assignee is not None and action.assignee.is_active:
            key = f"action-assigned:{action.pk}:{action.assignee_id}"
            yield Due(action.assignee, Kind.ACTION_ASSIGNED, key, params, url)
        if today <= action.due <= soon:
            kind, key = Kind.ACTION_DUE, f"action-due:{action.pk}:{action.due}"
        elif action.due < today:
            kind, key = Kind.ACTION_OVERDUE, f"action-overdue:{action.pk}:{action.due}"
        else:
            continue
        for user in _action_people(action):
            yield Due(user, kind, key, params, url)


def reviews(now: datetime.datetime) -> Iterator[Due]:
    """Per group and day: the reports shared with it that wait for review."""
    today = timezone.localtime(now).date()
    waiting = (
        Incident.objects.filter(
            sharing=Incident.Sharing.GROUP,
            status=Incident.Status.SUBMITTED,
            group__isnull=False,
        )
        .values("group")
        .annotate(n=Count("pk"))
    )
    counts = {row["group"]: row["n"] for row in waiting}
    groups = CollaborationGroup.objects.filter(pk__in=counts, lead_organisation__is_active=True)
    for group in groups:
        url = reverse("incidents:review_queue", args=[group.slug])
        params = {"group": group.name, "count": counts[group.pk]}
        for user in _coordinators(group):
            yield Due(user, Kind.REVIEW, f"review:{group.pk}:{today}", params, url)


def escalations(now: datetime.datetime) -> Iterator[Due]:
    """Open escalations, to the coordinators of the problem's owner."""
    for escalation in Escalation.objects.filter(status=Escalation.Status.OPEN).select_related(
        "problem", "problem__group"
    ):
        problem = escalation.problem
        owner = problem.group.lead_organisation_id if problem.group else problem.organisation_id
        if owner is None:
            continue
        params = {"problem": problem.title, "raised_to": escalation.raised_to}
        for user in people([owner], Role.COORDINATOR):
            yield Due(
                user,
                Kind.ESCALATION,
                f"escalation:{escalation.pk}",
                params,
                problem.get_absolute_url(),
            )


def follow_ups(now: datetime.datetime) -> Iterator[Due]:
    """Programmes in force last year whose follow-up of that year is not begun."""
    year = timezone.localtime(now).date().year - 1
    done = FollowUp.objects.filter(year=year).values("programme")
    programmes = (
        Programme.objects.filter(starts__year__lte=year)
        .exclude(ends__year__lt=year)
        .exclude(pk__in=done)
        .filter(organisation__is_active=True)
    )
    for programme in programmes:
        params = {"programme": programme.title, "year": year}
        for user in people([programme.organisation_id], Role.COORDINATOR):
            yield Due(
                user,
                Kind.FOLLOW_UP,
                f"follow-up:{programme.pk}:{year}",
                params,
                programme.get_absolute_url(),
            )


def law_documents(now: datetime.datetime) -> Iterator[Due]:
    """A municipality's lägesbild or åtgärdsplan due within its reminder days or overdue
    (by its own setting), to the coordinators of its organisation."""
    today = timezone.localtime(now).date()
    municipalities = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, is_active=True, law_cycle__isnull=False
    )
    for organisation in municipalities:
        for item in law_due.due_documents(organisation, today):
            state = "overdue" if item.overdue else "due"
            # The label's msgid, translated when the notification is read.
            document = "Lägesbild" if item.kind == "lagesbild" else "Åtgärdsplan"
            params = {"document": document, "organisation": organisation.name,
                      "due": item.due.isoformat(), "overdue": item.overdue}  # fmt: skip
            url = item.draft.get_absolute_url() if item.draft else reverse("documents:index")
            key = f"law-due:{organisation.pk}:{item.kind}:{item.due}:{state}"
            for user in people([organisation.pk], Role.COORDINATOR):
                yield Due(user, Kind.LAW_DOCUMENT_DUE, key, params, url)


def law_contributions(now: datetime.datetime) -> Iterator[Due]:
    """A party's contribution not yet done within a few days of its date or past it, to
    the party's reporters and coordinators."""
    today = timezone.localtime(now).date()
    soon = today + datetime.timedelta(days=settings.TRYGGNAV_ACTION_DUE_DAYS)
    missing = Contribution.objects.filter(
        done_at__isnull=True, due__isnull=False, due__lte=soon,
        document__status__in=[Status.DRAFT, Status.PROPOSED], organisation__is_active=True,
    ).select_related("organisation", "document")  # fmt: skip
    for contribution in missing:
        due = contribution.due
        assert due is not None  # filtered above
        state = "overdue" if due < today else "due"
        params = {"organisation": contribution.organisation.name,
                  "document": contribution.document.title, "due": due.isoformat()}  # fmt: skip
        key = f"law-contribution:{contribution.pk}:{due}:{state}"
        url = reverse("documents:contribution", args=[contribution.public_id])
        for user in people([contribution.organisation_id], Role.REPORTER):
            yield Due(user, Kind.LAW_CONTRIBUTION, key, params, url)


COLLECTORS = (
    missing_reports,
    actions,
    reviews,
    escalations,
    follow_ups,
    law_documents,
    law_contributions,
)


def due_notifications(now: datetime.datetime) -> list[Due]:
    return [due for collect in COLLECTORS for due in collect(now)]
