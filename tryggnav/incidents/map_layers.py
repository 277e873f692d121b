"""The incident map's GeoJSON, bounded whatever the table holds.

Up to ``POINTS_LIMIT`` (1,000: about 300 kB) precise incidents in the map's frame are sent one by one, with
their links. Beyond that they are counted in SQL per cell of a grid laid over the
frame (``GRID_CELLS`` across), each cell drawn at the mean position of its incidents
as a circle sized by its count; the browser asks again with its new frame when the
map is zoomed or moved. Incidents without a precise position are counted per area,
or per municipality when they have no area, and drawn at its centre. The precise
cells and the imprecise counts come from one scan of the incidents: at a million
incidents the four queries and the 290 municipality outlines it replaced took 3.5 s
and 1.7 MB.
"""

from __future__ import annotations

import functools
import hashlib
import math
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache, caches
from django.core.exceptions import EmptyResultSet
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tryggnav.areas.models import Area, Municipality
from tryggnav.incidents import counts
from tryggnav.incidents.models import Incident
from tryggnav.lib.names import localized
from tryggnav.organisations.access import groups_of, memberships_of, organisations_of
from tryggnav.organisations.models import CollaborationGroup, Role

POINTS_LIMIT = 1000
CACHE_SECONDS = 24 * 3600
URL_MARK = uuid.UUID(int=0)
GRID_CELLS = 32
PRECISE = Q(
    lat__isnull=False,
    lon__isnull=False,
    precision__in=[Incident.Precision.EXACT, Incident.Precision.STREET],
)


@dataclass(frozen=True)
class Frame:
    """The part of the map shown (degrees): west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str | None) -> Frame:
        """The frame from a ``bbox`` parameter ("w,s,e,n"), or the whole world when it
        is missing or not four finite numbers in order."""
        try:
            values = [float(v) for v in (text or "").split(",")]
        except ValueError:
            return WORLD
        if len(values) != 4 or not all(math.isfinite(v) for v in values):
            return WORLD
        west, south = max(values[0], -180.0), max(values[1], -90.0)
        east, north = min(values[2], 180.0), min(values[3], 90.0)
        if west >= east or south >= north:
            return WORLD
        return cls(west, south, east, north)

    @property
    def cell(self) -> float:
        """The side of a grid cell in degrees."""
        return max(self.east - self.west, self.north - self.south, 1e-3) / GRID_CELLS

    def q(self) -> Q:
        return Q(lat__gte=self.south, lat__lte=self.north, lon__gte=self.west, lon__lte=self.east)


WORLD = Frame(-180.0, -90.0, 180.0, 90.0)
# With no frame asked for, cells as for Sweden's extent (the map's first view).
SWEDEN = Frame(10.5, 55.0, 24.5, 69.5)


def incident_map(
    incidents: QuerySet,
    frame: Frame,
    *,
    user: Any,
    narrow: Callable[[QuerySet], QuerySet] | None = None,
) -> dict[str, Any]:
    """The map of ``incidents`` (narrowed to what ``user`` may see) in ``frame``.

    Cached under the counts' version, which every write of incidents changes, and
    what decides the user's view (their organisations, roles and groups): the query
    names the user, not what they may see, so it alone is not a key. ``narrow`` (the
    filter that made ``incidents`` from all of them) lets the police's events be
    counted apart, once for every user and under the police's version (``_places``).
    """
    try:
        sql, params = incidents.query.sql_with_params()
    except EmptyResultSet:
        return _collection([], clustered=False, precise=0, unplaced=0)
    view = repr((sql, params, _visibility(user), translation.get_language()))

    @functools.cache
    def parts() -> Parts | None:
        if narrow is None:
            return None
        private = narrow(Incident.objects.visible_to(user, public=False)).order_by()
        police = narrow(Incident.objects.filter(source=Incident.Source.POLICE_FEED))
        return private, police.order_by()

    # The places do not depend on the frame: moving the map recounts only the cells,
    # which an index on the precise positions serves.
    places = _cached(view, lambda: _place_features(*_places(incidents, parts())))
    return _cached(view + repr(frame), lambda: _incident_map(incidents, frame, places, parts()))


# What the user may see but the police's events, and the police's events; both filtered.
Parts = tuple[QuerySet, QuerySet]


def _police_cached(police: QuerySet, what: str, compute: Callable[[QuerySet], Any]) -> Any:
    """``compute(police)`` cached for every user under the police's version."""
    try:
        sql, params = police.query.sql_with_params()
    except EmptyResultSet:
        return None
    return _cached(
        repr((what, sql, params)), lambda: compute(police), version=counts.police_version
    )


def warm_police() -> None:
    """Count the police's places and cells of the unfiltered map ahead of its first user,
    after an import of the feed (10 M incidents: 1.5 s, paid by the scheduler instead).
    The same keys as ``incident_map`` without a filter and frame (``parts``, ``_places``
    and ``_split_cells``: the police's events, unordered)."""
    police = Incident.objects.filter(source=Incident.Source.POLICE_FEED).order_by()
    _police_cached(police.exclude(PRECISE), "police places", _count_places)
    _police_cached(
        police.filter(PRECISE & WORLD.q()), f"police cells {WORLD}", lambda q: _cells(q, WORLD)
    )


def _cached(text: str, compute: Callable[[], Any], version: Callable[[], str] = counts.version):
    """This process's copy first (no query), then the shared cache, as the lägesbild's
    picture: the version in the key keeps every process from serving an old entry."""
    key = f"incidents:map:v1:{version()}:{hashlib.sha256(text.encode()).hexdigest()}"
    local = caches["local"]
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, CACHE_SECONDS)
        local.set(key, value, CACHE_SECONDS)
    return value


def _visibility(user: Any) -> tuple[list, list, list]:
    """What ``Incident.objects.visible_to`` depends on besides the incidents."""
    memberships = sorted(
        memberships_of(user).values_list("organisation_id", "role"), key=lambda m: m[0]
    )
    groups = sorted(groups_of(user).values_list("pk", flat=True))
    coordinated = sorted(
        CollaborationGroup.objects.filter(
            lead_organisation__in=organisations_of(user, role=Role.COORDINATOR)
        ).values_list("pk", flat=True)
    )
    return memberships, groups, coordinated


def _collection(
    features: list[dict[str, Any]], *, clustered: bool, precise: int, unplaced: int
) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": features,
        "clustered": clustered,
        "precise": precise,
        "unplaced": unplaced,
    }


def _incident_map(
    incidents: QuerySet,
    frame: Frame,
    places: tuple[list[dict[str, Any]], int],
    parts: Parts | None = None,
) -> dict[str, Any]:
    precise_in_frame = incidents.order_by().filter(PRECISE & frame.q())
    cells = _cells(precise_in_frame, frame) if parts is None else _split_cells(parts, frame)
    precise = sum(cell["n"] for cell in cells)
    clustered = precise > POINTS_LIMIT
    features = _cluster_features(cells) if clustered else _point_features(precise_in_frame)
    place_features, unplaced = places
    return _collection(
        features + place_features, clustered=clustered, precise=precise, unplaced=unplaced
    )


def _cells(precise: QuerySet, frame: Frame) -> list[dict[str, Any]]:
    """Precise incidents in the frame per grid cell, with their mean position. Without
    a frame, cells as for Sweden's extent."""
    size = (SWEDEN if frame == WORLD else frame).cell
    return list(
        precise.annotate(row=Floor(F("lat") / size), column=Floor(F("lon") / size))
        .values("row", "column")
        .annotate(n=Count("pk"), lat=Avg("lat"), lon=Avg("lon"))
    )


def _split_cells(parts: Parts, frame: Frame) -> list[dict[str, Any]]:
    """The cells of what is not the police's, and the police's cells of this frame
    (cached for every user under the police's version), added up."""
    private, police = (p.filter(PRECISE & frame.q()) for p in parts)
    cells = _cells(private, frame)
    cells += _police_cached(police, f"police cells {frame}", lambda q: _cells(q, frame)) or []
    merged: dict[tuple[float, float], dict[str, Any]] = {}
    for cell in cells:
        key = (cell["row"], cell["column"])
        if key not in merged:
            merged[key] = dict(cell)
            continue
        into = merged[key]
        n = into["n"] + cell["n"]
        for axis in ("lat", "lon"):
            into[axis] = (into[axis] * into["n"] + cell[axis] * cell["n"]) / n
        into["n"] = n
    return list(merged.values())


def _places(incidents: QuerySet, parts: Parts | None) -> tuple[list[dict[str, Any]], int]:
    """Incidents without a precise position per area, or per municipality when they
    have no area; and the number placed nowhere (county-level police events).

    With ``parts``, the police's events (most of the table, the same for every user)
    are counted apart and cached under the police's version: a report filed by a
    partner then recounts only what is not the police's, which the organisation and
    group indexes serve, instead of scanning millions of police events again."""
    if parts is None:
        return _count_places(incidents.order_by().exclude(PRECISE))
    private, police = parts
    places, unplaced = _count_places(private.exclude(PRECISE))
    public = _police_cached(police.exclude(PRECISE), "police places", _count_places)
    if public is None:
        return places, unplaced
    merged: Counter[tuple[int | None, str | None]] = Counter()
    for row in [*places, *public[0]]:
        merged[(row["area_id"], row["municipality_id"])] += row["n"]
    rows = [{"area_id": a, "municipality_id": m, "n": n} for (a, m), n in merged.items()]
    return rows, unplaced + public[1]


def _count_places(imprecise: QuerySet) -> tuple[list[dict[str, Any]], int]:
    places, unplaced = [], 0
    rows = imprecise.values("area_id", "municipality_id").annotate(n=Count("pk"))
    for row in rows:
        if row["area_id"] is None and row["municipality_id"] is None:
            unplaced += row["n"]
        else:
            places.append(row)
    return places, unplaced


def _point_features(precise: QuerySet) -> list[dict[str, Any]]:
    rows = precise.values_list(
        "lat", "lon", "category__name", "category__name_en", "occurred_from", "public_id"
    )
    # One reverse() for all: per point it was most of the time of a 3,000-point map.
    url = reverse("incidents:detail", args=[URL_MARK]).replace(str(URL_MARK), "{}")
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "layer": "incident",
                "name": localized(name, name_en),
                "label": timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
                "url": url.format(public_id),
                "radius": 5,
            },
        }
        for lat, lon, name, name_en, when, public_id in rows[:POINTS_LIMIT]
    ]


def _radius(count: int, largest: int) -> float:
    return round(8 + 14 * (count / max(largest, 1)) ** 0.5, 1)


def _cluster_features(cells: list[dict]) -> list[dict[str, Any]]:
    largest = max((cell["n"] for cell in cells), default=1)
    return [
        _circle(
            lon=cell["lon"],
            lat=cell["lat"],
            layer="cluster",
            count=cell["n"],
            name=ngettext("%(n)d händelse", "%(n)d händelser", cell["n"]) % {"n": cell["n"]},
            label=_("samlade per ruta; zooma in eller filtrera för att se enskilda händelser"),
            radius=_radius(cell["n"], largest),
        )
        for cell in cells
    ]


def _place_features(
    places: list[dict[str, Any]], unplaced: int
) -> tuple[list[dict[str, Any]], int]:
    """Incidents known only to an area or municipality, as a circle at its centre;
    and the number placed nowhere."""
    # Not the outlines: a large JSON column each, and only the centre is drawn.
    areas = Area.objects.only("name", "min_lon", "min_lat", "max_lon", "max_lat").in_bulk(
        [p["area_id"] for p in places if p["area_id"]]
    )
    municipalities = Municipality.objects.only(
        "short_name", "centroid_lat", "centroid_lon"
    ).in_bulk([p["municipality_id"] for p in places if not p["area_id"]])
    largest = max((p["n"] for p in places), default=1)
    features = []
    for place in places:
        centre = _centre(
            areas.get(place["area_id"]) if place["area_id"] else None,
            municipalities.get(place["municipality_id"]),
        )
        if centre is None:  # no position to draw it at: counted with the unplaced
            unplaced += place["n"]
            continue
        name, lon, lat = centre
        features.append(
            _circle(
                lon=lon,
                lat=lat,
                layer="place",
                count=place["n"],
                name=name,
                label=_("%(n)d händelser utan exakt läge") % {"n": place["n"]},
                radius=_radius(place["n"], largest),
            )
        )
    return features, unplaced


def _centre(
    area: Area | None, municipality: Municipality | None
) -> tuple[str, float, float] | None:
    if area is not None:
        return (
            area.display_name,
            (area.min_lon + area.max_lon) / 2,
            (area.min_lat + area.max_lat) / 2,
        )
    if municipality is not None and None not in (
        municipality.centroid_lat,
        municipality.centroid_lon,
    ):
        return (
            municipality.short_name,
            float(municipality.centroid_lon or 0),
            float(municipality.centroid_lat or 0),
        )
    return None


def _circle(
    *, lon: float, lat: float, layer: str, count: int, name: str, label: str, radius: float
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {
            "layer": layer,
            "count": count,
            "name": name,
            "label": label,
            "radius": radius,
        },
    }
