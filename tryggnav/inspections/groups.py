"""Deficiencies in a collaboration group's work: the group's members see the
deficiencies in the group's areas (the whole municipality for a group without areas),
on a page of their own, as a layer of the weekly lägesbild map and as the item
"Brister" of the weekly meeting's agenda; a coordinator of the group can start a
problem in Brå's process from one (docs/inspections.md).

The lägesbild does not import this app: the layer and the agenda item are registered
with ``tryggnav.lagesbild.extensions`` from ``InspectionsConfig.ready()``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tryggnav.audit.services import audit_create
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.inspections.models import OPEN_STATUSES, Deficiency, DeficiencyProblem
from tryggnav.lagesbild.extensions import AgendaItem, AgendaRow, MapLayer
from tryggnav.lib.screening import screen
from tryggnav.organisations.access import groups_of
from tryggnav.organisations.models import CollaborationGroup
from tryggnav.steering import services as steering_services
from tryggnav.steering.models import Problem

OPEN_COLOUR = "#7b3294"
OVERDUE_COLOUR = "#d7301f"
MAP_LIMIT = 2000
AGENDA_LIMIT = 30


def group_filter(group: CollaborationGroup) -> Q:
    """The deficiencies in the group's areas, or its municipality's without areas."""
    # A group's areas lie in its municipality; the area alone lets the database use the
    # (area, status, due) index rather than scan the municipality's.
    area_ids = list(
        group.areas.filter(municipality_id=group.municipality_id).values_list("pk", flat=True)
    )
    return Q(area_id__in=area_ids) if area_ids else Q(municipality_id=group.municipality_id)


def member_filter(user: Any) -> Q:
    """What the user sees as a member of collaboration groups (``access.visible_deficiencies``)."""
    condition = Q(pk__in=[])
    for group in groups_of(user):
        condition |= group_filter(group)
    return condition


def group_deficiencies(group: CollaborationGroup) -> QuerySet[Deficiency]:
    return Deficiency.objects.filter(group_filter(group))


def map_features(group: CollaborationGroup, week: IsoWeek, user: Any) -> list[dict[str, Any]]:
    """Open deficiencies with a point, as the group's map layer: category, state and due
    date only (no title or text, which may name people)."""
    today = timezone.localdate()
    rows = (
        group_deficiencies(group)
        .filter(status__in=OPEN_STATUSES, lat__isnull=False)
        .order_by("due", "pk")
        .values_list("lat", "lon", "category", "due", "public_id")[:MAP_LIMIT]
    )
    labels = dict(Deficiency._meta.get_field("category").flatchoices)
    url = reverse("inspections:deficiency", args=["00000000-0000-0000-0000-000000000000"])
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "layer": "deficiency",
                "name": str(labels.get(category, category)),
                "label": _state_label(due, today),
                "overdue": due < today,
                "fillColor": OVERDUE_COLOUR if due < today else OPEN_COLOUR,
                "radius": 6,
                "url": url.replace("00000000-0000-0000-0000-000000000000", str(public_id)),
            },
        }
        for lat, lon, category, due, public_id in rows
    ]


def _state_label(due: datetime.date, today: datetime.date) -> str:
    if due < today:
        return _("Brist, försenad (skulle åtgärdats %(due)s)") % {"due": due.isoformat()}
    return _("Brist, öppen (åtgärdas senast %(due)s)") % {"due": due.isoformat()}


def agenda_item(group: CollaborationGroup, week: IsoWeek, user: Any) -> AgendaItem:
    """ "Brister": the deficiencies found in the week and the open ones past their due date."""
    end = week.sunday + datetime.timedelta(days=1)
    today = timezone.localdate()
    found = Q(created__date__gte=week.monday, created__date__lt=end)
    overdue = Q(status__in=OPEN_STATUSES, due__lt=min(today, end))
    rows = group_deficiencies(group).filter(found | overdue).select_related("area")
    total = rows.count()
    return AgendaItem(
        title=_("Brister"),
        rows=[_agenda_row(d, week, today) for d in rows.order_by("due", "pk")[:AGENDA_LIMIT]],
        empty=_("Inga nya eller försenade brister i gruppens områden."),
        more=max(0, total - AGENDA_LIMIT),
    )


def _agenda_row(deficiency: Deficiency, week: IsoWeek, today: datetime.date) -> AgendaRow:
    where = deficiency.area.display_name if deficiency.area else deficiency.place_name
    text = " · ".join(
        part
        for part in (
            deficiency.get_category_display(),
            where,
            screen(deficiency.title).masked,
            _("senast %(due)s") % {"due": deficiency.due.isoformat()},
        )
        if part
    )
    flag = _("Försenad") if deficiency.is_overdue(today) else _("Ny")
    return AgendaRow(text=text, url=deficiency.get_absolute_url(), flag=flag)


def problem_start(*, deficiency: Deficiency, group: CollaborationGroup, by: Any) -> Problem:
    """Start a problem in Brå's process from a deficiency, linked to it both ways."""
    with transaction.atomic():
        locked = Deficiency.objects.select_for_update().get(pk=deficiency.pk)
        problem = steering_services.problem_create(
            by=by,
            group=group,
            title=(_("Brist: %(title)s") % {"title": locked.title})[:200],
            description=screen(locked.description).masked,
            areas=[locked.area] if locked.area else [],
        )
        link = DeficiencyProblem.objects.create(deficiency=locked, problem=problem, created_by=by)
        audit_create(actor=by, obj=link, organisation=group.lead_organisation)
    return problem


def register() -> None:
    from tryggnav.lagesbild import extensions

    extensions.register_map_layer(
        MapLayer(
            name="deficiency",
            label=gettext_lazy("Brister (öppna och försenade)"),
            legend=[
                (OPEN_COLOUR, gettext_lazy("Öppen brist")),
                (OVERDUE_COLOUR, gettext_lazy("Försenad brist")),
            ],
            features=map_features,
            list_url=lambda group: reverse("inspections:group", args=[group.slug]),
        )
    )
    extensions.register_agenda_item("inspections", agenda_item)
