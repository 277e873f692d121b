"""Each of the four reports in Swedish and in English, as Word and as PDF: headings in
the reader's language, numbers formatted for it, and the significance verdicts that
agree with the figures' ``Verdict``.

The data are built and every document rendered once for the module, inside a
transaction that is rolled back afterwards. Word files in both languages; PDF files in
English only (tests/programmes/test_reports.py downloads the Swedish ones), and in both
languages the HTML that WeasyPrint turns into the PDF.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import translation

from tests.conftest import make_world
from tests.programmes import factories as f
from tests.programmes.test_reports import _docx_text, _partner_count, _police_counts
from tests.steering import factories as steering
from tryggnav.incidents.models import Category
from tryggnav.lib.documents import Document, render_docx, render_html, render_pdf
from tryggnav.programmes import reports, services
from tryggnav.programmes.models import ReportSnapshot
from tryggnav.programmes.reports import law
from tryggnav.programmes.reports.queries import Scope
from tryggnav.steering import services as steering_services
from tryggnav.steering.models import Evaluation

TODAY = datetime.date(2026, 2, 1)
YEAR_2025 = reports.Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
NBSP = "\u00a0"

# The tests read only what the module fixture rendered; the mark makes the test
# database exist for it.
pytestmark = pytest.mark.django_db


@dataclass
class Rendered:
    document: Document
    headings: list[str]  # of the Word file
    text: str  # of the Word file: paragraphs, then table rows with " | " between cells
    pdf: bytes | None  # English only
    html: str  # what the PDF is rendered from


def _data(world) -> dict:
    """A year with a significant rise in vandalism (10 → 1,274 police events, enough for
    thousands separators), a follow-up, a measure with an evaluation and an agreement
    whose status report was recorded before an indicator got a value of 1,234.5."""
    category = Category.objects.get(collaboration_group__isnull=True, slug="skadegorelse")
    _police_counts(
        category,
        {
            datetime.date(2023, 6, 5): 1,
            datetime.date(2024, 3, 4): 10,
            datetime.date(2025, 3, 3): 40,
            datetime.date(2025, 6, 2): 1234,
        },
    )
    _partner_count(world, category, 3, municipality="0126")
    follow_up = f.follow_up(world)
    measure = steering.measure(world)
    agreement = f.agreement(world)
    measure.problem.agreement = agreement
    measure.problem.save()
    by = world.user("coordinator")
    services.report_snapshot_record(
        by=by, agreement=agreement, figures=reports.status_figures(agreement, today=TODAY)
    )
    steering_services.indicator_value_save(
        indicator=measure.indicator,
        by=by,
        period_start=datetime.date(2025, 1, 1),
        label="2025",
        value=1234.5,
    )
    Evaluation.objects.create(
        measure=measure,
        evaluated_on=datetime.date(2026, 1, 15),
        conclusion="Bedömning",
        figures={"now": {"label": "2025", "value": 1234.5}, "target": {"value": 20.0}},
    )
    return {"follow_up": follow_up, "agreement": agreement}


def _documents(world, data) -> dict[str, Document]:
    reader = world.user("reader")
    previous = ReportSnapshot.objects.filter(agreement=data["agreement"]).first()
    return {
        "follow_up": reports.follow_up_report(data["follow_up"], today=TODAY),
        "law": reports.lagesbild_report(
            scope=Scope.for_municipality(world.group.municipality),
            period=YEAR_2025,
            user=reader,
            today=TODAY,
        ),
        "action_plan": reports.action_plan_report(group=world.group, user=reader, today=TODAY),
        "status": reports.status_report(data["agreement"], previous=previous, today=TODAY),
    }


def _render(document: Document, *, pdf: bool) -> Rendered:
    headings, text = _docx_text(render_docx(document))
    pdf_file = render_pdf(document) if pdf else None
    return Rendered(document, headings, text, pdf_file, render_html(document))


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> dict[tuple[str, str], Rendered]:
    """(language, report) → the rendered report; the law report's figures under
    ("figures", language)."""
    out: dict = {}
    with django_db_blocker.unblock(), transaction.atomic():
        world = make_world()
        data = _data(world)
        for language in ("sv", "en"):
            with translation.override(language):
                for name, document in _documents(world, data).items():
                    out[language, name] = _render(document, pdf=language == "en")
                out["figures", language] = law.law_figures(
                    scope=Scope.for_municipality(world.group.municipality),
                    period=YEAR_2025,
                    user=world.user("reader"),
                    today=TODAY,
                )
        transaction.set_rollback(True)
    return out


def _html_text(page: str) -> str:
    """The HTML's text, table cells joined with " | " as in ``_docx_text``."""
    page = re.sub(r"</t[dh]>\s*<t[dh][^>]*>", " | ", page)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def _assert_in_word_and_pdf(r: Rendered, *texts: str) -> None:
    assert r.pdf is None or r.pdf.startswith(b"%PDF")
    pdf_text = _html_text(r.html)
    for text in texts:
        assert text in r.text, text
        assert text in pdf_text, text


HEADINGS = {
    ("sv", "follow_up"): ["Trygghetsprogram 2024–2027", "Inledning", "Indikatorer"],
    ("en", "follow_up"): ["Trygghetsprogram 2024–2027", "Introduction", "Indicators"],
    ("sv", "law"): ["Lägesbild enligt lag (2023:196)", "Omfattning", "Analys och prioriteringar"],
    ("en", "law"): [
        "Situational picture under Act (2023:196)",
        "Extent",
        "Analysis and priorities",
    ],
    ("sv", "action_plan"): ["Åtgärdsplan", "Inledning", "Översikt", "Uppföljning"],
    ("en", "action_plan"): ["Action plan", "Introduction", "Overview"],
    ("sv", "status"): ["Statusrapport till styrgruppen", "Förändringar sedan förra rapporten"],
    ("en", "status"): ["Status report to the steering group", "Changes since the last report"],
}

# The same figure in each language: a grouped thousand and a decimal.
FIGURES = {
    ("sv", "follow_up"): f"2025 | 1{NBSP}234,5",
    ("en", "follow_up"): "2025 | 1,234.5",
    ("sv", "law"): f"Under perioden registrerades 1{NBSP}274 händelser",
    ("en", "law"): "During the period 1,274 incidents were recorded",
    ("sv", "action_plan"): f"värde 1{NBSP}234,5 (2025)",
    ("en", "action_plan"): "value 1,234.5 (2025)",
    ("sv", "status"): f"31,0 (2025) → 1{NBSP}234,5 (2025)",
    ("en", "status"): "31.0 (2025) → 1,234.5 (2025)",
}


def test_english_pdfs_are_pdfs(rendered):
    for name in ("follow_up", "law", "action_plan", "status"):
        pdf = rendered["en", name].pdf
        assert pdf is not None and pdf.startswith(b"%PDF") and len(pdf) > 2000, name


@pytest.mark.parametrize("key", sorted(HEADINGS))
def test_headings_are_in_the_readers_language(rendered, key):
    r = rendered[key]
    for heading in HEADINGS[key]:
        assert heading in r.headings, heading
        assert f">{heading}</h" in r.html, heading
    other = "en" if key[0] == "sv" else "sv"
    for heading in HEADINGS[other, key[1]][1:]:
        assert heading not in r.headings, heading


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_numbers_are_formatted_for_the_language(rendered, key):
    _assert_in_word_and_pdf(rendered[key], FIGURES[key])


def test_rates_and_percentages_follow_the_language(rendered):
    _assert_in_word_and_pdf(rendered["sv", "law"], "1,28 (1,21–1,35)")
    _assert_in_word_and_pdf(rendered["en", "law"], "1.28 (1.21–1.35)")
    assert "Per 1 000 inv. och år (95 % KI)" in rendered["sv", "law"].text
    assert "Per 1,000 pop. per year (95% CI)" in rendered["en", "law"].text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_significance_in_the_text_agrees_with_the_verdicts(rendered, language):
    figures = rendered["figures", language]
    r = rendered[language, "law"]
    vandalism, total = figures.extent
    assert vandalism.basis is law.Basis.ALL
    assert vandalism.change.verdict is law.Verdict.MORE
    assert figures.significant == [vandalism, total]
    more = {"sv": "Signifikant fler än perioden före", "en": "Significantly more than"}
    analysis = {
        "sv": "Statistiskt säkerställda förändringar mot perioden före:",
        "en": "Statistically established changes compared with the period before:",
    }
    with translation.override(language):
        label = vandalism.label  # worded in the reader's language when the text is made
    assert label == {"sv": "Skadegörelse/klotter", "en": "Vandalism/graffiti"}[language]
    _assert_in_word_and_pdf(
        r,
        f"{label} | {({'sv': f'1{NBSP}274', 'en': '1,274'})[language]} | 10 | ",
        f"| {more[language]}",
        analysis[language],
        f"{label}: {more[language].lower()}",
    )


def test_verdicts_are_data_and_their_wording_follows_them():
    days = (365, 366)
    assert law.compare(40, 10, comparable=True, days=days).verdict is law.Verdict.MORE
    assert law.compare(10, 40, comparable=True, days=days).verdict is law.Verdict.FEWER
    unchanged = law.compare(12, 10, comparable=True, days=days)
    assert unchanged.verdict is law.Verdict.NO_CHANGE and not unchanged.significant
    assert law.compare(0, 0, comparable=True).verdict is law.Verdict.NO_EVENTS
    assert law.compare(40, 10, comparable=False).verdict is law.Verdict.NOT_COMPARABLE
    with translation.override("en"):
        assert law.change_text(10, 40, comparable=True).startswith("Significantly fewer")
        assert law.change_text(12, 10, comparable=True) == ("No established change (p = 0.832)")
