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
from typing import Any

from tryggnav.areas.models import Area
from tryggnav.fund.models import Application
from tryggnav.incidents.models import Category
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
    if application.area is not None and comparison_areas:
        figures["comparison"] = area_comparison(
            treated=[application.area],
            comparison=comparison_areas,
            municipality_id=application.fund.municipality_id,
            category_ids=category_ids or list(Category.objects.values_list("pk", flat=True)),
            since=application.starts,
            today=today,
        )
    return figures
