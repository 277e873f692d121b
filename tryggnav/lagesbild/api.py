"""/api/v1/lagesbild: the weekly lägesbild as JSON (the format of docs/lagesbild-json.md).

Same rules as the page: a group you are not in does not exist (404); a
municipality's police-feed lägesbild is public to every authenticated user.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from tryggnav.areas.models import Municipality
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import exports
from tryggnav.lagesbild.picture import Filters, Scope, compile_lagesbild
from tryggnav.lib import api_errors
from tryggnav.lib.api_errors import ErrorOut
from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import get_group

PREFIX = "/lagesbild"
router = Router(tags=["lägesbild"])


class LagesbildQuery(Schema):
    group: str | None = None
    municipality: str | None = None
    week: str | None = None
    source: list[str] = []
    category_group: list[str] = []
    precision: list[str] = []


class RowOut(Schema):
    area_code: str
    area_name: str
    category: str
    category_name: str
    category_group: str
    count: int
    previous_4_mean: float | None
    previous_4_min: int
    previous_4_max: int
    same_week_last_year: int | None
    expected: float | None
    upper_bound: float | None
    alert: bool
    method: str
    p_value: float | None
    p_adjusted: float | None
    rate_per_1000: float | None
    # The exact Poisson (Garwood) 95 % interval of the rate, [low, high].
    rate_per_1000_ci95: list[float | None] | None
    population: int | None
    population_year: int | None
    # "known", "missing" or "generated_area" (generated boundaries: never a rate).
    population_status: str


class LagesbildOut(Schema):
    format: str
    week: str
    week_start: str
    week_end: str
    scope: str
    group: dict[str, Any] | None
    municipality: dict[str, Any]
    filters: dict[str, list[str]]
    coverage: dict[str, Any] | None
    method: dict[str, Any]
    total: int
    summary: list[str]
    rows: list[RowOut]
    police_types: list[dict[str, Any]]


@router.get(
    "",
    response={200: LagesbildOut, 400: ErrorOut},
    summary="Veckans lägesbild för en grupp eller kommun",
)
def lagesbild(request, query: Query[LagesbildQuery]):
    if bool(query.group) == bool(query.municipality):
        raise HttpError(
            400, "Ange group eller municipality (inte båda). / Give group or municipality."
        )
    if query.group:
        scope = Scope.for_group(get_group(request.user, query.group).group)
    else:
        municipality = Municipality.objects.filter(code=query.municipality).first()
        if municipality is None:
            raise Http404
        scope = Scope.for_municipality(municipality)
    try:
        week = IsoWeek.parse(query.week) if query.week else IsoWeek.last_completed()
        filters = Filters.parse(
            {
                "kalla": query.source,
                "kategorigrupp": query.category_group,
                "precision": query.precision,
            }
        )
    except InputError as error:
        return Status(400, api_errors.input_error_payload(error))
    return exports.payload(compile_lagesbild(scope=scope, week=week, filters=filters))
