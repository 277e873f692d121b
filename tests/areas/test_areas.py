"""Geography: the national data, area import (good and bad files), the point locator, maps."""

import gzip
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tryggnav.areas.locator import locate_area, locate_areas, locate_municipalities
from tryggnav.areas.models import Area, County, Municipality
from tryggnav.areas.services import areas_import, geography_load
from tryggnav.lib.errors import InputError

SQUARE = [[[17.0, 59.0], [17.1, 59.0], [17.1, 59.1], [17.0, 59.1], [17.0, 59.0]]]


def _write(tmp_path, name, data, *, raw=None):
    path = tmp_path / name
    path.write_bytes(raw if raw is not None else json.dumps(data).encode())
    return path


def _collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(name, coords=SQUARE, **props):
    return {
        "type": "Feature",
        "properties": {"name": name, **props},
        "geometry": {"type": "Polygon", "coordinates": coords},
    }


def test_national_geography_is_complete(db):
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290
    huddinge = Municipality.objects.get(code="0126")
    assert huddinge.short_name == "Huddinge" and huddinge.county_id == "01"
    assert huddinge.population > 100_000 and huddinge.geometry["type"] in (
        "Polygon",
        "MultiPolygon",
    )
    assert Municipality.objects.filter(geometry__isnull=True).count() == 0
    assert geography_load()["created"] == 0  # idempotent


def test_stockholm_has_117_stadsdelar_with_readable_names(db):
    areas = Area.objects.filter(municipality_id="0180", kind=Area.Kind.STADSDEL)
    assert areas.count() == 117
    assert areas.filter(name="Hässelby gård").exists()
    assert areas.filter(name="Vällingby").exists()


def test_locator_finds_districts_and_municipalities(db):
    # Points well inside: Vällingby centrum, Kista, Gamla stan; Huddinge; a point in the sea.
    lons = [17.8717, 17.9445, 18.0710, 17.9817, 19.5]
    lats = [59.3632, 59.4032, 59.3250, 59.2367, 59.0]
    ids = locate_areas(lons, lats, municipality_code="0180")
    names = [Area.objects.get(pk=i).name if i else None for i in ids]
    assert names[:3] == ["Vällingby", "Kista", "Gamla stan"]
    assert names[3:] == [None, None]
    assert locate_municipalities(lons, lats) == ["0180", "0180", "0180", "0126", None]
    assert locate_area(17.8717, 59.3632).name == "Vällingby"


def test_locator_sees_new_areas_without_restart(db):
    assert locate_area(17.05, 59.05) is None
    areas_import(
        path=_tmp_geojson(_collection(_feature("Testområde"))),
        municipality_code="0180",
        kind="egen",
        name_field="name",
    )
    assert locate_area(17.05, 59.05).name == "Testområde"


def _tmp_geojson(data):
    import tempfile
    from pathlib import Path

    handle = tempfile.NamedTemporaryFile("wb", suffix=".geojson", delete=False)
    handle.write(json.dumps(data).encode())
    handle.close()
    return Path(handle.name)


def test_import_areas_command_is_idempotent_and_updates(tmp_path, db, capsys):
    path = _write(
        tmp_path,
        "a.geojson",
        _collection(_feature("NORRA", code="N1"), _feature("SÖDRA", code="S1")),
    )
    call_command(
        "import_areas",
        str(path),
        "--municipality",
        "0126",
        "--kind",
        "kommundel",
        "--name-field",
        "name",
        "--code-field",
        "code",
        "--name-case",
        "capitalize",
    )
    assert "2 skapade" in capsys.readouterr().out
    assert set(
        Area.objects.filter(municipality_id="0126", kind="kommundel").values_list("name", flat=True)
    ) == {"Norra", "Södra"}
    call_command(
        "import_areas",
        str(path),
        "--municipality",
        "0126",
        "--kind",
        "kommundel",
        "--name-field",
        "name",
        "--code-field",
        "code",
        "--name-case",
        "capitalize",
    )
    assert "2 oförändrade" in capsys.readouterr().out
    bigger = [[[17.0, 59.0], [17.2, 59.0], [17.2, 59.2], [17.0, 59.2], [17.0, 59.0]]]
    path = _write(tmp_path, "b.geojson", _collection(_feature("NORRA", bigger, code="N1")))
    call_command(
        "import_areas",
        str(path),
        "--municipality",
        "0126",
        "--kind",
        "kommundel",
        "--name-field",
        "name",
        "--code-field",
        "code",
        "--name-case",
        "capitalize",
    )
    assert "1 uppdaterade" in capsys.readouterr().out
    assert Area.objects.get(code="N1").max_lon == pytest.approx(17.2)


BAD_INPUTS = [
    ("empty.geojson", None, b"", "Filen är tom"),
    ("truncated.geojson", None, b'{"type": "FeatureCollection", "features": [', "Ogiltig JSON"),
    ("latin1.geojson", None, '{"name": "Vårby"}'.encode("latin-1"), "inte UTF-8"),
    ("list.geojson", [1, 2], None, "FeatureCollection"),
    ("nofeatures.geojson", _collection(), None, "inga objekt"),
    (
        "noname.geojson",
        _collection(
            _feature("A"),
            {
                "type": "Feature",
                "properties": {"x": 1},
                "geometry": {"type": "Polygon", "coordinates": SQUARE},
            },
        ),
        None,
        "rad/row 2, fält/field 'name'",
    ),
    (
        "point.geojson",
        _collection(
            {
                "type": "Feature",
                "properties": {"name": "P"},
                "geometry": {"type": "Point", "coordinates": [17, 59]},
            }
        ),
        None,
        "Polygon eller MultiPolygon",
    ),
    (
        "sweref.geojson",
        _collection(
            _feature(
                "A", [[[674000, 6580000], [675000, 6580000], [675000, 6581000], [674000, 6580000]]]
            )
        ),
        None,
        "inte longitud/latitud",
    ),
    (
        "crs.geojson",
        {
            **_collection(_feature("A")),
            "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
        },
        None,
        "EPSG:3006",
    ),
    ("dup.geojson", _collection(_feature("A"), _feature("A")), None, "två gånger"),
]


@pytest.mark.parametrize("name,data,raw,message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_area_files_give_a_clear_message_and_change_nothing(
    tmp_path, db, name, data, raw, message
):
    before = Area.objects.count()
    path = _write(tmp_path, name, data, raw=raw)
    with pytest.raises(InputError) as error:
        areas_import(path=path, municipality_code="0126", kind="kommundel", name_field="name")
    assert message in str(error.value)
    assert name in str(error.value)
    assert " / " in str(error.value)  # Swedish / English
    assert Area.objects.count() == before
    with pytest.raises(CommandError) as command_error:
        call_command(
            "import_areas",
            str(path),
            "--municipality",
            "0126",
            "--kind",
            "kommundel",
            "--name-field",
            "name",
        )
    assert message in str(command_error.value)


def test_one_bad_feature_stops_the_whole_file(tmp_path, db):
    path = _write(
        tmp_path,
        "mixed.geojson",
        _collection(
            _feature("Bra"), {"type": "Feature", "properties": {"name": "Trasig"}, "geometry": None}
        ),
    )
    with pytest.raises(InputError):
        areas_import(path=path, municipality_code="0126", kind="egen", name_field="name")
    assert not Area.objects.filter(name="Bra").exists()


def test_unknown_municipality_and_gzip(tmp_path, db):
    path = tmp_path / "a.geojson.gz"
    path.write_bytes(gzip.compress(json.dumps(_collection(_feature("G"))).encode()))
    with pytest.raises(InputError, match="Okänd kommunkod"):
        areas_import(path=path, municipality_code="9999", kind="egen", name_field="name")
    result = areas_import(path=path, municipality_code="0126", kind="egen", name_field="name")
    assert result.created == 1


def test_areas_page_and_map_data(world):
    client = world.client("reader")
    page = client.get(reverse("areas:municipality", args=["0180"])).content.decode()
    assert "Vällingby" in page and "data-map" in page
    data = client.get(reverse("areas:municipality_geojson", args=["0180"])).json()
    layers = [f["properties"]["layer"] for f in data["features"]]
    assert layers.count("area") == 117 and layers.count("municipality") == 1
    sweden = client.get(reverse("areas:sweden_geojson")).json()
    assert len(sweden["features"]) == 290
    assert client.get(reverse("areas:municipality", args=["9999"])).status_code == 404


def test_place_gets_its_area(world):
    client = world.client("coordinator")
    response = client.post(
        reverse("areas:place_create", args=["0180"]),
        {"name": "Vällingby torg", "kind": "torg", "lat": "59.36645", "lon": "17.87424"},
    )
    assert response.status_code == 302
    from tryggnav.areas.models import Place

    place = Place.objects.get(name="Vällingby torg")
    assert place.area.name == "Vällingby"
    again = client.post(
        reverse("areas:place_create", args=["0180"]),
        {"name": "Vällingby torg", "kind": "torg", "lat": "59.36645", "lon": "17.87424"},
    )
    assert again.status_code == 200
    assert "redan en plats" in again.content.decode()
