"""Every REST API error has one shape, {"detail": [{"sv", "en", "field"}]}, and the
OpenAPI schema documents it for every operation."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from tryggnav.organisations.models import ApiToken


def _client(world, persona: str) -> Client:
    _token, key = ApiToken.issue(user=world.users[persona], name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _problems(response, status: int) -> list[dict[str, str]]:
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    for problem in detail:
        assert set(problem) == {"sv", "en", "field"}
        assert problem["sv"] and problem["en"]
    return detail


def test_not_json_is_400_and_wrong_values_are_422_naming_the_field(world):
    client = _client(world, "reporter")
    broken = client.post("/api/v1/incidents", "{not json", content_type="application/json")
    assert _problems(broken, 400)[0]["sv"] == "Begäran kunde inte läsas som JSON."
    wrong = client.post(
        "/api/v1/incidents",
        {"group": world.group.slug, "category": "klotter", "occurred_from": "igår"},
        content_type="application/json",
    )
    assert "occurred_from" in [p["field"] for p in _problems(wrong, 422)]
    missing = client.post("/api/v1/incidents", {}, content_type="application/json")
    fields = {p["field"] for p in _problems(missing, 422)}
    assert {"group", "category", "occurred_from"} <= fields
    bad_query = _problems(client.get("/api/v1/incidents?until=AAA"), 422)
    assert bad_query == [
        {
            "sv": "Ska vara ett datum (ÅÅÅÅ-MM-DD).",
            "en": "Must be a date (YYYY-MM-DD).",
            "field": "until",
        }
    ]
    status = _problems(client.get("/api/v1/incidents?status=bogus"), 422)[0]
    assert status["sv"].startswith("Okänt värde; tillåtna är ") and "'reviewed'" in status["sv"]
    page = _problems(client.get("/api/v1/incidents?page=0"), 422)[0]
    assert page["sv"] == "Värdet ska vara minst 1." and page["field"] == "page"


def test_401_403_404_and_400_have_the_same_shape(world):
    assert _problems(Client().get("/api/v1/incidents"), 401)[0]["en"] == ("Authentication required")
    reader = _client(world, "reader")
    denied = reader.post(
        "/api/v1/incidents",
        {"group": world.group.slug, "category": "klotter", "occurred_from": "2026-01-02T10:00Z"},
        content_type="application/json",
    )
    problem = _problems(denied, 403)[0]
    assert problem["sv"] == "Du får inte rapportera i gruppen."
    assert problem["en"] == "You may not report here."
    _problems(reader.get(f"/api/v1/incidents/{uuid.uuid4()}"), 404)
    _problems(reader.get("/api/v1/incidents/not-a-uuid"), 422)
    both = reader.get(f"/api/v1/lagesbild?group={world.group.slug}&municipality=0180")
    assert _problems(both, 400)[0]["en"] == "Give group or municipality."
    week = _problems(reader.get(f"/api/v1/lagesbild?group={world.group.slug}&week=2025-W99"), 400)
    assert week[0]["sv"] == "År 2025 har ingen vecka 99."


@pytest.mark.parametrize("code", ["400", "401", "404", "422"])
def test_the_schema_documents_the_error_shape_on_every_operation(world, code):
    schema = Client().get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorOut"]["required"]) == {"detail"}
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 10
    for operation in operations:
        body = operation["responses"][code]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/ErrorOut"}


def test_numbers_out_of_range_are_422_not_a_server_error(world):
    client = _client(world, "reporter")
    for query, field in [
        ("page=894560584085705535116017664", "page"),
        ("area=-5", "area"),
        (f"area={2**70}", "area"),
        ("page_size=0", "page_size"),
    ]:
        assert [p["field"] for p in _problems(client.get(f"/api/v1/incidents?{query}"), 422)] == [
            field
        ], query
    far = client.post(
        "/api/v1/incidents",
        {
            "group": world.group.slug,
            "category": "klotter",
            "occurred_from": "2026-01-02T10:00Z",
            "lat": 591.3,
            "lon": 17.9,
            "area": 2**70,
        },
        content_type="application/json",
    )
    assert {p["field"] for p in _problems(far, 422)} == {"lat", "area"}
    assert client.get("/api/v1/incidents?page_size=100000").json()["page_size"] == 500


def test_the_schema_has_no_duplicated_keys(db):
    """Swagger UI reads the schema as YAML and refuses a response code given twice (an
    operation's own 400 and the common "400")."""
    import json

    duplicates: list[str] = []

    def pairs(items):
        keys = [key for key, _value in items]
        duplicates.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(items)

    json.loads(Client().get("/api/v1/openapi.json").content, object_pairs_hook=pairs)
    assert not duplicates
