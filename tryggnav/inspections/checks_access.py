"""Who may see and do what with scheduled checks; the check views call these only.

- the municipality's organisations (kind "kommun", its home municipality) see every
  inspected object, schedule and inspection of the municipality and the overview;
  their coordinators register and edit objects and their schedules and perform checks,
  their admins edit templates;
- a unit's organisation sees its own objects and inspections; its reporters and up
  perform the checks;
- everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tryggnav.inspections.access import municipality_ids
from tryggnav.inspections.checks_models import InspectedObject, Inspection
from tryggnav.organisations.access import organisations_of
from tryggnav.organisations.models import Role


def visible_objects(user: Any) -> QuerySet[InspectedObject]:
    if not user.is_authenticated:
        return InspectedObject.objects.none()
    return InspectedObject.objects.filter(
        Q(municipality_id__in=municipality_ids(user)) | Q(unit__in=organisations_of(user))
    )


def performs(user: Any, obj: InspectedObject) -> bool:
    """The unit's reporters and up, or the municipality's coordinators."""
    if organisations_of(user, role=Role.REPORTER).filter(pk=obj.unit_id).exists():
        return True
    return obj.municipality_id in municipality_ids(user, role=Role.COORDINATOR)


def manages(user: Any, obj: InspectedObject) -> bool:
    """The municipality's coordinators edit an object and its schedules."""
    return obj.municipality_id in municipality_ids(user, role=Role.COORDINATOR)


def get_object(
    user: Any, public_id: Any, *, perform: bool = False, manage: bool = False
) -> InspectedObject:
    obj = (
        visible_objects(user).filter(public_id=public_id)
        .select_related("unit", "department", "area").first()
    )  # fmt: skip
    if obj is None:
        raise Http404
    if (perform and not performs(user, obj)) or (manage and not manages(user, obj)):
        raise PermissionDenied
    return obj


def get_inspection(user: Any, public_id: Any, *, perform: bool = False) -> Inspection:
    inspection = (
        Inspection.objects.filter(public_id=public_id, object__in=visible_objects(user))
        .select_related("object", "object__unit", "template", "signed_by").first()
    )  # fmt: skip
    if inspection is None:
        raise Http404
    if perform and not performs(user, inspection.object):
        raise PermissionDenied
    return inspection
