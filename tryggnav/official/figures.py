"""Read functions for pages and reports: official figures of one municipality.

- :func:`reported_crimes` -- Brå's reported crimes by year (or quarter) and offence
  group, with the population and, for whole years, the rate per 100,000 inhabitants
  with its exact Poisson interval (Garwood; ``tryggnav.stats.counts.rate``).
- :func:`kolada_values` -- Kolada key figures by KPI and year.
- :func:`call_outs` -- the fire service's call-outs by event type and year (MSB IDA).
- :func:`limitations` -- the "källor och begränsningar" paragraphs, in the active language.

Population is the municipality's population in the areas app (one year, named by
``population_year``); rates of other years use it too and say so by that field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tryggnav.areas.models import Municipality
from tryggnav.official.models import CallOut, KoladaValue, OfficialImport, ReportedCrime
from tryggnav.stats.counts import rate

PER = 100_000


@dataclass(frozen=True)
class CrimeFigure:
    year: int
    quarter: int  # 0: the whole year
    offence: str
    count: int | None  # None: missing in the source (".." or "-")
    population: int | None
    population_year: int | None
    rate: float | None  # per 100,000 inhabitants, whole years only
    low: float | None
    high: float | None

    @property
    def period(self) -> str:
        return f"{self.year}K{self.quarter}" if self.quarter else str(self.year)


@dataclass(frozen=True)
class KoladaFigure:
    kpi: str
    title: str
    year: int
    gender: str
    value: float | None


@dataclass(frozen=True)
class CallOutFigure:
    year: int
    event_type: str
    count: int | None


def _years(qs, years: Iterable[int] | None):
    return qs if years is None else qs.filter(year__in=list(years))


def reported_crimes(
    municipality: Municipality,
    years: Iterable[int] | None = None,
    *,
    quarters: bool = False,
    alpha: float = 0.05,
) -> list[CrimeFigure]:
    """Reported crimes in ``municipality`` (whole years; quarters too if asked), ordered
    by period and offence group. The interval is exact: chi-square/gamma limits
    (Garwood 1936), coverage at least 1 - alpha."""
    qs = _years(ReportedCrime.objects.filter(municipality=municipality), years)
    if not quarters:
        qs = qs.filter(quarter=0)
    population = municipality.population or None
    out = []
    for row in qs.order_by("year", "quarter", "offence"):
        value = low = high = None
        if population and row.count is not None and row.quarter == 0:
            r = rate(row.count, population, per=PER, alpha=alpha)
            value, low, high = float(r.rate), float(r.low), float(r.high)
        out.append(
            CrimeFigure(
                year=row.year,
                quarter=row.quarter,
                offence=row.offence,
                count=row.count,
                population=population,
                population_year=municipality.population_year,
                rate=value,
                low=low,
                high=high,
            )
        )
    return out


def kolada_values(
    municipality: Municipality,
    kpi: str | None = None,
    years: Iterable[int] | None = None,
    *,
    gender: str = "T",
) -> list[KoladaFigure]:
    """Kolada values of ``municipality`` (one KPI or all), for one gender (T: total)."""
    qs = _years(KoladaValue.objects.filter(municipality=municipality, gender=gender), years)
    if kpi:
        qs = qs.filter(kpi=kpi)
    return [
        KoladaFigure(kpi=v.kpi, title=v.kpi_title, year=v.year, gender=v.gender, value=v.value)
        for v in qs.order_by("kpi", "year")
    ]


def call_outs(
    municipality: Municipality, years: Iterable[int] | None = None
) -> list[CallOutFigure]:
    """The fire service's call-outs in ``municipality`` by year and event type."""
    qs = _years(CallOut.objects.filter(municipality=municipality), years)
    return [
        CallOutFigure(year=c.year, event_type=c.event_type, count=c.count)
        for c in qs.order_by("year", "event_type")
    ]


def imports(municipality: Municipality) -> list[OfficialImport]:
    """The imports whose figures are shown for ``municipality``, newest first."""
    ids: set[int] = set()
    for model in (ReportedCrime, KoladaValue, CallOut):
        ids.update(
            model.objects.filter(municipality=municipality)
            .values_list("source_import_id", flat=True)
            .distinct()
        )
    return list(OfficialImport.objects.filter(pk__in=ids).order_by("-created"))


def limitations() -> list[tuple[str, str]]:
    """(heading, text) paragraphs on what each source counts, for a page or a report."""
    return [
        (
            _("Polisens händelser"),
            _(
                "Polisens öppna händelseflöde är ett urval av händelser som polisen"
                " publicerar, ofta innan något är utrett. Det är inte officiell"
                " kriminalstatistik och ska inte jämföras med antalet anmälda brott."
            ),
        ),
        (
            _("Brå: anmälda brott"),
            _(
                "Brås statistik räknar brott som anmälts till och registrerats av polis,"
                " åklagare eller tull, efter datum för anmälan, inte för brottet. Ett"
                " ärende kan omfatta många brott, och många brott anmäls aldrig."
                " Kommunen är den där brottet begåtts; brott utan kommunuppgift saknas."
                ' ".." och "-" betyder att uppgift saknas, inte noll.'
            ),
        ),
        (
            _("Antal per 100 000 invånare"),
            _(
                "Antal per 100 000 invånare räknas på kommunens folkmängd enligt SCB för"
                " det år som anges. Intervallet är ett exakt 95 %-intervall för ett"
                " Poissonfördelat antal (Garwood); det visar slumpens spelrum, inte"
                " mörkertal eller ändrad anmälningsbenägenhet."
            ),
        ),
        (
            _("Kolada"),
            _(
                "Kolada (RKA) samlar nyckeltal från SCB, Brå och andra källor. Värdena är"
                " Koladas egna beräkningar och kan avvika från källans senaste siffror."
            ),
        ),
        (
            _("MSB IDA: räddningstjänstens insatser"),
            _(
                "MSB:s statistik räknar räddningstjänstens insatser efter händelsetyp, som"
                " räddningstjänsten rapporterat dem. Det är inte antalet bränder eller"
                " olyckor som inträffat."
            ),
        ),
    ]
