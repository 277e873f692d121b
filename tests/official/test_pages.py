"""The municipality's official statistics page and the import's preview and commit."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.official.conftest import FIXTURES
from tryggnav.areas.models import Municipality
from tryggnav.official.models import ReportedCrime
from tryggnav.official.services import official_import

pytestmark = pytest.mark.django_db


def test_page_shows_each_source_labelled_with_limitations(client, world):
    stockholm = Municipality.objects.get(code="0180")
    stockholm.population, stockholm.population_year = 1_000_000, 2024
    stockholm.save()
    text = "Kommun;Brottstyp;År;Antal\n0180;Misshandel;2024;3001\n"
    path = FIXTURES.parent / "_page.csv"
    path.write_text(text)
    try:
        official_import(source="bra", path=path, by=None)
    finally:
        path.unlink()
    client.force_login(world.user("reader"))
    response = client.get(reverse("official:municipality", args=["0180"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anmälda brott (Brå)" in html and "Källor och begränsningar" in html
    assert "inte officiell" in html  # police events are not official statistics
    assert "300,1" in html  # 3001 per 1,000,000 = 300.1 per 100,000, Swedish decimal comma
    assert "data-vega-spec" in html
    assert "Importera statistik" not in html  # the reader cannot import


def test_preview_then_commit(client, world):
    client.force_login(world.user("coordinator"))
    url = reverse("official:import", args=["0180"])
    content = "Kommun;Brottstyp;År;Antal\nStockholm;Rån;2024;1 234\n".encode()
    response = client.post(url, {"source": "bra", "file": SimpleUploadedFile("b.csv", content)})
    assert response.status_code == 200
    assert not ReportedCrime.objects.exists()  # the preview writes nothing
    token = re.search(r'name="token" value="(\w+)"', response.content.decode())[1]
    response = client.post(reverse("official:import_commit", args=["0180"]), {"token": token})
    assert response.status_code == 302
    assert ReportedCrime.objects.get().count == 1234


def test_preview_of_a_bad_file_names_row_and_field(client, world):
    client.force_login(world.user("coordinator"))
    content = "Kommun;Brottstyp;År;Antal\nHuddinge;Rån;2024;1\n".encode()
    response = client.post(
        reverse("official:import", args=["0180"]),
        {"source": "bra", "file": SimpleUploadedFile("b.csv", content)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "rad/row 2" in html and "importen gäller Stockholm" in html
    assert not ReportedCrime.objects.exists()
