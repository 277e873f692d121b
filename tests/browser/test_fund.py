"""The demo fund in a real browser: the housing company completes and sends in its
application, the coordinator assigns herself as assessor, scores, decides and pays,
and the housing company files the final report. Every page passes axe-core."""

from __future__ import annotations

import datetime
import re

import pytest

from tests.browser_fixtures import axe_violations, login
from tests.fund.factories import PDF

pytestmark = pytest.mark.browser

COORDINATOR = "eva.lindqvist@huddinge.example"
APPLICANT = "omar.haddad@huge.example"
TITLE = "Trygghetsvandringar med hyresgäster i Segeltorp"


def _new_page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True
    )
    return context, context.new_page()


def _open_application(page, server) -> str:
    page.goto(f"{server}/trygghetsfond/")
    page.click("text=Trygghetsfonden")
    page.wait_for_selector("h1:has-text('Trygghetsfonden 2025')")
    assert axe_violations(page) == []
    page.click(f"text={TITLE}")
    page.wait_for_selector(f"h1:has-text('{TITLE}')")
    return page.url


def _state(page) -> str:
    return page.inner_text("#application-state")


def test_apply_assess_decide_pay_report(server, browser):
    applicant_context, applicant = _new_page(browser)
    login(applicant, server, APPLICANT)
    url = _open_application(applicant, server)
    assert _state(applicant) == "Komplettering begärd"
    applicant.set_input_files(
        "#id_file", {"name": "projektplan-host.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    applicant.click("button:has-text('Ladda upp')")
    applicant.wait_for_selector("text=Bilagan är uppladdad.")
    applicant.click("button:has-text('Skicka in ansökan')")
    applicant.wait_for_selector("text=Ansökan är inskickad.")
    assert _state(applicant) == "Inskickad"
    assert axe_violations(applicant) == []

    coordinator_context, coordinator = _new_page(browser)
    login(coordinator, server, COORDINATOR)
    coordinator.goto(url)
    coordinator.fill("#id_assessor", COORDINATOR)
    coordinator.click("button:has-text('Tilldela bedömare')")
    coordinator.click("a:has-text('Min bedömning')")
    coordinator.wait_for_selector("h1:has-text('Bedömning')")
    assert axe_violations(coordinator) == []
    for select in coordinator.query_selector_all("select[name^=score_]"):
        select.select_option("4")
    coordinator.fill("textarea[name^=comment_] >> nth=0", "Tydlig koppling till lägesbilden.")
    coordinator.click("button:has-text('Spara bedömningen')")
    coordinator.wait_for_selector("text=Bedömningen är sparad.")
    assert "Tydlig koppling till lägesbilden." in coordinator.content()

    coordinator.check("input[name=outcome][value=full]")
    coordinator.fill("#id_amount", "60000")
    coordinator.click("button:has-text('Fatta beslut')")
    coordinator.wait_for_selector("text=Beslutet är fattat.")
    assert "Beviljas i sin helhet" in coordinator.inner_text("#decision-outcome")
    coordinator.fill("#id_amount", "60000")
    coordinator.fill("#id_paid_on", datetime.date.today().isoformat())
    coordinator.click("button:has-text('Registrera utbetalning')")
    coordinator.wait_for_selector("text=Utbetalningen är registrerad.")
    assert axe_violations(coordinator) == []

    applicant.goto(url)
    applicant.fill("#id_done", "Sex vandringar med 74 hyresgäster.")
    applicant.fill("#id_spent", "52000")
    applicant.fill("#id_indicator_value", "12")
    applicant.fill("#id_indicator_date", datetime.date.today().isoformat())
    applicant.click("button:has-text('Skicka in slutredovisningen')")
    applicant.wait_for_selector("text=Slutredovisningen är inskickad.")
    assert _state(applicant) == "Slutredovisad"
    assert re.search(r"Åter till fonden\s*8\s000\skr", applicant.inner_text("main"))
    assert axe_violations(applicant) == []

    coordinator.goto(url)
    coordinator.select_option("#id_comparison_areas", label="Trångsund")
    coordinator.fill("#id_conclusion", "För tidigt att säga.")
    coordinator.click("button:has-text('Följ upp effekten nu')")
    coordinator.wait_for_selector("text=Uppföljningen är sparad.")
    section = coordinator.inner_text("section.evaluation")
    assert "Relativ effektstorlek (RES)" in section and "Trångsund" in section
    assert "12 (" in section  # the final report's value, as reported
    assert axe_violations(coordinator) == []
    coordinator.click("a:has-text('← Trygghetsfonden')")
    coordinator.click("a:has-text('Ny utlysning')")
    coordinator.wait_for_selector("h1:has-text('Ny utlysning')")
    assert axe_violations(coordinator) == []
    coordinator.go_back()
    coordinator.click("a:has-text('Administratörer och bedömare')")
    coordinator.wait_for_selector("h1:has-text('Roller i')")
    assert axe_violations(coordinator) == []
    applicant_context.close()
    coordinator_context.close()
