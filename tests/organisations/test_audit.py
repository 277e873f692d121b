"""The audit log is append-only and viewable, filterable, by organisation admins."""

import datetime

import pytest
from django.db import connection, transaction
from django.urls import reverse

from tryggnav.audit.models import AppendOnlyError, AuditEntry
from tryggnav.audit.services import audit_record, audit_update, snapshot
from tryggnav.organisations.models import Membership


def test_entries_cannot_be_changed_or_deleted(world):
    entry = audit_record(
        actor=world.users["admin"],
        action="other",
        organisation=world.lead,
        object_type="x",
        object_id="1",
        object_repr="x",
    )
    entry.note = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_database_refuses_changes_on_postgresql(world):
    if connection.vendor != "postgresql":
        pytest.skip("The trigger exists on PostgreSQL only")
    entry = audit_record(
        actor=None, action="other", object_type="x", object_id="1", object_repr="x"
    )
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = 'x' WHERE id = %s", [entry.pk])


def test_update_records_old_and_new_values(world):
    membership = Membership.objects.get(user=world.users["reader"])
    before = snapshot(membership)
    membership.title = "Analytiker"
    membership.save()
    entry = audit_update(
        actor=world.users["admin"], obj=membership, before=before, organisation=world.lead
    )
    assert entry.changes == {"title": ["", "Analytiker"]}
    assert (
        audit_update(actor=world.users["admin"], obj=membership, before=snapshot(membership))
        is None
    )


def test_log_page_shows_only_own_organisation_and_filters(world):
    audit_record(
        actor=world.users["admin"],
        action="update",
        organisation=world.lead,
        object_type="incidents.incident",
        object_id="a",
        object_repr="Klotter Vällingby",
        changes={"status": ["submitted", "reviewed"]},
    )
    audit_record(
        actor=world.users["outsider"],
        action="update",
        organisation=world.other,
        object_type="incidents.incident",
        object_id="b",
        object_repr="Annan kommuns sak",
    )
    url = reverse("organisations:audit_log", args=[world.lead.slug])
    page = world.client("admin").get(url).content.decode()
    assert "Klotter Vällingby" in page
    assert "Annan kommuns sak" not in page
    assert "submitted" in page and "reviewed" in page
    filtered = world.client("admin").get(url, {"who": "nobody-like-this"}).content.decode()
    assert "Klotter Vällingby" not in filtered
    today = datetime.date.today().isoformat()
    dated = world.client("admin").get(url, {"since": today, "action": "update"}).content.decode()
    assert "Klotter Vällingby" in dated
    yesterday = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    old = world.client("admin").get(url, {"until": yesterday}).content.decode()
    assert "Klotter Vällingby" not in old


@pytest.mark.parametrize("field", ["since", "until"])
def test_log_filter_with_a_date_at_the_end_of_the_calendar_is_a_form_error(world, field):
    url = reverse("organisations:audit_log", args=[world.lead.slug])
    response = world.client("admin").get(url, {field: "0001-01-01"})
    assert response.status_code == 200
    assert "1900-01-01" in response.content.decode()
