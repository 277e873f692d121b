"""The fund's documents, built once as a ``Document`` and rendered to Word and PDF:
the decision letter to an applicant, and the yearly fund report."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.fund import effects
from tryggnav.fund.models import (
    Application,
    Decision,
    FinalReport,
    Fund,
    ProjectEvaluation,
    fund_figures,
)
from tryggnav.lib.documents import BulletList, Chart, Document, Heading, Paragraph, Table
from tryggnav.lib.numbers import number


def kr(value: int | None) -> str:
    return f"{number(value)} kr"


def _date(day: datetime.date | None) -> str:
    return day.isoformat() if day else "–"


def decision_letter(decision: Decision, *, today: datetime.date | None = None) -> Document:
    application = decision.application
    fund = decision.fund
    doc = Document(
        title=_("Beslut om stöd ur %(fund)s") % {"fund": str(fund)},
        subtitle=application.title,
        organisation=fund.organisation.name,
        date=today or timezone.localdate(decision.decided),
        is_demo=fund.is_demo or application.is_demo,
    )
    doc.add(
        Paragraph(_("Till: %(org)s") % {"org": application.organisation.name}),
        Heading(_("Beslut")),
        Paragraph(decision.get_outcome_display()),
        Table(
            [_("Uppgift"), _("Värde")],
            [
                [_("Projekt"), application.title],
                [_("Sökt belopp"), kr(application.requested)],
                [_("Beviljat belopp"), kr(decision.amount)],
                [_("Projektperiod"), f"{_date(application.starts)} – {_date(application.ends)}"],
                [_("Plats"), application.place_label or "–"],
                [_("Typ av prevention"), application.get_prevention_type_display()],
                [_("Beslutsdatum"), _date(timezone.localdate(decision.decided))],
            ],
        ),
    )
    if decision.conditions:
        doc.add(Heading(_("Villkor")), Paragraph(decision.conditions))
    if decision.reason:
        doc.add(Heading(_("Motivering")), Paragraph(decision.reason))
    if decision.outcome != Decision.Outcome.REFUSED:
        doc.add(
            Heading(_("Uppföljning")),
            BulletList([
                _("Målet: %(ind)s från %(base)s till %(target)s senast %(deadline)s.") % {
                    "ind": application.indicator, "base": number(application.baseline_value, 1, trim=True),
                    "target": number(application.target_value, 1, trim=True),
                    "deadline": _date(application.deadline)},
                _("En slutredovisning med vad som gjordes, använda medel och indikatorns värde "
                  "lämnas när projektet är slut. Medel som inte används betalas tillbaka till fonden."),
            ]),
        )  # fmt: skip
    doc.add(Paragraph(_("Beslutet är fattat av %(who)s.") % {
        "who": decision.decided_by.get_full_name() or decision.decided_by.email}, style="muted"))  # fmt: skip
    return doc


def _type_rows(applications: list[Application], granted: dict[int, int]) -> list[list[str]]:
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    labels = {}
    for a in applications:
        if a.pk in granted:
            by_type[a.prevention_type][0] += 1
            by_type[a.prevention_type][1] += granted[a.pk]
            labels[a.prevention_type] = a.get_prevention_type_display()
    return [[labels[t], str(n), kr(s)] for t, (n, s) in sorted(by_type.items())]


def _area_rows(applications: list[Application], granted: dict[int, int]) -> list[list[str]]:
    by_area: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in applications:
        if a.pk in granted:
            key = str(a.area) if a.area_id else (a.place_label or _("Hela kommunen"))
            by_area[key][0] += 1
            by_area[key][1] += granted[a.pk]
    return [[k, str(n), kr(s)] for k, (n, s) in sorted(by_area.items())]


def _result_rows(fund: Fund) -> list[list[str]]:
    rows = []
    for report in FinalReport.objects.filter(application__fund=fund).select_related("application"):
        a = report.application
        rows.append([
            a.title, a.indicator, number(a.baseline_value, 1, trim=True),
            number(a.target_value, 1, trim=True), number(report.indicator_value, 1, trim=True),
            kr(report.spent),
        ])  # fmt: skip
    return rows


def _latest_evaluations(fund: Fund) -> list[ProjectEvaluation]:
    latest: dict[int, ProjectEvaluation] = {}
    evaluations = ProjectEvaluation.objects.filter(application__fund=fund).select_related(
        "application"
    )
    for evaluation in evaluations.order_by("evaluated_on", "pk"):
        latest[evaluation.application_id] = evaluation
    return sorted(latest.values(), key=lambda e: e.application.title)


def _effect_text(comparison: dict) -> str:
    """The statistics core's own wording (it states the estimate and its interval)."""
    return effects.message(comparison["effect"])


def _effect_blocks(fund: Fund) -> list:
    blocks: list = [Heading(_("Effektuppföljning"))]
    evaluations = _latest_evaluations(fund)
    if not evaluations:
        return [*blocks, Paragraph(_("Ingen effektuppföljning ännu."), style="muted")]
    rows = []
    for evaluation in evaluations:
        comparison = evaluation.figures.get("comparison")
        counts = (
            f"{number(comparison['treated_before'])} → {number(comparison['treated_after'])}; "
            f"{number(comparison['control_before'])} → {number(comparison['control_after'])}"
            if comparison else "–"
        )  # fmt: skip
        effect = _effect_text(comparison) if comparison else _("Inga jämförelseområden.")
        rows.append([evaluation.application.title, _date(evaluation.evaluated_on), counts,
                     effect, evaluation.conclusion])  # fmt: skip
    headings = [_("Projekt"), _("Uppföljd"), _("Händelser före → efter: projektet; jämförelse"),
                _("Effekt mot jämförelseområden"), _("Bedömning")]  # fmt: skip
    return [*blocks, Table(headings, rows)]


def _budget_chart(figures) -> Chart:
    values = [
        {"post": _("Utbetalt"), "kr": figures.paid},
        {"post": _("Ej utbetalt"), "kr": max(figures.granted - figures.paid, 0)},
        {"post": _("Återstår"), "kr": max(figures.remaining, 0)},
    ]
    return Chart(spec={
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values}, "width": 560, "height": 120,
        "mark": "bar",
        "encoding": {"y": {"field": "post", "type": "nominal", "title": None, "sort": None},
                     "x": {"field": "kr", "type": "quantitative", "title": "kr",
                           "axis": {"tickCount": 4}}},
    }, caption=_("Budgetens användning"))  # fmt: skip


def fund_report(fund: Fund, *, today: datetime.date | None = None) -> Document:
    figures = fund_figures(fund)
    applications = list(fund.applications.select_related("area", "place", "organisation"))
    granted = dict(
        Decision.objects.filter(fund=fund).exclude(outcome=Decision.Outcome.REFUSED)
        .values_list("application_id").annotate(s=Sum(F("amount") - F("returned")))
        .values_list("application_id", "s")
    )  # fmt: skip
    decided = Decision.objects.filter(fund=fund).count()
    doc = Document(
        title=_("Trygghetsfondens årsrapport %(year)s") % {"year": fund.year},
        subtitle=fund.name, organisation=fund.organisation.name,
        date=today or timezone.localdate(), is_demo=fund.is_demo,
    )  # fmt: skip
    doc.add(
        Heading(_("Budgetens användning")),
        Table([_("Post"), _("Belopp")], [
            [_("Budget"), kr(figures.budget)], [_("Beviljat (netto)"), kr(figures.granted)],
            [_("Utbetalt"), kr(figures.paid)], [_("Återbetalt till fonden"), kr(figures.returned)],
            [_("Återstår"), kr(figures.remaining)],
        ], numeric=frozenset({1})),
        _budget_chart(figures),
        Paragraph(_("%(n)s ansökningar, %(d)s beslut, %(g)s beviljade.") % {
            "n": len(applications), "d": decided, "g": len(granted)}),
        Heading(_("Projekt per typ av prevention")),
        Table([_("Typ"), _("Projekt"), _("Beviljat")], _type_rows(applications, granted),
              numeric=frozenset({1, 2})),
        Heading(_("Projekt per område")),
        Table([_("Område"), _("Projekt"), _("Beviljat")], _area_rows(applications, granted),
              numeric=frozenset({1, 2})),
        Heading(_("Resultat enligt slutredovisningarna")),
    )  # fmt: skip
    results = _result_rows(fund)
    if results:
        doc.add(Table([_("Projekt"), _("Indikator"), _("Utgångsvärde"), _("Målvärde"),
                       _("Uppmätt"), _("Använt")], results))  # fmt: skip
        doc.add(Paragraph(_("Värdena är projektens egna mätningar före och efter. Med ett enda "
                            "område och utan jämförelseområden kan de inte visa att insatsen "
                            "orsakade förändringen."), style="note"))  # fmt: skip
    else:
        doc.add(Paragraph(_("Inga slutredovisningar ännu."), style="muted"))
    doc.add(*_effect_blocks(fund))
    return doc
