"""The municipality's administration of areas and places, through HTTP and the database:
upload with preview, field mapping and confirm (GeoJSON, and a real GeoPackage written
by GDAL's ogr2ogr), refusals that change nothing, rename, retire, places by a click and
from CSV."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.incidents.conftest import report
from tryggnav.areas.locator import locate_area
from tryggnav.areas.models import Area, AreaUpload, Place
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.forms import ReportForm
from tryggnav.organisations.access import get_group

pytestmark = pytest.mark.django_db

needs_ogr2ogr = pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="GDAL (gdal-bin) saknas")


def _square(lon: float, lat: float, size: float = 0.01) -> list:
    return [
        [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    ]


def _feature(props: dict, coordinates=None, kind="Polygon") -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": kind, "coordinates": coordinates or _square(18.0, 59.3)},
    }


def _collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


GOOD = _collection(
    _feature({"OMR_NAMN": "Norra parken", "OMR_KOD": "NP1", "ovrigt": 1}, _square(17.90, 59.33)),
    _feature({"OMR_NAMN": "Södra torget", "OMR_KOD": "ST2", "ovrigt": 2}, _square(17.92, 59.33)),
)
MAPPING = {"name_field": "OMR_NAMN", "code_field": "OMR_KOD", "kind": "egen"}


def _url(name: str, world, *args) -> str:
    return reverse(f"organisations:{name}", args=[world.lead.slug, *args])


def _upload(world, name: str, content: bytes):
    return world.client("admin").post(
        _url("admin_areas", world), {"file": SimpleUploadedFile(name, content)}
    )


def _uploaded(world, name: str, content: bytes) -> AreaUpload:
    response = _upload(world, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    return AreaUpload.objects.get(filename=name)


def _custom_areas():
    return Area.objects.filter(municipality_id="0180", kind="egen")


def test_geojson_preview_maps_the_names_and_saves_nothing_until_confirmed(world):
    upload = _uploaded(world, "omraden.geojson", GOOD)
    client = world.client("admin")
    # First view: the mapping is guessed; with the chosen fields the names show.
    page = client.get(_url("admin_area_preview", world, upload.public_id), MAPPING)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Norra parken" in text and "Södra torget" in text and "OMR_KOD" in text
    features = client.get(
        _url("admin_area_preview_geojson", world, upload.public_id), MAPPING
    ).json()["features"]
    assert [f["properties"]["name"] for f in features] == ["Norra parken", "Södra torget"]
    assert not _custom_areas().exists()
    # Another mapping: the other property becomes the name.
    other = client.get(
        _url("admin_area_preview_geojson", world, upload.public_id),
        {**MAPPING, "name_field": "OMR_KOD"},
    ).json()["features"]
    assert [f["properties"]["name"] for f in other] == ["NP1", "ST2"]

    response = client.post(_url("admin_area_confirm", world, upload.public_id), MAPPING)
    assert response.status_code == 302
    assert sorted(_custom_areas().values_list("code", "name")) == [
        ("NP1", "Norra parken"),
        ("ST2", "Södra torget"),
    ]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT, object_type="areas.area")
    assert entry.organisation_id == world.lead.pk and entry.changes["name_field"] == "OMR_NAMN"
    # Sent again: refused, nothing doubled.
    client.post(_url("admin_area_confirm", world, upload.public_id), MAPPING)
    assert _custom_areas().count() == 2
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1


@needs_ogr2ogr
def test_a_geopackage_written_by_ogr2ogr_is_read_without_gdal(world, tmp_path):
    source = tmp_path / "omraden.geojson"
    source.write_bytes(GOOD)
    target = tmp_path / "omraden.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(target), str(source), "-nln", "omraden"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    upload = _uploaded(world, "omraden.gpkg", target.read_bytes())
    client = world.client("admin")
    page = client.get(_url("admin_area_preview", world, upload.public_id), MAPPING)
    assert "Norra parken" in page.content.decode()
    assert not _custom_areas().exists()
    client.post(_url("admin_area_confirm", world, upload.public_id), MAPPING)
    area = _custom_areas().get(code="NP1")
    assert area.name == "Norra parken"
    assert (area.min_lon, area.min_lat, area.max_lon, area.max_lat) == pytest.approx(
        (17.90, 59.33, 17.91, 59.34)
    )
    assert locate_area(17.905, 59.335, kinds=["egen"]) == area


NAN_RING = "[[[17.9, 59.3], [NaN, 59.3], [17.91, 59.31], [17.9, 59.3]]]"


@pytest.mark.parametrize(
    ("name", "content", "mapping", "expected"),
    [
        ("fel.gpkg", b"not an sqlite database at all", None, "inte en SQLite"),
        (
            "punkter.geojson",
            _collection(_feature({"OMR_NAMN": "A", "OMR_KOD": "A"}, [17.9, 59.3], "Point")),
            MAPPING,
            "Polygon eller MultiPolygon",
        ),
        (
            "oppen.geojson",
            _collection(
                _feature(
                    {"OMR_NAMN": "A", "OMR_KOD": "A"},
                    [[[17.9, 59.3], [17.91, 59.3], [17.9, 59.31]]],
                )
            ),
            MAPPING,
            "inte sluten",
        ),
        (
            "nan.geojson",
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties":'
            b' {"OMR_NAMN": "A", "OMR_KOD": "A"}, "geometry": {"type": "Polygon",'
            b' "coordinates": ' + NAN_RING.encode() + b"}}]}",
            MAPPING,
            "objekt 1, geometry: Geometrin har en punkt som inte är två ändliga tal",
        ),
        (
            "utan-namn.geojson",
            _collection(
                _feature({"OMR_NAMN": "A", "OMR_KOD": "A"}),
                _feature({"OMR_KOD": "B"}, _square(17.95, 59.3)),
            ),
            MAPPING,
            "objekt 2, OMR_NAMN",
        ),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_written(
    world, name, content, mapping, expected
):
    before = Area.objects.count()
    response = _upload(world, name, content)
    if response.status_code == 400:  # refused at the upload
        text = response.content.decode()
    else:
        upload = AreaUpload.objects.get(filename=name)
        text = (
            world.client("admin")
            .get(_url("admin_area_preview", world, upload.public_id), mapping)
            .content.decode()
        )
        confirm = world.client("admin").post(
            _url("admin_area_confirm", world, upload.public_id), mapping, follow=True
        )
        assert "Inget importerades" in confirm.content.decode()
    assert expected in text.replace("&#x27;", "'"), text[:3000]
    assert Area.objects.count() == before


def test_a_too_large_file_is_refused(world, settings):
    settings.TRYGGNAV_MAX_IMPORT_BYTES = 100
    response = _upload(world, "stor.geojson", GOOD)
    assert response.status_code == 400
    assert "för stor" in response.content.decode()
    assert not AreaUpload.objects.exists()


def test_another_municipalitys_admin_cannot_see_the_upload(world):
    upload = _uploaded(world, "omraden.geojson", GOOD)
    url = reverse("organisations:admin_area_preview", args=[world.other.slug, upload.public_id])
    assert world.client("outsider").get(url).status_code == 404


def test_rename_is_audited(world):
    area = Area.objects.get(municipality_id="0180", name="Vinsta")
    response = world.client("admin").post(
        _url("admin_area_rename", world, area.pk), {"name": "Vinsta gård"}
    )
    assert response.status_code == 302
    assert Area.objects.get(pk=area.pk).name == "Vinsta gård"
    entry = AuditEntry.objects.filter(object_type="areas.area", object_id=str(area.pk)).get()
    assert entry.changes["name"] == ["Vinsta", "Vinsta gård"]


VALLINGBY = (59.3632, 17.8717)


def test_a_retired_area_keeps_its_incidents_and_gets_no_new_ones(world):
    area = Area.objects.get(municipality_id="0180", name="Vällingby")
    old = report(world)
    assert old.area == area
    response = world.client("admin").post(_url("admin_area_retire", world, area.pk))
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.retired is not None
    old.refresh_from_db()
    assert old.area == area  # history kept
    assert locate_area(VALLINGBY[1], VALLINGBY[0], kinds=["stadsdel"]) is None
    new = report(world)
    assert new.area != area
    # The reporting form and the group's responsibilities do not offer it.
    access = get_group(world.users["reporter"], world.group.slug, report=True)
    offered = ReportForm(accesses=[access]).fields["area"].queryset
    assert area not in offered and offered.filter(name="Vinsta").exists()
    page = world.client("admin").get(_url("admin_group", world, world.group.slug)).content.decode()
    assert f'value="{area.pk}"' in page  # the group still has it, shown to untick
    world.group.areas.remove(area)
    page = world.client("admin").get(_url("admin_group", world, world.group.slug)).content.decode()
    assert f'value="{area.pk}"' not in page
    # Retiring twice is refused, the date kept.
    retired = area.retired
    world.client("admin").post(_url("admin_area_retire", world, area.pk))
    assert Area.objects.get(pk=area.pk).retired == retired


def test_a_place_by_a_click_on_the_map(world):
    client = world.client("admin")
    page = client.get(_url("admin_places", world))
    key = page.context["form"]["form_key"].value()
    data = {"name": "Vällingby torg", "kind": "torg", "lat": "59.3632", "lon": "17.8717"}
    response = client.post(_url("admin_places", world), {**data, "form_key": key})
    assert response.status_code == 302
    place = Place.objects.get(name="Vällingby torg")
    assert place.area.name == "Vällingby" and place.kind == "torg"
    assert AuditEntry.objects.filter(object_type="areas.place", action="create").exists()
    # The same form sent twice creates once; outside the municipality is refused.
    client.post(_url("admin_places", world), {**data, "form_key": key})
    assert Place.objects.filter(name="Vällingby torg").count() == 1
    outside = client.post(
        _url("admin_places", world), {**data, "name": "Flempan", "lat": "59.2", "lon": "17.98"}
    )
    assert outside.status_code == 400 and "utanför" in outside.content.decode()
    assert not Place.objects.filter(name="Flempan").exists()


def _csv(world, text: str):
    return world.client("admin").post(
        _url("admin_places_import", world),
        {"file": SimpleUploadedFile("platser.csv", text.encode())},
    )


def test_places_from_csv_all_or_nothing_with_row_errors(world):
    bad = (
        "namn;lat;lon;område\n"
        "Vinsta torg;59.355;17.87;Vinsta\n"
        "Trasig;59,x;17.87;\n"
        "Okänt område;59.36;17.87;Atlantis\n"
    )
    response = _csv(world, bad)
    text = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    assert "rad 3, lat" in text and "rad 4, area" in text and "Atlantis" in text
    assert not Place.objects.exists()
    good = "name,lat,lon,area\nVinsta torg,59.355,17.87,Vinsta\nVällingby C,59.3632,17.8717,\n"
    assert _csv(world, good).status_code == 302
    places = {p.name: p.area.name for p in Place.objects.select_related("area")}
    assert places == {"Vinsta torg": "Vinsta", "Vällingby C": "Vällingby"}
    assert _csv(world, "namn;lat\nA;59.3\n").status_code == 400
    assert Place.objects.count() == 2
