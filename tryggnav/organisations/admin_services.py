"""Writes of a municipality's administration pages: organisations, people, collaboration
groups and the coordination function. Each checks what it must keep true (a group keeps
its lead organisation, an organisation its last admin) and writes the audit log.

Refusals are ``InputError``s in Swedish and English naming the field, shown on the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from tryggnav.areas.models import Area, Municipality
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_create, audit_delete, audit_record, audit_update, snapshot
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import (
    CollaborationGroup,
    CoordinationFunction,
    GroupMembership,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from tryggnav.organisations.services import invitation_create
from tryggnav.organisations.setup import QUIET_MAIL_BACKENDS


def _unique_slug(model: Any, name: str, *, field: str = "name") -> str:
    base = slugify(name)[:70] or "org"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _name(value: str, *, field: str = "name") -> str:
    name = " ".join((value or "").split())
    if not name:
        raise InputError.single("Ange ett namn.", "Give a name.", field=field)
    return name


# Organisations


def organisation_create(
    *, name: str, kind: str, municipality: Municipality, by: Any, admin_of: Organisation
) -> Organisation:
    name = _name(name)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name,
            slug=_unique_slug(Organisation, name),
            kind=kind,
            municipality=municipality,
        )
        audit_create(actor=by, obj=organisation, organisation=admin_of)
    return organisation


def organisation_update(
    *,
    organisation: Organisation,
    name: str,
    kind: str,
    municipality: Municipality,
    by: Any,
    admin_of: Organisation,
) -> Organisation:
    if organisation.pk == admin_of.pk and (
        kind != organisation.kind or municipality.pk != organisation.municipality_id
    ):
        raise InputError.single(
            "Den egna kommunorganisationens typ och hemkommun kan inte ändras här.",
            "The municipality's own organisation cannot change its kind or home municipality here.",
            field="kind",
        )
    before = snapshot(organisation)
    organisation.name = _name(name)
    organisation.kind = kind
    organisation.municipality = municipality
    with transaction.atomic():
        organisation.save(update_fields=["name", "kind", "municipality"])
        audit_update(actor=by, obj=organisation, before=before, organisation=admin_of)
    return organisation


def organisation_set_active(
    *, organisation: Organisation, active: bool, by: Any, admin_of: Organisation
) -> Organisation:
    """Deactivate (or reactivate) an organisation. Its reports, memberships and history
    stay; while deactivated its members have no access through it."""
    if not active and organisation.pk == admin_of.pk:
        raise InputError.single(
            "Kommunens egen organisation kan inte avaktiveras.",
            "The municipality's own organisation cannot be deactivated.",
            field="organisation",
        )
    led = list(organisation.led_groups.values_list("name", flat=True))
    if not active and led:
        names = ", ".join(led)
        raise InputError.single(
            f"{organisation.name} är sammankallande i {names}: byt sammankallande först.",
            f"{organisation.name} leads {names}: choose another lead organisation first.",
            field="organisation",
        )
    before = snapshot(organisation)
    with transaction.atomic():
        organisation.is_active = active
        organisation.save(update_fields=["is_active"])
        audit_update(actor=by, obj=organisation, before=before, organisation=admin_of)
    return organisation


# People


def mail_configured() -> bool:
    return settings.MAILERS["default"]["BACKEND"] not in QUIET_MAIL_BACKENDS


def person_invite(*, organisation: Organisation, email: str, role: str, by: Any) -> Invitation:
    """Invite a person; the page shows the invitation link (and mails it when mail is
    configured), as ``tryggnav setup`` does for the first admin."""

    try:
        return invitation_create(
            organisation=organisation, email=email, role=role, by=by, send=mail_configured()
        )
    except ValidationError as error:
        raise InputError.single(
            " ".join(error.messages),
            f"{email.strip().lower()} is already a member.",
            field="email",
        ) from None


def membership_set_active(*, membership: Membership, active: bool, by: Any) -> Membership:
    """End (or resume) a person's membership. The person's reports and history stay; a
    person with no active membership left cannot log in."""
    if not active and membership.role == Role.ADMIN:
        others = Membership.objects.filter(
            organisation=membership.organisation, role=Role.ADMIN, deactivated__isnull=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise InputError.single(
                "Organisationen måste ha minst en aktiv administratör.",
                "The organisation must keep at least one active admin.",
                field="membership",
            )
    before = snapshot(membership)
    user = membership.user
    with transaction.atomic():
        membership.deactivated = None if active else timezone.now()
        membership.save(update_fields=["deactivated"])
        audit_update(actor=by, obj=membership, before=before, organisation=membership.organisation)
        still_active = Membership.objects.filter(user=user, deactivated__isnull=True).exists()
        if user.is_active != still_active:
            user_before = snapshot(user, exclude=["password"])
            user.is_active = still_active
            user.save(update_fields=["is_active"])
            audit_update(
                actor=by, obj=user, before=user_before, organisation=membership.organisation
            )
    return membership


def membership_move(*, membership: Membership, organisation: Organisation, by: Any) -> Membership:
    """Move a person to another organisation, keeping role and history."""
    if organisation.pk == membership.organisation_id:
        return membership
    if Membership.objects.filter(user=membership.user, organisation=organisation).exists():
        raise InputError.single(
            f"{membership.user.email} är redan medlem i {organisation.name}.",
            f"{membership.user.email} is already a member of {organisation.name}.",
            field="organisation",
        )
    if membership.role == Role.ADMIN:
        others = Membership.objects.filter(
            organisation=membership.organisation, role=Role.ADMIN, deactivated__isnull=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise InputError.single(
                "Organisationen måste ha minst en aktiv administratör.",
                "The organisation must keep at least one active admin.",
                field="organisation",
            )
    before = snapshot(membership)
    old = membership.organisation
    with transaction.atomic():
        membership.organisation = organisation
        membership.save(update_fields=["organisation"])
        audit_update(actor=by, obj=membership, before=before, organisation=old)
        audit_update(actor=by, obj=membership, before=before, organisation=organisation)
    return membership


# Collaboration groups


def _check_lead(lead: Organisation) -> None:
    if not lead.is_active:
        raise InputError.single(
            f"{lead.name} är avaktiverad och kan inte vara sammankallande.",
            f"{lead.name} is deactivated and cannot lead a group.",
            field="lead_organisation",
        )


def _deadline(weekday: int | None, hour: int | None) -> dict[str, int]:
    """The weekly reports' deadline fields given (None: left as they are)."""
    if weekday is not None and not 1 <= weekday <= 7:
        raise InputError.single(
            f"Okänd veckodag {weekday}.", f"Unknown weekday {weekday}.", field="report_weekday"
        )
    if hour is not None and not 0 <= hour <= 23:
        raise InputError.single(
            f"Okänd timme {hour}.", f"Unknown hour {hour}.", field="report_hour"
        )
    values = {"report_weekday": weekday, "report_hour": hour}
    return {field: value for field, value in values.items() if value is not None}


def group_create(
    *,
    name: str,
    municipality: Municipality,
    lead_organisation: Organisation,
    description: str = "",
    meeting_rhythm: str,
    steering_group: CollaborationGroup | None = None,
    by: Any,
    admin_of: Organisation,
    report_weekday: int | None = None,
    report_hour: int | None = None,
) -> CollaborationGroup:
    name = _name(name)
    _check_lead(lead_organisation)
    with transaction.atomic():
        group = CollaborationGroup.objects.create(
            name=name,
            slug=_unique_slug(CollaborationGroup, name),
            municipality=municipality,
            lead_organisation=lead_organisation,
            description=description,
            meeting_rhythm=meeting_rhythm,
            steering_group=steering_group,
            **_deadline(report_weekday, report_hour),
        )
        GroupMembership.objects.create(group=group, organisation=lead_organisation)
        audit_create(actor=by, obj=group, organisation=admin_of)
    return group


def group_update(
    *,
    group: CollaborationGroup,
    name: str,
    lead_organisation: Organisation,
    description: str,
    meeting_rhythm: str,
    steering_group: CollaborationGroup | None,
    by: Any,
    admin_of: Organisation,
    report_weekday: int | None = None,
    report_hour: int | None = None,
) -> CollaborationGroup:
    _check_lead(lead_organisation)
    if steering_group is not None and steering_group.pk == group.pk:
        raise InputError.single(
            "En grupp kan inte vara sin egen styrgrupp.",
            "A group cannot be its own steering group.",
            field="steering_group",
        )
    before = snapshot(group)
    group.name = _name(name)
    group.lead_organisation = lead_organisation
    group.description = description
    group.meeting_rhythm = meeting_rhythm
    group.steering_group = steering_group
    for field, value in _deadline(report_weekday, report_hour).items():
        setattr(group, field, value)
    with transaction.atomic():
        group.save()
        GroupMembership.objects.get_or_create(group=group, organisation=lead_organisation)
        audit_update(actor=by, obj=group, before=before, organisation=admin_of)
    return group


def group_member_set(
    *,
    group: CollaborationGroup,
    organisation: Organisation,
    reports_weekly: bool,
    by: Any,
    admin_of: Organisation,
) -> GroupMembership:
    """Add a member organisation to a group, or change whether it reports weekly."""
    with transaction.atomic():
        member, created = GroupMembership.objects.get_or_create(
            group=group, organisation=organisation, defaults={"reports_weekly": reports_weekly}
        )
        if created:
            if not organisation.is_active:
                raise InputError.single(
                    f"{organisation.name} är avaktiverad.",
                    f"{organisation.name} is deactivated.",
                    field="organisation",
                )
            audit_create(actor=by, obj=member, organisation=admin_of)
        elif member.reports_weekly != reports_weekly:
            before = snapshot(member)
            member.reports_weekly = reports_weekly
            member.save(update_fields=["reports_weekly"])
            audit_update(actor=by, obj=member, before=before, organisation=admin_of)
    return member


def group_member_remove(*, member: GroupMembership, by: Any, admin_of: Organisation) -> None:
    if member.organisation_id == member.group.lead_organisation_id:
        raise InputError.single(
            "Den sammankallande organisationen kan inte tas bort ur gruppen.",
            "The lead organisation cannot be removed from the group.",
            field="organisation",
        )

    with transaction.atomic():
        audit_delete(actor=by, obj=member, organisation=admin_of)
        member.delete()


def group_set_areas(
    *, group: CollaborationGroup, areas: Iterable[Area], by: Any, admin_of: Organisation
) -> CollaborationGroup:
    new = sorted({a.pk: a for a in areas}.values(), key=lambda a: a.pk)
    outside = [a.name for a in new if a.municipality_id != group.municipality_id]
    if outside:
        raise InputError.single(
            f"Områden utanför gruppens kommun: {', '.join(outside)}.",
            f"Areas outside the group's municipality: {', '.join(outside)}.",
            field="areas",
        )
    old = sorted(group.areas.values_list("name", flat=True))
    with transaction.atomic():
        group.areas.set(new)
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=group,
            organisation=admin_of,
            changes={"areas": [old, sorted(a.name for a in new)]},
        )
    return group


# The coordination function


def coordination_function_save(
    *,
    organisation: Organisation,
    holder: Any,
    holder_title: str,
    unit: str,
    mandate: str,
    decided_on: date | None,
    decision_reference: str,
    by: Any,
) -> CoordinationFunction:
    if not mandate.strip():
        raise InputError.single("Beskriv mandatet.", "Describe the mandate.", field="mandate")
    values = {
        "holder": holder,
        "holder_title": _name(holder_title, field="holder_title"),
        "unit": unit.strip(),
        "mandate": mandate.strip(),
        "decided_on": decided_on,
        "decision_reference": decision_reference.strip(),
    }
    with transaction.atomic():
        function = CoordinationFunction.objects.filter(organisation=organisation).first()
        if function is None:
            function = CoordinationFunction.objects.create(organisation=organisation, **values)
            audit_create(actor=by, obj=function, organisation=organisation)
            return function
        before = snapshot(function, exclude=["updated"])
        for key, value in values.items():
            setattr(function, key, value)
        function.save()
        audit_update(actor=by, obj=function, before=before, organisation=organisation)
    return function
