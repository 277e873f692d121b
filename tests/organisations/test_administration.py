"""The municipality's administration pages, through HTTP and the database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tryggnav.audit.models import AuditEntry
from tryggnav.organisations.access import memberships_of
from tryggnav.organisations.models import (
    CollaborationGroup,
    CoordinationFunction,
    GroupMembership,
    Membership,
    Organisation,
)

pytestmark = pytest.mark.django_db


def _url(name, world, *args):
    return reverse(f"organisations:{name}", args=[world.lead.slug, *args])


def test_created_organisation_of_every_kind_is_audited(world):
    client = world.client("admin")
    for kind, _label in Organisation.Kind.choices:
        response = client.post(
            _url("admin_organisations", world),
            {"name": f"Org {kind}", "kind": kind, "municipality": "0180"},
        )
        assert response.status_code == 302
    created = Organisation.objects.filter(name__startswith="Org ")
    assert created.count() == len(Organisation.Kind.choices)
    assert created.filter(kind="naringsliv").exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, object_type="organisations.organisation"
    ).count() >= len(Organisation.Kind.choices)


def test_an_admin_of_a_partner_organisation_is_refused(world):
    Membership.objects.filter(user=world.users["reporter"]).update(role="admin")
    response = world.client("reporter").get(
        reverse("organisations:admin_index", args=[world.partner.slug])
    )
    assert response.status_code == 403


def test_another_municipalitys_organisation_is_not_found(world):
    response = world.client("admin").get(_url("admin_organisation_edit", world, world.other.slug))
    assert response.status_code == 404


def test_deactivated_organisation_gives_its_members_no_access(world):
    client = world.client("admin")
    client.post(_url("admin_organisation_active", world, world.partner.slug), {"active": "0"})
    reporter = world.users["reporter"]
    assert not memberships_of(reporter).exists()
    assert world.client("reporter").get(world.group.get_absolute_url()).status_code == 404
    client.post(_url("admin_organisation_active", world, world.partner.slug), {"active": "1"})
    assert memberships_of(reporter).exists()


def test_the_lead_organisation_cannot_be_deactivated(world):
    other = Organisation.objects.create(name="X", slug="x", kind="polis", municipality_id="0180")
    world.group.lead_organisation = other
    world.group.save()
    response = world.client("admin").post(
        _url("admin_organisation_active", world, other.slug), {"active": "0"}, follow=True
    )
    assert "sammankallande" in response.content.decode()
    assert Organisation.objects.get(pk=other.pk).is_active


def test_invitation_link_is_shown_and_works(world):
    response = world.client("admin").post(
        _url("admin_people", world),
        {
            "email": "Ny.Person@Testbostader.example",
            "organisation": world.partner.pk,
            "role": "reporter",
        },
    )
    invitation = world.partner.invitations.get(email="ny.person@testbostader.example")
    assert invitation.get_absolute_url() in response.content.decode()
    assert world.fresh_client("anonymous").get(invitation.get_absolute_url()).status_code == 200


def test_inviting_a_member_again_names_the_field(world):
    response = world.client("admin").post(
        _url("admin_people", world),
        {
            "email": "reporter@testbostader.example",
            "organisation": world.partner.pk,
            "role": "reader",
        },
    )
    assert "redan medlem" in response.content.decode()


def test_deactivated_person_keeps_history_and_cannot_log_in(world):
    membership = Membership.objects.get(user=world.users["reporter"])
    client = world.client("admin")
    client.post(_url("admin_person_update", world, membership.public_id), {"action": "deactivate"})
    membership.refresh_from_db()
    membership.user.refresh_from_db()
    assert membership.deactivated is not None
    assert not membership.user.is_active
    client.post(_url("admin_person_update", world, membership.public_id), {"action": "activate"})
    membership.refresh_from_db()
    membership.user.refresh_from_db()
    assert membership.deactivated is None and membership.user.is_active


def test_the_last_admin_is_kept(world):
    membership = Membership.objects.get(user=world.users["admin"])
    response = world.client("admin").post(
        _url("admin_person_update", world, membership.public_id),
        {"action": "deactivate"},
        follow=True,
    )
    assert "minst en aktiv administratör" in response.content.decode()
    membership.refresh_from_db()
    assert membership.deactivated is None


def test_person_moves_and_changes_role(world):
    membership = Membership.objects.get(user=world.users["coordinator"])
    client = world.client("admin")
    client.post(
        _url("admin_person_update", world, membership.public_id),
        {"action": "move", "organisation": world.partner.pk},
    )
    client.post(
        _url("admin_person_update", world, membership.public_id),
        {"action": "role", "role": "reporter"},
    )
    membership.refresh_from_db()
    assert (membership.organisation, membership.role) == (world.partner, "reporter")


def test_moving_to_another_municipality_is_refused(world):
    membership = Membership.objects.get(user=world.users["coordinator"])
    world.client("admin").post(
        _url("admin_person_update", world, membership.public_id),
        {"action": "move", "organisation": world.other.pk},
    )
    membership.refresh_from_db()
    assert membership.organisation == world.lead


def test_group_with_members_areas_and_steering_group(world):
    client = world.client("admin")
    client.post(
        _url("admin_groups", world),
        {
            "name": "Styrgrupp Väst",
            "lead_organisation": world.lead.pk,
            "meeting_rhythm": "quarterly",
        },
    )
    steering = CollaborationGroup.objects.get(name="Styrgrupp Väst")
    assert list(steering.organisations.all()) == [world.lead]
    client.post(
        _url("admin_group", world, world.group.slug),
        {
            "name": world.group.name,
            "lead_organisation": world.lead.pk,
            "meeting_rhythm": "weekly",
            "steering_group": steering.pk,
        },
    )
    client.post(
        _url("admin_group_members", world, steering.slug),
        {"organisation": world.partner.pk, "reports_weekly": "on"},
    )
    assert GroupMembership.objects.get(group=steering, organisation=world.partner).reports_weekly
    world.group.refresh_from_db()
    assert world.group.steering_group == steering


def test_lead_organisation_stays_in_its_group(world):
    world.client("admin").post(
        _url("admin_group_members", world, world.group.slug),
        {"organisation": world.lead.pk, "remove": "1"},
    )
    assert GroupMembership.objects.filter(group=world.group, organisation=world.lead).exists()


def test_areas_of_another_municipality_are_refused(world):
    from tryggnav.areas.models import Area

    before = set(world.group.areas.all())
    foreign = Area.objects.exclude(municipality_id="0180").first()
    if foreign is None:
        foreign = Area.objects.create(
            municipality_id="0126",
            kind="egen",
            code="x",
            name="Främmande",
            geometry={},
            min_lon=0,
            min_lat=0,
            max_lon=0,
            max_lat=0,
        )
    world.client("admin").post(
        _url("admin_group_areas", world, world.group.slug), {"areas": [foreign.pk]}
    )
    assert set(world.group.areas.all()) == before


def test_coordination_function_is_updated_and_audited(world):
    client = world.client("admin")
    holder = Membership.objects.get(user=world.users["coordinator"])
    data = {"holder_title": "Samordnare", "mandate": "Mandat 1", "holder": holder.pk}
    client.post(_url("admin_coordination", world), data)
    client.post(_url("admin_coordination", world), {**data, "mandate": "Mandat 2"})
    function = CoordinationFunction.objects.get(organisation=world.lead)
    assert (function.mandate, function.holder) == ("Mandat 2", world.users["coordinator"])
    assert AuditEntry.objects.filter(object_type="organisations.coordinationfunction").count() == 2


def test_the_weekly_reports_deadline_is_set_on_the_group_page_and_audited(world):
    response = world.client("admin").post(
        _url("admin_group", world, world.group.slug),
        {
            "name": world.group.name,
            "lead_organisation": world.lead.pk,
            "meeting_rhythm": "weekly",
            "report_weekday": "1",
            "report_hour": "9",
        },
    )
    assert response.status_code == 302
    world.group.refresh_from_db()
    assert (world.group.report_weekday, world.group.report_hour) == (1, 9)
    entry = AuditEntry.objects.filter(object_id=world.group.slug).latest("at")
    assert entry.changes["report_weekday"] == [5, 1]
    # A page that leaves them out keeps them.
    world.client("admin").post(
        _url("admin_group", world, world.group.slug),
        {"name": "EST Väst", "lead_organisation": world.lead.pk, "meeting_rhythm": "weekly"},
    )
    world.group.refresh_from_db()
    assert (world.group.name, world.group.report_weekday) == ("EST Väst", 1)
