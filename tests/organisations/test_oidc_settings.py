"""OpenID Connect's settings: a mistake is one sentence naming the variable; the claim
rules grant the strongest role that matches."""

from __future__ import annotations

import pytest

from tests.organisations.test_settings import _run
from tryggnav.organisations.claims import ROLES, ClaimRule, grants, parse_rules
from tryggnav.organisations.models import Role

GOOD = {
    "TRYGGNAV_OIDC_ISSUER": "https://login.kommun.example",
    "TRYGGNAV_OIDC_CLIENT_ID": "tryggnav",
    "TRYGGNAV_OIDC_CLIENT_SECRET": "hemligt",
}


@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("TRYGGNAV_OIDC_CLIENT_SECRET", {"TRYGGNAV_OIDC_CLIENT_SECRET": ""}),
        ("TRYGGNAV_OIDC_ISSUER", {"TRYGGNAV_OIDC_ISSUER": "http://login.kommun.example"}),
        ("TRYGGNAV_OIDC_RULES", {"TRYGGNAV_OIDC_RULES": "domain=kommun.se -> kommun:chef"}),
        ("TRYGGNAV_OIDC_RULES", {"TRYGGNAV_OIDC_RULES": "email kommun.se => kommun"}),
    ],
)
def test_bad_oidc_configuration_is_one_sentence(tmp_path, name, changes):
    env = {"DEBUG": "1", "TRYGGNAV_VAR_DIR": str(tmp_path), **GOOD, **changes}
    result = _run(["check"], env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"tryggnav: {name}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_rule_parser_knows_the_roles_of_the_model():
    assert ROLES == tuple(Role.values)


def test_rules_grant_the_strongest_matching_role_per_organisation():
    rules = parse_rules(
        "domain=Kommun.se -> kommun\n group=samordnare -> kommun:coordinator;"
        "group=polis -> polisen:reporter"
    )
    assert rules[0] == ClaimRule("domain", "kommun.se", "kommun", "reader")
    claims = {"email": "a@KOMMUN.se", "roles": ["samordnare"]}
    assert grants(rules, claims, groups_claim="roles") == {"kommun": "coordinator"}
    assert grants(rules, {"email": "a@kommun.se"}, groups_claim="roles") == {"kommun": "reader"}
    assert grants(rules, {"email": "x@annan.se", "g": "polis"}, groups_claim="g") == {
        "polisen": "reporter"
    }
    assert grants(rules, {"email": "x@annan.se"}, groups_claim="groups") == {}
