"""The administration services keep what they must keep true: an organisation its last
admin, a group its lead organisation, a municipality's own organisation its kind; each
refusal names the field in Swedish and English and leaves the database as it was."""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import make_user
from tryggnav.areas.models import Area, Municipality
from tryggnav.audit.models import AuditEntry
from tryggnav.lib.errors import InputError
from tryggnav.organisations import admin_services as admin
from tryggnav.organisations.models import (
    CollaborationGroup,
    CoordinationFunction,
    GroupMembership,
    Invitation,
    MeetingRhythm,
    Membership,
    Organisation,
    Role,
)

pytestmark = pytest.mark.django_db


def _field(error: InputError) -> str:
    (problem,) = error.problems
    return problem.field


def _stockholm() -> Municipality:
    return Municipality.objects.get(code="0180")


def _by(world):
    return {"by": world.user("admin"), "admin_of": world.lead}


def test_new_organisations_get_unique_slugs_and_collapsed_names(world):
    first = admin.organisation_create(name="  Nya   Bostäder ", kind=Organisation.Kind.HOUSING,
                                      municipality=_stockholm(), **_by(world))  # fmt: skip
    second = admin.organisation_create(name="Nya Bostäder", kind=Organisation.Kind.HOUSING,
                                       municipality=_stockholm(), **_by(world))  # fmt: skip
    assert first.name == second.name == "Nya Bostäder"
    assert (first.slug, second.slug) == ("nya-bostader", "nya-bostader-2")
    assert AuditEntry.objects.filter(object_type="organisations.organisation",
                                     object_id__in=[first.slug, second.slug]).count() == 2  # fmt: skip


def test_an_organisation_needs_a_name(world):
    before = Organisation.objects.count()
    with pytest.raises(InputError) as error:
        admin.organisation_create(name=" \t ", kind=Organisation.Kind.HOUSING,
                                  municipality=_stockholm(), **_by(world))  # fmt: skip
    assert _field(error.value) == "name"
    assert error.value.problems[0].en == "Give a name."
    assert Organisation.objects.count() == before


def test_the_municipalitys_own_organisation_keeps_its_kind_and_home(world):
    with pytest.raises(InputError) as error:
        admin.organisation_update(organisation=world.lead, name="Nytt namn",
                                  kind=Organisation.Kind.HOUSING, municipality=_stockholm(),
                                  **_by(world))  # fmt: skip
    assert _field(error.value) == "kind"
    world.lead.refresh_from_db()
    assert world.lead.name == "Västerorts stadsdelsförvaltning"
    renamed = admin.organisation_update(organisation=world.lead, name="Västerort",
                                        kind=world.lead.kind, municipality=_stockholm(),
                                        **_by(world))  # fmt: skip
    assert Organisation.objects.get(pk=renamed.pk).name == "Västerort"
    entry = AuditEntry.objects.filter(object_id=world.lead.slug, action="update").get()
    assert entry.changes["name"] == ["Västerorts stadsdelsförvaltning", "Västerort"]


def test_a_partner_may_change_kind(world):
    admin.organisation_update(organisation=world.partner, name=world.partner.name,
                              kind=Organisation.Kind.ASSOCIATION, municipality=_stockholm(),
                              **_by(world))  # fmt: skip
    assert Organisation.objects.get(pk=world.partner.pk).kind == Organisation.Kind.ASSOCIATION


def test_an_organisation_leading_a_group_cannot_be_deactivated(world):
    world.group.lead_organisation = world.partner
    world.group.save()
    with pytest.raises(InputError) as error:
        admin.organisation_set_active(organisation=world.partner, active=False, **_by(world))
    assert world.group.name in error.value.problems[0].sv
    assert Organisation.objects.get(pk=world.partner.pk).is_active


def test_deactivating_and_reactivating_an_organisation_is_audited(world):
    admin.organisation_set_active(organisation=world.partner, active=False, **_by(world))
    assert not Organisation.objects.get(pk=world.partner.pk).is_active
    admin.organisation_set_active(organisation=world.partner, active=True, **_by(world))
    assert Organisation.objects.get(pk=world.partner.pk).is_active
    changes = [e.changes["is_active"] for e in AuditEntry.objects.filter(
        object_id=world.partner.slug, action="update").order_by("pk")]  # fmt: skip
    assert changes == [[True, False], [False, True]]


def test_inviting_an_existing_member_names_the_address(world):
    with pytest.raises(InputError) as error:
        admin.person_invite(organisation=world.lead, email=" Reader@SDF.example ",
                            role=Role.READER, by=world.user("admin"))  # fmt: skip
    assert _field(error.value) == "email"
    assert error.value.problems[0].en == "reader@sdf.example is already a member."
    assert not Invitation.objects.exists()
    invitation = admin.person_invite(organisation=world.lead, email="Ny@Example.org",
                                     role=Role.REPORTER, by=world.user("admin"))  # fmt: skip
    assert (invitation.email, invitation.role) == ("ny@example.org", Role.REPORTER)


def test_ending_a_persons_last_membership_deactivates_the_account(world):
    membership = Membership.objects.get(user=world.user("reader"))
    admin.membership_set_active(membership=membership, active=False, by=world.user("admin"))
    reader = type(world.user("reader")).objects.get(pk=world.user("reader").pk)
    assert not reader.is_active and membership.deactivated is not None
    admin.membership_set_active(membership=membership, active=True, by=world.user("admin"))
    reader.refresh_from_db()
    assert reader.is_active
    assert Membership.objects.get(pk=membership.pk).deactivated is None


def test_a_person_with_another_active_membership_keeps_the_account(world):
    reader = world.user("reader")
    Membership.objects.create(user=reader, organisation=world.partner, role=Role.READER)
    membership = Membership.objects.get(user=reader, organisation=world.lead)
    admin.membership_set_active(membership=membership, active=False, by=world.user("admin"))
    reader.refresh_from_db()
    assert reader.is_active


def test_the_last_admin_can_be_deactivated_once_another_admin_exists(world):
    membership = Membership.objects.get(user=world.user("admin"))
    with pytest.raises(InputError) as error:
        admin.membership_set_active(membership=membership, active=False, by=world.user("admin"))
    assert _field(error.value) == "membership"
    second = make_user("second@sdf.example")
    Membership.objects.create(user=second, organisation=world.lead, role=Role.ADMIN)
    admin.membership_set_active(membership=membership, active=False, by=second)
    assert Membership.objects.get(pk=membership.pk).deactivated is not None


def test_moving_a_person_keeps_the_role_and_is_logged_in_both_organisations(world):
    membership = Membership.objects.get(user=world.user("reader"))
    same = admin.membership_move(membership=membership, organisation=world.lead,
                                 by=world.user("admin"))  # fmt: skip
    assert same.organisation == world.lead
    assert not AuditEntry.objects.filter(object_id=str(membership.public_id)).exists()
    admin.membership_move(membership=membership, organisation=world.partner,
                          by=world.user("admin"))  # fmt: skip
    moved = Membership.objects.get(pk=membership.pk)
    assert (moved.organisation, moved.role) == (world.partner, Role.READER)
    logged = set(AuditEntry.objects.filter(object_id=str(membership.public_id))
                 .values_list("organisation__slug", flat=True))  # fmt: skip
    assert logged == {world.lead.slug, world.partner.slug}


def test_moving_to_an_organisation_the_person_is_in_or_the_last_admin_is_refused(world):
    reader = world.user("reader")
    Membership.objects.create(user=reader, organisation=world.partner, role=Role.READER)
    membership = Membership.objects.get(user=reader, organisation=world.lead)
    with pytest.raises(InputError) as error:
        admin.membership_move(membership=membership, organisation=world.partner,
                              by=world.user("admin"))  # fmt: skip
    assert "reader@sdf.example" in error.value.problems[0].en
    last_admin = Membership.objects.get(user=world.user("admin"))
    with pytest.raises(InputError):
        admin.membership_move(membership=last_admin, organisation=world.partner,
                              by=world.user("admin"))  # fmt: skip
    assert Membership.objects.get(pk=last_admin.pk).organisation == world.lead


def _group(world, name="Ny grupp", lead=None):
    return admin.group_create(name=name, municipality=_stockholm(),
                              lead_organisation=lead or world.lead,
                              meeting_rhythm=MeetingRhythm.WEEKLY, **_by(world))  # fmt: skip


def test_a_new_group_has_its_lead_as_member(world):
    group = _group(world)
    assert group.slug == "ny-grupp"
    assert list(
        GroupMembership.objects.filter(group=group).values_list("organisation", flat=True)
    ) == [world.lead.pk]


def test_a_deactivated_organisation_cannot_lead_or_join_a_group(world):
    world.partner.is_active = False
    world.partner.save()
    with pytest.raises(InputError) as error:
        _group(world, lead=world.partner)
    assert _field(error.value) == "lead_organisation"
    assert not CollaborationGroup.objects.filter(name="Ny grupp").exists()
    group = _group(world)
    with pytest.raises(InputError) as error:
        admin.group_member_set(group=group, organisation=world.partner, reports_weekly=True,
                               **_by(world))  # fmt: skip
    assert "deactivated" in error.value.problems[0].en
    assert not GroupMembership.objects.filter(group=group, organisation=world.partner).exists()


def test_a_group_cannot_steer_itself_and_a_new_lead_becomes_a_member(world):
    group = _group(world)
    kwargs = {"name": "Ny grupp", "description": "", "meeting_rhythm": MeetingRhythm.WEEKLY}
    with pytest.raises(InputError) as error:
        admin.group_update(group=group, lead_organisation=world.lead, steering_group=group,
                           **kwargs, **_by(world))  # fmt: skip
    assert _field(error.value) == "steering_group"
    admin.group_update(group=group, lead_organisation=world.partner, steering_group=world.group,
                       **kwargs, **_by(world))  # fmt: skip
    group.refresh_from_db()
    assert group.lead_organisation == world.partner and group.steering_group == world.group
    assert set(
        GroupMembership.objects.filter(group=group).values_list("organisation", flat=True)
    ) == {
        world.lead.pk,
        world.partner.pk,
    }


def test_weekly_reporting_is_changed_and_audited_only_when_it_changes(world):
    member = GroupMembership.objects.get(group=world.group, organisation=world.partner)
    start = member.reports_weekly
    count = AuditEntry.objects.count()
    admin.group_member_set(group=world.group, organisation=world.partner, reports_weekly=start,
                           **_by(world))  # fmt: skip
    assert AuditEntry.objects.count() == count
    admin.group_member_set(group=world.group, organisation=world.partner,
                           reports_weekly=not start, **_by(world))  # fmt: skip
    assert GroupMembership.objects.get(pk=member.pk).reports_weekly is (not start)
    assert AuditEntry.objects.count() == count + 1


def test_the_lead_cannot_leave_its_group_but_a_partner_can(world):
    lead = GroupMembership.objects.get(group=world.group, organisation=world.lead)
    with pytest.raises(InputError) as error:
        admin.group_member_remove(member=lead, **_by(world))
    assert _field(error.value) == "organisation"
    partner = GroupMembership.objects.get(group=world.group, organisation=world.partner)
    admin.group_member_remove(member=partner, **_by(world))
    assert set(
        GroupMembership.objects.filter(group=world.group).values_list("organisation", flat=True)
    ) == {world.lead.pk}
    assert AuditEntry.objects.filter(action="delete",
                                     object_type="organisations.groupmembership").count() == 1  # fmt: skip


def test_areas_are_set_within_the_municipality_and_their_names_audited(world):
    areas = list(Area.objects.filter(municipality_id="0180", name__in=["Vällingby", "Kista"]))
    admin.group_set_areas(group=world.group, areas=areas + areas[:1], **_by(world))
    assert sorted(world.group.areas.values_list("name", flat=True)) == ["Kista", "Vällingby"]
    entry = AuditEntry.objects.filter(object_id=world.group.slug, changes__has_key="areas").get()
    assert entry.changes["areas"] == [["Vinsta", "Vällingby"], ["Kista", "Vällingby"]]
    model = areas[0]
    foreign = Area.objects.create(
        municipality_id="0126", name="Annanstans", kind=Area.Kind.CUSTOM, code="x1",
        geometry=model.geometry, min_lon=model.min_lon, min_lat=model.min_lat,
        max_lon=model.max_lon, max_lat=model.max_lat,
    )  # fmt: skip
    with pytest.raises(InputError) as error:
        admin.group_set_areas(group=world.group, areas=[foreign], **_by(world))
    assert foreign.name in error.value.problems[0].sv
    assert sorted(world.group.areas.values_list("name", flat=True)) == ["Kista", "Vällingby"]


def test_the_coordination_function_needs_a_mandate_and_a_title(world):
    base = {"organisation": world.lead, "holder": world.user("coordinator"), "unit": "",
            "decided_on": None, "decision_reference": "", "by": world.user("admin")}  # fmt: skip
    with pytest.raises(InputError) as error:
        admin.coordination_function_save(holder_title="Samordnare", mandate="  ", **base)
    assert _field(error.value) == "mandate"
    with pytest.raises(InputError) as error:
        admin.coordination_function_save(holder_title=" ", mandate="Leda arbetet", **base)
    assert _field(error.value) == "holder_title"
    assert not CoordinationFunction.objects.exists()
    base["decided_on"] = datetime.date(2025, 3, 1)
    saved = admin.coordination_function_save(holder_title=" Samordnare ",
                                             mandate=" Leda arbetet ", **base)  # fmt: skip
    assert (saved.holder_title, saved.mandate) == ("Samordnare", "Leda arbetet")
    again = admin.coordination_function_save(holder_title="Chef", mandate="Leda", **base)
    assert again.pk == saved.pk and CoordinationFunction.objects.count() == 1
