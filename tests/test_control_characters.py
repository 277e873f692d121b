"""Control characters (NUL above all) in a path or query string are refused with 400.

PostgreSQL cannot hold a NUL byte in text, so before the refusal such a request
reached the database and failed with an error (500)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["coordinator", "anonymous"])
@pytest.mark.parametrize(
    "url",
    [
        "/omraden/%00/",
        "/lagesbild/?kommun=%00",
        "/handelser/?category=%00",
        "/omraden/sok/?q=a%1Fb",
        "/handelser/?gr%00up=1",
    ],
)
def test_page_with_a_control_character_is_a_clear_400(world, persona, url):
    response = world.fresh_client(persona).get(url)
    assert response.status_code == 400
    assert "kontrolltecken (till exempel NUL)" in response.content.decode()


def test_the_message_names_the_parameter_in_the_users_language(world):
    client = world.fresh_client("reader")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/handelser/?since=2025-01-01&category=x%00")
    page = response.content.decode()
    assert response.status_code == 400
    assert "The parameter &#x27;category&#x27; contains a control character" in page
    assert "&#x27;since&#x27;" not in page


@pytest.mark.parametrize("persona", ["coordinator", "anonymous"])
@pytest.mark.parametrize(
    "url", ["/api/v1/groups/%00", "/api/v1/incidents?group=%00", "/api/v1/me?x=%7F"]
)
def test_api_with_a_control_character_is_400_in_the_api_shape(world, persona, url):
    response = world.fresh_client(persona).get(url)
    assert response.status_code == 400
    (problem,) = response.json()["detail"]
    assert "control character" in problem["en"] and "kontrolltecken" in problem["sv"]


def test_ordinary_unicode_text_in_the_query_passes(world):
    response = world.fresh_client("coordinator").get("/omraden/sok/", {"q": "Vällingby ✓"})
    assert response.status_code == 200
