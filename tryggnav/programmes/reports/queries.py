"""The reads the reports make of counts, populations, surveys and steering objects.

Counts come from the incidents' counting module (``tryggnav.incidents.counts``), the
one place that answers what counts.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q, QuerySet, Sum
from django.utils import timezone

from tryggnav.areas import population as area_population
from tryggnav.areas.models import Area
from tryggnav.incidents import counts as counting
from tryggnav.incidents.models import Incident, WeeklyCount
from tryggnav.incidents.scope import NO_AREA, Period, Scope
from tryggnav.official import figures as official
from tryggnav.organisations.models import CollaborationGroup, GroupMembership
from tryggnav.steering.access import visible
from tryggnav.steering.models import Agreement, Problem
from tryggnav.surveys import analysis
from tryggnav.surveys.models import Result, Survey, UnitType

__all__ = ["NO_AREA", "Scope"]

# The earliest week a report looks back to when it asks where the data begin.
DATA_EPOCH = datetime.date(1990, 1, 1)


def counts(scope: Scope, period: Period) -> QuerySet[WeeklyCount]:
    """The weekly counts of the scope whose Monday lies in the period."""
    return counting.cells(scope, period)


def first_weeks(scope: Scope, today: datetime.date) -> tuple[Any, Any]:
    """The first week with a police count and with a partner count (or None)."""
    everything = counts(scope, Period(DATA_EPOCH, today))
    police = everything.filter(source="police").aggregate(first=Min("week"))["first"]
    partner = everything.exclude(source="police").aggregate(first=Min("week"))["first"]
    return police, partner


def outside_count(scope: Scope, period: Period) -> int:
    """Reports shared with the group but placed outside its geography."""
    return counting.period_total(scope, period, outside=True)


def police_types(scope: Scope, period: Period) -> list[tuple[str, int]]:
    """The twelve most common police event types in the period."""
    return list(
        counts(scope, period)
        .filter(source="police")
        .exclude(police_type="")
        .values_list("police_type")
        .annotate(total=Sum("n"))
        .order_by("-total")[:12]
    )


def generated_reports(group: CollaborationGroup | None, period: Period) -> int:
    if group is None:
        return 0
    return (
        Incident.objects.countable()
        .filter(group=group, is_generated=True, occurred_from__date__gte=period.start)
        .filter(occurred_from__date__lte=period.end)
        .count()
    )


def population(scope: Scope, year: int) -> area_population.Population:
    """Inhabitants of the scope: the municipality's, unless the group covers only some of
    its areas, then the sum of those areas for ``year`` (unknown when one of them is)."""
    municipality = scope.municipality
    if scope.group is None or not scope.area_ids:
        return area_population.municipality_population(municipality)
    all_areas = set(Area.objects.filter(municipality=municipality).values_list("pk", flat=True))
    if all_areas <= set(scope.area_ids):
        return area_population.municipality_population(municipality)
    figures = area_population.area_populations(scope.area_ids, year)
    return area_population.total_population(figures.values())


@dataclass(frozen=True)
class Coverage:
    """A member organisation's weeks with at least one filed report in a period."""

    organisation: str
    reports_weekly: bool
    reported: int
    expected: int

    @property
    def share(self) -> float | None:
        return self.reported / self.expected if self.expected else None


def _mondays(period: Period) -> list[datetime.date]:
    """The weeks whose Monday lies in the period, as the counts use."""
    first_monday = period.start + datetime.timedelta(days=(7 - period.start.weekday()) % 7)
    mondays = []
    day = first_monday
    while day <= period.end:
        mondays.append(day)
        day += datetime.timedelta(weeks=1)
    return mondays


def _weeks_with_report(
    group: CollaborationGroup, start: datetime.date, end: datetime.date
) -> dict[int, set[datetime.date]]:
    """Per organisation, the Mondays of the weeks in which it filed a report."""
    aware = [
        timezone.make_aware(datetime.datetime.combine(d, datetime.time.min)) for d in (start, end)
    ]
    weeks: dict[int, set[datetime.date]] = defaultdict(set)
    for organisation_id, reported_at in Incident.objects.filter(
        group=group,
        organisation__isnull=False,
        reported_at__gte=aware[0],
        reported_at__lt=aware[1],
    ).values_list("organisation_id", "reported_at"):
        local = timezone.localtime(reported_at).date()
        weeks[organisation_id].add(local - datetime.timedelta(days=local.weekday()))
    return weeks


def coverage(group: CollaborationGroup, period: Period) -> list[Coverage]:
    """Per member organisation: weeks with at least one filed report in the period."""
    mondays = _mondays(period)
    first_monday = period.start + datetime.timedelta(days=(7 - period.start.weekday()) % 7)
    weeks = _weeks_with_report(group, first_monday, period.end + datetime.timedelta(days=1))
    rows = []
    for membership in (
        GroupMembership.objects.filter(group=group)
        .select_related("organisation")
        .order_by("organisation__name")
    ):
        expected = [m for m in mondays if m + datetime.timedelta(days=6) >= membership.joined]
        rows.append(
            Coverage(
                organisation=membership.organisation.name,
                reports_weekly=membership.reports_weekly,
                reported=len(weeks[membership.organisation_id] & set(expected)),
                expected=len(expected),
            )
        )
    return rows


def _in_scope(qs: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    if scope.group:
        return qs.filter(group=scope.group)
    return qs.filter(
        Q(group__municipality=scope.municipality) | Q(organisation__municipality=scope.municipality)
    )


def agreements(scope: Scope, user: Any, period: Period) -> list[Agreement]:
    qs = visible(user, Agreement.objects.all()).filter(
        starts__lte=period.end, ends__gte=period.start
    )
    return list(_in_scope(qs, scope).prefetch_related("priority_areas", "areas").order_by("starts"))


def problems(scope: Scope, user: Any, period: Period) -> list[Problem]:
    qs = _in_scope(visible(user, Problem.objects.all()), scope)
    return list(qs.filter(Q(closed__isnull=True) | Q(closed__gte=period.start)).order_by("title"))


@dataclass(frozen=True)
class SurveyShare:
    """A published share of the latest year of a survey, with its 95 % interval."""

    survey: str
    year: int
    indicator_id: int
    indicator: str
    unit: str
    estimate: float
    low: float | None
    high: float | None
    is_generated: bool
    survey_is_generated: bool


def _survey_results(scope: Scope, user: Any) -> QuerySet[Result]:
    """Results of the surveys the user sees that cover the municipality, with the county's
    and the country's figures for the same indicators."""
    code = scope.municipality.code
    own = Result.objects.filter(
        indicator__survey__in=Survey.objects.visible_to(user), municipality_id=code
    )
    indicator_ids = set(own.values_list("indicator_id", flat=True))
    return (
        Result.objects.filter(indicator_id__in=indicator_ids, group="alla")
        .filter(
            Q(municipality_id=code)
            | Q(unit_type=UnitType.COUNTY, unit_code=scope.municipality.county_id)
            | Q(unit_type=UnitType.COUNTRY)
        )
        .select_related("indicator__survey")
        .order_by("-indicator__survey__year", "indicator__name", "unit_type", "unit_name")
    )


def survey_shares(scope: Scope, user: Any) -> list[SurveyShare]:
    """The latest year of each survey (among the first 60 results)."""
    results = _survey_results(scope, user)
    latest: dict[str, int] = {}
    for name, year in results.values_list("indicator__survey__name", "indicator__survey__year"):
        latest[name] = max(year, latest.get(name, year))
    shares = []
    for result in results[:60]:
        survey = result.indicator.survey
        if survey.year != latest.get(survey.name):
            continue
        u = analysis.uncertainty(analysis.Figure.from_result(result))
        shares.append(
            SurveyShare(
                survey=survey.name,
                year=survey.year,
                indicator_id=result.indicator_id,
                indicator=result.indicator.name,
                unit=result.unit_name,
                estimate=result.estimate,
                low=u.low,
                high=u.high,
                is_generated=result.is_generated,
                survey_is_generated=survey.is_generated,
            )
        )
    return shares


def official_crimes(scope: Scope, period: Period) -> list[official.CrimeFigure]:
    """Brå's reported crimes in the scope's municipality for the period's last year and
    the two before, whole years, with rates and exact intervals. A group gets its
    municipality's figures: Brå publishes no smaller unit."""
    last = period.end.year
    return official.reported_crimes(scope.municipality, years=range(last - 2, last + 1))
