"""/api/v1/fund through the token and the session: the same visibility as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.fund import factories as f
from tryggnav.fund import access
from tryggnav.fund.models import Application, fund_figures

pytestmark = pytest.mark.django_db


def test_the_fund_and_its_money_match_the_figures(world):
    app = f.application(world, Application.State.DECIDED)
    fund = app.fund
    body = world.client("reader").get(reverse("api:fund_detail", args=[fund.public_id])).json()
    figures = fund_figures(fund)
    assert body["figures"] == {
        "budget": figures.budget, "reserved": figures.reserved, "granted": figures.granted,
        "paid": figures.paid, "returned": figures.returned, "remaining": figures.remaining,
    }  # fmt: skip
    assert [c["title"] for c in body["calls"]] == [c.title for c in fund.calls.all()]


def test_applications_follow_the_pages_visibility(world):
    decided = f.application(world, Application.State.DECIDED)
    draft = f.application(world, Application.State.DRAFT)
    url = reverse("api:fund_applications", args=[decided.fund.public_id])
    applicant = {a["title"]: a for a in world.client("reporter").get(url).json()}
    assert set(applicant) == {decided.title, draft.title}
    assert applicant[decided.title]["decision"]["amount"] == decided.decision.amount
    assert applicant[decided.title]["requested"] == decided.requested
    # An assessor sees only what is assigned to them (the lead's admin: the submitted ones).
    assessor = {a["title"] for a in world.client("admin").get(url).json()}
    expected = set(
        access.visible_applications(world.user("admin"), decided.fund).values_list(
            "title", flat=True
        )
    )
    assert (
        assessor == expected
        and draft.title not in world.client("outsider").get(url).content.decode()
    )


def test_an_outsider_gets_404_and_an_empty_list(world):
    fund = f.fund(world)
    outsider = world.client("outsider")
    assert outsider.get(reverse("api:fund_detail", args=[fund.public_id])).status_code == 404
    assert outsider.get(reverse("api:fund_list")).json() == []
