"""A scheduled SBA check on a phone (390 px) in a real browser: the municipality's
coordinator answers every question, one fails with a note and a photo, signs, and the
failed item is a deficiency; every page passes axe-core and fits the width."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

MUNICIPALITY = "eva.lindqvist@huddinge.example"
# A generated premises whose current quarter's check the demo leaves undone.
PREMISES = "Vårbyskolan (genererad)"


def _loaded_width(image) -> int:
    """The image's width once it has loaded (or failed): read at once it may be 0."""
    image.scroll_into_view_if_needed()  # a lazy image loads once it is in view
    return image.evaluate(
        "i => i.complete ? i.naturalWidth : new Promise(done => {"
        " i.onload = i.onerror = () => done(i.naturalWidth); })"
    )


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "blue").save(out, format="JPEG")
    return out.getvalue()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sba_check_with_one_failed_item_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE",
                                  bypass_csp=True)  # fmt: skip
    page = context.new_page()
    login(page, server, MUNICIPALITY)
    page.goto(f"{server}/brister/kontroller/")
    assert axe_violations(page) == [] and _fits(page)
    page.click(f"a:has-text('{PREMISES}')")
    page.wait_for_selector(f"h1:has-text('{PREMISES}')")
    assert axe_violations(page) == [] and _fits(page)
    page.click("button:has-text('Gör kontrollen')")
    page.wait_for_selector("h1:has-text('Kontroll av')")
    assert axe_violations(page) == [] and _fits(page)
    for radio in page.locator("input[type=radio][value='ja']").all():
        radio.check()
    first = page.locator("fieldset.check-question").first
    first.locator("input[value='nej']").check()
    first.locator("summary").click()
    first.locator("textarea").fill("Nödutgången blockerad av pallar.")
    first.locator("input[type=file]").set_input_files(
        {"name": "utgang.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    page.click("button:has-text('Signera kontrollen')")
    page.wait_for_selector("text=Kontrollen är signerad.")
    assert page.locator(".badge--alert:has-text('Brist')").count() == 1
    assert axe_violations(page) == [] and _fits(page)
    page.click("ol a")  # the deficiency made from the failed item
    page.wait_for_selector("h1")
    assert "Checklista" in page.content()
    assert _loaded_width(page.locator("img[alt='Foto på bristen']")) == 60
    for path in ("/brister/kontroller/kommun/huddinge-kommun/oversikt/",
                 "/brister/kontroller/kommun/huddinge-kommun/mallar/",
                 "/brister/kontroller/kommun/huddinge-kommun/objekt/ny/"):  # fmt: skip
        page.goto(server + path)
        assert axe_violations(page) == [], path
        assert _fits(page), path
    # The object's own pages: edit it, add a schedule (the municipality's coordinator).
    page.goto(f"{server}/brister/kontroller/")
    page.click(f"a:has-text('{PREMISES}')")
    for link, heading in (("Ändra objektet", "Ändra objektet"),
                          ("Lägg till ett schema", "Nytt schema")):  # fmt: skip
        page.click(f"a:has-text('{link}')")
        page.wait_for_selector(f"h1:has-text('{heading}')")
        assert axe_violations(page) == [] and _fits(page), link
        page.go_back()
    context.close()
