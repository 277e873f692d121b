"""Who may see and do what. Every guarded read in views and the API goes through here.

The rules, one condition per line:
- an organisation is visible to its members only; to anyone else it does not exist (404);
- a member whose role is too weak for the action gets 403;
- a collaboration group is visible to members of its member organisations;
- reporting into a group needs the reporter role in a member organisation;
- coordinating a group (review, meetings, decisions) needs the coordinator role in the
  group's convening (lead) organisation;
- a deactivated membership, or a membership in a deactivated organisation, gives nothing;
- administering a municipality (its organisations, people, groups, coordination function)
  needs the admin role in the municipality's own organisation (kind "kommun").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from tryggnav.areas.models import Municipality
from tryggnav.organisations.models import (
    CollaborationGroup,
    Membership,
    Organisation,
    Role,
)

# A user or AnonymousUser; the checks below ask is_authenticated first.
User = Any

ACTIVE_ORGANISATION_SESSION_KEY = "active_organisation"


def authenticated_user(request: HttpRequest) -> AuthUser:
    """The logged-in user of a view that requires login.

    LoginRequiredMiddleware sends anonymous visitors to the login page before any view
    not marked ``login_not_required`` runs, so here the user cannot be anonymous.
    """
    user = request.user
    assert not isinstance(user, AnonymousUser), "view requires login"
    return user


def memberships_of(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(
        user=user, deactivated__isnull=True, organisation__is_active=True
    ).select_related("organisation")


def organisations_of(user: User, *, role: str = Role.READER) -> QuerySet[Organisation]:
    """Organisations in which the user holds at least ``role``."""
    allowed = [r.value for r in Role if Role.at_least(r.value, role)]
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        is_active=True,
        memberships__user=user,
        memberships__role__in=allowed,
        memberships__deactivated__isnull=True,
    ).distinct()


def groups_of(user: User) -> QuerySet[CollaborationGroup]:
    if not user.is_authenticated:
        return CollaborationGroup.objects.none()
    return CollaborationGroup.objects.filter(
        organisations__is_active=True,
        organisations__memberships__user=user,
        organisations__memberships__deactivated__isnull=True,
    ).distinct()


def get_organisation(user: User, slug: str, *, role: str = Role.READER) -> Membership:
    """The user's membership in organisation ``slug``; 404 for outsiders, 403 if too weak."""
    membership = memberships_of(user).filter(organisation__slug=slug).first()
    if membership is None:
        raise Http404
    if not membership.has_role(role):
        raise PermissionDenied
    return membership


def get_municipality_admin(user: User, slug: str) -> Membership:
    """The user's admin membership in municipality organisation ``slug``, whose admin
    administers the municipality; 404 for outsiders, 403 for members who are not admins
    and for admins of an organisation that is not a municipality's."""
    membership = get_organisation(user, slug, role=Role.ADMIN)
    organisation = membership.organisation
    if organisation.kind != Organisation.Kind.MUNICIPALITY or organisation.municipality_id is None:
        raise PermissionDenied
    return membership


def administered_organisations(membership: Membership) -> QuerySet[Organisation]:
    """The organisations a municipality admin manages: those with the same home
    municipality, active or not."""
    return Organisation.objects.filter(municipality_id=membership.organisation.municipality_id)


def administered_groups(membership: Membership) -> QuerySet[CollaborationGroup]:
    return CollaborationGroup.objects.filter(
        municipality_id=membership.organisation.municipality_id
    )


@dataclass(frozen=True)
class GroupAccess:
    group: CollaborationGroup
    memberships: tuple[Membership, ...]

    @property
    def organisations(self) -> list[Organisation]:
        return [m.organisation for m in self.memberships]

    @property
    def can_report(self) -> bool:
        return any(m.has_role(Role.REPORTER) for m in self.memberships)

    @property
    def can_coordinate(self) -> bool:
        return any(
            m.organisation_id == self.group.lead_organisation_id and m.has_role(Role.COORDINATOR)
            for m in self.memberships
        )

    def reporting_memberships(self) -> list[Membership]:
        return [m for m in self.memberships if m.has_role(Role.REPORTER)]


def group_access(user: User, group: CollaborationGroup) -> GroupAccess | None:
    memberships = tuple(
        memberships_of(user).filter(organisation__groups=group).order_by("organisation__name")
    )
    if not memberships:
        return None
    return GroupAccess(group=group, memberships=memberships)


def get_group(
    user: User, slug: str, *, report: bool = False, coordinate: bool = False
) -> GroupAccess:
    """Access to collaboration group ``slug``; 404 for outsiders, 403 if the right is missing."""
    group = CollaborationGroup.objects.filter(slug=slug).select_related("municipality").first()
    access = group_access(user, group) if group is not None else None
    if access is None:
        raise Http404
    if report and not access.can_report:
        raise PermissionDenied
    if coordinate and not access.can_coordinate:
        raise PermissionDenied
    return access


def request_memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships, read once per request (the header, the active
    organisation and the views each asked for them); a login or logout within the
    request reads them again."""
    user = request.user
    kept = getattr(request, "_tryggnav_memberships", None)
    if kept is None or kept[0] != user.pk:
        kept = (user.pk, list(memberships_of(user)))
        request._tryggnav_memberships = kept  # type: ignore[attr-defined]
    return kept[1]


def active_membership(request: HttpRequest) -> Membership | None:
    """The organisation the user currently acts for (chosen in the header; default the first)."""
    memberships = request_memberships(request)
    if not memberships:
        return None
    slug = request.session.get(ACTIVE_ORGANISATION_SESSION_KEY)
    for membership in memberships:
        if membership.organisation.slug == slug:
            return membership
    return memberships[0]


class GeographyRules:
    """The access rules the areas app asks for (tryggnav.areas.access), registered by
    ``OrganisationsConfig.ready``: areas sit below organisations and cannot import them."""

    def editor(self, user: User, municipality: Municipality) -> Organisation | None:
        return (
            organisations_of(user, role=Role.COORDINATOR).filter(municipality=municipality).first()
        )

    def municipality_codes(self, user: User) -> set[str]:
        return set(groups_of(user).values_list("municipality_id", flat=True)) | set(
            organisations_of(user).values_list("municipality_id", flat=True)
        )

    def is_member(self, user: User, organisation_id: int, *, coordinator: bool = False) -> bool:
        role = Role.COORDINATOR if coordinator else Role.READER
        return organisations_of(user, role=role).filter(pk=organisation_id).exists()
