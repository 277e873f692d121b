"""The map background set on the administration page is the one every map and the
Content Security Policy use; bad templates are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tryggnav.areas.models import TileServer
from tryggnav.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

OWN = "https://{s}.karta.example.se/wmts/{z}/{x}/{y}.png"


def _map_page(world) -> tuple[str, str]:
    response = world.client("admin").get(reverse("areas:municipality", args=["0180"]))
    return response.content.decode(), response.headers["Content-Security-Policy"]


def test_the_tile_server_set_on_the_page_is_used_by_the_maps(world, settings):
    settings.TRYGGNAV_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": ["'self'", "https://tile.openstreetmap.org"],
    }
    url = reverse("organisations:admin_map_tiles", args=[world.lead.slug])
    html, csp = _map_page(world)
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    response = world.client("admin").post(url, {"url": OWN, "attribution": "© Kommunen"})
    assert response.status_code == 302
    html, csp = _map_page(world)
    assert f'data-tile-url="{OWN}"' in html and "© Kommunen" in html
    assert "https://*.karta.example.se" in csp and "openstreetmap" not in csp
    assert AuditEntry.objects.filter(object_type="areas.tileserver").exists()
    # Empty: no background at all, and no tile host allowed.
    world.client("admin").post(url, {"url": "", "attribution": ""})
    html, csp = _map_page(world)
    assert 'data-tile-url=""' in html and "karta.example.se" not in csp
    # Back to the settings' server.
    world.client("admin").post(url, {"action": "reset"})
    assert not TileServer.objects.exists()
    html, csp = _map_page(world)
    assert "tile.openstreetmap.org/{z}" in html and "https://tile.openstreetmap.org" in csp


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("http://karta.example.se/{z}/{x}/{y}.png", "https://"),
        ("https://karta.example.se/{z}/{x}.png", "saknar {y}"),
        ("javascript:alert(1)//{z}/{x}/{y}", "https://"),
    ],
)
def test_bad_templates_are_refused(world, address, expected):
    url = reverse("organisations:admin_map_tiles", args=[world.lead.slug])
    response = world.client("admin").post(url, {"url": address, "attribution": "x"})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not TileServer.objects.exists()


def test_pages_read_the_tile_server_once_a_minute_per_process(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("admin")
    page = reverse("areas:municipality", args=["0180"])
    client.get(page)
    with CaptureQueriesContext(connection) as captured:
        client.get(page)
    assert not [q for q in captured if 'FROM "areas_tileserver"' in q["sql"]]
    # A change on the web is seen by the next page at once.
    url = reverse("organisations:admin_map_tiles", args=[world.lead.slug])
    client.post(url, {"url": OWN, "attribution": "© Kommunen"})
    assert f'data-tile-url="{OWN}"' in client.get(page).content.decode()
