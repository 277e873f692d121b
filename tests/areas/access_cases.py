from tests.access import LOGIN_REDIRECT, Case
from tryggnav.areas.models import Area, Place

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
    Case(
        "areas:area_name",
        # Public geography: the outsider (another municipality) gets 403, not 404.
        {"anonymous": LOGIN_REDIRECT, "outsider": 403, "reader": 403, "coordinator": 302},
        args=lambda w: ["0180", Area.objects.get(municipality_id="0180", name="Vinsta").pk],
        method="post",
        data=lambda w: {"name_en": "Vinsta (west)"},
        writes=True,
        public_object=True,
        check=lambda w, before: _assert(
            Area.objects.filter(name="Vinsta", name_en="Vinsta (west)").exists()
        ),
        label="post",
    ),
    Case(
        "areas:area_name",
        GEO | {"outsider": 403, "reader": 403, "coordinator": 200},
        args=lambda w: ["0180", Area.objects.get(municipality_id="0180", name="Vinsta").pk],
    ),
    Case("api:municipalities", {"anonymous": 401, "outsider": 200, "reader": 200}),
    Case("api:areas", {"anonymous": 401, "outsider": 200, "reader": 200}, args=lambda w: ["0180"]),
]


def _assert(condition: bool) -> None:
    assert condition


# Areas' populations: the table is public reference data; importing needs the
# coordinator role in an organisation of the municipality.
POPULATION_CSV = "område;år;folkmängd\nVällingby;2024;8050\n"


def _population_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("folkmangd.csv", POPULATION_CSV.encode(), "text/csv")


def _population_upload(world):
    from django.core.files.base import ContentFile

    from tryggnav.areas.population_import import population_upload_create

    return population_upload_create(
        municipality=world.lead.municipality,
        organisation=world.lead,
        by=world.user("coordinator"),
        filename="folkmangd.csv",
        content=ContentFile(POPULATION_CSV.encode()),
    )


def _upload_kept() -> bool:
    from tryggnav.areas.models import PopulationUpload

    return PopulationUpload.objects.filter(filename="folkmangd.csv").exists()


def _vallingby_population():
    from tryggnav.areas.models import AreaPopulation

    return AreaPopulation.objects.filter(area__name="Vällingby", year=2024, population=8050)


CASES += [
    Case("areas:population", GEO, args=lambda w: ["0180"]),
    Case(
        "areas:population_upload",
        {"anonymous": LOGIN_REDIRECT, "outsider": 403, "reader": 403, "coordinator": 302},
        args=lambda w: ["0180"],
        method="post",
        data=lambda w: {"file": _population_file(), "kind": "", "source": "SCB"},
        writes=True,
        public_object=True,
        check=lambda w, before: _assert(_upload_kept()),
    ),
    Case(
        "areas:population_preview",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 403, "coordinator": 200},
        args=lambda w: ["0180", _population_upload(w).public_id],
    ),
    Case(
        "areas:population_commit",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 403, "coordinator": 302},
        args=lambda w: ["0180", _population_upload(w).public_id],
        method="post",
        writes=True,
        check=lambda w, before: _assert(_vallingby_population().exists()),
    ),
]
