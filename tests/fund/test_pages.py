"""The fund through HTTP: attachments checked by content, the public page and open
data showing granted projects only, scores side by side, documents, bad input."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.fund import factories as f
from tryggnav.fund import services
from tryggnav.fund.checks import MAX_ATTACHMENT_BYTES, sniff
from tryggnav.fund.models import Application, Attachment, Decision

pytestmark = pytest.mark.django_db


def _upload(world, app, name: str, data: bytes):
    url = reverse("fund:attachment_upload", args=[app.public_id])
    file = SimpleUploadedFile(name, data)
    return world.client("reporter").post(url, {"label": "Projektplan", "file": file}, follow=True)


def test_a_renamed_executable_is_refused_by_its_content(world):
    app = f.application(world, Application.State.DRAFT)
    response = _upload(world, app, "projektplan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)
    page = response.content.decode()
    assert "enligt sitt innehåll; filnamnet avgör inte" in page
    assert not Attachment.objects.filter(application=app).exists()


def test_an_oversized_file_is_refused_and_allowed_types_are_kept(world):
    app = f.application(world, Application.State.DRAFT)
    big = b"%PDF-1.4\n" + b"0" * MAX_ATTACHMENT_BYTES
    assert "större än 5 MB" in _upload(world, app, "stor.pdf", big).content.decode()
    _upload(world, app, "plan.docx", f.docx_bytes())
    _upload(world, app, "karta.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    kinds = set(Attachment.objects.filter(application=app).values_list("content_type", flat=True))
    assert kinds == {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
    }


def test_sniff_tells_word_from_other_zips():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("evil.sh", "rm -rf /")
    assert sniff(buffer.getvalue()) is None
    assert sniff(f.docx_bytes()) is not None
    assert sniff(b"\x7fELF\x02\x01") is None
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100) is None  # .msi, .doc


def test_public_page_and_open_data_show_granted_projects_only(world):
    granted = f.application(world, Application.State.DECIDED, title="Belysning i parken")
    refused = f.application(world, title="Avslagen idé")
    services.decision_make(application=refused, by=world.user("coordinator"), outcome="refused",
                           reason="Hemlig motivering")  # fmt: skip
    f.application(world, title="Inskickad men ej beslutad")
    fund = granted.fund
    anonymous = world.client("anonymous")
    page = anonymous.get(reverse("fund:public", args=[fund.public_id])).content.decode()
    assert "Belysning i parken" in page and "Testbostäder AB" in page
    for secret in ("Avslagen idé", "Hemlig motivering", "Inskickad men ej", "Oro i centrum"):
        assert secret not in page
    data = json.loads(
        anonymous.get(reverse("fund:public_data", args=[fund.public_id, "json"])).content
    )
    assert [p["project"] for p in data["projects"]] == ["Belysning i parken"]
    assert data["projects"][0]["amount_sek"] == 100_000
    assert set(data["projects"][0]) == {
        "project", "applicant", "amount_sek", "place", "prevention_type", "status", "decided"}  # fmt: skip
    csv_text = anonymous.get(reverse("fund:public_data", args=[fund.public_id, "csv"])).content
    lines = csv_text.decode().strip().splitlines()
    assert len(lines) == 2 and "Belysning i parken" in lines[1] and "100000" in lines[1]


def test_scores_side_by_side_with_spread(world):
    app = f.application(world)
    second = services.assessment_assign(
        application=app, by=world.user("coordinator"), assessor=world.user("coordinator")
    )
    criteria = list(app.call.criteria.all())
    first = f.assessment(world)
    services.assessment_score(assessment=first, by=world.user("admin"),
                              scores={c.pk: (5, "") for c in criteria})  # fmt: skip
    services.assessment_score(assessment=second, by=world.user("coordinator"),
                              scores={c.pk: (1, "Svag plan") for c in criteria})  # fmt: skip
    page = world.client("coordinator").get(app.get_absolute_url()).content.decode()
    assert "Spridning" in page and "Svag plan" in page
    # Each criterion: 5 and 1, mean 3,0, spread 4.
    assert page.count('<td class="num">3,0</td>') == 3
    # The weighted means per assessor: 5,0 and 1,0.
    assert '<td class="num">5,0</td><td class="num">1,0</td>' in page
    assert page.count('<td class="num">4</td>') == 3
    # The applicant sees no scores.
    assert "Spridning" not in world.client("reporter").get(app.get_absolute_url()).content.decode()


def test_decision_form_refuses_overspending_and_names_the_field_in_english(world):
    f.fund(world, budget=150_000)
    first, app = f.application(world, title="Först"), f.application(world, title="Sen")
    f.decide(world, first)
    client = world.client("coordinator")
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(
        reverse("fund:decision", args=[app.public_id]),
        {"outcome": "full", "amount": 100_000},
        follow=True,
    )
    page = response.content.decode().replace("\xa0", " ")
    assert "would exceed the fund&#x27;s budget: 50,000 kr remains" in page
    assert not Decision.objects.filter(application=app).exists()


def test_apply_form_sent_twice_creates_once_and_bad_budget_names_the_line(world):
    call = f.call(world)
    url = reverse("fund:apply", args=[call.public_id])
    client = world.client("reporter")
    form = client.get(url).context["form"]
    key = form.fields["form_key"].initial()
    data = {
        "organisation": world.partner.pk, "title": "Trygghetsvärdar", "problem": "Oro.",
        "place_name": "Torget", "prevention_type": "social", "starts": f.today().isoformat(),
        "ends": f.today().isoformat(), "co_financing": 0, "budget": "Värdar; 50 000",
        "form_key": key,
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Application.objects.filter(title="Trygghetsvärdar").count() == 1
    bad = client.post(url, {**data, "form_key": "other", "title": "Två", "budget": "Värdar\n"})
    assert bad.status_code == 400
    assert "Rad 1: skriv" in bad.content.decode()
    assert not Application.objects.filter(title="Två").exists()


def test_documents_render_from_a_decided_application(world):
    app = f.application(world, Application.State.DECIDED)
    client = world.client("reporter")
    letter = client.get(reverse("fund:decision_letter", args=[app.public_id, "pdf"]))
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    from tryggnav.fund.letters import decision_letter, fund_report

    blocks = decision_letter(app.decision).blocks
    assert any(getattr(b, "text", "") == "Redovisa halvvägs." for b in blocks)  # the conditions
    assert any(getattr(b, "text", "") == "Beviljas i sin helhet" for b in blocks)
    report = fund_report(app.fund)
    budget_table = report.blocks[1]
    assert ["Beviljat (netto)", "100\xa0000 kr"] in budget_table.rows  # type: ignore[union-attr]
    assert ["Återstår", "900\xa0000 kr"] in budget_table.rows  # type: ignore[union-attr]
