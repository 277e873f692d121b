"""Every write of deficiencies: one function per action, keyword-only, audited.

A change of state re-reads the row under a lock (``select_for_update``) in its
transaction and checks the state the page showed (``seen``) again, so of two people
acting on one deficiency at once only the first wins; the second gets a ``Conflict``
naming who changed it and when. Every change of status, owner or due date is written
to the audit log with the fields before and after.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from tryggnav.areas.locator import locate_area
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import (
    audit_create,
    audit_delete,
    audit_record,
    audit_update,
    diff,
    snapshot,
)
from tryggnav.incidents.photos import photo_clean
from tryggnav.inspections import notify, routing
from tryggnav.inspections.models import (
    Deficiency,
    OwnerPolygon,
    OwnerToken,
    RoutingRule,
    ServiceLevel,
    Status,
)
from tryggnav.lib.errors import Conflict, InputError, person
from tryggnav.organisations.models import Organisation

TOKEN_DAYS = 30

# The states each action may start from.
ALLOWED = {
    "receive": {Status.NEW},
    "plan": {Status.NEW, Status.RECEIVED, Status.PLANNED},
    "fix": {Status.NEW, Status.RECEIVED, Status.PLANNED},
    "decline": {Status.NEW, Status.RECEIVED, Status.PLANNED},
    "verify": {Status.FIXED},
    "reopen": {Status.FIXED, Status.VERIFIED},
    "route": {Status.NEW, Status.RECEIVED, Status.PLANNED, Status.NOT_OURS},
    "due": {Status.NEW, Status.RECEIVED, Status.PLANNED, Status.NOT_OURS},
}


def _refuse(locked: Deficiency) -> Conflict:
    return Conflict.handled(
        f"Bristen är redan {locked.get_status_display().lower()}",
        f"The deficiency is already {locked.status}",
        who=person(locked.status_changed_by), when=locked.status_changed, field="status",
    )  # fmt: skip


def _change(
    *, deficiency: Deficiency, by: Any, action: str, seen: str | None,
    apply: Callable[[Deficiency], None], actor_name: str = "",
) -> Deficiency:  # fmt: skip
    """Lock the row, check its state, apply the change and audit it. ``actor_name``
    names an actor without an account (the owner answering through a link)."""
    with transaction.atomic():
        locked = Deficiency.objects.select_for_update().get(pk=deficiency.pk)
        if (seen and locked.status != seen) or locked.status not in ALLOWED[action]:
            raise _refuse(locked)
        before = snapshot(locked)
        owner_before = locked.owner
        old_status = locked.status
        apply(locked)
        if locked.status != old_status:
            locked.status_changed = timezone.now()
            locked.status_changed_by = by if getattr(by, "is_authenticated", False) else None
        locked.save()
        audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=locked,
                     changes=diff(before, snapshot(locked)), note=action,
                     organisation=locked.owner or owner_before, actor_name=actor_name)  # fmt: skip
    return locked


def _point(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise InputError.single("Ange både latitud och longitud, eller ingen av dem.",
                                "Give both latitude and longitude, or neither.", field="lat")  # fmt: skip


def deficiency_create(
    *, by: Any, municipality_id: str, category: str, severity: int, title: str, source: str,
    description: str = "", lat: float | None = None, lon: float | None = None,
    area: Any = None, place_name: str = "", photo: IO[bytes] | None = None,
    owner: Organisation | None = None, is_demo: bool = False,
    created: datetime.datetime | None = None,
) -> Deficiency:  # fmt: skip
    """A new deficiency, routed by the rules unless an owner is given, with its due date
    from the service levels."""
    _point(lat, lon)
    if area is None and lat is not None and lon is not None:
        area = _area_at(lat, lon, municipality_id)
    if owner is not None:
        route = routing.Route(owner, "hand")
    else:
        route = routing.find_owner(municipality_id=municipality_id, category=category,
                                   area_id=area.pk if area else None, lat=lat, lon=lon)  # fmt: skip
    created = created or timezone.now()
    due = routing.due_date(municipality_id=municipality_id, category=category,
                           severity=severity, start=timezone.localdate(created))  # fmt: skip
    content = photo_clean(photo, name=getattr(photo, "name", "foto")) if photo else None
    with transaction.atomic():
        deficiency = Deficiency(
            municipality_id=municipality_id, category=category, severity=severity, title=title,
            description=description, lat=lat, lon=lon, area=area, place_name=place_name,
            source=source, owner=route.owner, routed_by=route.by, due=due, created=created,
            status_changed=created, created_by=by if getattr(by, "is_authenticated", False) else None,
            is_demo=is_demo,
        )  # fmt: skip
        if content is not None:
            deficiency.photo.save("foto.jpg", content, save=False)
        deficiency.save()
        audit_create(actor=by, obj=deficiency, organisation=route.owner)
        notify.routed(deficiency)
    return deficiency


def _area_at(lat: float, lon: float, municipality_id: str) -> Any:
    return locate_area(lon, lat, municipality_code=municipality_id)


def deficiency_route(*, deficiency: Deficiency, by: Any, owner: Organisation | None,
                     seen: str | None = None) -> Deficiency:  # fmt: skip
    """A manual change of owner; a deficiency the previous owner declined starts again."""

    def apply(d: Deficiency) -> None:
        d.owner, d.routed_by = owner, "hand"
        if d.status == Status.NOT_OURS:
            d.status, d.declined_reason = Status.NEW, ""

    with transaction.atomic():
        changed = _change(deficiency=deficiency, by=by, action="route", seen=seen, apply=apply)
        notify.routed(changed)
    return changed


def deficiency_reroute(*, deficiency: Deficiency, by: Any, seen: str | None = None) -> Deficiency:
    """Route again by the rules (after "inte vår" or a change of rules)."""

    def apply(d: Deficiency) -> None:
        route = routing.find_owner(municipality_id=d.municipality_id, category=d.category,
                                   area_id=d.area_id, lat=d.lat, lon=d.lon)  # fmt: skip
        if route.owner is not None and route.owner.pk == deficiency_declined_by(d):
            route = routing.Route(None, "")
        d.owner, d.routed_by = route.owner, route.by
        if d.status == Status.NOT_OURS:
            d.status = Status.NEW

    return _change(deficiency=deficiency, by=by, action="route", seen=seen, apply=apply)


def deficiency_declined_by(deficiency: Deficiency) -> int | None:
    """The organisation that last said "inte vår", from the audit log."""
    entry = (
        AuditEntry.objects.filter(object_type="inspections.deficiency",
                                  object_id=str(deficiency.public_id), note="decline")
        .order_by("-at", "-pk").first()
    )  # fmt: skip
    if entry is None:
        return None
    owner = entry.changes.get("owner")
    return owner[0] if owner else None


def deficiency_receive(
    *, deficiency: Deficiency, by: Any, seen: str | None = None, actor_name: str = ""
) -> Deficiency:
    def apply(d: Deficiency) -> None:
        d.status = Status.RECEIVED

    return _change(deficiency=deficiency, by=by, action="receive", seen=seen, apply=apply,
                   actor_name=actor_name)  # fmt: skip


def deficiency_plan(*, deficiency: Deficiency, by: Any, planned_for: datetime.date,
                    seen: str | None = None, actor_name: str = "") -> Deficiency:  # fmt: skip
    if planned_for < timezone.localdate() - datetime.timedelta(days=1):
        raise InputError.single("Det planerade datumet har redan passerat.",
                                "The planned date has already passed.", field="planned_for")  # fmt: skip

    def apply(d: Deficiency) -> None:
        d.status, d.planned_for = Status.PLANNED, planned_for

    return _change(deficiency=deficiency, by=by, action="plan", seen=seen, apply=apply,
                   actor_name=actor_name)  # fmt: skip


def deficiency_fix(*, deficiency: Deficiency, by: Any, note: str = "",
                   photo: IO[bytes] | None = None, seen: str | None = None,
                   actor_name: str = "") -> Deficiency:  # fmt: skip
    """Fixed, with a photo or a note as proof (one of them is required)."""
    if not note.strip() and photo is None:
        raise InputError.single("Beskriv åtgärden eller bifoga ett foto som bevis.",
                                "Describe the fix or attach a photo as proof.", field="note")  # fmt: skip
    content = photo_clean(photo, name=getattr(photo, "name", "foto")) if photo else None

    def apply(d: Deficiency) -> None:
        d.status, d.fix_note = Status.FIXED, note.strip()
        if content is not None:
            d.fix_photo.save("foto.jpg", content, save=False)

    return _change(deficiency=deficiency, by=by, action="fix", seen=seen, apply=apply,
                   actor_name=actor_name)  # fmt: skip


def deficiency_decline(*, deficiency: Deficiency, by: Any, reason: str,
                       seen: str | None = None, actor_name: str = "") -> Deficiency:  # fmt: skip
    """ "Inte vår": the owner gives it back with a reason, for re-routing."""
    if not reason.strip():
        raise InputError.single("Ange varför bristen inte är er.",
                                "Say why the deficiency is not yours.", field="reason")  # fmt: skip

    def apply(d: Deficiency) -> None:
        d.status, d.declined_reason, d.owner, d.routed_by = (
            Status.NOT_OURS,
            reason.strip(),
            None,
            "",
        )

    return _change(deficiency=deficiency, by=by, action="decline", seen=seen, apply=apply,
                   actor_name=actor_name)  # fmt: skip


def deficiency_verify(*, deficiency: Deficiency, by: Any, seen: str | None = None) -> Deficiency:
    def apply(d: Deficiency) -> None:
        d.status = Status.VERIFIED

    return _change(deficiency=deficiency, by=by, action="verify", seen=seen, apply=apply)


def deficiency_reopen(*, deficiency: Deficiency, by: Any, reason: str,
                      seen: str | None = None) -> Deficiency:  # fmt: skip
    """It came back: open again for the same owner, with a new due date from today."""
    if not reason.strip():
        raise InputError.single("Ange varför bristen öppnas igen.",
                                "Say why the deficiency is reopened.", field="reason")  # fmt: skip

    def apply(d: Deficiency) -> None:
        d.status = Status.RECEIVED if d.owner_id else Status.NEW
        d.due = routing.due_date(municipality_id=d.municipality_id, category=d.category,
                                 severity=d.severity, start=timezone.localdate())  # fmt: skip
        d.description = f"{d.description}\n\n{reason.strip()}".strip()

    return _change(deficiency=deficiency, by=by, action="reopen", seen=seen, apply=apply)


def deficiency_set_due(*, deficiency: Deficiency, by: Any, due: datetime.date,
                       seen: str | None = None) -> Deficiency:  # fmt: skip
    def apply(d: Deficiency) -> None:
        d.due = due

    return _change(deficiency=deficiency, by=by, action="due", seen=seen, apply=apply)


# --- Tokens for owners without accounts -----------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, deficiency: Deficiency, by: Any, email: str,
                 days: int = TOKEN_DAYS) -> tuple[OwnerToken, str]:  # fmt: skip
    """A new answer link for one deficiency; the token itself is returned once, only its
    digest is kept."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        row = OwnerToken.objects.create(
            deficiency=deficiency, digest=_digest(token), email=email, created_by=by,
            expires=timezone.now() + datetime.timedelta(days=days),
        )  # fmt: skip
        audit_create(actor=by, obj=row, organisation=deficiency.owner)
        notify.token_sent(deficiency, email, token)
    return row, token


def token_find(token: str) -> OwnerToken | None:
    """The valid token row, or None (unknown, expired or revoked alike)."""
    if not token or len(token) > 100:
        return None
    row = OwnerToken.objects.filter(digest=_digest(token)).select_related("deficiency").first()
    return row if row is not None and row.is_valid() else None


def token_revoke(*, token: OwnerToken, by: Any) -> OwnerToken:
    with transaction.atomic():
        locked = OwnerToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked is None:
            before = snapshot(locked)
            locked.revoked = timezone.now()
            locked.save(update_fields=["revoked"])
            audit_update(actor=by, obj=locked, before=before, note="revoke")
    return locked


# --- The municipality's rules ---------------------------------------------------------


def rule_save(*, by: Any, municipality_id: str, category: str, area: Any,
              owner: Organisation) -> RoutingRule:  # fmt: skip
    with transaction.atomic():
        rule = RoutingRule.objects.filter(
            municipality_id=municipality_id, category=category, area=area
        ).first()
        if rule is None:
            rule = RoutingRule.objects.create(municipality_id=municipality_id, category=category,
                                              area=area, owner=owner)  # fmt: skip
            audit_create(actor=by, obj=rule)
        else:
            before = snapshot(rule)
            rule.owner = owner
            rule.save(update_fields=["owner"])
            audit_update(actor=by, obj=rule, before=before)
    return rule


def rule_delete(*, by: Any, rule: RoutingRule) -> None:
    with transaction.atomic():
        audit_delete(actor=by, obj=rule)
        rule.delete()


def service_level_set(*, by: Any, municipality_id: str, category: str, severity: int,
                      days: int) -> ServiceLevel:  # fmt: skip
    if not 1 <= days <= 3650:
        raise InputError.single("Antal dagar ska vara mellan 1 och 3650.",
                                "The number of days must be between 1 and 3650.", field="days")  # fmt: skip
    with transaction.atomic():
        level, created = ServiceLevel.objects.get_or_create(
            municipality_id=municipality_id, category=category, severity=severity,
            defaults={"days": days},
        )  # fmt: skip
        if created:
            audit_create(actor=by, obj=level)
        elif level.days != days:
            before = snapshot(level)
            level.days = days
            level.save(update_fields=["days"])
            audit_update(actor=by, obj=level, before=before)
    return level


def polygons_import(*, by: Any, municipality_id: str, owner: Organisation, data: bytes,
                    filename: str) -> int:  # fmt: skip
    """An owner's estates from GeoJSON: all or nothing; the owner's earlier polygons
    in the municipality are replaced."""
    parsed = routing.parse_polygons(data, filename=filename)
    with transaction.atomic():
        OwnerPolygon.objects.filter(municipality_id=municipality_id, owner=owner).delete()
        OwnerPolygon.objects.bulk_create(
            OwnerPolygon(municipality_id=municipality_id, owner=owner, name=name, geometry=geom,
                         min_lon=b[0], min_lat=b[1], max_lon=b[2], max_lat=b[3])
            for name, geom, b in parsed
        )  # fmt: skip
        audit_record(actor=by, action="import", object_type="inspections.ownerpolygon",
                     object_id=owner.slug, object_repr=f"{owner.name}: {len(parsed)}",
                     organisation=owner, note=filename[:200])  # fmt: skip
    return len(parsed)
