"""Exports: masked text always, formula injection neutralised, coordinates only when precise."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.incidents.conftest import report
from tryggnav.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_csv_and_xlsx_neutralise_formulas_and_mask(world, categories):
    report(world, text='=HYPERLINK("http://evil.example","klicka") 811218-9876', status="reviewed")
    report(world, text="+46 70 123 45 67 ringde", status="reviewed")
    report(world, text="@SUM(1+1)", status="reviewed", precision="municipality")
    client = world.client("coordinator")
    csv_text = b"".join(
        client.get(reverse("incidents:export", args=["csv"])).streaming_content
    ).decode("utf-8-sig")
    assert "811218-9876" not in csv_text and "[personnummer]" in csv_text
    lines = csv_text.splitlines()
    assert any(";'=HYPERLINK(" in line.replace('"', "") for line in lines)
    assert ";'@SUM(1+1)" in csv_text
    # A masked phone number at the start stays neutral too.
    assert ";[telefon] ringde" in csv_text

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("incidents:export", args=["xlsx"])).content)
    )
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    text_column = header.index("beskrivning (maskerad)")
    texts = [row[text_column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert "'@SUM(1+1)" in texts
    assert all(not (t or "").startswith(("=", "+", "-", "@")) for t in texts)
    lat_column = header.index("latitud")
    by_text = {row[text_column]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_text["'@SUM(1+1)"][lat_column] is None  # municipality precision: no point
    assert AuditEntry.objects.filter(action="export").count() == 2


def test_geojson_export(world, categories):
    report(world, text="Punkt", status="reviewed")
    report(world, text="Område", status="reviewed", precision="district")
    data = world.client("reader").get(reverse("incidents:export", args=["geojson"])).json()
    by_text = {f["properties"]["text"]: f for f in data["features"]}
    assert by_text["Punkt"]["geometry"]["type"] == "Point"
    assert by_text["Område"]["geometry"] is None
    assert by_text["Punkt"]["properties"]["group"] == world.group.slug


def test_unknown_format_is_404(world):
    assert world.client("reader").get(reverse("incidents:export", args=["pdf"])).status_code == 404
