"""Whether a measure has reached its target: one definition for every page and report.

A value whose 95 % interval contains the target is neither reached nor missed: a count
of one quarter or year is uncertain, so the honest verdict is "within the uncertainty
around the target". Decided from the figures (value, interval, target, direction),
never from display text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tryggnav.lib import numbers


class TargetStatus(models.TextChoices):
    NO_VALUE = "no_value", gettext_lazy("Inget värde ännu")
    REACHED = "reached", gettext_lazy("Målvärdet nått")
    NOT_REACHED = "not_reached", gettext_lazy("Målvärdet inte nått")
    UNCERTAIN = "uncertain", gettext_lazy("Inom osäkerheten kring målvärdet")


def target_status(
    now: Mapping[str, Any] | None, target: float | None, *, lower_is_better: bool
) -> TargetStatus:
    """``now`` is an indicator point as stored in figures: value, optional low/high."""
    if not now or now.get("value") is None or target is None:
        return TargetStatus.NO_VALUE
    low, high = now.get("low"), now.get("high")
    if low is not None and high is not None and low <= target <= high:
        return TargetStatus.UNCERTAIN
    value = now["value"]
    reached = value <= target if lower_is_better else value >= target
    return TargetStatus.REACHED if reached else TargetStatus.NOT_REACHED


def target_status_text(
    now: Mapping[str, Any] | None, target: float | None, *, lower_is_better: bool
) -> str:
    """The status as one sentence fragment, with the interval when it is uncertain
    (numbers in the reader's language)."""
    status = target_status(now, target, lower_is_better=lower_is_better)
    if status == TargetStatus.UNCERTAIN and now:
        return _("Inom osäkerheten kring målvärdet (95 %% intervall %(l)s–%(h)s)") % {
            "l": numbers.number(now["low"], 1),
            "h": numbers.number(now["high"], 1),
        }
    return str(status.label)


def evaluation_status_text(figures: Mapping[str, Any]) -> str:
    """The status of a stored follow-up (Evaluation.figures), old or new."""
    target = (figures.get("target") or {}).get("value")
    return target_status_text(
        figures.get("now"), target, lower_is_better=bool(figures.get("lower_is_better", True))
    )
