"""Recording audit entries. Services call these; views never write the log directly."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile

from tryggnav.audit.models import AuditEntry

# The audit log masks personal data in free text with the same rules as the incidents.
from tryggnav.lib.screening import screen

Snapshot = dict[str, Any]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (bytes, memoryview)):
        return "<binary>"
    if isinstance(value, FieldFile):
        return value.name or ""  # the stored file's name, not its content
    return value


def mask(text: str) -> str:
    """Free text with personnummer, phone numbers, e-mail addresses and plates masked."""
    return screen(text).masked if text else text


def snapshot(obj: models.Model, *, exclude: Iterable[str] = ()) -> Snapshot:
    """The concrete field values of ``obj``, JSON-ready, for comparing before and after.

    Fields a model names in ``audit_masked_fields`` (free text that may hold personal
    data) are recorded masked: the audit log is append-only and outlives the record,
    so it must not keep what the record itself may later anonymise.
    """
    skip = set(exclude)
    masked = set(getattr(obj, "audit_masked_fields", ()))
    values: Snapshot = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        value = _jsonable(getattr(obj, field.attname))
        if field.name in masked and isinstance(value, str):
            value = mask(value)
        values[field.name] = value
    return values


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    """Changed fields as ``{field: [old, new]}``."""
    keys = set(before) | set(after)
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(keys)
        if before.get(key) != after.get(key)
    }


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return f"{full} <{actor.email}>" if full else str(actor.email or actor.get_username())


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    organisation: Any = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry to the audit log. ``actor_name`` names an actor who is not a
    signed-in user (the name tried in a failed login)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        public = getattr(obj, "public_id", None) or getattr(obj, "slug", None) or obj.pk
        object_id = object_id or str(public)
        object_repr = object_repr or str(obj)[:300]
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=(actor_name or _actor_name(actor))[:254],
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        changes=_jsonable(changes or {}),
        note=note,
    )


def audit_create(*, actor: Any, obj: models.Model, organisation: Any = None, note: str = ""):
    after = snapshot(obj)
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=obj,
        organisation=organisation,
        changes={k: [None, v] for k, v in after.items() if v not in (None, "", [], {})},
        note=note,
    )


def audit_update(
    *,
    actor: Any,
    obj: models.Model,
    before: Snapshot,
    organisation: Any = None,
    action: str = AuditEntry.Action.UPDATE,
    note: str = "",
) -> AuditEntry | None:
    changes = diff(before, snapshot(obj))
    if not changes and action == AuditEntry.Action.UPDATE and not note:
        return None
    return audit_record(
        actor=actor,
        action=action,
        obj=obj,
        organisation=organisation,
        changes=changes,
        note=note,
    )


def audit_delete(*, actor: Any, obj: models.Model, organisation: Any = None, note: str = ""):
    before = snapshot(obj)
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=obj,
        organisation=organisation,
        changes={k: [v, None] for k, v in before.items() if v not in (None, "", [], {})},
        note=note,
    )


def _redact_value(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_value(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: _redact_value(v, redact) for k, v in value.items()}
    return value


def _set_redaction(on: bool) -> None:
    # The PostgreSQL trigger (migration 0003) lets an UPDATE of the text columns
    # through only while this transaction has the setting on.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('tryggnav.audit_redaction', %s, true)", ["on" if on else "off"]
            )


def audit_redact(
    *,
    entries: Iterable[AuditEntry],
    redact: Callable[[str], str],
    actor_label: tuple[int, str] | None = None,
) -> int:
    """Pass the text of ``entries`` (who, object, note, every string in the changes)
    through ``redact`` and store the result; time, action and ids stay as they were.
    With ``actor_label`` (user id, label) entries by that user name the actor by the
    label alone.

    The only path that changes existing entries, for erasing personal data. Returns
    how many entries changed; the caller records an audit entry of its own about it.
    """
    changed = 0
    with transaction.atomic():
        _set_redaction(True)
        try:
            for entry in entries:
                actor_name = redact(entry.actor_name)
                if actor_label is not None and entry.actor_id == actor_label[0]:
                    actor_name = actor_label[1]
                values = {
                    "actor_name": actor_name,
                    "object_repr": redact(entry.object_repr)[:300],
                    "note": redact(entry.note),
                    "changes": _redact_value(entry.changes, redact),
                }
                if any(values[name] != getattr(entry, name) for name in values):
                    AuditEntry.objects.filter(pk=entry.pk).redact_text(**values)
                    changed += 1
        finally:
            _set_redaction(False)
    return changed
