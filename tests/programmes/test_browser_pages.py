"""In a real browser on a 360 px phone: the coordinator opens the programme, its 2021
follow-up and the group's report page of the demo. The pages pass axe-core with no
violations and nothing is wider than the screen."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

COORDINATOR = "eva.lindqvist@huddinge.example"


def _main_fits(page) -> bool:
    """Nothing in the page's main part is wider than the phone (tables scroll inside
    their own keyboard-focusable region)."""
    return page.evaluate("document.querySelector('main').scrollWidth") <= 360


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="sv-SE", bypass_csp=True, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


def test_programme_pages_on_a_phone(server, phone):
    page = phone
    login(page, server, COORDINATOR)
    page.goto(f"{server}/uppfoljning/")
    assert axe_violations(page) == []
    page.click("text=Program för trygghet och säkerhet 2018–2021")
    page.wait_for_selector("h1:has-text('Program för trygghet och säkerhet')")
    assert axe_violations(page) == []
    assert _main_fits(page)
    page.click("a:has-text('Uppföljning för 2021')")
    page.wait_for_selector("text=Bedömning saknas i underlaget")
    assert axe_violations(page) == []
    assert _main_fits(page)
    page.goto(f"{server}/uppfoljning/grupp/osg-huddinge/")
    page.wait_for_selector("h2:has-text('Lägesbild enligt lag')")
    assert axe_violations(page) == []
    assert _main_fits(page)
