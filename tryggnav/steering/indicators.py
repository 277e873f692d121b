"""Indicator series and their charts, and the statistics of a measure's follow-up.

An incident indicator is counted live from the countable incidents; survey and
manual indicators are IndicatorValue rows. Every point carries its interval where
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


def series(indicator: Indicator, *, today: datetime.date | None = None) -> list[Point]:
    today = today or timezone.localdate()
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
    per = (
        1000 / p
        if (indicator.measure == Indicator.Measure.RATE and (p := population(indicator)))
        else None
    )
    points = []
    for start, end, label in _periods(indicator, today):
        n = incident_count(
            areas=areas,
            municipality_id=indicator.municipality_id,
            category_ids=category_ids,
            start=start,
            end=end,
        )
        low, high = _poisson_interval(n)
        scale = per or 1.0
        points.append(
            Point(
                start=start,
                end=end,
                label=label,
                value=round(n * scale, 3),
                low=None if low is None else round(low * scale, 3),
                high=None if high is None else round(high * scale, 3),
                count=n,
                partial=end > today,
            )
        )
    return points


def rate_unavailable(indicator: Indicator) -> bool:
    """A rate was asked for but the population is unknown: the series shows counts."""
    return (
        indicator.kind == Indicator.Kind.INCIDENT
        and indicator.measure == Indicator.Measure.RATE
        and not population(indicator)
    )


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
