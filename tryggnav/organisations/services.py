"""Writes that concern organisations, memberships, groups and invitations, and the
auditing of logins, logouts, password resets, organisation switches and token use."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import (
    audit_create,
    audit_delete,
    audit_record,
    audit_update,
    snapshot,
)
from tryggnav.organisations import throttle
from tryggnav.organisations.claims import OidcRefused
from tryggnav.organisations.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from tryggnav.organisations.throttle import Attempt

logger = logging.getLogger(__name__)


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


def login_attempt_start(*, username: str, address: str | None, device: str | None) -> Attempt:
    """Count a login attempt before its password is checked (throttle.py)."""
    return throttle.attempt_count(username=username, address=address, device=device)


def login_succeeded(*, attempt: Attempt, user: Any) -> None:
    throttle.attempt_succeeded(attempt)
    login_audit(user=user, address=attempt.address)


def login_audit(*, user: Any, address: str | None, note: str = "") -> None:
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        obj=user,
        changes={"address": address},
        note=note,
    )


def login_failed(*, attempt: Attempt) -> None:
    """Audit a wrong password (never the password itself), and tell the owner once per
    throttle episode when their account's counters reach the limit."""
    user = _account(attempt.username)
    audit_record(
        actor=None,
        actor_name=attempt.username,
        action=AuditEntry.Action.LOGIN_FAILED,
        obj=user,
        object_type="auth.user",
        object_repr=attempt.username,
        changes={"username": attempt.username, "address": attempt.address},
    )
    throttle.prune()
    if user is None or not attempt.at_limit:
        return
    if throttle.owner_notify_once(username=attempt.username):
        audit_record(
            actor=None,
            actor_name=attempt.username,
            action=AuditEntry.Action.LOGIN_THROTTLED,
            obj=user,
            changes={"address": attempt.address},
        )
        _mail_throttled(user=user, address=attempt.address)


def _account(username: str) -> Any:
    """The account a login name points at, as the login backend finds it."""
    if not username:
        return None
    return get_user_model().objects.filter(email__iexact=username).order_by("pk").first()


def _mail_throttled(*, user: Any, address: str | None) -> None:
    context = {
        "address": address or "?",
        "reset_link": settings.SITE_URL.rstrip("/") + reverse("organisations:password_reset"),
    }
    subjects, bodies = [], []
    # The owner's language is not known: the message is in Swedish, then English.
    for language in ("sv", "en"):
        with translation.override(language):
            subjects.append(_("Misslyckade inloggningar på ditt konto i Tryggnav"))
            bodies.append(render_to_string("organisations/login_throttled_email.txt", context))
    try:
        send_mail(" / ".join(subjects), "\n\n".join(bodies), None, [user.email])
    except (OSError, smtplib.SMTPException):
        # Telling the owner must not stop the login page from answering.
        logger.exception("Could not mail %s about throttled logins", user.pk)


def logout_record(*, user: Any, address: str | None) -> None:
    audit_record(
        actor=user, action=AuditEntry.Action.LOGOUT, obj=user, changes={"address": address}
    )


def password_reset_requested(*, email: str, users: list[Any], address: str | None) -> None:
    """Audit a request for a password reset link, whether or not the address has an account."""
    email = email.strip().lower()
    audit_record(
        actor=None,
        actor_name=email,
        action=AuditEntry.Action.PASSWORD_RESET,
        obj=users[0] if users else None,
        object_type="auth.user",
        object_repr=email,
        changes={"email": email, "address": address},
    )


def password_reset_completed(*, user: Any, address: str | None) -> None:
    """A new password set through an e-mailed link: audited (without the password hash),
    and the account's login counters start over, since the owner has proved who they are."""
    throttle.account_forget(username=user.email)
    audit_record(
        actor=user, action=AuditEntry.Action.PASSWORD_SET, obj=user, changes={"address": address}
    )


def organisation_switch(*, user: Any, membership: Membership, previous: str | None) -> None:
    """Audit a switch of the active organisation, in the organisation switched to."""
    organisation = membership.organisation
    audit_record(
        actor=user,
        action=AuditEntry.Action.SWITCH,
        obj=organisation,
        organisation=organisation,
        changes={"organisation": [previous, organisation.slug]},
    )


def apitoken_user(*, key: str, address: str | None) -> Any:
    """The active user a personal API token (its key, from a bearer header) belongs to,
    with the use noted (``apitoken_use``); None for an unknown or revoked key."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    apitoken_use(token=token, address=address)
    return token.user


def apitoken_use(*, token: ApiToken, address: str | None) -> None:
    """Note that a token was used: ``last_used`` at most every minute, and an audit entry
    at most once a calendar day per token. Auditing every request would fill the
    append-only log with a polling script's calls; the daily entry still shows on which
    days, from where and by whom each token was used, and ``last_used`` when it last was."""
    now = timezone.now()
    today = datetime.combine(timezone.localdate(now), time.min, timezone.get_current_timezone())
    if token.last_used is not None and token.last_used >= max(today, now - timedelta(minutes=1)):
        return  # noted less than a minute ago, today: no write (a polling client's calls)
    first_today = ApiToken.objects.filter(
        Q(last_used__isnull=True) | Q(last_used__lt=today), pk=token.pk
    ).update(last_used=now)
    if first_today:
        audit_record(
            actor=token.user,
            action=AuditEntry.Action.TOKEN_USE,
            obj=token,
            changes={"address": address},
        )
        return
    ApiToken.objects.filter(pk=token.pk, last_used__lt=now - timedelta(minutes=1)).update(
        last_used=now
    )


def oidc_user_login(*, claims: Mapping[str, Any], granted: Mapping[str, str], provider: str) -> Any:
    """The person an OpenID Connect login with these (verified) claims is, created at the
    first login with the memberships the claim rules grant (``granted``: organisation
    slug → role). Later logins add a granted membership that is missing and raise a role
    the rules now grant higher; they never lower a role an admin set or revive a
    membership an admin ended. Refused (OidcRefused) when nothing grants the person a
    place: no account yet and no rule matches."""
    email = str(claims["email"]).strip().lower()
    organisations = list(Organisation.objects.filter(slug__in=granted, is_active=True))
    unknown = set(granted) - {o.slug for o in organisations}
    if unknown:
        logger.warning("TRYGGNAV_OIDC_RULES name unknown organisations: %s", sorted(unknown))
    note = f"OpenID Connect ({provider})"
    with transaction.atomic():
        user = get_user_model().objects.filter(email__iexact=email).order_by("pk").first()
        if user is not None and not user.is_active:
            raise OidcRefused("inactive", email)
        if user is None:
            if not organisations:
                raise OidcRefused("no_access", email)
            user = _oidc_user_create(email=email, claims=claims, note=note)
        for organisation in organisations:
            _oidc_membership(
                user=user, organisation=organisation, role=granted[organisation.slug], note=note
            )
    return user


def _oidc_user_create(*, email: str, claims: Mapping[str, Any], note: str) -> Any:
    user = get_user_model().objects.create_user(
        username=email,
        email=email,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    # Only the provider's login opens this account; a password can be set by a reset.
    user.set_unusable_password()
    user.save(update_fields=["password"])
    # Not audit_create: a user's snapshot would copy the password field into the log.
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        obj=user,
        changes={"email": [None, email]},
        note=note,
    )
    return user


def _oidc_membership(*, user: Any, organisation: Organisation, role: str, note: str) -> None:
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        audit_create(actor=user, obj=membership, organisation=organisation, note=note)
        return
    if membership.deactivated is not None or Role.at_least(membership.role, role):
        return
    before = snapshot(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit_update(actor=user, obj=membership, before=before, organisation=organisation, note=note)


def oidc_login_refused(*, reason: str, who: str, address: str | None, provider: str) -> None:
    """Audit a refused OpenID Connect login like a failed password login: who the
    provider said it was (when the token got that far), the address and why."""
    user = _account(who) if "@" in who else None
    audit_record(
        actor=None,
        actor_name=who or provider,
        action=AuditEntry.Action.LOGIN_FAILED,
        obj=user,
        object_type="auth.user",
        object_repr=who or provider,
        changes={"address": address, "reason": reason},
        note=f"OpenID Connect ({provider})",
    )


RECOVERY_CODES = 10
SECOND_FACTOR_NOTE = "TOTP"


@dataclass(frozen=True)
class CodeCheck:
    """A second-factor code checked: the device it matched, or when the throttle lets
    the next code be tried (None: not throttled, the code was just wrong)."""

    device: Any = None
    locked_until: datetime | None = None


def second_factor_enrol(
    *, user: Any, secret_hex: str, token: str, address: str | None
) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm a new authenticator with a code it shows: its TOTP device replaces any
    earlier one, with a fresh set of recovery codes (returned, shown once). None when the
    code does not match the secret."""
    totp = TOTP(bytes.fromhex(secret_hex))
    if not token.isdigit() or not totp.verify(int(token), tolerance=1):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        # last_t: the code just typed cannot be used again to verify.
        device = TOTPDevice.objects.create(
            user=user, name="Tryggnav", key=secret_hex, confirmed=True, last_t=totp.t()
        )
        recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        # Not audit_create: the device's snapshot would copy its secret into the log.
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=device,
            object_repr=str(user),
            changes={"address": address, "recovery_codes": RECOVERY_CODES},
            note=SECOND_FACTOR_NOTE,
        )
    return device, codes


def second_factor_verify(*, user: Any, token: str, address: str | None) -> CodeCheck:
    """Check a code from the authenticator, or a recovery code (used up when it
    matches). While django-otp's throttle holds any of the person's devices (after a
    wrong code: 1, 2, 4 … seconds) no code is tried. Audited either way."""
    devices = list(devices_for_user(user, confirmed=True))
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(locked_until=(data or {}).get("locked_until"))
    token = token.replace(" ", "").replace("-", "").lower()
    matched = next((d for d in devices if d.verify_token(token)), None)
    if matched is not None:
        # A recovery code counts as a wrong code for the authenticator tried before it.
        for device in devices:
            if device is not matched and device.throttling_failure_count:
                device.throttle_reset()
    audit_record(
        actor=user if matched else None,
        actor_name="" if matched else user.email,
        action=AuditEntry.Action.LOGIN if matched else AuditEntry.Action.LOGIN_FAILED,
        obj=user,
        changes={"address": address, "device": matched.persistent_id if matched else None},
        note=SECOND_FACTOR_NOTE,
    )
    return CodeCheck(device=matched)
