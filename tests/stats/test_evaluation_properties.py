"""Invariants of the evaluation methods (tryggnav.stats.evaluation): the Poisson DiD
against its closed form and its reparametrisations, recovery of a known effect, the
assignments of the permutation test, and the synthetic control on exact mixtures."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tryggnav.stats.evaluation import (
    _did_data,
    _fe_poisson,
    _permutation_inference,
    _placebo_ratios,
    _significance_words,
    _synthetic_fit,
    _synthetic_text,
    _treatment_assignments,
    poisson_did,
    synthetic_control,
)


def panel(n_areas, n_periods, treated, log_effect, *, seed, base=20.0, noise=0.0):
    """Poisson counts with area and period effects and a multiplicative measure effect."""
    rng = np.random.default_rng(seed)
    post = np.arange(n_periods) >= n_periods // 2
    area = rng.uniform(0.5, 2.0, n_areas)
    period = np.exp(0.2 * np.sin(np.arange(n_periods) / 3))
    lam = base * area[:, None] * period[None, :]
    lam = lam * np.exp(log_effect * (treated[:, None] & post[None, :]))
    if noise:
        lam = lam * rng.gamma(1 / noise, noise, (n_areas, 1))
    return rng.poisson(lam), post


def effect_of(y, treated, post, off=None):
    d = treated[:, None].astype(float) * post[None, :].astype(float)
    return _fe_poisson(np.asarray(y, float), d, np.zeros(y.shape) if off is None else off).beta


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=500), min_size=4, max_size=4))
def test_two_by_two_did_is_the_log_cross_ratio(cells):
    # Saturated 2 x 2: beta = log(y11 y00 / (y10 y01)) exactly.
    y00, y01, y10, y11 = cells
    y = np.array([[y00, y01], [y10, y11]], dtype=float)
    beta = effect_of(y, np.array([False, True]), np.array([False, True]))
    assert beta == pytest.approx(math.log(y11 * y00 / (y10 * y01)), rel=1e-8, abs=1e-10)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=2**31), st.integers(min_value=1, max_value=4))
def test_swapping_treated_and_control_or_before_and_after_negates_the_effect(seed, n_treated):
    treated = np.zeros(8, bool)
    treated[:n_treated] = True
    y, post = panel(8, 10, treated, -0.3, seed=seed)
    beta = effect_of(y, treated, post)
    assert effect_of(y, ~treated, post) == pytest.approx(-beta, abs=1e-8)
    assert effect_of(y, treated, ~post) == pytest.approx(-beta, abs=1e-8)


@settings(max_examples=20, deadline=None)
@given(
    st.integers(min_value=0, max_value=2**31),
    st.floats(min_value=0.1, max_value=50.0),
    st.lists(st.floats(min_value=0.2, max_value=5.0), min_size=6, max_size=6),
)
def test_effect_ignores_scale_of_counts_and_area_exposures(seed, scale, exposure):
    treated = np.array([True, True, False, False, False, False])
    y, post = panel(6, 8, treated, 0.4, seed=seed)
    beta = effect_of(y, treated, post)
    # Poisson MLE: scaling every count scales the fitted means and leaves beta.
    assert effect_of(y * scale, treated, post) == pytest.approx(beta, abs=1e-8)
    # A constant exposure per area is absorbed by the area effect.
    off = np.log(np.repeat(np.array(exposure)[:, None], 8, axis=1))
    assert effect_of(y, treated, post, off) == pytest.approx(beta, abs=1e-8)


def test_did_recovers_a_known_effect_within_its_interval():
    true_rr = 0.7
    treated = np.zeros(24, bool)
    treated[:8] = True
    covered = 0
    estimates = []
    sims = 40
    for s in range(sims):
        y, post = panel(24, 20, treated, math.log(true_rr), seed=500 + s, noise=0.05)
        r = poisson_did(y, treated, post)
        assert r.se_type == "cluster"
        assert r.low < r.rate_ratio < r.high
        covered += r.low <= true_rr <= r.high
        estimates.append(math.log(r.rate_ratio))
    # Nominal 95 %: with 40 data sets, fewer than 33 covered would be very unlikely.
    assert covered >= 33
    assert np.mean(estimates) == pytest.approx(math.log(true_rr), abs=0.03)


def test_large_counts_pin_the_rate_ratio_down():
    treated = np.zeros(12, bool)
    treated[:4] = True
    y, post = panel(12, 10, treated, math.log(1.25), seed=3, base=1e6)
    r = poisson_did(y, treated, post)
    assert r.rate_ratio == pytest.approx(1.25, rel=2e-3)
    assert r.significant is True and r.high / r.low < 1.01


def test_no_effect_without_events_or_without_contrast_is_refused():
    treated = np.array([True, False, False])
    post = np.array([False, True])
    with pytest.raises(ValueError, match="treated and control"):
        poisson_did(np.zeros((3, 2)), treated, post)
    with pytest.raises(ValueError, match="treated and control"):
        poisson_did(np.ones((3, 2)), treated, np.array([True, True]))
    with pytest.raises(ValueError, match="areas x periods"):
        poisson_did(np.ones(3), treated, post)


def test_did_data_drops_empty_areas_and_periods_with_their_exposure():
    y = np.array([[0, 0, 0], [3, 0, 4], [5, 0, 1]])
    exposure = np.array([[1, 1, 1], [2, 2, 2], [4, 4, 4]])
    y2, off2, tr, po = _did_data(y, [True, True, False], [False, True, True], exposure)
    assert y2.tolist() == [[3, 4], [5, 1]]
    np.testing.assert_allclose(off2, np.log([[2, 2], [4, 4]]))
    assert tr.tolist() == [True, False] and po.tolist() == [False, True]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=3, max_value=9), st.data())
def test_all_assignments_when_few_and_the_observed_first_when_sampled(n_areas, data):
    n_treated = data.draw(st.integers(min_value=1, max_value=n_areas - 1))
    treated = np.zeros(n_areas, bool)
    treated[data.draw(st.permutations(range(n_areas)))[:n_treated]] = True
    sets, total = _treatment_assignments(n_areas, treated, max_permutations=1000, seed=1)
    assert total == math.comb(n_areas, n_treated) == len(sets)
    assert len({tuple(sorted(s)) for s in sets}) == total
    assert tuple(np.flatnonzero(treated)) in {tuple(sorted(s)) for s in sets}
    if total > 3:
        sampled, _ = _treatment_assignments(n_areas, treated, max_permutations=3, seed=1)
        assert len(sampled) == 3
        assert sorted(sampled[0]) == list(np.flatnonzero(treated))
        assert all(len(set(s)) == n_treated for s in sampled)


def test_permutation_inference_counts_assignments_at_least_as_extreme():
    treated = np.zeros(6, bool)
    treated[0] = True
    y, post = panel(6, 8, treated, -1.0, seed=9)
    d = treated[:, None].astype(float) * post[None, :]
    fit = _fe_poisson(y.astype(float), d, np.zeros(y.shape))
    coefs = np.array([fit.beta, 0.1, -0.2, 2 * fit.beta, 0.0, 0.05])
    res = _permutation_inference(fit, y.astype(float), d, coefs, 6, 1, 0.05)
    assert res.p_value == pytest.approx(2 / 6)
    assert res.significant is None  # 1/6 > 0.05: no permutation test can decide
    assert math.isnan(res.low) and res.se_type == "none"
    res = _permutation_inference(fit, y.astype(float), d, coefs, 6, 1, 0.5)
    assert res.significant is True and "permutationstest" in res.explanation_sv


def test_significance_words_in_both_languages():
    assert _significance_words(True) == ("statistiskt säkerställd", "statistically significant")
    assert _significance_words(False)[1] == "not statistically significant"


# ---------------------------------------------------------------------------------
# Synthetic control


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=0, max_value=2**31),
    st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=4, max_size=4).filter(
        lambda w: sum(w) > 0.1
    ),
    st.floats(min_value=-5.0, max_value=5.0),
)
def test_synthetic_control_recovers_a_convex_mixture_and_its_effect(seed, raw, effect):
    rng = np.random.default_rng(seed)
    donors = rng.uniform(5, 20, (24, 4)) + np.arange(24)[:, None] * rng.normal(0, 0.3, 4)
    weights = np.array(raw) / sum(raw)
    treated = donors @ weights
    treated[16:] += effect
    res = synthetic_control(treated, donors, 16, placebo=False)
    assert np.all(res.weights >= 0) and res.weights.sum() == pytest.approx(1.0)
    assert res.pre_rmspe < 1e-4
    assert res.effect == pytest.approx(effect, abs=1e-3)
    np.testing.assert_allclose(res.synthetic + res.gap, treated, atol=1e-12)


def test_synthetic_fit_and_placebo_ratios_by_definition():
    rng = np.random.default_rng(4)
    donors = rng.uniform(5, 20, (20, 5))
    w, gap = _synthetic_fit(donors[:, 0], donors[:, 1:], 12)
    np.testing.assert_allclose(gap, donors[:, 0] - donors[:, 1:] @ w)
    ratios = _placebo_ratios(donors, 12)
    assert ratios.shape == (5,)
    rmspe = np.sqrt(np.mean(gap[12:] ** 2)) / np.sqrt(np.mean(gap[:12] ** 2))
    assert ratios[0] == pytest.approx(rmspe)


def test_synthetic_control_with_an_effect_ranks_first_among_placebos():
    rng = np.random.default_rng(7)
    donors = rng.uniform(8, 12, (30, 24)) + np.linspace(0, 3, 30)[:, None]
    treated = donors[:, :3].mean(axis=1)
    treated[20:] += 6.0
    res = synthetic_control(treated, donors, 20)
    assert res.p_value == pytest.approx(1 / 25)
    assert res.significant is True and "rangordnas 1 av 25" in res.explanation_sv


def test_synthetic_text_names_each_case():
    sv, en = _synthetic_text(1.5, 10, 0.05)
    assert "Utan placebotest" in sv and "Without a placebo test" in en
    sv, en = _synthetic_text(1.5, 10, 0.05, rank=2, p_value=2 / 11, sig=None)
    assert "kan placebotestet inte ge" in sv and "cannot reach p <= 0.05" in en
    sv, en = _synthetic_text(1.5, 30, 0.05, rank=1, p_value=1 / 31, sig=True)
    assert "rangordnas 1 av 31" in sv and "statistically significant" in en


def test_synthetic_control_refuses_bad_shapes():
    with pytest.raises(ValueError, match="periods x donors"):
        synthetic_control([1, 2, 3], np.ones((4, 2)), 2)
    with pytest.raises(ValueError, match="pre-periods"):
        synthetic_control([1, 2, 3], np.ones((3, 2)), 3)
    with pytest.raises(ValueError, match="two donors"):
        synthetic_control([1, 2, 3], np.ones((3, 1)), 2)
