"""The municipality's administration of areas, places, the police feed and the map
background: an admin of the municipality's own organisation only (see admin_access_cases)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import Case
from tests.organisations.admin_access_cases import ADMIN_READ, ADMIN_WRITE, _ok
from tryggnav.areas.models import Area, AreaUpload, Place, TileServer
from tryggnav.areas.uploads import area_upload_create
from tryggnav.incidents.models import PoliceFeed

SQUARE = [[[17.9, 59.33], [17.91, 59.33], [17.91, 59.34], [17.9, 59.34], [17.9, 59.33]]]
GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"namn": "Matrisparken", "kod": "MP"},
                "geometry": {"type": "Polygon", "coordinates": SQUARE},
            }
        ],
    }
).encode()
MAPPING = {"name_field": "namn", "code_field": "kod", "kind": "egen"}


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _upload(world):
    return area_upload_create(
        municipality=world.lead.municipality,
        organisation=world.lead,
        by=world.users["admin"],
        filename="omraden.geojson",
        content=_file("omraden.geojson", GEOJSON),
    )


def _vinsta(world) -> Area:
    return Area.objects.get(municipality_id="0180", name="Vinsta")


GEOGRAPHY_CASES = [
    Case("organisations:admin_areas", ADMIN_READ, args=lambda w: [w.lead.slug]),
    Case(
        "organisations:admin_areas",
        ADMIN_WRITE,
        label="upload",
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {"file": _file("matris.geojson", GEOJSON)},
        writes=True,
        check=lambda w, before: _ok(
            AreaUpload.objects.filter(filename="matris.geojson").exists(),
            "no upload",
        ),
    ),
    Case(
        "organisations:admin_area_preview",
        ADMIN_READ,
        args=lambda w: [w.lead.slug, _upload(w).public_id],
        query="name_field=namn&code_field=kod&kind=egen",
    ),
    Case(
        "organisations:admin_area_preview_geojson",
        ADMIN_READ,
        args=lambda w: [w.lead.slug, _upload(w).public_id],
        query="name_field=namn&code_field=kod&kind=egen",
    ),
    Case(
        "organisations:admin_area_confirm",
        ADMIN_WRITE,
        args=lambda w: [w.lead.slug, _upload(w).public_id],
        method="post",
        data=lambda w: MAPPING,
        writes=True,
        check=lambda w, before: _ok(
            Area.objects.filter(municipality_id="0180", code="MP", name="Matrisparken").exists(),
            "not imported",
        ),
    ),
    Case(
        "organisations:admin_area_rename",
        ADMIN_WRITE,
        args=lambda w: [w.lead.slug, _vinsta(w).pk],
        method="post",
        data=lambda w: {"name": "Vinsta gård"},
        writes=True,
        check=lambda w, before: _ok(
            Area.objects.filter(municipality_id="0180", name="Vinsta gård").exists(), "not renamed"
        ),
    ),
    Case(
        "organisations:admin_area_retire",
        ADMIN_WRITE,
        args=lambda w: [w.lead.slug, _vinsta(w).pk],
        method="post",
        writes=True,
        check=lambda w, before: _ok(
            Area.objects.filter(name="Vinsta", retired__isnull=False).exists(), "not retired"
        ),
    ),
    Case("organisations:admin_places", ADMIN_READ, args=lambda w: [w.lead.slug]),
    Case(
        "organisations:admin_places",
        ADMIN_WRITE,
        label="click",
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {"name": "Vinsta torg", "kind": "torg", "lat": "59.355", "lon": "17.87"},
        writes=True,
        check=lambda w, before: _ok(Place.objects.filter(name="Vinsta torg").exists(), "no place"),
    ),
    Case(
        "organisations:admin_places_import",
        ADMIN_WRITE,
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {"file": _file("p.csv", b"namn,lat,lon\nVinsta C,59.355,17.87\n")},
        writes=True,
        check=lambda w, before: _ok(Place.objects.filter(name="Vinsta C").exists(), "no place"),
    ),
    Case("police_feed:settings", ADMIN_READ, args=lambda w: [w.lead.slug]),
    Case(
        "police_feed:settings",
        ADMIN_WRITE,
        label="save",
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {"municipalities": ["0180"]},
        writes=True,
        check=lambda w, before: _ok(
            PoliceFeed.objects.filter(organisation=w.lead, municipalities="0180").exists(),
            "not saved",
        ),
    ),
    Case("organisations:admin_map_tiles", ADMIN_READ, args=lambda w: [w.lead.slug]),
    Case(
        "organisations:admin_map_tiles",
        ADMIN_WRITE,
        label="save",
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {"url": "https://karta.example.se/{z}/{x}/{y}.png", "attribution": "K"},
        writes=True,
        check=lambda w, before: _ok(
            TileServer.objects.filter(url__startswith="https://karta.example.se").exists(),
            "not saved",
        ),
    ),
]
