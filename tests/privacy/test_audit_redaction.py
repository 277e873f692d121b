"""Redaction is the one way to change audit entries: text only, flagged, audited by the caller."""

import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from tryggnav.audit.models import AppendOnlyError, AuditEntry
from tryggnav.audit.services import audit_record, audit_redact

pytestmark = pytest.mark.django_db


def _old_entry(**kwargs):
    # An entry as written before the audit log masked free text.
    defaults = dict(
        actor=None,
        action="create",
        object_type="incidents.incident",
        object_id="abc",
        object_repr="Klotter",
        changes={"text": [None, "Ring 070-123 45 67"], "status": [None, "submitted"]},
    )
    defaults.update(kwargs)
    return audit_record(**defaults)


def test_redaction_rewrites_text_and_keeps_identity(world):
    entry = _old_entry(actor=world.user("reader"), note="anna@example.se ringde")
    changed = audit_redact(
        entries=AuditEntry.objects.filter(pk=entry.pk),
        redact=lambda text: text.replace("anna@example.se", "[borttaget]"),
    )
    assert changed == 1
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.note == "[borttaget] ringde"
    assert fresh.actor_id == world.user("reader").pk and fresh.at == entry.at
    assert fresh.action == "create" and fresh.object_id == "abc"


def test_redaction_cannot_touch_identity_columns(world):
    entry = _old_entry()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).redact_text(action="delete")


def test_trigger_refuses_identity_changes_even_while_redacting(world):
    if connection.vendor != "postgresql":
        pytest.skip("The trigger exists on PostgreSQL only")
    entry = _old_entry()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('tryggnav.audit_redaction', 'on', true)")
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('tryggnav.audit_redaction', 'on', true)")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    # After a redaction the setting is off again: an ordinary update is refused.
    audit_redact(entries=AuditEntry.objects.filter(pk=entry.pk), redact=str.upper)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = 'x' WHERE id = %s", [entry.pk])


def test_one_off_migration_masks_existing_entries_and_records_itself(world):
    incident_entry = _old_entry(note="Ringde 070-123 45 67")
    meeting_entry = _old_entry(
        object_type="lagesbild.meeting", changes={"notes": ["", "anna@example.se"]}
    )
    other_entry = _old_entry(object_type="areas.place", changes={"name": [None, "070-1234567"]})
    migration = importlib.import_module("tryggnav.audit.migrations.0004_gdpr_mask_existing")
    migration.forwards(apps, SimpleNamespace(connection=connection))
    incident_entry = AuditEntry.objects.get(pk=incident_entry.pk)
    assert incident_entry.changes["text"] == [None, "Ring [telefon]"]
    assert incident_entry.changes["status"] == [None, "submitted"]
    assert incident_entry.note == "Ringde [telefon]"
    assert AuditEntry.objects.get(pk=meeting_entry.pk).changes["notes"] == ["", "[e-post]"]
    # Not a free-text field of a person: left as it was.
    assert AuditEntry.objects.get(pk=other_entry.pk).changes == other_entry.changes
    record = AuditEntry.objects.get(object_id="0004_gdpr_mask_existing")
    assert record.changes == {"entries_masked": [None, 2]}
    assert "070-123" not in json.dumps(record.changes)
