"""Rules that turn an OpenID Connect login's claims into memberships.

Written in the environment variable TRYGGNAV_OIDC_RULES, one rule per line or separated
by ";":

    domain=huddinge.se -> huddinge-kommun
    group=tryggnav-samordnare -> huddinge-kommun:coordinator

A rule matches on the e-mail address's domain (``domain=``) or on a value of the groups
claim (``group=``), and grants a membership of the organisation (its slug) with a role,
reader when none is named. When several rules grant the same organisation, the strongest
role wins. Plain Python (no models): settings.py parses the rules at start-up, so a
mistake stops the program with one sentence naming the rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The values of organisations.models.Role, weakest first (tests check they agree).
ROLES = ("reader", "reporter", "coordinator", "admin")
KINDS = ("domain", "group")
_RULE = re.compile(
    r"^(?P<kind>[a-z]+)\s*=\s*(?P<value>[^\s>]+)\s*->\s*(?P<org>[-a-z0-9_]+)"
    r"(?:\s*:\s*(?P<role>[a-z]+))?$"
)


@dataclass(frozen=True)
class ClaimRule:
    kind: str  # "domain" or "group"
    value: str
    organisation: str  # an organisation's slug
    role: str

    def matches(self, *, domain: str, groups: Iterable[str]) -> bool:
        if self.kind == "domain":
            return domain == self.value
        return self.value in groups


def parse_rules(text: str) -> list[ClaimRule]:
    """The rules in ``text``; a ValueError with one bilingual sentence naming the first
    bad rule."""
    rules = []
    for number, line in enumerate(re.split(r"[;\n]", text), start=1):
        line = line.strip()
        if not line:
            continue
        match = _RULE.match(line)
        if match is None or match["kind"] not in KINDS:
            raise ValueError(
                f"TRYGGNAV_OIDC_RULES regel {number} ({line!r}) ska se ut som "
                "'domain=kommun.se -> organisation:roll' eller 'group=namn -> organisation'. / "
                f"TRYGGNAV_OIDC_RULES rule {number} ({line!r}) must look like "
                "'domain=kommun.se -> organisation:role' or 'group=name -> organisation'."
            )
        role = match["role"] or ROLES[0]
        if role not in ROLES:
            raise ValueError(
                f"TRYGGNAV_OIDC_RULES regel {number}: okänd roll {role!r}, välj en av "
                f"{', '.join(ROLES)}. / TRYGGNAV_OIDC_RULES rule {number}: unknown role "
                f"{role!r}, choose one of {', '.join(ROLES)}."
            )
        value = match["value"].lower() if match["kind"] == "domain" else match["value"]
        rules.append(ClaimRule(match["kind"], value, match["org"], role))
    return rules


def claim_groups(claims: Mapping[str, Any], groups_claim: str) -> list[str]:
    """The groups claim as a list of strings (providers send a list, some a string)."""
    value = claims.get(groups_claim) or []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value]
    return []


def grants(
    rules: Iterable[ClaimRule], claims: Mapping[str, Any], *, groups_claim: str
) -> dict[str, str]:
    """Organisation slug → the strongest role the matching rules grant."""
    email = str(claims.get("email") or "")
    domain = email.rpartition("@")[2].lower()
    groups = claim_groups(claims, groups_claim)
    granted: dict[str, str] = {}
    for rule in rules:
        if not rule.matches(domain=domain, groups=groups):
            continue
        before = granted.get(rule.organisation)
        if before is None or ROLES.index(rule.role) > ROLES.index(before):
            granted[rule.organisation] = rule.role
    return granted


class OidcRefused(Exception):
    """An OpenID Connect login refused, with why (a key of REFUSALS in oidc.py) and who
    the provider said it was, when the login got that far."""

    def __init__(self, reason: str, who: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.who = who
