"""SCB's statistical areas, DeSO and RegSO, from the files SCB publishes.

SCB publishes the boundaries as a GeoPackage in SWEREF 99 TM (EPSG:3006), and through
its WFS as GeoJSON; the attributes are ``desokod`` (DeSO 2025; ``deso`` in DeSO 2018),
``regsokod`` and ``regsonamn`` (``regso`` in RegSO 2018, where it is the name),
``kommunkod`` (``kommun`` in 2018) and ``lanskod``. A GeoPackage is read with the
standard library's sqlite3 (its geometry is a small header and WKB, which shapely
reads), so no GDAL is needed. Coordinates in SWEREF 99 TM are converted to WGS84 with
Lantmäteriet's Gauss–Krüger formulas (SWEREF 99 and WGS84 differ by less than a metre).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.db import transaction
from shapely.errors import GEOSException

from tryggnav.areas.models import Area, Municipality
from tryggnav.areas.services import (
    AREA_NAME_MAX,
    AreaImportResult,
    _areas_write,
    _FeatureError,
    _valid_geometry,
)
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import json_loads, max_import_bytes, read_bytes

SWEREF99TM = 3006
WGS84 = (4326, 4258, 4619)  # WGS84, ETRS89 and SWEREF 99 geographic: lon/lat as they are
DESO_CODE_FIELDS = ("desokod", "deso")
REGSO_CODE_FIELDS = ("regsokod",)
REGSO_NAME_FIELDS = ("regsonamn", "regso")
MUNICIPALITY_FIELDS = ("kommunkod", "kommun")
SOURCE = "SCB, öppna geodata (CC BY 4.0)"


# SWEREF 99 TM → WGS84 -----------------------------------------------------------------


def sweref99tm_to_wgs84(northing: Any, easting: Any) -> tuple[Any, Any]:
    """Latitude and longitude (degrees) of SWEREF 99 TM coordinates, by the inverse
    Gauss–Krüger projection (Lantmäteriet, "Gauss Conformal Projection (Transverse
    Mercator), Krüger's Formulas"): GRS 80, central meridian 15°, scale 0.9996,
    false easting 500 000 m. Vectorised over numpy arrays."""
    a, f = 6378137.0, 1 / 298.257222101
    k0, lon0, false_easting = 0.9996, math.radians(15.0), 500000.0
    e2 = f * (2 - f)
    n = f / (2 - f)
    a_roof = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    d1 = n / 2 - 2 * n**2 / 3 + 37 * n**3 / 96 - n**4 / 360
    d2 = n**2 / 48 + n**3 / 15 - 437 * n**4 / 1440
    d3 = 17 * n**3 / 480 - 37 * n**4 / 840
    d4 = 4397 * n**4 / 161280
    a_star = e2 + e2**2 + e2**3 + e2**4
    b_star = -(7 * e2**2 + 17 * e2**3 + 30 * e2**4) / 6
    c_star = (224 * e2**3 + 889 * e2**4) / 120
    d_star = -(4279 * e2**4) / 1260
    xi = np.asarray(northing, dtype=float) / (k0 * a_roof)
    eta = (np.asarray(easting, dtype=float) - false_easting) / (k0 * a_roof)
    xi_p, eta_p = xi.copy(), eta.copy()
    for k, d in ((2, d1), (4, d2), (6, d3), (8, d4)):
        xi_p -= d * np.sin(k * xi) * np.cosh(k * eta)
        eta_p -= d * np.cos(k * xi) * np.sinh(k * eta)
    phi_star = np.arcsin(np.sin(xi_p) / np.cosh(eta_p))
    d_lambda = np.arctan(np.sinh(eta_p) / np.cos(xi_p))
    s2 = np.sin(phi_star) ** 2
    lat = phi_star + np.sin(phi_star) * np.cos(phi_star) * (
        a_star + b_star * s2 + c_star * s2**2 + d_star * s2**3
    )
    return np.degrees(lat), np.degrees(lon0 + d_lambda)


def _sweref_to_lonlat(coords: np.ndarray) -> np.ndarray:
    """shapely.transform callback: (easting, northing) rows to (lon, lat) rows."""
    lat, lon = sweref99tm_to_wgs84(coords[:, 1], coords[:, 0])
    return np.column_stack([lon, lat])


def _project_sweref(geometry: Any) -> Any:
    # Coordinates far outside Sweden give NaN, which the ring check then refuses
    # with a message; numpy's warning about them would only be noise.
    with np.errstate(invalid="ignore"):
        return shapely.transform(geometry, _sweref_to_lonlat)


# GeoPackage ---------------------------------------------------------------------------

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def gpkg_geometry(blob: bytes) -> tuple[int, Any]:
    """The SRS id and shapely geometry of a GeoPackage geometry blob (GeoPackage 1.3,
    2.1.3: "GP", version, flags, srs_id, envelope, then standard WKB)."""
    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    flags = blob[3]
    order = "<" if flags & 1 else ">"
    envelope = _ENVELOPE_BYTES.get((flags >> 1) & 7)
    if envelope is None:
        raise ValueError("bad envelope indicator")
    (srs_id,) = struct.unpack(order + "i", blob[4:8])
    if flags & 0b10000:  # empty geometry
        return srs_id, None
    return srs_id, shapely.from_wkb(bytes(blob[8 + envelope :]))


def _gpkg_error(filename: str, sv: str, en: str) -> InputError:
    return InputError.single(sv, en, file=filename)


def read_geopackage(path: Path, *, filename: str) -> tuple[int, list[tuple[dict, Any]]]:
    """The SRS id and (attributes, geometry) of the first feature table of a GeoPackage."""
    try:
        if path.stat().st_size > max_import_bytes():
            read_bytes(path, filename=filename)  # raises the size message
        with path.open("rb") as fh:
            magic = fh.read(16)
    except OSError as error:
        raise _gpkg_error(
            filename, f"Filen kan inte läsas ({error}).", f"The file cannot be read ({error})."
        ) from error
    if magic != b"SQLite format 3\x00":
        raise _gpkg_error(filename, "Filen är ingen GeoPackage.", "The file is not a GeoPackage.")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except (sqlite3.Error, UnicodeDecodeError) as error:
        raise _gpkg_error(
            filename, "GeoPackage-filen kan inte öppnas.", "The GeoPackage cannot be opened."
        ) from error
    try:
        return _read_features(connection, filename)
    except (sqlite3.Error, UnicodeDecodeError) as error:
        raise _gpkg_error(
            filename,
            f"GeoPackage-filen kan inte läsas ({error}).",
            f"The GeoPackage cannot be read ({error}).",
        ) from error
    finally:
        connection.close()


def _read_features(connection: sqlite3.Connection, filename: str) -> tuple[int, list]:
    row = connection.execute(
        "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c"
        " JOIN gpkg_geometry_columns g ON g.table_name = c.table_name"
        " WHERE c.data_type = 'features' ORDER BY c.table_name LIMIT 1"
    ).fetchone()
    if row is None:
        raise _gpkg_error(
            filename,
            "GeoPackage-filen har inget lager med objekt.",
            "The GeoPackage has no feature layer.",
        )
    table, column, srs_id = row
    quote = lambda name: '"' + str(name).replace('"', '""') + '"'  # noqa: E731
    cursor = connection.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the file's own catalogue, quoted
    names = [d[0] for d in cursor.description]
    features: list[tuple[dict[str, Any], Any]] = []
    for values in cursor:
        record = dict(zip(names, values, strict=True))
        blob = record.pop(column)
        record.pop("fid", None)
        try:
            _srs, geometry = gpkg_geometry(blob) if blob is not None else (srs_id, None)
        except (ValueError, struct.error, GEOSException) as error:
            raise InputError.single(
                "En geometri i GeoPackage-filen kan inte läsas.",
                "A geometry of the GeoPackage cannot be read.",
                file=filename,
                row=len(features) + 1,
                field=column,
            ) from error
        features.append((record, geometry))
    return int(srs_id), features


def read_geojson(path: Path, *, filename: str) -> tuple[int, list[tuple[dict, Any]]]:
    """The SRS (from the "crs" member; WGS84 without one) and features of a GeoJSON file."""
    raw = read_bytes(path, filename=filename)
    try:
        data = json_loads(raw.decode("utf-8-sig"), filename=filename)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _gpkg_error(
            filename,
            "Filen är inte giltig GeoJSON i UTF-8.",
            "The file is not valid GeoJSON in UTF-8.",
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise _gpkg_error(
            filename,
            "Filen är ingen GeoJSON FeatureCollection.",
            "The file is not a GeoJSON FeatureCollection.",
        )
    crs_member = data.get("crs")
    crs_properties = crs_member.get("properties") if isinstance(crs_member, dict) else None
    crs = str(crs_properties.get("name") or "") if isinstance(crs_properties, dict) else ""
    srs_id = SWEREF99TM if crs.endswith(("3006", "EPSG::3006")) else 4326
    if crs and srs_id == 4326 and not crs.endswith(("CRS84", "4326")):
        raise _gpkg_error(
            filename,
            f"Koordinatsystemet {crs[:80]} stöds inte; använd SWEREF 99 TM eller WGS84.",
            f"Coordinate system {crs[:80]} is not supported; use SWEREF 99 TM or WGS84.",
        )
    features: list[tuple[dict[str, Any], Any]] = []
    for index, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict):
            raise InputError.single(
                "Objektet är ingen GeoJSON Feature.",
                "The item is not a GeoJSON Feature.",
                file=filename,
                row=index,
            )
        props: dict[str, Any] = feature.get("properties") or {}
        if not isinstance(props, dict):
            props = {}
        try:
            with np.errstate(invalid="ignore"):  # NaN coordinates are refused later
                geometry = (
                    shapely.geometry.shape(feature["geometry"]) if feature.get("geometry") else None
                )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, GEOSException):
            geometry = None
        features.append((props, geometry))
    return srs_id, features


# Import -------------------------------------------------------------------------------

_CODE_PATTERNS: dict[str, str] = {
    Area.Kind.DESO: r"\d{4}[A-C]\d{4}",
    Area.Kind.REGSO: r"\d{4}R\d{3}",
}


def _first_field(record: dict, names: tuple[str, ...]) -> str | None:
    lowered = {str(k).lower(): k for k in record}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def _kind_and_fields(record: dict, filename: str) -> tuple[str, str, str | None]:
    """The file's kind (DeSO or RegSO), its code field and its name field, by SCB's names."""
    deso = _first_field(record, DESO_CODE_FIELDS)
    if deso is not None:
        return Area.Kind.DESO, deso, None
    regso = _first_field(record, REGSO_CODE_FIELDS)
    if regso is not None:
        return Area.Kind.REGSO, regso, _first_field(record, REGSO_NAME_FIELDS)
    present = ", ".join(map(str, record))[:200]
    raise InputError.single(
        f"Filen saknar SCB:s kodfält (desokod, deso eller regsokod); den har: {present}.",
        f"The file lacks SCB's code field (desokod, deso or regsokod); it has: {present}.",
        file=filename,
    )


def _to_wgs84(srs_id: int, filename: str) -> Callable[[Any], Any]:
    if srs_id == SWEREF99TM:
        return _project_sweref
    if srs_id in WGS84:
        return lambda geometry: geometry
    raise InputError.single(
        f"Koordinatsystemet EPSG:{srs_id} stöds inte; SCB:s filer är i SWEREF 99 TM (EPSG:3006).",
        f"Coordinate system EPSG:{srs_id} is not supported; SCB's files are in SWEREF 99 TM"
        " (EPSG:3006).",
        file=filename,
    )


def scb_areas_import(
    *,
    path: Path,
    filename: str | None = None,
    municipality_codes: list[str] | None = None,
    source: str = SOURCE,
    by: Any = None,
) -> tuple[str, dict[str, AreaImportResult]]:
    """Import SCB's DeSO or RegSO boundaries (GeoPackage or GeoJSON), all or nothing.

    The kind follows the file's attributes; each area goes to the municipality its
    ``kommunkod`` (or its code's first four digits) names; ``municipality_codes`` limits
    the import to those municipalities. Returns the kind and a result per municipality.
    """

    filename = filename or path.name
    with path.open("rb") as fh:
        is_gpkg = fh.read(16) == b"SQLite format 3\x00"
    reader = read_geopackage if is_gpkg else read_geojson
    srs_id, features = reader(path, filename=filename)
    if not features:
        raise InputError.single("Filen har inga områden.", "The file has no areas.", file=filename)
    kind, code_field, name_field = _kind_and_fields(features[0][0], filename)
    project = _to_wgs84(srs_id, filename)
    wanted = set(municipality_codes or [])
    parsed, problems = _parse_scb_features(
        features, kind, code_field, name_field, project, wanted, filename
    )
    known = set(Municipality.objects.filter(code__in=parsed).values_list("code", flat=True))
    for code in sorted(set(parsed) - known):
        problems.append(
            Problem(
                f"Okänd kommunkod {code!r}.", f"Unknown municipality code {code!r}.", file=filename
            )
        )
    if problems:
        raise InputError(problems)
    if not parsed:
        raise InputError.single(
            "Filen har inga områden i de valda kommunerna.",
            "The file has no areas in the chosen municipalities.",
            file=filename,
        )
    results: dict[str, AreaImportResult] = {}
    with transaction.atomic():
        for code, areas in sorted(parsed.items()):
            municipality = Municipality.objects.get(code=code)
            results[code] = _areas_write(
                areas, municipality=municipality, kind=kind, source=source[:200]
            )
        audit_record(
            actor=by,
            action=AuditEntry.Action.IMPORT,
            object_type="areas.area",
            object_repr=f"{Area.Kind(kind).label}: {filename}"[:300],
            changes={code: str(result) for code, result in results.items()},
            note=filename,
        )
    return kind, results


def _parse_scb_features(
    features: list[tuple[dict, Any]],
    kind: str,
    code_field: str,
    name_field: str | None,
    project: Callable[[Any], Any],
    wanted: set[str],
    filename: str,
) -> tuple[dict[str, dict[str, tuple[str, dict[str, Any]]]], list[Problem]]:

    pattern = re.compile(_CODE_PATTERNS[kind])
    parsed: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
    problems: list[Problem] = []
    for index, (record, geometry) in enumerate(features, start=1):
        where: dict[str, Any] = {"file": filename, "row": index}
        code = str(record.get(code_field) or "").strip()
        if not pattern.fullmatch(code):
            problems.append(
                Problem(
                    f"{code[:40]!r} är ingen {Area.Kind(kind).label}-kod.",
                    f"{code[:40]!r} is not a {Area.Kind(kind).label} code.",
                    field=code_field,
                    **where,
                )
            )
            continue
        municipality_field = _first_field(record, MUNICIPALITY_FIELDS)
        municipality = (
            str(record.get(municipality_field) or code[:4]) if municipality_field else code[:4]
        )
        if wanted and municipality not in wanted:
            continue
        name = str(record.get(name_field) or "").strip() if name_field else ""
        name = (name or code)[:AREA_NAME_MAX]
        try:
            if geometry is None or geometry.is_empty:
                raise _FeatureError("Geometrin saknas.", "The geometry is missing.", "geometry")
            mapping = json.loads(json.dumps(shapely.geometry.mapping(project(geometry))))
            valid = _valid_geometry(mapping)
        except _FeatureError as error:
            problems.append(Problem(error.sv, error.en, field=error.field, **where))
            continue
        areas = parsed.setdefault(municipality, {})
        if code in areas:
            problems.append(
                Problem(
                    f"Koden {code!r} förekommer två gånger.",
                    f"Code {code!r} occurs twice.",
                    field=code_field,
                    **where,
                )
            )
            continue
        areas[code] = (name, valid)
    return parsed, problems
