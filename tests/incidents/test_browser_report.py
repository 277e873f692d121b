"""In a real browser on a 360 px phone: a reporter files a report by tapping the map, is
warned about personal data while typing, and the coordinator finds it in the review queue.
The pages pass axe-core with no violations."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

REPORTER = "ahmed.ali@vasterortshem.example"
COORDINATOR = "maria.svensson@stockholm.example"


def violations(page) -> list[dict]:
    return axe_violations(page)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="sv-SE",
        bypass_csp=True,
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    yield page
    context.close()


def test_report_on_a_phone_and_review_it(server, phone):  # noqa: F811
    page = phone
    login(page, server, REPORTER)
    page.goto(f"{server}/handelser/rapportera/")
    page.wait_for_selector("#report-map[data-loaded]", timeout=15000)
    assert violations(page) == []
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("label.tile:has-text('Klotter')")
    page.locator("#report-map").scroll_into_view_if_needed()
    box = page.locator("#report-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.input_value("#id_lat") != ""
    page.fill("#id_text", "Klotter på porten, ring mig på 070-123 45 67")
    page.wait_for_selector("[data-personal-data]", timeout=10000)
    assert "[telefon]" in page.inner_text("#report-check")
    page.click("button:has-text('Skicka rapporten')")
    # The server asks for confirmation before saving text with personal data.
    page.wait_for_selector("#personal-data-warning")
    assert violations(page) == []
    page.check("#id_confirm_personal_data")
    page.click("button:has-text('Skicka rapporten')")
    page.wait_for_selector("text=Tack! Rapporten är inskickad.")
    detail_url = page.url
    assert "070-123 45 67" in page.inner_text("main")

    page.context.clear_cookies()
    login(page, server, COORDINATOR)
    page.goto(f"{server}/handelser/granskning/est-hasselby-vallingby/")
    assert violations(page) == []
    page.goto(detail_url)
    assert "070-123 45 67" not in page.inner_text("main")
    assert "[telefon]" in page.inner_text("main")
    page.click("a:has-text('Granska')")
    # The report is on the review page's map.
    page.wait_for_selector("#review-map[data-loaded]", timeout=15000)
    assert int(page.get_attribute("#review-map", "data-loaded")) >= 1
    assert violations(page) == []
    # The merge pick-list's long options stay inside the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button:has-text('Markera som granskad')")
    page.wait_for_selector("text=Rapporten är granskad")


def test_incident_list_with_map_passes_axe(server, phone):  # noqa: F811
    login(phone, server, COORDINATOR)
    phone.goto(f"{server}/handelser/")
    phone.wait_for_selector("[data-map][data-loaded]", timeout=20000)
    assert int(phone.get_attribute("[data-map]", "data-loaded")) > 0
    assert violations(phone) == []
    assert phone.locator("text=Genererad (demo)").first.is_visible()
    phone.goto(f"{server}/handelser/tackning/est-hasselby-vallingby/")
    assert violations(phone) == []


def test_incident_map_draws_counted_cells_and_asks_again_when_zoomed(server, phone):  # noqa: F811
    """Beyond the point limit the map draws circles with counts, lists them in "Kartan
    som lista", passes axe, and asks for its new frame's cells when zoomed in."""
    login(phone, server, COORDINATOR)
    phone.goto(f"{server}/handelser/")
    phone.wait_for_selector("[data-map][data-loaded]", timeout=20000)
    data = phone.evaluate(
        "fetch(document.querySelector('[data-map]').dataset.geojsonUrl).then(r => r.json())"
    )
    assert data["clustered"] is True  # the demo holds more precise reports than the limit
    assert any(f["properties"]["layer"] == "cluster" for f in data["features"])
    phone.wait_for_selector(".map-cluster")
    # The map then asks for its own frame's counts; once that is drawn, every counted
    # circle (a cell or a place) has its line in the list, beside the points' summary.
    phone.wait_for_load_state("networkidle")
    first = phone.locator(".map-cluster").first.inner_text()
    assert first.strip().isdigit()
    circles = phone.locator(".map-cluster").count()
    items = phone.locator("[data-map-list] li").evaluate_all("els => els.map(e => e.textContent)")
    assert len([i for i in items if not i.endswith("punkter")]) >= circles > 0
    assert violations(phone) == []
    asked = []
    phone.on("request", lambda r: asked.append(r.url) if "karta.geojson" in r.url else None)
    phone.evaluate("document.querySelector('[data-map]')._tryggnavMap.setView([59.36, 17.87], 14)")
    phone.wait_for_timeout(1500)
    assert any("bbox=" in url for url in asked)
