"""Who may see and import a municipality's official statistics.

- reading: a member (any role) of an organisation whose home municipality it is;
- importing: a coordinator or admin of a municipal organisation (kind "kommun") of
  that municipality;
- everyone else: the page does not exist (404); a member without the right: 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tryggnav.areas.models import Municipality
from tryggnav.organisations.access import memberships_of
from tryggnav.organisations.models import Membership, Organisation, Role


def readable_municipalities(user: Any) -> list[Municipality]:
    codes = memberships_of(user).values_list("organisation__municipality_id", flat=True)
    return list(Municipality.objects.filter(code__in=[c for c in codes if c]).order_by("name"))


def _memberships(user: Any, code: str) -> list[Membership]:
    return list(memberships_of(user).filter(organisation__municipality_id=code))


def can_import(membership: Membership) -> bool:
    return membership.organisation.kind == Organisation.Kind.MUNICIPALITY and membership.has_role(
        Role.COORDINATOR
    )


def get_municipality(user: Any, code: str) -> tuple[Municipality, list[Membership]]:
    """The municipality and the user's memberships there; 404 for outsiders."""
    memberships = _memberships(user, code)
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None or not memberships:
        raise Http404
    return municipality, memberships


def get_importer(user: Any, code: str) -> tuple[Municipality, Membership]:
    """The municipality and the membership that allows importing; 404/403 otherwise."""
    municipality, memberships = get_municipality(user, code)
    for membership in memberships:
        if can_import(membership):
            return municipality, membership
    raise PermissionDenied
