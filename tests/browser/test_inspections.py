"""Demo deficiencies in a real browser: the housing company fixes one with a photo and
the municipality verifies it; every page passes axe-core and fits a phone's width."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

MUNICIPALITY = "eva.lindqvist@huddinge.example"
OWNER = "omar.haddad@huge.example"
TITLE = "Trasig port till soprummet"


def _loaded_width(image) -> int:
    """The image's width once it has loaded (or failed): read at once it may be 0."""
    image.scroll_into_view_if_needed()  # a lazy image loads once it is in view
    return image.evaluate(
        "i => i.complete ? i.naturalWidth : new Promise(done => {"
        " i.onload = i.onerror = () => done(i.naturalWidth); })"
    )


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(out, format="JPEG")
    return out.getvalue()


def _context(browser, width=1280):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="sv-SE", bypass_csp=True
    )
    return context, context.new_page()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_owner_fixes_with_a_photo_and_municipality_verifies(server, browser):
    owner_context, owner = _context(browser)
    login(owner, server, OWNER)
    owner.goto(f"{server}/brister/")
    owner.click("a:has-text('Kö för Huge Bostäder AB')")
    owner.wait_for_selector("h1:has-text('Brister för Huge Bostäder AB')")
    assert axe_violations(owner) == []
    owner.click(f"text={TITLE}")
    owner.wait_for_selector(f"h1:has-text('{TITLE}')")
    assert axe_violations(owner) == []
    owner.fill("#id_note", "Ny port monterad.")
    owner.set_input_files("#id_photo", {"name": "port.jpg", "mimeType": "image/jpeg",
                                        "buffer": _jpeg()})  # fmt: skip
    owner.click("button:has-text('Markera som åtgärdad')")
    owner.wait_for_selector("text=Bristen är markerad som åtgärdad.")
    assert owner.inner_text("#deficiency-status") == "Åtgärdad"
    url = owner.url
    owner_context.close()

    context, page = _context(browser)
    login(page, server, MUNICIPALITY)
    page.goto(url)
    assert _loaded_width(page.locator("img[alt='Foto på åtgärden']")) == 60
    page.click("button:has-text('Verifiera åtgärden')")
    page.wait_for_selector("text=Åtgärden är verifierad.")
    assert page.inner_text("#deficiency-status") == "Verifierad"
    assert axe_violations(page) == []
    for path in ("/brister/", "/brister/kommun/huddinge-kommun/oversikt/",
                 "/brister/kommun/huddinge-kommun/installningar/"):  # fmt: skip
        page.goto(server + path)
        assert axe_violations(page) == [], path
    context.close()


@pytest.mark.parametrize("width", [360, 390])
def test_pages_fit_a_phone(server, browser, width):
    context, page = _context(browser, width)
    login(page, server, MUNICIPALITY)
    page.goto(f"{server}/brister/")
    assert _fits(page)
    page.click("a:has-text('Klotter i gångtunneln')")
    page.wait_for_selector("h1:has-text('Klotter i gångtunneln')")
    assert _fits(page)
    for path in ("/brister/kommun/huddinge-kommun/oversikt/",
                 "/brister/kommun/huddinge-kommun/installningar/",
                 "/brister/agare/huge-bostader/"):  # fmt: skip
        page.goto(server + path)
        assert _fits(page), path
    context.close()
