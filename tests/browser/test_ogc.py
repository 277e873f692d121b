"""The OGC API's HTML views pass axe-core, for a logged-in coordinator and anonymously."""

from __future__ import annotations

from tests.browser_fixtures import axe_violations, login

COORDINATOR = "maria.svensson@stockholm.example"
PAGES = [
    "/ogc/?f=html",
    "/ogc/conformance?f=html",
    "/ogc/collections?f=html",
    "/ogc/collections/incidents?f=html",
    "/ogc/collections/incidents/queryables?f=html",
    "/ogc/collections/incidents/items?f=html&limit=20",
    "/ogc/collections/weekly-counts/items?f=html&limit=20",
    "/ogc/collections/areas/items/kommun-0180?f=html",
]


def test_ogc_pages_are_accessible(server, page):
    page.goto(f"{server}/ogc/?f=html")
    assert not axe_violations(page)
    login(page, server, COORDINATOR)
    failures = {}
    for path in PAGES:
        page.goto(f"{server}{path}")
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert not failures, failures
    page.goto(f"{server}/ogc/collections/incidents/items?f=html&limit=20")
    assert page.locator("h1", has_text="Händelser").is_visible()
    page.click("table tbody tr:first-child a")
    assert page.locator("caption", has_text="Egenskaper").is_visible()
    assert not axe_violations(page)
