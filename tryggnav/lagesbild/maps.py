"""The lägesbild map: areas coloured by count or rate, precise incidents as points, and
the hot-spot layer (Getis-Ord Gi* on grid cells, false discovery rate controlled).

Incidents placed only at municipality or county level are never drawn as points:
they are counted on the municipality's outline instead. The Gi* computation is the
statistics core's (tryggnav.stats.hotspots); the call is in ``_gi_star`` only.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.areas import population as area_population
from tryggnav.areas.models import Area
from tryggnav.incidents.counts import scope_incidents
from tryggnav.incidents.models import Category, Incident
from tryggnav.incidents.scope import NO_AREA, Filters, Scope
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import extensions
from tryggnav.lagesbild.picture import compile_lagesbild
from tryggnav.lib import numbers
from tryggnav.lib.names import localized

BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
MAX_POINTS = 3000
# Hot-spots need more events than one week holds: the judged week and the three before.
HOTSPOT_WEEKS = 4
HOTSPOT_CELL_METRES = 250
# Gi*'s normal approximation is poor for sparse counts: on scattered points a cell
# with one event next to another often gets z > 3. A hot cell must also hold events
# itself and have a few around it (0 false hot-spots in 40 scattered test patterns,
# tests/lagesbild/test_maps.py).
HOTSPOT_MIN_CELL = 2
HOTSPOT_MIN_NEIGHBOURHOOD = 5


def _classes(values: Sequence[float]) -> list[str]:
    top = max(values) if values else 0
    if top <= 0:
        return [BLUES[0]] * len(values)
    return [BLUES[min(4, int(5 * v / top - 1e-9))] if v > 0 else "#ffffff" for v in values]


def _area_rate_label(count: int, figure: area_population.Population) -> str:
    """The rate with its interval for the map's tooltip, or why there is none."""
    if not figure.known:
        return str(figure.status.label)
    return _("%(r)s per 1 000 invånare (95 %% KI)") % {
        "r": area_population.rate_text(count, figure)
    }


def feature_collection(*, scope: Scope, week: IsoWeek, filters: Filters, user) -> dict[str, Any]:
    picture = compile_lagesbild(
        scope=scope, week=week, filters=filters, with_alerts=False, with_coverage=False
    )
    counts: dict[int, int] = {}
    for row in picture.rows:
        counts[row.area_id] = counts.get(row.area_id, 0) + row.count
    if scope.group is not None and scope.area_ids:
        areas = list(Area.objects.filter(pk__in=scope.area_ids))
    else:
        areas = list(Area.objects.filter(pk__in=[a for a in counts if a]))
    features = [
        *_municipality_features(scope, counts.get(NO_AREA, 0)),
        *_area_features(areas, [counts.get(a.pk, 0) for a in areas], week.year),
        *_point_features(scope, week, filters),
        *_hotspot_features(hotspot_cells(scope=scope, week=week, filters=filters)),
        # Layers of other apps (the deficiencies), for a group's map only.
        *(extensions.map_features(scope.group, week, user) if scope.group is not None else []),
    ]
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if scope.group is not None and scope.area_ids and areas:
        collection["bbox"] = _frame(areas)
    return collection


def _municipality_features(scope: Scope, unplaced: int) -> list[dict[str, Any]]:
    """The municipality's outline with the events placed no closer than it."""
    municipality = scope.municipality
    if not municipality.geometry:
        return []
    return [
        {
            "type": "Feature",
            "geometry": municipality.geometry,
            "properties": {
                "layer": "municipality",
                "name": municipality.short_name,
                "label": _("%(n)s händelser utan närmare läge än kommunen") % {"n": unplaced},
                "count": unplaced,
            },
        }
    ]


def _area_features(areas: list[Area], area_counts: list[int], year: int) -> list[dict[str, Any]]:
    """The areas coloured by count and by rate (where the population is known)."""
    figures = area_population.area_populations([a.pk for a in areas], year)
    rated = [
        area_population.rate_figure(c, figures[a.pk])
        for a, c in zip(areas, area_counts, strict=True)
    ]
    rates = [r.rate if r else 0.0 for r in rated]
    return [
        _area_feature(area, count, figures[area.pk], rate, count_colour, rate_colour)
        for area, count, rate, count_colour, rate_colour in zip(
            areas, area_counts, rated, _classes(area_counts), _classes(rates), strict=True
        )
    ]


def _area_feature(
    area: Area,
    count: int,
    figure: area_population.Population,
    rate: Any,
    count_colour: str,
    rate_colour: str,
) -> dict[str, Any]:
    label = _("%(n)s händelser") % {"n": count} + " · " + _area_rate_label(count, figure)
    return {
        "type": "Feature",
        "geometry": area.geometry,
        "properties": {
            "layer": "area",
            "name": area.display_name,
            "label": label,
            "count": count,
            "rate": round(rate.rate, 3) if rate else None,
            "rateLow": round(rate.low, 3) if rate else None,
            "rateHigh": round(rate.high, 3) if rate else None,
            "fillColor": count_colour,
            "countColor": count_colour,
            "rateColor": rate_colour if rate else "#dddddd",
            "fillOpacity": 0.6,
        },
    }


def _point_features(scope: Scope, week: IsoWeek, filters: Filters) -> list[dict[str, Any]]:
    """The week's precisely placed incidents (at most ``MAX_POINTS``)."""
    points = (
        scope_incidents(scope, filters, week.monday, week.sunday + datetime.timedelta(days=1))
        .filter(
            lat__isnull=False,
            lon__isnull=False,
            precision__in=[Incident.Precision.EXACT, Incident.Precision.STREET],
        )
        .values_list("lat", "lon", "category_id", "occurred_from")[:MAX_POINTS]
    )
    names = {
        pk: localized(name, name_en)
        for pk, name, name_en in Category.objects.values_list("pk", "name", "name_en")
    }
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "layer": "incident",
                "name": names.get(category_id, ""),
                "label": timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
                "radius": 5,
            },
        }
        for lat, lon, category_id, when in points
    ]


def _hotspot_features(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "type": "Feature",
            "geometry": cell["geometry"],
            "properties": {
                "layer": "hotspot",
                "name": _("Hot-spot"),
                "label": _("%(n)s händelser, Gi* z = %(z)s")
                % {"n": numbers.number(cell["count"]), "z": numbers.number(cell["z"], 1)},
                "fillColor": "#b3261e",
                "color": "#b3261e",
                "fillOpacity": 0.45,
            },
        }
        for cell in cells
    ]


def _frame(areas: list[Area]) -> list[float]:
    """The box a group's map opens on: its own areas, not the whole municipality
    (GeoJSON's ``bbox``: west, south, east, north)."""
    # shapely (GEOS) is loaded only by the maps that draw polygons.
    from shapely.geometry import shape

    boxes = [shape(a.geometry).bounds for a in areas]
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return [round(v, 6) for v in (west, south, east, north)]


def hotspot_cells(
    *, scope: Scope, week: IsoWeek, filters: Filters | None = None
) -> list[dict[str, Any]]:
    """Significant hot-spot grid cells (Gi*, FDR) over the judged week and the three before."""
    filters = filters or Filters()
    first = week.shift(-(HOTSPOT_WEEKS - 1)).monday
    # Points only: lat and lon are never null here.
    rows = cast(
        list[tuple[float, float]],
        list(
            scope_incidents(scope, filters, first, week.sunday + datetime.timedelta(days=1))
            .filter(
                lat__isnull=False,
                lon__isnull=False,
                precision__in=[Incident.Precision.EXACT, Incident.Precision.STREET],
            )
            .values_list("lon", "lat")
        ),
    )
    if len(rows) < 10:
        return []
    return _gi_star(rows, _boundary(scope))


def _boundary(scope: Scope) -> dict[str, Any] | None:
    if scope.group is not None and scope.area_ids:
        # shapely (GEOS) is loaded only by the maps that draw polygons.
        from shapely.geometry import mapping, shape
        from shapely.ops import unary_union

        geometries = Area.objects.filter(pk__in=scope.area_ids).values_list("geometry", flat=True)
        return mapping(unary_union([shape(g) for g in geometries]))
    return scope.municipality.geometry


def _gi_star(
    points: list[tuple[float, float]], boundary: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Count points on a grid of ``HOTSPOT_CELL_METRES`` cells and keep the cells that
    Getis-Ord Gi* (queen neighbours, FDR) calls hot and that hold enough events. Cells whose centre lies outside
    ``boundary`` (the group's areas) are masked out, so empty land outside the
    group's responsibility does not make its streets look hot."""
    # numpy and scipy are loaded only for the hot-spot layer.
    import numpy as np
    import shapely

    try:
        from tryggnav.stats.hotspots import gi_star_grid
    except ImportError:  # the statistics core's hot-spot module is not installed yet
        return []

    lon, lat = np.asarray(points, dtype=float).T
    lat0 = float(np.mean(lat))
    # A local equirectangular projection: metres are accurate enough at this scale.
    kx, ky = 111_320.0 * np.cos(np.radians(lat0)), 110_574.0
    cell = HOTSPOT_CELL_METRES
    x0, y0 = lon.min() * kx - cell, lat.min() * ky - cell
    nx = min(400, int((lon.max() * kx + cell - x0) // cell) + 1)
    ny = min(400, int((lat.max() * ky + cell - y0) // cell) + 1)
    ix = np.clip(((lon * kx - x0) // cell).astype(int), 0, nx - 1)
    iy = np.clip(((lat * ky - y0) // cell).astype(int), 0, ny - 1)
    grid = np.zeros((ny, nx))
    np.add.at(grid, (iy, ix), 1.0)
    mask = None
    if boundary:
        cx = (x0 + (np.arange(nx) + 0.5) * cell) / kx
        cy = (y0 + (np.arange(ny) + 0.5) * cell) / ky
        xx, yy = np.meshgrid(cx, cy)
        mask = shapely.contains_xy(shapely.geometry.shape(boundary), xx, yy)
        mask |= grid > 0
    result = gi_star_grid(grid, neighbourhood="queen", fdr_q=0.05, mask=mask)
    # numpy and scipy are loaded only for the hot-spot layer.
    from scipy import ndimage

    around = ndimage.correlate(grid, np.ones((3, 3)), mode="constant")
    hot = result.hot & (grid >= HOTSPOT_MIN_CELL) & (around >= HOTSPOT_MIN_NEIGHBOURHOOD)
    cells = []
    for row, col in zip(*np.nonzero(hot), strict=True):
        w, s_ = (x0 + col * cell) / kx, (y0 + row * cell) / ky
        e, n = (x0 + (col + 1) * cell) / kx, (y0 + (row + 1) * cell) / ky
        cells.append(
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[w, s_], [e, s_], [e, n], [w, n], [w, s_]]],
                },
                "count": int(grid[row, col]),
                "z": float(result.z[row, col]),
                "p": float(result.p[row, col]),
            }
        )
    return cells
