"""Loading the national geography and importing areas from GeoJSON files."""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from shapely.geometry import shape
from shapely.validation import explain_validity

from tryggnav.areas.models import Area, County, Municipality
from tryggnav.lib.errors import InputError, Problem

DATA_DIR = Path(__file__).resolve().parent / "data"
POPULATION_YEAR = 2024


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
    filename = path.name
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
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError.single(
            f"Filen kan inte läsas ({error.strerror}).",
            f"The file cannot be read ({error.strerror}).",
            file=filename,
        ) from error
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise InputError.single(
                "Den komprimerade filen är trasig.",
                "The compressed file is corrupt.",
                file=filename,
            ) from error
    if not raw.strip():
        raise InputError.single("Filen är tom.", "The file is empty.", file=filename)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
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
    crs = (data.get("crs") or {}).get("properties", {}).get("name")
    if crs and crs not in _LONLAT_CRS:
        raise InputError.single(
            f"Koordinatsystemet {crs} stöds inte; konvertera till WGS84 (EPSG:4326).",
            f"Coordinate system {crs} is not supported; convert to WGS84 (EPSG:4326).",
            file=filename,
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise InputError.single(
            "Filen innehåller inga objekt (features).",
            "The file contains no features.",
            file=filename,
        )

    problems: list[Problem] = []
    parsed: dict[str, tuple[str, dict[str, Any]]] = {}
    for index, feature in enumerate(features, start=1):
        where: dict[str, Any] = {"file": filename, "row": index}
        props = (feature or {}).get("properties") or {}
        name = props.get(name_field)
        if not isinstance(name, str) or not name.strip():
            problems.append(
                Problem(
                    f"Namnfältet saknas eller är tomt (finns: {', '.join(props) or 'inga'}).",
                    f"The name field is missing or empty (present: {', '.join(props) or 'none'}).",
                    field=name_field,
                    **where,
                )
            )
            continue
        name = _NAME_CASES[name_case](name.strip())
        raw_code = props.get(code_field) if code_field else None
        if code_field and (raw_code is None or str(raw_code).strip() == ""):
            problems.append(
                Problem(
                    "Kodfältet saknas eller är tomt.",
                    "The code field is missing or empty.",
                    field=code_field,
                    **where,
                )
            )
            continue
        code = str(raw_code).strip() if code_field else slugify(name)
        geometry = (feature or {}).get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            problems.append(
                Problem(
                    "Geometrin måste vara Polygon eller MultiPolygon.",
                    "The geometry must be a Polygon or MultiPolygon.",
                    field="geometry",
                    **where,
                )
            )
            continue
        try:
            geom = shape(geometry)
        except (ValueError, TypeError, IndexError, AttributeError):
            problems.append(
                Problem(
                    "Geometrin går inte att läsa.",
                    "The geometry cannot be read.",
                    field="geometry",
                    **where,
                )
            )
            continue
        min_x, min_y, max_x, max_y = geom.bounds
        if not (-180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90):
            problems.append(
                Problem(
                    "Koordinaterna är inte longitud/latitud i WGS84 (projicerade koordinater?).",
                    "The coordinates are not WGS84 longitude/latitude (projected coordinates?).",
                    field="geometry",
                    **where,
                )
            )
            continue
        if not geom.is_valid:
            geom = geom.buffer(0)
            if geom.is_empty or not geom.is_valid:
                problems.append(
                    Problem(
                        f"Ogiltig geometri: {explain_validity(shape(geometry))}.",
                        f"Invalid geometry: {explain_validity(shape(geometry))}.",
                        field="geometry",
                        **where,
                    )
                )
                continue
            geometry = geom.__geo_interface__
            geometry = json.loads(json.dumps(geometry))
        if code in parsed:
            problems.append(
                Problem(
                    f"Koden {code!r} förekommer två gånger.",
                    f"Code {code!r} occurs twice.",
                    field=code_field or name_field,
                    **where,
                )
            )
            continue
        parsed[code] = (name, geometry)
    if problems:
        raise InputError(problems)

    result = AreaImportResult()
    with transaction.atomic():
        existing = {a.code: a for a in Area.objects.filter(municipality=municipality, kind=kind)}
        for code, (name, geometry) in parsed.items():
            area = existing.get(code)
            if area is None:
                area = Area(
                    municipality=municipality,
                    kind=kind,
                    code=code,
                    name=name,
                    source=source or filename,
                )
                area.set_geometry(geometry)
                area.save()
                result.created += 1
            elif area.name != name or area.geometry != geometry:
                area.name = name
                area.set_geometry(geometry)
                area.save()
                result.updated += 1
            else:
                result.unchanged += 1
    return result
