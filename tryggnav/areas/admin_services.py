"""Changes to a municipality's geography made by its admin: renaming and retiring areas,
named places by a click on the map or from a CSV file. Each is audited in the admin's
organisation; the caller has checked who may."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from tryggnav.areas.locator import locate_area
from tryggnav.areas.models import Area, Municipality, Place
from tryggnav.audit.services import audit_create, audit_update, snapshot
from tryggnav.lib.errors import Conflict, InputError, Problem
from tryggnav.lib.files import csv_delimiter, decode_text

PLACE_NAME_MAX = Place._meta.get_field("name").max_length or 120
AREA_NAME_MAX = Area._meta.get_field("name").max_length or 120
NAME_COLUMNS = ("namn", "name")
LAT_COLUMNS = ("lat", "latitud", "latitude")
LON_COLUMNS = ("lon", "longitud", "longitude", "lng")
AREA_COLUMNS = ("område", "omrade", "area")


def area_rename(*, area: Area, name: str, by: Any, organisation: Any) -> Area:
    name = name.strip()
    if not name or len(name) > AREA_NAME_MAX:
        raise InputError.single(
            f"Namnet måste ha 1–{AREA_NAME_MAX} tecken.",
            f"The name must have 1–{AREA_NAME_MAX} characters.",
            field="name",
        )
    with transaction.atomic():
        locked = Area.objects.select_for_update().get(pk=area.pk)
        before = snapshot(locked, exclude=["geometry"])
        locked.name = name
        locked.save(update_fields=["name", "updated"])
        audit_update(actor=by, obj=locked, before=before, organisation=organisation)
    return locked


def area_retire(*, area: Area, by: Any, organisation: Any) -> Area:
    """Retire an area: its incidents and history keep it; nothing new is given it."""
    with transaction.atomic():
        locked = Area.objects.select_for_update().get(pk=area.pk)
        if locked.retired is not None:
            raise Conflict.handled(
                f"Området {locked.name} är redan avvecklat",
                f"The area {locked.name} is already retired",
                who="",
                when=locked.retired,
            )
        before = snapshot(locked, exclude=["geometry"])
        locked.retired = timezone.now()
        # `updated` moves too, so the locator's index is rebuilt without it.
        locked.save(update_fields=["retired", "updated"])
        audit_update(actor=by, obj=locked, before=before, organisation=organisation)
    return locked


def _inside(municipality: Municipality, lon: float, lat: float) -> bool:
    return not municipality.geometry or shape(municipality.geometry).covers(Point(lon, lat))


def place_create(
    *,
    municipality: Municipality,
    name: str,
    kind: str,
    lon: float,
    lat: float,
    by: Any,
    organisation: Any,
) -> Place:
    """A named place at a point of the municipality (a click on the map)."""
    problems = _place_problems(municipality, name, lon, lat, {})
    if problems:
        raise InputError(problems)
    place = Place(municipality=municipality, name=name.strip(), kind=kind)
    place.created_by_organisation = organisation
    place.set_geometry({"type": "Point", "coordinates": [lon, lat]})
    place.area = locate_area(lon, lat, municipality_code=municipality.code)
    with transaction.atomic():
        place.save()
        audit_create(actor=by, obj=place, organisation=organisation)
    return place


def _place_problems(
    municipality: Municipality, name: str, lon: float, lat: float, where: dict[str, Any]
) -> list[Problem]:
    problems = []
    name = name.strip()
    if not name or len(name) > PLACE_NAME_MAX:
        problems.append(
            Problem(
                f"Namnet måste ha 1–{PLACE_NAME_MAX} tecken.",
                f"The name must have 1–{PLACE_NAME_MAX} characters.",
                field="name",
                **where,
            )
        )
    elif Place.objects.filter(municipality=municipality, name=name).exists():
        problems.append(
            Problem(
                f"Det finns redan en plats som heter {name} i kommunen.",
                f"There is already a place called {name} in the municipality.",
                field="name",
                **where,
            )
        )
    if not _inside(municipality, lon, lat):
        problems.append(
            Problem(
                f"Punkten ({lat:.5f}, {lon:.5f}) ligger utanför {municipality.short_name}.",
                f"The point ({lat:.5f}, {lon:.5f}) lies outside {municipality.short_name}.",
                field="lat",
                **where,
            )
        )
    return problems


@dataclass
class _PlaceRow:
    name: str
    lon: float
    lat: float
    area: Area | None


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def _number(text: str, field: str, low: float, high: float, where: dict) -> float | Problem:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        return Problem(
            f"{text.strip()[:30]!r} är inget tal mellan {low:g} och {high:g}.",
            f"{text.strip()[:30]!r} is not a number between {low:g} and {high:g}.",
            field=field,
            **where,
        )
    return value


def places_csv_import(
    *, municipality: Municipality, filename: str, raw: bytes, by: Any, organisation: Any
) -> int:
    """Named places from a CSV file (name, lat, lon, optional area), all or nothing."""
    text = decode_text(raw, filename=filename)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError.single("Filen är tom.", "The file is empty.", file=filename)
    reader = csv.reader(lines, delimiter=csv_delimiter(lines[0]))
    header = next(reader)
    columns = [_column(header, names) for names in (NAME_COLUMNS, LAT_COLUMNS, LON_COLUMNS)]
    if None in columns:
        raise InputError.single(
            "Filen måste ha kolumnerna namn, lat och lon (och kan ha område).",
            "The file must have the columns name, lat and lon (and may have area).",
            file=filename,
            row=1,
        )
    area_col = _column(header, AREA_COLUMNS)
    rows, problems = _place_rows(municipality, reader, columns, area_col, filename)
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError.single("Filen har inga platser.", "The file has no places.", file=filename)
    with transaction.atomic():
        for row in rows:
            place = Place(
                municipality=municipality, name=row.name, created_by_organisation=organisation
            )
            place.set_geometry({"type": "Point", "coordinates": [row.lon, row.lat]})
            place.area = row.area or locate_area(
                row.lon, row.lat, municipality_code=municipality.code
            )
            place.save()
            audit_create(actor=by, obj=place, organisation=organisation, note=filename)
    return len(rows)


def _place_rows(
    municipality: Municipality, reader: Any, columns: list, area_col: int | None, filename: str
) -> tuple[list[_PlaceRow], list[Problem]]:
    areas: dict[str, Area] = {}
    for area in municipality.areas.current():
        areas[area.name.lower()] = areas[area.code.lower()] = area
    rows: list[_PlaceRow] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        where: dict[str, Any] = {"file": filename, "row": number}
        cells = cells + [""] * (len(columns) + 2)
        label = cells[area_col].strip() if area_col is not None else ""
        row, found = _place_row(municipality, cells, columns, label, areas, where)
        if row is not None and row.name.lower() in seen:
            found.append(
                Problem(
                    f"Namnet {row.name} förekommer två gånger.",
                    f"The name {row.name} occurs twice.",
                    field="name",
                    **where,
                )
            )
        seen.add(cells[columns[0]].strip().lower())
        if found:
            problems.extend(found)
        elif row is not None:
            rows.append(row)
    return rows, problems


def _place_row(
    municipality: Municipality,
    cells: list[str],
    columns: list,
    label: str,
    areas: dict[str, Area],
    where: dict[str, Any],
) -> tuple[_PlaceRow | None, list[Problem]]:
    """One CSV row as a place, and what is wrong with it (naming row and field)."""
    name = cells[columns[0]].strip()
    lat = _number(cells[columns[1]], "lat", 55.0, 69.2, where)
    lon = _number(cells[columns[2]], "lon", 10.5, 24.2, where)
    if isinstance(lat, Problem) or isinstance(lon, Problem):
        return None, [p for p in (lat, lon) if isinstance(p, Problem)]
    found = _place_problems(municipality, name, lon, lat, where)
    chosen = areas.get(label.lower()) if label else None
    if label and chosen is None:
        found.append(
            Problem(
                f"Området {label[:60]!r} finns inte (eller är avvecklat) i kommunen.",
                f"The area {label[:60]!r} does not exist (or is retired) in the municipality.",
                field="area",
                **where,
            )
        )
    return _PlaceRow(name, lon, lat, chosen), found
