"""A steering-group status report for an agreement, with what changed since the report
last recorded as presented (``ReportSnapshot``).

``status_figures`` are JSON-ready: stored when the report is recorded, compared by the
next report (``status_changes``). ``StatusFigures`` holds them with the objects the
report lists; the sections in ``SECTIONS`` turn them into the document, in that order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.lib.documents import Block, BulletList, Document, Heading, Paragraph, Table
from tryggnav.programmes.models import ReportSnapshot
from tryggnav.programmes.reports.common import Section, activity_table, assemble, num
from tryggnav.steering import indicators as indicator_series
from tryggnav.steering import steps
from tryggnav.steering.models import (
    Activity,
    Agreement,
    Escalation,
    Indicator,
    Measure,
    PriorityArea,
    Problem,
    Step,
)
from tryggnav.steering.targets import target_status_text

# --- the figures -------------------------------------------------------------------------


def _agreement_measures(agreement: Agreement) -> list[Measure]:
    """The agreement's measures that ran in its period (baseline to deadline overlapping
    it): a report covers its own period."""
    return list(
        Measure.objects.filter(
            problem__agreement=agreement,
            baseline_date__lte=agreement.ends,
            deadline__gte=agreement.starts,
        )
        .select_related("problem", "indicator", "responsible")
        .order_by("problem__title", "deadline")
    )


def _owner(agreement: Agreement) -> Q:
    if agreement.group_id:
        return Q(group=agreement.group)
    return Q(organisation=agreement.organisation)


def _agreement_activities(agreement: Agreement, measures: list[Measure]) -> list[Activity]:
    in_period = Q(starts__lte=agreement.ends) & (
        Q(ends__isnull=True) | Q(ends__gte=agreement.starts)
    )
    return list(
        Activity.objects.filter(in_period & (Q(measure__in=measures) | _owner(agreement)))
        .select_related("responsible", "measure")
        .distinct()
        .order_by("-starts", "title")
    )


def _agreement_indicators(agreement: Agreement, measures: list[Measure]) -> list[Indicator]:
    ids = {m.indicator_id for m in measures}
    return list(
        Indicator.objects.filter(Q(pk__in=ids) | _owner(agreement)).distinct().order_by("name")
    )


def _latest(indicator: Indicator, today: datetime.date) -> dict[str, Any] | None:
    points = indicator_series.series(indicator, today=today)
    complete = [p for p in points if not p.partial] or points
    if not complete:
        return None
    p = complete[-1]
    return {"label": p.label, "value": p.value, "low": p.low, "high": p.high}


def _measure_figures(m: Measure, latest: dict[int, Any]) -> dict[str, Any]:
    return {
        "title": m.title,
        "status": m.status,
        "indicator": str(m.indicator.public_id),
        "baseline": m.baseline_value,
        "target": m.target_value,
        "deadline": m.deadline.isoformat(),
        "now": latest.get(m.indicator_id),
        "lower_is_better": m.indicator.lower_is_better,
    }


def status_figures(agreement: Agreement, *, today: datetime.date | None = None) -> dict[str, Any]:
    """What a status report shows, as JSON-ready figures: stored when the report is
    recorded as presented, compared by the next report."""
    today = today or timezone.localdate()
    measures = _agreement_measures(agreement)
    indicators = _agreement_indicators(agreement, measures)
    latest = {i.pk: _latest(i, today) for i in indicators}
    problems = agreement.problems.all().order_by("title")
    activities = _agreement_activities(agreement, measures)
    escalations = Escalation.objects.filter(problem__agreement=agreement)
    return {
        "taken": today.isoformat(),
        "agreement": str(agreement.public_id),
        "problems": {
            str(p.public_id): {"title": p.title, "step": steps.current_step(p)} for p in problems
        },
        "measures": {str(m.public_id): _measure_figures(m, latest) for m in measures},
        "indicators": {
            str(i.public_id): {"name": i.name, "unit": i.unit, "latest": latest[i.pk]}
            for i in indicators
        },
        "activities": {
            str(a.public_id): {"title": a.title, "starts": a.starts.isoformat()} for a in activities
        },
        "escalations": {
            str(e.public_id): {"obstacle": e.obstacle[:200], "status": e.status}
            for e in escalations
        },
    }


@dataclass
class StatusFigures:
    agreement: Agreement
    figures: dict[str, Any]  # status_figures of today
    previous: ReportSnapshot | None
    priorities: list[PriorityArea]
    problems: list[Problem]
    activities: list[Activity]
    escalations: list[Escalation]


def status_report_figures(
    agreement: Agreement, *, previous: ReportSnapshot | None, today: datetime.date
) -> StatusFigures:
    return StatusFigures(
        agreement=agreement,
        figures=status_figures(agreement, today=today),
        previous=previous,
        priorities=list(agreement.priority_areas.all()),
        problems=list(agreement.problems.select_related("priority_area").order_by("title")),
        activities=_agreement_activities(agreement, _agreement_measures(agreement)),
        escalations=list(
            Escalation.objects.filter(problem__agreement=agreement).select_related("problem")
        ),
    )


# --- what changed --------------------------------------------------------------------------


def _step_label(step: int | None) -> str:
    return str(Step(step).label) if step else _("alla steg klara")


def _problem_changes(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    out = []
    for key, p in now.items():
        if key not in before:
            out.append(
                _("Nytt ärende: %(t)s (%(s)s).") % {"t": p["title"], "s": _step_label(p["step"])}
            )
        elif before[key].get("step") != p["step"]:
            out.append(
                _("%(t)s: från steget ”%(a)s” till ”%(b)s”.")
                % {
                    "t": p["title"],
                    "a": _step_label(before[key].get("step")),
                    "b": _step_label(p["step"]),
                }
            )
    return out


def _measure_changes(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    labels = dict(Measure.Status.choices)
    out = []
    for key, m in now.items():
        old = before.get(key)
        if old is None:
            out.append(_("Ny åtgärd: %(t)s.") % {"t": m["title"]})
        elif old.get("status") != m["status"]:
            out.append(
                _("%(t)s: status från %(a)s till %(b)s.")
                % {
                    "t": m["title"],
                    "a": str(labels.get(old.get("status"), old.get("status"))).lower(),
                    "b": str(labels.get(m["status"], m["status"])).lower(),
                }
            )
    return out


def _indicator_change(name: str, old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    if old:
        return _("%(n)s: %(a)s (%(pa)s) → %(b)s (%(pb)s).") % {
            "n": name,
            "a": num(old["value"], 1),
            "pa": old["label"],
            "b": num(new["value"], 1),
            "pb": new["label"],
        }
    return _("%(n)s: första värdet %(b)s (%(pb)s).") % {
        "n": name,
        "b": num(new["value"], 1),
        "pb": new["label"],
    }


def _indicator_changes(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    out = []
    for key, i in now.items():
        old_latest = (before.get(key) or {}).get("latest")
        new_latest = i.get("latest")
        if new_latest and old_latest != new_latest:
            out.append(_indicator_change(i["name"], old_latest, new_latest))
    return out


def _activity_changes(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    new = [a["title"] for k, a in now.items() if k not in before]
    if not new:
        return []
    return [_("Nya aktiviteter: %(a)s.") % {"a": ", ".join(sorted(new))}]


def _escalation_changes(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    labels = dict(Escalation.Status.choices)
    out = []
    for key, e in now.items():
        old = before.get(key)
        if old is None:
            out.append(_("Nytt hinder lyft till central nivå: %(o)s") % {"o": e["obstacle"]})
        elif old.get("status") != e["status"]:
            out.append(
                _("Hinder ”%(o)s”: %(a)s → %(b)s.")
                % {
                    "o": e["obstacle"][:80],
                    "a": str(labels.get(old.get("status"), "")).lower(),
                    "b": str(labels.get(e["status"], "")).lower(),
                }
            )
    return out


CHANGES = [
    ("problems", _problem_changes),
    ("measures", _measure_changes),
    ("indicators", _indicator_changes),
    ("activities", _activity_changes),
    ("escalations", _escalation_changes),
]


def status_changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """What changed between two sets of status figures, in Swedish sentences."""
    if not previous:
        return []
    out: list[str] = []
    for key, changes in CHANGES:
        out += changes(previous.get(key, {}), current.get(key, {}))
    return out


def _measure_state(m: dict[str, Any]) -> str:
    return target_status_text(m.get("now"), m["target"], lower_is_better=m["lower_is_better"])


# --- the sections ------------------------------------------------------------------------


def _period(f: StatusFigures) -> list[Block]:
    agreement = f.agreement
    text = _("Period för överenskommelsen: %(s)s–%(e)s.") % {
        "s": agreement.starts.isoformat(),
        "e": agreement.ends.isoformat(),
    }
    blocks: list[Block] = [Paragraph(text)]
    if agreement.steering_group:
        blocks.append(Paragraph(_("Styrgrupp: %(s)s.") % {"s": agreement.steering_group}))
    return blocks


def _changes(f: StatusFigures) -> list[Block]:
    blocks: list[Block] = [Heading(_("Förändringar sedan förra rapporten"))]
    if f.previous is None:
        first = _(
            "Detta är den första statusrapporten som registreras för överenskommelsen; "
            "det finns ingen tidigare rapport att jämföra med."
        )
        return [*blocks, Paragraph(first, "note")]
    taken = f.previous.figures.get("taken") or f.previous.created.date().isoformat()
    changes = status_changes(f.previous.figures, f.figures)
    return [
        *blocks,
        Paragraph(_("Jämfört med rapporten som registrerades %(d)s.") % {"d": taken}, "muted"),
        BulletList(changes) if changes else Paragraph(_("Inga förändringar.")),
    ]


def _priorities(f: StatusFigures) -> list[Block]:
    blocks: list[Block] = [Heading(_("Mål och prioriterade områden"))]
    if not f.priorities:
        return blocks
    steps_now = f.figures["problems"]
    rows = []
    for priority in f.priorities:
        own = [p for p in f.problems if p.priority_area_id == priority.pk]
        listed = ", ".join(
            f"{p.title} ({_step_label(steps_now[str(p.public_id)]['step'])})" for p in own
        )
        rows.append([priority.name, listed or _("Inga ärenden")])
    return [*blocks, Table([_("Prioriterat område"), _("Ärenden (aktuellt steg)")], rows)]


def _measures(f: StatusFigures) -> list[Block]:
    measures = f.figures["measures"]
    if not measures:
        text = _("Inga åtgärder med SMART-mål är kopplade till överenskommelsen.")
        return [Paragraph(text, "note")]
    labels = dict(Measure.Status.choices)
    columns = [_("Åtgärd"), _("Status"), _("Utgångsvärde"), _("Nu"), _("Mål"), _("Bedömning")]
    rows = [
        [
            m["title"],
            str(labels.get(m["status"], m["status"])),
            num(m["baseline"], 1),
            f"{num(m['now']['value'], 1)} ({m['now']['label']})" if m["now"] else "–",
            f"{num(m['target'], 1)} ({m['deadline']})",
            _measure_state(m),
        ]
        for m in measures.values()
    ]
    return [Heading(_("Åtgärder och SMART-mål"), 2), Table(columns, rows)]


def _indicator_row(i: dict[str, Any]) -> list[str]:
    latest = i["latest"]
    if not latest:
        return [i["name"], "–", _("inget värde"), "–"]
    interval = "–"
    if latest.get("low") is not None:
        interval = f"{num(latest['low'], 1)}–{num(latest['high'], 1)}"
    return [i["name"], latest["label"], num(latest["value"], 1), interval]


def _indicators(f: StatusFigures) -> list[Block]:
    rows = [_indicator_row(i) for i in f.figures["indicators"].values()]
    if not rows:
        return [Heading(_("Indikatorer")), Paragraph(_("Inga indikatorer."), "note")]
    columns = [_("Indikator"), _("Period"), _("Senaste värde"), _("95 % intervall")]
    return [Heading(_("Indikatorer")), Table(columns, rows, numeric=frozenset({2}))]


def _activities(f: StatusFigures) -> list[Block]:
    heading = Heading(_("Aktiviteter"))
    if not f.activities:
        none = _("Inga aktiviteter under överenskommelsens period.")
        return [heading, Paragraph(none, "note")]
    return [heading, activity_table(f.activities)]


def _escalations(f: StatusFigures) -> list[Block]:
    heading = Heading(_("Hinder lyfta till central nivå"))
    if not f.escalations:
        return [heading, Paragraph(_("Inga hinder har lyfts."), "note")]
    rows = [
        [e.problem.title, e.obstacle, e.raised_to, str(e.get_status_display()), e.response or "–"]
        for e in f.escalations
    ]
    open_rows = frozenset(
        i for i, e in enumerate(f.escalations) if e.status == Escalation.Status.OPEN
    )
    columns = [_("Ärende"), _("Hinder"), _("Lyfts till"), _("Status"), _("Svar")]
    return [heading, Table(columns, rows, highlight_rows=open_rows)]


SECTIONS: list[Section[StatusFigures]] = [
    _period,
    _changes,
    _priorities,
    _measures,
    _indicators,
    _activities,
    _escalations,
]


def status_report(
    agreement: Agreement,
    *,
    previous: ReportSnapshot | None,
    today: datetime.date | None = None,
) -> Document:
    today = today or timezone.localdate()
    document = Document(
        title=_("Statusrapport till styrgruppen"),
        subtitle=agreement.title,
        organisation=str(agreement.audit_organisation),
        date=today,
        is_demo=agreement.is_demo,
    )
    figures = status_report_figures(agreement, previous=previous, today=today)
    return assemble(document, figures, SECTIONS)
