"""Which population a rate uses, and the rate as shown: per 1,000 inhabitants with its
exact Poisson (Garwood) interval, or a sentence saying why there is none.

Areas have a population per year (``AreaPopulation``); a period uses the figure of
its own year, else the nearest earlier year, else the nearest later one (SCB counts
the population on 31 December, so a week in 2026 uses 2025's figure once it is
imported). An area on generated boundaries never has one: its lines are drawn by
the program, so no count of inhabitants belongs to them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tryggnav.areas.models import Area, AreaPopulation, Municipality
from tryggnav.lib import numbers

PER = 1000


class Status(models.TextChoices):
    KNOWN = "known", gettext_lazy("Folkmängd känd")
    MISSING = "missing", gettext_lazy("folkmängd saknas")
    GENERATED_AREA = "generated_area", gettext_lazy("ingen folkmängd för genererade områden")


@dataclass(frozen=True)
class Population:
    """The population a rate is computed with, or why there is none."""

    status: Status
    population: int | None = None
    year: int | None = None
    is_generated: bool = False  # a demo approximation, not a published figure

    @property
    def known(self) -> bool:
        return self.status == Status.KNOWN and bool(self.population)


MISSING = Population(Status.MISSING)
GENERATED_AREA = Population(Status.GENERATED_AREA)


def _pick_year(years: dict[int, tuple[int, bool]], year: int) -> int:
    """The year's own figure, else the nearest year before, else the nearest after."""
    if year in years:
        return year
    before = [y for y in years if y < year]
    return max(before) if before else min(years)


def area_populations(area_ids: Iterable[int], year: int) -> dict[int, Population]:
    """The population of each area for ``year`` (areas without one: MISSING)."""
    ids = {int(a) for a in area_ids if a}
    generated = set(Area.objects.filter(pk__in=ids, is_generated=True).values_list("pk", flat=True))
    by_area: dict[int, dict[int, tuple[int, bool]]] = {}
    for area_id, y, n, is_generated in AreaPopulation.objects.filter(area_id__in=ids).values_list(
        "area_id", "year", "population", "is_generated"
    ):
        by_area.setdefault(area_id, {})[y] = (n, is_generated)
    result: dict[int, Population] = {}
    for area_id in ids:
        years = by_area.get(area_id)
        if area_id in generated:
            result[area_id] = GENERATED_AREA
        elif not years:
            result[area_id] = MISSING
        else:
            chosen = _pick_year(years, year)
            n, is_generated = years[chosen]
            result[area_id] = Population(Status.KNOWN, n, chosen, is_generated)
    return result


def municipality_population(municipality: Municipality) -> Population:
    if not municipality.population:
        return MISSING
    return Population(Status.KNOWN, municipality.population, municipality.population_year)


def total_population(figures: Iterable[Population]) -> Population:
    """The sum over several areas: known only when every one is known."""
    figures = list(figures)
    if not figures:
        return MISSING
    if any(f.status == Status.GENERATED_AREA for f in figures):
        return GENERATED_AREA
    if not all(f.known for f in figures):
        return MISSING
    years = {f.year for f in figures}
    return Population(
        Status.KNOWN,
        sum(f.population or 0 for f in figures),
        years.pop() if len(years) == 1 else None,
        any(f.is_generated for f in figures),
    )


@dataclass(frozen=True)
class RateFigure:
    """A count per 1,000 inhabitants (per ``years`` of time) with its 95 % interval."""

    rate: float
    low: float
    high: float


def rate_figure(count: int, population: Population, *, years: float = 1.0) -> RateFigure | None:
    """The rate and its exact Garwood interval (R ``poisson.test(x, T)$conf.int``), with
    the population times ``years`` as exposure; None without a known population."""
    if not population.known or count < 0 or years <= 0:
        return None
    return _rate(int(count), float(population.population or 0) * years)


@functools.lru_cache(maxsize=8192)
def _rate(count: int, exposure: float) -> RateFigure:
    # Cached: a lägesbild has hundreds of rows, mostly small counts in a few areas, and
    # scipy's inverse gamma costs a fifth of a millisecond a call.
    from tryggnav.stats.counts import rate

    r = rate(count, exposure, per=PER)
    return RateFigure(float(r.rate), float(r.low), float(r.high))


def rate_text(count: int, population: Population, *, years: float = 1.0, digits: int = 2) -> str:
    """ "0,52 (0,38–0,65)" in the reader's language, or why there is no rate."""
    figure = rate_figure(count, population, years=years)
    if figure is None:
        return str(population.status.label)
    return _("%(rate)s (%(low)s–%(high)s)") % {
        "rate": numbers.number(figure.rate, digits),
        "low": numbers.number(figure.low, digits),
        "high": numbers.number(figure.high, digits),
    }
