"""A citizen reports an unsafe place from a phone without logging in, follows it on the
status page, and the municipality's moderator approves it; every page passes axe-core
and fits 390 px."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

MODERATOR = "eva.lindqvist@huddinge.example"


def _phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="sv-SE", bypass_csp=True
    )
    return context, context.new_page()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_citizen_reports_and_follows_the_status(server, browser):
    context, page = _phone(browser)
    page.goto(f"{server}/brister/felanmalan/0126/")
    page.wait_for_selector("#report-map[data-loaded]")
    assert axe_violations(page) == []
    assert _fits(page)
    page.select_option("#id_category", "belysning")
    page.fill("#id_text", "Lampan vid cykelbanan är trasig sedan en vecka.")
    page.locator("#report-map").click()
    assert page.input_value("#id_lat") != ""
    # The map's centre may lie outside the municipality: take a known point inside.
    page.fill("#id_lat", "59.2205")
    page.fill("#id_lon", "17.9470")
    page.click("button:has-text('Skicka rapporten')")
    page.wait_for_selector("h1:has-text('Din rapport')")
    assert "Tack! Din rapport är mottagen." in page.inner_text("main")
    assert page.inner_text("#moderation-status") == "Väntar på granskning"
    assert axe_violations(page) == []
    assert _fits(page)
    cookies = {c["name"] for c in context.cookies()}
    assert cookies <= {"csrftoken"}, cookies
    status_url = page.url.split("?")[0]

    moderator_context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="sv-SE", bypass_csp=True
    )
    moderator = moderator_context.new_page()
    login(moderator, server, MODERATOR)
    moderator.goto(f"{server}/brister/kommun/huddinge-kommun/granskning/")
    card = moderator.locator("article", has_text="Lampan vid cykelbanan")
    assert axe_violations(moderator) == []
    assert _fits(moderator)
    card.locator("input[value=approve]").check()
    card.locator("input[name$=public_title]").fill("Trasig lampa vid cykelbanan")
    card.locator("button:has-text('Spara beslutet')").click()
    moderator.wait_for_selector("text=Rapporten är granskad.")
    moderator_context.close()

    page.goto(status_url)
    assert page.inner_text("#moderation-status") == "Godkänd"
    assert page.inner_text("#deficiency-status") == "Ny"
    page.click("a:has-text('Till kartan')")
    page.wait_for_selector("#public-map[data-loaded]")
    assert "Trasig lampa vid cykelbanan" in page.inner_text("main")
    assert axe_violations(page) == []
    assert _fits(page)
    context.close()
