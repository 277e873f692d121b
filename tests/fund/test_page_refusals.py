"""The fund's pages with bad or unexpected input: a clear message on the page and
nothing written, never a 500; filters, partials, downloads and open data."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from tests.fund import factories as f
from tryggnav.fund import services
from tryggnav.fund.models import Application, Assessment, Fund, Payment, Score

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def test_a_budget_that_is_not_a_number_is_named_and_nothing_changes(world):
    fund = f.fund(world)
    url = reverse("fund:fund_budget", args=[fund.public_id])
    response = world.client("coordinator").post(url, {"budget": "mycket"}, follow=True)
    assert response.status_code == 200
    assert Fund.objects.get(pk=fund.pk).budget == f.BUDGET
    assert "heltal" in _page(response).lower()
    response = world.client("coordinator").post(url, {"budget": 2_000_000}, follow=True)
    assert Fund.objects.get(pk=fund.pk).budget == 2_000_000
    assert "Budgeten är ändrad." in _page(response)


def test_the_fund_lists_applications_by_state_and_as_a_partial(world):
    f.application(world, Application.State.DRAFT, title="Utkastet")
    f.application(world, Application.State.SUBMITTED, title="Den inskickade")
    fund = Fund.objects.get()
    client = world.client("coordinator")
    url = reverse("fund:fund", args=[fund.public_id])
    page = _page(client.get(url, {"status": "submitted"}))
    assert "Den inskickade" in page and "Utkastet" not in page
    page = _page(client.get(url, {"status": "nonsense"}))
    assert "Den inskickade" in page and "Utkastet" in page
    partial = client.get(url, {"status": "draft"}, headers={"HX-Request": "true"})
    text = _page(partial)
    assert "Utkastet" in text and "Den inskickade" not in text
    assert "<html" not in text


def test_an_unknown_assessor_is_named_and_nobody_is_assigned(world):
    app = f.application(world, Application.State.DRAFT, title="Att bedöma")
    url = reverse("fund:assessment_assign", args=[app.public_id])
    response = world.client("coordinator").post(url, {"assessor": "ingen@example.org"},
                                                follow=True)  # fmt: skip
    assert "ingen användare med den e-postadressen" in _page(response)
    assert not Assessment.objects.filter(application=app).exists()
    world.client("coordinator").post(url, {"assessor": "READER@sdf.example"})
    assert list(Assessment.objects.filter(application=app).values_list("assessor", flat=True)) == [
        world.user("reader").pk
    ]


def test_scores_that_are_not_numbers_give_400_naming_the_criterion(world):
    item = f.assessment(world)
    criteria = list(item.application.call.criteria.all())
    url = reverse("fund:assessment", args=[item.public_id])
    data = {f"score_{c.pk}": "3" for c in criteria}
    data[f"score_{criteria[1].pk}"] = "tre"
    response = world.client("admin").post(url, data)
    assert response.status_code == 400
    assert f"{criteria[1].name}: ange poäng 0–5" in _page(response)
    assert not Score.objects.filter(assessment=item).exists()
    data[f"score_{criteria[1].pk}"] = "2"
    response = world.client("admin").post(url, data)
    assert response.status_code == 302
    assert sorted(Score.objects.filter(assessment=item).values_list("score", flat=True)) == [
        2,
        3,
        3,
    ]


def test_another_persons_assessment_is_forbidden(world):
    item = f.assessment(world)
    url = reverse("fund:assessment", args=[item.public_id])
    assert world.client("coordinator").get(url).status_code == 403
    assert world.client("outsider").get(url).status_code == 404


def test_a_conflict_needs_its_ground(world):
    item = f.assessment(world)
    url = reverse("fund:assessment_conflict", args=[item.public_id])
    response = world.client("admin").post(url, {"note": ""}, follow=True)
    assert "Ange jävsgrunden." in _page(response)
    assert not Assessment.objects.get(pk=item.pk).conflict
    world.client("admin").post(url, {"note": "Sitter i styrelsen"})
    item.refresh_from_db()
    assert item.conflict and item.conflict_note == "Sitter i styrelsen"


def test_a_payment_before_a_decision_is_refused_on_the_page(world):
    app = f.application(world)
    url = reverse("fund:payment", args=[app.public_id])
    response = world.client("coordinator").post(
        url, {"amount": 1000, "paid_on": f.today().isoformat()}, follow=True
    )
    assert "Ansökan är inte beslutad." in _page(response)
    assert not Payment.objects.exists()


def test_a_payment_larger_than_the_grant_is_refused_in_english(world):
    app = f.application(world, Application.State.DECIDED)
    url = reverse("fund:payment", args=[app.public_id])
    client = world.client("coordinator")
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(url, {"amount": app.decision.amount + 1,
                                 "paid_on": f.today().isoformat()}, follow=True)  # fmt: skip
    assert "exceeds what remains to be paid (100,000 kr)" in _page(response)
    assert not Payment.objects.exists()
    client.post(url, {"amount": 40_000, "paid_on": f.today().isoformat()})
    assert list(Payment.objects.values_list("amount", flat=True)) == [40_000]


def test_a_final_report_with_a_missing_field_is_named(world):
    app = f.application(world, Application.State.DECIDED)
    url = reverse("fund:final_report", args=[app.public_id])
    response = world.client("reporter").post(url, {"done": "Vandrat", "spent": "",
                                                   "indicator_value": "20",
                                                   "indicator_date": f.today().isoformat()},
                                             follow=True)  # fmt: skip
    assert response.status_code == 200
    assert Application.objects.get(pk=app.pk).state == Application.State.DECIDED
    world.client("reporter").post(url, {"done": "Vandrat", "spent": 90_000,
                                        "indicator_value": "20",
                                        "indicator_date": f.today().isoformat()})  # fmt: skip
    assert Application.objects.get(pk=app.pk).state == Application.State.REPORTED


def test_completion_without_a_note_is_refused_on_the_page(world):
    app = f.application(world)
    url = reverse("fund:application_completion", args=[app.public_id])
    response = world.client("coordinator").post(url, {"note": " "}, follow=True)
    assert "Skriv vad som ska kompletteras." in _page(response)
    assert Application.objects.get(pk=app.pk).state == Application.State.SUBMITTED


def test_submitting_an_incomplete_draft_shows_every_problem(world):
    app = services.application_save(by=world.user("reporter"), call=f.call(world),
                                     organisation=world.partner,
                                     **f.fields(world, democracy_confirmed=False))  # fmt: skip
    url = reverse("fund:application_submit", args=[app.public_id])
    response = world.client("reporter").post(url, follow=True)
    assert response.status_code == 200
    assert Application.objects.get(pk=app.pk).state == Application.State.DRAFT
    assert "Projektplan" in _page(response)


def test_an_attachment_is_downloaded_under_a_safe_name_without_sniffing(world):
    app = f.application(world, Application.State.DRAFT)
    attachment = services.attachment_add(application=app, by=world.user("reporter"),
                                         label="Projektplan", filename='../"Plan" ÅÄÖ.pdf',
                                         data=f.PDF)  # fmt: skip
    response = world.client("reporter").get(reverse("fund:attachment", args=[attachment.public_id]))
    assert response.content == f.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="plan-aao.pdf"'
    assert (
        world.client("outsider")
        .get(reverse("fund:attachment", args=[attachment.public_id]))
        .status_code
        == 404
    )


def test_unknown_document_formats_and_undecided_letters_are_not_found(world):
    app = f.application(world)
    client = world.client("coordinator")
    assert (
        client.get(reverse("fund:decision_letter", args=[app.public_id, "pdf"])).status_code == 404
    )
    f.decide(world, app)
    assert (
        client.get(reverse("fund:decision_letter", args=[app.public_id, "exe"])).status_code == 404
    )
    fund = app.fund
    assert client.get(reverse("fund:fund_report", args=[fund.public_id, "txt"])).status_code == 404
    anonymous = world.client("anonymous")
    assert (
        anonymous.get(reverse("fund:public_data", args=[fund.public_id, "xml"])).status_code == 404
    )


def test_open_data_csv_neutralises_formulas_and_allows_any_origin(world):
    app = f.application(world, Application.State.DECIDED, title='=HYPERLINK("x")')
    response = world.client("anonymous").get(
        reverse("fund:public_data", args=[app.fund.public_id, "csv"])
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["project"] == '\'=HYPERLINK("x")'
    assert rows[0]["amount_sek"] == str(app.decision.amount)
    json_rows = (
        world.client("anonymous")
        .get(reverse("fund:public_data", args=[app.fund.public_id, "json"]))
        .json()["projects"]
    )
    assert json_rows[0]["project"] == '=HYPERLINK("x")'


def test_the_fund_pages_render_in_english(world):
    app = f.application(world, Application.State.DECIDED)
    client = world.client("coordinator")
    client.post(reverse("set_language"), {"language": "en"})
    with translation.override("en"):
        page = _page(client.get(reverse("fund:fund", args=[app.fund.public_id])))
        detail = _page(client.get(app.get_absolute_url()))
    assert "Trygghetsfonden" in page and "Budget" in page
    assert "Decision" in detail or "decision" in detail
    assert "Beslut" not in detail.replace("beslut.", "")
