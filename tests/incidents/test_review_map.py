"""The review page shows the report on a map, with the possible duplicates near it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.incidents.conftest import ensure_categories, report

pytestmark = pytest.mark.django_db


def test_the_review_map_has_the_report_its_area_and_the_duplicates_near_it(world):
    ensure_categories()
    keep = report(world, text="Klotter, första rapporten")
    incident = report(world, text="Klotter, samma vägg")
    client = world.client("coordinator")
    page = client.get(reverse("incidents:review", args=[world.group.slug, incident.public_id]))
    url = reverse("incidents:review_geojson", args=[world.group.slug, incident.public_id])
    assert url in page.content.decode()
    data = client.get(url).json()
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    assert points[0]["geometry"]["coordinates"] == [incident.lon, incident.lat]
    assert points[0]["properties"]["name"] == "Rapporten som granskas"
    assert [p["geometry"]["coordinates"] for p in points[1:]] == [[keep.lon, keep.lat]]
    assert data["features"][0]["properties"]["name"] == incident.area.name
    west, south, east, north = data["bbox"]
    assert west < incident.lon < east and south < incident.lat < north
