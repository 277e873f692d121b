"""The second factor (TOTP, RFC 6238, with django-otp; recovery codes as a static device).

At login (any way in: password, OpenID Connect, an invitation) the session notes what
the person still owes: "verify" when they have a confirmed device, "enrol" when they
have none but must (an admin, with TRYGGNAV_OTP_REQUIRED_FOR_ADMINS on). Until then
the middleware sends every page to the verification or enrolment page; deciding once
at login keeps every other request free of queries.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from tryggnav.organisations.models import Membership, Role

SESSION_KEY = "tryggnav_second_factor"
PENDING_KEY = "tryggnav_second_factor_pending"
VERIFY, ENROL = "verify", "enrol"
ALLOWED_URLS = (
    "organisations:second_factor_verify",
    "organisations:second_factor_enrol",
    "organisations:logout",
    "set_language",
)


def owed(user: Any) -> str:
    """What a person logging in owes: VERIFY, ENROL or nothing ("")."""
    if user_has_device(user, confirmed=True):
        return VERIFY
    if settings.TRYGGNAV_OTP_REQUIRED_FOR_ADMINS and is_admin(user):
        return ENROL
    return ""


def is_admin(user: Any) -> bool:
    return Membership.objects.filter(
        user=user, role=Role.ADMIN, deactivated__isnull=True, organisation__is_active=True
    ).exists()


def note_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """The ``user_logged_in`` receiver (apps.py): one place for every way in."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = owed(user)


def settled(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(PENDING_KEY, None)


class SecondFactorMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        user = request.user
        if step and user.is_authenticated and not user.is_verified():  # type: ignore[attr-defined]
            if not self._allowed(request.path_info):
                name = "organisations:second_factor_" + ("enrol" if step == ENROL else "verify")
                target = reverse(name) + "?next=" + quote(request.get_full_path())
                return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        return any(path == reverse(name) for name in ALLOWED_URLS)


def new_secret() -> str:
    """A TOTP key as django-otp stores it: 20 random bytes in hex (RFC 4226's 160 bits)."""
    return secrets.token_hex(20)


def base32(secret_hex: str) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(secret_hex)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def otpauth_url(*, secret_hex: str, account: str) -> str:
    secret = base32(secret_hex).replace(" ", "")
    issuer = quote(settings.OTP_TOTP_ISSUER)
    return (
        f"otpauth://totp/{issuer}:{quote(account)}?secret={secret}&issuer={issuer}"
        "&algorithm=SHA1&digits=6&period=30"
    )


def qr_svg(text: str) -> str:
    """``text`` as a QR code, an inline SVG drawn on the server (no outside service)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]
