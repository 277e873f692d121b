"""Writes that concern organisations, memberships, groups and invitations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.audit.services import audit_create, audit_delete, audit_update, snapshot
from tryggnav.organisations.models import (
    FailedLogin,
    Invitation,
    Membership,
    Organisation,
    Role,
)


def invitation_create(
    *, organisation: Organisation, email: str, role: str, by: Any, send: bool = True
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s är redan medlem.") % {"email": email})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, invited_by=by
        )
        audit_create(actor=by, obj=invitation, organisation=organisation)
    if send:
        link = settings.SITE_URL.rstrip("/") + invitation.get_absolute_url()
        body = render_to_string(
            "organisations/invitation_email.txt",
            {"invitation": invitation, "link": link, "by": by},
        )
        send_mail(
            _("Inbjudan till %(org)s i Tryggnav") % {"org": organisation.name},
            body,
            None,
            [email],
        )
    return invitation


def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    if not invitation.is_valid():
        raise ValidationError(_("Inbjudan har redan använts eller har gått ut."))
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user,
            organisation=invitation.organisation,
            defaults={"role": invitation.role},
        )
        invitation.accepted = timezone.now()
        invitation.save(update_fields=["accepted"])
        if created:
            audit_create(
                actor=user,
                obj=membership,
                organisation=invitation.organisation,
                note=_("Via inbjudan"),
            )
    return membership


def user_create_from_invitation(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> Any:
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_user(
            username=invitation.email,
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
        invitation_accept(invitation=invitation, user=user)
    return user


def membership_set_role(*, membership: Membership, role: str, by: Any) -> Membership:
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_another_admin(membership)
    before = snapshot(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit_update(actor=by, obj=membership, before=before, organisation=membership.organisation)
    return membership


def membership_remove(*, membership: Membership, by: Any) -> None:
    if membership.role == Role.ADMIN:
        _ensure_another_admin(membership)
    with transaction.atomic():
        audit_delete(actor=by, obj=membership, organisation=membership.organisation)
        membership.delete()


def _ensure_another_admin(membership: Membership) -> None:
    others = Membership.objects.filter(
        organisation=membership.organisation, role=Role.ADMIN
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(_("Organisationen måste ha minst en administratör."))


def login_is_throttled(*, username: str, ip_address: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    recent = FailedLogin.objects.filter(at__gte=since)
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    by_name = recent.filter(username=username.strip().lower()).count()
    by_ip = recent.filter(ip_address=ip_address).count() if ip_address else 0
    # A client address may try a few more names than one name may be tried.
    return by_name >= limit or by_ip >= limit * 4


def login_failed(*, username: str, ip_address: str | None) -> None:
    FailedLogin.objects.create(username=username.strip().lower()[:254], ip_address=ip_address)
    # Old attempts have no use; keep the table small.
    FailedLogin.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def login_succeeded(*, username: str) -> None:
    FailedLogin.objects.filter(username=username.strip().lower()).delete()
