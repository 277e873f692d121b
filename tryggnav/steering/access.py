"""Who may see and change the steering objects. Built only on the helpers of
``tryggnav.organisations.access``; views and the API call these and nothing else.

- an object owned by a group is read by members of the group's organisations (the
  steering group reads status as readers of those organisations) and written by
  the coordinators of the group's lead organisation;
- an object owned by an organisation is read by its members and written by its
  coordinators;
- everyone else gets 404.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from tryggnav.organisations.access import group_access, groups_of, memberships_of, organisations_of
from tryggnav.organisations.models import Role
from tryggnav.steering.models import Agreement, Indicator, Owned, Problem

M = TypeVar("M", bound=Model)


def visible[M: Model](user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
    """The owned objects of ``queryset`` the user may read."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(
        Q(group__in=groups_of(user)) | Q(organisation__in=organisations_of(user))
    )


def can_write(user: Any, obj: Any) -> bool:
    if obj.group_id:
        access = group_access(user, obj.group)
        return access is not None and access.can_coordinate
    membership = memberships_of(user).filter(organisation_id=obj.organisation_id).first()
    return membership is not None and membership.has_role(Role.COORDINATOR)


def check[M: Owned](user: Any, obj: M, *, write: bool = False) -> M:
    """``obj`` if the user may read it (and write it, with ``write``); 404 or 403 if not."""
    group = obj.group if obj.group_id else None
    if group is not None:
        access = group_access(user, group)
        if access is None:
            raise Http404
        if write and not access.can_coordinate:
            raise PermissionDenied
        return obj
    membership = memberships_of(user).filter(organisation=obj.organisation).first()
    if membership is None:
        raise Http404
    if write and not membership.has_role(Role.COORDINATOR):
        raise PermissionDenied
    return obj


def _get[M: Owned](model: type[M], user: Any, public_id: Any, write: bool) -> M:
    obj = (
        model._default_manager.select_related("group", "organisation")
        .filter(public_id=public_id)
        .first()
    )
    if obj is None:
        raise Http404
    return check(user, obj, write=write)


def get_agreement(user: Any, public_id: Any, *, write: bool = False) -> Agreement:
    return _get(Agreement, user, public_id, write)


def get_problem(user: Any, public_id: Any, *, write: bool = False) -> Problem:
    return _get(Problem, user, public_id, write)


def get_indicator(user: Any, public_id: Any, *, write: bool = False) -> Indicator:
    return _get(Indicator, user, public_id, write)
