"""The official statistics page in a browser: charts drawn, the demo labelled, no axe
violations on the page and on the import page with a preview."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

COORDINATOR = "eva.lindqvist@huddinge.example"


def test_official_statistics_page_and_import_preview(server, page, tmp_path):
    login(page, server, COORDINATOR)
    page.goto(f"{server}/officiell-statistik/kommun/0126/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1 .badge--demo").is_visible()
    page.wait_for_selector(".chart svg, .chart canvas", timeout=15000)
    assert page.locator(".chart-figure").count() == 3
    assert not axe_violations(page)
    page.click("text=Importera statistik")
    csv = tmp_path / "bra.csv"
    csv.write_text("Kommun;Brottstyp;År;Antal\nHuddinge;Rån;2020;1 234\n", encoding="utf-8")
    page.select_option("#id_source", "bra")
    page.set_input_files("#id_file", str(csv))
    page.click("main button[type=submit]")
    assert page.locator("text=Spara alla värden").is_visible()
    assert not axe_violations(page)
