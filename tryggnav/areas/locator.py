"""Which area or municipality a WGS84 point falls in, fast.

Retired areas are left out: a point in one falls in no area (or in another kind's).
The spatial index (a shapely STRtree) is built once per process and rebuilt
only when the areas change: each lookup asks the database for a cheap version
stamp (count and latest update), not for the polygons.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from django.db.models import Count, Max
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import shape
from shapely.strtree import STRtree

from tryggnav.areas.models import Area, Municipality

# When a point lies in areas of several kinds, the first kind in this order wins.
DEFAULT_KIND_ORDER: tuple[str, ...] = (
    Area.Kind.STADSDEL,
    Area.Kind.KOMMUNDEL,
    Area.Kind.CUSTOM,
    Area.Kind.REGSO,
    Area.Kind.DESO,
)


@dataclass
class _Index:
    version: tuple
    ids: NDArray[np.int64]
    keys: list[str]
    ranks: NDArray[np.int64]
    tree: STRtree

    def query(self, lons: NDArray[np.float64], lats: NDArray[np.float64]) -> NDArray[np.int64]:
        """Index into ``ids`` per point (-1 where none), best-ranked match first."""
        points = shapely.points(lons, lats)
        point_idx, geom_idx = self.tree.query(points, predicate="within")
        result = np.full(len(lons), -1, dtype=np.int64)
        points_hit, best = _best_per_point(point_idx, geom_idx, self.ranks)
        result[points_hit] = best
        return result


def _best_per_point(
    point_idx: NDArray[np.int64], geom_idx: NDArray[np.int64], ranks: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For each point with matches, the matching geometry with the lowest rank."""
    if not len(point_idx):
        return point_idx, geom_idx
    order = np.lexsort((ranks[geom_idx], point_idx))
    points_sorted = point_idx[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = points_sorted[1:] != points_sorted[:-1]
    return points_sorted[first], geom_idx[order][first]


_lock = threading.Lock()
_area_index: _Index | None = None
_municipality_index: _Index | None = None


def _area_version() -> tuple:
    stats = Area.objects.aggregate(n=Count("id"), latest=Max("updated"))
    return (stats["n"], stats["latest"])


def _build_area_index(version: tuple) -> _Index:
    # Retired areas are given no new incidents (their old ones keep them).
    rows = list(Area.objects.current().values_list("id", "kind", "municipality_id", "geometry"))
    rank = {kind: i for i, kind in enumerate(DEFAULT_KIND_ORDER)}
    geoms = [shape(row[3]) for row in rows]
    return _Index(
        version=version,
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        keys=[f"{r[2]}:{r[1]}" for r in rows],
        ranks=np.array([rank.get(r[1], len(rank)) for r in rows], dtype=np.int64),
        tree=STRtree(geoms),
    )


def _get_area_index() -> _Index:
    global _area_index
    version = _area_version()
    index = _area_index
    if index is None or index.version != version:
        with _lock:
            if _area_index is None or _area_index.version != version:
                _area_index = _build_area_index(version)
            index = _area_index
    return index


def _get_municipality_index() -> _Index:
    global _municipality_index
    version = (Municipality.objects.exclude(geometry__isnull=True).count(),)
    index = _municipality_index
    if index is None or index.version != version:
        with _lock:
            rows = list(
                Municipality.objects.exclude(geometry__isnull=True).values_list("code", "geometry")
            )
            _municipality_index = _Index(
                version=version,
                ids=np.arange(len(rows), dtype=np.int64),
                keys=[r[0] for r in rows],
                ranks=np.zeros(len(rows), dtype=np.int64),
                tree=STRtree([shape(r[1]) for r in rows]),
            )
            index = _municipality_index
    return index


def locate_areas(
    lons: ArrayLike,
    lats: ArrayLike,
    *,
    municipality_code: str | None = None,
    kinds: Sequence[str] | None = None,
) -> NDArray[np.int64]:
    """Area primary keys for many points at once (0 where a point is in no area).

    ``municipality_code`` and ``kinds`` restrict the candidate areas; among
    several matches the kind earliest in DEFAULT_KIND_ORDER wins.
    """
    lon = np.asarray(lons, dtype=float)
    lat = np.asarray(lats, dtype=float)
    index = _get_area_index()
    if not len(index.ids) or not len(lon):
        return np.zeros(len(lon), dtype=np.int64)
    if municipality_code is None and kinds is None:
        hit = index.query(lon, lat)
        return np.where(hit >= 0, index.ids[np.maximum(hit, 0)], 0)
    # Restricted lookups: query all, then keep matches whose key is allowed.
    allowed_kinds = set(kinds) if kinds is not None else None
    points = shapely.points(lon, lat)
    point_idx, geom_idx = index.tree.query(points, predicate="within")
    keep = np.array(
        [
            (municipality_code is None or index.keys[g].split(":")[0] == municipality_code)
            and (allowed_kinds is None or index.keys[g].split(":")[1] in allowed_kinds)
            for g in geom_idx
        ],
        dtype=bool,
    )
    point_idx, geom_idx = point_idx[keep], geom_idx[keep]
    result = np.zeros(len(lon), dtype=np.int64)
    points_hit, best = _best_per_point(point_idx, geom_idx, index.ranks)
    result[points_hit] = index.ids[best]
    return result


def locate_area(
    lon: float,
    lat: float,
    *,
    municipality_code: str | None = None,
    kinds: Sequence[str] | None = None,
) -> Area | None:
    """The area a single point falls in, or None."""
    pk = int(locate_areas([lon], [lat], municipality_code=municipality_code, kinds=kinds)[0])
    return Area.objects.filter(pk=pk).first() if pk else None


def locate_municipalities(lons: ArrayLike, lats: ArrayLike) -> list[str | None]:
    """Municipality codes for many points (None outside Sweden's simplified borders)."""
    lon = np.asarray(lons, dtype=float)
    lat = np.asarray(lats, dtype=float)
    index = _get_municipality_index()
    if not len(index.keys):
        return [None] * len(lon)
    hit = index.query(lon, lat)
    return [index.keys[h] if h >= 0 else None for h in hit]


def reset_cache() -> None:
    """Forget the built indexes (tests use this between databases)."""
    global _area_index, _municipality_index
    with _lock:
        _area_index = None
        _municipality_index = None
