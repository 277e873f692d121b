"""Intervals, comparisons, league tables and the wording of what the figures support."""

from __future__ import annotations

import math

import pytest

from tryggnav.surveys import text
from tryggnav.surveys.analysis import (
    Basis,
    Figure,
    Kind,
    Outcome,
    Verdict,
    adjust_holm,
    check_difference_claim,
    check_rank_claim,
    compare,
    league_table,
    uncertainty,
)

Z = 1.959963984540054

HUDDINGE = Figure("Huddinge", 0.63, ci_low=0.59, ci_high=0.68, key="huddinge")
COUNTY = Figure("Stockholms län", 0.70, key="lan")
SWEDEN = Figure("Sverige", 0.73, key="se")
# Huddinge's share of the county's population (2024: 116 000 of 2.5 million).
W_COUNTY = 0.046


def test_published_interval_is_shown_and_se_derived_from_it():
    u = uncertainty(HUDDINGE)
    assert u.basis == Basis.PUBLISHED
    assert (u.low, u.high) == (0.59, 0.68)
    assert u.se == pytest.approx((0.68 - 0.59) / (2 * Z))
    assert "(övre − nedre) / (2 · 1,96)" in u.explanation()
    assert "2,3 procentenheter" in u.explanation()


def test_se_gives_a_wald_interval():
    u = uncertainty(Figure("A", 0.61, se=0.02))
    assert (u.basis, u.method) == (Basis.SE, "wald")
    assert u.low == pytest.approx(0.61 - Z * 0.02)
    assert u.high == pytest.approx(0.61 + Z * 0.02)
    assert "Wald" in u.explanation()


def test_n_and_deff_give_a_wald_interval_with_the_effective_sample():
    u = uncertainty(Figure("A", 0.5, n=900, deff=2.25))
    assert (u.basis, u.method) == (Basis.N_DEFF, "wald")
    # n_eff = 400: SE = sqrt(0.25 / 400) = 0.025
    assert u.high - 0.5 == pytest.approx(Z * 0.025)
    assert "designeffekten 2,25" in u.explanation()


def test_n_only_gives_a_wilson_interval():
    u = uncertainty(Figure("A", 0.0, n=20))
    assert (u.basis, u.method) == (Basis.N, "wilson")
    # Wilson at x = 0: upper bound z²/(n + z²), unlike Wald's degenerate 0–0.
    assert u.low == 0
    assert u.high == pytest.approx(Z * Z / (20 + Z * Z))
    assert "Wilson" in u.explanation()


def test_without_n_se_or_interval_the_uncertainty_is_unknown():
    u = uncertainty(SWEDEN)
    assert u.basis == Basis.NONE and not u.known
    assert "osäkerheten är okänd" in u.explanation()
    assert text.with_interval(u) == "73 % (osäkerhet okänd)"


def test_swedish_number_formats():
    assert text.pct(0.63) == "63 %"
    assert text.pct(0.635) == "63,5 %"
    assert text.interval(0.59, 0.68) == "59–68 %"
    assert text.p_text(0.0123) == "p = 0,01"
    assert text.p_text(0.0049) == "p = 0,005"
    assert text.p_text(0.00001) == "p < 0,001"
    assert text.points(-0.028) == "2,8 procentenheter"


def test_significant_difference_is_called_significant_with_p():
    c = compare(Figure("A", 0.63, se=0.02), Figure("B", 0.70, se=0.01))
    z = -0.07 / math.sqrt(0.02**2 + 0.01**2)
    assert c.p_value == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(abs(z) / math.sqrt(2)))))
    assert c.outcome == Outcome.SIGNIFICANT
    assert c.sentence() == "A (63 %) jämfört med B (70 %): signifikant lägre än B (p = 0,002)."


def test_small_difference_is_no_established_difference():
    c = compare(Figure("A", 0.63, se=0.02), Figure("B", 0.65, se=0.02))
    assert c.outcome == Outcome.NOT_SIGNIFICANT
    assert "ingen säkerställd skillnad mot B (p = 0,48)" in c.sentence()
    assert "signifikant" not in c.sentence()


def test_n_only_uses_the_pooled_test():
    # prop.test(c(60, 45), c(100, 100), correct = FALSE): X-squared = 4.5113, p = 0.03367
    c = compare(Figure("A", 0.60, n=100), Figure("B", 0.45, n=100))
    assert c.method == "independent_n"
    assert c.p_value == pytest.approx(0.03367, abs=1e-5)


def test_unit_against_its_whole_uses_the_population_weight():
    unit = Figure("Kommun", 0.63, se=0.023)
    whole = Figure("Län", 0.66, se=0.006)
    weighted = compare(unit, whole, kind=Kind.WHOLE, weight=0.2)
    independent = compare(unit, whole, kind=Kind.UNITS)
    # Var(d) = Var(u)(1 − 2w) + Var(W): smaller than the independent Var(u) + Var(W).
    assert weighted.method == "whole" and weighted.weight == 0.2
    z = -0.03 / math.sqrt(0.023**2 * (1 - 2 * 0.2) + 0.006**2)
    assert weighted.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    assert weighted.p_value < independent.p_value
    assert "utgör 20 % av befolkningen i Län" in text.comparison_method(weighted)


# The statements of the seed document (Huddinge's follow-up 2021).


def test_seed_huddinge_lower_than_county_holds_unless_the_county_se_is_large():
    c = compare(HUDDINGE, COUNTY, kind=Kind.WHOLE, weight=W_COUNTY)
    assert c.outcome == Outcome.CONDITIONAL
    se_h = (0.68 - 0.59) / (2 * Z)
    bound = math.sqrt((0.07 / Z) ** 2 - (1 - 2 * W_COUNTY) * se_h**2)
    assert c.condition == pytest.approx(bound)
    assert "2,8 procentenheter" in c.sentence()
    assert "kan inte kontrolleras helt utifrån de publicerade siffrorna" in c.sentence()
    check = check_difference_claim(c, "lower")
    assert check.verdict == Verdict.CONDITIONAL


def test_seed_huddinge_against_sweden():
    c = compare(HUDDINGE, SWEDEN, kind=Kind.WHOLE, weight=0.011)
    assert c.outcome == Outcome.CONDITIONAL
    assert check_difference_claim(c, "lower").verdict == Verdict.CONDITIONAL
    # The opposite claim is refuted outright.
    assert check_difference_claim(c, "higher").verdict == Verdict.NOT_SUPPORTED


def test_seed_areas_without_n_cannot_be_checked():
    central = Figure("Mellersta Huddinge", 0.77)
    east = Figure("Östra Huddinge", 0.54)
    c = compare(central, east)
    assert c.outcome == Outcome.UNCHECKABLE
    assert c.significant is None
    # 1.96² (0.77·0.23 + 0.54·0.46) / 0.23² = 30.9
    assert c.needed_n == 31
    assert "kan inte kontrolleras utifrån de publicerade siffrorna" in c.sentence()
    assert check_difference_claim(c, "different").verdict == Verdict.UNCHECKABLE


def test_seed_rank_16_of_21_cannot_be_checked_from_three_published_values():
    table = league_table([HUDDINGE, Figure("Vaxholm", 0.91), Figure("Upplands Väsby", 0.49)])
    assert not table.has_intervals
    assert table.row_for("huddinge").rank == 2
    check = check_rank_claim(table, "huddinge", 16, 21)
    assert check.verdict == Verdict.UNCHECKABLE
    assert "bara 3 har publicerade värden" in check.explanation()


def test_a_difference_too_small_is_settled_without_the_missing_se():
    c = compare(HUDDINGE, Figure("Län", 0.65), kind=Kind.WHOLE, weight=W_COUNTY)
    assert c.outcome == Outcome.NOT_SIGNIFICANT_ANYWAY
    assert c.significant is False
    assert "ingen säkerställd skillnad" in c.sentence()


def test_holm_correction_can_remove_significance():
    a = compare(Figure("A", 0.60, se=0.01), Figure("W", 0.5715, se=0.01))
    b = compare(Figure("B", 0.60, se=0.01), Figure("W", 0.5700, se=0.01))
    pa, pb = a.p_value, b.p_value
    assert pb < pa < 0.05
    adjust_holm([a, b])
    assert b.p_adjusted == pytest.approx(2 * pb)
    assert a.p_adjusted == pytest.approx(max(2 * pb, pa))
    assert a.outcome == Outcome.NOT_SIGNIFICANT
    assert "Holm-justerat" in a.sentence()


def test_league_table_with_rank_intervals_and_holm_against_the_whole():
    figures = [
        Figure(f"K{i}", share, se=0.02, key=f"k{i}")
        for i, share in enumerate([0.91, 0.80, 0.78, 0.72, 0.70, 0.63, 0.49])
    ]
    whole = Figure("Län", 0.70, se=0.005)
    table = league_table(figures, whole=whole, weights={f.key: 0.1 for f in figures})
    assert table.has_intervals
    assert [r.rank for r in table.rows] == [1, 2, 3, 4, 5, 6, 7]
    for row in table.rows:
        assert row.rank_low <= row.rank <= row.rank_high
        assert row.simultaneous_low <= row.rank <= row.simultaneous_high
    assert table.rows[0].rank_low == 1 and table.rows[0].rank_high == 1
    # K1 and K2 (80 % and 78 %) cannot be told apart.
    assert table.rows[1].rank_high >= 3
    assert all(r.versus_whole.p_adjusted is not None for r in table.rows)
    assert table.rows[0].versus_whole.outcome == Outcome.SIGNIFICANT
    assert table.rows[4].versus_whole.outcome == Outcome.NOT_SIGNIFICANT
    assert text.rank_text(table.rows[5], 7).startswith("plats 6 av 7 (osäkerhetsintervall ")
    check = check_rank_claim(table, "k5", 6, 7)
    assert check.verdict == Verdict.SUPPORTED
    assert check_rank_claim(table, "k5", 4, 7).verdict == Verdict.NOT_SUPPORTED
