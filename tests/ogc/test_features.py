"""OGC API – Features through Django's test client: access per collection, the stored
precision, masking, paging, bbox, datetime and filters, and the HTML views."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.incidents.conftest import VALLINGBY, ensure_categories, report
from tryggnav.incidents.models import Incident
from tryggnav.ogc.views import CONFORMANCE
from tryggnav.organisations.models import ApiToken

pytestmark = pytest.mark.django_db


def _items(client, collection, **params):
    response = client.get(reverse("ogc:items", args=[collection]), params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def _ids(data):
    return {f["id"] for f in data["features"]}


def test_landing_and_conformance_link_the_resources(client):
    landing = client.get(reverse("ogc:landing")).json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    conforms = client.get(reverse("ogc:conformance")).json()["conformsTo"]
    assert conforms == CONFORMANCE
    assert any(c.endswith("ogcapi-features-1/1.0/conf/core") for c in conforms)
    api = client.get(reverse("ogc:api"))
    assert api["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert "/collections/incidents/items" in api.json()["paths"]


def test_anonymous_sees_only_the_public_collection(client, world):
    ids = [c["id"] for c in client.get(reverse("ogc:collections")).json()["collections"]]
    assert ids == ["areas"]
    member = world.client("reader").get(reverse("ogc:collections")).json()["collections"]
    assert [c["id"] for c in member] == ["areas", "incidents", "weekly-counts", "hotspots"]
    for cid in ("incidents", "weekly-counts", "hotspots"):
        response = client.get(reverse("ogc:items", args=[cid]))
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_incidents_follow_the_access_rules(world):
    lead_report = report(world, persona="coordinator", text="Klotter vid entrén")
    police = Incident.objects.create(
        category=ensure_categories()["klotter"],
        occurred_from=timezone.now(),
        reported_at=timezone.now(),
        lat=59.36,
        lon=17.87,
        precision="exact",
        municipality_id="0180",
        source=Incident.Source.POLICE_FEED,
        external_id="p1",
    )
    reader = _ids(_items(world.client("reader"), "incidents"))
    outsider = _ids(_items(world.client("outsider"), "incidents"))
    assert str(lead_report.public_id) in reader
    assert str(lead_report.public_id) not in outsider
    assert str(police.public_id) in outsider and str(police.public_id) in reader
    item = reverse("ogc:item", args=["incidents", lead_report.public_id])
    assert world.client("outsider").get(item).status_code == 404
    assert world.client("reader").get(item).json()["properties"]["category"] == "klotter"


def test_a_token_authenticates_and_a_bad_token_is_refused(client, world):
    lead_report = report(world, persona="coordinator")
    _token, key = ApiToken.issue(user=world.users["outsider"], name="QGIS")
    headers = {"Authorization": f"Bearer {key}"}
    url = reverse("ogc:items", args=["incidents"])
    outsider = client.get(url, headers=headers)
    assert outsider.status_code == 200
    assert str(lead_report.public_id) not in _ids(outsider.json())
    _token, reader_key = ApiToken.issue(user=world.users["reader"], name="QGIS")
    reader = client.get(url, headers={"Authorization": f"Bearer {reader_key}"})
    assert str(lead_report.public_id) in _ids(reader.json())
    bad = client.get(url, headers={"Authorization": "Bearer tn_wrong"})
    assert bad.status_code == 401


def test_an_imprecise_incident_never_shows_as_a_point(world):
    rough = report(world, persona="coordinator", precision=Incident.Precision.MUNICIPALITY)
    assert rough.lat is not None  # a point is stored, but only the municipality is claimed
    exact = report(world, persona="coordinator")
    data = _items(world.client("reader"), "incidents")
    by_id = {f["id"]: f for f in data["features"]}
    assert by_id[str(rough.public_id)]["geometry"] is None
    assert by_id[str(exact.public_id)]["geometry"]["type"] == "Point"
    lat, lon = VALLINGBY
    box = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
    in_box = _ids(_items(world.client("reader"), "incidents", bbox=box))
    assert in_box == {str(exact.public_id)}


def test_text_is_masked(world):
    report(
        world,
        persona="reporter",
        text="Bilen ABC 123 stod där, ring 070-123 45 67",
        status=Incident.Status.REVIEWED,
    )
    for persona in ("reader", "reporter"):
        texts = [
            f["properties"]["text"] for f in _items(world.client(persona), "incidents")["features"]
        ]
        assert texts and all("070" not in t and "ABC 123" not in t for t in texts)


def test_paging_by_next_links_returns_each_feature_once(world):
    made = [report(world, persona="coordinator", hours_ago=h) for h in (1, 2, 2, 2, 3, 4, 5)]
    same = timezone.now() - datetime.timedelta(hours=2)
    Incident.objects.filter(pk__in=[m.pk for m in made[1:4]]).update(occurred_from=same)
    client = world.client("reader")
    data = _items(client, "incidents", limit=3)
    assert data["numberMatched"] == 7 and data["numberReturned"] == 3
    seen = list(_ids(data))
    while True:
        nexts = [link["href"] for link in data["links"] if link["rel"] == "next"]
        if not nexts:
            break
        data = client.get(nexts[0]).json()
        seen += [f["id"] for f in data["features"]]
    assert sorted(seen) == sorted(str(m.public_id) for m in made)


def test_filters_datetime_and_bad_input(world):
    cats = ensure_categories()
    fire = report(world, persona="coordinator", category=cats["anlagd-brand"], hours_ago=30)
    graffiti = report(world, persona="coordinator", category=cats["klotter"], hours_ago=1)
    client = world.client("reader")
    assert _ids(_items(client, "incidents", filter="category_group = 'brand'")) == {
        str(fire.public_id)
    }
    assert _ids(_items(client, "incidents", category="klotter")) == {str(graffiti.public_id)}
    both = "category_group = 'brand' AND precision = 'exact'"
    assert _ids(_items(client, "incidents", filter=both)) == {str(fire.public_id)}
    since = (timezone.now() - datetime.timedelta(hours=5)).isoformat()
    assert _ids(_items(client, "incidents", datetime=f"{since}/..")) == {str(graffiti.public_id)}
    assert _items(client, "incidents", limit=999999)["numberReturned"] == 2
    url = reverse("ogc:items", args=["incidents"])
    for params in (
        {"filter": "category_group = 'nope'"},
        {"filter": "x = 1"},
        {"filter": "category ="},
        {"bbox": "1,2,3"},
        {"limit": "0"},
        {"limit": "ten"},
        {"datetime": "2025-13-01"},
        {"cursor": "garbage"},
        {"filter-lang": "cql2-json", "filter": "a"},
        {"area_id": "x"},
        {"f": "xml"},
    ):
        response = client.get(url, params)
        assert response.status_code == 400, params
        assert response.json()["detail"][0]["sv"], params


def test_areas_are_public_with_bbox_and_filter(client):
    lat, lon = VALLINGBY
    box = f"{lon - 0.005},{lat - 0.005},{lon + 0.005},{lat + 0.005}"
    data = _items(client, "areas", bbox=box, limit=1000)
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Vällingby", "Stockholms kommun"} <= names and "Malmö kommun" not in names
    assert data["numberMatched"] == len(data["features"])
    stadsdel = _items(client, "areas", filter="kind = 'stadsdel' AND name = 'Vällingby'")
    assert [f["properties"]["name"] for f in stadsdel["features"]] == ["Vällingby"]
    municipality = client.get(reverse("ogc:item", args=["areas", "kommun-0180"])).json()
    assert municipality["properties"]["population"] and municipality["geometry"]


def test_areas_page_through_municipalities_into_districts(client):
    seen, data = [], _items(client, "areas", limit=100)
    total = data["numberMatched"]
    while True:
        seen += [f["id"] for f in data["features"]]
        nexts = [link["href"] for link in data["links"] if link["rel"] == "next"]
        if not nexts:
            break
        data = client.get(nexts[0]).json()
    assert len(seen) == len(set(seen)) == total
    assert seen[0] == "kommun-0114" and seen[-1].startswith("omrade-")


def _reviewed(world, **kwargs):
    from tryggnav.incidents.services import incident_review

    incident = report(world, **kwargs)
    incident_review(incident=incident, by=world.users["coordinator"])
    return incident


def test_weekly_counts_carry_expected_value_and_alert(world):
    _reviewed(world, hours_ago=1)
    today = timezone.localdate().isoformat()
    data = _items(world.client("reader"), "weekly-counts", datetime=today)
    ours = [f for f in data["features"] if f["properties"]["scope"] == "est-test"]
    assert ours and ours[0]["properties"]["count"] == 1
    assert {"expected", "upper_bound", "alert", "week"} <= set(ours[0]["properties"])
    assert ours[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    item = world.client("reader").get(reverse("ogc:item", args=["weekly-counts", ours[0]["id"]]))
    assert item.json()["properties"] == ours[0]["properties"]
    outsider = _items(world.client("outsider"), "weekly-counts", datetime=today)
    assert all(f["properties"]["scope"] != "est-test" for f in outsider["features"])
    assert (
        world.client("outsider")
        .get(reverse("ogc:item", args=["weekly-counts", ours[0]["id"]]))
        .status_code
        == 404
    )
    too_long = world.client("reader").get(
        reverse("ogc:items", args=["weekly-counts"]), {"datetime": "2024-01-01/2024-12-31"}
    )
    assert too_long.status_code == 400


def test_hotspots_are_the_lagesbild_maps_cells(world):
    from tryggnav.incidents.weeks import IsoWeek
    from tryggnav.lagesbild import maps
    from tryggnav.lagesbild.picture import Scope

    # The lägesbild map's own test pattern: a cluster at Vällingby torg on scattered events
    # (tests/lagesbild/test_maps.py), as reviewed reports shared with the group.
    rng = random.Random(1)
    points = [(rng.uniform(17.80, 17.95), rng.uniform(59.33, 59.39)) for _ in range(60)]
    points += [
        (17.8717 + rng.uniform(-0.002, 0.002), 59.3632 + rng.uniform(-0.001, 0.001))
        for _ in range(40)
    ]
    when = timezone.now() - datetime.timedelta(hours=2)
    klotter = ensure_categories()["klotter"]
    Incident.objects.bulk_create(
        [
            Incident(
                category=klotter,
                occurred_from=when,
                reported_at=when,
                lon=x,
                lat=y,
                precision="exact",
                municipality_id="0180",
                organisation=world.lead,
                group=world.group,
                sharing="group",
                status="reviewed",
                source="form",
            )
            for x, y in points
        ]
    )
    week = IsoWeek.of(timezone.localdate())
    cells = maps.hotspot_cells(scope=Scope.for_group(world.group), week=week)
    assert cells, "the cluster should make at least one hot cell"
    data = _items(world.client("reader"), "hotspots", datetime=timezone.localdate().isoformat())
    ours = [f for f in data["features"] if f["properties"]["scope"] == "est-test"]
    assert [f["geometry"] for f in ours] == [c["geometry"] for c in cells]
    outsider = _items(
        world.client("outsider"), "hotspots", datetime=timezone.localdate().isoformat()
    )
    assert all(f["properties"]["scope"] != "est-test" for f in outsider["features"])


def test_html_views_in_swedish(world):
    report(world, persona="coordinator")
    client = world.client("reader")
    page = client.get(reverse("ogc:items", args=["incidents"]), HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    body = page.content.decode()
    assert "<h1>Händelser</h1>" in body and "<caption>" in body and 'for="ogc-filter"' in body
    landing = client.get(reverse("ogc:landing"), {"f": "html"}).content.decode()
    assert reverse("ogc:export") in landing
    anonymous = world.client("anonymous").get(
        reverse("ogc:items", args=["incidents"]), {"f": "html"}
    )
    assert anonymous.status_code == 302


def test_a_queryable_named_like_an_argument_is_a_parameter(client):
    """``name`` is a queryable of areas and the name of the link helper's argument."""
    data = _items(client, "areas", name="Vällingby", limit=5)
    assert [f["properties"]["name"] for f in data["features"]] == ["Vällingby"]
    assert "name=V%C3%A4llingby" in data["links"][0]["href"]
