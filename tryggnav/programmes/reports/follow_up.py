"""A programme's yearly follow-up, structured like Huddinge's "Uppföljning för 2021"
(seed 001): introduction, then per responsibility area its goal, sub-goals with the
assessment, what was done, activities, measures and indicators with charts; guidelines
followed up under an area come with it.

The figures (``FollowUpFigures``) are read first; the sections in ``SECTIONS`` then turn
them into the document, in that order.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.lib.documents import Block, BulletList, Chart, Document, Heading, Paragraph, Table
from tryggnav.programmes.models import AreaFollowUp, Assessment, FollowUp, Programme
from tryggnav.programmes.reports.common import (
    Section,
    activity_table,
    assemble,
    date_text,
    indicator_value,
    num,
    paragraphs,
    share_chart,
)
from tryggnav.steering import indicators as indicator_series
from tryggnav.steering.models import Activity, Indicator, Measure
from tryggnav.surveys import analysis
from tryggnav.surveys.models import Indicator as SurveyIndicator

# --- the figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class GoalAssessment:
    goal: str
    status: str | None  # an Assessment.Status; None when no assessment is recorded
    justification: str


@dataclass
class IndicatorFigures:
    indicator: Indicator
    points: list[Any]  # steering.indicators points up to the year
    chart: dict[str, Any] | None  # the series as a chart (two or more points)
    survey_chart: tuple[dict[str, Any], str] | None  # the linked survey's shares


@dataclass
class GuidelineFigures:
    guideline: Programme
    follow_up: FollowUp | None  # of the same year
    areas: list[tuple[AreaFollowUp, list[GoalAssessment]]]


@dataclass
class AreaFigures:
    item: AreaFollowUp
    assessments: list[GoalAssessment]
    activities: list[Activity]
    measures: list[Measure]
    indicators: list[IndicatorFigures]
    guidelines: list[GuidelineFigures]


@dataclass
class FollowUpFigures:
    follow_up: FollowUp
    areas: list[AreaFigures]

    @property
    def programme(self) -> Programme:
        return self.follow_up.programme

    @property
    def year(self) -> int:
        return self.follow_up.year


def _assessments(follow_up: FollowUp, item: AreaFollowUp) -> list[GoalAssessment]:
    found = {a.goal_id: a for a in follow_up.assessments.all()}
    out = []
    for goal in item.area.goals.all():
        a = found.get(goal.pk)
        out.append(
            GoalAssessment(
                goal=goal.text,
                status=a.status if a else None,
                justification=a.justification if a else "",
            )
        )
    return out


def _survey_chart(indicator: Indicator) -> tuple[dict[str, Any], str] | None:
    """For a survey indicator linked to the surveys module (``survey_ref``): the published
    shares of its latest survey with their 95 % intervals, as a bar chart."""
    if indicator.kind != Indicator.Kind.SURVEY or not indicator.survey_ref:
        return None
    try:
        survey_indicator = (
            SurveyIndicator.objects.select_related("survey")
            .filter(public_id=indicator.survey_ref)
            .first()
        )
    except (ValueError, ValidationError):
        return None
    if survey_indicator is None or survey_indicator.survey.is_internal:
        return None  # internal surveys stay with their organisation
    values = []
    for result in survey_indicator.results.filter(group="alla").order_by("unit_type", "-estimate"):
        u = analysis.uncertainty(analysis.Figure.from_result(result))
        values.append(
            {
                "enhet": result.unit_name,
                "andel": round(100 * result.estimate, 1),
                "nedre": None if u.low is None else round(100 * u.low, 1),
                "övre": None if u.high is None else round(100 * u.high, 1),
            }
        )
    if len(values) < 2:
        return None
    survey = survey_indicator.survey
    caption = _("%(name)s, %(survey)s %(year)s (andel, 95 %% intervall där det finns)") % {
        "name": survey_indicator.name,
        "survey": survey.name,
        "year": survey.year,
    }
    return share_chart(values), caption


def _indicator_figures(indicator: Indicator, year: int) -> IndicatorFigures:
    points = [
        p
        for p in indicator_series.series(indicator, today=datetime.date(year, 12, 31))
        if p.start.year <= year
    ]
    chart = indicator_series.chart(indicator, points) if len(points) >= 2 else None
    survey_chart = _survey_chart(indicator) if points else None
    return IndicatorFigures(indicator, points, chart or None, survey_chart)


def _guideline_figures(guideline: Programme, year: int) -> GuidelineFigures:
    follow_up = guideline.follow_ups.filter(year=year).first()
    areas = []
    if follow_up is not None:
        for item in follow_up.areas.select_related("area").prefetch_related("sections"):
            areas.append((item, _assessments(follow_up, item)))
    return GuidelineFigures(guideline, follow_up, areas)


def _area_figures(follow_up: FollowUp, item: AreaFollowUp) -> AreaFigures:
    year = follow_up.year
    return AreaFigures(
        item=item,
        assessments=_assessments(follow_up, item),
        activities=list(item.activities.select_related("responsible").prefetch_related("areas")),
        measures=list(item.measures.select_related("indicator", "responsible")),
        indicators=[_indicator_figures(i, year) for i in item.indicators.all()],
        guidelines=[_guideline_figures(g, year) for g in item.area.guidelines.all()],
    )


def follow_up_figures(follow_up: FollowUp) -> FollowUpFigures:
    items = follow_up.areas.select_related("area").prefetch_related(
        "sections", "area__goals", "area__guidelines"
    )
    return FollowUpFigures(follow_up, [_area_figures(follow_up, item) for item in items])


# --- the sections ------------------------------------------------------------------------


def _status(a: GoalAssessment) -> str:
    if a.status is None:
        return _("Ej bedömt")
    return str(dict(Assessment.Status.choices).get(a.status, a.status))


def _assessment_rows(assessments: list[GoalAssessment]) -> list[list[str]]:
    return [
        [
            a.goal,
            _status(a),
            a.justification if a.status is not None else _("Ingen bedömning registrerad."),
        ]
        for a in assessments
    ]


def _introduction(f: FollowUpFigures) -> list[Block]:
    follow_up, programme = f.follow_up, f.programme
    blocks: list[Block] = [Heading(_("Inledning")), *paragraphs(follow_up.introduction)]
    if not follow_up.introduction and programme.overall_goal:
        blocks.append(Paragraph(programme.overall_goal))
    blocks.append(BulletList([a.item.area.name for a in f.areas]))
    return blocks


def _summary(f: FollowUpFigures) -> list[Block]:
    rows = []
    for i, area in enumerate(f.areas, start=1):
        for a in area.assessments:
            rows.append([f"{i}. {area.item.area.name}", a.goal, _status(a)])
        for g in area.guidelines:
            for _item, assessments in g.areas:
                rows += [[g.guideline.title, a.goal, _status(a)] for a in assessments]
    if not rows:
        return []
    return [
        Heading(_("Sammanfattning av bedömningarna"), 2),
        Table([_("Ansvarsområde"), _("Delmål"), _("Bedömning")], rows),
    ]


def _measure_table(measures: list[Measure]) -> Table:
    return Table(
        [_("Åtgärd"), _("Ansvarig"), _("Mål"), _("Klart senast"), _("Status")],
        [
            [
                m.title,
                str(m.responsible),
                _("%(ind)s från %(base)s till %(target)s")
                % {
                    "ind": m.indicator.name,
                    "base": num(m.baseline_value, 1),
                    "target": num(m.target_value, 1),
                },
                date_text(m.deadline),
                str(m.get_status_display()),
            ]
            for m in measures
        ],
    )


def _indicator_values(f: IndicatorFigures) -> Table:
    return Table(
        [_("Period"), _("Värde"), _("95 % intervall")],
        [
            [
                p.label,
                indicator_value(f.indicator, p.value),
                f"{num(p.low, 1)}–{num(p.high, 1)}" if p.low is not None else "–",
            ]
            for p in f.points
        ],
        numeric=frozenset({1}),
    )


def _indicator_blocks(f: IndicatorFigures, chart_numbers: Iterator[int]) -> list[Block]:
    """An indicator's values up to the year, with a chart when there are two or more."""
    indicator = f.indicator
    blocks: list[Block] = [Heading(indicator.name, 3)]
    if indicator.description:
        blocks.append(Paragraph(indicator.description))
    if not f.points:
        missing = _(
            "Inga värden är registrerade för indikatorn. Siffrorna finns inte i "
            "underlaget och har inte fyllts i; diagrammet visas när värden matas in."
        )
        return [*blocks, Paragraph(missing, "note")]
    blocks.append(_indicator_values(f))
    if f.chart:
        caption = _("Diagram %(n)s: %(name)s") % {"n": next(chart_numbers), "name": indicator.name}
        blocks.append(Chart(f.chart, caption=caption))
    if f.survey_chart is not None:
        spec, text = f.survey_chart
        caption = _("Diagram %(n)s: %(c)s") % {"n": next(chart_numbers), "c": text}
        blocks.append(Chart(spec, caption=caption))
    if indicator.source:
        blocks.append(Paragraph(_("Källa: %(s)s") % {"s": indicator.source}, "muted"))
    return blocks


def _narrative_blocks(item: AreaFollowUp) -> list[Block]:
    blocks: list[Block] = list(paragraphs(item.narrative))
    for section in item.sections.all():
        blocks.append(Heading(section.heading, 3))
        blocks.extend(paragraphs(section.text))
    return blocks


def _guideline_header(guideline: Programme) -> list[Block]:
    blocks: list[Block] = [Heading(guideline.title, 2)]
    decided = ", ".join(
        x
        for x in (
            guideline.decision_reference,
            guideline.decided_by,
            date_text(guideline.decision_date) if guideline.decision_date else "",
        )
        if x
    )
    if decided:
        blocks.append(Paragraph(_("Beslut: %(d)s.") % {"d": decided}, "muted"))
    if guideline.follow_up_by:
        text = _("Följs upp årligen av %(who)s.") % {"who": guideline.follow_up_by}
        blocks.append(Paragraph(text, "muted"))
    return blocks


def _guideline_blocks(g: GuidelineFigures, year: int) -> list[Block]:
    blocks = _guideline_header(g.guideline)
    if g.follow_up is None:
        missing = _("Ingen uppföljning för %(y)s är registrerad.") % {"y": year}
        return [*blocks, Paragraph(missing, "warning")]
    blocks.extend(paragraphs(g.follow_up.introduction))
    for item, assessments in g.areas:
        if assessments:
            blocks.append(
                Table(
                    [_("Mål"), _("Bedömning"), _("Motivering")],
                    _assessment_rows(assessments),
                    caption=_("Mål och bedömning %(y)s") % {"y": year},
                )
            )
        blocks.extend(_narrative_blocks(item))
    return blocks


def _area_text(a: AreaFigures, number: int, year: int) -> list[Block]:
    area = a.item.area
    blocks: list[Block] = [Heading(f"{number}. {area.name}")]
    if area.goal:
        blocks += [Heading(_("Mål"), 2), *paragraphs(area.goal)]
    if a.assessments:
        blocks += [
            Heading(_("Delmål och bedömning"), 2),
            Table([_("Delmål"), _("Bedömning"), _("Motivering")], _assessment_rows(a.assessments)),
        ]
    if area.description:
        blocks += [Heading(_("Vad ansvarsområdet omfattar"), 2), *paragraphs(area.description)]
    narrative = _narrative_blocks(a.item)
    if narrative:
        blocks += [Heading(_("Genomfört arbete under %(y)s") % {"y": year}, 2), *narrative]
    return blocks


def _area_work(a: AreaFigures, chart_numbers: Iterator[int], year: int) -> list[Block]:
    blocks: list[Block] = []
    if a.activities:
        blocks += [Heading(_("Aktiviteter"), 2), activity_table(a.activities)]
    if a.measures:
        blocks += [Heading(_("Åtgärder"), 2), _measure_table(a.measures)]
    if a.indicators:
        blocks.append(Heading(_("Indikatorer"), 2))
        for indicator in a.indicators:
            blocks += _indicator_blocks(indicator, chart_numbers)
    for g in a.guidelines:
        blocks += _guideline_blocks(g, year)
    return blocks


def _areas(f: FollowUpFigures) -> list[Block]:
    chart_numbers = itertools.count(1)  # charts are numbered through the document
    blocks: list[Block] = []
    for number, a in enumerate(f.areas, start=1):
        blocks += _area_text(a, number, f.year)
        blocks += _area_work(a, chart_numbers, f.year)
    return blocks


def _sources(f: FollowUpFigures) -> list[Block]:
    source = f.follow_up.source or f.programme.source
    if not source:
        return []
    return [Heading(_("Underlag")), Paragraph(source, "muted")]


SECTIONS: list[Section[FollowUpFigures]] = [_introduction, _summary, _areas, _sources]


def follow_up_report(follow_up: FollowUp, *, today: datetime.date | None = None) -> Document:
    programme = follow_up.programme
    document = Document(
        title=programme.title,
        subtitle=_("Uppföljning för %(year)s") % {"year": follow_up.year},
        organisation=programme.organisation.name,
        date=today or timezone.localdate(),
        is_demo=programme.is_demo,
    )
    return assemble(document, follow_up_figures(follow_up), SECTIONS)
