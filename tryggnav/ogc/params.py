"""The query parameters of an items request: limit, bbox, datetime, filter, cursor.

Each is checked strictly; a bad value is an ``InputError`` naming the parameter,
which the views answer with 400 (OGC API – Features, /req/core/query-param-invalid).
"""

from __future__ import annotations

import base64
import datetime
import math
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from tryggnav.lib.errors import InputError
from tryggnav.ogc import cql2

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
CQL2_TEXT = "cql2-text"
# The draft's name for the same language, which GDAL 3.6's OAPIF driver sends.
FILTER_LANGS = (CQL2_TEXT, "cql-text")


@dataclass(frozen=True)
class Interval:
    """A closed time interval; either end may be open (None)."""

    start: datetime.datetime | None
    end: datetime.datetime | None


@dataclass(frozen=True)
class Query:
    limit: int = DEFAULT_LIMIT
    bbox: tuple[float, float, float, float] | None = None
    interval: Interval | None = None
    filter: cql2.Node | None = None
    cursor: str = ""


def _bad(name: str, sv: str, en: str) -> InputError:
    return InputError.single(sv, en, field=name)


def parse_limit(text: str | None) -> int:
    if text is None or text == "":
        return DEFAULT_LIMIT
    try:
        value = int(text)
    except ValueError:
        raise _bad(
            "limit",
            f"limit ska vara ett heltal, inte {text!r}.",
            f"limit must be an integer, not {text!r}.",
        ) from None
    if value < 1:
        raise _bad("limit", "limit ska vara minst 1.", "limit must be at least 1.")
    # Larger than the maximum is not an error: the maximum is used (Part 1, 7.15.3).
    return min(value, MAX_LIMIT)


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    parts = text.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) == 6:  # a 3D box: the heights are ignored
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise _bad(
            "bbox",
            f"bbox ska vara fyra tal (väst,syd,öst,nord), inte {text!r}.",
            f"bbox must be four numbers (west,south,east,north), not {text!r}.",
        )
    west, south, east, north = numbers
    if not (-90 <= south <= north <= 90) or not (-180 <= west <= 180 and -180 <= east <= 180):
        raise _bad(
            "bbox",
            f"bbox {text!r} ligger utanför WGS 84 eller har syd över nord.",
            f"bbox {text!r} lies outside WGS 84 or has south above north.",
        )
    if west > east:
        raise _bad(
            "bbox",
            "bbox över datumlinjen stöds inte.",
            "A bbox across the antimeridian is not supported.",
        )
    return west, south, east, north


def _instant(text: str, *, end: bool) -> datetime.datetime | None:
    if text in ("", ".."):
        return None
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
            value = timezone.make_aware(moment)
        else:
            value = datetime.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
            if value.tzinfo is None:
                value = timezone.make_aware(value)
        value.astimezone(datetime.UTC)  # the first and last hours of the calendar overflow
    except (ValueError, OverflowError):
        raise _bad(
            "datetime",
            f"datetime {text!r} är inget datum eller tidpunkt (RFC 3339).",
            f"datetime {text!r} is not a date or time (RFC 3339).",
        ) from None
    return value


def parse_datetime(text: str | None) -> Interval | None:
    if not text:
        return None
    if "/" in text:
        first, _, last = text.partition("/")
        if "/" in last:
            raise _bad("datetime", "datetime har för många '/'.", "datetime has too many '/'.")
        interval = Interval(_instant(first, end=False), _instant(last, end=True))
        if interval.start and interval.end and interval.start > interval.end:
            raise _bad(
                "datetime",
                "datetime börjar efter att det slutar.",
                "datetime begins after it ends.",
            )
        return interval
    if text == "..":
        raise _bad("datetime", "datetime '..' är inget intervall.", "datetime '..' is no interval.")
    start = _instant(text, end=False)
    end = _instant(text, end=True) if len(text) == 10 else start
    return Interval(start, end)


def parse_filter(params: QueryDict, queryables: dict[str, cql2.Queryable]) -> cql2.Node | None:
    text = params.get("filter")
    if text is None:
        return None
    lang = params.get("filter-lang", CQL2_TEXT)
    if lang not in FILTER_LANGS:
        raise _bad(
            "filter-lang",
            f"filter-lang {lang!r} stöds inte, bara cql2-text.",
            f"filter-lang {lang!r} is not supported, only cql2-text.",
        )
    crs = params.get("filter-crs")
    if crs and crs != "http://www.opengis.net/def/crs/OGC/1.3/CRS84":
        raise _bad("filter-crs", "filter-crs stöds bara som CRS84.", "filter-crs: only CRS84.")
    return cql2.parse(text, queryables)


def _queryable_value(name: str, queryable: cql2.Queryable, text: str):
    """A queryable given as a query parameter (Part 3, queryables-query-parameters):
    an equality with the value read as the queryable's type."""
    value: object = text
    try:
        if queryable.type == "integer":
            value = int(text)
        elif queryable.type == "number":
            value = float(text)
        elif queryable.type == "boolean":
            value = {"true": True, "false": False}[text.lower()]
    except (ValueError, KeyError):
        raise _bad(
            name,
            f"{name}={text!r} är inte av typen {queryable.type}.",
            f"{name}={text!r} is not of type {queryable.type}.",
        ) from None
    return cql2.typed(name, queryable, value)


def parse_parameters(params: QueryDict, queryables: dict[str, cql2.Queryable]):
    """The queryables given as query parameters, as one AND of equalities (or None)."""
    comparisons: list[cql2.Node] = [
        cql2.Comparison(name, "=", _queryable_value(name, q, params.get(name, "")))
        for name, q in queryables.items()
        if name in params
    ]
    if not comparisons:
        return None
    return comparisons[0] if len(comparisons) == 1 else cql2.Bool("and", tuple(comparisons))


def parse_query(params: QueryDict, queryables: dict[str, cql2.Queryable]) -> Query:
    node = parse_filter(params, queryables)
    simple = parse_parameters(params, queryables)
    if simple is not None:
        node = simple if node is None else cql2.Bool("and", (node, simple))
    crs = params.get("crs") or params.get("bbox-crs")
    if crs and crs != "http://www.opengis.net/def/crs/OGC/1.3/CRS84":
        raise _bad(
            "crs", "Bara CRS84 (WGS 84, lon/lat) stöds.", "Only CRS84 (WGS 84) is supported."
        )
    return Query(
        limit=parse_limit(params.get("limit")),
        bbox=parse_bbox(params.get("bbox")),
        interval=parse_datetime(params.get("datetime")),
        filter=node,
        cursor=params.get("cursor", ""),
    )


def encode_cursor(*parts: Any) -> str:
    text = "|".join(str(p) for p in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, count: int) -> list[str]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    parts = text.split("|")
    if len(parts) != count:
        raise _bad(
            "cursor",
            "Sidmarkören (cursor) är ogiltig; följ länken 'next'.",
            "The cursor is invalid; follow the 'next' link.",
        )
    return parts
