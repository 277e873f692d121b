"""Invariants of the survey comparisons and league tables (tryggnav.surveys.analysis),
checked with hypothesis against the closed forms of the z tests; and the choices of
the indicator page."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
from django.http import Http404
from django.test import RequestFactory
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from tryggnav.surveys.analysis import (
    ALPHA,
    Figure,
    Kind,
    Outcome,
    _competition_ranks,
    compare,
    league_table,
)
from tryggnav.surveys.views import _unit_type_and_group

Z = stats.norm.ppf(1 - ALPHA / 2)

shares = st.floats(min_value=0.02, max_value=0.98)
ses = st.floats(min_value=0.002, max_value=0.08)
weights = st.floats(min_value=0.01, max_value=0.45)
middle = st.floats(min_value=0.3, max_value=0.7)
small_ses = st.floats(min_value=0.002, max_value=0.04)
signs = st.sampled_from([-1.0, 1.0])


def apart(pa: float, se: float, sign: float, factor: float) -> float:
    """A share ``factor`` critical values (of ``se``) away from ``pa``."""
    return pa + sign * factor * Z * se


def two_sided(z: float) -> float:
    return float(2 * stats.norm.sf(abs(z)))


@settings(max_examples=100, deadline=None)
@given(shares, ses, shares, ses)
def test_independent_comparison_is_the_z_test_and_antisymmetric(pa, sa, pb, sb):
    a, b = Figure("a", pa, se=sa), Figure("b", pb, se=sb)
    ab, ba = compare(a, b), compare(b, a)
    expected = two_sided((pa - pb) / math.hypot(sa, sb))
    assert ab.p_value == pytest.approx(expected, rel=1e-9, abs=1e-300)
    assert ba.p_value == pytest.approx(ab.p_value, rel=1e-12, abs=1e-300)
    assert ba.difference == -ab.difference
    assert ab.outcome == ba.outcome
    assert ab.low <= ab.difference <= ab.high
    assert ab.method == "independent_se" and ab.weight is None


@settings(max_examples=100, deadline=None)
@given(shares, ses, shares, ses, weights)
def test_unit_against_its_whole_uses_the_covariance(pu, su, pw, sw, w):
    unit, whole = Figure("u", pu, se=su), Figure("w", pw, se=sw)
    c = compare(unit, whole, kind=Kind.WHOLE, weight=w)
    # Var(u - W) with W = w u + (1 - w) rest: (1 - 2w) Var(u) + Var(W).
    expected = two_sided((pu - pw) / math.sqrt((1 - 2 * w) * su * su + sw * sw))
    assert c.p_value == pytest.approx(expected, rel=1e-8, abs=1e-300)
    assert c.method == "whole" and c.weight == w


def test_whole_without_weight_is_compared_as_independent_and_says_so():
    c = compare(Figure("u", 0.6, se=0.02), Figure("w", 0.5, se=0.01), kind=Kind.WHOLE)
    assert c.method == "independent_se" and c.weight is None
    assert c.notes == ["whole_without_weight"]
    assert c.p_value == pytest.approx(two_sided(0.1 / math.hypot(0.02, 0.01)))


@settings(max_examples=100, deadline=None)
@given(middle, small_ses, signs, st.floats(min_value=1.05, max_value=3.0))
def test_condition_is_the_unknown_se_at_which_the_test_is_just_significant(pa, sa, sign, k):
    pb = apart(pa, sa, sign, k)  # beyond the critical value even with a known b
    a, b = Figure("a", pa, se=sa), Figure("b", pb)
    c = compare(a, b)
    assert c.outcome == Outcome.CONDITIONAL and c.condition and c.condition > 0
    at_bound = compare(a, Figure("b", pb, se=c.condition))
    assert at_bound.p_value == pytest.approx(ALPHA, rel=1e-6)
    assert compare(a, Figure("b", pb, se=c.condition * 0.99)).outcome == Outcome.SIGNIFICANT
    assert compare(a, Figure("b", pb, se=c.condition * 1.01)).outcome == (Outcome.NOT_SIGNIFICANT)


@settings(max_examples=100, deadline=None)
@given(middle, small_ses, signs, st.floats(min_value=1.05, max_value=3.0), weights, st.booleans())
def test_condition_against_a_whole_with_either_side_unknown(pu, s, sign, k, w, unit_unknown):
    pw = apart(pu, s, sign, k)
    if unit_unknown:
        unit, whole = Figure("u", pu), Figure("w", pw, se=s)
    else:
        unit, whole = Figure("u", pu, se=s), Figure("w", pw)
    c = compare(unit, whole, kind=Kind.WHOLE, weight=w)
    assert c.outcome == Outcome.CONDITIONAL and c.condition and c.condition > 0
    assert c.notes == (["unknown_a"] if unit_unknown else [])
    if unit_unknown:
        filled = compare(Figure("u", pu, se=c.condition), whole, kind=Kind.WHOLE, weight=w)
    else:
        filled = compare(unit, Figure("w", pw, se=c.condition), kind=Kind.WHOLE, weight=w)
    assert filled.p_value == pytest.approx(ALPHA, rel=1e-6)


@settings(max_examples=100, deadline=None)
@given(
    middle,
    small_ses,
    signs,
    st.floats(min_value=0.0, max_value=0.95),
    st.floats(min_value=0.0, max_value=0.2),
    st.booleans(),
)
def test_not_significant_anyway_holds_for_every_unknown_se(pa, sa, sign, k, other_se, swap):
    pb = apart(pa, sa, sign, k)  # within the critical value of the known side alone
    known, unknown = Figure("k", pa, se=sa), Figure("u", pb)
    a, b = (unknown, known) if swap else (known, unknown)
    c = compare(a, b)
    assert c.outcome == Outcome.NOT_SIGNIFICANT_ANYWAY
    assert c.significant is False and c.p_value >= ALPHA
    filled = Figure("u", pb, se=other_se) if other_se > 0 else Figure("u", pb, n=10**9)
    a2, b2 = (filled, known) if swap else (known, filled)
    assert compare(a2, b2).outcome == Outcome.NOT_SIGNIFICANT


@settings(max_examples=100, deadline=None)
@given(shares, shares)
def test_needed_n_is_the_smallest_sample_that_would_settle_the_difference(pa, pb):
    assume(abs(pa - pb) > 0.005)
    c = compare(Figure("a", pa), Figure("b", pb))
    assert c.outcome == Outcome.UNCHECKABLE and c.significant is None
    n = c.needed_n
    assert n is not None
    var_unit = pa * (1 - pa) + pb * (1 - pb)
    assert abs(pa - pb) / math.sqrt(var_unit / n) >= Z * (1 - 1e-12)
    if n > 1:
        assert abs(pa - pb) / math.sqrt(var_unit / (n - 1)) < Z


def test_equal_unknown_figures_need_no_sample_size():
    c = compare(Figure("a", 0.5), Figure("b", 0.5))
    assert c.outcome == Outcome.UNCHECKABLE and c.needed_n is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=25), st.booleans())
def test_competition_ranks_equal_scipys_min_rank(values, higher_first):
    figures = [Figure(str(i), v / 20) for i, v in enumerate(values)]
    signed = [-v if higher_first else v for v in values]
    expected = stats.rankdata(signed, method="min").astype(int).tolist()
    assert _competition_ranks(figures, higher_first) == expected


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.tuples(shares, ses), min_size=2, max_size=8, unique_by=lambda t: t[0]),
    st.booleans(),
)
def test_league_table_rows_are_ordered_and_rank_intervals_contain_the_rank(items, higher):
    figures = [Figure(f"u{i}", p, se=s, key=f"k{i}") for i, (p, s) in enumerate(items)]
    table = league_table(figures, higher_first=higher)
    estimates = [r.figure.estimate for r in table.rows]
    assert estimates == sorted(estimates, reverse=higher)
    assert [r.rank for r in table.rows] == list(range(1, len(items) + 1))
    assert table.has_intervals and not table.missing
    for row in table.rows:
        assert 1 <= row.rank_low <= row.rank <= row.rank_high <= len(items)
        assert row.simultaneous_low <= row.rank_low and row.rank_high <= row.simultaneous_high
        assert row.versus_whole is None


def test_league_table_without_every_uncertainty_gives_point_ranks_and_names_the_gaps():
    figures = [Figure("A", 0.7, se=0.02), Figure("B", 0.6), Figure("C", 0.6, n=300)]
    table = league_table(figures, whole=Figure("W", 0.62, se=0.01), weights={})
    assert not table.has_intervals and table.missing == ["B"]
    assert [r.rank for r in table.rows] == [1, 2, 2]  # ties share the better rank
    assert all(r.rank_low is None for r in table.rows)
    assert table.method_marginal == ""
    # Every unit is still compared with the whole.
    assert [r.versus_whole.outcome for r in table.rows][1] == Outcome.CONDITIONAL


def test_league_table_of_one_unit_has_no_intervals():
    table = league_table([Figure("A", 0.4, se=0.01)])
    assert table.size == 1 and not table.has_intervals and table.rows[0].rank == 1


def test_lower_first_reverses_the_order_and_the_intervals():
    figures = [Figure(f"u{i}", p, se=0.01, key=f"k{i}") for i, p in enumerate([0.2, 0.5, 0.8])]
    high = league_table(figures, higher_first=True)
    low = league_table(figures, higher_first=False)
    assert [r.figure.key for r in high.rows] == [r.figure.key for r in reversed(low.rows)]
    for r_high, r_low in zip(high.rows, reversed(low.rows), strict=True):
        assert r_high.rank + r_low.rank == 4
        assert r_high.rank_low + r_low.rank_high == 4


# ---------------------------------------------------------------------------------
# The indicator page's choice of unit type and group


def results_of(*pairs):
    return [SimpleNamespace(unit_type=t, group=g) for t, g in pairs]


def request(**params):
    return RequestFactory().get("/", params)


def test_defaults_are_municipalities_and_everyone():
    results = results_of(("county", "kvinnor"), ("municipality", "alla"), ("county", "alla"))
    unit_types, groups, unit_type, group = _unit_type_and_group(request(), results)
    assert [t.value for t in unit_types] == ["county", "municipality"]
    assert groups == ["alla", "kvinnor"]
    assert (unit_type, group) == ("municipality", "alla")


def test_without_municipalities_the_first_unit_type_present_is_chosen():
    results = results_of(("area", "män"), ("county", "män"))
    _, groups, unit_type, group = _unit_type_and_group(request(), results)
    assert unit_type == "county" and group == "män" and groups == ["män"]


def test_chosen_unit_type_and_group_are_kept():
    results = results_of(("county", "kvinnor"), ("municipality", "alla"))
    *_, unit_type, group = _unit_type_and_group(request(typ="county", grupp="kvinnor"), results)
    assert (unit_type, group) == ("county", "kvinnor")


@pytest.mark.parametrize("params", [{"typ": "planet"}, {"grupp": "barn"}])
def test_unknown_unit_type_or_group_is_not_found(params):
    with pytest.raises(Http404):
        _unit_type_and_group(request(**params), results_of(("municipality", "alla")))


def test_no_results_still_gives_a_page():
    unit_types, groups, unit_type, group = _unit_type_and_group(request(), [])
    assert unit_types == [] and groups == []
    assert (unit_type, group) == ("municipality", "alla")
