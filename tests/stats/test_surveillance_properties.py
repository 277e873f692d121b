"""Invariants of the Farrington method (tryggnav.stats.surveillance) and of its steps:
the batched quasi-Poisson fit against a plain full-matrix IRLS, the structured solve
against numpy's, thresholds against scipy's quantiles, and edge cases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tryggnav.stats.surveillance import (
    _check_farrington_options,
    _counts,
    _design,
    _empty_outputs,
    _glm_matrices,
    _glm_quasipoisson,
    _normal_parts,
    _pearson_dispersion,
    _prediction_shift,
    _solve_structured,
    _store_rows,
    _threshold_delta,
    _threshold_negbin,
    _w_eta,
    farrington_flexible,
)

N_WEEKS = 200
LAST = [N_WEEKS - 1]


def design_for(k=N_WEEKS - 1, **kw):
    args = {"b": 3, "w": 3, "freq": 52, "no_periods": 1, "past_weeks_not_included": 3,
            "epoch": None} | kw  # fmt: skip
    return _design(k, N_WEEKS, **args)


def reference_irls(y, x, prior, iterations=100):
    """Poisson log-link IRLS with an explicit design matrix and numpy's solver."""
    beta = np.zeros(x.shape[1])
    eta = np.log(y + 0.1)
    for _ in range(iterations):
        mu = np.exp(eta)
        w = prior * mu
        z = eta + (y - mu) / mu
        xtwx = x.T @ (w[:, None] * x)
        beta_new = np.linalg.solve(xtwx, x.T @ (w * z))
        eta = x @ beta_new
        if np.allclose(beta_new, beta, rtol=1e-13, atol=1e-13):
            break
        beta = beta_new
    mu = np.exp(eta)
    dispersion = np.sum(prior * (y - mu) ** 2 / mu) / (np.sum(prior > 0) - x.shape[1])
    return beta_new, dispersion


@pytest.mark.parametrize("trend", [False, True])
def test_batched_fit_equals_a_plain_irls_per_series(trend):
    design = design_for(no_periods=3)
    rng = np.random.default_rng(8)
    n_series = 6
    level_rate = rng.uniform(3, 15, (n_series, design.n_levels))
    lam = level_rate[:, design.level] * np.exp(0.002 * design.t)[None, :]
    y = rng.poisson(lam).astype(float)
    y[2, :4] = np.nan  # missing weeks get prior weight 0
    counts = _counts(y)
    prior = counts.valid.astype(float)
    fit = _glm_quasipoisson(counts, prior, design, trend)
    x, _ = _glm_matrices(design, trend)
    for s in range(n_series):
        ref_beta, ref_disp = reference_irls(counts.y[s], x, prior[s])
        np.testing.assert_allclose(fit.beta[s], ref_beta[: design.n_levels], rtol=1e-7)
        if trend:
            assert fit.beta_t[s] == pytest.approx(ref_beta[-1], rel=1e-6, abs=1e-10)
        # R takes the dispersion with the working weights of the step before the last
        # (converged to a relative deviance change of 1e-8), so it agrees to about 1e-5;
        # a wrong residual df would be off by a percent.
        assert fit.dispersion[s] == pytest.approx(ref_disp, rel=1e-4)
    assert np.all(fit.converged)
    assert np.all(fit.rank == design.n_levels + int(trend))


def test_without_trend_each_level_is_fitted_by_its_mean():
    # Poisson with one indicator per level: the MLE of exp(beta_l) is the level's mean.
    design = design_for(no_periods=4)
    rng = np.random.default_rng(2)
    y = rng.poisson(7.0, (3, design.rows.size)).astype(float)
    fit = _glm_quasipoisson(_counts(y), np.ones_like(y), design, False)
    for lev in range(design.n_levels):
        np.testing.assert_allclose(
            np.exp(fit.beta[:, lev]), y[:, design.level == lev].mean(axis=1), rtol=1e-9
        )


@settings(max_examples=50, deadline=None)
@given(
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=2**31),
)
def test_structured_solve_equals_numpys_solve_of_the_full_system(n_levels, n_series, seed):
    rng = np.random.default_rng(seed)
    d = rng.uniform(1, 10, (n_series, n_levels))
    c = rng.uniform(-3, 3, (n_series, n_levels))
    # e large enough for a positive definite X'WX.
    e = np.sum(c * c / d, axis=1) + rng.uniform(0.5, 5, n_series)
    r = rng.normal(size=(n_series, n_levels))
    rt = rng.normal(size=n_series)
    beta, beta_t, c_ll, c_lt, c_tt, empty = _solve_structured(d, c, e, r, rt)
    assert not empty.any()
    for s in range(n_series):
        full = np.diag(np.append(d[s], e[s]))
        full[:n_levels, -1] = full[-1, :n_levels] = c[s]
        solution = np.linalg.solve(full, np.append(r[s], rt[s]))
        inverse = np.linalg.inv(full)
        np.testing.assert_allclose(beta[s], solution[:-1], rtol=1e-9, atol=1e-12)
        assert beta_t[s] == pytest.approx(solution[-1], rel=1e-9, abs=1e-12)
        np.testing.assert_allclose(c_ll[s], np.diag(inverse)[:-1], rtol=1e-9)
        np.testing.assert_allclose(c_lt[s], inverse[:-1, -1], rtol=1e-9, atol=1e-12)
        assert c_tt[s] == pytest.approx(inverse[-1, -1], rel=1e-9)


def test_structured_solve_gives_empty_levels_a_zero_coefficient():
    d = np.array([[4.0, 0.0, 2.0]])
    beta, _, c_ll, _, _, empty = _solve_structured(d, None, None, np.array([[8.0, 5.0, 1.0]]), None)
    assert empty.tolist() == [[False, True, False]]
    assert beta.tolist() == [[2.0, 0.0, 0.5]]
    assert c_ll.tolist() == [[0.25, 0.0, 0.5]]


@pytest.mark.parametrize("trend", [False, True])
def test_normal_parts_and_w_eta_equal_the_matrix_products(trend):
    design = design_for(no_periods=2)
    rng = np.random.default_rng(6)
    w = rng.uniform(0.5, 3, (2, design.rows.size))
    x, products = _glm_matrices(design, trend)
    d, c, e, w_x = _normal_parts(w @ products, design.n_levels, trend)
    coef = rng.normal(size=(2, x.shape[1]))
    for s in range(2):
        xtwx = x.T @ (w[s][:, None] * x)
        np.testing.assert_allclose(w_x[s], w[s] @ x)
        np.testing.assert_allclose(d[s], np.diag(xtwx)[: design.n_levels])
        np.testing.assert_allclose(
            _w_eta(coef, d, c, e, design.n_levels)[s], xtwx @ coef[s], rtol=1e-12
        )
    assert (c is None) == (not trend)


def test_pearson_dispersion_is_chi_square_over_residual_df():
    design = design_for()
    rng = np.random.default_rng(4)
    y = rng.poisson(20, (2, design.rows.size)).astype(float)
    prior = np.ones_like(y)
    prior[1, :5] = 0.0
    fit = _glm_quasipoisson(_counts(y), prior, design, False)
    for s in range(2):
        used = prior[s] > 0
        chi2 = np.sum(fit.work_w[s] * ((y[s] - fit.mu[s]) / fit.mu[s]) ** 2)
        expected = chi2 / (used.sum() - fit.rank[s])
        assert _pearson_dispersion(fit, y, prior)[s] == pytest.approx(expected, rel=1e-12)


def test_store_rows_copies_only_the_selected_series():
    design = design_for()
    y = np.random.default_rng(1).poisson(5, (4, design.rows.size)).astype(float)
    step = _glm_quasipoisson(_counts(y), np.ones_like(y), design, False)
    target = _glm_quasipoisson(_counts(y[:3] * 0 + 1), np.ones((3, y.shape[1])), design, False)
    before = target.beta.copy()
    _store_rows(target, np.array([2]), step, np.array([False, True, False, False]))
    np.testing.assert_array_equal(target.beta[2], step.beta[1])
    np.testing.assert_array_equal(target.beta[:2], before[:2])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=60), min_size=2, max_size=4, unique=True))
def test_threshold_rises_with_the_baseline_level(levels):
    # Constant series: expected = the level, and a higher level gives a higher bound.
    y = np.repeat(np.array(sorted(levels), dtype=float)[:, None], N_WEEKS, axis=1)
    for method in ("delta", "nbPlugin", "muan"):
        res = farrington_flexible(y, range=LAST, threshold_method=method, limit54=(0, 4))
        upper = res.upperbound[:, 0]
        assert np.all(np.diff(upper) > 0), method
        np.testing.assert_allclose(res.expected[:, 0], sorted(levels), rtol=1e-9)
        assert np.all(upper > res.expected[:, 0])


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=2**31), st.sampled_from([2, 3]))
def test_threshold_rises_when_all_counts_are_multiplied(seed, factor):
    y = np.random.default_rng(seed).poisson(6, N_WEEKS).astype(float)
    for method in ("delta", "nbPlugin"):
        low = farrington_flexible(y, range=LAST, threshold_method=method, limit54=(0, 4))
        high = farrington_flexible(factor * y, range=LAST, threshold_method=method,
                                   limit54=(0, 4))  # fmt: skip
        assert high.upperbound[0] >= low.upperbound[0], method


def test_a_count_far_above_the_threshold_alarms_and_the_score_exceeds_one():
    y = np.full(N_WEEKS, 10.0)
    y[-1] = 60.0
    res = farrington_flexible(y, range=LAST)
    assert bool(res.alarm[0]) and res.score[0] > 1 and res.pvalue[0] < 1e-6
    y[-1] = 10.0
    quiet = farrington_flexible(y, range=LAST)
    assert not quiet.alarm[0] and quiet.score[0] < 1


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=0.5, max_value=500),
    st.floats(min_value=1.0, max_value=8.0),
    st.floats(min_value=0.001, max_value=0.2),
)
def test_negative_binomial_threshold_is_the_smallest_upper_quantile(mu, phi, alpha):
    upper, _ = _threshold_negbin(np.array([mu]), np.array([phi]), np.array([0.0]), alpha)
    x = upper[0]
    if phi > 1:
        dist = stats.nbinom(mu / (phi - 1), 1 / phi)
    else:
        dist = stats.poisson(mu)
    assert dist.cdf(x) >= (1 - alpha) * (1 - 1e-12)
    assert x == 0 or dist.cdf(x - 1) < 1 - alpha


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=0.5, max_value=500),
    st.floats(min_value=0.0, max_value=3.0),
    st.floats(min_value=1.0, max_value=8.0),
    st.sampled_from(["none", "1/2", "2/3"]),
)
def test_delta_threshold_has_p_value_alpha_at_the_bound(mu, se, phi, power):
    fit, se_a, phi_a = np.array([mu]), np.array([se]), np.array([phi])
    upper, _ = _threshold_delta(fit, se_a, phi_a, np.array([0.0]), 0.05, power)
    _, p_at_bound = _threshold_delta(fit, se_a, phi_a, upper, 0.05, power)
    assert p_at_bound[0] == pytest.approx(0.05, rel=1e-9)
    wider, _ = _threshold_delta(fit, se_a, phi_a * 2, np.array([0.0]), 0.05, power)
    assert wider[0] > upper[0]


def test_all_zero_and_all_missing_series_raise_no_alarm():
    y = np.vstack([np.zeros(N_WEEKS), np.full(N_WEEKS, np.nan), np.full(N_WEEKS, 4.0)])
    with np.errstate(all="raise"):
        res = farrington_flexible(y, range=LAST)
    assert not res.alarm.any()
    assert np.isnan(res.upperbound[:2, 0]).all()  # fewer than five cases: no bound
    assert res.fitted[:, 0].tolist() == [True, False, True]
    assert np.isnan(res.pvalue[1, 0]) and np.isnan(res.phi[1, 0])
    assert res.expected[2, 0] == pytest.approx(4.0)


def test_very_large_counts_give_finite_results():
    y = np.full(N_WEEKS, 1e7)
    res = farrington_flexible(y, range=LAST)
    assert res.expected[0] == pytest.approx(1e7)
    assert np.isfinite(res.upperbound[0]) and res.upperbound[0] > 1e7


def test_short_history_gives_nan_instead_of_an_error():
    res = farrington_flexible(np.full(60, 5.0), range=[59])
    assert np.isnan(res.expected[0]) and not res.fitted[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold_method": "exact"}, "threshold_method"),
        ({"powertrans": "log"}, "powertrans"),
        ({"limit54": (5, 0)}, "limit54"),
        ({"epoch": "2024-01-01", "freq": 12}, "freq=52"),
    ],
)
def test_options_r_would_refuse_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        farrington_flexible(np.full(N_WEEKS, 3.0), **kwargs)


def test_negative_counts_are_refused_and_the_epoch_is_read_as_a_date():
    y = np.full((1, 10), 2.0)
    with pytest.raises(ValueError, match="non-negative"):
        _check_farrington_options(-y, "delta", "2/3", (5, 4), epoch=None, freq=52)
    epoch = _check_farrington_options(y, "delta", "2/3", (5, 4), epoch="2023-03-20", freq=52)
    assert epoch == dt.date(2023, 3, 20)


def test_empty_outputs_are_missing_and_false():
    out = _empty_outputs((2, 3))
    assert np.isnan(out["expected"]).all() and out["expected"].shape == (2, 3)
    assert out["alarm"].dtype == bool and not out["alarm"].any()


def test_prediction_shift_only_with_dates_and_leading_missing_weeks():
    design = design_for()
    y = np.full((2, design.rows.size), 3.0)
    y[1, :2] = np.nan
    counts = _counts(y)
    assert not _prediction_shift(counts, design, None).any()
    shift = _prediction_shift(counts, design, dt.date(2020, 1, 6))
    assert shift[0] == 0.0
    assert shift[1] == design.t[0] - design.t[2]
