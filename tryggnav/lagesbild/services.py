"""Writes of the lägesbild module: meetings, their actions and focus areas. Audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation

from tryggnav.areas.models import Area
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_create, audit_delete, audit_update, snapshot
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import minutes
from tryggnav.lagesbild.models import Action, Focus, Meeting
from tryggnav.lib.errors import Conflict, InputError
from tryggnav.organisations.models import CollaborationGroup, Organisation


def meeting_get_or_create(
    *, group: CollaborationGroup, week: IsoWeek, by: Any, is_generated: bool = False
) -> tuple[Meeting, bool]:
    """The group's meeting for ``week``, created (and audited) if there is none yet."""
    existing = Meeting.objects.filter(group=group, iso_year=week.year, iso_week=week.week)
    with transaction.atomic():
        meeting = existing.first()
        if meeting is not None:
            return meeting, False
        try:
            # Two coordinators preparing the meeting at once: the unique constraint
            # makes the second wait for the first, and then it takes the first's.
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    group=group,
                    iso_year=week.year,
                    iso_week=week.week,
                    created_by=by,
                    held_on=week.sunday + datetime.timedelta(days=1),
                    is_generated=is_generated,
                )
        except IntegrityError:
            return existing.get(), False
        audit_create(actor=by, obj=meeting, organisation=group.lead_organisation)
    return meeting, True


def meeting_update(
    *,
    meeting: Meeting,
    by: Any,
    notes: str,
    attendees: str,
    held_on: datetime.date | None,
    status: str,
) -> Meeting:
    """Save the meeting; closing it (status held) stores its minutes as a new version."""
    with transaction.atomic():
        before = snapshot(meeting)
        closing = status == Meeting.Status.HELD and meeting.status != Meeting.Status.HELD
        meeting.notes = notes
        meeting.attendees = attendees
        meeting.held_on = held_on
        meeting.status = status
        meeting.save()
        audit_update(
            actor=by, obj=meeting, before=before, organisation=meeting.group.lead_organisation
        )
        if closing:
            version = minutes.store_version(meeting, by=by)
            audit_create(actor=by, obj=version, organisation=meeting.group.lead_organisation)
    return meeting


def _check_member(group: CollaborationGroup, organisation: Organisation) -> None:
    if not group.organisations.filter(pk=organisation.pk).exists():
        raise InputError.single(
            f"{organisation} är inte med i {group}.",
            f"{organisation} is not a member of {group}.",
            field="organisation",
        )


def _check_assignee(organisation: Organisation, assignee: Any) -> None:
    if assignee is None:
        return
    if not organisation.memberships.filter(user=assignee, deactivated__isnull=True).exists():
        raise InputError.single(
            f"{assignee} är inte med i {organisation}.",
            f"{assignee} is not a member of {organisation}.",
            field="assignee",
        )


def _check_area(group: CollaborationGroup, area: Area | None) -> None:
    if area is not None and area.municipality_id != group.municipality_id:
        raise InputError.single(
            f"{area} ligger inte i gruppens kommun.",
            f"{area} is not in the group's municipality.",
            field="area",
        )


def action_create(
    *,
    meeting: Meeting,
    by: Any,
    what: str,
    organisation: Organisation,
    due: datetime.date,
    area: Area | None = None,
    place_text: str = "",
    assignee: Any = None,
) -> Action:
    """Record a decision of ``meeting``: what, where, who (the organisation and, if
    named, a person of it), until when."""
    group = meeting.group
    _check_member(group, organisation)
    _check_area(group, area)
    _check_assignee(organisation, assignee)
    if not what.strip():
        raise InputError.single("Skriv vad som ska göras.", "Say what is to be done.", field="what")
    with transaction.atomic():
        action = Action.objects.create(
            group=group,
            meeting=meeting,
            paragraph=_next_paragraph(meeting),
            paragraph_year=meeting.iso_year,
            what=what.strip(),
            organisation=organisation,
            due=due,
            area=area,
            place_text=place_text.strip(),
            assignee=assignee,
        )
        audit_create(actor=by, obj=action, organisation=group.lead_organisation)
    return action


def _next_paragraph(meeting: Meeting) -> int:
    """The next paragraph of the group's minutes in the meeting's year. The group's row is
    locked until the decision is stored, so two decisions never share a number."""
    CollaborationGroup.objects.select_for_update().filter(pk=meeting.group_id).first()
    last = Action.objects.filter(
        group_id=meeting.group_id, paragraph_year=meeting.iso_year
    ).aggregate(last=Max("paragraph"))["last"]
    return (last or 0) + 1


def _changed(action: Action) -> Conflict:
    entry = AuditEntry.objects.filter(
        object_type=Action._meta.label_lower, object_id=str(action.public_id)
    ).first()
    with translation.override("sv"):
        sv = str(action.get_status_display()).lower()
    with translation.override("en"):
        en = str(action.get_status_display()).lower()
    return Conflict.handled(
        f"Åtgärden är redan ändrad till {sv}",
        f"The action was already changed to {en}",
        who=entry.actor_name.split(" <")[0] if entry else "",
        when=entry.at if entry else None,
        field="status",
    )


def action_update(
    *,
    action: Action,
    by: Any,
    status: str,
    outcome: str = "",
    meeting: Meeting | None = None,
    due: datetime.date | None = None,
    seen: str = "",
) -> Action:
    """Follow up an action: mark it done or struck (at ``meeting``), or move its due date.

    The row is locked and re-read; ``seen`` is the status the page showed, and an
    action someone else has followed up since is refused with who and when."""
    if status not in Action.Status.values:
        raise InputError.single(
            f"Okänd status {status!r}.", f"Unknown status {status!r}.", field="status"
        )
    with transaction.atomic():
        action.refresh_from_db(from_queryset=Action.objects.select_for_update())
        if seen and seen != action.status:
            raise _changed(action)
        before = snapshot(action)
        action.status = status
        if outcome:
            action.outcome = outcome.strip()
        if due is not None:
            action.due = due
        if status == Action.Status.OPEN:
            action.closed_at = None
            action.closed_meeting = None
        elif action.closed_at is None:
            action.closed_at = timezone.now()
            action.closed_meeting = meeting
        action.save()
        audit_update(
            actor=by, obj=action, before=before, organisation=action.group.lead_organisation
        )
    return action


def focus_create(
    *, meeting: Meeting, by: Any, kind: str, description: str, area: Area | None = None
) -> Focus:
    """A focus area or hot-spot chosen for the week after ``meeting``."""
    _check_area(meeting.group, area)
    if not description.strip() and area is None:
        raise InputError.single(
            "Ange ett område eller en beskrivning.",
            "Give an area or a description.",
            field="description",
        )
    with transaction.atomic():
        focus = Focus.objects.create(
            meeting=meeting,
            kind=kind,
            area=area,
            description=description.strip() or (area.name if area else ""),
        )
        audit_create(actor=by, obj=focus, organisation=meeting.group.lead_organisation)
    return focus


def focus_delete(*, focus: Focus, by: Any) -> None:
    with transaction.atomic():
        audit_delete(actor=by, obj=focus, organisation=focus.meeting.group.lead_organisation)
        focus.delete()


def open_actions_before(meeting: Meeting) -> list[Action]:
    """Actions decided at earlier meetings that were still open: they carry over."""
    earlier = Action.objects.filter(group=meeting.group).filter(
        meeting__iso_year__lt=meeting.iso_year
    ) | Action.objects.filter(
        group=meeting.group,
        meeting__iso_year=meeting.iso_year,
        meeting__iso_week__lt=meeting.iso_week,
    )
    return list(
        earlier.filter(status=Action.Status.OPEN)
        .select_related("organisation", "area", "meeting")
        .order_by("due", "created")
    ) + list(
        # Closed at this meeting: still on its agenda, as followed up.
        Action.objects.filter(closed_meeting=meeting)
        .exclude(meeting=meeting)
        .select_related("organisation", "area", "meeting")
        .order_by("due")
    )
