"""The public map's GeoJSON: moderated citizen reports, public fields only.

Up to ``POINTS_LIMIT`` (5,000) reports in the map's frame are sent one by one; beyond
that they are counted in SQL per cell of a grid over the frame (as the incident map
does, ``tryggnav.incidents.map_layers``) and drawn as circles sized by their count,
and the browser asks again for each new frame. No feature carries the reporter's
text, e-mail, photo or anything but the moderator's public title, the category, the
status and the dates.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, QuerySet
from django.db.models.functions import Floor
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tryggnav.areas.models import Municipality
from tryggnav.incidents.map_layers import SWEDEN, WORLD, Frame
from tryggnav.inspections.models import OPEN_STATUSES, Category, Status

POINTS_LIMIT = 5000


def public_map(reports: QuerySet, frame: Frame, *, municipality: Municipality | None) -> dict:
    in_frame = reports.order_by().filter(lat__gte=frame.south, lat__lte=frame.north,
                                         lon__gte=frame.west, lon__lte=frame.east)  # fmt: skip
    total = in_frame.count()
    clustered = total > POINTS_LIMIT
    features = _clusters(in_frame, frame) if clustered else _points(in_frame)
    if municipality is not None and municipality.geometry:
        outline = {"type": "Feature", "geometry": municipality.geometry,
                   "properties": {"layer": "municipality", "name": municipality.short_name}}  # fmt: skip
        features.insert(0, outline)
    return {"type": "FeatureCollection", "features": features, "clustered": clustered,
            "precise": total}  # fmt: skip


def _points(reports: QuerySet) -> list[dict[str, Any]]:
    rows = reports.values_list("lat", "lon", "public_title", "category", "deficiency__status",
                               "created")[:POINTS_LIMIT]  # fmt: skip
    categories, statuses = dict(Category.choices), dict(Status.choices)
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "layer": "deficiency",
                "name": title,
                "label": f"{categories.get(category, category)}, "
                f"{str(statuses.get(status, status)).lower()}",
                "status": status,
                "open": status in OPEN_STATUSES,
                "fillColor": "#f2a900" if status in OPEN_STATUSES else "#4fb286",
                "radius": 6,
            },
        }
        for lat, lon, title, category, status, created in rows
    ]


def _clusters(reports: QuerySet, frame: Frame) -> list[dict[str, Any]]:
    size = (SWEDEN if frame == WORLD else frame).cell
    cells = list(
        reports.annotate(row=Floor(F("lat") / size), column=Floor(F("lon") / size))
        .values("row", "column").annotate(n=Count("pk"), lat=Avg("lat"), lon=Avg("lon"))
    )  # fmt: skip
    largest = max((c["n"] for c in cells), default=1)
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(c["lon"], 6), round(c["lat"], 6)],
            },  # fmt: skip
            "properties": {
                "layer": "cluster",
                "count": c["n"],
                "name": ngettext("%(n)d brist", "%(n)d brister", c["n"]) % {"n": c["n"]},
                "label": _("samlade per ruta; zooma in för att se enskilda brister"),
                "radius": round(8 + 14 * (c["n"] / largest) ** 0.5, 1),
            },
        }
        for c in cells
    ]
