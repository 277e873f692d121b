"""A GeoPackage (OGC 12-128r18, version 1.4) of the OGC collections, written with the
standard library's sqlite3: one feature table per collection, WGS 84 (EPSG:4326),
geometries as GeoPackage binary (header + envelope + WKB from shapely), and a QGIS
style per layer in ``layer_styles`` (QGIS applies it when the layer is opened).

Features stream from ``Collection.iterate`` into the file in batches, so an export of
many incidents does not hold them all in memory.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from tryggnav.ogc.collections import COLLECTIONS, Collection, visible_collections
from tryggnav.ogc.params import Query

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10400
BATCH = 1000
WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)
COLOURS = {
    "areas": "#3182bd",
    "incidents": "#d95f02",
    "weekly-counts": "#6baed6",
    "hotspots": "#b3261e",
}

_META = """
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
  identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,
  m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT,
  f_table_schema TEXT, f_table_name TEXT, f_geometry_column TEXT, styleName TEXT,
  styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT,
  ui TEXT, update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
"""


def _table(collection_id: str) -> str:
    return collection_id.replace("-", "_")


def geometry_blob(geometry: dict[str, Any] | None, *, multi: bool = False) -> bytes | None:
    """GeoPackage binary: "GP", version 0, flags (little endian, xy envelope), the SRS id,
    the envelope (minx, maxx, miny, maxy) and the ISO WKB."""
    if not geometry:
        return None

    geom = shape(geometry)
    if multi and geom.geom_type == "Polygon":
        geom = shapely.MultiPolygon([geom])
    minx, miny, maxx, maxy = geom.bounds
    header = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", 4326)
    envelope = struct.pack("<4d", minx, maxx, miny, maxy)
    return header + envelope + shapely.to_wkb(geom, byte_order=1)


def _create_metadata(db: sqlite3.Connection) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {USER_VERSION}")
    db.executescript(_META)
    db.executemany(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", ""),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", ""),
            ("WGS 84 geodetic", 4326, "EPSG", 4326, WGS84_WKT, "longitude/latitude"),
        ],
    )
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
        "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles')"
    )


def _create_layer(db: sqlite3.Connection, collection: Collection) -> None:
    table = _table(collection.id)
    columns = ", ".join(f'"{name}" {kind}' for name, kind in collection.fields)
    db.execute(
        f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, '
        f'"feature_id" TEXT, geom {collection.geometry_type}, {columns})'
    )
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, "
        "min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, -180, -90, 180, 90, 4326)",
        (table, collection.id, str(collection.title)),
    )
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)",
        (table, collection.geometry_type),
    )
    db.execute(
        "INSERT INTO layer_styles (f_table_name, f_geometry_column, styleName, styleQML, "
        "useAsDefault, description) VALUES (?, 'geom', ?, ?, 1, 'Tryggnav')",
        (table, str(collection.title), style_qml(collection)),
    )


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    return value


def _write_features(
    db: sqlite3.Connection, collection: Collection, features: Iterable[dict[str, Any]]
) -> int:
    table = _table(collection.id)
    names = [name for name, _kind in collection.fields]
    placeholders = ", ".join("?" for _ in range(len(names) + 2))
    quoted = ", ".join(f'"{n}"' for n in names)
    sql = f'INSERT INTO "{table}" ("feature_id", geom, {quoted}) VALUES ({placeholders})'
    batch: list[tuple[Any, ...]] = []
    count = 0
    multi = collection.geometry_type == "MULTIPOLYGON"
    for feature in features:
        props = feature["properties"]
        blob = geometry_blob(feature["geometry"], multi=multi)
        batch.append((feature["id"], blob, *(_value(props.get(n)) for n in names)))
        if len(batch) >= BATCH:
            db.executemany(sql, batch)
            count += len(batch)
            batch.clear()
    db.executemany(sql, batch)
    return count + len(batch)


def write(
    path: Path,
    *,
    user,
    collection_ids: list[str] | None = None,
    query: Query | None = None,
    queries: dict[str, Query] | None = None,
) -> dict[str, int]:
    """Write the collections the user may see (or those named) to ``path``; the counts."""
    chosen = [
        c for c in visible_collections(user) if collection_ids is None or c.id in collection_ids
    ]
    query = query or Query()
    counts: dict[str, int] = {}
    db = sqlite3.connect(path)
    try:
        _create_metadata(db)
        for collection in chosen:
            _create_layer(db, collection)
            chosen_query = (queries or {}).get(collection.id, query)
            features = collection.iterate(user, chosen_query)
            counts[collection.id] = _write_features(db, collection, features)
        db.commit()
    finally:
        db.close()
    return counts


def export_to_temporary(
    *, user, query: Query | None = None, queries: dict[str, Query] | None = None
) -> Path:
    handle, name = tempfile.mkstemp(suffix=".gpkg", prefix="tryggnav-")
    os.close(handle)
    path = Path(name)
    path.unlink()
    write(path, user=user, query=query, queries=queries)
    return path


def style_qml(collection: Collection) -> str:
    """A single-symbol QGIS style: points as circles, polygons as outlined fills."""
    colour = COLOURS.get(collection.id, "#444444")
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    if collection.geometry_type == "POINT":
        kind, layer = (
            "marker",
            (
                '<layer class="SimpleMarker" enabled="1" locked="0" pass="0"><Option type="Map">'
                f'<Option name="color" type="QString" value="{r},{g},{b},255"/>'
                '<Option name="name" type="QString" value="circle"/>'
                '<Option name="size" type="QString" value="2.4"/>'
                '<Option name="outline_color" type="QString" value="255,255,255,255"/>'
                "</Option></layer>"
            ),
        )
    else:
        kind, layer = (
            "fill",
            (
                '<layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map">'
                f'<Option name="color" type="QString" value="{r},{g},{b},90"/>'
                f'<Option name="outline_color" type="QString" value="{r},{g},{b},255"/>'
                '<Option name="outline_width" type="QString" value="0.4"/>'
                "</Option></layer>"
            ),
        )
    return (
        '<!DOCTYPE qgis PUBLIC "http://mrcc.com/qgis.dtd" "SYSTEM">'
        '<qgis version="3.28.0" styleCategories="Symbology">'
        '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0"><symbols>'
        f'<symbol type="{kind}" name="0" alpha="1" clip_to_extent="1" force_rhr="0">'
        f"{layer}</symbol></symbols></renderer-v2></qgis>"
    )


__all__ = ["COLLECTIONS", "write", "export_to_temporary", "geometry_blob", "style_qml"]
