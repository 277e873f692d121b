"""A new user logs in, opens the map of Stockholm and sees its districts; every page
reachable from the navigation passes axe-core with no violations, on a desktop and on a
360 px wide phone."""

from __future__ import annotations

from urllib.parse import urljoin, urlparse

from tests.browser_fixtures import axe_violations, login

COORDINATOR = "maria.svensson@stockholm.example"
# Links that download files or change state are not pages to check.
SKIP_SUFFIXES = (".docx", ".pdf", ".csv", ".xlsx", ".geojson", ".json")
MAX_PAGES = 80


def test_login_and_see_stockholms_districts_on_the_map(server, page):
    login(page, server, COORDINATOR)
    page.click("nav >> text=Områden och kartor")
    page.goto(f"{server}/omraden/0180/")
    page.wait_for_selector("[data-map][data-loaded]", timeout=15000)
    loaded = int(page.get_attribute("[data-map]", "data-loaded"))
    assert loaded >= 118  # the municipality and its 117 stadsdelar
    # Leaflet drew the districts as SVG paths; hovering one names it.
    assert page.locator(".leaflet-overlay-pane path").count() >= 117
    assert page.locator("text=Vällingby").first.is_visible()


def test_wrong_password_shows_a_message(server, page):
    page.goto(f"{server}/konto/logga-in/")
    page.fill("#id_username", COORDINATOR)
    page.fill("#id_password", "fel")
    page.click("main button[type=submit]")
    assert page.locator("text=Fel e-postadress eller lösenord").is_visible()


def _crawl(page, server: str) -> list[str]:
    seen: list[str] = []
    queue = [f"{server}/"]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        path = urlparse(url).path
        if path in seen:
            continue
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        seen.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urljoin(url, href.split("#")[0])
            parsed = urlparse(target)
            if (
                parsed.netloc == urlparse(server).netloc
                and parsed.path not in seen
                and not parsed.path.endswith(SKIP_SUFFIXES)
                and "/api/" not in parsed.path
                and "logga-ut" not in parsed.path
            ):
                queue.append(target.split("?")[0] if "sida=" in target else target)
    return seen


def test_every_reachable_page_has_no_accessibility_violations(server, page):
    login(page, server, COORDINATOR)
    pages = _crawl(page, server)
    assert len(pages) >= 5
    failures = {}
    for path in pages:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert not failures, failures


def test_pages_fit_a_360px_phone(server, browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="sv-SE",
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    page = context.new_page()
    login(page, server, "omar.haddad@huge.example")
    for path in ["/", "/omraden/", "/omraden/0126/", "/om/"]:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 362, f"{path} is {width}px wide on a 360px screen"
        assert not axe_violations(page), path
    context.close()


def test_anonymous_pages_are_accessible(server, page):
    for path in ["/konto/logga-in/", "/konto/losenord/aterstall/", "/om/"]:
        page.goto(f"{server}{path}")
        assert not axe_violations(page), path
