"""A decided law document is ready for the diarium: its decision fields are the header
block, its proposal the "Förslag till beslut" page, and an åtgärdsplan carries the
lägesbild version it was decided on as Bilaga 1, in Word and in the PDF/A."""

from __future__ import annotations

import datetime
import io

import pikepdf
import pytest
from docx import Document as Docx

from tests.documents import factories as f
from tryggnav.documents import render, services
from tryggnav.lib import documents

pytestmark = pytest.mark.django_db


def _plan(world):
    return services.action_plan_create(
        lagesbild=f.decided(world), period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31), by=world.user("coordinator"),
    )  # fmt: skip


def test_the_decision_is_the_header_block_and_the_proposal_its_page(world):
    result = render.as_document(f.decided(world))
    assert dict(result.registry_rows())["Diarienummer"] == "KS-2026/1"
    assert dict(result.registry_rows())["Beslutande organ"] == "Kommunstyrelsen"
    assert result.proposal == ["Kommunstyrelsen föreslås besluta."]
    headings = [b.text for b in result.blocks if isinstance(b, documents.Heading)]
    assert "Förslag till beslut" not in headings  # once, on its own page, not twice
    text = "\n".join(p.text for p in Docx(io.BytesIO(documents.render_docx(result))).paragraphs)
    assert text.count("Förslag till beslut") == 1


def test_a_draft_has_no_header_block(world):
    assert render.as_document(f.lagesbild(world)).registry is None


def test_the_plan_carries_its_lagesbild_as_an_appendix(world):
    plan = _plan(world)
    result = render.as_document(plan)
    (appendix,) = result.appendices
    assert appendix.document is not None and appendix.document.title == plan.based_on.title
    alone = pikepdf.open(io.BytesIO(documents.render_pdf(render.as_document(plan.based_on))))
    with_appendix = pikepdf.open(io.BytesIO(documents.render_pdf(result)))
    assert len(with_appendix.pages) > len(alone.pages)
