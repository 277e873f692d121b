"""A person's data: export as JSON (by an admin, or oneself) and erasure by an admin."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.incidents.conftest import report
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_create
from tryggnav.incidents.models import Incident
from tryggnav.organisations.models import ApiToken, Invitation, Membership, Role
from tryggnav.organisations.services import membership_set_role

pytestmark = pytest.mark.django_db


def _partner_admin(world):
    """The lead's admin also administers the partner (the reporter's organisation)."""
    Membership.objects.create(user=world.user("admin"), organisation=world.partner, role=Role.ADMIN)


def _reporter_membership(world):
    return Membership.objects.get(user=world.user("reporter"), organisation=world.partner)


def _download(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return json.loads(response.content)


def test_admin_exports_a_members_data_audited(world, categories):
    _partner_admin(world)
    report(world, text="Klotter vid porten")
    ApiToken.issue(user=world.user("reporter"), name="Mobilen")
    url = reverse(
        "privacy:person_export", args=[world.partner.slug, _reporter_membership(world).public_id]
    )
    data = _download(world.client("admin").get(url))
    assert data["account"]["email"] == "reporter@testbostader.example"
    assert data["memberships"] == [
        {"organisation": "testbostader", "role": "reporter", "title": ""}
    ]
    assert [i["text"] for i in data["incidents_reported"]] == ["Klotter vid porten"]
    assert data["api_tokens"][0]["name"] == "Mobilen" and "key_hash" not in data["api_tokens"][0]
    assert any(e["by_this_user"] for e in data["audit_entries"])
    assert AuditEntry.objects.filter(
        action="export", object_type="auth.user", object_id=str(world.user("reporter").pk)
    ).exists()


def test_everyone_exports_their_own_data(world, categories):
    report(world, text="Min rapport")
    data = _download(world.client("reporter").get(reverse("privacy:my_export")))
    assert data["scope"] == "all"
    assert data["account"]["username"] == "reporter@testbostader.example"
    assert [i["text"] for i in data["incidents_reported"]] == ["Min rapport"]


def test_erasure_anonymises_the_person_and_keeps_their_reports(world, categories):
    _partner_admin(world)
    reporter = world.user("reporter")
    incident = report(world, text="Klotter vid porten")
    ApiToken.issue(user=reporter, name="Mobilen")
    membership = _reporter_membership(world)
    membership_set_role(membership=membership, role=Role.REPORTER, by=world.user("admin"))
    url = reverse("privacy:person_erase", args=[world.partner.slug, membership.public_id])
    assert world.client("admin").get(url).status_code == 200
    assert world.client("admin").post(url).status_code == 302

    reporter.refresh_from_db()
    assert not reporter.is_active and not reporter.has_usable_password()
    assert reporter.email == "" and "Rut" not in reporter.get_full_name()
    assert reporter.username == f"raderad-{reporter.pk}"
    assert not Membership.objects.filter(user=reporter).exists()
    assert not ApiToken.objects.filter(user=reporter).exists()
    incident.refresh_from_db()
    assert incident.organisation == world.partner and incident.reported_by is None
    assert incident.text == "Klotter vid porten"

    by_them = AuditEntry.objects.filter(actor_id=reporter.pk)
    assert by_them.exists()  # the entries still refer to the user id
    everything = json.dumps(
        [[e.actor_name, e.object_repr, e.note, e.changes] for e in AuditEntry.objects.all()],
        ensure_ascii=False,
    )
    assert "reporter@testbostader.example" not in everything
    assert "Rut Rapportör" not in everything and "Rut Rapport\\u00f6r" not in everything
    assert f"Raderad användare #{reporter.pk}" in everything
    erased = AuditEntry.objects.get(action="delete", object_type="auth.user")
    assert erased.changes["reports_kept"] == [None, 1]
    assert erased.changes["tokens_revoked"] == [None, 1]


def test_erasure_clears_invitations_to_the_persons_address(world):
    _partner_admin(world)
    invitation = Invitation.objects.create(
        organisation=world.lead, email="reporter@testbostader.example", role=Role.READER
    )
    audit_create(actor=world.user("admin"), obj=invitation, organisation=world.lead)
    url = reverse(
        "privacy:person_erase", args=[world.partner.slug, _reporter_membership(world).public_id]
    )
    assert world.client("admin").post(url).status_code == 302
    assert not Invitation.objects.filter(email__iexact="reporter@testbostader.example").exists()
    assert not AuditEntry.objects.filter(object_repr__icontains="reporter@testbostader").exists()


def test_erasure_is_refused_when_the_person_belongs_to_another_organisation(world):
    _partner_admin(world)
    Membership.objects.create(user=world.user("reporter"), organisation=world.other, role="reader")
    url = reverse(
        "privacy:person_erase", args=[world.partner.slug, _reporter_membership(world).public_id]
    )
    response = world.client("admin").post(url)
    assert response.status_code == 400
    assert "Annan kommun" in response.content.decode()
    reporter = get_user_model().objects.get(pk=world.user("reporter").pk)
    assert reporter.is_active and reporter.email == "reporter@testbostader.example"


def test_an_admin_cannot_erase_themselves(world):
    own = Membership.objects.get(user=world.user("admin"), organisation=world.lead)
    url = reverse("privacy:person_erase", args=[world.lead.slug, own.public_id])
    assert world.client("admin").post(url).status_code == 400
    assert get_user_model().objects.get(pk=world.user("admin").pk).is_active


def test_commands_export_and_erase(world, categories):
    report(world, text="Klotter vid porten")
    out = StringIO()
    call_command("export_person", "reporter@testbostader.example", stdout=out)
    assert json.loads(out.getvalue())["incidents_reported"][0]["text"] == "Klotter vid porten"
    out = StringIO()
    call_command("erase_person", "reporter@testbostader.example", stdout=out)
    assert "1 rapporter kvar" in out.getvalue()
    assert not get_user_model().objects.get(pk=world.user("reporter").pk).is_active
    assert Incident.objects.filter(organisation=world.partner, reported_by=None).count() == 1


@pytest.mark.parametrize("command", ["export_person", "erase_person"])
def test_commands_name_an_unknown_person_in_both_languages(world, command):
    with pytest.raises(CommandError) as caught:
        call_command(command, "ingen@example.se")
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "Ingen användare" in message and "No user" in message and "ingen@example.se" in message


def test_erase_person_finds_the_user_by_id(world):
    reader = world.user("reader")
    call_command("erase_person", str(reader.pk), stdout=StringIO())
    reader.refresh_from_db()
    assert not reader.is_active and reader.email == ""


def test_erasing_twice_is_refused_and_leaves_other_erasures_alone(world):
    reader, coordinator = world.user("reader"), world.user("coordinator")
    call_command("erase_person", str(reader.pk), stdout=StringIO())
    call_command("erase_person", str(coordinator.pk), stdout=StringIO())
    before = {e.pk: e.actor_name + e.object_repr for e in AuditEntry.objects.all()}
    with pytest.raises(CommandError) as caught:
        call_command("erase_person", str(reader.pk), stdout=StringIO())
    assert caught.value.returncode == 2
    assert "redan raderade" in str(caught.value) and "already erased" in str(caught.value)
    after = {e.pk: e.actor_name + e.object_repr for e in AuditEntry.objects.all()}
    assert after == before
