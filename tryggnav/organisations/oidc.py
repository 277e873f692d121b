"""Sign-in with the municipality's OpenID Connect provider (authorization code flow with
PKCE), built on mozilla-django-oidc.

What this adds to the library: the provider's endpoints come from its discovery
document (so the configuration is the issuer, the client id and the secret), read at
the first OIDC login and never during a password login; the ID token's issuer,
audience and expiry are checked (the library checks only the signature and the
nonce); the claims become memberships by the rules of TRYGGNAV_OIDC_RULES
(claims.py, services.oidc_user_login); and every refusal is audited and shown on the
login page as one sentence saying why.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from tryggnav.lib.http import client_address
from tryggnav.organisations import services
from tryggnav.organisations.claims import OidcRefused, grants
from tryggnav.organisations.views import login_page

DISCOVERY_SECONDS = 3600
# Clocks of the provider and this server may differ by this much.
LEEWAY_SECONDS = 30
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


def configured() -> bool:
    return bool(settings.TRYGGNAV_OIDC_ISSUER)


def discovery() -> dict[str, Any]:
    """The provider's discovery document (OpenID Connect Discovery 1.0), kept an hour."""
    issuer = settings.TRYGGNAV_OIDC_ISSUER
    with _lock:
        cached = _discovered.get(issuer)
        if cached and cached[0] > time.monotonic():
            return cached[1]
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError):
        raise OidcRefused("provider") from None
    # The document must name the issuer it was fetched from (Discovery 1.0, 4.3).
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer:
        raise OidcRefused("issuer")
    with _lock:
        _discovered[issuer] = (time.monotonic() + DISCOVERY_SECONDS, document)
    return document


def discovery_forget() -> None:
    with _lock:
        _discovered.clear()


class OidcBackend(OIDCAuthenticationBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not the parent's __init__: it reads the endpoints from settings, and Django
        # builds every backend for every password login; ours come from discovery, later.
        ModelBackend.__init__(self, *args, **kwargs)
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 - the library's attribute name
        return discovery()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return discovery()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return discovery()["jwks_uri"]

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        # Only the callback passes a nonce; a password login never reaches the provider.
        if request is None or "nonce" not in kwargs or not configured():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, KeyError, ValueError):
            raise OidcRefused("provider") from None

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        algorithm = self.OIDC_RP_SIGN_ALGO
        issuer = settings.TRYGGNAV_OIDC_ISSUER
        try:
            if jwt.get_unverified_header(payload).get("alg") != algorithm:
                raise OidcRefused("token")
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=[issuer, issuer + "/"],
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise OidcRefused("expired") from None
        except jwt.InvalidIssuerError:
            raise OidcRefused("issuer") from None
        except jwt.InvalidTokenError:
            raise OidcRefused("token") from None

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # The userinfo must describe the person the ID token names (OIDC Core 5.3.2).
        if userinfo.get("sub") != payload.get("sub"):
            raise OidcRefused("token")
        claims = {**payload, **userinfo}
        if not self.verify_claims(claims):
            raise OidcRefused("email", str(claims.get("email") or claims.get("sub") or ""))
        granted = grants(
            settings.TRYGGNAV_OIDC_RULES, claims, groups_claim=settings.TRYGGNAV_OIDC_GROUPS_CLAIM
        )
        return services.oidc_user_login(
            claims=claims, granted=granted, provider=settings.TRYGGNAV_OIDC_NAME
        )


class _Start(OIDCAuthenticationRequestView):
    def __init__(self, **kwargs: Any) -> None:
        # Not the parent's __init__, which reads the endpoint from settings.
        View.__init__(self, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_OP_AUTH_ENDPOINT(self) -> str:  # noqa: N802 - the library's attribute name
        return discovery()["authorization_endpoint"]


class _Callback(OIDCAuthenticationCallbackView):
    def login_failure(self) -> HttpResponse:
        # The provider answered with an error (the person cancelled) or without state.
        return refused(self.request, OidcRefused("cancelled"))

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        services.login_audit(
            user=self.user,
            address=client_address(self.request),
            note=f"OpenID Connect ({settings.TRYGGNAV_OIDC_NAME})",
        )
        return response


@login_not_required
def oidc_start(request: HttpRequest) -> HttpResponse:
    if not configured():
        raise Http404
    try:
        return _Start.as_view()(request)
    except OidcRefused as refusal:
        return refused(request, refusal)


@login_not_required
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not configured():
        raise Http404
    try:
        return _Callback.as_view()(request)
    except OidcRefused as refusal:
        return refused(request, refusal)
    except SuspiciousOperation:  # a state this browser did not start
        return refused(request, OidcRefused("cancelled"))


def end_session_url(request: HttpRequest, id_token: str) -> str | None:
    """Where to send the browser so that the provider ends its session too
    (OpenID Connect RP-Initiated Logout 1.0), or None: no provider session to end, a
    provider without an end_session_endpoint, or one that cannot be reached (signing
    out of Tryggnav never waits for, or fails on, the provider)."""
    if not id_token or not configured():
        return None
    try:
        endpoint = discovery().get("end_session_endpoint")
    except OidcRefused:
        return None
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(
                resolve_url(settings.LOGOUT_REDIRECT_URL)
            ),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def refusal_message(reason: str) -> str:
    provider = settings.TRYGGNAV_OIDC_NAME
    messages = {
        "issuer": _(
            "Inloggningen med %(provider)s avvisades: svaret kom från en annan utfärdare "
            "(issuer) än den Tryggnav är inställd på."
        ),
        "expired": _(
            "Inloggningen med %(provider)s avvisades: inloggningsbeviset (ID-token) hade gått "
            "ut. Försök igen."
        ),
        "token": _(
            "Inloggningen med %(provider)s avvisades: inloggningsbeviset (ID-token) kunde inte "
            "kontrolleras."
        ),
        "email": _(
            "Inloggningen med %(provider)s avvisades: kontot där har ingen bekräftad e-postadress."
        ),
        "no_access": _(
            "Ditt konto hos %(provider)s ger ingen behörighet i Tryggnav: ingen regel ger din "
            "e-postdomän eller dina grupper en organisation. Be kommunens administratör om en "
            "inbjudan."
        ),
        "inactive": _("Kontot är avstängt."),
        "provider": _(
            "%(provider)s svarar inte som väntat just nu. Försök igen om en stund, eller logga "
            "in med lösenord."
        ),
        "cancelled": _("Inloggningen med %(provider)s avbröts. Försök igen."),
    }
    return messages.get(reason, messages["token"]) % {"provider": provider}


def refused(request: HttpRequest, refusal: OidcRefused) -> HttpResponse:
    """The login page with why the login was refused; the refusal is audited."""
    services.oidc_login_refused(
        reason=refusal.reason,
        who=refusal.who,
        address=client_address(request),
        provider=settings.TRYGGNAV_OIDC_NAME,
    )
    return login_page(request, error=refusal_message(refusal.reason), status=403)
