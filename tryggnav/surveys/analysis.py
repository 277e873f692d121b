"""What the published survey figures support: intervals, comparisons, ranks, trends, claims.

The statistics are those of tryggnav.stats.proportions; this module decides which
of them the published figures allow, and records what each number is based on.
All calls into the statistics core are in the section "Statistics core" below.

Intervals (``uncertainty``), at 95 %:

- published bounds: shown as published; the standard error is derived as
  SE ≈ (high − low) / (2 · 1.96), which is exact for a symmetric Wald interval and
  close for a rounded one ("59–68" around 63);
- a published SE: Wald, estimate ± 1.96 · SE (SCB's convention);
- n and a design effect: Wald with SE = sqrt(p(1 − p) · deff / n);
- n only: Wilson (better than Wald for small n or shares near 0 or 1);
- nothing: the uncertainty is unknown, and every comparison says so.

Comparisons (``compare``): two units or groups or years are treated as independent
samples (z test with both SEs; with n only, the pooled test of prop.test). A unit
against the whole it belongs to (a municipality against its county or the country,
a county against the country) uses the test of a unit against its whole, with the
unit's share of the whole's population as weight (Municipality.population). When
one side's uncertainty is not published the comparison is not invented: it says
whether the difference would be significant even in the most favourable case, and
up to which unknown SE it stays significant (``condition``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING

from tryggnav.stats.multiple import holm
from tryggnav.stats.proportions import (
    compare_shares,
    compare_unit_with_whole,
    confint,
    rank_confidence_sets,
    rank_intervals_bootstrap,
)

if TYPE_CHECKING:
    from tryggnav.stats.proportions import Method

ALPHA = 0.05
Z = NormalDist().inv_cdf(1 - ALPHA / 2)


# --------------------------------------------------------------------------------------
# Statistics core. Every call into tryggnav.stats is here.


def _confint(
    estimate: float,
    *,
    method: Method,
    n: float | None = None,
    se: float | None = None,
    deff: float = 1.0,
) -> tuple[float, float]:
    low, high = confint(estimate, n, method=method, alpha=ALPHA, se=se, deff=deff)
    return float(low), float(high)


def _compare_independent(a: Figure, b: Figure):
    if a.se_given_or_derived is None and b.se_given_or_derived is None and a.n and b.n:
        return compare_shares(
            a.estimate,
            b.estimate,
            n1=a.n,
            n2=b.n,
            deff1=a.deff or 1.0,
            deff2=b.deff or 1.0,
            alpha=ALPHA,
        )
    return compare_shares(
        a.estimate, b.estimate, se1=a.se_for_tests, se2=b.se_for_tests, alpha=ALPHA
    )


def _compare_with_whole(
    unit: Figure, se_unit: float, whole: Figure, se_whole: float, weight: float
):
    return compare_unit_with_whole(
        unit.estimate,
        se_unit,
        whole.estimate,
        se_whole,
        unit_share=weight,
        method="covariance",
        alpha=ALPHA,
    )


def _holm(pvalues: Sequence[float]) -> list[float]:
    return [float(p) for p in holm(list(pvalues))]


def _rank_intervals(estimates: Sequence[float], se: Sequence[float]):
    bootstrap = rank_intervals_bootstrap(estimates, se, alpha=ALPHA, reps=4000, seed=2021)
    simultaneous = rank_confidence_sets(
        estimates, se, alpha=ALPHA, simultaneous=True, reps=1000, seed=2021
    )
    return bootstrap, simultaneous


def _two_sided_p(z: float) -> float:
    return 2 * (1 - NormalDist().cdf(abs(z)))


# --------------------------------------------------------------------------------------
# Figures and their uncertainty


class Basis:
    PUBLISHED = "published"
    SE = "se"
    N_DEFF = "n_deff"
    N = "n"
    NONE = "none"


@dataclass(frozen=True)
class Figure:
    """A published share with whatever the source gives about its uncertainty."""

    label: str
    estimate: float
    n: int | None = None
    se: float | None = None
    deff: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    is_generated: bool = False
    key: str = ""

    @classmethod
    def from_result(cls, result, label: str | None = None) -> Figure:
        return cls(
            label=label or result.unit_name,
            estimate=result.estimate,
            n=result.n,
            se=result.se,
            deff=result.deff,
            ci_low=result.ci_low,
            ci_high=result.ci_high,
            is_generated=result.is_generated,
            key=str(result.public_id),
        )

    @property
    def has_published_interval(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None

    @property
    def se_given_or_derived(self) -> float | None:
        """The SE from the source, or derived from its published interval."""
        if self.se:
            return self.se
        if self.ci_low is not None and self.ci_high is not None and self.ci_high > self.ci_low:
            return (self.ci_high - self.ci_low) / (2 * Z)
        return None

    @property
    def se_for_tests(self) -> float | None:
        """The SE a test uses: published or derived from the interval, else from n (and deff)."""
        se = self.se_given_or_derived
        if se is not None:
            return se
        if self.n:
            p = self.estimate
            return math.sqrt(max(p * (1 - p), 1e-12) * (self.deff or 1.0) / self.n)
        return None

    @property
    def known(self) -> bool:
        return self.se_for_tests is not None


@dataclass(frozen=True)
class Uncertainty:
    estimate: float
    low: float | None
    high: float | None
    se: float | None
    basis: str
    method: str = ""
    n: int | None = None
    deff: float | None = None

    @property
    def known(self) -> bool:
        return self.low is not None

    def explanation(self) -> str:
        # surveys.text imports this module's types: a top-level import would be a cycle.
        from tryggnav.surveys.text import uncertainty_explanation

        return uncertainty_explanation(self)


def uncertainty(figure: Figure) -> Uncertainty:
    """The 95 % interval of a figure and what it is based on (see the module docstring)."""
    p = figure.estimate
    if figure.has_published_interval:
        return Uncertainty(
            p,
            figure.ci_low,
            figure.ci_high,
            figure.se_given_or_derived,
            Basis.PUBLISHED,
            n=figure.n,
            deff=figure.deff,
        )
    if figure.se:
        low, high = _confint(p, method="wald", se=figure.se)
        return Uncertainty(p, low, high, figure.se, Basis.SE, "wald", figure.n, figure.deff)
    if figure.n and figure.deff:
        low, high = _confint(p, method="wald", n=figure.n, deff=figure.deff)
        return Uncertainty(
            p, low, high, figure.se_for_tests, Basis.N_DEFF, "wald", figure.n, figure.deff
        )
    if figure.n:
        low, high = _confint(p, method="wilson", n=figure.n)
        return Uncertainty(p, low, high, figure.se_for_tests, Basis.N, "wilson", figure.n)
    return Uncertainty(p, None, None, None, Basis.NONE)


# --------------------------------------------------------------------------------------
# Comparisons


class Kind:
    UNITS = "units"
    WHOLE = "whole"
    GROUPS = "groups"
    YEARS = "years"


class Outcome:
    SIGNIFICANT = "significant"
    NOT_SIGNIFICANT = "not_significant"
    # Significant only if the unpublished SE of one side is at most ``condition``.
    CONDITIONAL = "conditional"
    # Not significant even in the most favourable case: settled without the missing SE.
    NOT_SIGNIFICANT_ANYWAY = "not_significant_anyway"
    UNCHECKABLE = "uncheckable"


@dataclass
class Comparison:
    a: Figure
    b: Figure
    kind: str
    difference: float
    outcome: str
    p_value: float | None = None
    p_adjusted: float | None = None
    low: float | None = None
    high: float | None = None
    method: str = ""
    # For CONDITIONAL: the largest unpublished SE of ``b`` (or of both, for n) that keeps
    # the difference significant; for UNCHECKABLE with two unknowns: the n needed.
    condition: float | None = None
    needed_n: int | None = None
    weight: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def p_shown(self) -> float | None:
        return self.p_adjusted if self.p_adjusted is not None else self.p_value

    @property
    def significant(self) -> bool | None:
        """True or False when settled by the published figures, None when it is not."""
        if self.outcome in (Outcome.SIGNIFICANT,):
            return True
        if self.outcome in (Outcome.NOT_SIGNIFICANT, Outcome.NOT_SIGNIFICANT_ANYWAY):
            return False
        return None

    def sentence(self) -> str:
        # surveys.text imports this module's types: a top-level import would be a cycle.
        from tryggnav.surveys.text import comparison_sentence

        return comparison_sentence(self)


def compare(
    a: Figure, b: Figure, *, kind: str = Kind.UNITS, weight: float | None = None
) -> Comparison:
    """Compare ``a`` with ``b``. For ``kind=Kind.WHOLE``, ``b`` is the whole that contains
    ``a`` and ``weight`` is a's share of b's population (None: unknown, then the two are
    treated as independent, which is conservative)."""
    diff = a.estimate - b.estimate
    se_a, se_b = a.se_for_tests, b.se_for_tests
    if se_a is not None and se_b is not None:
        return _compare_tested(a, b, kind, weight, se_a, se_b)
    if se_a is None and se_b is None:
        # Neither uncertainty is published: say how many respondents each would need.
        var_unit = a.estimate * (1 - a.estimate) + b.estimate * (1 - b.estimate)
        needed = math.ceil(Z * Z * var_unit / (diff * diff)) if diff else None
        return Comparison(a, b, kind, diff, Outcome.UNCHECKABLE, needed_n=needed, method="none")
    known = se_a if se_a is not None else se_b
    assert known is not None  # both unknown returned above
    return _compare_bounded(a, b, kind, weight, known=known)


def _compare_tested(
    a: Figure, b: Figure, kind: str, weight: float | None, se_a: float, se_b: float
) -> Comparison:
    """Both uncertainties known: a test of a unit against its whole (with its weight),
    or of two independent samples."""
    whole = kind == Kind.WHOLE and weight is not None
    if whole and weight is not None:
        result = _compare_with_whole(a, se_a, b, se_b, weight)
        method = "whole"
    else:
        result = _compare_independent(a, b)
        method = "independent_n" if "pooled" in result.method else "independent_se"
    p = float(result.p_value)
    comparison = Comparison(
        a,
        b,
        kind,
        a.estimate - b.estimate,
        Outcome.SIGNIFICANT if p < ALPHA else Outcome.NOT_SIGNIFICANT,
        p_value=p,
        low=float(result.low),
        high=float(result.high),
        method=method,
        weight=weight if whole else None,
    )
    if kind == Kind.WHOLE and weight is None:
        comparison.notes.append("whole_without_weight")
    return comparison


def _compare_bounded(
    a: Figure, b: Figure, kind: str, weight: float | None, *, known: float
) -> Comparison:
    """One side's uncertainty is unknown: significant even in the most favourable case,
    and up to which unknown SE. The most favourable case is the smallest possible
    variance of the unknown side: 0 for an independent unit; for a whole, w · SE(unit),
    since the whole contains the unit."""
    diff = a.estimate - b.estimate
    unknown_a = a.se_for_tests is None  # the difference keeps its sign in the text
    whole = kind == Kind.WHOLE and weight is not None
    w = weight if whole and weight is not None else 0.0
    var_fixed, var_min = known * known, known * known
    if whole and not unknown_a:
        var_fixed = (1 - 2 * w) * known * known
        var_min = var_fixed + (w * known) ** 2
    p_best = _two_sided_p(diff / math.sqrt(var_min)) if var_min > 0 else 0.0
    shown_weight = w if whole else None
    if p_best >= ALPHA:
        return Comparison(
            a,
            b,
            kind,
            diff,
            Outcome.NOT_SIGNIFICANT_ANYWAY,
            p_value=p_best,
            method="bound",
            weight=shown_weight,
        )
    bound_sq = (diff / Z) ** 2 - var_fixed
    if whole and unknown_a:
        # Var(d) = (1 − 2w) Var(unit) + Var(whole): the unit's SE enters scaled.
        bound_sq /= 1 - 2 * w
    return Comparison(
        a,
        b,
        kind,
        diff,
        Outcome.CONDITIONAL,
        p_value=p_best,
        condition=math.sqrt(bound_sq) if bound_sq > 0 else 0.0,
        method="bound",
        weight=shown_weight,
        notes=["unknown_a"] if unknown_a else [],
    )


def adjust_holm(comparisons: Sequence[Comparison]) -> None:
    """Holm-adjust the p-values of comparisons made at once; the outcome follows the
    adjusted p. Only fully tested comparisons take part."""
    # A tested comparison (significant or not) always has its p-value.
    tested = [
        (c, c.p_value)
        for c in comparisons
        if c.outcome in (Outcome.SIGNIFICANT, Outcome.NOT_SIGNIFICANT) and c.p_value is not None
    ]
    if len(tested) < 2:
        return
    adjusted_all = _holm([p for _, p in tested])
    for (comparison, _), adjusted in zip(tested, adjusted_all, strict=True):
        comparison.p_adjusted = adjusted
        comparison.outcome = Outcome.SIGNIFICANT if adjusted < ALPHA else Outcome.NOT_SIGNIFICANT


# --------------------------------------------------------------------------------------
# League table


@dataclass
class LeagueRow:
    figure: Figure
    uncertainty: Uncertainty
    rank: int
    rank_low: int | None = None
    rank_high: int | None = None
    simultaneous_low: int | None = None
    simultaneous_high: int | None = None
    versus_whole: Comparison | None = None


@dataclass
class LeagueTable:
    rows: list[LeagueRow]
    # True when every unit has an uncertainty, so rank intervals could be computed.
    has_intervals: bool
    missing: list[str] = field(default_factory=list)
    whole: Figure | None = None
    method_marginal: str = ""
    method_simultaneous: str = ""

    @property
    def size(self) -> int:
        return len(self.rows)

    def row_for(self, key: str) -> LeagueRow | None:
        return next((r for r in self.rows if r.figure.key == key), None)


def league_table(
    figures: Sequence[Figure],
    *,
    whole: Figure | None = None,
    weights: dict[str, float] | None = None,
    higher_first: bool = True,
) -> LeagueTable:
    """Rank units (1 = highest share) with marginal bootstrap rank intervals and the
    simultaneous confidence sets of Mogstad et al. (2024). Rank intervals need every
    unit's uncertainty; without it the table gives point ranks and says which units
    lack it. Each unit is compared with ``whole``; those comparisons are made at once
    and Holm-corrected."""
    ordered = sorted(figures, key=lambda f: -f.estimate if higher_first else f.estimate)
    rows = [
        LeagueRow(figure, uncertainty(figure), rank=rank)
        for figure, rank in zip(ordered, _competition_ranks(ordered, higher_first), strict=True)
    ]
    missing = [f.label for f in ordered if not f.known]
    table = LeagueTable(
        rows, has_intervals=len(ordered) >= 2 and not missing, missing=missing, whole=whole
    )
    if table.has_intervals:
        _add_rank_intervals(table, higher_first)
    if whole is not None:
        for row in rows:
            weight = (weights or {}).get(row.figure.key)
            row.versus_whole = compare(row.figure, whole, kind=Kind.WHOLE, weight=weight)
        adjust_holm([row.versus_whole for row in rows if row.versus_whole])
    return table


def _competition_ranks(figures: Sequence[Figure], higher_first: bool) -> list[int]:
    """Competition ranking ("16 of 21"): 1 + the number of strictly better figures,
    so ties share the best rank."""
    estimates = [f.estimate for f in figures]
    if higher_first:
        return [1 + sum(1 for e in estimates if e > f.estimate) for f in figures]
    return [1 + sum(1 for e in estimates if e < f.estimate) for f in figures]


def _add_rank_intervals(table: LeagueTable, higher_first: bool) -> None:
    """Marginal (bootstrap) and simultaneous rank intervals for every row; needs every
    row's uncertainty (``table.has_intervals``)."""
    figures = [row.figure for row in table.rows]
    # has_intervals: no unit is missing its uncertainty, so none is dropped here.
    se = [s for s in (f.se_for_tests for f in figures) if s is not None]
    signed = [f.estimate if higher_first else -f.estimate for f in figures]
    bootstrap, simultaneous = _rank_intervals(signed, se)
    for i, row in enumerate(table.rows):
        row.rank_low, row.rank_high = int(bootstrap.lower[i]), int(bootstrap.upper[i])
        row.simultaneous_low = int(simultaneous.lower[i])
        row.simultaneous_high = int(simultaneous.upper[i])
    table.method_marginal = bootstrap.method
    table.method_simultaneous = simultaneous.method


# --------------------------------------------------------------------------------------
# Claims from published texts


class Verdict:
    SUPPORTED = "supported"
    NOT_SUPPORTED = "not_supported"
    CONDITIONAL = "conditional"
    UNCHECKABLE = "uncheckable"


@dataclass
class ClaimCheck:
    verdict: str
    comparison: Comparison | None = None
    league_row: LeagueRow | None = None
    published_units: int = 0
    claimed_rank: int | None = None
    claimed_of: int | None = None
    direction: str = ""

    def explanation(self) -> str:
        # surveys.text imports this module's types: a top-level import would be a cycle.
        from tryggnav.surveys.text import claim_explanation

        return claim_explanation(self)


def check_difference_claim(comparison: Comparison, direction: str) -> ClaimCheck:
    """Does the comparison support "a is <direction> than b"? ``direction`` is one of
    higher, lower, different, none (the Claim.Direction values)."""
    sign_ok = {
        "higher": comparison.difference > 0,
        "lower": comparison.difference < 0,
        "different": comparison.difference != 0,
        "none": True,
    }[direction]
    outcome = comparison.outcome
    if direction == "none":
        verdict = {
            Outcome.NOT_SIGNIFICANT: Verdict.SUPPORTED,
            Outcome.NOT_SIGNIFICANT_ANYWAY: Verdict.SUPPORTED,
            Outcome.SIGNIFICANT: Verdict.NOT_SUPPORTED,
        }.get(outcome, Verdict.UNCHECKABLE)
    elif outcome == Outcome.SIGNIFICANT:
        verdict = Verdict.SUPPORTED if sign_ok else Verdict.NOT_SUPPORTED
    elif outcome in (Outcome.NOT_SIGNIFICANT, Outcome.NOT_SIGNIFICANT_ANYWAY):
        verdict = Verdict.NOT_SUPPORTED
    elif outcome == Outcome.CONDITIONAL:
        verdict = Verdict.CONDITIONAL if sign_ok else Verdict.NOT_SUPPORTED
    else:
        verdict = Verdict.UNCHECKABLE
    return ClaimCheck(verdict, comparison=comparison, direction=direction)


def check_rank_claim(table: LeagueTable, key: str, rank: int, of: int) -> ClaimCheck:
    """Does the league table support "place ``rank`` of ``of``"? Only if all ``of``
    units' figures are there; then the point rank must match, and the answer carries
    the rank interval."""
    row = table.row_for(key)
    check = ClaimCheck(
        Verdict.UNCHECKABLE,
        league_row=row,
        published_units=table.size,
        claimed_rank=rank,
        claimed_of=of,
    )
    if row is None or table.size != of:
        return check
    check.verdict = Verdict.SUPPORTED if row.rank == rank else Verdict.NOT_SUPPORTED
    return check


# --------------------------------------------------------------------------------------
# Results from the database


Populations = dict[tuple[str, str], int]


def population_table() -> Populations:
    """Inhabitants (Municipality.population) of every municipality, county and the
    country, from one query: keys ("municipality", code), ("county", code), ("country", "")."""
    # Models are imported where used, keeping this module importable without the app registry (the statistics tests).
    from tryggnav.areas.models import Municipality

    table: Populations = {}
    total = 0
    rows = Municipality.objects.values_list("code", "county_id", "population")
    for code, county, population in rows:
        if population is None:
            continue
        table[("municipality", code)] = population
        table[("county", county)] = table.get(("county", county), 0) + population
        total += population
    if total:
        table[("country", "")] = total
    return table


def _population(populations: Populations, unit_type: str, code: str) -> int | None:
    return populations.get((unit_type, "" if unit_type == "country" else code))


def population_weight(unit, whole, populations: Populations | None = None) -> float | None:
    """The unit's share of the whole's population (Municipality.population), or None for
    units without a population (areas of the source's own). Pass ``populations`` when
    weighing many units."""
    populations = population_table() if populations is None else populations
    part = _population(populations, unit.unit_type, unit.unit_code)
    total = _population(populations, whole.unit_type, whole.unit_code)
    if not part or not total or part >= total:
        return None
    return part / total


def wholes_of(result, candidates) -> list:
    """The results in ``candidates`` (same indicator and group) for the wholes that contain
    ``result``: an area's municipality, a municipality's county, and the country."""
    wanted = []
    if result.unit_type == "area" and result.municipality_id:
        wanted.append(("municipality", result.municipality_id))
    if result.unit_type in ("area", "municipality") and result.county_id:
        wanted.append(("county", result.county_id))
    if result.unit_type != "country":
        wanted.append(("country", "SE"))
    found = []
    for unit_type, code in wanted:
        match = next(
            (c for c in candidates if c.unit_type == unit_type and c.unit_code == code), None
        )
        if match is not None:
            found.append(match)
    return found


def compare_results(a, b, *, kind: str | None = None) -> Comparison:
    """Compare two results, choosing the test: unit against its whole when ``b`` contains
    ``a`` (with the population weight), otherwise independent samples."""
    labels = _labels(a, b)
    fa = Figure.from_result(a, labels[0])
    fb = Figure.from_result(b, labels[1])
    if kind is None:
        if (
            a.group == b.group
            and a.indicator.survey_id == b.indicator.survey_id
            and (b in wholes_of(a, [b]))
        ):
            kind = Kind.WHOLE
        elif a.unit_type == b.unit_type and a.unit_code == b.unit_code and a.group != b.group:
            kind = Kind.GROUPS
        elif a.indicator.survey.year != b.indicator.survey.year:
            kind = Kind.YEARS
        else:
            kind = Kind.UNITS
    weight = population_weight(a, b) if kind == Kind.WHOLE else None
    return compare(fa, fb, kind=kind, weight=weight)


def _labels(a, b) -> tuple[str, str]:
    """Names that tell the two apart: the unit, plus the group or the year where they differ."""

    def label(r, other) -> str:
        text = r.unit_name
        if r.group != other.group or (r.group != "alla" and r.unit_code == other.unit_code):
            text = f"{text}, {r.group}"
        if r.indicator.survey.year != other.indicator.survey.year:
            text = f"{text} {r.indicator.survey.year}"
        return text

    return label(a, b), label(b, a)


def series_of(result, visible):
    """The same indicator, unit and group in every visible year of the same survey series."""
    survey = result.indicator.survey
    return list(
        visible.filter(
            indicator__survey__provider=survey.provider,
            indicator__survey__name=survey.name,
            indicator__survey__is_generated=survey.is_generated,
            indicator__name=result.indicator.name,
            unit_type=result.unit_type,
            unit_code=result.unit_code,
            group=result.group,
        )
        .select_related("indicator__survey")
        .order_by("indicator__survey__year")
    )


def league_for(indicator, *, unit_type: str, group: str, county: str | None = None):
    """The league table of an indicator's units of one type and group (a county's
    municipalities when ``county`` is given), each compared with their common whole."""
    all_results = list(indicator.results.filter(group=group).select_related("indicator__survey"))
    results = [r for r in all_results if r.unit_type == unit_type]
    if county:
        results = [r for r in results if r.county_id == county]
    whole = None
    if results:
        wholes = [wholes_of(r, all_results) for r in results]
        firsts = {w[0].pk if w else None for w in wholes}
        if len(firsts) == 1 and None not in firsts:
            whole = wholes[0][0]
    weights = {}
    if whole:
        populations = population_table()
        weights = {str(r.public_id): population_weight(r, whole, populations) for r in results}
    table = league_table(
        [Figure.from_result(r) for r in results],
        whole=Figure.from_result(whole) if whole else None,
        weights={k: v for k, v in weights.items() if v is not None},
    )
    return table, results, whole


def check_claim(claim) -> ClaimCheck:
    if claim.kind == "rank":
        subject = claim.subject
        county = subject.county_id if subject.unit_type == "municipality" else None
        table, _results, _whole = league_for(
            claim.indicator, unit_type=subject.unit_type, group=subject.group, county=county
        )
        return check_rank_claim(table, str(subject.public_id), claim.rank or 0, claim.rank_of or 0)
    return check_difference_claim(compare_results(claim.subject, claim.other), claim.direction)
