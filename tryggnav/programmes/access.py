"""Who may see and change programmes and their follow-ups. Built only on the helpers
of ``tryggnav.organisations.access``; views call these and nothing else.

- a programme is read by members of its organisation and, when it has a group, by
  members of the group's organisations;
- it is written by coordinators (and admins) of its organisation;
- everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tryggnav.organisations.access import groups_of, memberships_of, organisations_of
from tryggnav.organisations.models import Role
from tryggnav.programmes.models import AreaFollowUp, FollowUp, Programme


def visible_programmes(user: Any) -> QuerySet[Programme]:
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(
        Q(organisation__in=organisations_of(user)) | Q(group__in=groups_of(user))
    ).distinct()


def can_write(user: Any, programme: Programme) -> bool:
    membership = memberships_of(user).filter(organisation_id=programme.organisation_id).first()
    return membership is not None and membership.has_role(Role.COORDINATOR)


def check(user: Any, programme: Programme, *, write: bool = False) -> Programme:
    """``programme`` if the user may read it (and write it, with ``write``); 404/403 if not."""
    if not visible_programmes(user).filter(pk=programme.pk).exists():
        raise Http404
    if write and not can_write(user, programme):
        raise PermissionDenied
    return programme


def get_programme(user: Any, public_id: Any, *, write: bool = False) -> Programme:
    programme = (
        Programme.objects.select_related("organisation", "group")
        .filter(public_id=public_id)
        .first()
    )
    if programme is None:
        raise Http404
    return check(user, programme, write=write)


def get_follow_up(user: Any, public_id: Any, *, write: bool = False) -> FollowUp:
    follow_up = (
        FollowUp.objects.select_related("programme__organisation", "programme__group")
        .filter(public_id=public_id)
        .first()
    )
    if follow_up is None:
        raise Http404
    check(user, follow_up.programme, write=write)
    return follow_up


def get_area_follow_up(user: Any, public_id: Any, *, write: bool = False) -> AreaFollowUp:
    item = (
        AreaFollowUp.objects.select_related("follow_up__programme", "area")
        .filter(public_id=public_id)
        .first()
    )
    if item is None:
        raise Http404
    check(user, item.follow_up.programme, write=write)
    return item
