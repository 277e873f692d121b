from tests.access import LOGIN_REDIRECT, Case
from tryggnav.areas.models import Place

# Geography is public reference data: every logged-in user may see it.
GEO = {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200}


def _place(world):
    place = Place(
        municipality_id="0180",
        name="Vällingby torg",
        kind=Place.Kind.SQUARE,
        created_by_organisation=world.lead,
    )
    place.set_geometry({"type": "Point", "coordinates": [17.8717, 59.3632]})
    place.save()
    return place


CASES = [
    Case("areas:index", GEO),
    Case("areas:sweden_geojson", GEO),
    Case("areas:search", GEO, query="q=Väll"),
    Case("areas:municipality", GEO, args=lambda w: ["0180"]),
    Case("areas:municipality_geojson", GEO, args=lambda w: ["0180"]),
    Case(
        "areas:place_create",
        # The municipality is public, so outsiders (elsewhere) get 403, not 404.
        {
            "anonymous": LOGIN_REDIRECT,
            "outsider": 403,
            "reader": 403,
            "reporter": 403,
            "coordinator": 302,
        },
        args=lambda w: ["0180"],
        method="post",
        data=lambda w: {
            "name": "Vinsta torg",
            "kind": "torg",
            "lat": "59.37336",
            "lon": "17.85494",
        },
        writes=True,
        public_object=True,
        check=lambda w, before: _assert(
            Place.objects.filter(name="Vinsta torg", area__name="Vinsta").exists()
        ),
        label="post",
    ),
    Case(
        "areas:place_delete",
        {"anonymous": LOGIN_REDIRECT, "outsider": 403, "reader": 403, "coordinator": 302},
        args=lambda w: ["0180", _place(w).public_id],
        method="post",
        writes=True,
        public_object=True,
        check=lambda w, before: _assert(not Place.objects.filter(name="Vällingby torg").exists()),
    ),
    Case("api:municipalities", {"anonymous": 401, "outsider": 200, "reader": 200}),
    Case("api:areas", {"anonymous": 401, "outsider": 200, "reader": 200}, args=lambda w: ["0180"]),
]


def _assert(condition: bool) -> None:
    assert condition
