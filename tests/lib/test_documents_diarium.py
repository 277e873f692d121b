"""Documents ready for the diarium: header block, proposal page, appendices, page
numbers, PDF/A-3b with every font embedded, and Word files that LibreOffice opens."""

import datetime
import io
import shutil
import subprocess

import pikepdf
import pytest
from django.utils import translation
from docx import Document as DocxDocument
from pypdf import PdfReader

from tryggnav.lib.documents import (
    Appendix,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Registry,
    merge_pdfs,
    render_docx,
    render_pdf,
)


def _registry():
    return Registry(
        diarienummer="KS 2026/0412",
        handlaggare="Trygghetssamordnaren",
        datum=datetime.date(2026, 12, 7),
        organ="Kommunstyrelsens trygghetsutskott",
    )


def _child():
    return Document(title="Åtgärdsplan (bilaga)").add(Paragraph("Planens text."), PageBreak())


def _uploaded_pdf(pages: int) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _document(**kwargs):
    return Document(title="Lägesbild enligt lag (2023:196)", registry=_registry(), **kwargs).add(
        Heading("Sammanfattning"), Paragraph("Rapportens första stycke.")
    )


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pdf_has_the_header_block_and_sida_x_av_y_on_page_one():
    pages = _pages(render_pdf(_document()))
    assert len(pages) == 1
    for text in ("Diarienummer", "KS 2026/0412", "Handläggare", "Beslutande organ", "2026-12-07"):
        assert text in pages[0]
    assert "Sida 1 av 1" in pages[0]
    assert "Förslag till beslut" not in pages[0]


def test_registry_date_falls_back_on_the_document_date_and_empty_fields_are_left_out():
    document = Document(title="T", date=datetime.date(2026, 1, 2), registry=Registry("KS 1"))
    assert document.registry_rows() == [("Diarienummer", "KS 1"), ("Datum", "2026-01-02")]
    assert Document(title="T").registry_rows() == []


def test_proposal_is_on_the_first_page_and_the_report_starts_on_the_next():
    pages = _pages(render_pdf(_document(proposal=["Utskottet föreslår att nämnden beslutar."])))
    assert len(pages) == 2
    assert "Förslag till beslut" in pages[0]
    assert "Utskottet föreslår" in pages[0]
    assert "Rapportens första stycke." not in pages[0]
    assert "Rapportens första stycke." in pages[1]
    assert "Sida 2 av 2" in pages[1]


def test_appendices_are_listed_numbered_and_appended_in_order():
    document = _document(
        appendices=[
            Appendix("Inskannat protokoll", pdf=_uploaded_pdf(3)),
            Appendix("Åtgärdsplan", document=_child()),
        ]
    )
    pdf = render_pdf(document)
    pages = _pages(pdf)
    # 1 page of the report, 3 uploaded pages, then the child report's own page.
    assert len(pages) == 5
    assert "Bilaga 1 Inskannat protokoll" in pages[0]
    assert "Bilaga 2 Åtgärdsplan" in pages[0]
    assert pages[1].strip() == pages[2].strip() == pages[3].strip() == ""
    assert "Åtgärdsplan (bilaga)" in pages[4]
    assert "Bilaga 2" in pages[4]
    assert "Sida 1 av 1" in pages[4]  # an appendix keeps its own page numbers


def test_pdf_is_pdf_a_with_every_font_embedded_also_after_merging():
    pdf = render_pdf(_document(appendices=[Appendix("Plan", document=_child())]))
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        metadata = opened.open_metadata()
        assert metadata.get("pdfaid:part") == "3"
        assert metadata.get("pdfaid:conformance") == "B"
        assert "/OutputIntents" in opened.Root
        descriptors = list(_font_descriptors(opened))
        assert len(descriptors) >= 2  # fonts of the report and of the appendix
        for descriptor in descriptors:
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _font_descriptors(pdf):
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            descendants = font.get("/DescendantFonts", [font])
            for each in descendants:
                if "/FontDescriptor" in each:
                    yield each.FontDescriptor


def test_merge_keeps_the_first_files_metadata():
    merged = merge_pdfs(render_pdf(Document(title="Först")), [_uploaded_pdf(2)])
    with pikepdf.open(io.BytesIO(merged)) as opened:
        assert len(opened.pages) == 3
        assert opened.open_metadata().get("pdfaid:part") == "3"


def test_page_numbers_in_english():
    with translation.override("en"):
        pages = _pages(render_pdf(_document()))
        assert "Page 1 of 1" in pages[0]
        assert "Reference number" in pages[0]


def _docx(document):
    return DocxDocument(io.BytesIO(render_docx(document)))


def test_docx_has_header_table_proposal_appendices_and_page_fields():
    document = _document(
        proposal=["Nämnden beslutar att godkänna lägesbilden."],
        appendices=[
            Appendix("Protokoll", pdf=_uploaded_pdf(1)),
            Appendix("Plan", document=_child()),
        ],
    )
    docx = _docx(document)
    cells = [c.text for c in docx.tables[0].rows[0].cells] + [
        c.text for c in docx.tables[0].rows[3].cells
    ]
    assert cells == [
        "Diarienummer",
        "KS 2026/0412",
        "Beslutande organ",
        "Kommunstyrelsens trygghetsutskott",
    ]
    text = [p.text for p in docx.paragraphs]
    assert "Förslag till beslut" in text
    assert "Bilaga 1 Protokoll (bifogas separat som PDF)" in text
    assert "Bilaga 2 Plan" in text
    assert "Åtgärdsplan (bilaga)" in text and "Planens text." in text  # the appended report
    assert text.index("Förslag till beslut") < text.index("Sammanfattning")
    footer = docx.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    assert "Sida" in footer and " av " in footer


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_pdf_text(docx: bytes, tmp_path) -> str:
    """Converts a .docx with LibreOffice and gives the PDF's text (fails when it does not open)."""
    source = tmp_path / "rapport.docx"
    source.write_bytes(docx)
    profile = tmp_path / "profile"
    subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "rapport.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0
    return "\n".join(_pages(pdf.read_bytes()))


needs_libreoffice = pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")


@needs_libreoffice
def test_libreoffice_opens_the_word_file(tmp_path):
    document = _document(proposal=["Förslaget."], appendices=[Appendix("Plan", document=_child())])
    text = libreoffice_pdf_text(render_docx(document), tmp_path)
    assert "Lägesbild enligt lag (2023:196)" in text
    assert "KS 2026/0412" in text
    assert "Sida 1 av" in text  # the fields are computed by LibreOffice
