"""The four reports of the follow-up module, as ``tryggnav.lib.documents.Document``
objects rendered to Word and PDF by the download views:

1. ``follow_up_report``: a programme's yearly follow-up, structured like Huddinge's
   "Uppföljning för 2021" (seed 001): introduction, then per responsibility area its
   goal, sub-goals with the assessment, what was done, activities, measures and
   indicators with charts; guidelines followed up under an area come with it.
2. ``lagesbild_report``: the strategic lägesbild that Lag (2023:196) requires: the
   mapping of crime (extent from the reports and the police feed, change against the
   period before tested as Poisson rates, rates per 1,000 inhabitants), other relevant
   information (surveys with intervals, reporting coverage), the analysis with the
   prioritisations of agreements and problems, and the sources and their limits.
3. ``action_plan_report``: the åtgärdsplan: measures with their SMART fields,
   responsible parties, timing and the state of their follow-up.
4. ``status_report``: a steering-group status report for an agreement, with what
   changed since the report last recorded as presented (``ReportSnapshot``).

Wording follows DESIGN.md's "honest numbers": "fler"/"färre" only when the test
says so, intervals beside shares and rates, incomplete reporting stated.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tryggnav.areas import population as area_population
from tryggnav.areas.models import Area
from tryggnav.incidents.models import Category, CategoryGroup, Incident
from tryggnav.lagesbild.models import WeeklyCount
from tryggnav.lagesbild.picture import NO_AREA, Scope
from tryggnav.lib import charts, numbers
from tryggnav.lib.documents import (
    BulletList,
    Chart,
    Document,
    Heading,
    Paragraph,
    Table,
)
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import CollaborationGroup, GroupMembership
from tryggnav.programmes.models import (
    AreaFollowUp,
    FollowUp,
    Programme,
    ReportSnapshot,
)
from tryggnav.steering import indicators as indicator_series
from tryggnav.steering import steps
from tryggnav.steering.models import (
    Activity,
    Agreement,
    Escalation,
    Indicator,
    Measure,
    Problem,
    Step,
)
from tryggnav.steering.targets import evaluation_status_text, target_status_text

SIGNIFICANCE = 0.05
MAX_PERIOD_DAYS = 5 * 366


# --- formatting ------------------------------------------------------------------------


def num(value: float | None, digits: int = 0) -> str:
    """A number in the reader's language (one helper for every report)."""
    return numbers.number(value, digits)


def _paragraphs(text: str, style: str = "") -> list[Paragraph]:
    return [Paragraph(p.strip(), style) for p in (text or "").split("\n\n") if p.strip()]


def _date(day: datetime.date | None) -> str:
    return day.isoformat() if day else "–"


def _indicator_value(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return "–"
    unit = indicator.unit or ""
    digits = 0 if float(value).is_integer() else 1
    if unit == "procent":
        return f"{num(value, digits)} %"
    return f"{num(value, digits)} {unit}".strip()


# --- 1. the yearly follow-up ---------------------------------------------------------------


def _assessment_rows(follow_up: FollowUp, area_follow_up: AreaFollowUp) -> list[list[str]]:
    assessments = {a.goal_id: a for a in follow_up.assessments.all()}
    rows = []
    for goal in area_follow_up.area.goals.all():
        found = assessments.get(goal.pk)
        rows.append(
            [
                goal.text,
                str(found.get_status_display()) if found else _("Ej bedömt"),
                found.justification if found else _("Ingen bedömning registrerad."),
            ]
        )
    return rows


def _indicator_blocks(
    indicator: Indicator, *, year: int, chart_number: int
) -> tuple[list[Any], int]:
    """An indicator's values up to ``year``, with a chart when there are two or more."""
    blocks: list[Any] = [Heading(indicator.name, 3)]
    if indicator.description:
        blocks.append(Paragraph(indicator.description))
    points = [
        p
        for p in indicator_series.series(indicator, today=datetime.date(year, 12, 31))
        if p.start.year <= year
    ]
    if not points:
        blocks.append(
            Paragraph(
                _(
                    "Inga värden är registrerade för indikatorn. Siffrorna finns inte i "
                    "underlaget och har inte fyllts i; diagrammet visas när värden matas in."
                ),
                "note",
            )
        )
        return blocks, chart_number
    blocks.append(
        Table(
            [_("Period"), _("Värde"), _("95 % intervall")],
            [
                [
                    p.label,
                    _indicator_value(indicator, p.value),
                    f"{num(p.low, 1)}–{num(p.high, 1)}" if p.low is not None else "–",
                ]
                for p in points
            ],
            numeric=frozenset({1}),
        )
    )
    if len(points) >= 2:
        spec = indicator_series.chart(indicator, points)
        if spec:
            chart_number += 1
            blocks.append(
                Chart(
                    spec,
                    caption=_("Diagram %(n)s: %(name)s")
                    % {
                        "n": chart_number,
                        "name": indicator.name,
                    },
                )
            )
    survey_chart = _survey_chart(indicator)
    if survey_chart is not None:
        spec, caption = survey_chart
        chart_number += 1
        blocks.append(
            Chart(spec, caption=_("Diagram %(n)s: %(c)s") % {"n": chart_number, "c": caption})
        )
    if indicator.source:
        blocks.append(Paragraph(_("Källa: %(s)s") % {"s": indicator.source}, "muted"))
    return blocks, chart_number


def _share_chart(values: list[dict[str, Any]]) -> dict[str, Any]:
    """Shares with their intervals as horizontal bars, largest first."""
    values = sorted(values, key=lambda v: -v["andel"])
    spec = charts.bar_chart(
        values,
        x="enhet",
        y="andel",
        horizontal=True,
        error=("nedre", "övre"),
        y_title=_("Andel (%)"),
        sort=None,
        height=26 * len(values),
    )
    for layer in spec["layer"][1:]:
        # Without its own title the error bars' axis would read "Andel (%), nedre".
        layer["encoding"]["x"]["title"] = _("Andel (%)")
    return spec


def _survey_chart(indicator: Indicator) -> tuple[dict[str, Any], str] | None:
    """For a survey indicator linked to the surveys module (``survey_ref``): the published
    shares of its latest survey with their 95 % intervals, as a bar chart."""
    if indicator.kind != Indicator.Kind.SURVEY or not indicator.survey_ref:
        return None
    from tryggnav.surveys import analysis
    from tryggnav.surveys.models import Indicator as SurveyIndicator

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
    spec = _share_chart(values)
    survey = survey_indicator.survey
    caption = _("%(name)s, %(survey)s %(year)s (andel, 95 %% intervall där det finns)") % {
        "name": survey_indicator.name,
        "survey": survey.name,
        "year": survey.year,
    }
    return spec, caption


def _activity_table(activities: list[Activity]) -> Table:
    return Table(
        [_("Aktivitet"), _("Ansvarig"), _("Plats"), _("Typ"), _("Resultat")],
        [
            [
                a.title,
                a.responsible_display or "–",
                a.place or ", ".join(x.name for x in a.areas.all()) or "–",
                str(a.get_prevention_type_display()),
                a.outputs or "–",
            ]
            for a in activities
        ],
    )


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
                _date(m.deadline),
                str(m.get_status_display()),
            ]
            for m in measures
        ],
    )


def _narrative_blocks(item: AreaFollowUp) -> list[Any]:
    blocks: list[Any] = _paragraphs(item.narrative)
    for section in item.sections.all():
        blocks.append(Heading(section.heading, 3))
        blocks.extend(_paragraphs(section.text))
    return blocks


def _guideline_blocks(guideline: Programme, year: int) -> list[Any]:
    blocks: list[Any] = [Heading(guideline.title, 2)]
    decided = ", ".join(
        x
        for x in (
            guideline.decision_reference,
            guideline.decided_by,
            _date(guideline.decision_date) if guideline.decision_date else "",
        )
        if x
    )
    if decided:
        blocks.append(Paragraph(_("Beslut: %(d)s.") % {"d": decided}, "muted"))
    if guideline.follow_up_by:
        blocks.append(
            Paragraph(_("Följs upp årligen av %(who)s.") % {"who": guideline.follow_up_by}, "muted")
        )
    follow_up = guideline.follow_ups.filter(year=year).first()
    if follow_up is None:
        blocks.append(
            Paragraph(_("Ingen uppföljning för %(y)s är registrerad.") % {"y": year}, "warning")
        )
        return blocks
    blocks.extend(_paragraphs(follow_up.introduction))
    for item in follow_up.areas.select_related("area").prefetch_related("sections"):
        rows = _assessment_rows(follow_up, item)
        if rows:
            blocks.append(
                Table(
                    [_("Mål"), _("Bedömning"), _("Motivering")],
                    rows,
                    caption=_("Mål och bedömning %(y)s") % {"y": year},
                )
            )
        blocks.extend(_narrative_blocks(item))
    return blocks


def follow_up_report(follow_up: FollowUp, *, today: datetime.date | None = None) -> Document:
    programme = follow_up.programme
    year = follow_up.year
    doc = Document(
        title=programme.title,
        subtitle=_("Uppföljning för %(year)s") % {"year": year},
        organisation=programme.organisation.name,
        date=today or timezone.localdate(),
        is_demo=programme.is_demo,
    )
    items = list(
        follow_up.areas.select_related("area").prefetch_related(
            "sections", "area__goals", "area__guidelines"
        )
    )
    doc.add(Heading(_("Inledning")))
    doc.add(*_paragraphs(follow_up.introduction))
    if not follow_up.introduction and programme.overall_goal:
        doc.add(Paragraph(programme.overall_goal))
    doc.add(BulletList([item.area.name for item in items]))

    summary = []
    for i, item in enumerate(items, start=1):
        for goal_text, status, _justification in _assessment_rows(follow_up, item):
            summary.append([f"{i}. {item.area.name}", goal_text, status])
        for guideline in item.area.guidelines.all():
            g_follow_up = guideline.follow_ups.filter(year=year).first()
            if g_follow_up is None:
                continue
            for g_item in g_follow_up.areas.select_related("area"):
                for goal_text, status, _justification in _assessment_rows(g_follow_up, g_item):
                    summary.append([guideline.title, goal_text, status])
    if summary:
        doc.add(
            Heading(_("Sammanfattning av bedömningarna"), 2),
            Table([_("Ansvarsområde"), _("Delmål"), _("Bedömning")], summary),
        )

    chart_number = 0
    for i, item in enumerate(items, start=1):
        area = item.area
        doc.add(Heading(f"{i}. {area.name}"))
        if area.goal:
            doc.add(Heading(_("Mål"), 2), *_paragraphs(area.goal))
        rows = _assessment_rows(follow_up, item)
        if rows:
            doc.add(
                Heading(_("Delmål och bedömning"), 2),
                Table([_("Delmål"), _("Bedömning"), _("Motivering")], rows),
            )
        if area.description:
            doc.add(Heading(_("Vad ansvarsområdet omfattar"), 2), *_paragraphs(area.description))
        narrative = _narrative_blocks(item)
        if narrative:
            doc.add(Heading(_("Genomfört arbete under %(y)s") % {"y": year}, 2), *narrative)
        activities = list(item.activities.select_related("responsible").prefetch_related("areas"))
        if activities:
            doc.add(Heading(_("Aktiviteter"), 2), _activity_table(activities))
        measures = list(item.measures.select_related("indicator", "responsible"))
        if measures:
            doc.add(Heading(_("Åtgärder"), 2), _measure_table(measures))
        linked = list(item.indicators.all())
        if linked:
            doc.add(Heading(_("Indikatorer"), 2))
            for indicator in linked:
                blocks, chart_number = _indicator_blocks(
                    indicator, year=year, chart_number=chart_number
                )
                doc.add(*blocks)
        for guideline in area.guidelines.all():
            doc.add(*_guideline_blocks(guideline, year))
    if follow_up.source or programme.source:
        doc.add(Heading(_("Underlag")), Paragraph(follow_up.source or programme.source, "muted"))
    return doc


# --- 2. the strategic lägesbild (Lag 2023:196) ----------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_years(self) -> int:
        """The number of calendar years the period spans exactly, or 0."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) != (1, 1, 12, 31):
            return 0
        return self.end.year - self.start.year + 1

    @property
    def previous(self) -> Period:
        """The period of the same length just before: the same calendar years earlier
        for whole years (2024 for 2025, whatever its leap day), else the same days."""
        if years := self.whole_years:
            return Period(
                datetime.date(self.start.year - years, 1, 1),
                datetime.date(self.end.year - years, 12, 31),
            )
        return Period(
            self.start - datetime.timedelta(days=self.days),
            self.start - datetime.timedelta(days=1),
        )

    @property
    def years(self) -> float:
        return self.whole_years or self.days / 365.25

    @property
    def label(self) -> str:
        if self.whole_years:
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start.isoformat()}–{self.end.isoformat()}"

    @classmethod
    def parse(cls, data: Any, *, today: datetime.date) -> Period:
        """From ``fran``/``till`` (ISO dates); default the last full calendar year."""
        default = cls(datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))
        raw_start, raw_end = (data.get("fran") or "").strip(), (data.get("till") or "").strip()
        if not raw_start and not raw_end:
            return default
        try:
            start = datetime.date.fromisoformat(raw_start) if raw_start else default.start
            end = datetime.date.fromisoformat(raw_end) if raw_end else default.end
        except ValueError:
            raise InputError.single(
                "Ange datum som ÅÅÅÅ-MM-DD.", "Give dates as YYYY-MM-DD.", field="fran"
            ) from None
        if end < start:
            raise InputError.single(
                "Slutdatum ligger före startdatum.", "The end is before the start.", field="till"
            )
        if (end - start).days > MAX_PERIOD_DAYS:
            raise InputError.single(
                "Perioden får vara högst fem år.",
                "The period may be at most five years.",
                field="till",
            )
        return cls(start, end)


def _population(scope: Scope, year: int) -> area_population.Population:
    """Inhabitants of the scope: the municipality's, unless the group covers only some of
    its areas, then the sum of those areas for ``year`` (unknown when one of them is)."""
    municipality = scope.municipality
    if scope.group is None or not scope.area_ids:
        return area_population.municipality_population(municipality)
    all_areas = set(Area.objects.filter(municipality=municipality).values_list("pk", flat=True))
    if all_areas <= set(scope.area_ids):
        return area_population.municipality_population(municipality)
    figures = area_population.area_populations(scope.area_ids, year)
    return area_population.total_population(figures.values())


def _counts(scope: Scope, period: Period) -> Any:
    return WeeklyCount.objects.filter(scope.q(), week__gte=period.start, week__lte=period.end)


def _outside_paragraph(scope: Scope, period: Period) -> Paragraph | None:
    """Reports shared with the group but placed outside its geography: said apart,
    never counted in the tables of the report."""
    where = scope.outside_q()
    if where is None:
        return None
    n = WeeklyCount.objects.filter(where, week__gte=period.start, week__lte=period.end).aggregate(
        total=Sum("n")
    )["total"]
    if not n:
        return None
    return Paragraph(
        ngettext(
            "%(n)s rapport delad med gruppen ligger utanför gruppens område och räknas inte här.",
            "%(n)s rapporter delade med gruppen ligger utanför gruppens område och räknas "
            "inte här.",
            n,
        )
        % {"n": n},
        "note",
    )


def change_text(now: int, before: int, *, comparable: bool, days: tuple[int, int] = (1, 1)) -> str:
    """Honest wording for a count against the period before (``days`` long each), from
    the exact conditional test of two Poisson rates (R ``poisson.test(c(x1, x2), T)``)."""
    if not comparable:
        return _("Jämförelse saknas (data saknas för perioden före)")
    if now == 0 and before == 0:
        return _("Inga händelser i någon av perioderna")
    from tryggnav.stats.counts import compare_rates

    result = compare_rates(now, float(days[0]), before, float(days[1]))
    p = result.p_value
    p_text = numbers.p_value(p)
    if p < SIGNIFICANCE:
        word = _("fler") if result.rate_ratio > 1 else _("färre")
        return _("Signifikant %(word)s än perioden före (%(p)s)") % {"word": word, "p": p_text}
    return _("Ingen säkerställd förändring (%(p)s)") % {"p": p_text}


def _rate_text(count: int, population: area_population.Population, years: float) -> str:
    return area_population.rate_text(count, population, years=years)


def _coverage_rows(group: CollaborationGroup, period: Period) -> list[list[Any]]:
    """Per member organisation: weeks with at least one filed report in the period."""
    # The weeks whose Monday lies in the period, as the counts use.
    first_monday = period.start + datetime.timedelta(days=(7 - period.start.weekday()) % 7)
    mondays = []
    day = first_monday
    while day <= period.end:
        mondays.append(day)
        day += datetime.timedelta(weeks=1)
    aware = [
        timezone.make_aware(datetime.datetime.combine(d, datetime.time.min))
        for d in (first_monday, period.end + datetime.timedelta(days=1))
    ]
    weeks_with_report: dict[int, set[datetime.date]] = defaultdict(set)
    for organisation_id, reported_at in Incident.objects.filter(
        group=group,
        organisation__isnull=False,
        reported_at__gte=aware[0],
        reported_at__lt=aware[1],
    ).values_list("organisation_id", "reported_at"):
        local = timezone.localtime(reported_at).date()
        weeks_with_report[organisation_id].add(local - datetime.timedelta(days=local.weekday()))
    rows = []
    for membership in (
        GroupMembership.objects.filter(group=group)
        .select_related("organisation")
        .order_by("organisation__name")
    ):
        expected_weeks = [m for m in mondays if m + datetime.timedelta(days=6) >= membership.joined]
        reported = len(weeks_with_report[membership.organisation_id] & set(expected_weeks))
        share = reported / len(expected_weeks) if expected_weeks else None
        rows.append(
            [
                membership.organisation.name,
                _("ja") if membership.reports_weekly else _("nej"),
                f"{reported} / {len(expected_weeks)}",
                f"{num(100 * share)} %" if share is not None else "–",
            ]
        )
    return rows


def _survey_rows(scope: Scope, user: Any) -> tuple[list[list[Any]], list[dict[str, Any]], bool]:
    from tryggnav.surveys import analysis
    from tryggnav.surveys.models import Result, Survey, UnitType
    from tryggnav.surveys.text import pct, pct_value

    code = scope.municipality.code
    own = Result.objects.filter(
        indicator__survey__in=Survey.objects.visible_to(user), municipality_id=code
    )
    indicator_ids = set(own.values_list("indicator_id", flat=True))
    results = (
        Result.objects.filter(indicator_id__in=indicator_ids, group="alla")
        .filter(
            Q(municipality_id=code)
            | Q(unit_type=UnitType.COUNTY, unit_code=scope.municipality.county_id)
            | Q(unit_type=UnitType.COUNTRY)
        )
        .select_related("indicator__survey")
        .order_by("-indicator__survey__year", "indicator__name", "unit_type", "unit_name")
    )
    rows, values, generated = [], [], False
    latest: dict[str, int] = {}
    for name, year in results.values_list("indicator__survey__name", "indicator__survey__year"):
        latest[name] = max(year, latest.get(name, year))
    first_survey = None
    for result in results[:60]:
        survey = result.indicator.survey
        if survey.year != latest.get(survey.name):
            continue  # the latest year of each survey only
        u = analysis.uncertainty(analysis.Figure.from_result(result))
        interval = (
            f"{pct_value(u.low)}–{pct_value(u.high)} %" if u.low is not None and u.high else "–"
        )
        generated = generated or result.is_generated or result.indicator.survey.is_generated
        rows.append(
            [
                f"{result.indicator.survey.name} {result.indicator.survey.year}",
                result.indicator.name,
                result.unit_name,
                pct(result.estimate),
                interval,
                _("genererat") if result.is_generated else "",
            ]
        )
        first_survey = first_survey or result.indicator_id
        if result.indicator_id == first_survey:
            values.append(
                {
                    "indikator": result.indicator.name,
                    "enhet": result.unit_name,
                    "andel": round(100 * result.estimate, 1),
                    "nedre": None if u.low is None else round(100 * u.low, 1),
                    "övre": None if u.high is None else round(100 * u.high, 1),
                }
            )
    return rows, values, generated


def lagesbild_report(
    *, scope: Scope, period: Period, user: Any, today: datetime.date | None = None
) -> Document:
    today = today or timezone.localdate()
    municipality = scope.municipality
    group = scope.group
    previous = period.previous
    categories = {c.pk: c for c in Category.objects.all()}
    everything = _counts(scope, Period(datetime.date(1990, 1, 1), today))
    police_start = everything.filter(source="police").aggregate(first=Min("week"))["first"]
    partner_start = everything.exclude(source="police").aggregate(first=Min("week"))["first"]
    data_start = min((d for d in (police_start, partner_start) if d), default=None)
    police_comparable = bool(police_start and police_start <= previous.start)
    # Partner reports compare only if they were being filed through the period before.
    partner_comparable = partner_start is None or partner_start <= previous.start
    comparable = police_comparable and partner_comparable
    generated_reports = (
        Incident.objects.countable()
        .filter(group=group, is_generated=True, occurred_from__date__gte=period.start)
        .filter(occurred_from__date__lte=period.end)
        .count()
        if group
        else 0
    )
    is_demo = bool((group and group.is_demo) or generated_reports)

    doc = Document(
        title=_("Lägesbild enligt lag (2023:196)"),
        subtitle=_("%(scope)s, %(period)s") % {"scope": scope.name, "period": period.label},
        organisation=(group.lead_organisation.name if group else municipality.name),
        date=today,
        is_demo=is_demo,
    )
    doc.add(
        Heading(_("Om lägesbilden")),
        Paragraph(
            _(
                "Enligt lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete ska "
                "kommunen ta fram en lägesbild: en kartläggning av brottsligheten, dess omfattning "
                "och konsekvenser, annan relevant information och en analys. Denna lägesbild "
                "avser %(scope)s (%(muni)s) under perioden %(start)s–%(end)s och jämför med "
                "lika lång period före (%(pstart)s–%(pend)s)."
            )
            % {
                "scope": scope.name,
                "muni": municipality.name,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "pstart": previous.start.isoformat(),
                "pend": previous.end.isoformat(),
            }
        ),
    )

    outside = _outside_paragraph(scope, period)
    if outside is not None:
        doc.add(outside)

    # Extent: per category group, now and before, all sources and the police feed alone.
    now_by_group: dict[str, int] = defaultdict(int)
    before_by_group: dict[str, int] = defaultdict(int)
    police_now: dict[str, int] = defaultdict(int)
    police_before: dict[str, int] = defaultdict(int)
    by_area: dict[int, int] = defaultdict(int)
    by_month: dict[tuple[str, str], int] = defaultdict(int)
    for area_id, category_id, source, monday, n in (
        _counts(scope, period)
        .values_list("area_id", "category_id", "source", "week")
        .annotate(total=Sum("n"))
        .order_by()
    ):
        category = categories.get(category_id)
        group_key = category.group if category else CategoryGroup.OTHER
        now_by_group[group_key] += n
        if source == "police":
            police_now[group_key] += n
        by_area[area_id] += n
        by_month[(monday.strftime("%Y-%m"), str(CategoryGroup(group_key).label))] += n
    for category_id, source, n in (
        _counts(scope, previous)
        .values_list("category_id", "source")
        .annotate(total=Sum("n"))
        .order_by()
    ):
        category = categories.get(category_id)
        group_key = category.group if category else CategoryGroup.OTHER
        before_by_group[group_key] += n
        if source == "police":
            police_before[group_key] += n
    total_now, total_before = sum(now_by_group.values()), sum(before_by_group.values())
    population = _population(scope, period.end.year)

    days = (period.days, previous.days)

    def change(now: int, before: int, police_n: int, police_b: int) -> str:
        if comparable:
            return change_text(now, before, comparable=True, days=days)
        if police_comparable:
            # The counts tested stand beside the verdict: the row's own counts include
            # partner reports, which the test leaves out.
            return _("Polisens händelser %(now)s mot %(before)s: %(verdict)s") % {
                "now": num(police_n),
                "before": num(police_b),
                "verdict": change_text(police_n, police_b, comparable=True, days=days),
            }
        return change_text(now, before, comparable=False)

    doc.add(Heading(_("Kartläggning av brottsligheten")))
    doc.add(Heading(_("Omfattning"), 2))
    doc.add(
        Paragraph(
            _(
                "Under perioden registrerades %(now)s händelser (perioden före: %(before)s). "
                "Händelser räknas per ISO-vecka vars måndag ligger i perioden. Förändringen "
                "prövas med ett exakt test av två Poisson-intensiteter; ”signifikant” används "
                "bara när p < 0,05."
            )
            % {"now": num(total_now), "before": num(total_before)}
        )
    )
    if police_comparable and not comparable:
        doc.add(
            Paragraph(
                _(
                    "Förändringen prövas bara på polisens händelser: partnernas rapportering "
                    "i Tryggnav började under perioden före, så deras antal i de två "
                    "perioderna är inte jämförbara. Kolumnen Förändring visar de antal som "
                    "jämfördes."
                ),
                "note",
            )
        )
    rows = []
    for key in sorted(set(now_by_group) | set(before_by_group), key=lambda k: -now_by_group[k]):
        rows.append(
            [
                str(CategoryGroup(key).label),
                now_by_group[key],
                before_by_group[key],
                _rate_text(now_by_group[key], population, period.years),
                change(
                    now_by_group[key], before_by_group[key], police_now[key], police_before[key]
                ),
            ]
        )
    rows.append(
        [
            _("Totalt"),
            total_now,
            total_before,
            _rate_text(total_now, population, period.years),
            change(total_now, total_before, sum(police_now.values()), sum(police_before.values())),
        ]
    )
    doc.add(
        Table(
            [
                _("Kategorigrupp"),
                _("Antal"),
                _("Perioden före"),
                _("Per 1 000 inv. och år (95 % KI)"),
                _("Förändring"),
            ],
            rows,
            caption=_("Händelser per kategorigrupp"),
            numeric=frozenset({1, 2}),
            highlight_rows=frozenset({len(rows) - 1}),
        )
    )
    if not population.known:
        doc.add(Paragraph(_("Folkmängd saknas för området; takt per invånare visas inte."), "note"))
    elif population.is_generated:
        doc.add(Paragraph(_("Folkmängderna är genererade ungefärliga folkmängder (demo)."), "note"))

    if by_month:
        values = [
            {"månad": month, "kategorigrupp": label, "antal": n}
            for (month, label), n in sorted(by_month.items())
        ]
        doc.add(
            Heading(_("Utveckling över tid"), 2),
            Chart(
                charts.line_chart(
                    values,
                    x="månad",
                    y="antal",
                    color="kategorigrupp",
                    x_type="ordinal",
                    x_title=_("Månad"),
                    y_title=_("Händelser"),
                    color_title=_("Kategorigrupp"),
                    height=240,
                ),
                caption=_("Diagram 1: Händelser per månad och kategorigrupp, %(p)s")
                % {"p": period.label},
            ),
        )

    areas = Area.objects.in_bulk([a for a in by_area if a != NO_AREA])
    figures = area_population.area_populations(areas, period.end.year)
    area_rows = []
    for area_id, n in sorted(by_area.items(), key=lambda kv: -kv[1])[:20]:
        area = areas.get(area_id)
        name = (
            area.name if area else _("%(m)s (endast kommunnivå)") % {"m": municipality.short_name}
        )
        area_rows.append(
            [
                name,
                n,
                num(figures[area.pk].population) if area else "–",
                _rate_text(n, figures[area.pk], period.years) if area else "–",
            ]
        )
    if area_rows:
        doc.add(
            Heading(_("Per område"), 2),
            Table(
                [_("Område"), _("Antal"), _("Folkmängd"), _("Per 1 000 inv. och år (95 % KI)")],
                area_rows,
                caption=_("Händelser per område (högst 20 områden)"),
                numeric=frozenset({1, 2}),
            ),
        )

    police_types = (
        _counts(scope, period)
        .filter(source="police")
        .exclude(police_type="")
        .values_list("police_type")
        .annotate(total=Sum("n"))
        .order_by("-total")[:12]
    )
    if police_types:
        doc.add(
            Heading(_("Polisens händelsetyper"), 2),
            Table(
                [_("Händelsetyp"), _("Antal")],
                [[t, n] for t, n in police_types],
                caption=_("De vanligaste händelsetyperna i polisens öppna händelser"),
                numeric=frozenset({1}),
            ),
        )

    problems = list(_problems(scope, user, period))
    doc.add(Heading(_("Konsekvenser"), 2))
    doc.add(
        Paragraph(
            _(
                "Tryggnav registrerar händelser på platser, inte uppgifter om personer, och kan "
                "därför inte ensamt beskriva brottens konsekvenser för de utsatta. Konsekvenserna "
                "för tryggheten belyses av undersökningarna nedan, och de som parterna beskrivit "
                "i sina orsaksanalyser återges här."
            )
        )
    )
    consequences = [f"{p.title}: {p.cause_victims}" for p in problems if p.cause_victims]
    if consequences:
        doc.add(BulletList(consequences))

    doc.add(Heading(_("Annan relevant information")))
    survey_rows, survey_values, surveys_generated = _survey_rows(scope, user)
    doc.add(Heading(_("Trygghetsundersökningar"), 2))
    if survey_rows:
        doc.add(
            Paragraph(
                _(
                    "Andelar med 95-procentigt osäkerhetsintervall där källan ger underlag för "
                    "ett. Skillnader mellan enheter tolkas bara som säkerställda när intervallen "
                    "och testen på undersökningssidorna stöder det."
                )
            ),
        )
        indicators = {row[1] for row in survey_rows}
        if len(indicators) == 1:
            # One indicator: name it once, in the caption, instead of on every row.
            doc.add(
                Table(
                    [_("Undersökning"), _("Enhet"), _("Andel"), _("95 % intervall"), ""],
                    [[r[0], *r[2:]] for r in survey_rows],
                    caption=indicators.pop(),
                    numeric=frozenset({2}),
                )
            )
        else:
            doc.add(
                Table(
                    [
                        _("Undersökning"),
                        _("Indikator"),
                        _("Enhet"),
                        _("Andel"),
                        _("95 % intervall"),
                        "",
                    ],
                    survey_rows,
                    numeric=frozenset({3}),
                )
            )
        if len(survey_values) >= 2:
            doc.add(
                Chart(
                    _share_chart(survey_values),
                    caption=_("Diagram 2: %(ind)s (andel, 95 %% intervall där det finns)")
                    % {"ind": survey_values[0]["indikator"]},
                )
            )
    else:
        doc.add(Paragraph(_("Inga undersökningsresultat finns registrerade för kommunen."), "note"))

    coverage: list[list[Any]] = []
    if group is not None:
        coverage = _coverage_rows(group, period)
        doc.add(
            Heading(_("Rapporteringstäckning"), 2),
            Paragraph(
                _(
                    "Partnernas rapporter speglar hur många som rapporterar: en vecka utan "
                    "rapport är en vecka utan uppgifter, inte en lugn vecka. Tabellen visar i "
                    "hur många veckor varje organisation har rapporterat."
                )
            ),
            Table(
                [
                    _("Organisation"),
                    _("Förväntas rapportera varje vecka"),
                    _("Veckor med rapport"),
                    _("Andel"),
                ],
                coverage,
                numeric=frozenset({2, 3}),
            ),
        )

    doc.add(Heading(_("Analys och prioriteringar")))
    significant = [r for r in rows if str(r[4]).startswith(_("Signifikant"))]
    if significant:
        doc.add(
            Paragraph(_("Statistiskt säkerställda förändringar mot perioden före:")),
            BulletList([f"{r[0]}: {str(r[4]).lower()}" for r in significant]),
        )
    elif comparable:
        doc.add(
            Paragraph(
                _(
                    "Ingen kategorigrupp har en statistiskt säkerställd förändring mot perioden före."
                )
            )
        )
    agreements = list(_agreements(scope, user, period))
    if agreements:
        doc.add(Heading(_("Prioriteringar i överenskommelserna"), 2))
        for agreement in agreements:
            priorities = [p.name for p in agreement.priority_areas.all()]
            districts = [a.name for a in agreement.areas.all()]
            text = _("%(title)s (%(start)s–%(end)s).") % {
                "title": agreement.title,
                "start": agreement.starts.year,
                "end": agreement.ends.year,
            }
            if priorities:
                text += " " + _("Prioriterade problemområden: %(p)s.") % {
                    "p": ", ".join(priorities)
                }
            if districts:
                text += " " + _("Prioriterade områden: %(d)s.") % {"d": ", ".join(districts)}
            doc.add(Paragraph(text))
    if problems:
        doc.add(Heading(_("Ärenden och orsaksanalyser"), 2))
        for problem in problems:
            doc.add(Heading(problem.title, 3))
            for label, value in (
                (_("Prioriteras"), problem.prioritised),
                (_("Prioriteras bort"), problem.left_out),
                (_("Varför här, varför nu"), problem.cause_summary),
            ):
                if value:
                    doc.add(Paragraph(f"{label}: {value}"))
    if not agreements and not problems:
        doc.add(
            Paragraph(
                _("Inga överenskommelser eller ärenden är registrerade för perioden."), "note"
            )
        )
    doc.add(
        Paragraph(
            _("Åtgärderna som följer av prioriteringarna redovisas i åtgärdsplanen."), "muted"
        )
    )

    doc.add(Heading(_("Källor och begränsningar")))
    limits = [
        _(
            "Polisens öppna händelser (polisen.se): händelsernas position är kommunens eller "
            "länets mittpunkt, inte platsen för händelsen; de räknas under kommunen och "
            "fördelas inte på områden. Sammanfattningar av flera händelser räknas inte."
        ),
        _(
            "Polisens öppna händelser är ett urval som polisen publicerar, inte den officiella "
            "kriminalstatistiken över anmälda brott (Brå)."
        ),
    ]
    if group is not None:
        limits.append(
            _(
                "Partnernas rapporter i Tryggnav: bara granskade rapporter som delats med "
                "samverkansgruppen räknas. Hur fullständiga de är beror på rapporteringen, se "
                "rapporteringstäckningen ovan."
            )
        )
    if data_start:
        limits.append(
            _("Uppgifterna i Tryggnav börjar vecka med måndag %(d)s.")
            % {"d": data_start.isoformat()}
        )
    if not comparable and police_comparable:
        limits.append(
            _(
                "Partnernas rapporter började %(d)s, efter att perioden före började; "
                "förändringen prövas därför bara på polisens händelser."
            )
            % {"d": partner_start.isoformat() if partner_start else "–"}
        )
    elif not comparable:
        limits.append(
            _(
                "Perioden före ligger helt eller delvis före uppgifternas början; ingen jämförelse görs."
            )
        )
    limits.append(
        _("Folkmängd: SCB, för takter per 1 000 invånare; intervallen är exakta Poisson-intervall.")
    )
    if generated_reports:
        limits.append(
            _(
                "DEMO: %(n)s av partnernas rapporter under perioden är genererade demodata, "
                "inte verkliga händelser."
            )
            % {"n": num(generated_reports)}
        )
    if surveys_generated:
        limits.append(_("DEMO: vissa undersökningsvärden är genererade och märkta ”genererat”."))
    doc.add(BulletList(limits))
    return doc


def _agreements(scope: Scope, user: Any, period: Period):
    from tryggnav.steering.access import visible

    qs = visible(user, Agreement.objects.all()).filter(
        starts__lte=period.end, ends__gte=period.start
    )
    qs = (
        qs.filter(group=scope.group)
        if scope.group
        else qs.filter(
            Q(group__municipality=scope.municipality)
            | Q(organisation__municipality=scope.municipality)
        )
    )
    return qs.prefetch_related("priority_areas", "areas").order_by("starts")


def _problems(scope: Scope, user: Any, period: Period):
    from tryggnav.steering.access import visible

    qs = visible(user, Problem.objects.all())
    qs = (
        qs.filter(group=scope.group)
        if scope.group
        else qs.filter(
            Q(group__municipality=scope.municipality)
            | Q(organisation__municipality=scope.municipality)
        )
    )
    return qs.filter(Q(closed__isnull=True) | Q(closed__gte=period.start)).order_by("title")


# --- 3. the åtgärdsplan --------------------------------------------------------------------


def _latest_evaluation_text(measure: Measure) -> str:
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
    if now:
        parts.append(evaluation_status_text(figures))
    return ", ".join(parts)


def _perspective_label(name: str) -> str:
    field = Measure._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def action_plan_report(
    *, group: CollaborationGroup, user: Any, today: datetime.date | None = None
) -> Document:
    from tryggnav.steering.access import visible

    today = today or timezone.localdate()
    problems = visible(user, Problem.objects.filter(group=group))
    measures = list(
        Measure.objects.filter(problem__in=problems)
        .select_related("problem__priority_area", "problem__agreement", "indicator", "responsible")
        .prefetch_related("agreed_by", "areas", "activities", "evaluations")
        .order_by("problem__title", "deadline", "title")
    )
    doc = Document(
        title=_("Åtgärdsplan"),
        subtitle=group.name,
        organisation=group.lead_organisation.name,
        date=today,
        is_demo=group.is_demo or any(m.problem.is_demo for m in measures),
    )
    doc.add(
        Heading(_("Inledning")),
        Paragraph(
            _(
                "Åtgärdsplanen bygger på lägesbilden och de prioriteringar som parterna gjort i "
                "samverkan. Varje åtgärd har mål enligt SMART: specifikt, mätbart, accepterat, "
                "realistiskt och tidsatt. Planen redovisar ansvariga, tidsramar och hur långt "
                "uppföljningen har kommit."
            )
        ),
    )
    if not measures:
        doc.add(Paragraph(_("Inga åtgärder är beslutade ännu."), "warning"))
        return doc
    doc.add(
        Heading(_("Översikt"), 2),
        Table(
            [
                _("Åtgärd"),
                _("Ärende"),
                _("Ansvarig"),
                _("Klart senast"),
                _("Status"),
                _("Uppföljning"),
            ],
            [
                [
                    m.title,
                    m.problem.title,
                    str(m.responsible),
                    _date(m.deadline),
                    str(m.get_status_display()),
                    _latest_evaluation_text(m),
                ]
                for m in measures
            ],
        ),
    )
    for m in measures:
        problem = m.problem
        doc.add(Heading(m.title))
        context = [problem.title]
        if problem.priority_area:
            context.append(_("prioriterat område: %(p)s") % {"p": problem.priority_area})
        if problem.agreement:
            context.append(str(problem.agreement))
        doc.add(Paragraph(_("Ärende: %(c)s.") % {"c": "; ".join(context)}, "muted"))
        unit = m.indicator.unit or str(m.indicator.get_measure_display())
        doc.add(
            Table(
                [_("SMART"), _("Innehåll")],
                [
                    [_("Specifikt"), m.specific + (f" ({m.place})" if m.place else "")],
                    [
                        _("Mätbart"),
                        _("%(ind)s: utgångsvärde %(base)s %(unit)s (%(date)s)")
                        % {
                            "ind": m.indicator.name,
                            "base": num(m.baseline_value, 1),
                            "unit": unit,
                            "date": m.baseline_date.isoformat(),
                        },
                    ],
                    [_("Accepterat"), ", ".join(str(o) for o in m.agreed_by.all()) or "–"],
                    [_("Realistiskt"), m.resources],
                    [
                        _("Tidsatt"),
                        _("Målvärde %(t)s %(unit)s senast %(d)s")
                        % {"t": num(m.target_value, 1), "unit": unit, "d": m.deadline.isoformat()},
                    ],
                    [_("Ansvarig"), str(m.responsible)],
                    [_("Typ av åtgärd"), str(m.get_prevention_type_display())],
                    [_("Områden"), ", ".join(a.name for a in m.areas.all()) or "–"],
                    [_("Status"), str(m.get_status_display())],
                ],
            )
        )
        doc.add(
            Table(
                [_("Perspektiv"), _("Hur det beaktas")],
                [[_perspective_label(f), getattr(m, f)] for f in Measure.PERSPECTIVES],
            )
        )
        activities = list(m.activities.all())
        if activities:
            doc.add(
                Heading(_("Genomförande"), 2),
                Table(
                    [_("Aktivitet"), _("Från"), _("Till"), _("Timmar"), _("Resultat")],
                    [
                        [
                            a.title,
                            _date(a.starts),
                            _date(a.ends),
                            num(float(a.hours)) if a.hours is not None else "–",
                            a.outputs or "–",
                        ]
                        for a in activities
                    ],
                    numeric=frozenset({3}),
                ),
            )
        doc.add(Heading(_("Uppföljning"), 2))
        evaluation = m.evaluations.first()
        if evaluation is None:
            doc.add(
                Paragraph(
                    _("Ingen uppföljning ännu; följs upp senast %(d)s.")
                    % {"d": m.deadline.isoformat()}
                )
            )
        else:
            doc.add(Paragraph(_latest_evaluation_text(m)))
            effect = (evaluation.figures or {}).get("comparison", {}).get("effect", {})
            if effect.get("message"):
                doc.add(Paragraph(effect["message"], "note"))
            doc.add(Paragraph(evaluation.conclusion))
    return doc


# --- 4. the steering-group status report ---------------------------------------------------


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


def _agreement_activities(agreement: Agreement, measures: list[Measure]) -> list[Activity]:
    owner = (
        Q(group=agreement.group) if agreement.group_id else Q(organisation=agreement.organisation)
    )
    in_period = Q(starts__lte=agreement.ends) & (
        Q(ends__isnull=True) | Q(ends__gte=agreement.starts)
    )
    return list(
        Activity.objects.filter(in_period & (Q(measure__in=measures) | owner))
        .select_related("responsible", "measure")
        .distinct()
        .order_by("-starts", "title")
    )


def _agreement_indicators(agreement: Agreement, measures: list[Measure]) -> list[Indicator]:
    owner = (
        Q(group=agreement.group) if agreement.group_id else Q(organisation=agreement.organisation)
    )
    ids = {m.indicator_id for m in measures}
    return list(Indicator.objects.filter(Q(pk__in=ids) | owner).distinct().order_by("name"))


def _latest(indicator: Indicator, today: datetime.date) -> dict[str, Any] | None:
    points = indicator_series.series(indicator, today=today)
    complete = [p for p in points if not p.partial] or points
    if not complete:
        return None
    p = complete[-1]
    return {"label": p.label, "value": p.value, "low": p.low, "high": p.high}


def status_figures(agreement: Agreement, *, today: datetime.date | None = None) -> dict[str, Any]:
    """What a status report shows, as JSON-ready figures: stored when the report is
    recorded as presented, compared by the next report."""
    today = today or timezone.localdate()
    measures = _agreement_measures(agreement)
    indicators = _agreement_indicators(agreement, measures)
    latest = {i.pk: _latest(i, today) for i in indicators}
    problems = list(agreement.problems.all().order_by("title"))
    return {
        "taken": today.isoformat(),
        "agreement": str(agreement.public_id),
        "problems": {
            str(p.public_id): {"title": p.title, "step": steps.current_step(p)} for p in problems
        },
        "measures": {
            str(m.public_id): {
                "title": m.title,
                "status": m.status,
                "indicator": str(m.indicator.public_id),
                "baseline": m.baseline_value,
                "target": m.target_value,
                "deadline": m.deadline.isoformat(),
                "now": latest.get(m.indicator_id),
                "lower_is_better": m.indicator.lower_is_better,
            }
            for m in measures
        },
        "indicators": {
            str(i.public_id): {"name": i.name, "unit": i.unit, "latest": latest[i.pk]}
            for i in indicators
        },
        "activities": {
            str(a.public_id): {"title": a.title, "starts": a.starts.isoformat()}
            for a in _agreement_activities(agreement, measures)
        },
        "escalations": {
            str(e.public_id): {"obstacle": e.obstacle[:200], "status": e.status}
            for e in Escalation.objects.filter(problem__agreement=agreement)
        },
    }


def _step_label(step: int | None) -> str:
    return str(Step(step).label) if step else _("alla steg klara")


def status_changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """What changed between two sets of status figures, in Swedish sentences."""
    if not previous:
        return []
    out: list[str] = []
    measure_status = dict(Measure.Status.choices)
    escalation_status = dict(Escalation.Status.choices)
    before_p, now_p = previous.get("problems", {}), current.get("problems", {})
    for key, p in now_p.items():
        if key not in before_p:
            out.append(
                _("Nytt ärende: %(t)s (%(s)s).") % {"t": p["title"], "s": _step_label(p["step"])}
            )
        elif before_p[key].get("step") != p["step"]:
            out.append(
                _("%(t)s: från steget ”%(a)s” till ”%(b)s”.")
                % {
                    "t": p["title"],
                    "a": _step_label(before_p[key].get("step")),
                    "b": _step_label(p["step"]),
                }
            )
    before_m, now_m = previous.get("measures", {}), current.get("measures", {})
    for key, m in now_m.items():
        old = before_m.get(key)
        if old is None:
            out.append(_("Ny åtgärd: %(t)s.") % {"t": m["title"]})
            continue
        if old.get("status") != m["status"]:
            out.append(
                _("%(t)s: status från %(a)s till %(b)s.")
                % {
                    "t": m["title"],
                    "a": str(measure_status.get(old.get("status"), old.get("status"))).lower(),
                    "b": str(measure_status.get(m["status"], m["status"])).lower(),
                }
            )
    before_i, now_i = previous.get("indicators", {}), current.get("indicators", {})
    for key, i in now_i.items():
        old_latest = (before_i.get(key) or {}).get("latest")
        new_latest = i.get("latest")
        if new_latest and old_latest != new_latest:
            if old_latest:
                out.append(
                    _("%(n)s: %(a)s (%(pa)s) → %(b)s (%(pb)s).")
                    % {
                        "n": i["name"],
                        "a": num(old_latest["value"], 1),
                        "pa": old_latest["label"],
                        "b": num(new_latest["value"], 1),
                        "pb": new_latest["label"],
                    }
                )
            else:
                out.append(
                    _("%(n)s: första värdet %(b)s (%(pb)s).")
                    % {"n": i["name"], "b": num(new_latest["value"], 1), "pb": new_latest["label"]}
                )
    new_activities = [
        a["title"]
        for k, a in current.get("activities", {}).items()
        if k not in previous.get("activities", {})
    ]
    if new_activities:
        out.append(_("Nya aktiviteter: %(a)s.") % {"a": ", ".join(sorted(new_activities))})
    before_e = previous.get("escalations", {})
    for key, e in current.get("escalations", {}).items():
        old = before_e.get(key)
        if old is None:
            out.append(_("Nytt hinder lyft till central nivå: %(o)s") % {"o": e["obstacle"]})
        elif old.get("status") != e["status"]:
            out.append(
                _("Hinder ”%(o)s”: %(a)s → %(b)s.")
                % {
                    "o": e["obstacle"][:80],
                    "a": str(escalation_status.get(old.get("status"), "")).lower(),
                    "b": str(escalation_status.get(e["status"], "")).lower(),
                }
            )
    return out


def _measure_state(m: dict[str, Any]) -> str:
    return target_status_text(m.get("now"), m["target"], lower_is_better=m["lower_is_better"])


def status_report(
    agreement: Agreement,
    *,
    previous: ReportSnapshot | None,
    today: datetime.date | None = None,
) -> Document:
    today = today or timezone.localdate()
    figures = status_figures(agreement, today=today)
    doc = Document(
        title=_("Statusrapport till styrgruppen"),
        subtitle=agreement.title,
        organisation=str(agreement.audit_organisation),
        date=today,
        is_demo=agreement.is_demo,
    )
    doc.add(
        Paragraph(
            _("Period för överenskommelsen: %(s)s–%(e)s.")
            % {"s": agreement.starts.isoformat(), "e": agreement.ends.isoformat()}
        )
    )
    if agreement.steering_group:
        doc.add(Paragraph(_("Styrgrupp: %(s)s.") % {"s": agreement.steering_group}))

    doc.add(Heading(_("Förändringar sedan förra rapporten")))
    if previous is None:
        doc.add(
            Paragraph(
                _(
                    "Detta är den första statusrapporten som registreras för överenskommelsen; "
                    "det finns ingen tidigare rapport att jämföra med."
                ),
                "note",
            )
        )
    else:
        changes = status_changes(previous.figures, figures)
        doc.add(
            Paragraph(
                _("Jämfört med rapporten som registrerades %(d)s.")
                % {"d": previous.figures.get("taken") or previous.created.date().isoformat()},
                "muted",
            )
        )
        doc.add(BulletList(changes) if changes else Paragraph(_("Inga förändringar.")))

    doc.add(Heading(_("Mål och prioriterade områden")))
    priorities = list(agreement.priority_areas.all())
    problems = list(agreement.problems.select_related("priority_area").order_by("title"))
    if priorities:
        rows = []
        for priority in priorities:
            own = [p for p in problems if p.priority_area_id == priority.pk]
            rows.append(
                [
                    priority.name,
                    ", ".join(
                        f"{p.title} ({_step_label(figures['problems'][str(p.public_id)]['step'])})"
                        for p in own
                    )
                    or _("Inga ärenden"),
                ]
            )
        doc.add(Table([_("Prioriterat område"), _("Ärenden (aktuellt steg)")], rows))
    measures = figures["measures"]
    if measures:
        status_labels = dict(Measure.Status.choices)
        doc.add(
            Heading(_("Åtgärder och SMART-mål"), 2),
            Table(
                [_("Åtgärd"), _("Status"), _("Utgångsvärde"), _("Nu"), _("Mål"), _("Bedömning")],
                [
                    [
                        m["title"],
                        str(status_labels.get(m["status"], m["status"])),
                        num(m["baseline"], 1),
                        f"{num(m['now']['value'], 1)} ({m['now']['label']})" if m["now"] else "–",
                        f"{num(m['target'], 1)} ({m['deadline']})",
                        _measure_state(m),
                    ]
                    for m in measures.values()
                ],
            ),
        )
    else:
        doc.add(
            Paragraph(_("Inga åtgärder med SMART-mål är kopplade till överenskommelsen."), "note")
        )

    doc.add(Heading(_("Indikatorer")))
    indicator_rows = []
    for i in figures["indicators"].values():
        latest = i["latest"]
        indicator_rows.append(
            [
                i["name"],
                latest["label"] if latest else "–",
                num(latest["value"], 1) if latest else _("inget värde"),
                f"{num(latest['low'], 1)}–{num(latest['high'], 1)}"
                if latest and latest.get("low") is not None
                else "–",
            ]
        )
    if indicator_rows:
        doc.add(
            Table(
                [_("Indikator"), _("Period"), _("Senaste värde"), _("95 % intervall")],
                indicator_rows,
                numeric=frozenset({2}),
            )
        )
    else:
        doc.add(Paragraph(_("Inga indikatorer."), "note"))

    doc.add(Heading(_("Aktiviteter")))
    activities = _agreement_activities(agreement, _agreement_measures(agreement))
    if activities:
        doc.add(_activity_table(activities))
    else:
        doc.add(Paragraph(_("Inga aktiviteter under överenskommelsens period."), "note"))

    doc.add(Heading(_("Hinder lyfta till central nivå")))
    escalations = list(
        Escalation.objects.filter(problem__agreement=agreement).select_related("problem")
    )
    if escalations:
        doc.add(
            Table(
                [_("Ärende"), _("Hinder"), _("Lyfts till"), _("Status"), _("Svar")],
                [
                    [
                        e.problem.title,
                        e.obstacle,
                        e.raised_to,
                        str(e.get_status_display()),
                        e.response or "–",
                    ]
                    for e in escalations
                ],
                highlight_rows=frozenset(
                    i for i, e in enumerate(escalations) if e.status == Escalation.Status.OPEN
                ),
            )
        )
    else:
        doc.add(Paragraph(_("Inga hinder har lyfts."), "note"))
    return doc
