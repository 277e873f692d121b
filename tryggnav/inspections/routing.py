"""Who owns a deficiency, and by when it is to be fixed.

The owner: a property owner's polygon that holds the point wins (the housing
company's estate, the state road); else the most specific routing rule: category ×
area, then category anywhere, then any category in the area, then the municipality's
catch-all. None found: the deficiency waits unrouted for the municipality.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import Point, shape

from tryggnav.inspections.models import (
    DEFAULT_DAYS,
    OwnerPolygon,
    RoutingRule,
    ServiceLevel,
)
from tryggnav.lib.errors import InputError, Problem
from tryggnav.organisations.models import Organisation

MAX_FEATURES = 5000


@dataclass(frozen=True)
class Route:
    owner: Organisation | None
    by: str  # "polygon", "rule" or ""


def polygon_owner(municipality_id: str, lat: float, lon: float) -> Organisation | None:
    candidates = OwnerPolygon.objects.filter(
        municipality_id=municipality_id,
        min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat,
    ).select_related("owner").order_by("pk")  # fmt: skip
    point = Point(lon, lat)
    for polygon in candidates:
        if shape(polygon.geometry).covers(point):
            return polygon.owner
    return None


def rule_owner(municipality_id: str, category: str, area_id: int | None) -> Organisation | None:
    rules = RoutingRule.objects.filter(municipality_id=municipality_id, category__in=[category, ""])
    rules = rules.filter(area_id__in=[area_id] if area_id else []) | rules.filter(area__isnull=True)
    # Most specific first: a named category before any, a named area before anywhere.
    best = sorted(
        rules.select_related("owner"), key=lambda r: (r.category == "", r.area_id is None)
    )
    return best[0].owner if best else None


def find_owner(
    *,
    municipality_id: str,
    category: str,
    area_id: int | None,
    lat: float | None,
    lon: float | None,
) -> Route:
    if lat is not None and lon is not None:
        owner = polygon_owner(municipality_id, lat, lon)
        if owner is not None:
            return Route(owner, "polygon")
    owner = rule_owner(municipality_id, category, area_id)
    return Route(owner, "rule" if owner else "")


def due_date(
    *, municipality_id: str, category: str, severity: int, start: datetime.date
) -> datetime.date:
    level = ServiceLevel.objects.filter(
        municipality_id=municipality_id, category=category, severity=severity
    ).first()
    days = level.days if level else DEFAULT_DAYS[severity]  # type: ignore[index]
    return start + datetime.timedelta(days=days)


def _feature_problems(row: int, feature: Any) -> tuple[Any, list[Problem]]:
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None, [Problem("Objektet är ingen polygon.", "The feature is not a polygon.",
                              row=row, field="geometry")]  # fmt: skip
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError):
        geom = None
    if geom is None or geom.is_empty or not geom.is_valid:
        return None, [Problem("Polygonen är ogiltig (korsar sig själv eller saknar punkter).",
                              "The polygon is invalid (self-intersecting or missing points).",
                              row=row, field="geometry")]  # fmt: skip
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (10 <= min_lon and max_lon <= 25 and 55 <= min_lat and max_lat <= 70):
        return None, [Problem("Koordinaterna ligger inte i Sverige (WGS84, lon/lat).",
                              "The coordinates are not in Sweden (WGS84, lon/lat).",
                              row=row, field="geometry")]  # fmt: skip
    return geom, []


def parse_polygons(data: bytes, *, filename: str) -> list[tuple[str, dict, tuple]]:
    """The polygons of a GeoJSON FeatureCollection as (name, geometry, bounds); every
    problem at once, each naming the feature (row = its number, from 1)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise InputError.single("Filen är inte GeoJSON (JSON i UTF-8).",
                                "The file is not GeoJSON (JSON in UTF-8).", file=filename) from None  # fmt: skip
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list) or not features:
        raise InputError.single("Filen har inga objekt (en FeatureCollection väntas).",
                                "The file has no features (a FeatureCollection is expected).",
                                file=filename)  # fmt: skip
    if len(features) > MAX_FEATURES:
        raise InputError.single(f"Högst {MAX_FEATURES} objekt per fil.",
                                f"At most {MAX_FEATURES} features per file.", file=filename)  # fmt: skip
    out, problems = [], []
    for row, feature in enumerate(features, start=1):
        geom, found = _feature_problems(row, feature)
        problems.extend(found)
        if geom is not None:
            props = feature.get("properties") or {}
            name = str(props.get("name") or props.get("namn") or f"Polygon {row}")[:200]
            out.append((name, shapely.geometry.mapping(geom), geom.bounds))
    if problems:
        for problem in problems:
            problem.file = filename
        raise InputError(problems)
    return out
