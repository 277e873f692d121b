"""Who may see and do what with safety walks; walk views call these and nothing else.

- the municipality's organisations (kind "kommun", the walk's municipality) and the
  walk's invited organisations see the walk, its points and its protocol;
- their reporters and up add points on the walk;
- the municipality's coordinators plan walks, turn points into deficiencies or Brå
  problems, screen photos for the public and publish the protocol;
- the public sees only a published walk's public protocol page;
- everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tryggnav.inspections.access import municipality_ids
from tryggnav.inspections.walk_models import Walk, WalkPoint
from tryggnav.organisations.access import organisations_of
from tryggnav.organisations.models import Role


def visible_walks(user: Any) -> QuerySet[Walk]:
    if not user.is_authenticated:
        return Walk.objects.none()
    return Walk.objects.filter(
        Q(municipality_id__in=municipality_ids(user)) | Q(invited__in=organisations_of(user))
    ).distinct()


def manages_walk(user: Any, walk: Walk) -> bool:
    return walk.municipality_id in municipality_ids(user, role=Role.COORDINATOR)


def records_on(user: Any, walk: Walk) -> bool:
    """Reporters and up of the municipality or of an invited organisation."""
    if walk.municipality_id in municipality_ids(user, role=Role.REPORTER):
        return True
    reporters = organisations_of(user, role=Role.REPORTER)
    return walk.invited.filter(pk__in=reporters.values("pk")).exists()


def get_walk(user: Any, public_id: Any, *, manage: bool = False, record: bool = False) -> Walk:
    walk = (
        visible_walks(user).filter(public_id=public_id)
        .select_related("area", "organisation", "municipality").first()
    )  # fmt: skip
    if walk is None:
        raise Http404
    if manage and not manages_walk(user, walk):
        raise PermissionDenied
    if record and not records_on(user, walk):
        raise PermissionDenied
    return walk


def get_point(user: Any, walk_id: Any, point_id: Any, *, manage: bool = False) -> WalkPoint:
    walk = get_walk(user, walk_id, manage=manage)
    point = walk.points.filter(public_id=point_id).select_related("deficiency__owner").first()
    if point is None:
        raise Http404
    return point


def get_published(public_id: Any) -> Walk:
    """A walk whose protocol is public, for anyone."""
    walk = (
        Walk.objects.filter(public_id=public_id, published__isnull=False)
        .select_related("area", "municipality").first()
    )  # fmt: skip
    if walk is None:
        raise Http404
    return walk
