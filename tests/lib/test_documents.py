import io
import zipfile

import pytest
from django.utils import translation
from docx import Document as DocxDocument

from tryggnav.lib.charts import bar_chart, line_chart, map_chart, render_svg
from tryggnav.lib.documents import (
    BulletList,
    Chart,
    Document,
    Heading,
    Paragraph,
    Table,
    render_docx,
    render_html,
    render_pdf,
)
from tryggnav.lib.tabular import csv_text, neutralise, xlsx_bytes


def _document():
    chart = line_chart(
        [{"week": "2025-03-03", "n": 3, "ub": 5}, {"week": "2025-03-10", "n": 9, "ub": 6}],
        x="week",
        y="n",
        threshold="ub",
    )
    return Document(title="Lägesbild vecka 11", subtitle="EST Test", is_demo=True).add(
        Heading("Sammanfattning"),
        Paragraph("Skadegörelse i Vällingby: 14 händelser."),
        BulletList(["Första punkten", "Andra punkten"]),
        Table(
            ["Område", "Antal"],
            [["Vällingby", 14], ["Vinsta", 3]],
            caption="Tabell 1",
            numeric=frozenset({1}),
        ),
        Chart(chart, caption="Figur 1: Skadegörelse per vecka"),
    )


def test_docx_holds_the_same_text_as_the_html():
    docx = DocxDocument(io.BytesIO(render_docx(_document())))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "Lägesbild vecka 11" in text
    assert "Skadegörelse i Vällingby: 14 händelser." in text
    assert "DEMO" in text
    cells = [c.text for row in docx.tables[0].rows for c in row.cells]
    assert cells == ["Område", "Antal", "Vällingby", "14", "Vinsta", "3"]
    assert len(docx.inline_shapes) == 1  # the chart, as a picture
    html = render_html(_document())
    assert "Skadegörelse i Vällingby: 14 händelser." in html
    assert "<svg" in html


def test_pdf_is_a_pdf_with_the_title():
    pdf = render_pdf(_document())
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000


def test_map_rings_are_turned_clockwise_for_d3():
    # A counter-clockwise (RFC 7946) square; drawn without rewinding it would fill the world.
    square = {
        "type": "Feature",
        "properties": {"name": "A", "n": 1},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[17.8, 59.3], [17.9, 59.3], [17.9, 59.4], [17.8, 59.4], [17.8, 59.3]]],
        },
    }
    spec = map_chart([square], value="n")
    ring = spec["layer"][0]["data"]["values"][0]["geometry"]["coordinates"][0]
    signed = sum((x2 - x1) * (y2 + y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    assert signed > 0  # clockwise
    assert "<svg" in render_svg(spec)


def test_bar_chart_with_error_bars_renders():
    spec = bar_chart([{"k": "A", "v": 0.6, "lo": 0.5, "hi": 0.7}], x="k", y="v", error=("lo", "hi"))
    assert "<svg" in render_svg(spec)


def test_formula_cells_are_neutralised_in_csv_and_xlsx():
    assert neutralise('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert neutralise("+46 8 123") == "'+46 8 123"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-1") == "'-1"
    assert neutralise(-1) == -1
    assert neutralise("Vällingby") == "Vällingby"
    text = csv_text(["a", "b"], [["=1+1", 2]])
    assert "'=1+1;2" in text
    data = xlsx_bytes([("Blad", ["a"], [["=cmd|' /C calc'!A0"], [3]])])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula stored
    assert "&apos;=cmd" in sheet or "'=cmd" in sheet


@pytest.mark.parametrize(
    ("language", "grouped", "decimal"),
    [("sv", "12\u00a0345", "2,5"), ("en", "12,345", "2.5")],
)
def test_table_numbers_and_the_language_follow_the_reader(language, grouped, decimal):
    document = Document(title="Antal").add(
        Table(["Område", "Antal", "Snitt", "Öppen"], [["Vällingby", 12345, 2.5, True]])
    )
    with translation.override(language):
        docx = DocxDocument(io.BytesIO(render_docx(document)))
        html = render_html(document)
    cells = [c.text for c in docx.tables[0].rows[1].cells]
    assert cells == ["Vällingby", grouped, decimal, "True"]
    assert f"<td>{grouped}</td><td>{decimal}</td>" in html
    assert f'<html lang="{language}">' in html
    assert docx.core_properties.language == {"sv": "sv-SE", "en": "en-GB"}[language]
