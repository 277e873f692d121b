"""Incidents known only to the county (police events without a municipality) on every page."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import make_user
from tests.incidents.conftest import report
from tryggnav.incidents.importers.police import police_import
from tryggnav.incidents.models import Incident
from tryggnav.organisations.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db

QUIRKS = Path(__file__).parent / "fixtures" / "police_quirks.json"


@pytest.fixture
def county_event(db) -> Incident:
    police_import(path=QUIRKS)
    incident = Incident.objects.get(external_id="500008")
    assert incident.municipality is None and incident.precision == Incident.Precision.COUNTY
    return incident


def test_list_filtered_to_county_precision_shows_the_county(world, county_event):
    response = world.client("coordinator").get(reverse("incidents:list"), {"precision": "county"})
    assert response.status_code == 200
    assert "Västra Götalands län" in response.content.decode()


def test_user_of_an_organisation_in_no_group_sees_the_police_events(world, county_event):
    lonely = Organisation.objects.create(
        name="Ensam förening", slug="ensam", kind=Organisation.Kind.ASSOCIATION
    )
    user = make_user("ensam@forening.example")
    Membership.objects.create(user=user, organisation=lonely, role=Role.ADMIN)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("incidents:list"))
    assert response.status_code == 200
    assert "Västra Götalands län" in response.content.decode()


def test_county_level_group_report_in_queue_review_and_detail(world, categories):
    incident = report(world, point=None, precision=Incident.Precision.MUNICIPALITY)
    Incident.objects.filter(pk=incident.pk).update(
        municipality=None, area=None, county_id="01", precision=Incident.Precision.COUNTY
    )
    client = world.client("coordinator")
    for url in (
        reverse("incidents:review_queue", args=[world.group.slug]),
        reverse("incidents:review", args=[world.group.slug, incident.public_id]),
        incident.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Stockholms län" in response.content.decode(), url
