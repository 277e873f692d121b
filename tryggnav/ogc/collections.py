"""The feature collections served under /ogc/ and written to the GeoPackage export.

- ``areas``: municipalities and their districts with population: public.
- ``incidents``: what the caller may see (``Incident.objects.visible_to``), the masked
  text, and a point only at exact or street precision; other incidents have no
  geometry (as in the GeoJSON export and the lägesbild map).
- ``weekly-counts``: the lägesbild rows of the caller's groups per week, area and
  category, with the expected value and the alert.
- ``hotspots``: the hot-spot cells (Gi*, FDR) the lägesbild map shows, per group.

Incidents page by keyset (time, id) and stream with ``iterator()``; the other
collections are small and computed per request.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Window
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from tryggnav.areas.models import Area, Municipality
from tryggnav.incidents.models import CategoryGroup, Incident
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import maps
from tryggnav.lagesbild.picture import Scope, compile_lagesbild
from tryggnav.lib.errors import InputError
from tryggnav.lib.names import localized
from tryggnav.lib.screening import screen
from tryggnav.ogc import cql2
from tryggnav.ogc.params import Interval, Query, decode_cursor, encode_cursor
from tryggnav.organisations.access import groups_of

SWEDEN_BBOX = [10.5, 55.0, 24.2, 69.1]
PRECISE = (Incident.Precision.EXACT.value, Incident.Precision.STREET.value)
MAX_WEEKS = 8
Q_ = cql2.Queryable


@dataclass
class Page:
    features: list[dict[str, Any]]
    number_matched: int | None
    next_cursor: str | None


def _feature(fid: str, geometry: dict[str, Any] | None, properties: dict[str, Any]) -> dict:
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": properties}


def _box_intersects(bounds: tuple[float, ...], bbox: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bbox
    return not (bounds[2] < west or bounds[0] > east or bounds[3] < south or bounds[1] > north)


def _geometry_bounds(geometry: dict[str, Any] | None) -> tuple[float, ...] | None:
    if not geometry:
        return None

    return tuple(shape(geometry).bounds)


class Collection:
    id = ""
    title: Any = ""
    description: Any = ""
    public = False
    geometry_type = "GEOMETRY"
    queryables: dict[str, cql2.Queryable] = {}
    # Columns of the GeoPackage layer: (property, SQLite type).
    fields: list[tuple[str, str]] = []
    temporal: str | None = None
    # The columns of the HTML table: (property, label); all fields when empty.
    html_columns: list[tuple[str, Any]] = []
    # Labels of coded values on the HTML page: property → {code: label}.
    display: dict[str, dict[str, Any]] = {}

    def columns(self) -> list[tuple[str, Any]]:
        return self.html_columns or [(name, name) for name, _kind in self.fields]

    def visible(self, user) -> bool:
        return self.public or user.is_authenticated

    def page(self, user, query: Query) -> Page:
        features = [f for f in self.iterate(user, query)]
        offset = int(decode_cursor(query.cursor, 1)[0]) if query.cursor else 0
        chunk = features[offset : offset + query.limit]
        more = offset + query.limit < len(features)
        return Page(chunk, len(features), encode_cursor(offset + query.limit) if more else None)

    def feature(self, user, fid: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def iterate(self, user, query: Query) -> Iterator[dict[str, Any]]:
        raise NotImplementedError


def _python_filter(features, query: Query) -> Iterator[dict[str, Any]]:
    for feature in features:
        if query.filter is not None and not cql2.matches(query.filter, feature["properties"]):
            continue
        if query.bbox is not None:
            bounds = _geometry_bounds(feature["geometry"])
            if bounds is None or not _box_intersects(bounds, query.bbox):
                continue
        yield feature


# --- areas ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _municipality_bounds() -> dict[str, tuple[float, ...]]:
    """Reference geography, loaded once and never changed: its bounds once per process."""
    out = {}
    for code, geometry in Municipality.objects.values_list("code", "geometry"):
        bounds = _geometry_bounds(geometry)
        if bounds:
            out[code] = bounds
    return out


class Areas(Collection):
    id = "areas"
    title = _("Kommuner och områden")
    description = _(
        "Sveriges kommuner och deras områden (stadsdelar, kommundelar, DeSO …) med folkmängd."
    )
    public = True
    geometry_type = "MULTIPOLYGON"
    queryables = {
        "kind": Q_("string", "Typ", ("kommun", *Area.Kind.values)),
        "code": Q_("string", "Kod"),
        "name": Q_("string", "Namn"),
        "municipality_code": Q_("string", "Kommunkod"),
        "population": Q_("integer", "Folkmängd"),
    }
    fields = [
        ("kind", "TEXT"),
        ("code", "TEXT"),
        ("name", "TEXT"),
        ("municipality_code", "TEXT"),
        ("population", "INTEGER"),
    ]
    orm = {
        "kind": "kind",
        "code": "code",
        "name": "name",
        "municipality_code": "municipality_id",
        "population": "population",
    }

    def _municipalities(self, query: Query, after: str = "") -> Iterator[dict[str, Any]]:
        rows = Municipality.objects.filter(code__gt=after).order_by("code")
        bounds = _municipality_bounds() if query.bbox else {}
        for code, name, population in rows.values_list("code", "name", "population"):
            properties = {
                "kind": "kommun",
                "code": code,
                "name": name,
                "municipality_code": code,
                "population": population,
            }
            if query.filter is not None and not cql2.matches(query.filter, properties):
                continue
            if query.bbox and not (code in bounds and _box_intersects(bounds[code], query.bbox)):
                continue
            yield _feature(f"kommun-{code}", None, properties)

    def _areas(self, query: Query, after: int = 0):
        qs = Area.objects.filter(pk__gt=after).order_by("pk")
        if query.bbox:
            west, south, east, north = query.bbox
            qs = qs.filter(
                max_lon__gte=west, min_lon__lte=east, max_lat__gte=south, min_lat__lte=north
            )
        if query.filter is not None:
            qs = qs.filter(cql2.to_q(query.filter, self.orm))
        return qs

    @staticmethod
    def _area_feature(area: Area) -> dict[str, Any]:
        return _feature(
            f"omrade-{area.pk}",
            area.geometry,
            {
                "kind": area.kind,
                "code": area.code,
                "name": area.name,
                "name_display": area.display_name,
                "municipality_code": area.municipality_id,
                "population": area.population,
            },
        )

    def _with_geometry(self, features: list[dict[str, Any]]) -> list[dict[str, Any]]:
        codes = [f["properties"]["code"] for f in features if f["id"].startswith("kommun-")]
        geometries = dict(
            Municipality.objects.filter(code__in=codes).values_list("code", "geometry")
        )
        for f in features:
            if f["id"].startswith("kommun-"):
                f["geometry"] = geometries.get(f["properties"]["code"])
        return features

    def page(self, user, query: Query) -> Page:
        kind, key = decode_cursor(query.cursor, 2) if query.cursor else ("m", "")
        if kind not in ("m", "a") or (kind == "a" and not key.isdigit()):
            raise InputError.single("Ogiltig sidmarkör.", "Invalid cursor.", field="cursor")
        features: list[dict[str, Any]] = []
        if kind == "m":
            for feature in self._municipalities(query, key):
                features.append(feature)
                if len(features) > query.limit:
                    break
        after = int(key) if kind == "a" else 0
        if len(features) <= query.limit:
            wanted = query.limit + 1 - len(features)
            features += [self._area_feature(a) for a in self._areas(query, after)[:wanted]]
        more = len(features) > query.limit
        features = self._with_geometry(features[: query.limit])
        cursor = None
        if more:
            last = features[-1]["id"]
            cursor = (
                encode_cursor("m", last[7:])
                if last.startswith("kommun-")
                else encode_cursor("a", last[7:])
            )
        matched = sum(1 for _ in self._municipalities(query)) + self._areas(query).count()
        return Page(features, matched, cursor)

    def iterate(self, user, query: Query) -> Iterator[dict[str, Any]]:
        for feature in self._municipalities(query):
            yield self._with_geometry([feature])[0]
        for area in self._areas(query).iterator(chunk_size=500):
            yield self._area_feature(area)

    def feature(self, user, fid: str) -> dict[str, Any] | None:
        if fid.startswith("kommun-"):
            m = Municipality.objects.filter(code=fid[7:]).first()
            if m is None:
                return None
            return _feature(
                fid,
                m.geometry,
                {
                    "kind": "kommun",
                    "code": m.code,
                    "name": m.name,
                    "municipality_code": m.code,
                    "population": m.population,
                },
            )
        if fid.startswith("omrade-") and fid[7:].isdigit():
            area = Area.objects.filter(pk=int(fid[7:])).first()
            return self._area_feature(area) if area else None
        return None


# --- incidents -------------------------------------------------------------------------


INCIDENT_VALUES = (
    "id",
    "public_id",
    "occurred_from",
    "occurred_to",
    "lat",
    "lon",
    "precision",
    "category__slug",
    "category__name",
    "category__name_en",
    "category__group",
    "area_id",
    "area__name",
    "municipality_id",
    "source",
    "status",
    "text",
    "text_masked",
    "is_generated",
    "group__slug",
    "organisation__slug",
)


def _iso(value: datetime.datetime | None) -> str | None:
    """RFC 3339 in UTC, as stored (converting a thousand rows to local time costs more)."""
    return value.isoformat() if value else None


def incident_feature(row: dict[str, Any]) -> dict[str, Any]:
    """A feature from a ``values()`` row: a point only at exact or street precision,
    and never the raw text (masked now if nobody stored the masked form)."""
    precise = row["lat"] is not None and row["lon"] is not None and row["precision"] in PRECISE
    geometry = (
        {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]}
        if precise
        else None
    )
    text = row["text_masked"]
    if row["text"] and not text:
        text = screen(row["text"]).masked
    return _feature(
        str(row["public_id"]),
        geometry,
        {
            "occurred_from": _iso(row["occurred_from"]),
            "occurred_to": _iso(row["occurred_to"]),
            "category": row["category__slug"],
            "category_name": localized(row["category__name"], row["category__name_en"]),
            "category_group": row["category__group"],
            "area": row["area__name"],
            "area_id": row["area_id"],
            "municipality_code": row["municipality_id"],
            "precision": row["precision"],
            "source": row["source"],
            "status": row["status"],
            "group": row["group__slug"],
            "organisation": row["organisation__slug"],
            "text": text,
            "is_generated": row["is_generated"],
        },
    )


class Incidents(Collection):
    id = "incidents"
    title = _("Händelser")
    description = _(
        "Händelser du får se, med maskerad text. Bara händelser med exakt läge eller gata/kvarter "
        "har en punkt; övriga saknar geometri och anges med område eller kommun."
    )
    geometry_type = "POINT"
    temporal = "occurred_from"
    queryables = {
        "category": Q_("string", "Kategori (kortnamn)"),
        "category_group": Q_("string", "Kategorigrupp", tuple(CategoryGroup.values)),
        "source": Q_("string", "Källa", tuple(Incident.Source.values)),
        "status": Q_("string", "Status", tuple(Incident.Status.values)),
        "precision": Q_("string", "Lägesprecision", tuple(Incident.Precision.values)),
        "area": Q_("string", "Område (namn)"),
        "area_id": Q_("integer", "Område (id)"),
        "municipality_code": Q_("string", "Kommunkod"),
    }
    orm = {
        "category": "category__slug",
        "category_group": "category__group",
        "source": "source",
        "status": "status",
        "precision": "precision",
        "area": "area__name",
        "area_id": "area_id",
        "municipality_code": "municipality_id",
    }
    fields = [
        ("occurred_from", "DATETIME"),
        ("occurred_to", "DATETIME"),
        ("category", "TEXT"),
        ("category_name", "TEXT"),
        ("category_group", "TEXT"),
        ("area", "TEXT"),
        ("area_id", "INTEGER"),
        ("municipality_code", "TEXT"),
        ("precision", "TEXT"),
        ("source", "TEXT"),
        ("status", "TEXT"),
        ("group", "TEXT"),
        ("organisation", "TEXT"),
        ("text", "TEXT"),
        ("is_generated", "BOOLEAN"),
    ]

    html_columns = [
        ("occurred_from", Incident._meta.get_field("occurred_from").verbose_name),
        ("category_name", Incident._meta.get_field("category").verbose_name),
        ("area", Incident._meta.get_field("area").verbose_name),
        ("municipality_code", Incident._meta.get_field("municipality").verbose_name),
        ("precision", Incident._meta.get_field("precision").verbose_name),
        ("source", Incident._meta.get_field("source").verbose_name),
        ("status", Incident._meta.get_field("status").verbose_name),
        ("text", Incident._meta.get_field("text").verbose_name),
    ]

    display = {
        "precision": dict(Incident.Precision.choices),
        "source": dict(Incident.Source.choices),
        "status": dict(Incident.Status.choices),
    }

    def queryset(self, user, query: Query):
        qs = Incident.objects.visible_to(user).order_by()
        if query.bbox:
            west, south, east, north = query.bbox
            qs = qs.filter(
                precision__in=PRECISE, lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east
            )
        if query.interval:
            qs = qs.filter(_interval_q(query.interval, "occurred_from"))
        if query.filter is not None:
            qs = qs.filter(cql2.to_q(query.filter, self.orm))
        return qs

    def page(self, user, query: Query) -> Page:
        qs = self.queryset(user, query)
        ordered = ("-occurred_from", "-id")
        if query.cursor:
            matched = qs.count()
            qs = qs.filter(_after(query.cursor))
            rows = list(qs.order_by(*ordered).values(*INCIDENT_VALUES)[: query.limit + 1])
        else:
            # The first page counts the matches in the same scan (a window over them).
            counted = qs.annotate(matched=Window(Count("id"))).order_by(*ordered)
            rows = list(counted.values(*INCIDENT_VALUES, "matched")[: query.limit + 1])
            matched = rows[0]["matched"] if rows else 0
        cursor = None
        if len(rows) > query.limit:
            rows = rows[: query.limit]
            cursor = encode_cursor(rows[-1]["occurred_from"].isoformat(), rows[-1]["id"])
        return Page([incident_feature(r) for r in rows], matched, cursor)

    def iterate(self, user, query: Query) -> Iterator[dict[str, Any]]:
        qs = self.queryset(user, query).order_by("-occurred_from", "-id").values(*INCIDENT_VALUES)
        for row in qs.iterator(chunk_size=2000):
            yield incident_feature(row)

    def feature(self, user, fid: str) -> dict[str, Any] | None:

        try:
            public_id = uuid.UUID(fid)
        except ValueError:
            return None
        row = Incident.objects.visible_to(user).filter(public_id=public_id).values(*INCIDENT_VALUES)
        first = row.first()
        return incident_feature(first) if first else None


def _after(cursor: str) -> Q:
    """The incidents after a page's last one in the order (time, id), both descending."""
    when_text, pk_text = decode_cursor(cursor, 2)
    try:
        when, pk = datetime.datetime.fromisoformat(when_text), int(pk_text)
    except ValueError:
        raise InputError.single("Ogiltig sidmarkör.", "Invalid cursor.", field="cursor") from None
    return Q(occurred_from__lt=when) | Q(occurred_from=when, id__lt=pk)


def _interval_q(interval: Interval, field: str) -> Q:
    q = Q()
    if interval.start:
        q &= Q(**{f"{field}__gte": interval.start})
    if interval.end:
        q &= Q(**{f"{field}__lte": interval.end})
    return q


# --- the lägesbild: weekly counts and hot-spots ------------------------------------------


def _scopes(user):

    if not user.is_authenticated:
        return []
    groups = groups_of(user).select_related("municipality").order_by("slug")
    return [Scope.for_group(group) for group in groups]


def _weeks(query: Query):
    """The ISO weeks the datetime parameter covers (the last completed week without it)."""

    interval = query.interval
    if interval is None:
        return [IsoWeek.last_completed()]
    end = timezone.localdate(interval.end) if interval.end else timezone.localdate()
    start = timezone.localdate(interval.start) if interval.start else end
    weeks: list[IsoWeek] = []
    try:
        week = IsoWeek.of(start)
        while week.monday <= end:
            weeks.append(week)
            if len(weeks) > MAX_WEEKS:
                break
            week = week.shift(1)
    except (OverflowError, ValueError):  # past the end of the calendar: refused below
        weeks = [IsoWeek(1, 1)]
    if len(weeks) > MAX_WEEKS or any(not 1900 <= w.year <= 2100 for w in weeks):
        raise InputError.single(
            f"datetime ska omfatta högst {MAX_WEEKS} veckor mellan år 1900 och 2100 "
            "i denna samling.",
            f"datetime must cover at most {MAX_WEEKS} weeks between the years 1900 and 2100 "
            "in this collection.",
            field="datetime",
        )
    return weeks


class WeeklyCounts(Collection):
    id = "weekly-counts"
    title = _("Veckoantal per område och kategori")
    description = _(
        "Lägesbildens rader för dina samverkansgrupper: antal per vecka, område och kategori, "
        "med förväntat värde och larm. datetime väljer veckor (högst åtta); utan datetime "
        "visas den senast avslutade veckan."
    )
    geometry_type = "MULTIPOLYGON"
    temporal = "week"
    queryables = {
        "scope": Q_("string", "Samverkansgrupp (kortnamn)"),
        "area": Q_("string", "Område"),
        "category": Q_("string", "Kategori (kortnamn)"),
        "category_group": Q_("string", "Kategorigrupp", tuple(CategoryGroup.values)),
        "count": Q_("integer", "Antal"),
        "alert": Q_("boolean", "Larm"),
    }
    fields = [
        ("scope", "TEXT"),
        ("week", "DATE"),
        ("area", "TEXT"),
        ("area_code", "TEXT"),
        ("category", "TEXT"),
        ("category_name", "TEXT"),
        ("category_group", "TEXT"),
        ("count", "INTEGER"),
        ("expected", "REAL"),
        ("upper_bound", "REAL"),
        ("alert", "BOOLEAN"),
        ("population", "INTEGER"),
    ]

    def _features(self, scope, week) -> list[dict[str, Any]]:

        picture = compile_lagesbild(scope=scope, week=week, with_coverage=False)
        ids = {row.area_id for row in picture.rows}
        geometries = dict(Area.objects.filter(pk__in=ids).values_list("pk", "geometry"))
        out = []
        for row in picture.rows:
            geometry = geometries.get(row.area_id) or scope.municipality.geometry
            expected = row.expected
            upper = row.upper_bound
            out.append(
                _feature(
                    f"{scope.slug}~{week}~{row.area_id}~{row.category_slug}",
                    geometry,
                    {
                        "scope": scope.slug,
                        "week": week.monday.isoformat(),
                        "area": row.area_name,
                        "area_code": row.area_code,
                        "category": row.category_slug,
                        "category_name": row.category_name,
                        "category_group": row.category_group,
                        "count": row.count,
                        "expected": round(expected, 3) if expected is not None else None,
                        "upper_bound": round(upper, 3) if upper is not None else None,
                        "alert": row.alert,
                        "population": row.population,
                    },
                )
            )
        return out

    def iterate(self, user, query: Query) -> Iterator[dict[str, Any]]:
        weeks = _weeks(query)
        for scope in _scopes(user):
            for week in weeks:
                yield from _python_filter(self._features(scope, week), query)

    def feature(self, user, fid: str) -> dict[str, Any] | None:
        return _find(self, user, fid)


def _find(collection: Collection, user, fid: str) -> dict[str, Any] | None:

    parts = fid.split("~")
    if len(parts) < 3:
        return None
    try:
        week = IsoWeek.parse(parts[1])
    except InputError:
        return None
    for scope in _scopes(user):
        if scope.slug == parts[0]:
            for feature in collection._features(scope, week):  # type: ignore[attr-defined]
                if feature["id"] == fid:
                    return feature
    return None


class Hotspots(Collection):
    id = "hotspots"
    title = _("Hot-spots")
    description = _(
        "Lägesbildskartans hot-spot-rutor (Getis-Ord Gi*, falsk upptäcktsgrad kontrollerad) för "
        "dina samverkansgrupper: den valda veckan och de tre före. datetime väljer veckor."
    )
    geometry_type = "POLYGON"
    temporal = "week"
    queryables = {
        "scope": Q_("string", "Samverkansgrupp (kortnamn)"),
        "count": Q_("integer", "Antal händelser i rutan"),
        "z": Q_("number", "Gi* z"),
    }
    fields = [
        ("scope", "TEXT"),
        ("week", "DATE"),
        ("period_start", "DATE"),
        ("count", "INTEGER"),
        ("z", "REAL"),
        ("p", "REAL"),
    ]

    def _features(self, scope, week) -> list[dict[str, Any]]:

        first = week.shift(-(maps.HOTSPOT_WEEKS - 1)).monday.isoformat()
        return [
            _feature(
                f"{scope.slug}~{week}~{i}",
                cell["geometry"],
                {
                    "scope": scope.slug,
                    "week": week.monday.isoformat(),
                    "period_start": first,
                    "count": cell["count"],
                    "z": round(cell["z"], 4),
                    "p": cell["p"],
                },
            )
            for i, cell in enumerate(maps.hotspot_cells(scope=scope, week=week))
        ]

    def iterate(self, user, query: Query) -> Iterator[dict[str, Any]]:
        weeks = _weeks(query)
        for scope in _scopes(user):
            for week in weeks:
                yield from _python_filter(self._features(scope, week), query)

    def feature(self, user, fid: str) -> dict[str, Any] | None:
        return _find(self, user, fid)


COLLECTIONS: dict[str, Collection] = {
    c.id: c for c in (Areas(), Incidents(), WeeklyCounts(), Hotspots())
}


def visible_collections(user) -> list[Collection]:
    return [c for c in COLLECTIONS.values() if c.visible(user)]
