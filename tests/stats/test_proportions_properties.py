"""Invariants of the share intervals in tryggnav.stats.proportions, by property-based
testing (hypothesis) and against independent references (scipy, closed forms)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from tryggnav.stats.proportions import (
    _CHUNK,
    METHODS,
    _beta_confint,
    _beta_limits,
    _closed_form,
    _closed_form_blocks,
    _quantile,
    confint,
)

# Methods whose interval always contains the estimate (Wald and logit are symmetric
# around it on their scale, the score and exact intervals contain the MLE x/n).
CONTAINING = ("wald", "wilson", "clopper_pearson", "logit")
# Methods whose limits move monotonically with the confidence level.
NESTED = ("wald", "wilson", "clopper_pearson", "jeffreys", "logit")

counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)
levels = st.floats(min_value=0.001, max_value=0.5)


def _interior(x: int, n: int) -> bool:
    return 0 < x < n


@settings(max_examples=200, deadline=None)
@given(counts, st.sampled_from(METHODS), levels)
def test_limits_are_ordered_and_inside_the_unit_interval(xn, method, alpha):
    x, n = xn
    low, high = confint(x / n, n, method=method, alpha=alpha)
    if method == "logit" and not _interior(x, n):
        assert math.isnan(low) and math.isnan(high)
        return
    assert 0.0 <= low <= high <= 1.0


@settings(max_examples=200, deadline=None)
@given(counts, st.sampled_from(CONTAINING), levels)
def test_interval_contains_the_estimate(xn, method, alpha):
    x, n = xn
    if method == "logit" and not _interior(x, n):
        return
    p = x / n
    low, high = confint(p, n, method=method, alpha=alpha)
    assert low <= p * (1 + 1e-12) and p <= high * (1 + 1e-12)


@settings(max_examples=200, deadline=None)
@given(counts, st.sampled_from(NESTED), levels, levels)
def test_interval_widens_as_the_confidence_level_rises(xn, method, a1, a2):
    x, n = xn
    if method == "logit" and not _interior(x, n):
        return
    strict, loose = min(a1, a2), max(a1, a2)  # smaller alpha: higher confidence
    low_wide, high_wide = confint(x / n, n, method=method, alpha=strict)
    low_narrow, high_narrow = confint(x / n, n, method=method, alpha=loose)
    assert low_wide <= low_narrow + 1e-12
    assert high_wide >= high_narrow - 1e-12


@settings(max_examples=200, deadline=None)
@given(counts, st.sampled_from(METHODS), levels)
def test_interval_of_the_complement_is_the_mirror_image(xn, method, alpha):
    x, n = xn
    if method == "logit" and not _interior(x, n):
        return
    low, high = confint(x / n, n, method=method, alpha=alpha)
    low_c, high_c = confint((n - x) / n, n, method=method, alpha=alpha)
    assert low_c == pytest.approx(1 - high, abs=1e-9)
    assert high_c == pytest.approx(1 - low, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(counts, levels)
def test_clopper_pearson_equals_scipy_exact_interval(xn, alpha):
    x, n = xn
    ref = stats.binomtest(x, n).proportion_ci(confidence_level=1 - alpha, method="exact")
    low, high = confint(x / n, n, method="clopper_pearson", alpha=alpha)
    assert low == pytest.approx(ref.low, rel=1e-9, abs=1e-12)
    assert high == pytest.approx(ref.high, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(counts, levels)
def test_wilson_equals_scipy_score_interval(xn, alpha):
    x, n = xn
    ref = stats.binomtest(x, n).proportion_ci(confidence_level=1 - alpha, method="wilson")
    low, high = confint(x / n, n, method="wilson", alpha=alpha)
    assert low == pytest.approx(ref.low, rel=1e-9, abs=1e-12)
    assert high == pytest.approx(ref.high, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(counts, levels, st.floats(min_value=1.0, max_value=4.0))
def test_wald_with_a_design_effect_is_the_closed_form(xn, alpha, deff):
    x, n = xn
    p = x / n
    z = special.ndtri(1 - alpha / 2)
    half = z * math.sqrt(p * (1 - p) * deff / n)
    low, high = confint(p, n, method="wald", alpha=alpha, deff=deff)
    assert low == pytest.approx(max(p - half, 0.0), abs=1e-12)
    assert high == pytest.approx(min(p + half, 1.0), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=300),
    # scipy's binomial pmf overflows at subnormal p, so the ends are taken exactly.
    st.one_of(st.just(0.0), st.just(1.0), st.floats(min_value=1e-9, max_value=1 - 1e-9)),
)
def test_exact_intervals_cover_at_least_the_nominal_level(n, p):
    # Coverage computed exactly: the binomial probability of the outcomes whose
    # interval contains p. Clopper-Pearson guarantees at least 1 - alpha.
    x = np.arange(n + 1)
    low, high = confint(x / n, np.full(n + 1, n), method="clopper_pearson")
    covered = (low <= p) & (p <= high)
    coverage = stats.binom.pmf(x[covered], n, p).sum()
    assert coverage >= 0.95 - 1e-9


def test_simulated_coverage_of_exact_and_score_intervals():
    rng = np.random.default_rng(11)
    p_true, n = 0.13, 80
    x = rng.binomial(n, p_true, size=20000)
    for method, floor in (("clopper_pearson", 0.95), ("wilson", 0.93), ("jeffreys", 0.93)):
        low, high = confint(x / n, np.full(x.size, n), method=method)
        coverage = np.mean((low <= p_true) & (p_true <= high))
        # Binomial SE of the simulated coverage is about 0.0015.
        assert coverage >= floor - 0.005, method
    low, high = confint(x / n, np.full(x.size, n), method="wald")
    # Wald undercovers for small np (Brown, Cai and DasGupta 2001): that is why the
    # surveys use Wilson when only n is known.
    assert np.mean((low <= p_true) & (p_true <= high)) < 0.95


@pytest.mark.parametrize("method", METHODS)
def test_scalar_call_equals_the_vectorised_element(method):
    p = np.array([0.05, 0.3, 0.5, 0.91])
    n = np.array([40, 120, 7, 1000])
    low, high = confint(p, n, method=method, alpha=0.1)
    for i in range(p.size):
        lo, hi = confint(float(p[i]), int(n[i]), method=method, alpha=0.1)
        assert isinstance(lo, float) and isinstance(hi, float)
        assert lo == pytest.approx(low[i], rel=1e-14)
        assert hi == pytest.approx(high[i], rel=1e-14)


@pytest.mark.parametrize("method", ["wald", "wilson", "agresti_coull", "logit"])
def test_blocks_give_the_same_limits_as_one_pass(method):
    rng = np.random.default_rng(3)
    size = 2 * _CHUNK + 17  # two full blocks and a partial one
    p = rng.uniform(0.01, 0.99, size)
    n = rng.integers(5, 3000, size).astype(float)
    q = _quantile(0.05, None)
    low, high = _closed_form_blocks(method, q, p, n, None, 1.3)
    low1, high1 = _closed_form(method, q, p, n, None, 1.3)
    np.testing.assert_array_equal(low, low1)
    np.testing.assert_array_equal(high, high1)
    assert np.shape(low) == (size,)


def test_blocks_keep_the_broadcast_shape():
    rng = np.random.default_rng(4)
    p = rng.uniform(0.1, 0.9, (3, _CHUNK))
    n = np.array([[50.0], [500.0], [5000.0]])
    low, high = _closed_form_blocks("wilson", _quantile(0.05, None), p, n, None, 1.0)
    assert np.shape(low) == (3, _CHUNK)
    # A larger sample gives a narrower interval at the same share.
    widths = np.asarray(high) - np.asarray(low)
    same = np.broadcast_to(p[0], (3, _CHUNK))
    low_same, high_same = _closed_form_blocks("wilson", _quantile(0.05, None), same, n, None, 1.0)
    width_same = np.asarray(high_same) - np.asarray(low_same)
    assert np.all(width_same[0] > width_same[1]) and np.all(width_same[1] > width_same[2])
    assert np.all(widths > 0)


@settings(max_examples=60, deadline=None)
@given(counts, levels)
def test_korn_graubard_with_df_n_minus_one_is_clopper_pearson(xn, alpha):
    # The Korn-Graubard factor (t_{n-1} / t_df)^2 is 1 at df = n - 1.
    x, n = xn
    if n < 3:
        return
    p = np.array([x / n])
    kg = _beta_confint("clopper_pearson", p, n, None, 1.0, alpha=alpha, df=n - 1)
    cp = _beta_confint("clopper_pearson", p, n, None, 1.0, alpha=alpha, df=None)
    np.testing.assert_allclose(kg, cp, rtol=1e-12, atol=1e-15)


def test_korn_graubard_with_few_degrees_of_freedom_is_wider():
    p = np.array([0.2, 0.5, 0.8])
    se = np.array([0.03, 0.04, 0.03])
    low_kg, high_kg = confint(p, 400, method="clopper_pearson", se=se, df=8)
    low_cp, high_cp = confint(p, 400, method="clopper_pearson", se=se)
    assert np.all(low_kg < low_cp) and np.all(high_kg > high_cp)


def test_beta_limits_reduce_repeated_pairs_without_changing_them():
    # Above _UNIQUE_FROM values the limits are computed once per distinct (x, n).
    rng = np.random.default_rng(5)
    n = rng.choice([10.0, 20.0, 30.0], size=9000)
    x = np.floor(rng.uniform(0, 1, 9000) * (n + 1))
    x = np.minimum(x, n)
    for shift in (0.0, 0.5):
        low, high = _beta_limits(x, n, 0.05, shift)
        ref_low = np.where(x > 0, special.betaincinv(x + shift, n - x + 1 - shift, 0.025), 0.0)
        ref_high = np.where(x < n, special.betaincinv(x + 1 - shift, n - x + shift, 0.975), 1.0)
        np.testing.assert_array_equal(low, ref_low)
        np.testing.assert_array_equal(high, ref_high)


def test_jeffreys_is_the_equal_tailed_beta_posterior_interval():
    x, n = 7, 31
    low, high = confint(x / n, n, method="jeffreys")
    post = stats.beta(x + 0.5, n - x + 0.5)
    assert low == pytest.approx(post.ppf(0.025), rel=1e-10)
    assert high == pytest.approx(post.ppf(0.975), rel=1e-10)


@pytest.mark.parametrize("method", METHODS)
def test_missing_estimate_gives_missing_limits(method):
    low, high = confint(np.array([np.nan, 0.4]), 50, method=method)
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert 0 < low[1] < 0.4 < high[1] < 1


@pytest.mark.parametrize("method", METHODS)
def test_zero_or_negative_n_is_refused(method):
    with pytest.raises(ValueError, match="n must be positive"):
        confint(0.5, 0, method=method)
    with pytest.raises(ValueError, match="n must be positive"):
        confint(np.array([0.5, 0.2]), np.array([10, -1]), method=method)


@pytest.mark.parametrize("method", ["wald", "wilson", "clopper_pearson", "jeffreys"])
def test_one_observation(method):
    low0, high0 = confint(0.0, 1, method=method)
    low1, high1 = confint(1.0, 1, method=method)
    assert low0 == 0.0 and high1 == 1.0
    # One observation is mirrored by the other outcome.
    assert high0 == pytest.approx(1 - low1, abs=1e-12)


def test_very_large_samples_shrink_to_the_normal_interval():
    n = 10**9
    for method in METHODS:
        low, high = confint(0.5, n, method=method)
        half = special.ndtri(0.975) * math.sqrt(0.25 / n)
        assert low == pytest.approx(0.5 - half, rel=1e-6), method
        assert high == pytest.approx(0.5 + half, rel=1e-6), method


def test_bad_arguments_give_clear_errors():
    with pytest.raises(ValueError, match=r"share in \[0, 1\]"):
        confint(-0.1, 10, method="wald")
    with pytest.raises(ValueError, match="unknown method"):
        confint(0.5, 10, method="exact")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="give n"):
        confint(0.5, method="wilson")
    with pytest.raises(ValueError, match="alpha"):
        confint(0.5, 10, method="wald", alpha=1.5)
    with pytest.raises(ValueError, match="deff must be positive"):
        confint(0.5, 10, method="wald", deff=0)
    with pytest.raises(ValueError, match="needs n"):
        confint(0.5, se=0.05, df=10, method="clopper_pearson")
    with pytest.raises(ValueError, match="p = 0 or 1"):
        confint(0.0, se=0.05, method="wilson")


def test_design_se_implies_the_effective_sample_size():
    # With se = sqrt(p(1-p)/m), every method equals the same method at n = m.
    p, m = 0.3, 250.0
    se = math.sqrt(p * (1 - p) / m)
    for method in ("wilson", "agresti_coull", "clopper_pearson", "jeffreys"):
        with_se = confint(p, 1000, method=method, se=se)
        with_n = confint(p, m, method=method)
        assert with_se == pytest.approx(with_n, rel=1e-10), method
