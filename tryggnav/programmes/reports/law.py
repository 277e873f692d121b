"""The strategic lägesbild that Lag (2023:196) requires: the mapping of crime (extent
from the reports and the police feed, change against the period before tested as
Poisson rates, rates per 1,000 inhabitants), other relevant information (surveys with
intervals, reporting coverage), the analysis with the prioritisations of agreements and
problems, and the sources and their limits.

The figures (``LawFigures``) are read first; the sections in ``SECTIONS`` then turn them
into the document, in that order. Whether a change is significant is data (``Verdict``),
decided by the test, and worded only when the document is written.
"""

from __future__ import annotations

import datetime
import enum
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tryggnav.areas import population as area_population
from tryggnav.areas.models import Area
from tryggnav.incidents.models import Category, CategoryGroup
from tryggnav.inspections.walk_figures import WalkFigures, walk_figures
from tryggnav.lib import charts, numbers
from tryggnav.lib.documents import Block, BulletList, Chart, Document, Heading, Paragraph, Table
from tryggnav.lib.numbers import interval
from tryggnav.official.figures import CrimeFigure
from tryggnav.organisations.models import CollaborationGroup
from tryggnav.programmes.reports import queries
from tryggnav.programmes.reports.common import Period, Section, assemble, num, share_chart
from tryggnav.programmes.reports.queries import NO_AREA, Coverage, Scope, SurveyShare
from tryggnav.programmes.reports.walk_section import walks_blocks
from tryggnav.stats.counts import compare_rates
from tryggnav.steering.models import Agreement, Problem

SIGNIFICANCE = 0.05


# --- the change against the period before, as data ------------------------------------------


class Verdict(enum.Enum):
    """What the test of two Poisson rates says about a count against the period before."""

    NOT_COMPARABLE = "not_comparable"  # no data for the period before
    NO_EVENTS = "no_events"  # nothing in either period
    MORE = "more"
    FEWER = "fewer"
    NO_CHANGE = "no_change"  # not significant at SIGNIFICANCE


@dataclass(frozen=True)
class Change:
    verdict: Verdict
    p_value: float | None = None

    @property
    def significant(self) -> bool:
        return self.verdict in (Verdict.MORE, Verdict.FEWER)


def compare(now: int, before: int, *, comparable: bool, days: tuple[int, int] = (1, 1)) -> Change:
    """A count against the period before (``days`` long each), from the exact conditional
    test of two Poisson rates (R ``poisson.test(c(x1, x2), T)``)."""
    if not comparable:
        return Change(Verdict.NOT_COMPARABLE)
    if now == 0 and before == 0:
        return Change(Verdict.NO_EVENTS)
    result = compare_rates(now, float(days[0]), before, float(days[1]))
    if result.p_value < SIGNIFICANCE:
        verdict = Verdict.MORE if result.rate_ratio > 1 else Verdict.FEWER
        return Change(verdict, result.p_value)
    return Change(Verdict.NO_CHANGE, result.p_value)


def verdict_text(change: Change) -> str:
    """Honest wording of a change: "fler"/"färre" only when the test says so."""
    if change.verdict is Verdict.NOT_COMPARABLE:
        return _("Jämförelse saknas (data saknas för perioden före)")
    if change.verdict is Verdict.NO_EVENTS:
        return _("Inga händelser i någon av perioderna")
    assert change.p_value is not None
    p_text = numbers.p_value(change.p_value)
    if change.significant:
        word = _("fler") if change.verdict is Verdict.MORE else _("färre")
        return _("Signifikant %(word)s än perioden före (%(p)s)") % {"word": word, "p": p_text}
    return _("Ingen säkerställd förändring (%(p)s)") % {"p": p_text}


def change_text(now: int, before: int, *, comparable: bool, days: tuple[int, int] = (1, 1)) -> str:
    """The wording of ``compare``."""
    return verdict_text(compare(now, before, comparable=comparable, days=days))


class Basis(enum.Enum):
    """What the change is tested on."""

    ALL = "all"  # every source: all were reported through the period before
    POLICE = "police"  # the police feed alone: partner reporting began later
    NONE = "none"  # no comparison: the data begin within the period before


# --- the figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class ExtentRow:
    group: str | None  # a CategoryGroup; None for the total
    now: int
    before: int
    police_now: int
    police_before: int
    basis: Basis
    change: Change  # of the counts the basis tests

    @property
    def label(self) -> str:
        return str(CategoryGroup(self.group).label) if self.group else _("Totalt")


@dataclass(frozen=True)
class AreaCount:
    area: Area | None  # None: placed at municipality level only
    n: int
    population: area_population.Population = area_population.MISSING


@dataclass
class Tally:
    """Counts per category group, all sources and the police feed alone."""

    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    police: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, group: str, source: str, n: int) -> None:
        self.total[group] += n
        if source == "police":
            self.police[group] += n


@dataclass
class LawFigures:
    scope: Scope
    period: Period
    today: datetime.date
    police_start: datetime.date | None
    partner_start: datetime.date | None
    basis: Basis  # what the changes against the period before are tested on
    generated_reports: int
    outside: int
    population: area_population.Population
    extent: list[ExtentRow]  # the category groups, most events first, then the total
    by_month: dict[tuple[str, str], int]  # (YYYY-MM, category group) → events
    areas: list[AreaCount]  # at most 20, most events first
    police_types: list[tuple[str, int]]
    problems: list[Problem]
    agreements: list[Agreement]
    surveys: list[SurveyShare]
    coverage: list[Coverage] | None  # None for a municipality
    official: list[CrimeFigure] = field(default_factory=list)  # Brå, the municipality
    walks: WalkFigures | None = None  # safety walks in the period (inspections)

    @property
    def previous(self) -> Period:
        return self.period.previous

    @property
    def group(self) -> CollaborationGroup | None:
        return self.scope.group

    @property
    def data_start(self) -> datetime.date | None:
        return min((d for d in (self.police_start, self.partner_start) if d), default=None)

    @property
    def significant(self) -> list[ExtentRow]:
        """The rows whose change over every source is statistically significant."""
        return [r for r in self.extent if r.basis is Basis.ALL and r.change.significant]

    @property
    def is_demo(self) -> bool:
        return bool((self.group and self.group.is_demo) or self.generated_reports)


def basis_of(
    police_start: datetime.date | None, partner_start: datetime.date | None, previous: Period
) -> Basis:
    """Every source is compared when all were counted through the period before; the
    police feed alone when only partner reporting began later; else nothing."""
    if not (police_start and police_start <= previous.start):
        return Basis.NONE
    if partner_start is None or partner_start <= previous.start:
        return Basis.ALL
    return Basis.POLICE


def _group_key(categories: dict[int, Category], category_id: int) -> str:
    category = categories.get(category_id)
    return category.group if category else CategoryGroup.OTHER


def _tally_period(
    scope: Scope, period: Period, categories: dict[int, Category]
) -> tuple[Tally, dict[int, int], dict[tuple[str, str], int]]:
    """The period's counts per category group, per area and per month."""
    tally = Tally()
    by_area: dict[int, int] = defaultdict(int)
    by_month: dict[tuple[str, str], int] = defaultdict(int)
    for area_id, category_id, source, monday, n in (
        queries.counts(scope, period)
        .values_list("area_id", "category_id", "source", "week")
        .annotate(total=Sum("n"))
        .order_by()
    ):
        key = _group_key(categories, category_id)
        tally.add(key, source, n)
        by_area[area_id] += n
        by_month[(monday.strftime("%Y-%m"), key)] += n
    return tally, dict(by_area), dict(by_month)


def _tally_before(scope: Scope, period: Period, categories: dict[int, Category]) -> Tally:
    tally = Tally()
    for category_id, source, n in (
        queries.counts(scope, period)
        .values_list("category_id", "source")
        .annotate(total=Sum("n"))
        .order_by()
    ):
        tally.add(_group_key(categories, category_id), source, n)
    return tally


def _extent_row(
    group: str | None, counts: tuple[int, int, int, int], basis: Basis, days: tuple[int, int]
) -> ExtentRow:
    now, before, police_now, police_before = counts
    if basis is Basis.ALL:
        change = compare(now, before, comparable=True, days=days)
    elif basis is Basis.POLICE:
        change = compare(police_now, police_before, comparable=True, days=days)
    else:
        change = Change(Verdict.NOT_COMPARABLE)
    return ExtentRow(group, now, before, police_now, police_before, basis, change)


def _extent(now: Tally, before: Tally, basis: Basis, period: Period) -> list[ExtentRow]:
    days = (period.days, period.previous.days)
    keys = sorted(set(now.total) | set(before.total), key=lambda k: (-now.total[k], k))
    rows = [
        _extent_row(
            k,
            (now.total[k], before.total[k], now.police[k], before.police[k]),
            basis,
            days,
        )
        for k in keys
    ]
    totals = (
        sum(now.total.values()),
        sum(before.total.values()),
        sum(now.police.values()),
        sum(before.police.values()),
    )
    return [*rows, _extent_row(None, totals, basis, days)]


def _top_areas(by_area: dict[int, int], year: int) -> list[AreaCount]:
    areas = Area.objects.in_bulk([a for a in by_area if a != NO_AREA])
    figures = area_population.area_populations(areas, year)
    top = sorted(by_area.items(), key=lambda kv: -kv[1])[:20]
    return [
        AreaCount(areas.get(area_id), n, figures.get(area_id, area_population.MISSING))
        for area_id, n in top
    ]


def law_figures(*, scope: Scope, period: Period, user: Any, today: datetime.date) -> LawFigures:
    categories = {c.pk: c for c in Category.objects.all()}
    police_start, partner_start = queries.first_weeks(scope, today)
    now, by_area, by_month = _tally_period(scope, period, categories)
    before = _tally_before(scope, period.previous, categories)
    basis = basis_of(police_start, partner_start, period.previous)
    return LawFigures(
        scope=scope,
        period=period,
        today=today,
        police_start=police_start,
        partner_start=partner_start,
        basis=basis,
        generated_reports=queries.generated_reports(scope.group, period),
        outside=queries.outside_count(scope, period),
        population=queries.population(scope, period.end.year),
        extent=_extent(now, before, basis, period),
        by_month=by_month,
        areas=_top_areas(by_area, period.end.year),
        police_types=queries.police_types(scope, period),
        problems=queries.problems(scope, user, period),
        agreements=queries.agreements(scope, user, period),
        surveys=queries.survey_shares(scope, user),
        coverage=queries.coverage(scope.group, period) if scope.group else None,
        official=queries.official_crimes(scope, period),
        walks=walk_figures(
            municipality_id=scope.municipality.pk,
            start=period.start,
            end=period.end,
            area_ids=scope.area_ids or None,
        ),  # fmt: skip
    )


# --- the sections ------------------------------------------------------------------------


def rate_text(count: int, population: area_population.Population, years: float) -> str:
    return area_population.rate_text(count, population, years=years)


def row_change_text(row: ExtentRow) -> str:
    """The change column: the verdict, and for the police feed alone the counts tested
    beside it, since the row's own counts include partner reports the test leaves out."""
    if row.basis is not Basis.POLICE:
        return verdict_text(row.change)
    return _("Polisens händelser %(now)s mot %(before)s: %(verdict)s") % {
        "now": num(row.police_now),
        "before": num(row.police_before),
        "verdict": verdict_text(row.change),
    }


def _about(f: LawFigures) -> list[Block]:
    text = _(
        "Enligt lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete ska "
        "kommunen ta fram en lägesbild: en kartläggning av brottsligheten, dess omfattning "
        "och konsekvenser, annan relevant information och en analys. Denna lägesbild "
        "avser %(scope)s (%(muni)s) under perioden %(start)s–%(end)s och jämför med "
        "lika lång period före (%(pstart)s–%(pend)s)."
    ) % {
        "scope": f.scope.name,
        "muni": f.scope.municipality.name,
        "start": f.period.start.isoformat(),
        "end": f.period.end.isoformat(),
        "pstart": f.previous.start.isoformat(),
        "pend": f.previous.end.isoformat(),
    }
    blocks: list[Block] = [Heading(_("Om lägesbilden")), Paragraph(text)]
    if f.outside:
        # Shared with the group but placed outside its geography: said apart, never
        # counted in the tables of the report.
        outside = ngettext(
            "%(n)s rapport delad med gruppen ligger utanför gruppens område och räknas inte här.",
            "%(n)s rapporter delade med gruppen ligger utanför gruppens område och räknas "
            "inte här.",
            f.outside,
        ) % {"n": f.outside}
        blocks.append(Paragraph(outside, "note"))
    return blocks


def _extent_intro(f: LawFigures) -> list[Block]:
    total = f.extent[-1]
    blocks: list[Block] = [
        Heading(_("Kartläggning av brottsligheten")),
        Heading(_("Omfattning"), 2),
        Paragraph(
            _(
                "Under perioden registrerades %(now)s händelser (perioden före: %(before)s). "
                "Händelser räknas per ISO-vecka vars måndag ligger i perioden. Förändringen "
                "prövas med ett exakt test av två Poisson-intensiteter; ”signifikant” används "
                "bara när p < 0,05."
            )
            % {"now": num(total.now), "before": num(total.before)}
        ),
    ]
    if f.basis is Basis.POLICE:
        note = _(
            "Förändringen prövas bara på polisens händelser: partnernas rapportering "
            "i Tryggnav började under perioden före, så deras antal i de två "
            "perioderna är inte jämförbara. Kolumnen Förändring visar de antal som "
            "jämfördes."
        )
        blocks.append(Paragraph(note, "note"))
    return blocks


def _extent_table(f: LawFigures) -> list[Block]:
    rows = [
        [
            r.label,
            r.now,
            r.before,
            rate_text(r.now, f.population, f.period.years),
            row_change_text(r),
        ]
        for r in f.extent
    ]
    columns = [
        _("Kategorigrupp"),
        _("Antal"),
        _("Perioden före"),
        _("Per 1 000 inv. och år (95 % KI)"),
        _("Förändring"),
    ]
    blocks: list[Block] = [
        Table(
            columns,
            rows,
            caption=_("Händelser per kategorigrupp"),
            numeric=frozenset({1, 2}),
            highlight_rows=frozenset({len(rows) - 1}),
        )
    ]
    if not f.population.known:
        blocks.append(
            Paragraph(_("Folkmängd saknas för området; takt per invånare visas inte."), "note")
        )
    elif f.population.is_generated:
        blocks.append(
            Paragraph(_("Folkmängderna är genererade ungefärliga folkmängder (demo)."), "note")
        )
    return blocks


def _development(f: LawFigures) -> list[Block]:
    if not f.by_month:
        return []
    labelled = {(m, str(CategoryGroup(g).label)): n for (m, g), n in f.by_month.items()}
    values = [
        {"månad": month, "kategorigrupp": label, "antal": n}
        for (month, label), n in sorted(labelled.items())
    ]
    spec = charts.line_chart(
        values,
        x="månad",
        y="antal",
        color="kategorigrupp",
        x_type="ordinal",
        x_title=_("Månad"),
        y_title=_("Händelser"),
        color_title=_("Kategorigrupp"),
        height=240,
    )
    caption = _("Diagram 1: Händelser per månad och kategorigrupp, %(p)s") % {"p": f.period.label}
    return [Heading(_("Utveckling över tid"), 2), Chart(spec, caption=caption)]


def _by_area(f: LawFigures) -> list[Block]:
    if not f.areas:
        return []
    municipality_only = _("%(m)s (endast kommunnivå)") % {"m": f.scope.municipality.short_name}
    rows = []
    for item in f.areas:
        area = item.area
        rows.append(
            [
                area.display_name if area else municipality_only,
                item.n,
                num(item.population.population) if item.population.known else "–",
                rate_text(item.n, item.population, f.period.years) if area else "–",
            ]
        )
    columns = [_("Område"), _("Antal"), _("Folkmängd"), _("Per 1 000 inv. och år (95 % KI)")]
    table = Table(
        columns,
        rows,
        caption=_("Händelser per område (högst 20 områden)"),
        numeric=frozenset({1, 2}),
    )
    return [Heading(_("Per område"), 2), table]


def _official_rows(f: LawFigures) -> list[list[Any]]:
    rows = []
    for figure in f.official:
        rate = (
            f"{num(figure.rate, 1)} ({interval(figure.low, figure.high, 1)})"
            if figure.rate is not None
            else "–"
        )
        count = figure.count if figure.count is not None else _("uppgift saknas")
        rows.append([figure.offence, figure.year, count, rate])
    return rows


def _official(f: LawFigures) -> list[Block]:
    """Brå's official statistics of reported crimes beside the police feed (4 §: the
    extent of crime), for the municipality; nothing when none is imported."""
    if not f.official:
        return []
    table = Table(
        [_("Brottsgrupp"), _("År"), _("Anmälda brott"), _("Per 100 000 inv. (95 % KI)")],
        _official_rows(f),
        caption=_("Anmälda brott i %(m)s enligt Brå") % {"m": f.scope.municipality.name},
        numeric=frozenset({1, 2}),
    )
    note = _(
        "Brås statistik räknar anmälda brott efter datum för anmälan, i hela kommunen; den "
        "går inte att dela på gruppens områden och är inte samma sak som polisens öppna "
        "händelser ovan. Intervallen är exakta Poisson-intervall (Garwood)."
    )
    return [Heading(_("Anmälda brott enligt Brå"), 2), table, Paragraph(note, "note")]


def _police_types(f: LawFigures) -> list[Block]:
    if not f.police_types:
        return []
    table = Table(
        [_("Händelsetyp"), _("Antal")],
        [[t, n] for t, n in f.police_types],
        caption=_("De vanligaste händelsetyperna i polisens öppna händelser"),
        numeric=frozenset({1}),
    )
    return [Heading(_("Polisens händelsetyper"), 2), table]


def _consequences(f: LawFigures) -> list[Block]:
    text = _(
        "Tryggnav registrerar händelser på platser, inte uppgifter om personer, och kan "
        "därför inte ensamt beskriva brottens konsekvenser för de utsatta. Konsekvenserna "
        "för tryggheten belyses av undersökningarna nedan, och de som parterna beskrivit "
        "i sina orsaksanalyser återges här."
    )
    blocks: list[Block] = [Heading(_("Konsekvenser"), 2), Paragraph(text)]
    consequences = [f"{p.title}: {p.cause_victims}" for p in f.problems if p.cause_victims]
    if consequences:
        blocks.append(BulletList(consequences))
    return blocks


def _pct(share: float) -> str:
    value = round(share * 100, 1)
    return num(value, 0 if value == round(value) else 1)


def _survey_row(s: SurveyShare) -> list[str]:
    interval = "–"
    if s.low is not None and s.high:
        interval = numbers.percent_sign(f"{_pct(s.low)}–{_pct(s.high)}")
    return [
        f"{s.survey} {s.year}",
        s.indicator,
        s.unit,
        numbers.percent_sign(_pct(s.estimate)),
        interval,
        _("genererat") if s.is_generated else "",
    ]


def _survey_table(shares: list[SurveyShare]) -> Table:
    rows = [_survey_row(s) for s in shares]
    indicators = {s.indicator for s in shares}
    if len(indicators) == 1:
        # One indicator: name it once, in the caption, instead of on every row.
        return Table(
            [_("Undersökning"), _("Enhet"), _("Andel"), _("95 % intervall"), ""],
            [[r[0], *r[2:]] for r in rows],
            caption=indicators.pop(),
            numeric=frozenset({2}),
        )
    columns = [
        _("Undersökning"),
        _("Indikator"),
        _("Enhet"),
        _("Andel"),
        _("95 % intervall"),
        "",
    ]
    return Table(columns, rows, numeric=frozenset({3}))


def _survey_chart(shares: list[SurveyShare]) -> list[Block]:
    """The first indicator's shares with their intervals, when there are two or more."""
    first = [s for s in shares if s.indicator_id == shares[0].indicator_id]
    if len(first) < 2:
        return []
    values = [
        {
            "indikator": s.indicator,
            "enhet": s.unit,
            "andel": round(100 * s.estimate, 1),
            "nedre": None if s.low is None else round(100 * s.low, 1),
            "övre": None if s.high is None else round(100 * s.high, 1),
        }
        for s in first
    ]
    caption = _("Diagram 2: %(ind)s (andel, 95 %% intervall där det finns)") % {
        "ind": first[0].indicator
    }
    return [Chart(share_chart(values), caption=caption)]


def _surveys(f: LawFigures) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Annan relevant information")),
        Heading(_("Trygghetsundersökningar"), 2),
    ]
    if not f.surveys:
        note = _("Inga undersökningsresultat finns registrerade för kommunen.")
        return [*blocks, Paragraph(note, "note")]
    intro = _(
        "Andelar med 95-procentigt osäkerhetsintervall där källan ger underlag för "
        "ett. Skillnader mellan enheter tolkas bara som säkerställda när intervallen "
        "och testen på undersökningssidorna stöder det."
    )
    return [*blocks, Paragraph(intro), _survey_table(f.surveys), *_survey_chart(f.surveys)]


def _walks(f: LawFigures) -> list[Block]:
    return walks_blocks(f.walks)


def _coverage(f: LawFigures) -> list[Block]:
    if f.coverage is None:
        return []
    intro = _(
        "Partnernas rapporter speglar hur många som rapporterar: en vecka utan "
        "rapport är en vecka utan uppgifter, inte en lugn vecka. Tabellen visar i "
        "hur många veckor varje organisation har rapporterat."
    )
    columns = [
        _("Organisation"),
        _("Förväntas rapportera varje vecka"),
        _("Veckor med rapport"),
        _("Andel"),
    ]
    rows = [
        [
            c.organisation,
            _("ja") if c.reports_weekly else _("nej"),
            f"{c.reported} / {c.expected}",
            numbers.percent(100 * c.share) if c.share is not None else "–",
        ]
        for c in f.coverage
    ]
    return [
        Heading(_("Rapporteringstäckning"), 2),
        Paragraph(intro),
        Table(columns, rows, numeric=frozenset({2, 3})),
    ]


def _analysis(f: LawFigures) -> list[Block]:
    blocks: list[Block] = [Heading(_("Analys och prioriteringar"))]
    if f.significant:
        items = [f"{r.label}: {row_change_text(r).lower()}" for r in f.significant]
        blocks += [
            Paragraph(_("Statistiskt säkerställda förändringar mot perioden före:")),
            BulletList(items),
        ]
    elif f.basis is Basis.ALL:
        text = _("Ingen kategorigrupp har en statistiskt säkerställd förändring mot perioden före.")
        blocks.append(Paragraph(text))
    return blocks


def _agreement_text(agreement: Agreement) -> str:
    priorities = [p.name for p in agreement.priority_areas.all()]
    districts = [a.display_name for a in agreement.areas.all()]
    text = _("%(title)s (%(start)s–%(end)s).") % {
        "title": agreement.title,
        "start": agreement.starts.year,
        "end": agreement.ends.year,
    }
    if priorities:
        text += " " + _("Prioriterade problemområden: %(p)s.") % {"p": ", ".join(priorities)}
    if districts:
        text += " " + _("Prioriterade områden: %(d)s.") % {"d": ", ".join(districts)}
    return text


def _agreements(f: LawFigures) -> list[Block]:
    if not f.agreements:
        return []
    return [
        Heading(_("Prioriteringar i överenskommelserna"), 2),
        *(Paragraph(_agreement_text(a)) for a in f.agreements),
    ]


def _problems(f: LawFigures) -> list[Block]:
    blocks: list[Block] = []
    if f.problems:
        blocks.append(Heading(_("Ärenden och orsaksanalyser"), 2))
    for problem in f.problems:
        blocks.append(Heading(problem.title, 3))
        for label, value in (
            (_("Prioriteras"), problem.prioritised),
            (_("Prioriteras bort"), problem.left_out),
            (_("Varför här, varför nu"), problem.cause_summary),
        ):
            if value:
                blocks.append(Paragraph(f"{label}: {value}"))
    if not f.agreements and not f.problems:
        none = _("Inga överenskommelser eller ärenden är registrerade för perioden.")
        blocks.append(Paragraph(none, "note"))
    plan = _("Åtgärderna som följer av prioriteringarna redovisas i åtgärdsplanen.")
    return [*blocks, Paragraph(plan, "muted")]


def _comparison_limit(f: LawFigures) -> list[str]:
    if f.basis is Basis.POLICE:
        start = f.partner_start.isoformat() if f.partner_start else "–"
        text = _(
            "Partnernas rapporter började %(d)s, efter att perioden före började; "
            "förändringen prövas därför bara på polisens händelser."
        )
        return [text % {"d": start}]
    if f.basis is Basis.NONE:
        return [
            _(
                "Perioden före ligger helt eller delvis före uppgifternas början; ingen "
                "jämförelse görs."
            )
        ]
    return []


def _demo_limits(f: LawFigures) -> list[str]:
    limits = []
    if f.generated_reports:
        text = _(
            "DEMO: %(n)s av partnernas rapporter under perioden är genererade demodata, "
            "inte verkliga händelser."
        )
        limits.append(text % {"n": num(f.generated_reports)})
    if any(s.is_generated or s.survey_is_generated for s in f.surveys):
        limits.append(_("DEMO: vissa undersökningsvärden är genererade och märkta ”genererat”."))
    return limits


def _sources(f: LawFigures) -> list[Block]:
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
    if f.group is not None:
        limits.append(
            _(
                "Partnernas rapporter i Tryggnav: bara granskade rapporter som delats med "
                "samverkansgruppen räknas. Hur fullständiga de är beror på rapporteringen, se "
                "rapporteringstäckningen ovan."
            )
        )
    if f.data_start:
        limits.append(
            _("Uppgifterna i Tryggnav börjar vecka med måndag %(d)s.")
            % {"d": f.data_start.isoformat()}
        )
    limits += _comparison_limit(f)
    limits.append(
        _("Folkmängd: SCB, för takter per 1 000 invånare; intervallen är exakta Poisson-intervall.")
    )
    limits += _demo_limits(f)
    return [Heading(_("Källor och begränsningar")), BulletList(limits)]


SECTIONS: list[Section[LawFigures]] = [
    _about,
    _extent_intro,
    _extent_table,
    _development,
    _official,
    _by_area,
    _police_types,
    _consequences,
    _surveys,
    _walks,
    _coverage,
    _analysis,
    _agreements,
    _problems,
    _sources,
]


def lagesbild_report(
    *, scope: Scope, period: Period, user: Any, today: datetime.date | None = None
) -> Document:
    figures = law_figures(
        scope=scope, period=period, user=user, today=today or timezone.localdate()
    )
    group = scope.group
    document = Document(
        title=_("Lägesbild enligt lag (2023:196)"),
        subtitle=_("%(scope)s, %(period)s") % {"scope": scope.name, "period": period.label},
        organisation=(group.lead_organisation.name if group else scope.municipality.name),
        date=figures.today,
        is_demo=figures.is_demo,
    )
    return assemble(document, figures, SECTIONS)
