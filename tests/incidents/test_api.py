"""/api/v1/incidents with personal tokens: list, create, retrieve, filters, errors, masking."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.incidents.conftest import VALLINGBY, report
from tryggnav.incidents.models import Incident
from tryggnav.organisations.models import ApiToken

pytestmark = pytest.mark.django_db


def _token_client(world, persona) -> Client:
    _token, key = ApiToken.issue(user=world.users[persona], name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _payload(world, **extra):
    data = {
        "group": world.group.slug,
        "category": "klotter",
        "occurred_from": "2026-01-02T21:30:00+01:00",
        "lat": VALLINGBY[0],
        "lon": VALLINGBY[1],
        "text": "Klotter, ring 070-123 45 67",
        "external_id": "fs-1001",
    }
    data.update(extra)
    return data


def test_without_token_401_and_bad_token_401(world):
    assert Client().get("/api/v1/incidents").status_code == 401
    bad = Client(headers={"Authorization": "Bearer tn_not-a-real-token"})
    assert bad.get("/api/v1/incidents").status_code == 401


def test_create_with_token_then_retrieve_and_list(world, categories):
    client = _token_client(world, "reporter")
    response = client.post("/api/v1/incidents", _payload(world), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["text"] == "Klotter, ring [telefon]" and body["has_personal_data"]
    assert body["area"] == "Vällingby" and body["source"] == "api"
    assert body["organisation"] == world.partner.slug and body["status"] == "submitted"
    incident = Incident.objects.get(public_id=body["id"])
    assert incident.external_id == "fs-1001" and incident.reported_by == world.user("reporter")
    assert client.get(f"/api/v1/incidents/{body['id']}").json()["id"] == body["id"]
    listing = client.get("/api/v1/incidents?source=api").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == body["id"]
    # The same external id twice is refused, not duplicated.
    again = client.post("/api/v1/incidents", _payload(world), content_type="application/json")
    assert again.status_code == 422
    assert Incident.objects.count() == 1


def test_validation_errors_are_422_with_clear_messages(world, categories):
    client = _token_client(world, "reporter")
    response = client.post(
        "/api/v1/incidents", _payload(world, category="finns-inte"), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "category"
    response = client.post(
        "/api/v1/incidents",
        _payload(world, occurred_to="2026-01-01T10:00:00+01:00"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "före dess början" in response.json()["detail"][0]["sv"]
    response = client.post(
        "/api/v1/incidents", {"group": world.group.slug}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not Incident.objects.exists()


def test_reader_403_outsider_404_on_create(world, categories):
    response = _token_client(world, "reader").post(
        "/api/v1/incidents", _payload(world), content_type="application/json"
    )
    assert response.status_code == 403
    response = _token_client(world, "outsider").post(
        "/api/v1/incidents", _payload(world), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Incident.objects.exists()


def test_list_filters_and_pagination(world, categories):
    for i in range(3):
        report(world, text=f"Klotter {i}", status="reviewed", hours_ago=i + 1)
    report(world, text="Brand", status="reviewed", category=categories["anlagd-brand"])
    client = _token_client(world, "reader")
    data = client.get("/api/v1/incidents?category_group=skadegorelse&page_size=2").json()
    assert data["count"] == 3 and len(data["results"]) == 2
    page2 = client.get("/api/v1/incidents?category_group=skadegorelse&page_size=2&page=2").json()
    assert len(page2["results"]) == 1
    assert client.get("/api/v1/incidents?category=anlagd-brand").json()["count"] == 1
    assert client.get("/api/v1/incidents?status=bogus").status_code == 422


def test_openapi_schema_documents_the_incident_endpoints():
    schema = Client().get(reverse("api:openapi-json")).json()
    assert "/api/v1/incidents" in schema["paths"]
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/incidents"])
    assert "/api/v1/incidents/{public_id}" in schema["paths"]


def test_token_page_creates_shows_once_and_revokes(world):
    client = world.client("reader")
    response = client.post(reverse("apitokens:create"), {"name": "Mitt skript"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("tn_")
    token = ApiToken.objects.get(user=world.user("reader"))
    assert (
        token.key_hash != key and key not in client.get(reverse("apitokens:list")).content.decode()
    )
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/v1/me").json()["email"] == "reader@sdf.example"
    # Another user cannot revoke it.
    other = world.client("reporter").post(reverse("apitokens:revoke", args=[token.public_id]))
    assert other.status_code == 404
    client.post(reverse("apitokens:revoke", args=[token.public_id]))
    assert not ApiToken.objects.exists()
    assert api.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("query", ["since=0001-01-01", "until=9999-12-31"])
def test_list_filter_dates_outside_the_calendar_range_are_422(world, query):
    response = world.client("reader").get(f"/api/v1/incidents?{query}")
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["field"] in query


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "Klotter\u0000 vid entrén"),
        ("external_id", "fs-\u0000"),
        ("group", "est\u0000"),
        ("external_id", "x" * 101),
        ("text", "x" * 20_001),
    ],
)
def test_bad_strings_in_a_json_body_are_422_never_500(world, categories, field, value):
    """A NUL cannot be stored in PostgreSQL text (DataError), and an external id longer
    than its column overflowed it: both are refused by the schema, naming the field."""
    client = _token_client(world, "reporter")
    response = client.post(
        "/api/v1/incidents", _payload(world, **{field: value}), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["field"] == field
    assert not Incident.objects.exists()
