"""Indicator series and their charts, and the statistics of a measure's follow-up.

An incident indicator is counted live from the countable incidents; an official one
is read live from the imported official statistics of its municipality (Brå, Kolada,
MSB IDA); survey and manual indicators are IndicatorValue rows. Every point carries its interval where
one exists: exact Poisson intervals for counts come from ``tryggnav.stats.counts``
and the effect against comparison areas from ``tryggnav.stats.evaluation``. Those
two calls live in ``_poisson_interval`` and ``_effect`` below and nowhere else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.areas.models import Area, Municipality
from tryggnav.incidents.counts import countable
from tryggnav.lib import charts
from tryggnav.official.models import CallOut, KoladaValue, ReportedCrime
from tryggnav.stats.counts import poisson_confint
from tryggnav.stats.evaluation import relative_effect_size
from tryggnav.steering.models import Indicator, Measure

DEFAULT_YEARS = 3


@dataclass
class Point:
    start: datetime.date
    end: datetime.date  # exclusive
    label: str
    value: float
    low: float | None = None
    high: float | None = None
    count: int | None = None
    partial: bool = False  # the period has not ended yet

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.start.isoformat(),
            "label": self.label,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "count": self.count,
            "partial": self.partial,
        }


def _poisson_interval(count: int, level: float = 0.95) -> tuple[float | None, float | None]:
    """Exact (Garwood) interval of a Poisson count, from the statistics core."""
    low, high = poisson_confint(count, alpha=1 - level)
    return float(low), float(high)


def _periods(
    indicator: Indicator, until: datetime.date
) -> list[tuple[datetime.date, datetime.date, str]]:
    start = indicator.starts or datetime.date(until.year - DEFAULT_YEARS, 1, 1)
    out = []
    if indicator.interval == Indicator.Interval.QUARTER:
        day = datetime.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        while day <= until:
            month = day.month + 3
            end = datetime.date(day.year + (month > 12), (month - 1) % 12 + 1, 1)
            out.append((day, end, f"{day.year} K{(day.month - 1) // 3 + 1}"))
            day = end
    else:
        for year in range(start.year, until.year + 1):
            out.append((datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), str(year)))
    return out


def population(indicator: Indicator) -> int | None:
    """Inhabitants of the indicator's areas (all must be known) or of its municipality."""
    areas = list(indicator.areas.all())
    if areas:
        if all(a.population for a in areas):
            return sum(a.population or 0 for a in areas)
        return None
    municipality = Municipality.objects.filter(code=indicator.municipality_id).first()
    return municipality.population if municipality else None


def incident_count(
    *,
    areas: list[Area] | None,
    municipality_id: str | None,
    category_ids: list[int],
    start: datetime.date,
    end: datetime.date,
) -> int:
    """Countable incidents of the categories in [start, end) in the areas (or municipality)."""
    return countable(
        start=start,
        end=end,
        category_ids=category_ids,
        municipality_id=municipality_id,
        area_ids=[a.pk for a in areas or []],
    ).count()


def _per(indicator: Indicator, inhabitants: int | None) -> float | None:
    """The factor from a count to the indicator's rate; None for counts, or when the
    population is unknown (the series then shows counts, ``rate_unavailable``)."""
    per = {Indicator.Measure.RATE: 1_000, Indicator.Measure.RATE_100K: 100_000}.get(
        Indicator.Measure(indicator.measure)
    )
    return per / inhabitants if per and inhabitants else None


def _count_point(
    start: datetime.date, end: datetime.date, label: str, n: int, per: float | None, today
) -> Point:
    """A count (or its rate, ``per`` inhabitants) with its exact Poisson interval; for a
    rate the interval is the count's scaled, as R's ``poisson.test(x, T)$conf.int``."""
    low, high = _poisson_interval(n)
    scale = per or 1.0
    return Point(
        start=start,
        end=end,
        label=label,
        value=round(n * scale, 3),
        low=None if low is None else round(low * scale, 3),
        high=None if high is None else round(high * scale, 3),
        count=n,
        partial=end > today,
    )


def _official_rows(indicator: Indicator, code: str) -> list[tuple[int, int, float, bool]]:
    """(year, quarter, value, is_count) of the indicator's official series, oldest first;
    Brå by quarter when the indicator is quarterly, everything else by year."""
    name = indicator.official_series
    source = indicator.official_source
    if source == Indicator.OfficialSource.BRA:
        quarterly = indicator.interval == Indicator.Interval.QUARTER
        crimes = ReportedCrime.objects.filter(municipality_id=code, offence=name)
        crimes = crimes.filter(quarter__gt=0) if quarterly else crimes.filter(quarter=0)
        rows = crimes.exclude(count=None).values_list("year", "quarter", "count")
        return [(y, q, float(n or 0), True) for y, q, n in rows.order_by("year", "quarter")]
    if source == Indicator.OfficialSource.IDA:
        calls = CallOut.objects.filter(municipality_id=code, event_type=name).exclude(count=None)
        return [
            (y, 0, float(n or 0), True)
            for y, n in calls.order_by("year").values_list("year", "count")
        ]
    values = KoladaValue.objects.filter(municipality_id=code, kpi=name, gender="T")
    values = values.exclude(value=None).order_by("year")
    return [(y, 0, float(v or 0), False) for y, v in values.values_list("year", "value")]


def _official_period(year: int, quarter: int) -> tuple[datetime.date, datetime.date, str]:
    if not quarter:
        return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), str(year)
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, end, f"{year} K{quarter}"


def official_series(indicator: Indicator, *, today: datetime.date) -> list[Point]:
    """The official series of the indicator's municipality from ``starts``: counts (Brå,
    IDA) as counts or rates with exact intervals, Kolada's values as published (Kolada
    gives no intervals)."""
    code = indicator.municipality_id
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        return []
    per = _per(indicator, municipality.population)
    first_year = indicator.starts.year if indicator.starts else 0
    points = []
    for year, quarter, value, is_count in _official_rows(indicator, municipality.code):
        if year < first_year:
            continue
        start, end, label = _official_period(year, quarter)
        if is_count:
            points.append(_count_point(start, end, label, int(value), per, today))
        else:
            points.append(Point(start=start, end=end, label=label, value=value))
    return points


def official_choices(municipality_id: str | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The official series imported for the municipality, grouped by source, as form
    choices whose value is "source|series" (``split_official`` reads it back)."""
    crimes = ReportedCrime.objects.filter(municipality_id=municipality_id)
    calls = CallOut.objects.filter(municipality_id=municipality_id)
    kpis = KoladaValue.objects.filter(municipality_id=municipality_id)
    sources = [
        (Indicator.OfficialSource.BRA, crimes.values_list("offence", "offence")),
        (Indicator.OfficialSource.KOLADA, kpis.values_list("kpi", "kpi_title")),
        (Indicator.OfficialSource.IDA, calls.values_list("event_type", "event_type")),
    ]
    out = []
    for source, rows in sources:
        names = dict(rows.order_by().distinct())
        options = [
            (f"{source.value}|{key}", f"{key} – {title}" if title and title != key else key)
            for key, title in sorted(names.items())
        ]
        if options:
            out.append((str(source.label), options))
    return out


def split_official(value: str) -> tuple[str, str]:
    source, _sep, name = value.partition("|")
    return source, name


def series(indicator: Indicator, *, today: datetime.date | None = None) -> list[Point]:
    today = today or timezone.localdate()
    if indicator.kind == Indicator.Kind.OFFICIAL:
        return official_series(indicator, today=today)
    if indicator.kind != Indicator.Kind.INCIDENT:
        return [
            Point(
                start=v.period_start,
                end=v.period_start,
                label=v.label,
                value=v.value,
                low=v.low,
                high=v.high,
            )
            for v in indicator.values.all()
        ]
    areas = list(indicator.areas.all())
    category_ids = list(indicator.categories.values_list("pk", flat=True))
    counts = indicator.measure == Indicator.Measure.COUNT
    per = None if counts else _per(indicator, population(indicator))
    points = []
    for start, end, label in _periods(indicator, today):
        n = incident_count(
            areas=areas,
            municipality_id=indicator.municipality_id,
            category_ids=category_ids,
            start=start,
            end=end,
        )
        points.append(_count_point(start, end, label, n, per, today))
    return points


def rate_unavailable(indicator: Indicator) -> bool:
    """A rate was asked for but the population is unknown: the series shows counts
    (Kolada's values are never counts)."""
    if indicator.measure == Indicator.Measure.COUNT:
        return False
    if indicator.kind == Indicator.Kind.INCIDENT:
        return not population(indicator)
    if indicator.kind == Indicator.Kind.OFFICIAL:
        if indicator.official_source == Indicator.OfficialSource.KOLADA:
            return False
        municipality = Municipality.objects.filter(code=indicator.municipality_id).first()
        return not (municipality and municipality.population)
    return False


def chart(indicator: Indicator, points: list[Point], *, target: float | None = None) -> dict | None:
    if not points:
        return None
    rows = []
    for p in points:
        row = {
            "period": p.label + (" " + _("(pågår)") if p.partial else ""),
            "värde": p.value,
        }
        if any(q.low is not None for q in points):
            row["nedre"] = p.low
            row["övre"] = p.high
        if target is not None:
            row["mål"] = target
        rows.append(row)
    has_band = "nedre" in rows[0]
    return charts.line_chart(
        rows,
        x="period",
        y="värde",
        x_type="ordinal",
        x_title=_("Period"),
        y_title=indicator.unit or str(indicator.get_measure_display()),
        band=("nedre", "övre") if has_band else None,
        threshold="mål" if target is not None else None,
        threshold_title=_("Målvärde"),
    )


def _effect(
    *,
    treated_before: int,
    treated_after: int,
    control_before: int,
    control_after: int,
    treated_areas: int,
) -> dict[str, Any]:
    """Relative effect size (Farrington and Welsh) with its interval and the statistics
    core's own wording, which does not call a single treated area's change significant."""
    result = relative_effect_size(
        treated_before,
        treated_after,
        control_before,
        control_after,
        treated_areas=treated_areas,
    )
    return {
        "available": True,
        "method": "relative_effect_size (Farrington & Welsh 2005)",
        "estimate": result.res,
        "low": result.low,
        "high": result.high,
        "p_value": result.p_value,
        "relative_change": result.relative_change,
        "significant": result.significant,
        "message": result.explanation_sv,
        "message_en": result.explanation_en,
    }


def follow_up(
    measure: Measure, *, comparison_areas: list[Area], today: datetime.date | None = None
) -> dict[str, Any]:
    """The figures of a measure's follow-up (step 7), ready to store in Evaluation.figures:
    the indicator now against baseline and target, and for incident indicators the counts
    before and after the measure started in the measure's areas and the comparison areas,
    with the effect estimate where the statistics core provides it."""
    today = today or timezone.localdate()
    indicator = measure.indicator
    points = series(indicator, today=today)
    complete = [p for p in points if not p.partial] or points
    now = complete[-1] if complete else None
    figures: dict[str, Any] = {
        "indicator": indicator.name,
        "kind": indicator.kind,
        "baseline": {"value": measure.baseline_value, "date": measure.baseline_date.isoformat()},
        "target": {"value": measure.target_value, "deadline": measure.deadline.isoformat()},
        "now": now.as_dict() if now else None,
        "lower_is_better": indicator.lower_is_better,
        "taken": today.isoformat(),
    }
    if now is not None:
        better = (
            (now.value <= measure.target_value)
            if indicator.lower_is_better
            else (now.value >= measure.target_value)
        )
        figures["target_reached"] = better
    if indicator.kind != Indicator.Kind.INCIDENT or not comparison_areas:
        return figures
    treated = list(measure.areas.all()) or list(indicator.areas.all())
    figures["comparison"] = area_comparison(
        treated=treated,
        comparison=comparison_areas,
        municipality_id=indicator.municipality_id,
        category_ids=list(indicator.categories.values_list("pk", flat=True)),
        since=measure.baseline_date,
        today=today,
    )
    return figures


def area_comparison(
    *,
    treated: list[Area],
    comparison: list[Area],
    municipality_id: str | None,
    category_ids: list[int],
    since: datetime.date,
    today: datetime.date,
) -> dict[str, Any]:
    """Incidents in the treated and the comparison areas in the year before ``since``
    and the year after it (or up to today), with the effect estimate: the comparison of
    a measure's follow-up and of a funded place-based project."""
    before_start = since - datetime.timedelta(days=365)
    after_end = min(today, since + datetime.timedelta(days=365))

    def count(areas: list[Area], start: datetime.date, end: datetime.date) -> int:
        return incident_count(
            areas=areas,
            municipality_id=municipality_id,
            category_ids=category_ids,
            start=start,
            end=end,
        )

    counts = {
        "treated_before": count(treated, before_start, since),
        "treated_after": count(treated, since, after_end),
        "control_before": count(comparison, before_start, since),
        "control_after": count(comparison, since, after_end),
    }
    return {
        "areas": [a.display_name for a in comparison],
        "treated_areas": [a.display_name for a in treated],
        "before": [before_start.isoformat(), since.isoformat()],
        "after": [since.isoformat(), after_end.isoformat()],
        **counts,
        "effect": _effect(**counts, treated_areas=len(treated)),
    }
