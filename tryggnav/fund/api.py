"""/api/v1/fund: the safety funds, their money, calls and applications, and the effect
follow-ups of granted projects, read-only.

Same rules as the pages (``tryggnav.fund.access``): a fund is visible to members of
organisations in its municipality and to people with a role in it (404 for anyone
else); its applications as the pages show them (the applicant's own, the assessor's
assigned, all for the administering organisation). Amounts are whole kronor.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from ninja import Router, Schema

from tryggnav.fund import access
from tryggnav.fund.models import Application, Decision, Fund, fund_figures, funds_figures

PREFIX = "/fund"
router = Router(tags=["trygghetsfond"])


class FiguresOut(Schema):
    budget: int
    reserved: int
    granted: int
    paid: int
    returned: int
    remaining: int


class CallOut(Schema):
    id: UUID
    title: str
    opens: datetime.date
    closes: datetime.date
    eligible_kinds: list[str]
    prevention_types: list[str]


class FundOut(Schema):
    id: UUID
    name: str
    year: int
    municipality: str
    organisation: str
    is_demo: bool
    figures: FiguresOut


class FundDetailOut(FundOut):
    calls: list[CallOut]


class DecisionOut(Schema):
    outcome: str
    amount: int
    returned: int
    decided: datetime.datetime


class EvaluationOut(Schema):
    id: UUID
    evaluated_on: datetime.date
    figures: dict[str, Any]
    conclusion: str


class ApplicationOut(Schema):
    id: UUID
    title: str
    applicant: str
    state: str
    prevention_type: str
    area: str | None
    starts: datetime.date
    ends: datetime.date
    requested: int
    indicator: str
    baseline_value: float | None
    target_value: float | None
    decision: DecisionOut | None
    evaluations: list[EvaluationOut]


def _figures(figures: Any) -> dict[str, int]:
    return {
        "budget": figures.budget, "reserved": figures.reserved, "granted": figures.granted,
        "paid": figures.paid, "returned": figures.returned, "remaining": figures.remaining,
    }  # fmt: skip


def _fund(fund: Fund, figures: Any) -> dict[str, Any]:
    return {
        "id": fund.public_id, "name": fund.name, "year": fund.year,
        "municipality": fund.municipality_id, "organisation": fund.organisation.slug,
        "is_demo": fund.is_demo, "figures": _figures(figures),
    }  # fmt: skip


def _decision(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {"outcome": decision.outcome, "amount": decision.amount,
            "returned": decision.returned, "decided": decision.decided}  # fmt: skip


def _application(a: Application) -> dict[str, Any]:
    return {
        "id": a.public_id, "title": a.title, "applicant": a.organisation.slug,
        "state": a.state, "prevention_type": a.prevention_type,
        "area": a.area.code if a.area else None, "starts": a.starts, "ends": a.ends,
        "requested": sum(line.amount for line in a.budget_lines.all()),
        "indicator": a.indicator, "baseline_value": a.baseline_value,
        "target_value": a.target_value, "decision": _decision(getattr(a, "decision", None)),
        "evaluations": [
            {"id": e.public_id, "evaluated_on": e.evaluated_on, "figures": e.figures,
             "conclusion": e.conclusion} for e in a.evaluations.all()
        ],
    }  # fmt: skip


@router.get("", response=list[FundOut], url_name="fund_list", summary="Trygghetsfonder du kan se")
def funds(request):
    rows = list(access.visible_funds(request.user).select_related("organisation"))
    figures = funds_figures(rows)
    return [_fund(fund, figures[fund.pk]) for fund in rows]


@router.get(
    "/{fund_id}",
    response=FundDetailOut,
    url_name="fund_detail",
    summary="En fond med pengar och utlysningar",
)
def fund(request, fund_id: UUID):
    found = access.get_fund(request.user, fund_id)
    calls = [
        {"id": c.public_id, "title": c.title, "opens": c.opens, "closes": c.closes,
         "eligible_kinds": c.eligible_kinds, "prevention_types": c.prevention_types}
        for c in found.calls.all()
    ]  # fmt: skip
    return {**_fund(found, fund_figures(found)), "calls": calls}


@router.get(
    "/{fund_id}/applications",
    response=list[ApplicationOut],
    url_name="fund_applications",
    summary="Fondens ansökningar som du kan se, med beslut och effektuppföljning",
)
def applications(request, fund_id: UUID):
    found = access.get_fund(request.user, fund_id)
    rows = (
        access.visible_applications(request.user, found)
        .select_related("organisation", "area", "decision")
        .prefetch_related("budget_lines", "evaluations")
        .order_by("title", "pk")
    )
    return [_application(a) for a in rows]
