"""The form that makes a report ready for the diarium, in a real browser: reached from
the group's reports page, accessible (axe), fits a 360 px phone, and gives a PDF/A with
the header block and an uploaded appendix."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pypdf import PdfReader

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

COORDINATOR = "eva.lindqvist@huddinge.example"


def _appendix() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("width", [360, 1280])
def test_action_plan_with_header_and_an_uploaded_appendix(server, browser, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="sv-SE", bypass_csp=True,
        accept_downloads=True,
    )  # fmt: skip
    page = context.new_page()
    login(page, server, COORDINATOR)
    page.goto(f"{server}/uppfoljning/grupp/osg-huddinge/")
    page.click("a[href$='/atgardsplan/diarium/']")
    page.wait_for_selector("h1:has-text('Åtgärdsplan')")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 2
    page.fill("#id_diarienummer", "KS 2026/0901")
    page.fill("#id_organ", "Kommunstyrelsen")
    page.fill("#id_forslag", "Kommunstyrelsen fastställer åtgärdsplanen.")
    page.set_input_files(
        "#id_filer", {"name": "karta.pdf", "mimeType": "application/pdf", "buffer": _appendix()}
    )
    with page.expect_download() as download_info:
        page.click("button:has-text('Ladda ner')")
    content = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    reader = PdfReader(io.BytesIO(content))
    first = reader.pages[0].extract_text()
    assert "KS 2026/0901" in first and "Förslag till beslut" in first
    assert "Bilaga 1 karta" in first
    assert reader.pages[-1].extract_text().strip() == ""  # the uploaded blank page
    context.close()
