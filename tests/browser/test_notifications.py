"""The notifications pages, the start page with the "Påminn" button and the
municipality's overview: axe-clean,
and within a phone's width at 360 and 390 px. The coordinator chooses a daily digest."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import axe_violations, login

COORDINATOR = "maria.svensson@stockholm.example"
PAGES = [
    "/",
    "/notiser/",
    "/notiser/installningar/",
    "/administration/hasselby-vallingby-sdf/kommunoversikt/",
]


def test_the_coordinator_sets_a_daily_digest(server, page):
    login(page, server, COORDINATOR)
    assert page.locator("header a.notifications-link").is_visible()
    page.goto(f"{server}/notiser/installningar/")
    page.check("input[name=delivery][value=digest]")
    page.uncheck("input[name=wanted][value=follow_up]")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Dina val för notiser är sparade.")
    assert page.is_checked("input[name=delivery][value=digest]")
    assert not page.is_checked("input[name=wanted][value=follow_up]")
    assert page.is_checked("input[name=wanted][value=review]")
    for path in PAGES:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
        assert not axe_violations(page), path


@pytest.mark.parametrize("width", [360, 390])
def test_notification_pages_fit_a_phone(server, browser, width):
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        locale="sv-SE",
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    page = context.new_page()
    login(page, server, COORDINATOR)
    for path in PAGES:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 2, f"{path} is {scroll}px wide on a {width}px screen"
        assert not axe_violations(page), path
    context.close()
