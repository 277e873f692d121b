"""The municipality's admin uploads areas on a phone (390 px): the preview shows them on
the map with the names of the chosen field, and confirming imports them. Every page of
the geography administration passes axe-core and fits the width."""

from __future__ import annotations

import json

import pytest

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

ADMIN = "eva.lindqvist@huddinge.example"
ORG = "huddinge-kommun"


def _square(lon: float, lat: float) -> list:
    return [
        [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    ]


AREAS = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": f"T{i}", "benamning": name, "yta": i},
                "geometry": {"type": "Polygon", "coordinates": _square(17.95 + i / 50, 59.22)},
            }
            for i, name in enumerate(["Trångsundsskogen", "Glömstadalen"], start=1)
        ],
    }
).encode()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_upload_preview_and_confirm_on_a_phone(server, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="sv-SE", bypass_csp=True
    )
    page = context.new_page()
    login(page, server, ADMIN)
    page.goto(f"{server}/administration/{ORG}/omraden/")
    assert axe_violations(page) == [] and _fits(page)
    page.set_input_files(
        "#id_file", {"name": "egna.geojson", "mimeType": "application/geo+json", "buffer": AREAS}
    )
    page.click("main button:has-text('Förhandsgranska')")
    page.wait_for_selector("h1:has-text('Förhandsgranska egna.geojson')")
    # No field called name: the first guess is the first property; choose the right one.
    page.select_option("#id_name_field", "benamning")
    page.select_option("#id_code_field", "id")
    page.click("button:has-text('Visa med dessa fält')")
    page.wait_for_selector("#preview-map[data-loaded='2']")
    assert page.locator("table th[scope=row]").all_inner_texts() == [
        "Trångsundsskogen",
        "Glömstadalen",
    ]
    assert axe_violations(page) == [] and _fits(page)
    page.click("button:has-text('Importera 2 områden')")
    page.wait_for_selector("text=Områdena är importerade: 2 nya")
    assert (
        page.locator("#omraden + .table-wrap, table").first.inner_text().count("Glömstadalen") == 1
    )
    assert axe_violations(page) == [] and _fits(page)
    for path in ("platser/", "polisens-flode/", "kartbakgrund/"):
        page.goto(f"{server}/administration/{ORG}/{path}")
        assert axe_violations(page) == [], path
        assert _fits(page), path
    context.close()
