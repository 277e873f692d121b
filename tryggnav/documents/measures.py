"""Every measure of the municipality's åtgärdsplan, from each place it is kept:

- Brå-process measures (``steering.Measure``) with their SMART goals;
- the standing actions of the weekly meetings (``lagesbild.Action``);
- the activity register (``steering.Activity``) for activities not carrying out a
  measure already listed;
- the safety fund's granted projects (``fund.public.group_projects``).

Each becomes a ``figures.MeasureRow`` with responsible party, cost and funding, timing,
indicator and follow-up. Its status is said with the weekly meetings' one definition:
``lagesbild.models.Action.Status`` (Pågår, Klar, Struken) and ``Action.is_overdue``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from tryggnav.documents.figures import MeasureRow, Source
from tryggnav.fund import public
from tryggnav.fund.models import Application, Decision
from tryggnav.lagesbild.models import Action
from tryggnav.lib import numbers
from tryggnav.organisations.models import CollaborationGroup, Organisation
from tryggnav.programmes.reports.action_plan import latest_evaluation_text
from tryggnav.steering.access import visible
from tryggnav.steering.models import Activity, Measure, Problem

# How the other registers' states read in the weekly meetings' statuses.
MEASURE_STATUS: dict[str, str] = {
    Measure.Status.PLANNED: Action.Status.OPEN,
    Measure.Status.ONGOING: Action.Status.OPEN,
    Measure.Status.DONE: Action.Status.DONE,
    Measure.Status.STOPPED: Action.Status.CANCELLED,
}
APPLICATION_STATUS: dict[str, str] = {
    Application.State.DECIDED: Action.Status.OPEN,
    Application.State.REPORTED: Action.Status.DONE,
    Application.State.WITHDRAWN: Action.Status.CANCELLED,
}


def follow_up_status(
    status: str, due: datetime.date | None, as_of: datetime.date
) -> tuple[str, bool]:
    """The status and whether it is overdue, by the weekly meetings' definition
    (``Action.is_overdue``: open and past its date)."""
    if due is None:
        return status, False
    return status, Action(status=status, due=due).is_overdue(as_of)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _owned_in(municipality_code: str) -> Q:
    return Q(group__municipality_id=municipality_code) | Q(
        organisation__municipality_id=municipality_code
    )


def _bra_measures(user: Any, code: str, as_of: datetime.date) -> list[MeasureRow]:
    measures = (
        Measure.objects.filter(
            Q(problem__group__municipality_id=code) | Q(problem__organisation__municipality_id=code)
        )
        .filter(problem__in=visible(user, Problem.objects.all()))
        .select_related("problem__group", "indicator", "responsible")
        .prefetch_related("evaluations")
        .order_by("deadline", "title")
    )
    rows = []
    for m in measures:
        unit = m.indicator.unit or ""
        goal = _("%(ind)s: %(base)s → %(target)s %(unit)s") % {
            "ind": m.indicator.name,
            "base": numbers.number(m.baseline_value, 1),
            "target": numbers.number(m.target_value, 1),
            "unit": unit,
        }
        status, overdue = follow_up_status(MEASURE_STATUS[m.status], m.deadline, as_of)
        rows.append(MeasureRow(
            Source.BRA, str(m.public_id), m.title, str(m.responsible), m.resources,
            _iso(m.baseline_date), _iso(m.deadline), goal.strip(), latest_evaluation_text(m),
            status, overdue, m.problem.group.name if m.problem.group else "",
        ))  # fmt: skip
    return rows


def _meeting_actions(code: str, period_start: datetime.date, as_of: datetime.date) -> list[Any]:
    actions = (
        Action.objects.filter(group__municipality_id=code)
        .filter(Q(status=Action.Status.OPEN) | Q(closed_at__date__gte=period_start))
        .select_related("organisation", "group", "meeting")
        .order_by("due", "what")
    )
    rows = []
    for a in actions:
        status, overdue = follow_up_status(a.status, a.due, as_of)
        rows.append(MeasureRow(
            Source.MEETING, str(a.public_id), a.what, a.organisation.name, "",
            _iso(a.created.date()), _iso(a.due), "", a.outcome, status, overdue, a.group.name,
        ))  # fmt: skip
    return rows


def _activities(
    user: Any, code: str, period_start: datetime.date, as_of: datetime.date
) -> list[Any]:
    activities = (
        visible(user, Activity.objects.filter(_owned_in(code)))
        .filter(measure__isnull=True, fund_application__isnull=True)
        .filter(Q(ends__isnull=True) | Q(ends__gte=period_start))
        .select_related("responsible", "group")
        .order_by("starts", "title")
    )
    rows = []
    for a in activities:
        done = a.ends is not None and a.ends < as_of
        status, overdue = follow_up_status(
            Action.Status.DONE if done else Action.Status.OPEN, a.ends, as_of
        )
        cost = a.resources
        if a.hours is not None:
            cost = ", ".join(
                p for p in (cost, _("%(h)s timmar") % {"h": numbers.number(float(a.hours))}) if p
            )
        rows.append(MeasureRow(
            Source.ACTIVITY, str(a.public_id), a.title, a.responsible_display, cost,
            _iso(a.starts), _iso(a.ends), "", a.outputs, status, overdue,
            a.group.name if a.group else "",
        ))  # fmt: skip
    return rows


def _project_follow_up(decision: Decision) -> str:
    evaluation = decision.application.evaluations.first()
    if evaluation is None:
        return _("Inte uppföljd ännu")
    return evaluation.evaluated_on.isoformat() + (
        f", {evaluation.conclusion}" if evaluation.conclusion else ""
    )


def _fund_projects(code: str, as_of: datetime.date) -> list[MeasureRow]:
    seen: set[int] = set()
    rows = []
    for group in CollaborationGroup.objects.filter(municipality_id=code).order_by("name"):
        for decision in public.group_projects(group):
            if decision.pk in seen:
                continue
            seen.add(decision.pk)
            a = decision.application
            cost = _("%(net)s kr ur %(fund)s") % {
                "net": numbers.number(decision.net),
                "fund": decision.fund,
            }
            if a.co_financing:
                cost += ", " + _("medfinansiering %(c)s kr") % {"c": numbers.number(a.co_financing)}
            goal = ""
            if a.indicator:
                goal = f"{a.indicator}: {numbers.number(a.baseline_value, 1)} → {numbers.number(a.target_value, 1)}"
            status, overdue = follow_up_status(
                APPLICATION_STATUS.get(a.state, Action.Status.OPEN), a.ends, as_of
            )
            rows.append(MeasureRow(
                Source.FUND, str(a.public_id), a.title, a.organisation.name, cost,
                _iso(a.starts), _iso(a.ends), goal, _project_follow_up(decision), status,
                overdue, group.name,
            ))  # fmt: skip
    return rows


def gather_measures(
    *, organisation: Organisation, user: Any, period_start: datetime.date, as_of: datetime.date
) -> list[MeasureRow]:
    """Every measure of the municipality as ``user`` sees them, in source order."""
    code = organisation.municipality_id
    assert code is not None
    return [
        *_bra_measures(user, code, as_of),
        *_meeting_actions(code, period_start, as_of),
        *_activities(user, code, period_start, as_of),
        *_fund_projects(code, as_of),
    ]
