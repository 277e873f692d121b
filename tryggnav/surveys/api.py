"""/api/v1/surveys: surveys, results with their intervals, and league tables.

Same rules as the pages: public surveys for every authenticated user, internal ones
for their organisation's members only (404 for anyone else).
"""

from __future__ import annotations

from uuid import UUID

from ninja import Router, Schema

from tryggnav.surveys import analysis, text
from tryggnav.surveys.access import get_indicator, get_result
from tryggnav.surveys.models import Survey

PREFIX = "/surveys"
router = Router(tags=["undersökningar"])


class IndicatorOut(Schema):
    id: UUID
    name: str


class SurveyOut(Schema):
    id: UUID
    name: str
    provider: str
    year: int
    organisation: str
    is_internal: bool
    is_generated: bool
    indicators: list[IndicatorOut]


class ResultOut(Schema):
    id: UUID
    indicator: str
    unit_type: str
    unit_code: str
    unit_name: str
    group: str
    estimate: float
    low: float | None
    high: float | None
    se: float | None
    interval_basis: str
    interval_method: str
    interval_explanation: str
    is_generated: bool


class LeagueRowOut(Schema):
    result: UUID
    unit_name: str
    estimate: float
    rank: int
    rank_low: int | None
    rank_high: int | None
    simultaneous_low: int | None
    simultaneous_high: int | None
    versus_whole: str
    versus_whole_p_adjusted: float | None


class LeagueOut(Schema):
    unit_type: str
    group: str
    has_intervals: bool
    missing_uncertainty: list[str]
    whole: str | None
    rows: list[LeagueRowOut]


@router.get("", response=list[SurveyOut], summary="Undersökningar du kan se")
def surveys(request):
    return [
        {
            "id": s.public_id,
            "name": s.name,
            "provider": s.provider,
            "year": s.year,
            "organisation": s.organisation.slug,
            "is_internal": s.is_internal,
            "is_generated": s.is_generated,
            "indicators": [{"id": i.public_id, "name": i.name} for i in s.indicators.all()],
        }
        for s in Survey.objects.visible_to(request.user)
        .select_related("organisation")
        .prefetch_related("indicators")
    ]


def _result_out(result) -> dict:
    u = analysis.uncertainty(analysis.Figure.from_result(result))
    return {
        "id": result.public_id,
        "indicator": result.indicator.name,
        "unit_type": result.unit_type,
        "unit_code": result.unit_code,
        "unit_name": result.unit_name,
        "group": result.group,
        "estimate": result.estimate,
        "low": u.low,
        "high": u.high,
        "se": u.se,
        "interval_basis": u.basis,
        "interval_method": u.method,
        "interval_explanation": u.explanation(),
        "is_generated": result.is_generated,
    }


@router.get("/results/{result_id}", response=ResultOut, summary="Ett resultat med intervall")
def survey_result(request, result_id: UUID):
    return _result_out(get_result(request.user, result_id))


@router.get(
    "/indicators/{indicator_id}/results",
    response=list[ResultOut],
    summary="En indikators resultat med intervall",
)
def indicator_results(request, indicator_id: UUID):
    indicator = get_indicator(request.user, indicator_id)
    return [_result_out(r) for r in indicator.results.select_related("indicator")]


@router.get(
    "/indicators/{indicator_id}/league",
    response=LeagueOut,
    summary="Rangordning med osäkerhetsintervall",
)
def indicator_league(
    request, indicator_id: UUID, unit_type: str = "municipality", group: str = "alla"
):
    indicator = get_indicator(request.user, indicator_id)
    table, results, whole = analysis.league_for(indicator, unit_type=unit_type, group=group)
    return {
        "unit_type": unit_type,
        "group": group,
        "has_intervals": table.has_intervals,
        "missing_uncertainty": table.missing,
        "whole": whole.unit_name if whole else None,
        "rows": [
            {
                "result": UUID(row.figure.key),
                "unit_name": row.figure.label,
                "estimate": row.figure.estimate,
                "rank": row.rank,
                "rank_low": row.rank_low,
                "rank_high": row.rank_high,
                "simultaneous_low": row.simultaneous_low,
                "simultaneous_high": row.simultaneous_high,
                "versus_whole": text.comparison_phrase(row.versus_whole)
                if row.versus_whole
                else "",
                "versus_whole_p_adjusted": row.versus_whole.p_adjusted
                if row.versus_whole
                else None,
            }
            for row in table.rows
        ],
    }
