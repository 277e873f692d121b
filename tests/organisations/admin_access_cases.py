"""The municipality's administration pages: only an admin of the municipality's own
organisation (the ``admin`` persona, of "sdf" in Stockholm) gets in; other members of
that organisation get 403, everybody else (the outsider is an admin elsewhere) 404."""

from tests.access import LOGIN_REDIRECT, Case
from tryggnav.areas.models import Area
from tryggnav.organisations.models import (
    CollaborationGroup,
    CoordinationFunction,
    GroupMembership,
    Membership,
    Organisation,
)

ADMIN_READ = {
    "anonymous": LOGIN_REDIRECT,
    "outsider": 404,
    "reporter": 404,
    "reader": 403,
    "coordinator": 403,
    "admin": 200,
}
ADMIN_WRITE = {**ADMIN_READ, "admin": 302}


def _ok(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def _reporter_membership(world):
    return Membership.objects.get(user=world.users["reporter"])


ADMIN_CASES = [
    Case("organisations:admin_index", ADMIN_READ, args=lambda w: [w.lead.slug]),
    Case("organisations:admin_organisations", ADMIN_READ, args=lambda w: [w.lead.slug]),
    Case(
        "organisations:admin_organisations",
        ADMIN_WRITE,
        label="create",
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {
            "name": "Vällingby Centrum AB",
            "kind": "naringsliv",
            "municipality": "0180",
        },
        writes=True,
        check=lambda w, before: _ok(
            Organisation.objects.filter(name="Vällingby Centrum AB", kind="naringsliv").exists(),
            "no organisation",
        ),
    ),
    Case(
        "organisations:admin_organisation_edit",
        ADMIN_READ,
        args=lambda w: [w.lead.slug, w.partner.slug],
    ),
    Case(
        "organisations:admin_organisation_edit",
        ADMIN_WRITE,
        label="save",
        args=lambda w: [w.lead.slug, w.partner.slug],
        method="post",
        data=lambda w: {
            "name": "Testbostäder i Väst AB",
            "kind": "bostadsbolag",
            "municipality": "0180",
        },
        writes=True,
        check=lambda w, before: _ok(
            Organisation.objects.get(pk=w.partner.pk).name == "Testbostäder i Väst AB",
            "not renamed",
        ),
    ),
    Case(
        "organisations:admin_organisation_active",
        ADMIN_WRITE,
        args=lambda w: [w.lead.slug, w.partner.slug],
        method="post",
        data=lambda w: {"active": "0"},
        writes=True,
        check=lambda w, before: _ok(
            not Organisation.objects.get(pk=w.partner.pk).is_active, "still active"
        ),
    ),
    Case("organisations:admin_people", ADMIN_READ, args=lambda w: [w.lead.slug]),
    Case(
        "organisations:admin_people",
        ADMIN_READ,
        label="invite",
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {
            "email": "ny@testbostader.example",
            "organisation": w.partner.pk,
            "role": "reporter",
        },
        writes=True,
        check=lambda w, before: _ok(
            w.partner.invitations.filter(email="ny@testbostader.example").exists(), "no invitation"
        ),
    ),
    Case(
        "organisations:admin_person_update",
        ADMIN_WRITE,
        args=lambda w: [w.lead.slug, _reporter_membership(w).public_id],
        method="post",
        data=lambda w: {"action": "deactivate"},
        writes=True,
        check=lambda w, before: _ok(
            _reporter_membership(w).deactivated is not None, "still active"
        ),
    ),
    Case("organisations:admin_groups", ADMIN_READ, args=lambda w: [w.lead.slug]),
    Case(
        "organisations:admin_groups",
        ADMIN_WRITE,
        label="create",
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {
            "name": "BRÅ-rådet Västerort",
            "lead_organisation": w.lead.pk,
            "meeting_rhythm": "monthly",
        },
        writes=True,
        check=lambda w, before: _ok(
            CollaborationGroup.objects.filter(
                name="BRÅ-rådet Västerort", municipality_id="0180"
            ).exists(),
            "no group",
        ),
    ),
    Case("organisations:admin_group", ADMIN_READ, args=lambda w: [w.lead.slug, w.group.slug]),
    Case(
        "organisations:admin_group",
        ADMIN_WRITE,
        label="save",
        args=lambda w: [w.lead.slug, w.group.slug],
        method="post",
        data=lambda w: {
            "name": "EST Väst",
            "lead_organisation": w.lead.pk,
            "meeting_rhythm": "fortnightly",
        },
        writes=True,
        check=lambda w, before: _ok(
            CollaborationGroup.objects.get(pk=w.group.pk).meeting_rhythm == "fortnightly",
            "unchanged",
        ),
    ),
    Case(
        "organisations:admin_group_members",
        ADMIN_WRITE,
        args=lambda w: [w.lead.slug, w.group.slug],
        method="post",
        data=lambda w: {"organisation": w.partner.pk},
        writes=True,
        check=lambda w, before: _ok(
            not GroupMembership.objects.get(group=w.group, organisation=w.partner).reports_weekly,
            "still weekly",
        ),
    ),
    Case(
        "organisations:admin_group_areas",
        ADMIN_WRITE,
        args=lambda w: [w.lead.slug, w.group.slug],
        method="post",
        data=lambda w: {"areas": [Area.objects.get(municipality_id="0180", name="Vällingby").pk]},
        writes=True,
        check=lambda w, before: _ok(
            list(w.group.areas.values_list("name", flat=True)) == ["Vällingby"], "areas unchanged"
        ),
    ),
    Case("organisations:admin_coordination", ADMIN_READ, args=lambda w: [w.lead.slug]),
    Case(
        "organisations:admin_coordination",
        ADMIN_WRITE,
        label="save",
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {
            "holder_title": "Brottsförebyggande samordnare",
            "mandate": "Samordnar kommunens arbete.",
        },
        writes=True,
        check=lambda w, before: _ok(
            CoordinationFunction.objects.filter(organisation=w.lead).exists(), "not saved"
        ),
    ),
]
