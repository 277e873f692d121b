"""The provider's claims (e-mail, names, groups) and the knobs a test turns to make it
misbehave: ``knobs.json`` in PROVIDER_DIR, read per token, may name another issuer for
the ID token ("issuer") or a lifetime in seconds for it ("id_token_seconds", negative
for one already expired)."""

import json
import time

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


def _knobs() -> dict:
    path = settings.DIR / "knobs.json"
    return json.loads(path.read_text()) if path.exists() else {}


class Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }

    def get_oidc_issuer_endpoint(self, request):
        return _knobs().get("issuer") or super().get_oidc_issuer_endpoint(request)

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        seconds = _knobs().get("id_token_seconds")
        if seconds is not None:
            claims["exp"] = int(time.time()) + int(seconds)
        return claims, expiration
