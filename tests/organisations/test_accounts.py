"""Login, throttling, invitations, roles, switching organisation, password reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD
from tryggnav.audit.models import AuditEntry
from tryggnav.organisations.models import Invitation, LoginThrottle, Membership, Role


def _login(client, email, password):
    return client.post(reverse("organisations:login"), {"username": email, "password": password})


def test_login_with_email_case_insensitive(world, client):
    response = _login(client, "READER@sdf.example", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("organisations:home")
    assert client.get(reverse("organisations:home")).status_code == 200


def test_wrong_password_is_refused_with_a_message(world, client):
    response = _login(client, "reader@sdf.example", "wrong")
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord" in response.content.decode()
    assert LoginThrottle.objects.get(scope="account", key="reader@sdf.example").attempts == 1


def test_failed_logins_are_throttled_even_with_the_right_password(world, client, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    for _ in range(3):
        _login(client, "reader@sdf.example", "wrong")
    response = _login(client, "reader@sdf.example", PASSWORD)
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_clears_failed_attempts(world, client, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    _login(client, "reader@sdf.example", "wrong")
    assert _login(client, "reader@sdf.example", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(key__startswith="reader@sdf.example").exists()


def test_login_redirects_only_to_own_host(world, client):
    response = client.post(
        reverse("organisations:login"),
        {"username": "reader@sdf.example", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("organisations:home")


def test_pages_require_login(client):
    response = client.get(reverse("areas:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("organisations:login"))


def test_invitation_flow_creates_account_and_membership(world, client):
    admin = world.client("admin")
    response = admin.post(
        reverse("organisations:invite", args=[world.lead.slug]),
        {"email": "New.Person@SDF.example", "role": Role.REPORTER},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.person@sdf.example")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert invitation.token in link
    url = reverse("organisations:accept_invitation", args=[invitation.token])
    weak = client.post(
        url, {"first_name": "Ny", "last_name": "Person", "password1": "abc", "password2": "abc"}
    )
    assert weak.status_code == 200  # too short a password: the form says why
    assert not Membership.objects.filter(user__email="new.person@sdf.example").exists()
    response = client.post(
        url,
        {
            "first_name": "Ny",
            "last_name": "Person",
            "password1": "ett-riktigt-bra-losen-9",
            "password2": "ett-riktigt-bra-losen-9",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.person@sdf.example")
    assert membership.role == Role.REPORTER and membership.organisation == world.lead
    invitation.refresh_from_db()
    assert invitation.accepted is not None
    # The link works once.
    assert client.get(url).status_code == 410
    assert AuditEntry.objects.filter(
        object_type="organisations.membership", action="create"
    ).exists()


def test_inviting_an_existing_member_is_refused(world):
    response = world.client("admin").post(
        reverse("organisations:invite", args=[world.lead.slug]),
        {"email": "reader@sdf.example", "role": Role.READER},
        follow=True,
    )
    assert "redan medlem" in response.content.decode()
    assert not Invitation.objects.exists()


def test_role_change_is_audited_with_old_and_new_value(world):
    target = Membership.objects.get(user=world.users["reader"])
    world.client("admin").post(
        reverse("organisations:membership_update", args=[world.lead.slug, target.public_id]),
        {"role": Role.COORDINATOR},
    )
    target.refresh_from_db()
    assert target.role == Role.COORDINATOR
    entry = AuditEntry.objects.get(action="update", object_type="organisations.membership")
    assert entry.changes == {"role": ["reader", "coordinator"]}
    assert entry.organisation_id == world.lead.pk
    assert entry.actor == world.users["admin"]


def test_the_last_admin_cannot_be_demoted(world):
    admin = Membership.objects.get(user=world.users["admin"])
    response = world.client("admin").post(
        reverse("organisations:membership_update", args=[world.lead.slug, admin.public_id]),
        {"role": Role.READER},
        follow=True,
    )
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert "minst en administratör" in response.content.decode()


def test_member_removal(world):
    target = Membership.objects.get(user=world.users["reader"])
    world.client("admin").post(
        reverse("organisations:membership_update", args=[world.lead.slug, target.public_id]),
        {"remove": "1", "role": "reader"},
    )
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_type="organisations.membership")


def test_switching_between_organisations(world):
    user = world.users["reader"]
    Membership.objects.create(user=user, organisation=world.partner, role=Role.REPORTER)
    client = world.client("reader")
    page = client.get(reverse("organisations:home")).content.decode()
    assert 'id="org-switch"' in page
    client.post(reverse("organisations:switch"), {"organisation": world.partner.slug})
    page = client.get(reverse("organisations:home")).content.decode()
    assert f'<option value="{world.partner.slug}" selected>' in page
    # An organisation the user is not in does not exist for them.
    response = client.post(reverse("organisations:switch"), {"organisation": world.other.slug})
    assert response.status_code == 404


def test_password_reset_sends_a_working_link(world, client):
    client.post(reverse("organisations:password_reset"), {"email": "reader@sdf.example"})
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "helt-nytt-losen-77", "new_password2": "helt-nytt-losen-77"}
    )
    assert response.status_code == 302
    assert _login(client, "reader@sdf.example", "helt-nytt-losen-77").status_code == 302


def test_group_page_lists_members_for_members_only(world):
    page = world.client("reporter").get(reverse("organisations:group", args=[world.group.slug]))
    assert "Testbostäder AB" in page.content.decode()
    assert (
        world.client("outsider")
        .get(reverse("organisations:group", args=[world.group.slug]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("admin", True),
        ("coordinator", True),
        ("reader", True),
        ("reporter", True),
        ("outsider", False),
    ],
)
def test_group_access_rules(world, persona, expected):
    from tryggnav.organisations.access import group_access

    access = group_access(world.users[persona], world.group)
    assert (access is not None) is expected
    if access:
        assert access.can_coordinate is (persona in ("admin", "coordinator"))
        assert access.can_report is (persona in ("admin", "coordinator", "reporter"))
