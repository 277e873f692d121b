"""The statutory lägesbild in a real browser on a 390 px phone: the coordinator finds
the 2026 draft from her start page, writes the analysis, puts it up for decision and
registers the decision; the version is then locked. Every page passes axe-core."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

COORDINATOR = "eva.lindqvist@huddinge.example"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_coordinator_decides_a_lagesbild_on_a_phone(server, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="sv-SE", bypass_csp=True
    )
    page = context.new_page()
    login(page, server, COORDINATOR)
    page.goto(f"{server}/")
    assert "Bidrag saknas från Huge Bostäder AB" in page.content()
    page.click("a:has-text('Bidrag saknas från Huge Bostäder AB')")
    page.wait_for_selector("h1:has-text('Lägesbild Huddinge 2026')")
    assert page.inner_text("#status") == "Utkast"
    assert axe_violations(page) == [] and _fits(page)

    page.fill("#id_analys", "Otryggheten kvällstid vid centrum prioriteras.")
    page.click("button:has-text('Spara texten')")
    page.wait_for_selector("text=Texten är sparad.")
    page.fill("#id_proposal", "Kommunstyrelsen föreslås fastställa lägesbilden.")
    page.click("button:has-text('Lämna för beslut')")
    page.wait_for_selector("text=Versionen är lämnad för beslut.")
    assert page.inner_text("#status") == "För beslut"
    assert axe_violations(page) == [] and _fits(page)

    page.fill("#id_decided_body", "Kommunstyrelsen")
    page.fill("#id_decided_on", "2026-12-07")
    page.fill("#id_decision_paragraph", "§ 99")
    page.fill("#id_registry_number", "KS-2026/0999")
    page.click("button:has-text('Registrera beslutet')")
    page.wait_for_selector("text=Beslutet är registrerat; versionen är låst.")
    assert page.inner_text("#status") == "Beslutad"
    assert "Versionen är låst." in page.content()
    assert page.query_selector("#id_analys") is None
    assert "Otryggheten kvällstid vid centrum prioriteras." in page.content()
    assert axe_violations(page) == [] and _fits(page)
    # The decided åtgärdsplan with its measures followed up today.
    page.goto(f"{server}/lagdokument/")
    page.click("tbody a:has-text('Åtgärdsplan')")
    page.wait_for_selector("h2:has-text('Uppföljning idag')")
    assert page.locator("section[aria-labelledby=followup-h] tbody tr").count() > 0
    assert axe_violations(page) == [] and _fits(page)
    context.close()
