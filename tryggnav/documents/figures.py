"""The figures of the statutory documents, read once when a version is made and stored
as JSON (``LawDocument.figures``), so a decided document shows what was decided on.

The lägesbild covers the whole municipality: Brå's reported crimes (rates with exact
intervals), the police feed of the municipality, and the partners' reports of every
collaboration group of the municipality (each labelled by source and group); surveys
with intervals; reporting coverage; problems and agreements. The reads are the law
report's (``programmes.reports.law.law_figures``), made once for the municipality and
once per group. The åtgärdsplan gathers every measure (``gather_measures``).

Figures are typed dataclasses here; ``dump`` makes JSON of them and ``load_*`` reads
them back. Text is made from them last, in ``tryggnav.documents.render``.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from tryggnav.areas import population as area_population
from tryggnav.incidents.models import CategoryGroup
from tryggnav.incidents.scope import Period, Scope
from tryggnav.organisations.models import CollaborationGroup, Organisation
from tryggnav.programmes.reports import law, queries

SCHEMA = 1


@dataclass(frozen=True)
class OfficialRow:
    """Brå's reported crimes of the municipality in a year, per 100,000 inhabitants."""

    offence: str
    year: int
    count: int | None
    rate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class PoliceRow:
    """The police feed's events of a category group (None: the total), now and before,
    with the test of the change (a ``law.Verdict`` value and its p-value)."""

    group: str | None
    now: int
    before: int
    verdict: str
    p_value: float | None
    rate: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def label(self) -> str:
        return str(CategoryGroup(self.group).label) if self.group else "Totalt"


@dataclass(frozen=True)
class PartnerRow:
    """A collaboration group's partner reports (all sources but the police feed)."""

    group: str
    now: int
    before: int
    comparable: bool


@dataclass(frozen=True)
class AreaRow:
    group: str
    area: str
    n: int
    population: int | None
    rate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class MonthRow:
    month: str
    source: str  # "police" or "partner"
    n: int


@dataclass(frozen=True)
class SurveyRow:
    survey: str
    year: int
    indicator: str
    unit: str
    estimate: float
    low: float | None
    high: float | None
    is_generated: bool


@dataclass(frozen=True)
class CoverageRow:
    group: str
    organisation: str
    reports_weekly: bool
    reported: int
    expected: int


@dataclass(frozen=True)
class ProblemRow:
    title: str
    prioritised: str
    cause_summary: str
    consequences: str


@dataclass
class LagesbildFigures:
    municipality: str
    period_start: datetime.date
    period_end: datetime.date
    made: datetime.date
    population: int | None
    police_basis: str  # law.Basis of the police feed's comparison
    official: list[OfficialRow] = field(default_factory=list)
    police: list[PoliceRow] = field(default_factory=list)
    partners: list[PartnerRow] = field(default_factory=list)
    areas: list[AreaRow] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)
    police_types: list[tuple[str, int]] = field(default_factory=list)
    surveys: list[SurveyRow] = field(default_factory=list)
    coverage: list[CoverageRow] = field(default_factory=list)
    problems: list[ProblemRow] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)
    generated_reports: int = 0
    schema: int = SCHEMA

    @property
    def years(self) -> float:
        return ((self.period_end - self.period_start).days + 1) / 365.25


def _rate(count: int, population: area_population.Population, years: float) -> tuple[Any, ...]:
    figure = area_population.rate_figure(count, population, years=years)
    return (None, None, None) if figure is None else (figure.rate, figure.low, figure.high)


def _police_rows(f: law.LawFigures) -> list[PoliceRow]:
    rows = []
    for r in f.extent:
        # The municipality's scope is the police feed alone: its counts are police counts.
        rate = _rate(r.now, f.population, f.period.years)
        rows.append(
            PoliceRow(r.group, r.now, r.before, r.change.verdict.value, r.change.p_value, *rate)
        )
    return rows


def _official_rows(f: law.LawFigures) -> list[OfficialRow]:
    return [
        OfficialRow(c.offence, c.year, c.count, c.rate, c.low, c.high)
        for c in f.official
        if not c.quarter
    ]


def _group_parts(
    group: CollaborationGroup, f: law.LawFigures
) -> tuple[PartnerRow, list[AreaRow], list[CoverageRow]]:
    total = f.extent[-1]
    partner = PartnerRow(
        group.name,
        total.now - total.police_now,
        total.before - total.police_before,
        f.basis is law.Basis.ALL,
    )
    areas = []
    for item in f.areas:
        if item.area is None:
            continue  # placed at municipality level only: the police feed
        rate = _rate(item.n, item.population, f.period.years)
        areas.append(AreaRow(group.name, item.area.name, item.n, item.population.population, *rate))
    coverage = [
        CoverageRow(group.name, c.organisation, c.reports_weekly, c.reported, c.expected)
        for c in f.coverage or []
    ]
    return partner, areas, coverage


def _police_months(f: law.LawFigures) -> dict[str, int]:
    months: dict[str, int] = {}
    for (month, _group), n in f.by_month.items():
        months[month] = months.get(month, 0) + n
    return months


def _partner_months(scope: Scope, period: Period, months: dict[str, int]) -> None:
    """Adds the scope's partner reports per month (by the Monday of their week)."""
    rows = queries.counts(scope, period).exclude(source="police").values_list("week", "n")
    for monday, n in rows:
        key = monday.strftime("%Y-%m")
        months[key] = months.get(key, 0) + n


def _problem_rows(f: law.LawFigures) -> list[ProblemRow]:
    return [
        ProblemRow(p.title, p.prioritised, p.cause_summary, p.cause_victims) for p in f.problems
    ]


def lagesbild_figures(
    *, organisation: Organisation, period: Period, user: Any, today: datetime.date
) -> LagesbildFigures:
    """The whole municipality's figures for ``period`` as ``user`` sees them."""
    municipality = organisation.municipality
    assert municipality is not None
    base = law.law_figures(
        scope=Scope.for_municipality(municipality), period=period, user=user, today=today
    )
    figures = LagesbildFigures(
        municipality=municipality.name,
        period_start=period.start,
        period_end=period.end,
        made=today,
        population=base.population.population if base.population.known else None,
        police_basis=base.basis.value,
        official=_official_rows(base),
        police=_police_rows(base),
        police_types=[(t, n) for t, n in base.police_types],
        surveys=[
            SurveyRow(
                s.survey,
                s.year,
                s.indicator,
                s.unit,
                s.estimate,
                s.low,
                s.high,
                s.is_generated or s.survey_is_generated,
            )  # fmt: skip
            for s in base.surveys
        ],
        problems=_problem_rows(base),
        agreements=[law._agreement_text(a) for a in base.agreements],
    )
    police_months = _police_months(base)
    partner_months: dict[str, int] = {}
    groups = CollaborationGroup.objects.filter(municipality=municipality).order_by("name")
    for group in groups.select_related("lead_organisation"):
        f = law.law_figures(scope=Scope.for_group(group), period=period, user=user, today=today)
        partner, areas, coverage = _group_parts(group, f)
        figures.partners.append(partner)
        figures.areas += areas
        figures.coverage += coverage
        figures.generated_reports += f.generated_reports
        _partner_months(Scope.for_group(group), period, partner_months)
    figures.areas.sort(key=lambda a: -a.n)
    figures.areas = figures.areas[:20]
    figures.months = [MonthRow(m, "police", n) for m, n in sorted(police_months.items())] + [
        MonthRow(m, "partner", n) for m, n in sorted(partner_months.items())
    ]
    return figures


# --- JSON ---------------------------------------------------------------------------------


def dump(figures: Any) -> dict[str, Any]:
    """The figures as JSON (dates as ISO strings)."""

    def convert(value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    return convert(dataclasses.asdict(figures))


def _rows[T](cls: type[T], values: Any) -> list[T]:
    return [cls(**v) for v in values or []]


def load_lagesbild(data: dict[str, Any]) -> LagesbildFigures:
    return LagesbildFigures(
        municipality=data["municipality"],
        period_start=datetime.date.fromisoformat(data["period_start"]),
        period_end=datetime.date.fromisoformat(data["period_end"]),
        made=datetime.date.fromisoformat(data["made"]),
        population=data.get("population"),
        police_basis=data.get("police_basis", law.Basis.NONE.value),
        official=_rows(OfficialRow, data.get("official")),
        police=_rows(PoliceRow, data.get("police")),
        partners=_rows(PartnerRow, data.get("partners")),
        areas=_rows(AreaRow, data.get("areas")),
        months=_rows(MonthRow, data.get("months")),
        police_types=[(t, n) for t, n in data.get("police_types") or []],
        surveys=_rows(SurveyRow, data.get("surveys")),
        coverage=_rows(CoverageRow, data.get("coverage")),
        problems=_rows(ProblemRow, data.get("problems")),
        agreements=list(data.get("agreements") or []),
        generated_reports=data.get("generated_reports", 0),
        schema=data.get("schema", SCHEMA),
    )


# --- the åtgärdsplan --------------------------------------------------------------------


class Source:
    """Where a measure of the åtgärdsplan comes from."""

    BRA = "bra"  # a measure of Brå's problem-solving process, with its SMART goal
    MEETING = "meeting"  # a standing action of a weekly meeting
    ACTIVITY = "activity"  # an item of the activity register
    FUND = "fund"  # a project granted by the safety fund

    ORDER = (BRA, MEETING, ACTIVITY, FUND)


@dataclass(frozen=True)
class MeasureRow:
    """One measure of the åtgärdsplan, as it stood when the version was made. ``status``
    and ``overdue`` follow the weekly meetings' one definition (``follow_up_status``)."""

    source: str
    ref: str  # the public id of the measure, action, activity or application
    title: str
    responsible: str
    cost: str  # resources, cost and funding as the source states them
    starts: str | None
    due: str | None
    indicator: str
    follow_up: str
    status: str  # a lagesbild Action.Status value
    overdue: bool
    group: str = ""


@dataclass
class ActionPlanFigures:
    municipality: str
    period_start: datetime.date
    period_end: datetime.date
    made: datetime.date
    lagesbild: str  # the named lägesbild version it is decided on
    measures: list[MeasureRow] = field(default_factory=list)
    schema: int = SCHEMA

    def of(self, source: str) -> list[MeasureRow]:
        return [m for m in self.measures if m.source == source]


def load_action_plan(data: dict[str, Any]) -> ActionPlanFigures:
    return ActionPlanFigures(
        municipality=data["municipality"],
        period_start=datetime.date.fromisoformat(data["period_start"]),
        period_end=datetime.date.fromisoformat(data["period_end"]),
        made=datetime.date.fromisoformat(data["made"]),
        lagesbild=data.get("lagesbild", ""),
        measures=_rows(MeasureRow, data.get("measures")),
        schema=data.get("schema", SCHEMA),
    )
