"""The åtgärdsplan: measures with their SMART fields, responsible parties, timing and
the state of their follow-up.

The figures (``ActionPlanFigures``) are read first; the sections in ``SECTIONS`` then
turn them into the document, in that order; each measure gets the blocks of
``MEASURE_SECTIONS``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.fund import public
from tryggnav.fund.models import Decision
from tryggnav.lib.documents import Block, Document, Heading, Paragraph, Table
from tryggnav.organisations.models import CollaborationGroup
from tryggnav.programmes.reports.common import Section, assemble, date_text, num
from tryggnav.steering.access import visible
from tryggnav.steering.models import Measure, Problem
from tryggnav.steering.targets import evaluation_status_text


@dataclass
class ActionPlanFigures:
    group: CollaborationGroup
    measures: list[Measure]  # with their problem, evaluations (latest first), activities
    projects: list[Decision] = field(default_factory=list)  # granted safety-fund projects

    @property
    def is_demo(self) -> bool:
        return self.group.is_demo or any(m.problem.is_demo for m in self.measures)


def action_plan_figures(*, group: CollaborationGroup, user: Any) -> ActionPlanFigures:
    problems = visible(user, Problem.objects.filter(group=group))
    measures = list(
        Measure.objects.filter(problem__in=problems)
        .select_related("problem__priority_area", "problem__agreement", "indicator", "responsible")
        .prefetch_related("agreed_by", "areas", "activities", "evaluations")
        .order_by("problem__title", "deadline", "title")
    )
    return ActionPlanFigures(group, measures, public.group_projects(group))


# --- the sections ------------------------------------------------------------------------


def latest_evaluation_text(measure: Measure) -> str:
    evaluation = measure.evaluations.first()
    if evaluation is None:
        return _("Inte uppföljd ännu")
    figures = evaluation.figures or {}
    now = figures.get("now") or {}
    parts = [evaluation.evaluated_on.isoformat()]
    if now:
        parts.append(
            _("värde %(v)s (%(p)s)") % {"v": num(now.get("value"), 1), "p": now.get("label", "")}
        )
        parts.append(evaluation_status_text(figures))
    return ", ".join(parts)


def _perspective_label(name: str) -> str:
    field = Measure._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def _introduction(f: ActionPlanFigures) -> list[Block]:
    text = _(
        "Åtgärdsplanen bygger på lägesbilden och de prioriteringar som parterna gjort i "
        "samverkan. Varje åtgärd har mål enligt SMART: specifikt, mätbart, accepterat, "
        "realistiskt och tidsatt. Planen redovisar ansvariga, tidsramar och hur långt "
        "uppföljningen har kommit."
    )
    blocks: list[Block] = [Heading(_("Inledning")), Paragraph(text)]
    if not f.measures:
        blocks.append(Paragraph(_("Inga åtgärder är beslutade ännu."), "warning"))
    return blocks


def _overview(f: ActionPlanFigures) -> list[Block]:
    if not f.measures:
        return []
    columns = [
        _("Åtgärd"),
        _("Ärende"),
        _("Ansvarig"),
        _("Klart senast"),
        _("Status"),
        _("Uppföljning"),
    ]
    rows = [
        [
            m.title,
            m.problem.title,
            str(m.responsible),
            date_text(m.deadline),
            str(m.get_status_display()),
            latest_evaluation_text(m),
        ]
        for m in f.measures
    ]
    return [Heading(_("Översikt"), 2), Table(columns, rows)]


def _measure_heading(m: Measure) -> list[Block]:
    problem = m.problem
    context = [problem.title]
    if problem.priority_area:
        context.append(_("prioriterat område: %(p)s") % {"p": problem.priority_area})
    if problem.agreement:
        context.append(str(problem.agreement))
    return [Heading(m.title), Paragraph(_("Ärende: %(c)s.") % {"c": "; ".join(context)}, "muted")]


def _smart(m: Measure) -> list[Block]:
    unit = m.indicator.unit or str(m.indicator.get_measure_display())
    measurable = _("%(ind)s: utgångsvärde %(base)s %(unit)s (%(date)s)") % {
        "ind": m.indicator.name,
        "base": num(m.baseline_value, 1),
        "unit": unit,
        "date": m.baseline_date.isoformat(),
    }
    timed = _("Målvärde %(t)s %(unit)s senast %(d)s") % {
        "t": num(m.target_value, 1),
        "unit": unit,
        "d": m.deadline.isoformat(),
    }
    rows = [
        [_("Specifikt"), m.specific + (f" ({m.place})" if m.place else "")],
        [_("Mätbart"), measurable],
        [_("Accepterat"), ", ".join(str(o) for o in m.agreed_by.all()) or "–"],
        [_("Realistiskt"), m.resources],
        [_("Tidsatt"), timed],
        [_("Ansvarig"), str(m.responsible)],
        [_("Typ av åtgärd"), str(m.get_prevention_type_display())],
        [_("Områden"), ", ".join(a.display_name for a in m.areas.all()) or "–"],
        [_("Status"), str(m.get_status_display())],
    ]
    return [Table([_("SMART"), _("Innehåll")], rows)]


def _perspectives(m: Measure) -> list[Block]:
    rows = [[_perspective_label(f), getattr(m, f)] for f in Measure.PERSPECTIVES]
    return [Table([_("Perspektiv"), _("Hur det beaktas")], rows)]


def _implementation(m: Measure) -> list[Block]:
    activities = list(m.activities.all())
    if not activities:
        return []
    rows = [
        [
            a.title,
            date_text(a.starts),
            date_text(a.ends),
            num(float(a.hours)) if a.hours is not None else "–",
            a.outputs or "–",
        ]
        for a in activities
    ]
    table = Table(
        [_("Aktivitet"), _("Från"), _("Till"), _("Timmar"), _("Resultat")],
        rows,
        numeric=frozenset({3}),
    )
    return [Heading(_("Genomförande"), 2), table]


def _evaluation(m: Measure) -> list[Block]:
    blocks: list[Block] = [Heading(_("Uppföljning"), 2)]
    evaluation = m.evaluations.first()
    if evaluation is None:
        text = _("Ingen uppföljning ännu; följs upp senast %(d)s.") % {"d": m.deadline.isoformat()}
        return [*blocks, Paragraph(text)]
    blocks.append(Paragraph(latest_evaluation_text(m)))
    effect = (evaluation.figures or {}).get("comparison", {}).get("effect", {})
    if effect.get("message"):
        blocks.append(Paragraph(effect["message"], "note"))
    return [*blocks, Paragraph(evaluation.conclusion)]


MEASURE_SECTIONS: list[Callable[[Measure], list[Block]]] = [
    _measure_heading,
    _smart,
    _perspectives,
    _implementation,
    _evaluation,
]


def _measures(f: ActionPlanFigures) -> list[Block]:
    return [block for m in f.measures for section in MEASURE_SECTIONS for block in section(m)]


def _project_follow_up(decision: Decision) -> str:
    evaluation = decision.application.evaluations.first()
    if evaluation is None:
        return _("Inte uppföljd ännu")
    goal = evaluation.figures.get("goal") or {}
    reached = goal.get("target_reached")
    verdict = "" if reached is None else (_("målet nått") if reached else _("målet inte nått"))
    return ", ".join(p for p in (evaluation.evaluated_on.isoformat(), verdict) if p)


def _fund_projects(f: ActionPlanFigures) -> list[Block]:
    """The safety fund's granted projects in the group's areas or on its problems: a
    measure each, with the same columns as the measures' overview."""
    if not f.projects:
        return []
    columns = [_("Projekt"), _("Ansvarig"), _("Plats"), _("Beviljat (kr)"), _("Period"),
               _("Mål"), _("Status"), _("Uppföljning")]  # fmt: skip
    rows = []
    for decision in f.projects:
        a = decision.application
        goal = f"{a.indicator}: {num(a.baseline_value, 1)} → {num(a.target_value, 1)}"
        rows.append([a.title, a.organisation.name, a.place_label, num(decision.net),
                     f"{date_text(a.starts)} – {date_text(a.ends)}", goal,
                     str(a.get_state_display()), _project_follow_up(decision)])  # fmt: skip
    intro = _("Projekt som beviljats stöd ur trygghetsfonden i gruppens områden eller på "
              "gruppens problem. De följs upp i fonden.")  # fmt: skip
    return [Heading(_("Projekt ur trygghetsfonden"), 2), Paragraph(intro), Table(columns, rows)]


SECTIONS: list[Section[ActionPlanFigures]] = [
    _introduction,
    _overview,
    _measures,
    _fund_projects,
]


def action_plan_report(
    *, group: CollaborationGroup, user: Any, today: datetime.date | None = None
) -> Document:
    figures = action_plan_figures(group=group, user=user)
    document = Document(
        title=_("Åtgärdsplan"),
        subtitle=group.name,
        organisation=group.lead_organisation.name,
        date=today or timezone.localdate(),
        is_demo=figures.is_demo,
    )
    return assemble(document, figures, SECTIONS)
