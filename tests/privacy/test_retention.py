"""Retention: each organisation's policy anonymises old free text and deletes old photos."""

import json
from datetime import datetime, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.incidents.conftest import report
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.models import Incident, IncidentPhoto
from tryggnav.privacy.models import ANONYMISED, RetentionPolicy, RetentionRun
from tryggnav.privacy.services import months_before, retention_apply

pytestmark = pytest.mark.django_db

PERSONAL = "Ring 070-123 45 67, anna@example.se"


def _photo() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


def _aged(incident: Incident, days: int) -> Incident:
    then = timezone.now() - timedelta(days=days)
    Incident.objects.filter(pk=incident.pk).update(reported_at=then)
    IncidentPhoto.objects.filter(incident=incident).update(created=then)
    incident.refresh_from_db()
    return incident


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_months_before_clamps_to_the_end_of_the_month():
    assert months_before(datetime(2026, 3, 31, 12), 1) == datetime(2026, 2, 28, 12)
    assert months_before(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


def test_admin_sets_the_policy_on_the_page_audited(world):
    url = reverse("privacy:policy", args=[world.lead.slug])
    client = world.client("admin")
    response = client.post(url, {"text_months": "6", "photo_months": "3"})
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(organisation=world.lead)
    assert (policy.text_months, policy.photo_months) == (6, 3)
    assert client.post(url, {"text_months": "12", "photo_months": ""}).status_code == 302
    policy.refresh_from_db()
    assert (policy.text_months, policy.photo_months) == (12, None)
    entries = AuditEntry.objects.filter(object_type="privacy.retentionpolicy")
    assert sorted(entries.values_list("action", flat=True)) == ["create", "update"]
    assert entries.get(action="update").changes["text_months"] == [6, 12]


def test_a_bad_number_of_months_is_refused_with_a_message(world):
    url = reverse("privacy:policy", args=[world.lead.slug])
    response = world.client("admin").post(url, {"text_months": "0", "photo_months": "x"})
    assert response.status_code == 400
    assert not RetentionPolicy.objects.exists()


def test_retention_anonymises_old_text_deletes_old_photos_and_is_idempotent(
    world, categories, media, django_capture_on_commit_callbacks
):
    old = _aged(report(world, text=PERSONAL, photos=[_photo()]), days=200)
    recent = report(world, text=PERSONAL, photos=[_photo()])
    photo_path = media / old.photos.get().image.name
    assert photo_path.exists()
    RetentionPolicy.objects.create(organisation=world.partner, text_months=6, photo_months=6)

    with django_capture_on_commit_callbacks(execute=True):
        results = retention_apply()
    assert [(r.texts, r.photos) for r in results] == [(1, 1)]
    old.refresh_from_db()
    assert old.text == ANONYMISED and old.text_masked == ANONYMISED
    assert not old.has_personal_data and not old.photos.exists()
    assert not photo_path.exists()
    recent.refresh_from_db()
    assert recent.text == PERSONAL and recent.photos.count() == 1
    entry = AuditEntry.objects.get(object_type="privacy.retentionrun")
    assert entry.changes == {"texts_anonymised": [None, 1], "photos_deleted": [None, 1]}
    assert "anna@example.se" not in json.dumps(entry.changes) + entry.note

    again = retention_apply()
    assert [(r.texts, r.photos) for r in again] == [(0, 0)]
    assert AuditEntry.objects.filter(object_type="privacy.retentionrun").count() == 1
    assert RetentionRun.objects.filter(organisation=world.partner).count() == 2


def test_dry_run_counts_and_changes_nothing(world, categories, media):
    old = _aged(report(world, text=PERSONAL), days=400)
    RetentionPolicy.objects.create(organisation=world.partner, text_months=12)
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "testbostader: 1 texter" in out.getvalue()
    old.refresh_from_db()
    assert old.text == PERSONAL
    assert not RetentionRun.objects.exists()
    call_command("apply_retention", stdout=StringIO())
    old.refresh_from_db()
    assert old.text == ANONYMISED


def test_rejection_reason_is_anonymised_too(world, categories, media):
    from tryggnav.incidents import services

    incident = report(world, text="")
    services.incident_reject(incident=incident, by=world.user("coordinator"), reason=PERSONAL)
    _aged(incident, days=100)
    RetentionPolicy.objects.create(organisation=world.partner, text_months=2)
    assert [r.texts for r in retention_apply()] == [1]
    incident.refresh_from_db()
    assert incident.rejection_reason == ANONYMISED


def test_other_organisations_are_not_touched(world, categories, media):
    theirs = _aged(report(world, text=PERSONAL), days=400)
    RetentionPolicy.objects.create(organisation=world.lead, text_months=1)
    retention_apply()
    theirs.refresh_from_db()
    assert theirs.text == PERSONAL


def test_the_policy_page_shows_the_last_runs(world, categories, media):
    _aged(report(world, text=PERSONAL, organisation=world.lead, persona="coordinator"), days=90)
    RetentionPolicy.objects.create(organisation=world.lead, text_months=1)
    retention_apply()
    page = world.client("admin").get(reverse("privacy:policy", args=[world.lead.slug]))
    runs = list(page.context["runs"])
    assert len(runs) == 1 and runs[0].texts_anonymised == 1


def test_unknown_organisation_exits_2_in_both_languages(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as caught:
        call_command("apply_retention", "--organisation", "finns-inte")
    assert caught.value.returncode == 2
    assert "Ingen organisation" in str(caught.value) and "No organisation" in str(caught.value)


def test_old_one_time_keys_are_forgotten_by_the_nightly_run(world):
    from tryggnav.organisations.idempotency import KEY_DAYS
    from tryggnav.organisations.models import FormSubmission

    user = world.user("coordinator")
    old = FormSubmission.objects.create(user=user, key="old")
    FormSubmission.objects.filter(pk=old.pk).update(
        created=timezone.now() - timedelta(days=KEY_DAYS, hours=1)
    )
    FormSubmission.objects.create(user=user, key="fresh")
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "1 engångsnycklar" in out.getvalue()
    assert FormSubmission.objects.count() == 2
    call_command("apply_retention", stdout=StringIO())
    assert list(FormSubmission.objects.values_list("key", flat=True)) == ["fresh"]
