"""The sections of the two documents and what each shows, from the frozen figures.

The lägesbild follows 4 § of Lag (2023:196): kartläggning (omfattning, utveckling,
platser och tider, konsekvenser), annan information, analys, källor och begränsningar.
Each section has its generated blocks (tables and charts from the figures) and the
coordinator's editable text (``LawDocument.texts[key]``). Text is written here, last,
in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tryggnav.documents.figures import (
    ActionPlanFigures,
    LagesbildFigures,
    MeasureRow,
    Source,
)
from tryggnav.incidents.models import CategoryGroup
from tryggnav.lagesbild.models import Action
from tryggnav.lib import charts, numbers
from tryggnav.lib.documents import Block, BulletList, Chart, Paragraph, Table
from tryggnav.lib.numbers import interval
from tryggnav.programmes.reports import law


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str  # gettext_noop: translated when shown
    level: int
    blocks: Callable[[Any], list[Block]]


def _num(value: float | None, digits: int = 0) -> str:
    return numbers.number(value, digits)


def _rate(rate: float | None, low: float | None, high: float | None, digits: int = 1) -> str:
    if rate is None:
        return "–"
    return f"{_num(rate, digits)} ({interval(low, high, digits)})"


# --- the lägesbild -------------------------------------------------------------------------


def _official(f: LagesbildFigures) -> list[Block]:
    if not f.official:
        return [Paragraph(_("Ingen statistik från Brå är importerad för kommunen."), "note")]
    rows = [
        [r.offence, r.year, r.count if r.count is not None else _("uppgift saknas"),
         _rate(r.rate, r.low, r.high)]
        for r in f.official
    ]  # fmt: skip
    return [
        Table(
            [_("Brottsgrupp"), _("År"), _("Anmälda brott"), _("Per 100 000 inv. (95 % KI)")],
            rows,
            caption=_("Källa: Brå, anmälda brott i %(m)s") % {"m": f.municipality},
            numeric=frozenset({1, 2}),
        )
    ]


def _police_change(verdict: str, p_value: float | None) -> str:
    return law.verdict_text(law.Change(law.Verdict(verdict), p_value))


def _police_label(group: str | None) -> str:
    return str(CategoryGroup(group).label) if group else _("Totalt")


def _police(f: LagesbildFigures) -> list[Block]:
    if not f.police:
        return []
    rows = [
        [_police_label(r.group), r.now, r.before, _rate(r.rate, r.low, r.high, 2),
         _police_change(r.verdict, r.p_value)]
        for r in f.police
    ]  # fmt: skip
    return [
        Table(
            [_("Kategorigrupp"), _("Antal"), _("Perioden före"),
             _("Per 1 000 inv. och år (95 % KI)"), _("Förändring")],
            rows,
            caption=_("Källa: polisens öppna händelser i kommunen"),
            numeric=frozenset({1, 2}),
            highlight_rows=frozenset({len(rows) - 1}),
        )
    ]  # fmt: skip


def _partners(f: LagesbildFigures) -> list[Block]:
    if not f.partners:
        return []
    rows = [[p.group, p.now, p.before if p.comparable else "–"] for p in f.partners]
    return [
        Table(
            [_("Samverkansgrupp"), _("Antal"), _("Perioden före")],
            rows,
            caption=_("Källa: partnernas granskade rapporter i Tryggnav, per samverkansgrupp"),
            numeric=frozenset({1, 2}),
        )
    ]


def extent(f: LagesbildFigures) -> list[Block]:
    return [*_official(f), *_police(f), *_partners(f)]


def development(f: LagesbildFigures) -> list[Block]:
    if not f.months:
        return []
    labels = {"police": _("Polisens händelser"), "partner": _("Partnernas rapporter")}
    values = [{"månad": m.month, "källa": labels[m.source], "antal": m.n} for m in f.months]
    spec = charts.line_chart(
        values, x="månad", y="antal", color="källa", x_type="ordinal", x_title=_("Månad"),
        y_title=_("Antal"), color_title=_("Källa"), height=220,
    )  # fmt: skip
    for layer in spec.get("layer", []):
        color = layer.get("encoding", {}).get("color")
        if color and color.get("legend", {}) is not None:
            color["legend"] = {"orient": "bottom"}  # beside the chart it overflows a phone
    return [Chart(spec, caption=_("Händelser och rapporter per månad, per källa"))]


def places(f: LagesbildFigures) -> list[Block]:
    blocks: list[Block] = []
    if f.areas:
        rows = [
            [a.area, a.group, a.n, _num(a.population) if a.population else "–",
             _rate(a.rate, a.low, a.high, 2)]
            for a in f.areas
        ]  # fmt: skip
        blocks.append(Table(
            [_("Område"), _("Samverkansgrupp"), _("Antal"), _("Folkmängd"),
             _("Per 1 000 inv. och år (95 % KI)")],
            rows, caption=_("Partnernas rapporter per område (högst 20)"),
            numeric=frozenset({2, 3}),
        ))  # fmt: skip
    if f.police_types:
        blocks.append(Table(
            [_("Händelsetyp"), _("Antal")], [[t, n] for t, n in f.police_types],
            caption=_("De vanligaste händelsetyperna i polisens öppna händelser"),
            numeric=frozenset({1}),
        ))  # fmt: skip
    return blocks


def consequences(f: LagesbildFigures) -> list[Block]:
    items = [f"{p.title}: {p.consequences}" for p in f.problems if p.consequences]
    return [BulletList(items)] if items else []


def _survey_rows(f: LagesbildFigures) -> list[list[Any]]:
    def share(x: float | None) -> str:
        return "–" if x is None else numbers.percent(100 * x, 1)

    return [
        [f"{s.survey} {s.year}", s.indicator, s.unit, share(s.estimate),
         "–" if s.low is None else f"{share(s.low)}–{share(s.high)}",
         _("genererat") if s.is_generated else ""]
        for s in f.surveys
    ]  # fmt: skip


def other_information(f: LagesbildFigures) -> list[Block]:
    blocks: list[Block] = []
    if f.surveys:
        blocks.append(Table(
            [_("Undersökning"), _("Indikator"), _("Enhet"), _("Andel"), _("95 % intervall"),
             _("Anmärkning")],
            _survey_rows(f), caption=_("Trygghetsundersökningar"),
        ))  # fmt: skip
    if f.coverage:
        rows = [
            [c.group, c.organisation, f"{c.reported} / {c.expected}",
             numbers.percent(100 * c.reported / c.expected) if c.expected else "–"]
            for c in f.coverage
        ]  # fmt: skip
        blocks.append(Table(
            [_("Samverkansgrupp"), _("Organisation"), _("Veckor med rapport"), _("Andel")],
            rows, caption=_("Rapporteringstäckning"), numeric=frozenset({2, 3}),
        ))  # fmt: skip
    return blocks


def analysis(f: LagesbildFigures) -> list[Block]:
    significant = [
        r for r in f.police if r.group and law.Change(law.Verdict(r.verdict), r.p_value).significant
    ]
    blocks: list[Block] = []
    if significant:
        blocks.append(Paragraph(_("Statistiskt säkerställda förändringar i polisens händelser:")))
        blocks.append(BulletList([
            f"{_police_label(r.group)}: {_police_change(r.verdict, r.p_value).lower()}"
            for r in significant
        ]))  # fmt: skip
    items = [*f.agreements, *(f"{p.title}: {p.prioritised}" for p in f.problems if p.prioritised)]
    if items:
        blocks += [
            Paragraph(_("Prioriteringar i överenskommelser och ärenden:")),
            BulletList(items),
        ]
    return blocks


def sources(f: LagesbildFigures) -> list[Block]:
    limits = [
        _("Brå: anmälda brott efter datum för anmälan, i hela kommunen, per 100 000 invånare "
          "med exakta Poisson-intervall (Garwood). Det är den officiella kriminalstatistiken."),
        _("Polisens öppna händelser (polisen.se): ett urval som polisen publicerar, inte "
          "anmälda brott; positionen är kommunens mittpunkt, så de fördelas inte på områden."),
        _("Partnernas rapporter: granskade rapporter som delats med en samverkansgrupp. En "
          "rapport som delats med flera grupper räknas i var och en; hur fullständiga de är "
          "beror på rapporteringen (se rapporteringstäckningen)."),
        _("De tre källorna räknar olika saker och summeras därför inte."),
        _("Siffrorna är låsta när versionen skapades (%(d)s).") % {"d": f.made.isoformat()},
    ]  # fmt: skip
    if f.generated_reports:
        limits.append(
            _("DEMO: %(n)s av partnernas rapporter är genererade demodata.")
            % {"n": _num(f.generated_reports)}
        )
    return [BulletList(limits)]


LAGESBILD: list[SectionDef] = [
    SectionDef("kartlaggning", gettext_noop("Kartläggning av brottsligheten"), 1, lambda f: []),
    SectionDef("omfattning", gettext_noop("Omfattning"), 2, extent),
    SectionDef("utveckling", gettext_noop("Utveckling över tid"), 2, development),
    SectionDef("platser", gettext_noop("Platser och tider"), 2, places),
    SectionDef("konsekvenser", gettext_noop("Konsekvenser"), 2, consequences),
    SectionDef(
        "annan_information", gettext_noop("Annan relevant information"), 1, other_information
    ),
    SectionDef("analys", gettext_noop("Analys"), 1, analysis),
    SectionDef("kallor", gettext_noop("Källor och begränsningar"), 1, sources),
]


# --- the åtgärdsplan ----------------------------------------------------------------------


SOURCE_LABELS = {
    Source.BRA: gettext_noop("Åtgärder i Brås problemlösningsprocess (SMART-mål)"),
    Source.MEETING: gettext_noop("Stående åtgärder från veckomötena"),
    Source.ACTIVITY: gettext_noop("Aktiviteter i aktivitetsregistret"),
    Source.FUND: gettext_noop("Projekt ur trygghetsfonden"),
}


def status_text(row: MeasureRow) -> str:
    label = str(Action.Status(row.status).label)
    return f"{label} – {_('försenad')}" if row.overdue else label


def _measure_table(source: str, rows: list[MeasureRow]) -> Table:
    return Table(
        [_("Åtgärd"), _("Ansvarig"), _("Kostnad och finansiering"), _("Tid"),
         _("Indikator och mål"), _("Uppföljning"), _("Status")],
        [[r.title, r.responsible or "–", r.cost or "–", f"{r.starts or '–'} – {r.due or '–'}",
          r.indicator or "–", r.follow_up or "–", status_text(r)] for r in rows],
        caption=_(SOURCE_LABELS[source]),
        highlight_rows=frozenset(i for i, r in enumerate(rows) if r.overdue),
    )  # fmt: skip


def plan_measures(f: ActionPlanFigures) -> list[Block]:
    tables: list[Block] = [
        _measure_table(source, f.of(source)) for source in Source.ORDER if f.of(source)
    ]
    return tables or [Paragraph(_("Inga åtgärder är registrerade."), "warning")]


def plan_follow_up(f: ActionPlanFigures) -> list[Block]:
    counts = {s: 0 for s in Action.Status.values}
    for row in f.measures:
        counts[row.status] += 1
    overdue = sum(1 for r in f.measures if r.overdue)
    rows = [[str(Action.Status(s).label), n] for s, n in counts.items()]
    rows.append([_("varav försenade"), overdue])
    return [Table([_("Status"), _("Antal åtgärder")], rows, numeric=frozenset({1}))]


def plan_basis(f: ActionPlanFigures) -> list[Block]:
    return [Paragraph(_("Planen bygger på %(l)s.") % {"l": f.lagesbild})]


ACTION_PLAN: list[SectionDef] = [
    SectionDef("underlag", gettext_noop("Underlag"), 1, plan_basis),
    SectionDef("atgarder", gettext_noop("Åtgärder"), 1, plan_measures),
    SectionDef("uppfoljning", gettext_noop("Uppföljning"), 1, plan_follow_up),
]


def definitions(kind: str) -> list[SectionDef]:
    return LAGESBILD if kind == "lagesbild" else ACTION_PLAN


def keys(kind: str) -> list[str]:
    return [s.key for s in definitions(kind)]
