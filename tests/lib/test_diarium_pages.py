"""The form that makes a report ready for the diarium: the header, the proposal and
the appendices reach the downloaded file, and bad uploads are refused with a clear
message in Swedish and English."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as DocxDocument
from pypdf import PdfReader

from tests.fund import factories as fund_factories
from tests.lib.test_documents_diarium import _soffice, needs_libreoffice
from tests.programmes import factories as f
from tryggnav.fund.models import Application, Attachment


def _pdf(pages: int = 2, **save: object) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer, **save)
    return buffer.getvalue()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


HEADER = {
    "diarienummer": "KS 2026/0815",
    "handlaggare": "Cecilia Samordnare",
    "organ": "Kommunstyrelsen",
    "datum": "2026-12-07",
    "forslag": "Kommunstyrelsen godkänner åtgärdsplanen.\n\nUppdraget följs upp 2027.",
}


def _post(world, url: str, data: dict, persona: str = "reader"):
    return world.client(persona).post(url, data)


def test_form_page_lists_the_groups_other_reports(world):
    agreement = f.agreement(world)
    response = world.client("reader").get(
        reverse("programmes:action_plan_report_diarium", args=[world.group.slug])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="diarienummer"' in page and 'type="file"' in page
    assert 'value="lagesbild"' in page
    assert f'value="status-{agreement.public_id}"' in page
    assert 'value="atgardsplan"' not in page  # not the report itself


def test_pdf_download_has_header_proposal_and_appendices_in_order(world):
    agreement = f.agreement(world)
    url = reverse("programmes:status_report_diarium", args=[agreement.public_id])
    data = {**HEADER, "format": "pdf", "rapporter": ["atgardsplan"]}
    data["filer"] = [_upload("Protokoll_2026-11.pdf", _pdf(2))]
    response = _post(world, url, data)
    assert response.status_code == 200, response.content[:800]
    assert response["Content-Disposition"].endswith('.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    texts = [page.extract_text() for page in reader.pages]
    assert "KS 2026/0815" in texts[0] and "Kommunstyrelsen" in texts[0]
    assert "Förslag till beslut" in texts[0]
    assert "Bilaga 1 Åtgärdsplan" in texts[0] and "Bilaga 2 Protokoll 2026-11" in texts[0]
    # The chosen report comes first, with its own label, then the uploaded file's 2 pages.
    first_appendix = next(i for i, t in enumerate(texts) if t.startswith("Bilaga 1"))
    assert texts[-2].strip() == texts[-1].strip() == ""
    assert first_appendix < len(texts) - 2
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert pdf.open_metadata().get("pdfaid:part") == "3"


def test_docx_download_lists_the_uploaded_pdf_as_attached_separately(world):
    url = reverse("programmes:action_plan_report_diarium", args=[world.group.slug])
    data = {**HEADER, "format": "docx", "filer": [_upload("karta.pdf", _pdf(1))]}
    response = _post(world, url, data)
    assert response.status_code == 200
    docx = DocxDocument(io.BytesIO(response.content))
    text = [p.text for p in docx.paragraphs]
    assert "Bilaga 1 karta (bifogas separat som PDF)" in text
    assert "Uppdraget följs upp 2027." in text  # the proposal's second paragraph
    assert docx.tables[0].rows[0].cells[1].text == "KS 2026/0815"


@pytest.mark.parametrize(
    ("name", "data", "swedish", "english"),
    [
        ("brev.pdf", b"Hej, det har ar text.", "är inte en PDF-fil", "is not a PDF file"),
        ("trasig.pdf", b"%PDF-1.7\nskrap", "är trasig", "is corrupt"),
        ("lasta.pdf", None, "är lösenordsskyddad", "is password-protected"),
    ],
)
def test_bad_uploads_are_refused_naming_the_file(world, name, data, swedish, english):
    if data is None:
        data = _pdf(1, encryption=pikepdf.Encryption(owner="o", user="hemligt"))
    url = reverse("programmes:action_plan_report_diarium", args=[world.group.slug])
    response = _post(world, url, {**HEADER, "format": "pdf", "filer": [_upload(name, data)]})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Filen {name} {swedish}" in page
    assert f"The file {name} {english}" in page


def test_too_large_and_too_many_appendices_are_refused(world, settings):
    settings.TRYGGNAV_MAX_APPENDIX_BYTES = 1024 * 1024
    url = reverse("programmes:action_plan_report_diarium", args=[world.group.slug])
    big = _upload("stor.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    response = _post(world, url, {"format": "pdf", "filer": [big]})
    assert response.status_code == 400
    assert "är större än 1 MB" in response.content.decode()
    many = [_upload(f"fil{i}.pdf", _pdf(1)) for i in range(11)]
    response = _post(world, url, {"format": "pdf", "filer": many})
    assert response.status_code == 400
    assert "Högst 10 bilagor / At most 10 appendices." in response.content.decode()


def test_weekly_lagesbild_with_the_week_before_as_appendix(world):
    url = reverse("lagesbild:group_export_diarium", args=[world.group.slug]) + "?vecka=2025-W10"
    page = world.client("reader").get(url).content.decode()
    assert "Lägesbild vecka 9 2025" in page  # the week before, offered as an appendix
    response = _post(world, url, {**HEADER, "format": "docx", "rapporter": ["foregaende"]})
    assert response.status_code == 200
    text = [p.text for p in DocxDocument(io.BytesIO(response.content)).paragraphs]
    assert text[0] == "Lägesbild vecka 10 2025"
    assert "Bilaga 1 Lägesbild vecka 9 2025" in text
    assert "Bilaga 1" in text  # the label above the appended lägesbild


def test_weekly_lagesbild_with_the_weeks_meeting_minutes(world):
    from tryggnav.incidents.weeks import IsoWeek
    from tryggnav.lagesbild import services

    services.meeting_get_or_create(
        group=world.group, week=IsoWeek(2025, 10), by=world.user("coordinator")
    )
    url = reverse("lagesbild:group_export_diarium", args=[world.group.slug]) + "?vecka=2025-W10"
    response = _post(world, url, {"format": "pdf", "rapporter": ["foregaende", "protokoll"]})
    assert response.status_code == 200
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert "Bilaga 1 Lägesbild vecka 9 2025" in texts[0]
    assert "Bilaga 2 Minnesanteckningar vecka 10" in texts[0]
    assert any(t.startswith("Bilaga 2") and "EST Test vecka 10" in t for t in texts[1:])


def test_decision_letter_with_a_stored_attachment(world):
    application = fund_factories.application(world, Application.State.DECIDED)
    attachment = application.attachments.first()
    Attachment.objects.filter(pk=attachment.pk).update(data=_pdf(3))
    url = reverse("fund:decision_letter_diarium", args=[application.public_id])
    choice = f"bilaga-{attachment.public_id}"
    response = _post(world, url, {"format": "pdf", "rapporter": [choice]}, persona="reporter")
    assert response.status_code == 200, response.content[:800]
    letter_only = _post(world, url, {"format": "pdf"}, persona="reporter")
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    assert pages == len(PdfReader(io.BytesIO(letter_only.content)).pages) + 3


def test_a_broken_stored_attachment_is_refused_not_crashed(world):
    application = fund_factories.application(world, Application.State.DECIDED)
    attachment = application.attachments.first()  # the factory's PDF has no pages
    url = reverse("fund:decision_letter_diarium", args=[application.public_id])
    data = {"format": "pdf", "rapporter": [f"bilaga-{attachment.public_id}"]}
    response = _post(world, url, data, persona="reporter")
    assert response.status_code == 400
    assert attachment.filename in response.content.decode()


@needs_libreoffice
def test_libreoffice_converts_every_reports_word_file(world, tmp_path):
    """Each report's .docx, with a header, opens in LibreOffice (one conversion run)."""
    follow_up = f.follow_up(world)
    agreement = f.agreement(world)
    decided = fund_factories.application(world, Application.State.DECIDED)
    urls = {
        "uppfoljning": reverse("programmes:follow_up_report_diarium", args=[follow_up.public_id]),
        "lagesbild": reverse("programmes:lagesbild_report_diarium", args=[world.group.slug]),
        "atgardsplan": reverse("programmes:action_plan_report_diarium", args=[world.group.slug]),
        "status": reverse("programmes:status_report_diarium", args=[agreement.public_id]),
        "vecka": reverse("lagesbild:group_export_diarium", args=[world.group.slug]),
        "beslut": reverse("fund:decision_letter_diarium", args=[decided.public_id]),
        "fond": reverse("fund:fund_report_diarium", args=[decided.fund.public_id]),
    }
    titles = {}
    for name, url in urls.items():
        data = {"diarienummer": f"DNR-{name}", "format": "docx"}
        response = _post(world, url, data)
        assert response.status_code == 200, (name, response.content[:500])
        (tmp_path / f"{name}.docx").write_bytes(response.content)
        titles[name] = DocxDocument(io.BytesIO(response.content)).paragraphs[0].text
    subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
         *(str(tmp_path / f"{name}.docx") for name in urls)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for name in urls:
        pdf = tmp_path / "pdf" / f"{name}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 0, name
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
        assert f"DNR-{name}" in text, name
        assert " ".join(titles[name].split()) in " ".join(text.split()), name
