"""Audit entries of incidents carry the masked text, never the personal data in it."""

import json

import pytest

from tests.incidents.conftest import report
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents import services
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild.services import meeting_get_or_create, meeting_update

pytestmark = pytest.mark.django_db

PERSONAL = "Ring 070-123 45 67 eller anna@example.se, bil ABC 123, pnr 811218-9876"
SECRETS = ("070-123 45 67", "anna@example.se", "ABC 123", "811218-9876")


def _entries_text(incident) -> str:
    entries = AuditEntry.objects.filter(object_id=str(incident.public_id))
    assert entries.exists()
    return json.dumps([[e.changes, e.note, e.object_repr] for e in entries], ensure_ascii=False)


def test_create_audits_the_masked_text(world, categories):
    incident = report(world, text=PERSONAL)
    assert incident.text == PERSONAL  # the reporting organisation keeps the full text
    logged = _entries_text(incident)
    for secret in SECRETS:
        assert secret not in logged
    assert "[telefon]" in logged and "[e-post]" in logged


def test_review_reject_and_delete_audit_no_personal_data(world, categories):
    reviewed = report(world, text=PERSONAL)
    services.incident_review(
        incident=reviewed, by=world.user("coordinator"), note="Ringde 070-123 45 67"
    )
    rejected = report(world, text=PERSONAL)
    services.incident_reject(
        incident=rejected, by=world.user("coordinator"), reason="Gäller anna@example.se"
    )
    deleted = report(world, text=PERSONAL)
    public_id = deleted.public_id
    services.incident_delete(incident=deleted, by=world.user("reporter"))
    logged = _entries_text(reviewed) + _entries_text(rejected)
    logged += json.dumps(
        [e.changes for e in AuditEntry.objects.filter(object_id=str(public_id))],
        ensure_ascii=False,
    )
    for secret in SECRETS:
        assert secret not in logged
    rejected.refresh_from_db()
    assert rejected.rejection_reason == "Gäller anna@example.se"  # the record itself keeps it


def test_meeting_notes_are_audited_masked(world):
    meeting, _created = meeting_get_or_create(
        group=world.group, week=IsoWeek(2026, 10), by=world.user("coordinator")
    )
    meeting_update(
        meeting=meeting,
        by=world.user("coordinator"),
        notes="Kontakt: anna@example.se, 070-123 45 67",
        attendees="Anna (anna@example.se)",
        held_on=None,
        status="planned",
    )
    entries = AuditEntry.objects.filter(object_type="lagesbild.meeting")
    logged = json.dumps([e.changes for e in entries], ensure_ascii=False)
    assert "[e-post]" in logged
    assert "anna@example.se" not in logged and "070-123 45 67" not in logged
