"""No data from another group in pages, exports or the API; masking outside the organisation."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.incidents.conftest import report
from tryggnav.incidents.models import Incident

pytestmark = pytest.mark.django_db

SECRET = "Ägaren ringde från 070-123 45 67"


@pytest.fixture
def incidents(world, categories):
    return {
        "shared": report(world, text=SECRET, status="reviewed"),
        "submitted": report(world, text="Ej granskad ännu"),
        "private": report(
            world, text="Bara internt", status="reviewed", sharing=Incident.Sharing.ORGANISATION
        ),
        "foreign": report(
            world,
            persona="outsider",
            organisation=world.other,
            group=world.other_group,
            text="Annan grupps rapport",
            status="reviewed",
        ),
    }


def _all_outputs(client) -> str:
    parts = [client.get(reverse("incidents:list")).content.decode()]
    parts.append(client.get(reverse("incidents:map_geojson")).content.decode())
    parts.append(
        b"".join(client.get(reverse("incidents:export", args=["csv"])).streaming_content).decode()
    )
    parts.append(client.get(reverse("incidents:export", args=["geojson"])).content.decode())
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("incidents:export", args=["xlsx"])).content)
    )
    parts.append(
        json.dumps(
            [list(r) for r in workbook.active.iter_rows(values_only=True)],
            default=str,
            ensure_ascii=False,
        )
    )
    parts.append(client.get("/api/v1/incidents?page_size=500").content.decode())
    return "\n".join(parts)


def test_reader_sees_reviewed_shared_reports_masked_and_nothing_else(world, incidents):
    output = _all_outputs(world.client("reader"))
    assert "070-123 45 67" not in output
    assert "[telefon]" in output
    for hidden in ("Ej granskad ännu", "Bara internt", "Annan grupps rapport"):
        assert hidden not in output
        # Not even by id.
    for key in ("submitted", "private", "foreign"):
        assert str(incidents[key].public_id) not in output


def test_outsider_sees_nothing_of_the_group(world, incidents):
    output = _all_outputs(world.client("outsider"))
    assert "Annan grupps rapport" in output
    for key in ("shared", "submitted", "private"):
        assert str(incidents[key].public_id) not in output
    client = world.client("outsider")
    assert client.get(incidents["shared"].get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/incidents/{incidents['shared'].public_id}").status_code == 404


def test_reporting_organisation_sees_full_text_on_pages_but_masked_in_exports(world, incidents):
    client = world.client("reporter")
    page = client.get(incidents["shared"].get_absolute_url()).content.decode()
    assert SECRET in page
    csv_text = b"".join(client.get(reverse("incidents:export", args=["csv"])).streaming_content)
    assert "070-123 45 67" not in csv_text.decode()
    api = client.get(f"/api/v1/incidents/{incidents['shared'].public_id}").json()
    assert api["text"] == "Ägaren ringde från [telefon]"
    # Its own unreviewed and private reports are visible to it.
    listing = client.get(reverse("incidents:list")).content.decode()
    assert "Ej granskad ännu" in listing and "Bara internt" in listing


def test_detail_page_masks_for_other_group_members(world, incidents):
    page = world.client("reader").get(incidents["shared"].get_absolute_url()).content.decode()
    assert "070-123 45 67" not in page
    assert "Ägaren ringde från [telefon]" in page


def test_coordinator_sees_submitted_group_reports_but_not_private_ones(world, incidents):
    client = world.client("coordinator")
    assert client.get(incidents["submitted"].get_absolute_url()).status_code == 200
    assert client.get(incidents["private"].get_absolute_url()).status_code == 404


def test_imprecise_incidents_are_never_map_points(world, categories):
    report(world, text="Kommunnivå", status="reviewed", precision="municipality")
    precise = report(world, text="Exakt", status="reviewed")
    data = world.client("reader").get(reverse("incidents:map_geojson")).json()
    points = [f for f in data["features"] if f["properties"]["layer"] == "incident"]
    assert [p["properties"]["url"] for p in points] == [precise.get_absolute_url()]
    places = [f for f in data["features"] if f["properties"]["layer"] == "place"]
    assert len(places) == 1 and "1 händelser utan exakt läge" in places[0]["properties"]["label"]
    assert "url" not in places[0]["properties"]


def test_filters_narrow_the_list(world, categories):
    report(world, text="Klotterrapport", status="reviewed")
    report(world, text="Brandrapport", status="reviewed", category=categories["anlagd-brand"])
    client = world.client("reader")
    body = client.get(reverse("incidents:list") + "?category=g:brand").content.decode()
    assert "Brandrapport" in body and "Klotterrapport" not in body
    body = client.get(reverse("incidents:list") + "?category=c:klotter").content.decode()
    assert "Klotterrapport" in body and "Brandrapport" not in body
    body = client.get(reverse("incidents:list") + "?status=submitted").content.decode()
    assert "Klotterrapport" not in body
    # Bad filter values do not crash the page.
    assert client.get(reverse("incidents:list") + "?since=igår&area=x").status_code == 200


@pytest.mark.parametrize("name", ["incidents:list", "incidents:map_geojson"])
def test_filter_dates_at_the_ends_of_the_calendar_are_ignored_with_a_message(world, name):
    response = world.client("reader").get(reverse(name), {"since": "0001-01-01"})
    assert response.status_code == 200
    if name == "incidents:list":
        assert "1900-01-01" in response.content.decode()
