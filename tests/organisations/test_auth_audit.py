"""Logins, logouts, failed logins, password resets, organisation switches and API token
use are written to the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tryggnav.audit.models import AuditEntry
from tryggnav.organisations.models import ApiToken, Invitation, Membership, Role

ADDRESS = "198.51.100.7"


def _entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_login_and_logout_are_audited(world, client):
    user = world.users["reader"]
    client.post(
        reverse("organisations:login"),
        {"username": "reader@sdf.example", "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )
    client.post(reverse("organisations:logout"), REMOTE_ADDR=ADDRESS)
    [login] = _entries(AuditEntry.Action.LOGIN)
    [logout] = _entries(AuditEntry.Action.LOGOUT)
    for entry in (login, logout):
        assert entry.actor == user
        assert entry.object_type == "auth.user" and entry.object_id == str(user.pk)
        assert entry.changes == {"address": ADDRESS}
    assert "_auth_user_id" not in client.session


def test_a_failed_login_is_audited_with_the_name_and_address_but_no_password(world, client):
    for username in ("Reader@SDF.example", "nobody@sdf.example"):
        client.post(
            reverse("organisations:login"),
            {"username": username, "password": "Hemligt-fel-1"},
            REMOTE_ADDR=ADDRESS,
        )
    known, unknown = _entries(AuditEntry.Action.LOGIN_FAILED)
    assert known.actor is None
    assert known.object_type == "auth.user"
    assert known.object_id == str(world.users["reader"].pk)
    assert known.changes == {"username": "reader@sdf.example", "address": ADDRESS}
    assert unknown.object_id == "" and unknown.object_repr == "nobody@sdf.example"
    assert unknown.changes == {"username": "nobody@sdf.example", "address": ADDRESS}
    for entry in (known, unknown):
        assert "Hemligt-fel-1" not in str(entry.changes) + entry.note + entry.actor_name


def test_a_throttled_account_is_audited_once(world, client, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    for _ in range(6):
        client.post(
            reverse("organisations:login"),
            {"username": "reader@sdf.example", "password": "fel"},
            REMOTE_ADDR=ADDRESS,
        )
    assert len(_entries(AuditEntry.Action.LOGIN_FAILED)) == 3
    [throttled] = _entries(AuditEntry.Action.LOGIN_THROTTLED)
    assert throttled.object_id == str(world.users["reader"].pk)
    assert throttled.changes["address"] == ADDRESS


def test_password_reset_request_and_completion_are_audited(world, client):
    user = world.users["reader"]
    client.post(
        reverse("organisations:password_reset"),
        {"email": "reader@sdf.example"},
        REMOTE_ADDR=ADDRESS,
    )
    client.post(
        reverse("organisations:password_reset"),
        {"email": "nobody@sdf.example"},
        REMOTE_ADDR=ADDRESS,
    )
    known, unknown = _entries(AuditEntry.Action.PASSWORD_RESET)
    assert known.object_id == str(user.pk) and known.actor is None
    assert known.changes == {"email": "reader@sdf.example", "address": ADDRESS}
    assert unknown.object_id == "" and unknown.object_repr == "nobody@sdf.example"
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(
        form_url,
        {"new_password1": "helt-nytt-losen-77", "new_password2": "helt-nytt-losen-77"},
        REMOTE_ADDR=ADDRESS,
    )
    [done] = _entries(AuditEntry.Action.PASSWORD_SET)
    assert done.actor == user and done.object_id == str(user.pk)
    assert done.changes == {"address": ADDRESS}
    assert "pbkdf2" not in str(done.changes) and "md5" not in str(done.changes)


def test_switching_organisation_is_audited_in_the_organisation_switched_to(world):
    user = world.users["reader"]
    Membership.objects.create(user=user, organisation=world.partner, role=Role.REPORTER)
    client = world.fresh_client("reader")
    client.post(reverse("organisations:switch"), {"organisation": world.partner.slug})
    client.post(reverse("organisations:switch"), {"organisation": world.lead.slug})
    first, second = _entries(AuditEntry.Action.SWITCH)
    assert first.actor == user and first.organisation_id == world.partner.pk
    assert first.object_type == "organisations.organisation"
    assert first.object_id == world.partner.slug
    assert first.changes == {"organisation": [None, world.partner.slug]}
    assert second.organisation_id == world.lead.pk
    assert second.changes == {"organisation": [world.partner.slug, world.lead.slug]}


def test_token_use_is_audited_once_a_day_per_token(world, monkeypatch):
    token, key = ApiToken.issue(user=world.users["reader"], name="Skript")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    for _ in range(3):
        assert api.get("/api/v1/me", REMOTE_ADDR=ADDRESS).status_code == 200
    [entry] = _entries(AuditEntry.Action.TOKEN_USE)
    assert entry.actor == world.users["reader"]
    assert entry.object_type == "organisations.apitoken"
    assert entry.object_id == str(token.public_id)
    assert entry.changes == {"address": ADDRESS}
    token.refresh_from_db()
    assert token.last_used is not None
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    api.get("/api/v1/me", REMOTE_ADDR=ADDRESS)
    api.get("/api/v1/me", REMOTE_ADDR=ADDRESS)
    assert len(_entries(AuditEntry.Action.TOKEN_USE)) == 2


def test_the_login_after_accepting_an_invitation_is_audited(world, client):
    invitation = Invitation.objects.create(
        organisation=world.lead, email="ny@sdf.example", role=Role.READER
    )
    client.post(
        reverse("organisations:accept_invitation", args=[invitation.token]),
        {
            "first_name": "Ny",
            "last_name": "Person",
            "password1": "ett-riktigt-bra-losen-9",
            "password2": "ett-riktigt-bra-losen-9",
        },
        REMOTE_ADDR=ADDRESS,
    )
    [login] = _entries(AuditEntry.Action.LOGIN)
    assert login.actor.email == "ny@sdf.example"
    assert login.changes == {"address": ADDRESS}
