"""The diarium form on the reports that came after it: a law document (filled with its
decision, its lägesbild offered and ticked as an appendix), the walk protocol and the
SBA overview. Each download carries the header block the form was given."""

from __future__ import annotations

import datetime
import io
import re

import pikepdf
import pytest
from django.urls import reverse
from docx import Document as Docx

from tests.checks import factories as checks
from tests.documents import factories as lawdocs
from tests.walks import factories as walks
from tryggnav.documents import services

pytestmark = pytest.mark.django_db


def _docx_text(response) -> str:
    doc = Docx(io.BytesIO(response.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _plan(world):
    return services.action_plan_create(
        lagesbild=lawdocs.decided(world), period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31), by=world.user("coordinator"),
    )  # fmt: skip


def test_the_law_document_form_is_filled_with_the_decision(world):
    document = lawdocs.decided(world)
    url = reverse("documents:export_diarium", args=[document.public_id])
    page = world.client("reader").get(url).content.decode()
    assert re.search(r'name="diarienummer"[^>]*value="KS-2026/1"', page)
    assert re.search(r'name="organ"[^>]*value="Kommunstyrelsen"', page)


def test_the_plan_offers_its_lagesbild_ticked_and_appends_it(world):
    plan = _plan(world)
    url = reverse("documents:export_diarium", args=[plan.public_id])
    page = world.client("coordinator").get(url).content.decode()
    key = f"lagesbild-{plan.based_on.public_id}"
    assert re.search(rf'value="{key}"[^>]*checked', page)
    alone = world.client("coordinator").post(url, {"format": "pdf", "diarienummer": "KS 1"})
    appended = world.client("coordinator").post(
        url, {"format": "pdf", "diarienummer": "KS 1", "rapporter": [key]}
    )
    pages = [len(pikepdf.open(io.BytesIO(r.content)).pages) for r in (alone, appended)]
    assert pages[1] > pages[0]


def test_the_walk_protocol_carries_the_header_block(world):
    walk = walks.walk(world)
    url = reverse("inspections:walk_protocol_diarium", args=[walk.public_id])
    response = world.client("coordinator").post(
        url, {"format": "docx", "diarienummer": "SBN 2026/77", "organ": "Samhällsbyggnadsnämnden"}
    )
    assert response.status_code == 200
    text = _docx_text(response)
    assert "SBN 2026/77" in text and "Samhällsbyggnadsnämnden" in text


def test_the_sba_overview_carries_the_header_block(world):
    checks.inspection(world)
    url = reverse("inspections:checks_overview_diarium", args=[world.lead.slug])
    response = world.client("coordinator").post(
        url, {"format": "docx", "diarienummer": "KS 2026/12"}
    )
    assert response.status_code == 200
    assert "KS 2026/12" in _docx_text(response)
