"""Loading the national geography and importing areas from GeoJSON files."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.validation import explain_validity

from tryggnav.areas.models import Area, County, Municipality
from tryggnav.lib import imports
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import json_loads, read_bytes
from tryggnav.lib.imports import ImportFormat, Policy, Row, Sample, write_rows

DATA_DIR = Path(__file__).resolve().parent / "data"
POPULATION_YEAR = 2024
AREA_NAME_MAX = Area._meta.get_field("name").max_length or 120
AREA_CODE_MAX = Area._meta.get_field("code").max_length or 40


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8")
    return path.open(encoding="utf-8")


@transaction.atomic
def geography_load(*, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Create or update the 21 counties and 290 municipalities with boundaries and population.

    Idempotent: running it again changes nothing.
    """
    with (data_dir / "counties.csv").open(encoding="utf-8") as fh:
        counties = list(csv.DictReader(fh))
    with (data_dir / "municipalities.csv").open(encoding="utf-8") as fh:
        municipalities = list(csv.DictReader(fh))
    with (data_dir / "population.csv").open(encoding="utf-8") as fh:
        population = {row["kommun_kod"]: int(row["population"]) for row in csv.DictReader(fh)}
    with _open_text(data_dir / "swedish_regions.geojson.gz") as fh:
        region_geo = {
            f"{int(f['properties']['l_id']):02d}": f["geometry"] for f in json.load(fh)["features"]
        }
    with _open_text(data_dir / "swedish_municipalities.geojson.gz") as fh:
        municipality_geo = {f["properties"]["id"]: f for f in json.load(fh)["features"]}

    existing_counties = {c.code: c for c in County.objects.all()}
    for row in counties:
        code = row["county_code"]
        values = {
            "name": row["county_name"],
            "short_name": row["county_name_short"],
            "geometry": region_geo.get(code),
        }
        county = existing_counties.get(code)
        if county is None:
            County.objects.create(code=code, **values)
        elif any(getattr(county, k) != v for k, v in values.items()):
            County.objects.filter(code=code).update(**values)

    existing = {m.code: m for m in Municipality.objects.all()}
    created = 0
    for row in municipalities:
        code = row["municipality_code"]
        feature = municipality_geo.get(code)
        geometry = feature["geometry"] if feature else None
        centroid = shape(geometry).representative_point() if geometry else None
        values = {
            "name": row["municipality_name"],
            "short_name": row["municipality_name_short"],
            "county_id": row["county_code"],
            "population": population.get(code),
            "population_year": POPULATION_YEAR if code in population else None,
            "geometry": geometry,
            "centroid_lat": centroid.y if centroid else None,
            "centroid_lon": centroid.x if centroid else None,
        }
        municipality = existing.get(code)
        if municipality is None:
            Municipality.objects.create(code=code, **values)
            created += 1
        elif any(getattr(municipality, k) != v for k, v in values.items()):
            Municipality.objects.filter(code=code).update(**values)
    return {"counties": len(counties), "municipalities": len(municipalities), "created": created}


@dataclass
class AreaImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} skapade, {self.updated} uppdaterade, {self.unchanged} oförändrade"
            f" / {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        )


_NAME_CASES = {
    "keep": lambda s: s,
    "capitalize": lambda s: s[:1].upper() + s[1:].lower(),
    "title": lambda s: s.title(),
}
_LONLAT_CRS = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}


@dataclass(frozen=True)
class AreaRecord:
    """A valid feature of an areas file: the area's code, name and geometry (WGS84)."""

    code: str
    name: str
    geometry: dict[str, Any]


def areas_import(
    *,
    path: Path,
    municipality_code: str,
    kind: str,
    name_field: str,
    code_field: str | None = None,
    name_case: str = "keep",
    source: str = "",
) -> AreaImportResult:
    """Import areas from a GeoJSON FeatureCollection in WGS84, all or nothing.

    Areas are matched on (municipality, kind, code); the code comes from
    ``code_field`` or, without it, from the slugified name. Re-importing the
    same file changes nothing.
    """
    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:
        raise InputError.single(
            f"Okänd kommunkod {municipality_code!r}.",
            f"Unknown municipality code {municipality_code!r}.",
        )
    if kind not in Area.Kind.values:
        raise InputError.single(
            f"Okänd områdestyp {kind!r}; välj bland {', '.join(Area.Kind.values)}.",
            f"Unknown area kind {kind!r}; choose one of {', '.join(Area.Kind.values)}.",
        )
    if name_case not in _NAME_CASES:
        raise InputError.single("Okänt val för namnformat.", "Unknown name case option.")
    rows = read_areas(path, name_field=name_field, code_field=code_field, name_case=name_case)
    sink = _AreaSink(municipality=municipality, kind=kind, source=(source or path.name)[:200])
    write_rows(rows, sink=sink, policy=Policy.ALL_OR_NOTHING)
    return sink.result


def read_areas(
    path: Path,
    *,
    name_field: str,
    code_field: str | None = None,
    name_case: str = "keep",
    filename: str | None = None,
) -> list[Row[AreaRecord]]:
    """The features of an areas file as rows: each an area, or what is wrong with it."""
    filename = filename or path.name
    return feature_rows(
        _read_features(path, filename),
        filename=filename,
        name_field=name_field,
        code_field=code_field,
        name_case=name_case,
    )


def feature_rows(
    features: list[Any],
    *,
    filename: str,
    name_field: str,
    code_field: str | None = None,
    name_case: str = "keep",
) -> list[Row[AreaRecord]]:
    """GeoJSON features (WGS84) as rows: each an area, or what is wrong with it."""
    rows: list[Row[AreaRecord]] = []
    seen: set[str] = set()
    for index, feature in enumerate(features, start=1):
        try:
            code, name, geometry = _parse_feature(
                feature, name_field=name_field, code_field=code_field, name_case=name_case
            )
        except _FeatureError as error:
            problem = Problem(error.sv, error.en, file=filename, row=index, field=error.field)
            rows.append(Row(index, errors=[problem]))
            continue
        if code in seen:
            problem = Problem(
                f"Koden {code!r} förekommer två gånger.",
                f"Code {code!r} occurs twice.",
                file=filename,
                row=index,
                field=code_field or name_field,
            )
            rows.append(Row(index, errors=[problem]))
            continue
        seen.add(code)
        rows.append(Row(index, AreaRecord(code, name, geometry)))
    return rows


def _read_features(path: Path, filename: str) -> list[Any]:
    """The features of a GeoJSON FeatureCollection file (plain or gzip) in WGS84."""
    raw = read_bytes(path, filename=filename)
    try:
        data = json_loads(raw.decode("utf-8-sig"), filename=filename)
    except UnicodeDecodeError as error:
        raise InputError.single(
            "Filen är inte UTF-8 (GeoJSON ska vara UTF-8).",
            "The file is not UTF-8 (GeoJSON must be UTF-8).",
            file=filename,
        ) from error
    except json.JSONDecodeError as error:
        raise InputError.single(
            f"Ogiltig JSON på rad {error.lineno}, kolumn {error.colno}: {error.msg}.",
            f"Invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}.",
            file=filename,
        ) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError.single(
            "Filen är ingen GeoJSON FeatureCollection.",
            "The file is not a GeoJSON FeatureCollection.",
            file=filename,
        )
    crs = data.get("crs")
    crs_properties = crs.get("properties") if isinstance(crs, dict) else None
    crs_name = crs_properties.get("name") if isinstance(crs_properties, dict) else None
    if (crs and not isinstance(crs, dict)) or (crs_name and str(crs_name) not in _LONLAT_CRS):
        raise InputError.single(
            f"Koordinatsystemet {str(crs_name or crs)[:80]} stöds inte;"
            " konvertera till WGS84 (EPSG:4326).",
            f"Coordinate system {str(crs_name or crs)[:80]} is not supported;"
            " convert to WGS84 (EPSG:4326).",
            file=filename,
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise InputError.single(
            "Filen innehåller inga objekt (features).",
            "The file contains no features.",
            file=filename,
        )
    return features


class _FeatureError(Exception):
    def __init__(self, sv: str, en: str, field: str) -> None:
        super().__init__(en)
        self.sv, self.en, self.field = sv, en, field


def _parse_feature(
    feature: Any, *, name_field: str, code_field: str | None, name_case: str
) -> tuple[str, str, dict[str, Any]]:
    """A feature's code, name and (valid) geometry; _FeatureError naming the field if not."""
    if not isinstance(feature, dict):
        raise _FeatureError(
            "Objektet är ingen GeoJSON Feature.", "The item is not a GeoJSON Feature.", "features"
        )
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise _FeatureError(
            "properties ska vara ett JSON-objekt.",
            "properties must be a JSON object.",
            "properties",
        )
    name = props.get(name_field)
    if not isinstance(name, str) or not name.strip():
        present = ", ".join(props)[:200]
        raise _FeatureError(
            f"Namnfältet saknas eller är tomt (finns: {present or 'inga'}).",
            f"The name field is missing or empty (present: {present or 'none'}).",
            name_field,
        )
    name = _NAME_CASES[name_case](name.strip())
    if len(name) > AREA_NAME_MAX:
        raise _FeatureError(
            f"Namnet är längre än {AREA_NAME_MAX} tecken.",
            f"The name is longer than {AREA_NAME_MAX} characters.",
            name_field,
        )
    if code_field is None:
        code = slugify(name)[:AREA_CODE_MAX]
    else:
        raw_code = props.get(code_field)
        code = "" if raw_code is None else str(raw_code).strip()
        if not code or len(code) > AREA_CODE_MAX:
            raise _FeatureError(
                f"Kodfältet saknas, är tomt eller längre än {AREA_CODE_MAX} tecken.",
                f"The code field is missing, empty or longer than {AREA_CODE_MAX} characters.",
                code_field,
            )
    return code, name, _valid_geometry(feature.get("geometry"))


def _valid_geometry(geometry: Any) -> dict[str, Any]:
    """The geometry as stored: a valid Polygon or MultiPolygon in WGS84 (repaired with
    buffer(0) when it only self-intersects), or _FeatureError saying what is wrong."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise _FeatureError(
            "Geometrin måste vara Polygon eller MultiPolygon.",
            "The geometry must be a Polygon or MultiPolygon.",
            "geometry",
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not all(isinstance(p, list) and p for p in polygons):
        raise _FeatureError(
            "Geometrin går inte att läsa (coordinates).",
            "The geometry cannot be read (coordinates).",
            "geometry",
        )
    for polygon in polygons:
        for ring in polygon:
            _check_ring(ring)
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError, GEOSException) as error:
        raise _FeatureError(
            "Geometrin går inte att läsa.", "The geometry cannot be read.", "geometry"
        ) from error
    if geom.is_valid:
        return geometry
    try:
        repaired = geom.buffer(0)
    except GEOSException:  # GEOS gives up on some far-off or degenerate rings
        repaired = None
    if repaired is None or repaired.is_empty or not repaired.is_valid:
        reason = explain_validity(geom)
        raise _FeatureError(
            f"Ogiltig geometri: {reason}.", f"Invalid geometry: {reason}.", "geometry"
        )
    return json.loads(json.dumps(repaired.__geo_interface__))


def _check_ring(ring: Any) -> None:
    """A linear ring as GeoJSON (RFC 7946 3.1.6) has it: at least four positions of two
    or three finite numbers (longitude and latitude in range), the last equal to the
    first."""
    if not isinstance(ring, list) or not all(
        isinstance(position, list)
        and len(position) in (2, 3)
        and all(
            isinstance(number, (int, float))
            and not isinstance(number, bool)
            and math.isfinite(number)
            for number in position
        )
        for position in ring
    ):
        raise _FeatureError(
            "Geometrin har en punkt som inte är två ändliga tal (longitud, latitud).",
            "The geometry has a position that is not two finite numbers (longitude, latitude).",
            "geometry",
        )
    if not all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat, *_ in ring):
        raise _FeatureError(
            "Koordinaterna är inte longitud/latitud i WGS84 (projicerade koordinater?).",
            "The coordinates are not WGS84 longitude/latitude (projected coordinates?).",
            "geometry",
        )
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise _FeatureError(
            "En ring i geometrin är inte sluten (minst fyra punkter, den sista lika med den"
            " första).",
            "A ring of the geometry is not closed (at least four positions, the last equal to"
            " the first).",
            "geometry",
        )


class _AreaSink:
    """Writes area records of one municipality and kind, matched on their code."""

    def __init__(self, *, municipality: Municipality, kind: str, source: str) -> None:
        self.municipality, self.kind, self.source = municipality, kind, source
        self.result = AreaImportResult()
        self.existing = {
            a.code: a for a in Area.objects.filter(municipality=municipality, kind=kind)
        }

    def write(self, records: list[AreaRecord]) -> None:
        for record in records:
            area = self.existing.get(record.code)
            if area is None:
                area = Area(
                    municipality=self.municipality,
                    kind=self.kind,
                    code=record.code,
                    name=record.name,
                    source=self.source,
                )
                self.result.created += 1
            elif area.name != record.name or area.geometry != record.geometry:
                area.name = record.name
                self.result.updated += 1
            else:
                self.result.unchanged += 1
                continue
            area.set_geometry(record.geometry)
            area.save()

    def finish(self) -> None:
        pass


def _areas_write(
    parsed: dict[str, tuple[str, dict[str, Any]]],
    *,
    municipality: Municipality,
    kind: str,
    source: str,
) -> AreaImportResult:
    """Write checked areas (code → name, geometry) of one municipality (SCB's files)."""
    sink = _AreaSink(municipality=municipality, kind=kind, source=source)
    rows = [Row(0, AreaRecord(code, name, geometry)) for code, (name, geometry) in parsed.items()]
    write_rows(rows, sink=sink, policy=Policy.ALL_OR_NOTHING)
    return sink.result


def _is_geojson(sample: Sample) -> bool:
    return sample.is_json and sample.mentions('"FeatureCollection"')


imports.register(
    ImportFormat(
        name="areas-geojson",
        target="areas",
        record=AreaRecord,
        detect=_is_geojson,
        read=read_areas,
        label="GeoJSON (FeatureCollection, WGS84)",
        priority=30,
    )
)
