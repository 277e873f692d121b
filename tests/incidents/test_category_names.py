"""English names of categories and areas: shown when the page is in English, Swedish otherwise."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.incidents.conftest import report
from tryggnav.areas.models import Area
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.models import Category
from tryggnav.lib.names import localized, localized_name

pytestmark = pytest.mark.django_db


def _english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_the_default_categories_have_english_names():
    defaults = Category.objects.filter(collaboration_group__isnull=True)
    assert defaults.exists()
    assert not defaults.filter(name_en="").exists()
    assert Category.objects.get(slug="klotter", collaboration_group=None).name_en == "Graffiti"


def test_the_helper_picks_by_language_and_falls_back_to_swedish():
    klotter = Category.objects.get(slug="klotter", collaboration_group=None)
    vinsta = Area.objects.get(municipality_id="0180", name="Vinsta")
    assert vinsta.name_en == ""
    with translation.override("en"):
        assert localized_name(klotter) == "Graffiti" == str(klotter)
        assert vinsta.display_name == "Vinsta"  # no English name: the Swedish one
        assert localized("Stöld", "") == "Stöld"
    with translation.override("sv"):
        assert localized_name(klotter) == "Klotter" == klotter.display_name
        assert localized("Stöld", "Theft") == "Stöld"


def test_incident_pages_and_api_in_both_languages(world, categories):
    incident = report(world, persona="coordinator", category=categories["anlagd-brand"])
    client = world.fresh_client("coordinator")
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "<h1>Anlagd brand" in page
    _english(client)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "<h1>Arson" in page
    listing = client.get(reverse("incidents:list")).content.decode()
    assert "Arson" in listing and "Anlagd brand" not in listing


def test_api_answers_in_the_requested_language(world, categories):
    from tryggnav.organisations.models import ApiToken

    report(world, persona="coordinator", category=categories["klotter"])
    _token, key = ApiToken.issue(user=world.users["coordinator"], name="test")
    headers = {"Authorization": f"Bearer {key}"}
    swedish = world.fresh_client("anonymous").get("/api/v1/incidents", headers=headers)
    english = world.fresh_client("anonymous").get(
        "/api/v1/incidents", headers=headers | {"Accept-Language": "en"}
    )
    assert swedish.json()["results"][0]["category_name"] == "Klotter"
    assert english.json()["results"][0]["category_name"] == "Graffiti"


def test_a_group_category_with_its_english_name(world):
    client = world.fresh_client("coordinator")
    response = client.post(
        reverse("incidents:category_create", args=[world.group.slug]),
        {"name": "Mopedåkning", "name_en": "Moped riding", "group": "ordningsstorning"},
    )
    assert response.status_code == 302
    category = Category.objects.get(collaboration_group=world.group, name="Mopedåkning")
    assert category.name_en == "Moped riding"
    _english(client)
    page = client.get(reverse("incidents:categories", args=[world.group.slug])).content.decode()
    assert "Moped riding" in page


def test_an_area_english_name_is_edited_audited_and_shown(world):
    vinsta = Area.objects.get(municipality_id="0180", name="Vinsta")
    client = world.fresh_client("coordinator")
    url = reverse("areas:area_name", args=["0180", vinsta.pk])
    assert client.post(url, {"name_en": "Vinsta West"}).status_code == 302
    vinsta.refresh_from_db()
    assert vinsta.name_en == "Vinsta West"
    assert AuditEntry.objects.filter(object_id=str(vinsta.pk), action="update").exists()
    page = client.get(reverse("areas:municipality", args=["0180"])).content.decode()
    assert "Vinsta West" not in page
    _english(client)
    page = client.get(reverse("areas:municipality", args=["0180"])).content.decode()
    assert "Vinsta West" in page


def test_a_reader_cannot_edit_an_area_name(world):
    vinsta = Area.objects.get(municipality_id="0180", name="Vinsta")
    url = reverse("areas:area_name", args=["0180", vinsta.pk])
    assert world.fresh_client("reader").post(url, {"name_en": "X"}).status_code == 403
    vinsta.refresh_from_db()
    assert vinsta.name_en == ""


def test_the_lagesbild_map_names_categories_in_english(world, categories):
    from tryggnav.incidents.models import Incident
    from tryggnav.incidents.weeks import IsoWeek

    incident = report(world, persona="coordinator", category=categories["klotter"], hours_ago=1)
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.REVIEWED)
    week = IsoWeek.of(incident.occurred_from.date())
    url = reverse("lagesbild:group_map", args=[world.group.slug])

    def names(client) -> set[str]:
        features = client.get(url, {"vecka": str(week)}).json()["features"]
        return {f["properties"]["name"] for f in features if f["properties"]["layer"] == "incident"}

    client = world.fresh_client("coordinator")
    assert names(client) == {"Klotter"}
    _english(client)
    assert names(client) == {"Graffiti"}
