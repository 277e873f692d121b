"""The weekly lägesbild: counts from the rollup, history, alerts, coverage and rates.

``compile_lagesbild`` is the one place that assembles it; the page, the exports,
the command and the API all show what it returns.

Whose numbers: a collaboration group's lägesbild counts the reviewed reports
shared with the group, plus the police feed's events in the group's municipality
(in the group's areas, or placed only at municipality level). A municipality's
lägesbild is the police feed of that municipality (public data).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache, caches
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tryggnav.areas import population as area_population
from tryggnav.areas.models import Area, Municipality
from tryggnav.incidents import counts
from tryggnav.incidents.models import Category, CategoryGroup, Incident
from tryggnav.incidents.scope import NO_AREA, Filters, Period, Scope
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import alerts
from tryggnav.lib import numbers

# Five years of reference weeks (Noufaily's b = 5) and the window around them.
HISTORY_WEEKS = 5 * 52 + 8
CACHE_SECONDS = 24 * 3600

SOURCE_LABELS = {
    Incident.Source.FORM: gettext_lazy("Egna rapporter"),
    Incident.Source.API: gettext_lazy("Egna rapporter (API)"),
    Incident.Source.POLICE_FEED: gettext_lazy("Polisens händelser"),
    Incident.Source.FILE_IMPORT: gettext_lazy("Importer"),
}


class Verdict(models.TextChoices):
    ALERT = "alert", gettext_lazy("Larm")
    NO_ALERT = "no_alert", gettext_lazy("Inget larm")
    TOO_SHORT = "too_short", gettext_lazy("För lite historik")


@dataclass
class Row:
    area_id: int
    area_code: str
    area_name: str
    category_id: int
    category_slug: str
    category_name: str
    category_group: str
    count: int
    previous: list[int]
    last_year: int | None
    population: int | None
    result: alerts.SeriesResult | None = None
    # The population behind the rate, or why there is none (areas/population.py).
    population_figure: area_population.Population | None = None
    # Weekly counts over the whole window, oldest first (a row of the lägesbild's matrix).
    series: Any = field(default=None, repr=False)

    @property
    def previous_mean(self) -> float:
        return sum(self.previous) / len(self.previous) if self.previous else 0.0

    @property
    def previous_min(self) -> int:
        return min(self.previous) if self.previous else 0

    @property
    def previous_max(self) -> int:
        return max(self.previous) if self.previous else 0

    @property
    def figure(self) -> area_population.Population:
        if self.population_figure is not None:
            return self.population_figure
        if self.population:
            return area_population.Population(area_population.Status.KNOWN, self.population)
        return area_population.MISSING

    @property
    def rate(self) -> float | None:
        """Events per 1,000 inhabitants this week, where the population is known."""
        figure = area_population.rate_figure(self.count, self.figure)
        return figure.rate if figure else None

    @property
    def alert(self) -> bool:
        return bool(self.result and self.result.alert)

    @property
    def expected(self) -> float | None:
        return self.result.expected if self.result else None

    @property
    def upper_bound(self) -> float | None:
        return self.result.upper if self.result else None

    @property
    def method(self) -> str:
        return self.result.method if self.result else alerts.NONE

    @property
    def above_upper(self) -> bool:
        return self.upper_bound is not None and self.count > self.upper_bound

    @property
    def verdict(self) -> Verdict:
        """The alert column: alert, no alert, or too little history to judge."""
        if self.alert:
            return Verdict.ALERT
        if self.method == alerts.NONE:
            return Verdict.TOO_SHORT
        return Verdict.NO_ALERT

    @property
    def is_active(self) -> bool:
        """Worth a line on the page: events now, lately or a year ago, or a signal."""
        return bool(self.count or any(self.previous) or self.last_year or self.above_upper)

    @property
    def sort_values(self) -> dict[str, str]:
        """The numbers the page's table sorts by (the data, not the formatted text);
        empty where there is no value. The alert column sorts alerts, then counts above
        the upper bound."""
        values = {
            "previous_mean": self.previous_mean,
            "previous_max": self.previous_max,
            "last_year": self.last_year,
            "expected": self.expected,
            "upper": self.upper_bound,
            "rate": self.rate,
            "signal": 2 if self.alert else 1 if self.above_upper else 0,
        }
        return {k: "" if v is None else repr(float(v)) for k, v in values.items()}

    # Preformatted in the reader's language (tryggnav.lib.numbers): the page shows
    # hundreds of rows, and template filters cost more than the statistics.
    @property
    def previous_mean_text(self) -> str:
        return sv_number(self.previous_mean, 1)

    @property
    def expected_text(self) -> str:
        return sv_number(self.expected, 1)

    @property
    def upper_text(self) -> str:
        return sv_number(self.upper_bound, 1)

    @property
    def rate_text(self) -> str:
        """The rate with its exact 95 % interval, or why there is none."""
        return area_population.rate_text(self.count, self.figure)


def sv_number(value: float | None, digits: int) -> str:
    """Kept for the row texts: a number in the reader's language."""
    return numbers.number(value, digits)


@dataclass
class GroupRow:
    """One area × category group: the sum of its categories."""

    area_id: int
    area_name: str
    category_group: str
    count: int
    previous_mean: float
    last_year: int | None
    alerts: int

    @property
    def category_group_label(self) -> str:
        return str(CategoryGroup(self.category_group).label)


@dataclass
class PoliceTypeRow:
    police_type: str
    count: int
    previous_mean: float


@dataclass
class Lagesbild:
    scope: Scope
    week: IsoWeek
    filters: Filters
    weeks: list[datetime.date]
    rows: list[Row]
    group_rows: list[GroupRow]
    police_types: list[PoliceTypeRow]
    history_weeks: int
    coverage: Any = None
    # Reports shared with the group this week but placed outside its geography.
    outside_count: int = 0

    @property
    def alerts(self) -> list[Row]:
        return [r for r in self.rows if r.alert]

    @property
    def generated_populations(self) -> bool:
        """Whether a rate uses a population made up for the demo (said under the table)."""
        return any(r.figure.is_generated for r in self.rows)

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)

    @property
    def total_previous_mean(self) -> float:
        return sum(r.previous_mean for r in self.rows)

    @property
    def areas(self) -> list[tuple[int, str]]:
        seen: dict[int, str] = {}
        for row in self.rows:
            seen.setdefault(row.area_id, row.area_name)
        return list(seen.items())

    @property
    def low_coverage(self) -> bool:
        return bool(self.coverage is not None and self.coverage.fewer_than_usual)

    @property
    def method_note(self) -> str:
        if self.history_weeks + 1 >= alerts.FARRINGTON_MIN_WEEKS:
            method = alerts.METHOD_LABELS[alerts.FARRINGTON]
        elif self.history_weeks + 1 >= alerts.EARS_MIN_WEEKS:
            method = alerts.METHOD_LABELS[alerts.EARS_C2]
        else:
            method = alerts.METHOD_LABELS[alerts.NONE]
        return _(
            "Larm: %(method)s, α = %(alpha)s, falsk upptäcktsgrad (FDR) q = %(q)s över "
            "alla %(n)s serier, minst %(min)s händelser. Historik: %(weeks)s veckor."
        ) % {
            "method": method,
            "alpha": sv_number(alerts.ALPHA, 2),
            "q": sv_number(alerts.FDR_Q, 2),
            "n": len(self.rows),
            "min": alerts.MIN_COUNT,
            "weeks": self.history_weeks,
        }


def coverage_for(scope: Scope, week: IsoWeek) -> Any:
    """Who reported this week (groups only; the police feed has no reporters)."""
    if scope.group is None:
        return None
    # incidents.coverage loads the areas' geometry helpers; only the coverage line needs them.
    from tryggnav.incidents.coverage import group_week_coverage

    return group_week_coverage(group=scope.group, year=week.year, week=week.week)


def _area_label(area: Area | None, municipality: Municipality) -> tuple[str, str]:
    if area is None:
        return municipality.code, _("%(name)s (hela kommunen)") % {"name": municipality.short_name}
    return area.code, area.display_name


def compile_lagesbild(
    *,
    scope: Scope,
    week: IsoWeek,
    filters: Filters | None = None,
    with_alerts: bool = True,
    with_coverage: bool = True,
) -> Lagesbild:
    """The lägesbild of ``scope`` for ``week``: the table, alerts, coverage.

    Everything but the coverage comes from the rollup and is cached under the
    rollup's version, so it is recomputed only after incidents changed; coverage
    (which also counts unreviewed reports) is computed on every call.
    """
    filters = filters or Filters()
    key = ":".join(
        [
            "lagesbild:picture:v1",
            counts.version(),
            "g" if scope.group else "m",
            scope.slug,
            str(week),
            # Filters hold spaces and brackets, which memcached refuses in keys.
            hashlib.sha256(repr(filters).encode()).hexdigest()[:16],
            str(with_alerts),
        ]
    )
    # This process's copy first (no query), then the shared cache.
    local = caches["local"]
    picture = local.get(key)
    if picture is None:
        picture = cache.get(key)
        if picture is None:
            picture = _compile(scope=scope, week=week, filters=filters, with_alerts=with_alerts)
            cache.set(key, picture, CACHE_SECONDS)
        local.set(key, picture, CACHE_SECONDS)
    picture.scope = scope
    picture.coverage = coverage_for(scope, week) if with_coverage else None
    return picture


def _compile(*, scope: Scope, week: IsoWeek, filters: Filters, with_alerts: bool) -> Lagesbild:
    first = week.monday - datetime.timedelta(weeks=HISTORY_WEEKS)
    weeks = [first + datetime.timedelta(weeks=i) for i in range(HISTORY_WEEKS + 1)]
    weekly = counts.weekly_matrix(scope, weeks, filters)
    # History starts at the first week with any data in this lägesbild: before
    # it, zeros mean "not yet using Tryggnav", not "nothing happened".
    has_data = np.flatnonzero(weekly.any_data[:-1])
    history_weeks = int(len(weeks) - 1 - has_data[0]) if len(has_data) else 0
    rows, matrix = _rows(scope, week, weeks, weekly, history_weeks)
    if with_alerts and rows:
        results = alerts.evaluate(matrix, history_weeks=history_weeks, first_week=weeks[0])
        for row, result in zip(rows, results, strict=True):
            row.result = result
    return Lagesbild(
        scope=scope,
        week=week,
        filters=filters,
        weeks=weeks,
        rows=rows,
        group_rows=_group_rows(rows),
        police_types=_police_types(scope, week, filters),
        history_weeks=history_weeks,
        outside_count=_outside_count(scope, week, filters),
    )


def _rows(
    scope: Scope, week: IsoWeek, weeks: list[datetime.date], weekly: Any, history_weeks: int
) -> tuple[list[Row], np.ndarray]:
    """One row per area × category of the matrix, ordered by area (the municipality
    level last), category group and category; and the matrix in that order."""
    categories = {c.pk: c for c in Category.objects.all()}
    area_objects = Area.objects.in_bulk([a for a in {a for a, _c in weekly.keys} if a])

    def sort_key(key: tuple[int, int]) -> tuple[bool, str, str, str]:
        area, category = area_objects.get(key[0]), categories.get(key[1])
        return (
            key[0] == NO_AREA,
            area.name if area else "",
            category.group if category else "",
            category.name if category else "",
        )

    order = sorted(range(len(weekly.keys)), key=lambda j: sort_key(weekly.keys[j]))
    matrix = weekly.matrix[order]
    keys = [weekly.keys[j] for j in order]
    ly = {monday: i for i, monday in enumerate(weeks)}.get(week.same_week_last_year().monday)
    has_last_year = ly is not None and ly >= len(weeks) - 1 - history_weeks
    last_year = matrix[:, ly].tolist() if has_last_year else [None] * len(keys)
    figures = area_population.area_populations(area_objects, week.year)
    columns = zip(
        keys, matrix[:, -1].tolist(), matrix[:, -5:-1].tolist(), last_year, matrix, strict=True
    )
    return [
        _row(
            area=area_objects.get(area_id),
            area_id=area_id,
            category=categories.get(category_id),
            category_id=category_id,
            municipality=scope.municipality,
            figure=figures.get(area_id)
            or area_population.municipality_population(scope.municipality),
            count=current,
            previous=previous,
            last_year=last,
            series=series,
        )
        for (area_id, category_id), current, previous, last, series in columns
    ], matrix


def _row(
    *,
    area: Area | None,
    area_id: int,
    category: Category | None,
    category_id: int,
    municipality: Municipality,
    figure: area_population.Population,
    count: int,
    previous: list[int],
    last_year: int | None,
    series: np.ndarray,
) -> Row:
    code, name = _area_label(area, municipality)
    return Row(
        area_id=area_id,
        area_code=code,
        area_name=name,
        category_id=category_id,
        category_slug=category.slug if category else str(category_id),
        category_name=category.display_name if category else str(category_id),
        category_group=category.group if category else CategoryGroup.OTHER,
        count=count,
        previous=previous,
        last_year=last_year,
        population=figure.population,
        population_figure=figure,
        series=series,
    )


def _outside_count(scope: Scope, week: IsoWeek, filters: Filters) -> int:
    return counts.period_total(scope, Period(week.monday, week.monday), filters, outside=True)


def _group_rows(rows: list[Row]) -> list[GroupRow]:
    sums: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        key = (row.area_id, row.category_group)
        entry = sums.setdefault(
            key,
            {
                "area_name": row.area_name,
                "count": 0,
                "previous": 0.0,
                "last_year": None,
                "alerts": 0,
            },
        )
        entry["count"] += row.count
        entry["previous"] += row.previous_mean
        if row.last_year is not None:
            entry["last_year"] = (entry["last_year"] or 0) + row.last_year
        entry["alerts"] += int(row.alert)
    return [
        GroupRow(
            area_id=area_id,
            area_name=e["area_name"],
            category_group=group,
            count=e["count"],
            previous_mean=e["previous"],
            last_year=e["last_year"],
            alerts=e["alerts"],
        )
        for (area_id, group), e in sums.items()
    ]


def _police_types(scope: Scope, week: IsoWeek, filters: Filters) -> list[PoliceTypeRow]:
    """The police feed's own event types this week, beside the mapped categories."""
    if filters.sources and "police" not in filters.sources:
        return []
    first = week.monday - datetime.timedelta(weeks=4)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for police_type, monday, total in counts.police_type_weeks(
        scope, Period(first, week.monday), filters
    ):
        totals[police_type][0 if monday == week.monday else 1] += total
    return sorted(
        (PoliceTypeRow(t, c[0], c[1] / 4) for t, c in totals.items() if c[0] or c[1]),
        key=lambda r: (-r.count, r.police_type),
    )
