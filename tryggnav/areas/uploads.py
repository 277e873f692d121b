"""Areas uploaded on the web (GeoJSON or GeoPackage): the file is kept, its features are
shown on a map with the names the chosen field mapping gives them, and only the confirm
step writes, all or nothing.

A GeoPackage is read with sqlite3 and shapely (``scb.read_geopackage``: the GeoPackage
geometry header, then WKB), so the web process needs no GDAL; it may be in WGS84 or
SWEREF 99 TM. GeoJSON is read as ``tryggnav import_areas`` reads it (WGS84). The stored
geometry is WGS84 GeoJSON as for every area.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from shapely.errors import GEOSException

from tryggnav.areas import scb
from tryggnav.areas.models import Area, AreaUpload, Municipality
from tryggnav.areas.services import (
    AreaImportResult,
    AreaRecord,
    _AreaSink,
    _read_features,
    feature_rows,
)
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.lib.errors import Conflict, InputError, Problem, person
from tryggnav.lib.files import max_import_bytes
from tryggnav.lib.imports import Policy, Row, write_rows

SUFFIXES = {".geojson", ".json", ".gpkg"}
# More areas than this in one municipality is a mistake (a national file, points, …).
MAX_FEATURES = 5000
GPKG_MAGIC = b"SQLite format 3\x00"


@dataclass
class Mapping:
    """Which property is the area's name and which its code (None: the name, slugified)."""

    name_field: str
    code_field: str | None
    kind: str


@dataclass
class AreaPreview:
    fields: list[str]
    rows: list[Row[AreaRecord]]
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def records(self) -> list[AreaRecord]:
        return [row.record for row in self.rows if row.record is not None]


def _file_error(filename: str, sv: str, en: str) -> InputError:
    return InputError.single(sv, en, file=filename)


def read_features(path: Path, *, filename: str) -> list[dict[str, Any]]:
    """The file's features as GeoJSON Feature dicts in WGS84 (geometry None where it
    is missing or unreadable, which the mapping's check then names)."""
    with path.open("rb") as fh:
        is_gpkg = fh.read(16) == GPKG_MAGIC
    if path.suffix.lower() == ".gpkg" and not is_gpkg:
        raise _file_error(
            filename,
            "Filen är ingen GeoPackage (den är inte en SQLite-databas).",
            "The file is not a GeoPackage (it is not an SQLite database).",
        )
    if not is_gpkg:
        # GeoJSON as the command reads it: WGS84, every position checked as written.
        return _limited(_read_features(path, filename), filename)
    srs_id, features = scb.read_geopackage(path, filename=filename)
    _limited(features, filename)
    project = _projection(srs_id, filename)
    return [
        {"type": "Feature", "properties": props, "geometry": _mapping(geometry, project)}
        for props, geometry in features
    ]


def _limited(features: list[Any], filename: str) -> list[Any]:
    if not features:
        raise _file_error(filename, "Filen har inga objekt.", "The file has no features.")
    if len(features) > MAX_FEATURES:
        raise _file_error(
            filename,
            f"Filen har {len(features)} objekt; högst {MAX_FEATURES} områden kan importeras.",
            f"The file has {len(features)} features; at most {MAX_FEATURES} areas can be imported.",
        )
    return features


def _projection(srs_id: int, filename: str) -> Callable[[Any], Any]:
    if srs_id == scb.SWEREF99TM:
        return scb._project_sweref
    if srs_id in scb.WGS84:
        return lambda geometry: geometry
    raise _file_error(
        filename,
        f"Koordinatsystemet EPSG:{srs_id} stöds inte; använd WGS84 (EPSG:4326) eller"
        " SWEREF 99 TM (EPSG:3006).",
        f"Coordinate system EPSG:{srs_id} is not supported; use WGS84 (EPSG:4326) or"
        " SWEREF 99 TM (EPSG:3006).",
    )


def _mapping(geometry: Any, project: Callable[[Any], Any]) -> dict[str, Any] | None:
    if geometry is None or geometry.is_empty:
        return None
    try:
        with np.errstate(invalid="ignore"):  # NaN is refused by the ring check, by name
            return json.loads(json.dumps(shapely.geometry.mapping(project(geometry))))
    except (ValueError, TypeError, GEOSException):
        return None


def property_names(features: list[dict[str, Any]]) -> list[str]:
    """The properties the features have, in the order they first appear."""
    names: dict[str, None] = {}
    for feature in features:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(props, dict):
            names.update(dict.fromkeys(str(k) for k in props))
    return list(names)


def area_upload_create(
    *, municipality: Municipality, organisation: Any, by: Any, filename: str, content: Any
) -> AreaUpload:
    """Keep an uploaded areas file for its preview; InputError when it cannot be read."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise _file_error(
            filename,
            f"Filtypen {suffix or '(ingen)'} stöds inte; ladda upp GeoJSON (.geojson) eller"
            " GeoPackage (.gpkg).",
            f"File type {suffix or '(none)'} is not supported; upload GeoJSON (.geojson) or"
            " GeoPackage (.gpkg).",
        )
    if content.size > max_import_bytes():
        mb = max_import_bytes() // (1024 * 1024)
        raise _file_error(
            filename,
            f"Filen är för stor; högst {mb} MB kan importeras.",
            f"The file is too large; at most {mb} MB can be imported.",
        )
    upload = AreaUpload(
        municipality=municipality, organisation=organisation, created_by=by, filename=filename
    )
    upload.file.save(f"{upload.public_id}{suffix}", ContentFile(content.read()), save=False)
    try:
        read_features(Path(upload.file.path), filename=filename)
    except InputError:
        upload.file.delete(save=False)
        raise
    upload.save()
    return upload


def upload_features(upload: AreaUpload) -> list[dict[str, Any]]:
    return read_features(Path(upload.file.path), filename=upload.filename)


def area_upload_preview(
    *, upload: AreaUpload, mapping: Mapping, features: list[dict[str, Any]] | None = None
) -> AreaPreview:
    """What the import would write with this mapping; nothing is saved. ``features``:
    the upload's, when the caller has read them already."""
    features = upload_features(upload) if features is None else features
    fields = property_names(features)
    if mapping.kind not in Area.Kind.values:
        raise InputError.single("Okänd områdestyp.", "Unknown area kind.", field="kind")
    for chosen in (mapping.name_field, mapping.code_field):
        if chosen is not None and chosen not in fields:
            raise InputError.single(
                f"Fältet {chosen!r} finns inte i filen (den har: {', '.join(fields)[:200]}).",
                f"The field {chosen!r} is not in the file (it has: {', '.join(fields)[:200]}).",
                file=upload.filename,
                field=chosen,
            )
    rows = feature_rows(
        features,
        filename=upload.filename,
        name_field=mapping.name_field,
        code_field=mapping.code_field,
    )
    preview = AreaPreview(fields=fields, rows=rows)
    preview.problems = [problem for row in rows for problem in row.errors]
    if not preview.problems and not any(
        r.geometry["type"] in ("Polygon", "MultiPolygon") for r in preview.records
    ):
        preview.problems.append(
            Problem("Filen har inga polygoner.", "The file has no polygons.", file=upload.filename)
        )
    existing = {
        a.code: a for a in Area.objects.filter(municipality=upload.municipality, kind=mapping.kind)
    }
    for record in preview.records:
        area = existing.get(record.code)
        if area is None:
            preview.new += 1
        elif area.name != record.name or area.geometry != record.geometry:
            preview.changed += 1
        else:
            preview.unchanged += 1
    return preview


def area_upload_commit(
    *, upload: AreaUpload, mapping: Mapping, by: Any, organisation: Any
) -> AreaImportResult:
    """Write the previewed areas, all or nothing, and audit it; an upload imports once."""
    preview = area_upload_preview(upload=upload, mapping=mapping)
    if preview.problems:
        raise InputError(preview.problems)
    with transaction.atomic():
        locked = AreaUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.imported is not None:
            raise Conflict.handled(
                "Filen är redan importerad.",
                "The file has already been imported.",
                who=person(locked.created_by),
                when=locked.imported,
            )
        sink = _AreaSink(
            municipality=upload.municipality, kind=mapping.kind, source=upload.filename[:200]
        )
        write_rows(preview.rows, sink=sink, policy=Policy.ALL_OR_NOTHING)
        locked.imported = timezone.now()
        locked.save(update_fields=["imported"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.IMPORT,
            organisation=organisation,
            object_type="areas.area",
            object_repr=f"{Area.Kind(mapping.kind).label}: {upload.filename}"[:300],
            changes={
                "name_field": mapping.name_field,
                "code_field": mapping.code_field,
                "result": str(sink.result),
            },
            note=upload.filename,
        )
    return sink.result


def preview_geojson(preview: AreaPreview) -> dict[str, Any]:
    """The previewed areas with their mapped names, for the preview's map."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": record.geometry,
                "properties": {"layer": "area", "name": record.name, "code": record.code},
            }
            for record in preview.records
        ],
    }
