"""The effect follow-up of a granted project, as data.

Two questions, kept apart as in the Brå follow-up (step 7):
- did the project reach its own goal? The indicator's value in the final report against
  the baseline and the target of the application (the project's own measurement: no
  interval exists for a single reported value, and the page says so);
- did anything change in its place beyond what changed elsewhere? For a project with an
  area: the countable incidents in the year before the project started and the year
  after, in its area and in comparison areas the fund chooses, with the relative effect
  size and its interval from the statistics core, whose wording never calls a single
  treated area's change an effect.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

import numpy as np
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation

from tryggnav.areas.models import Area
from tryggnav.fund.models import Application
from tryggnav.incidents.counts import countable
from tryggnav.incidents.models import Category
from tryggnav.stats.evaluation import poisson_did
from tryggnav.steering.indicators import area_comparison


def _goal(application: Application) -> dict[str, Any]:
    report = getattr(application, "final_report", None)
    baseline, target = application.baseline_value, application.target_value
    goal: dict[str, Any] = {
        "indicator": application.indicator,
        "baseline": {
            "value": baseline,
            "date": application.baseline_date.isoformat() if application.baseline_date else None,
        },
        "target": {
            "value": target,
            "deadline": application.deadline.isoformat() if application.deadline else None,
        },
        "now": None,
        "target_reached": None,
    }
    if report is not None:
        goal["now"] = {"value": report.indicator_value, "date": report.indicator_date.isoformat()}
    if report is not None and baseline is not None and target is not None:
        lower_is_better = target < baseline
        goal["lower_is_better"] = lower_is_better
        value = report.indicator_value
        goal["target_reached"] = value <= target if lower_is_better else value >= target
    return goal


def project_figures(
    application: Application,
    *,
    comparison_areas: list[Area],
    category_ids: list[int],
    today: datetime.date,
) -> dict[str, Any]:
    """What a project's follow-up shows, ready to store in ProjectEvaluation.figures.
    No categories: every category counts."""
    figures: dict[str, Any] = {"goal": _goal(application), "taken": today.isoformat()}
    category_ids = category_ids or list(Category.objects.values_list("pk", flat=True))
    if application.area is not None and comparison_areas:
        figures["comparison"] = area_comparison(
            treated=[application.area],
            comparison=comparison_areas,
            municipality_id=application.fund.municipality_id,
            category_ids=category_ids,
            since=application.starts,
            today=today,
        )
        figures["did"] = monthly_did(
            application, comparison_areas=comparison_areas, category_ids=category_ids, today=today
        )
    return figures


def message(effect: dict[str, Any]) -> str:
    """The statistics core's own wording of an effect (it states the estimate and its
    interval), in the reader's language: for the page and the yearly report."""
    if translation.get_language() == "en" and effect.get("message_en"):
        return effect["message_en"]
    return effect.get("message", "")


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _months(since: datetime.date, today: datetime.date) -> tuple[list[datetime.date], int]:
    """Twelve months before the month the project started, then the complete months
    from it up to a year (or to today); and how many of them are before."""
    first = datetime.date(since.year - 1, since.month, 1)
    months: list[datetime.date] = []
    day = first
    stop = min(today, datetime.date(since.year + 1, since.month, 1))
    while True:
        following = _next_month(day)
        if following > stop:
            return months, 12
        months.append(day)
        day = following


def _monthly_counts(areas: list[Area], months: list[datetime.date], municipality_id: str,
                    category_ids: list[int]) -> np.ndarray:  # fmt: skip
    end = _next_month(months[-1])
    rows = (
        countable(start=months[0], end=end, category_ids=category_ids,
                  municipality_id=municipality_id, area_ids=[a.pk for a in areas])
        .annotate(month=TruncMonth("occurred_from", tzinfo=timezone.get_current_timezone()))
        .values_list("area_id", "month").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    position = {m: i for i, m in enumerate(months)}
    row_of = {a.pk: i for i, a in enumerate(areas)}
    counts = np.zeros((len(areas), len(months)))
    for area_id, month, n in rows:
        counts[row_of[area_id], position[timezone.localtime(month).date()]] = n
    return counts


def monthly_did(
    application: Application,
    *,
    comparison_areas: list[Area],
    category_ids: list[int],
    today: datetime.date,
) -> dict[str, Any]:
    """Poisson difference in differences over monthly counts of the project's area and
    the comparison areas, from the statistics core, which chooses its inference from
    the data (one treated area: a placebo test and no interval)."""
    months, before = _months(application.starts, today)
    if len(months) <= before:
        return {"available": False, "message": "Ingen hel månad efter projektstart ännu.",
                "message_en": "No complete month after the project started yet."}  # fmt: skip
    assert application.area is not None  # only place-based projects get here
    areas = [application.area, *comparison_areas]
    counts = _monthly_counts(areas, months, application.fund.municipality_id, category_ids)
    treated = np.array([1] + [0] * len(comparison_areas))
    post = np.array([0] * before + [1] * (len(months) - before))
    try:
        result = poisson_did(counts, treated, post)
    except ValueError:
        return {"available": False,
                "message": "För få händelser före och efter för en jämförelse över tid.",
                "message_en": "Too few incidents before and after for a comparison over time."}  # fmt: skip
    return {
        "available": True, "method": "poisson_did (månadsantal)",
        "months": [months[0].isoformat(), months[-1].isoformat()],
        "rate_ratio": result.rate_ratio,
        "low": None if math.isnan(result.low) else result.low,
        "high": None if math.isnan(result.high) else result.high,
        "p_value": result.p_value, "significant": result.significant,
        "message": result.explanation_sv, "message_en": result.explanation_en,
    }  # fmt: skip
