"""In a real browser: the demo coordinator opens last week's lägesbild, sees the alert,
switches the hot-spot layer on, prepares the meeting and records a decision. The pages
pass axe-core with no violations, on a desktop and on a 360 px phone."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

COORDINATOR = "maria.svensson@stockholm.example"
GROUP = "est-hasselby-vallingby"


def test_coordinator_runs_the_weekly_loop(server, page):
    login(page, server, COORDINATOR)
    page.click("nav >> text=Lägesbild")
    page.click(f"a[href='/lagesbild/{GROUP}/']")
    page.wait_for_selector("[data-lagesbild-map][data-loaded]", timeout=20000)
    assert page.locator(".lagesbild-table .badge--alert").count() >= 1
    assert "över förväntat" in page.locator("ul.summary").inner_text()
    assert axe_violations(page) == []

    map_el = page.locator("[data-lagesbild-map]")
    assert map_el.get_attribute("data-hotspots") == "off"
    page.check("input[name=hotspots]")
    assert int(map_el.get_attribute("data-hotspots")) >= 1
    page.check("input[name=fargning][value=rate]")

    page.click("text=Förbered veckomöte")
    page.wait_for_selector("h1:has-text('Veckomöte')")
    assert axe_violations(page) == []
    page.fill("#id_what", "Sanera klottret vid Vällingby torg")
    page.select_option("#id_organisation", label="Västerortshem AB (fiktivt)")
    page.fill("#id_due", "2030-01-31")
    page.click("text=Registrera åtgärd")
    assert page.locator("text=Sanera klottret vid Vällingby torg").first.is_visible()
    page.click("text=Projektorvy")
    page.wait_for_selector("body.projector")
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [360, 390])
def test_lagesbild_fits_a_phone(server, browser, width):
    context = browser.new_context(
        viewport={"width": width, "height": 740},
        locale="sv-SE",
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    page = context.new_page()
    login(page, server, COORDINATOR)
    for path in [f"/lagesbild/{GROUP}/", "/lagesbild/", "/lagesbild/kommun/0180/"]:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 2, path
        assert axe_violations(page) == [], path
    context.close()


def _sort(page, heading: str) -> None:
    page.locator(".lagesbild-table thead").get_by_role("button", name=heading).click()


def _column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        ".lagesbild-table tbody tr",
        f"rows => rows.map(r => r.cells[{index}].getAttribute('data-value') || r.cells[{index}].textContent.trim())",
    )


def test_table_sorts_by_its_numbers_and_the_map_has_a_list(server, browser):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="sv-SE", bypass_csp=True
    )
    page = context.new_page()
    login(page, server, COORDINATOR)
    page.goto(f"{server}/lagesbild/{GROUP}/")
    page.wait_for_selector("[data-lagesbild-map][data-loaded]", timeout=20000)

    _sort(page, "Antal")
    counts = [int(v) for v in _column(page, 2)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    header = page.locator(".lagesbild-table thead th", has_text="Antal")
    assert header.get_attribute("aria-sort") == "descending"
    _sort(page, "Antal")
    assert [int(v) for v in _column(page, 2)] == sorted(counts)

    _sort(page, "Område")
    areas = _column(page, 0)
    assert areas == sorted(areas, key=lambda a: a.casefold()) or len(set(areas)) == 1

    page.click("text=Kartan som lista")
    items = page.locator("[data-map-list=lagesbild-map] li").all_inner_texts()
    assert any("Vällingby" in item for item in items)
    assert axe_violations(page) == []
    context.close()
