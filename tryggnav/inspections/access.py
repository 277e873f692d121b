"""Who may see and do what with deficiencies. Built on ``tryggnav.organisations.access``;
views call these and nothing else.

- the municipality (members of an organisation of kind "kommun" with that home
  municipality) sees every deficiency of the municipality; its coordinators create,
  route, set due dates, verify and reopen; its admins set the rules, the service
  levels and the owners' polygons;
- an owner organisation's members see the deficiencies routed to it; its reporters and
  up answer on them (receive, plan, fix, "inte vår");
- a collaboration group's members see the deficiencies in the group's areas
  (``groups.py``); its coordinators may start a problem from one;
- everyone else gets 404; the public sees nothing here (the tokenised page shows one
  deficiency to whoever holds its link).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tryggnav.inspections import groups
from tryggnav.inspections.models import Deficiency
from tryggnav.organisations.access import get_organisation, organisations_of
from tryggnav.organisations.models import Organisation, Role


def municipality_ids(user: Any, *, role: str = Role.READER) -> list[str]:
    """The municipalities whose own organisation the user is a member of (``role`` at least)."""
    return list(
        municipality_organisations(user, role=role)
        .values_list("municipality_id", flat=True)
        .distinct()
    )


def visible_deficiencies(user: Any) -> QuerySet[Deficiency]:
    if not user.is_authenticated:
        return Deficiency.objects.none()
    return Deficiency.objects.filter(
        Q(municipality_id__in=municipality_ids(user))
        | Q(owner__in=organisations_of(user))
        | groups.member_filter(user)
    )


def manages(user: Any, deficiency: Deficiency) -> bool:
    """A coordinator of the municipality: route, due date, verify, reopen."""
    return deficiency.municipality_id in municipality_ids(user, role=Role.COORDINATOR)


def answers(user: Any, deficiency: Deficiency) -> bool:
    """The owner's reporters and up, or the municipality's coordinators on its behalf."""
    if deficiency.owner_id and (
        organisations_of(user, role=Role.REPORTER).filter(pk=deficiency.owner_id).exists()
    ):
        return True
    return manages(user, deficiency)


def get_deficiency(user: Any, public_id: Any, *, manage: bool = False,
                   answer: bool = False) -> Deficiency:  # fmt: skip
    deficiency = (
        visible_deficiencies(user).filter(public_id=public_id)
        .select_related("owner", "area", "municipality").first()
    )  # fmt: skip
    if deficiency is None:
        raise Http404
    if manage and not manages(user, deficiency):
        raise PermissionDenied
    if answer and not answers(user, deficiency):
        raise PermissionDenied
    return deficiency


def get_municipality(user: Any, slug: str, *, role: str = Role.READER) -> Organisation:
    """The municipality's own organisation ``slug`` of which the user is a member with
    ``role``: 404 for outsiders, 403 for a weaker role or an organisation that is not a
    municipality's."""
    organisation = get_organisation(user, slug, role=role).organisation
    if organisation.kind != Organisation.Kind.MUNICIPALITY or organisation.municipality_id is None:
        raise PermissionDenied
    return organisation


def get_municipality_code(user: Any, slug: str, *, role: str = Role.READER) -> str:
    """The code of the municipality whose own organisation is ``slug`` (as ``get_municipality``)."""
    return str(get_municipality(user, slug, role=role).municipality_id)


def municipality_organisations(user: Any, *, role: str = Role.READER) -> QuerySet[Organisation]:
    return organisations_of(user, role=role).filter(
        kind=Organisation.Kind.MUNICIPALITY, municipality_id__isnull=False
    )


def get_owner(user: Any, slug: str) -> Organisation:
    """An owner's queue: for its members and for the municipality it works in."""
    owner = Organisation.objects.filter(slug=slug, is_active=True).first()
    if owner is None:
        raise Http404
    if organisations_of(user).filter(pk=owner.pk).exists():
        return owner
    if owner.municipality_id in municipality_ids(user):
        return owner
    raise Http404
