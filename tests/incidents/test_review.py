"""Review by the group's coordinator: queue, review with corrections, reject, merge."""

import pytest
from django.urls import reverse

from tests.incidents.conftest import report
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_queue_lists_submitted_group_reports_only(world, categories):
    submitted = report(world, text="Väntar på granskning")
    reviewed = report(world, text="Redan granskad", status="reviewed")
    private = report(world, text="Bara vår", sharing=Incident.Sharing.ORGANISATION)
    body = (
        world.client("coordinator")
        .get(reverse("incidents:review_queue", args=[world.group.slug]))
        .content.decode()
    )
    assert str(submitted.public_id) in body
    assert str(reviewed.public_id) not in body
    assert str(private.public_id) not in body


def test_review_with_corrections_enters_the_shared_picture(world, categories):
    incident = report(world, text="Brand i papperskorg")
    reader = world.client("reader")
    # Submitted reports of a partner are not shared yet.
    assert reader.get(incident.get_absolute_url()).status_code == 404
    vinsta = world.group.areas.get(name="Vinsta")
    response = world.client("coordinator").post(
        reverse("incidents:review_accept", args=[world.group.slug, incident.public_id]),
        {
            "category": categories["anlagd-brand"].pk,
            "area": vinsta.pk,
            "occurred_from": "2026-01-05T20:00",
            "occurred_to": "2026-01-05T22:00",
            "note": "Rättade kategori och område",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "reviewed" and incident.category == categories["anlagd-brand"]
    assert incident.area == vinsta and incident.reviewed_by == world.user("coordinator")
    assert incident.is_window
    entry = AuditEntry.objects.get(action="review", object_id=str(incident.public_id))
    assert entry.note == "Rättade kategori och område"
    assert "category" in entry.changes and "status" in entry.changes
    assert reader.get(incident.get_absolute_url()).status_code == 200


def test_reject_needs_a_reason_and_is_audited(world, categories):
    incident = report(world)
    url = reverse("incidents:review_reject", args=[world.group.slug, incident.public_id])
    client = world.client("coordinator")
    assert client.post(url, {"reason": ""}).status_code == 400
    incident.refresh_from_db()
    assert incident.status == "submitted"
    assert client.post(url, {"reason": "Gäller privat tomt"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == "rejected" and incident.rejection_reason == "Gäller privat tomt"
    assert AuditEntry.objects.filter(
        action="reject", object_id=str(incident.public_id), note="Gäller privat tomt"
    ).exists()


def test_merge_points_to_the_kept_report(world, categories):
    kept = report(world, text="Klotter på skolan", status="reviewed", hours_ago=5)
    earlier_duplicate = report(world, text="Klotter skolan igen", hours_ago=4)
    duplicate = report(world, text="Klotter på skolans vägg", hours_ago=3)
    client = world.client("coordinator")
    # The review page suggests the kept one as a possible duplicate.
    page = client.get(reverse("incidents:review", args=[world.group.slug, duplicate.public_id]))
    assert str(kept.public_id) in page.content.decode()
    client.post(
        reverse("incidents:review_merge", args=[world.group.slug, earlier_duplicate.public_id]),
        {"into": str(duplicate.public_id)},
    )
    response = client.post(
        reverse("incidents:review_merge", args=[world.group.slug, duplicate.public_id]),
        {"into": str(kept.public_id)},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    earlier_duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == kept
    # Chains collapse: the earlier duplicate now points at the kept report too.
    assert earlier_duplicate.merged_into == kept
    assert AuditEntry.objects.filter(action="merge", object_id=str(duplicate.public_id)).exists()


def test_merge_into_other_group_or_itself_is_refused(world, categories):
    incident = report(world)
    foreign = report(
        world,
        persona="outsider",
        organisation=world.other,
        group=world.other_group,
        status="reviewed",
    )
    client = world.client("coordinator")
    url = reverse("incidents:review_merge", args=[world.group.slug, incident.public_id])
    assert client.post(url, {"into": str(foreign.public_id)}).status_code == 400
    assert client.post(url, {"into": str(incident.public_id)}).status_code == 400
    incident.refresh_from_db()
    assert incident.status == "submitted" and incident.merged_into is None


def test_reporter_and_outsider_cannot_review(world, categories):
    incident = report(world)
    url = reverse("incidents:review_accept", args=[world.group.slug, incident.public_id])
    data = {"category": categories["klotter"].pk, "occurred_from": "2026-01-05T20:00"}
    assert world.client("reporter").post(url, data).status_code == 403
    assert world.client("outsider").post(url, data).status_code == 404
    incident.refresh_from_db()
    assert incident.status == "submitted"


def test_group_categories_can_be_added_and_deactivated(world, categories):
    client = world.client("coordinator")
    client.post(
        reverse("incidents:category_create", args=[world.group.slug]),
        {"name": "Mopedåkning på gångväg", "group": "trafik"},
    )
    report_page = world.client("reporter").get(reverse("incidents:report")).content.decode()
    assert "Mopedåkning på gångväg" in report_page
    # Not offered to the other group.
    other_page = world.client("outsider").get(reverse("incidents:report")).content.decode()
    assert "Mopedåkning på gångväg" not in other_page
    client.post(
        reverse("incidents:category_toggle", args=[world.group.slug, "mopedakning-pa-gangvag"])
    )
    report_page = world.client("reporter").get(reverse("incidents:report")).content.decode()
    assert "Mopedåkning på gångväg" not in report_page
