"""`tryggnav setup`: a municipality's organisation and first admin, idempotently."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from tryggnav.audit.models import AuditEntry
from tryggnav.organisations.models import Invitation, Membership, Organisation, Role
from tryggnav.organisations.services import invitation_accept

pytestmark = pytest.mark.django_db


def _setup(code: str = "2281", email: str = "Anna@Sundsvall.se") -> str:
    out = io.StringIO()
    call_command("setup", municipality=code, admin=email, stdout=out)
    return out.getvalue()


def test_setup_creates_the_organisation_and_invites_the_admin_once():
    first = _setup()
    second = _setup(email="anna@sundsvall.se")
    organisation = Organisation.objects.get(municipality_id="2281")
    assert organisation.name == "Sundsvalls kommun"
    assert organisation.kind == Organisation.Kind.MUNICIPALITY
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role) == ("anna@sundsvall.se", Role.ADMIN)
    link = invitation.get_absolute_url()
    assert link in first and link in second
    assert "fanns redan" in second and "gäller fortfarande" in second
    assert len(mail.outbox) == 1  # a configured mailer sends it once
    assert AuditEntry.objects.filter(object_type="organisations.organisation").count() == 1


def test_once_accepted_setup_changes_nothing():
    _setup()
    invitation = Invitation.objects.get()
    user = get_user_model().objects.create_user(
        username="anna@sundsvall.se", email="anna@sundsvall.se", password="x" * 12
    )
    invitation_accept(invitation=invitation, user=user)
    out = _setup()
    assert "redan administratör" in out
    assert Invitation.objects.count() == 1
    assert Membership.objects.get(user=user).role == Role.ADMIN


@pytest.mark.parametrize(
    ("code", "email", "field"), [("9999", "a@b.se", "municipality"), ("2281", "nope", "admin")]
)
def test_bad_arguments_are_refused_with_exit_code_2(code, email, field):
    with pytest.raises(CommandError) as error:
        _setup(code, email)
    assert error.value.returncode == 2
    assert f"'{field}'" in str(error.value)
    assert not Organisation.objects.filter(municipality_id="2281").exists()
