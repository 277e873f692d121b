"""One document structure, rendered to Word (.docx, python-docx) and PDF (WeasyPrint).

Reports (the weekly lägesbild, meeting minutes, follow-up reports, the åtgärdsplan)
build a ``Document`` of blocks once; ``render_docx`` and ``render_pdf`` give the two
files with the same content. Charts are Vega-Lite specs rendered by
tryggnav.lib.charts: SVG in the PDF, PNG in Word.

Ready for the diarium: an optional header block (``Registry``: diarienummer,
handläggare, datum, beslutande organ), an optional "Förslag till beslut" on the first
page, numbered appendices (``Appendix``: an uploaded PDF or another ``Document``) and
"Sida X av Y" on every page. The PDF is PDF/A-3b; appendices are appended as pages.
In Word a ``Document`` appendix follows as content after a page break, and an uploaded
PDF is listed by name as attached separately (Word cannot hold a PDF's pages).
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tryggnav.lib import charts, numbers


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "", "muted", "note", "warning"


@dataclass
class BulletList:
    items: Sequence[str]


@dataclass
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    caption: str = ""
    numeric: frozenset[int] = frozenset()  # column indexes to right-align
    highlight_rows: frozenset[int] = frozenset()  # e.g. alerts


@dataclass
class Chart:
    spec: dict[str, Any]
    caption: str = ""
    width: int = 640


@dataclass
class Image:
    png: bytes
    caption: str = ""
    width_cm: float = 16.0


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | BulletList | Table | Chart | Image | PageBreak


@dataclass
class Registry:
    """The header block a document needs in the municipality's diarium."""

    diarienummer: str = ""
    handlaggare: str = ""
    datum: datetime.date | None = None
    organ: str = ""  # beslutande organ: the committee or board that decides


@dataclass
class Appendix:
    """A bilaga: an uploaded PDF (``pdf``) or another report (``document``)."""

    title: str
    pdf: bytes | None = None
    document: Document | None = None


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    organisation: str = ""
    date: datetime.date | None = None
    is_demo: bool = False
    registry: Registry | None = None
    proposal: list[str] = field(default_factory=list)  # "Förslag till beslut", paragraphs
    appendices: list[Appendix] = field(default_factory=list)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self

    @property
    def meta_line(self) -> str:
        parts = [p for p in (self.organisation, self.date.isoformat() if self.date else "") if p]
        if self.is_demo:
            parts.append("DEMO – genererade och öppna data, inte ett verkligt ärende")
        return " · ".join(parts)

    def registry_rows(self) -> list[tuple[str, str]]:
        """The header block's filled fields as (label, value); the date falls back on
        the document's own."""
        registry = self.registry
        if registry is None:
            return []
        datum = registry.datum or self.date
        rows = [
            (_("Diarienummer"), registry.diarienummer),
            (_("Handläggare"), registry.handlaggare),
            (_("Datum"), datum.isoformat() if datum else ""),
            (_("Beslutande organ"), registry.organ),
        ]
        return [(label, value) for label, value in rows if value]

    def appendix_lines(self) -> list[str]:
        """'Bilaga 1 Title' for each appendix, uploaded PDFs marked in Word by the caller."""
        return [
            _("Bilaga %(number)s") % {"number": n} + f" {appendix.title}"
            for n, appendix in enumerate(self.appendices, 1)
        ]


def page_of_pages() -> list[str]:
    """'Sida X av Y' split around its two numbers: [before, between, after]."""
    text = _("Sida %(page)s av %(pages)s") % {"page": "\0", "pages": "\0"}
    return text.split("\0")


def _text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return numbers.number(value, 1)
    if isinstance(value, int) and not isinstance(value, bool):
        return numbers.number(value)
    return str(value)


def _language() -> str:
    """The active language (the default outside a request or ``translation.override``)."""
    return translation.get_language() or settings.LANGUAGE_CODE


# Word's language tags for the interface languages.
_DOCX_LANGUAGES = {"sv": "sv-SE", "en": "en-GB"}
_MUTED = RGBColor(0x4A, 0x4A, 0x48)


# --- Word -------------------------------------------------------------------------------


def render_docx(document: Document) -> bytes:
    doc = DocxDocument()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    doc.core_properties.title = document.title
    language = _language()
    doc.core_properties.language = _DOCX_LANGUAGES.get(language, language)
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)

    _docx_footer(section.footer.paragraphs[0])
    _docx_content(doc, document, label="")
    for n, appendix in enumerate(document.appendices, 1):
        if appendix.document is not None:
            doc.add_page_break()
            _docx_content(doc, appendix.document, label=_("Bilaga %(number)s") % {"number": n})
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_content(doc: Any, document: Document, *, label: str) -> None:
    """Title, header block, proposal and appendix list, then the blocks. An appendix
    (``label`` "Bilaga 2") gets its label above its title."""
    if label:
        doc.add_paragraph(label).runs[0].bold = True
    doc.add_heading(document.title, level=0)
    if document.subtitle:
        doc.add_paragraph(document.subtitle).runs[0].italic = True
    if document.meta_line:
        run = doc.add_paragraph().add_run(document.meta_line)
        run.font.size = Pt(9)
        run.font.color.rgb = _MUTED
    _docx_front(doc, document)
    for block in document.blocks:
        _DOCX_WRITERS[type(block)](doc, block)


def _docx_front(doc: Any, document: Document) -> None:
    """The header block, 'Förslag till beslut' and the list of appendices; a page break
    after the proposal so that the report starts on a page of its own."""
    _docx_registry(doc, document.registry_rows())
    if document.proposal:
        doc.add_heading(_("Förslag till beslut"), level=1)
        for text in document.proposal:
            doc.add_paragraph(text)
    if document.appendices:
        doc.add_heading(_("Bilagor"), level=2)
        for line, appendix in zip(document.appendix_lines(), document.appendices, strict=True):
            attached = _("bifogas separat som PDF")
            note = f" ({attached})" if appendix.document is None else ""
            doc.add_paragraph(line + note, style="List Bullet")
    if document.proposal:
        doc.add_page_break()


def _docx_registry(doc: Any, rows: list[tuple[str, str]]) -> None:
    if not rows:
        return
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    doc.add_paragraph()


def _docx_footer(paragraph: Any) -> None:
    """'Sida X av Y' with Word's PAGE and NUMPAGES fields, right-aligned."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, between, after = page_of_pages()
    for text, field_code in ((before, "PAGE"), (between, "NUMPAGES"), (after, "")):
        if text:
            paragraph.add_run(text).font.size = Pt(8)
        if field_code:
            simple = OxmlElement("w:fldSimple")
            simple.set(qn("w:instr"), f" {field_code} ")
            run = OxmlElement("w:r")
            text_element = OxmlElement("w:t")
            text_element.text = "1"
            run.append(text_element)
            simple.append(run)
            paragraph._p.append(simple)


def _docx_heading(doc: Any, block: Heading) -> None:
    doc.add_heading(block.text, level=min(max(block.level, 1), 4))


def _docx_paragraph(doc: Any, block: Paragraph) -> None:
    paragraph = doc.add_paragraph(block.text)
    if block.style in ("muted", "note"):
        for run in paragraph.runs:
            run.font.size = Pt(9)
            run.font.color.rgb = _MUTED
    elif block.style == "warning":
        for run in paragraph.runs:
            run.bold = True
            run.font.color.rgb = RGBColor(0x8A, 0x61, 0x00)


def _docx_bullets(doc: Any, block: BulletList) -> None:
    for item in block.items:
        doc.add_paragraph(item, style="List Bullet")


def _docx_table(doc: Any, block: Table) -> None:
    if block.caption:
        caption = doc.add_paragraph(block.caption)
        caption.runs[0].bold = True
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, column in enumerate(block.columns):
        cell = table.rows[0].cells[i]
        cell.text = str(column)
        cell.paragraphs[0].runs[0].bold = True
    for r, row in enumerate(block.rows):
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = _text(value)
            paragraph = cells[i].paragraphs[0]
            if i in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if r in block.highlight_rows and paragraph.runs:
                paragraph.runs[0].bold = True
    doc.add_paragraph()


def _docx_picture(doc: Any, png: bytes, width_cm: float, caption: str) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
    if caption:
        doc.add_paragraph(caption).runs[0].italic = True


def _docx_chart(doc: Any, block: Chart) -> None:
    _docx_picture(doc, charts.render_png(block.spec, width=block.width), 16, block.caption)


def _docx_image(doc: Any, block: Image) -> None:
    _docx_picture(doc, block.png, block.width_cm, block.caption)


def _docx_page_break(doc: Any, block: PageBreak) -> None:
    doc.add_page_break()


_DOCX_WRITERS: dict[type, Callable[[Any, Any], None]] = {
    Heading: _docx_heading,
    Paragraph: _docx_paragraph,
    BulletList: _docx_bullets,
    Table: _docx_table,
    Chart: _docx_chart,
    Image: _docx_image,
    PageBreak: _docx_page_break,
}


# --- HTML and PDF -----------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 2cm 2cm 2.2cm; font-family: "DejaVu Sans", sans-serif;
  @bottom-right { content: PAGE_OF_PAGES;
  font-size: 8pt; color: #4a4a48; } @bottom-left { content: LABEL; font-size: 8pt; color: #4a4a48; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #1d1d1b; line-height: 1.4; }
h1 { font-size: 20pt; color: #1d4e89; margin: 0 0 4pt; }
h2 { font-size: 14pt; color: #1d4e89; margin: 16pt 0 6pt; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt; }
h4 { font-size: 10pt; margin: 10pt 0 4pt; }
.subtitle { font-style: italic; margin: 0 0 4pt; }
.meta, .muted, .note { color: #4a4a48; font-size: 8.5pt; }
.warning { color: #8a6100; font-weight: bold; }
.demo { display: inline-block; background: #5b2c83; color: #fff; padding: 1pt 5pt; font-size: 8pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; font-size: 8.5pt; }
caption { text-align: left; font-weight: bold; margin-bottom: 3pt; }
th, td { border-bottom: 0.5pt solid #c9c9c4; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #f4f4f1; }
th.num { text-align: right; }
td.num { text-align: right; }
tr.hl td { font-weight: bold; background: #fde7e5; }
figure { margin: 6pt 0 12pt; page-break-inside: avoid; }
figure svg, figure img { max-width: 100%; height: auto; }
figcaption { font-style: italic; font-size: 8.5pt; color: #4a4a48; }
.pagebreak { page-break-after: always; }
table.registry { width: auto; min-width: 60%; font-size: 9pt; }
table.registry th { width: 11em; }
.appendix-label { font-weight: bold; margin: 0 0 4pt; }
"""


def _css(label: str) -> str:
    """The style sheet with the translated 'Sida X av Y' and the appendix label in the
    page margin (CSS counters count the pages of this document, not of its appendices)."""
    before, between, after = (json.dumps(part) for part in page_of_pages())
    page_of = f"{before} counter(page) {between} counter(pages) {after}"
    return _CSS.replace("PAGE_OF_PAGES", page_of).replace("LABEL", json.dumps(label))


def render_html(document: Document, *, label: str = "") -> str:
    """The document as one HTML page for WeasyPrint; ``label`` ("Bilaga 2") marks an
    appendix above its title and in the page margin."""
    e = html.escape
    parts = [
        f'<!doctype html><html lang="{e(_language())}"><head><meta charset="utf-8">'
        f"<title>{e(document.title)}</title><style>{_css(label)}</style></head><body>",
        f'<p class="appendix-label">{e(label)}</p>' if label else "",
        f"<h1>{e(document.title)}</h1>",
    ]
    if document.subtitle:
        parts.append(f'<p class="subtitle">{e(document.subtitle)}</p>')
    if document.meta_line:
        demo = '<span class="demo">DEMO</span> ' if document.is_demo else ""
        parts.append(f'<p class="meta">{demo}{e(document.meta_line)}</p>')
    parts.append(_html_front(document))
    parts.extend(_HTML_WRITERS[type(block)](block) for block in document.blocks)
    parts.append("</body></html>")
    return "".join(parts)


def _html_front(document: Document) -> str:
    """The header block, 'Förslag till beslut' and the list of appendices; the report
    starts on a new page after a proposal."""
    e = html.escape
    parts = []
    rows = document.registry_rows()
    if rows:
        cells = "".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in rows)
        parts.append(f'<table class="registry"><tbody>{cells}</tbody></table>')
    if document.proposal:
        parts.append(f"<h2>{e(_('Förslag till beslut'))}</h2>")
        parts.extend(f"<p>{e(text)}</p>" for text in document.proposal)
    if document.appendices:
        items = "".join(f"<li>{e(line)}</li>" for line in document.appendix_lines())
        parts.append(f'<h3>{e(_("Bilagor"))}</h3><ul class="appendices">{items}</ul>')
    if document.proposal:
        parts.append('<div class="pagebreak"></div>')
    return "".join(parts)


def _html_heading(block: Heading) -> str:
    level = min(max(block.level + 1, 2), 4)
    return f"<h{level}>{html.escape(block.text)}</h{level}>"


def _html_paragraph(block: Paragraph) -> str:
    css = f' class="{block.style}"' if block.style else ""
    return f"<p{css}>{html.escape(block.text)}</p>"


def _html_bullets(block: BulletList) -> str:
    items = "".join(f"<li>{html.escape(item)}</li>" for item in block.items)
    return f"<ul>{items}</ul>"


def _html_table(block: Table) -> str:
    e = html.escape
    head = "".join(
        f'<th scope="col"{" class=num" if i in block.numeric else ""}>{e(str(c))}</th>'
        for i, c in enumerate(block.columns)
    )
    rows = []
    for r, row in enumerate(block.rows):
        cells = "".join(
            f"<td{' class=num' if i in block.numeric else ''}>{e(_text(v))}</td>"
            for i, v in enumerate(row)
        )
        rows.append(f"<tr{' class=hl' if r in block.highlight_rows else ''}>{cells}</tr>")
    caption = f"<caption>{e(block.caption)}</caption>" if block.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figcaption(caption: str) -> str:
    return f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""


def _html_chart(block: Chart) -> str:
    svg = charts.render_svg(block.spec, width=block.width)
    return f"<figure>{svg}{_figcaption(block.caption)}</figure>"


def _html_image(block: Image) -> str:
    data = base64.b64encode(block.png).decode()
    return (
        f'<figure><img alt="{html.escape(block.caption)}" src="data:image/png;base64,{data}">'
        f"{_figcaption(block.caption)}</figure>"
    )


def _html_page_break(block: PageBreak) -> str:
    return '<div class="pagebreak"></div>'


_HTML_WRITERS: dict[type, Callable[[Any], str]] = {
    Heading: _html_heading,
    Paragraph: _html_paragraph,
    BulletList: _html_bullets,
    Table: _html_table,
    Chart: _html_chart,
    Image: _html_image,
    PageBreak: _html_page_break,
}


PDF_VARIANT = "pdf/a-3b"


def render_pdf(document: Document, *, label: str = "") -> bytes:
    """The document as PDF/A-3b, each appendix's pages after its own (a ``Document``
    appendix rendered the same way, an uploaded PDF's pages as they are)."""
    # WeasyPrint takes seconds to import; only processes that write a PDF pay for it.
    from weasyprint import HTML

    pdf = HTML(string=render_html(document, label=label)).write_pdf(pdf_variant=PDF_VARIANT)
    parts = [_appendix_pdf(appendix, n) for n, appendix in enumerate(document.appendices, 1)]
    return merge_pdfs(pdf, parts) if parts else pdf


def _appendix_pdf(appendix: Appendix, number: int) -> bytes:
    if appendix.document is not None:
        return render_pdf(appendix.document, label=_("Bilaga %(number)s") % {"number": number})
    if appendix.pdf is None:
        raise ValueError(f"appendix {appendix.title!r} has neither a PDF nor a document")
    return appendix.pdf


def merge_pdfs(first: bytes, others: Sequence[bytes]) -> bytes:
    """``first`` with the pages of ``others`` appended. The first file's catalogue
    stays, so its PDF/A identification (XMP metadata, output intent) is kept; the result
    conforms when every appended file does (WeasyPrint's own output does; an uploaded
    PDF is appended as it is, see docs/reports/README.md)."""
    import pikepdf

    sources = [pikepdf.open(io.BytesIO(data)) for data in others]
    try:
        with pikepdf.open(io.BytesIO(first)) as pdf:
            for source in sources:
                pdf.pages.extend(source.pages)
            buffer = io.BytesIO()
            pdf.save(buffer)
            return buffer.getvalue()
    finally:
        for source in sources:
            source.close()


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"


def document_response(document: Document, *, fmt: str, filename: str):
    """An HTTP download of the document as 'docx' or 'pdf'."""
    if fmt == "docx":
        response = HttpResponse(render_docx(document), content_type=DOCX_CONTENT_TYPE)
    elif fmt == "pdf":
        response = HttpResponse(render_pdf(document), content_type=PDF_CONTENT_TYPE)
    else:
        raise ValueError(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
