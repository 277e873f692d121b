"""The GeoPackage export: the spec's tables, one layer per collection the user may see,
the same features as the API, styles for QGIS; from the page and the command."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.incidents.conftest import report
from tryggnav.incidents.models import Incident
from tryggnav.ogc import gpkg

pytestmark = pytest.mark.django_db


def _layers(path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == gpkg.APPLICATION_ID
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = [
            r[0]
            for r in db.execute(
                "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid"
            )
        ]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_the_export_has_a_layer_per_visible_collection(world, tmp_path):
    exact = report(world, persona="coordinator")
    report(world, persona="coordinator", precision=Incident.Precision.MUNICIPALITY)
    path = tmp_path / "reader.gpkg"
    counts = gpkg.write(path, user=world.users["reader"])
    layers = _layers(path)
    assert list(layers) == ["areas", "incidents", "weekly_counts", "hotspots"]
    assert layers == {k.replace("-", "_"): v for k, v in counts.items()}
    assert layers["incidents"] == 2 and layers["areas"] > 290
    with sqlite3.connect(path) as db:
        rows = dict(db.execute("SELECT feature_id, geom IS NULL FROM incidents"))
        assert rows[str(exact.public_id)] == 0 and sorted(rows.values()) == [0, 1]
        blob = db.execute("SELECT geom FROM incidents WHERE geom IS NOT NULL").fetchone()[0]
        assert blob[:2] == b"GP"
        styles = db.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall()
        assert {s[0] for s in styles} == set(layers) and all("<qgis" in s[1] for s in styles)
    outsider = tmp_path / "outsider.gpkg"
    gpkg.write(outsider, user=world.users["outsider"])
    assert _layers(outsider)["incidents"] == 0


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL (gdal-bin) saknas")
def test_gdal_opens_the_export(world, tmp_path):
    report(world, persona="coordinator")
    path = tmp_path / "export.gpkg"
    gpkg.write(path, user=world.users["reader"])
    out = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "Layer name: incidents" in out and "Layer name: areas" in out
    assert "Geometry: Point" in out and "Geometry: Multi Polygon" in out
    assert "category_group: String" in out and "population: Integer" in out
    incidents = out.split("Layer name: incidents")[1]
    assert "Feature Count: 1\n" in incidents


def test_download_from_the_page(client, world, tmp_path):
    response = client.get(reverse("ogc:export"))
    assert response.status_code == 200
    assert "tryggnav.gpkg" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body[:16] == b"SQLite format 3\x00"
    # A member's download: the last twelve months of incidents unless datetime says more.
    recent = report(world, persona="coordinator")
    old = report(world, persona="coordinator", hours_ago=24 * 400)
    for params, expected in (
        ({}, 1),
        ({"bbox": "10,55,11,56"}, 0),
        ({"datetime": "2000-01-01/2000-01-02"}, 0),
    ):
        reader = world.client("reader").get(reverse("ogc:export"), params)
        assert reader.status_code == 200, reader.content
        path = tmp_path / f"{expected}.gpkg"
        path.write_bytes(b"".join(reader.streaming_content))
        assert _layers(path)["incidents"] == expected
    assert recent.pk != old.pk
    bad = world.client("reader").get(reverse("ogc:export"), {"bbox": "x"})
    assert bad.status_code == 400


def test_the_command_writes_and_refuses_clearly(world, tmp_path):
    report(world, persona="coordinator")
    target = tmp_path / "cmd.gpkg"
    call_command("export_gpkg", str(target), user="reader@sdf.example", collection=["incidents"])
    assert _layers(target) == {"incidents": 1}
    with pytest.raises(CommandError) as existing:
        call_command("export_gpkg", str(target))
    assert "finns redan" in str(existing.value) and existing.value.returncode == 2
    with pytest.raises(CommandError) as unknown:
        call_command("export_gpkg", str(tmp_path / "x.gpkg"), user="nobody@example.org")
    assert "Ingen aktiv användare" in str(unknown.value)
    with pytest.raises(CommandError) as bad_bbox:
        call_command("export_gpkg", str(tmp_path / "y.gpkg"), bbox="1,2")
    assert "bbox" in str(bad_bbox.value)
    assert not (tmp_path / "x.gpkg").exists() and not (tmp_path / "y.gpkg").exists()
