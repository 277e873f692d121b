"""Tests of tryggnav.stats.evaluation: RES, WDQ, Poisson DiD (against statsmodels' GLM)
and synthetic control."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from tryggnav.stats.evaluation import (
    poisson_did,
    relative_effect_size,
    synthetic_control,
    weighted_displacement_quotient,
)

TOL = 1e-6


def did_design(n_areas: int, n_periods: int, d: np.ndarray) -> np.ndarray:
    """statsmodels design: intercept, area and period dummies, treatment indicator."""
    area = np.repeat(np.arange(n_areas), n_periods)
    period = np.tile(np.arange(n_periods), n_areas)
    x = np.zeros((n_areas * n_periods, n_areas + n_periods))
    x[:, 0] = 1.0
    rows = np.arange(area.size)
    x[rows[area > 0], area[area > 0]] = 1.0
    x[rows[period > 0], n_areas - 1 + period[period > 0]] = 1.0
    x[:, -1] = d
    return x


def simulate(n_areas, n_periods, treated, effect, *, seed, noise=0.15, start=None):
    rng = np.random.default_rng(seed)
    start = n_periods * 3 // 5 if start is None else start
    post = np.arange(n_periods) >= start
    area = rng.normal(1.5, 0.6, n_areas)
    week = 0.3 * np.sin(np.arange(n_periods) / 52 * 2 * np.pi)
    # AR(1) area-level noise: weekly counts are serially correlated, as real ones are.
    u = np.zeros((n_areas, n_periods))
    u[:, 0] = rng.normal(0, noise, n_areas)
    for t in range(1, n_periods):
        u[:, t] = 0.7 * u[:, t - 1] + rng.normal(0, noise * math.sqrt(1 - 0.49), n_areas)
    d = treated[:, None] & post[None, :]
    pop = rng.integers(2000, 20000, n_areas)
    mu = pop[:, None] / 5000 * np.exp(area[:, None] + week[None, :] + effect * d + u)
    return rng.poisson(mu), post, pop


# ---------------------------------------------------------------------------------
# Relative effect size


@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")
def test_res_matches_a_saturated_poisson_glm():
    sm = pytest.importorskip("statsmodels.api")
    a, b, c, d = 120, 80, 100, 105
    r = relative_effect_size(a, b, c, d)
    assert r.res == pytest.approx(a * d / (b * c), rel=1e-12)
    # log RES is minus the area x period interaction of a log-linear 2x2 model.
    y = np.array([a, b, c, d], float)
    x = np.array([[1, 0, 0, 0], [1, 1, 0, 0], [1, 0, 1, 0], [1, 1, 1, 1]], float)
    x[:, 2] = 1 - x[:, 2]  # treated indicator: rows a, b
    x[:, 3] = x[:, 1] * x[:, 2]
    fit = sm.GLM(y, x, family=sm.families.Poisson()).fit(tol=1e-13)
    assert -fit.params[3] == pytest.approx(math.log(r.res), rel=TOL)
    assert fit.bse[3] == pytest.approx(r.log_se, rel=TOL)
    assert r.low == pytest.approx(r.res * math.exp(-1.959963984540054 * r.log_se), rel=1e-12)
    assert r.relative_change == pytest.approx(1 / r.res - 1)


def test_res_single_area_is_never_called_significant():
    r = relative_effect_size(300, 150, 300, 310)  # a huge drop, CI far from 1
    assert r.low > 1
    assert r.significant is None
    assert "bara ett insatsområde" in r.explanation_sv
    assert "only one treated area" in r.explanation_en
    pooled = relative_effect_size(300, 150, 300, 310, treated_areas=4)
    assert pooled.significant is True
    null = relative_effect_size(100, 98, 100, 101, treated_areas=4)
    assert null.significant is False and "inte statistiskt säkerställd" in null.explanation_sv


def test_res_overdispersion_and_zero_counts():
    base = relative_effect_size(50, 30, 60, 58)
    od = relative_effect_size(50, 30, 60, 58, overdispersion=2.5)
    assert od.log_se == pytest.approx(base.log_se * math.sqrt(2.5))
    assert od.res == base.res and od.low < base.low and od.high > base.high
    z = relative_effect_size(4, 0, 10, 12)
    assert z.continuity_corrected and z.res == pytest.approx(4.5 * 12.5 / (0.5 * 10.5))
    with pytest.raises(ValueError):
        relative_effect_size(1, 2, 3, 4, overdispersion=0.5)


# ---------------------------------------------------------------------------------
# Weighted displacement quotient


def test_wdq_formulae_and_interpretation():
    r = weighted_displacement_quotient(100, 70, 80, 75, 500, 510)
    success = 70 / 510 - 100 / 500
    buffer = 75 / 510 - 80 / 500
    assert r.success_measure == pytest.approx(success)
    assert r.buffer_measure == pytest.approx(buffer)
    assert r.wdq == pytest.approx(buffer / success)
    assert r.total_net_effect == pytest.approx((100 * 510 / 500 - 70) + (80 * 510 / 500 - 75))
    assert r.interpretation == "diffusion" and r.significant is None
    cases = {
        (100, 70, 80, 40, 500, 500): "diffusion_greater",
        (100, 70, 80, 80, 500, 500): "none",
        (100, 70, 80, 90, 500, 500): "displacement",
        (100, 70, 80, 130, 500, 500): "displacement_greater",
        (100, 120, 80, 60, 500, 500): "no_success",
    }
    for args, label in cases.items():
        res = weighted_displacement_quotient(*args)
        assert res.interpretation == label, (args, res.wdq)
        assert res.explanation_sv and res.explanation_en
    # Net effect consistent with the label: displacement beyond the direct effect
    # means more crimes in area + buffer than expected.
    assert weighted_displacement_quotient(100, 70, 80, 130, 500, 500).total_net_effect < 0


# ---------------------------------------------------------------------------------
# Poisson DiD


@pytest.mark.parametrize("with_exposure", [False, True])
def test_did_matches_statsmodels_glm_cluster_and_hc0(with_exposure):
    sm = pytest.importorskip("statsmodels.api")
    n_a, n_t = 24, 52
    treated = np.zeros(n_a, bool)
    treated[:6] = True
    y, post, pop = simulate(n_a, n_t, treated, -0.3, seed=1)
    exposure = np.broadcast_to(pop[:, None] / 1000, y.shape) if with_exposure else None
    r = poisson_did(y, treated, post, exposure=exposure)
    d = (treated[:, None] & post[None, :]).ravel().astype(float)
    x = did_design(n_a, n_t, d)
    offset = np.log(exposure).ravel() if with_exposure else None
    glm = sm.GLM(y.ravel(), x, family=sm.families.Poisson(), offset=offset)
    cl = glm.fit(cov_type="cluster", cov_kwds={"groups": np.repeat(np.arange(n_a), n_t)})
    assert r.se_type == "cluster"
    assert r.coefficient == pytest.approx(cl.params[-1], rel=TOL)
    assert r.se == pytest.approx(cl.bse[-1], rel=TOL)
    assert r.rate_ratio == pytest.approx(math.exp(cl.params[-1]), rel=TOL)
    assert r.significant is True and r.high < 1
    # Few areas: the HC0 interval (with permutation inference) matches statsmodels HC0.
    few = poisson_did(y[:8], treated[:8], post, exposure=None if exposure is None else exposure[:8])
    hc0 = sm.GLM(
        y[:8].ravel(),
        did_design(8, n_t, d[: 8 * n_t]),
        family=sm.families.Poisson(),
        offset=None if offset is None else offset[: 8 * n_t],
    ).fit(cov_type="HC0")
    assert few.se_type == "HC0" and few.permutations == math.comb(8, 6)
    assert few.coefficient == pytest.approx(hc0.params[-1], rel=TOL)
    assert few.se == pytest.approx(hc0.bse[-1], rel=TOL)


def test_did_single_treated_area_uses_permutation_inference():
    n_a, n_t = 25, 40
    treated = np.zeros(n_a, bool)
    treated[3] = True
    y, post, _ = simulate(n_a, n_t, treated, -0.9, seed=2, noise=0.05)
    r = poisson_did(y, treated, post)
    assert r.n_treated == 1 and r.se_type == "none"
    assert math.isnan(r.low) and math.isnan(r.high)
    assert r.permutations == n_a and r.permutation_p_value == pytest.approx(1 / n_a)
    assert r.significant is True
    assert "permutationstest" in r.explanation_sv and "no valid confidence" in r.explanation_en
    # Ten areas: p can be no smaller than 0.1, so no conclusion at alpha = 0.05.
    small = poisson_did(y[:10], treated[:10], post)
    assert small.significant is None
    assert "dra någon slutsats" in small.explanation_sv
    assert "No conclusion" in small.explanation_en


def test_did_cluster_robust_keeps_its_size_where_naive_errors_do_not():
    # No effect, serially correlated counts: the cluster-robust test rejects at about
    # the nominal 5 %, the model-based Poisson SE far more often.
    rejected = naive_rejected = 0
    sims = 120
    for s in range(sims):
        treated = np.zeros(30, bool)
        treated[:10] = True
        y, post, _ = simulate(30, 30, treated, 0.0, seed=100 + s, noise=0.25)
        r = poisson_did(y, treated, post)
        rejected += bool(r.significant)
        # Model-based SE from the same fit: sqrt of the inverse Hessian's beta entry.
        from tryggnav.stats.evaluation import _fe_poisson

        d = treated[:, None].astype(float) * post[None, :]
        fit = _fe_poisson(y.astype(float), d, np.zeros(y.shape))
        se_model = math.sqrt(np.linalg.inv(fit.hessian)[-1, -1])
        naive_rejected += abs(fit.beta / se_model) > 1.96
    assert rejected / sims <= 0.11
    assert naive_rejected / sims >= 0.2


def test_did_drops_areas_and_periods_without_events():
    treated = np.zeros(15, bool)
    treated[:4] = True
    y, post, _ = simulate(15, 20, treated, -0.4, seed=3)
    y_ext = np.vstack([y, np.zeros((1, 20), int)])
    t_ext = np.append(treated, False)
    a = poisson_did(y, treated, post)
    b = poisson_did(y_ext, t_ext, post)
    assert b.n_areas == 15 and b.coefficient == pytest.approx(a.coefficient, rel=1e-10)
    with pytest.raises(ValueError):
        poisson_did(y, np.zeros(15, bool), post)


# ---------------------------------------------------------------------------------
# Synthetic control


def donors_panel(n_donors, n_periods, *, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(n_periods)
    level = rng.uniform(5, 20, n_donors)
    trend = rng.normal(0, 0.05, n_donors)
    season = rng.uniform(0, 2, n_donors)
    return (
        level
        + trend * t[:, None]
        + season * np.sin(2 * np.pi * t[:, None] / 12)
        + rng.normal(0, 0.3, (n_periods, n_donors))
    )


def test_synthetic_control_recovers_known_weights_and_effect():
    y0 = donors_panel(12, 48, seed=4)
    w_true = np.zeros(12)
    w_true[[1, 4, 7]] = [0.5, 0.3, 0.2]
    y1 = y0 @ w_true
    y1[36:] -= 3.0  # the measure lowers the rate by 3 from period 36
    r = synthetic_control(y1, y0, 36)
    np.testing.assert_allclose(r.weights, w_true, atol=1e-6)
    assert r.pre_rmspe < 1e-6
    assert r.effect == pytest.approx(-3.0, abs=1e-5)
    assert r.weights.min() >= 0 and r.weights.sum() == pytest.approx(1.0, abs=1e-12)
    # Twelve donors: the placebo p-value cannot reach 0.05.
    assert r.p_value == pytest.approx(1 / 13) and r.significant is None
    assert "kan placebotestet inte ge" in r.explanation_sv


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_synthetic_control_weights_are_optimal():
    y0 = donors_panel(15, 40, seed=5)
    y1 = donors_panel(1, 40, seed=6)[:, 0] * 0.9 + 1.0
    r = synthetic_control(y1, y0, 30, placebo=False)
    x, y = y0[:30], y1[:30]

    def obj(w):
        return float(np.sum((y - x @ w) ** 2))

    ref = optimize.minimize(
        obj,
        np.full(15, 1 / 15),
        method="trust-constr",
        constraints=[optimize.LinearConstraint(np.ones((1, 15)), 1, 1)],
        bounds=optimize.Bounds(0, 1),
        options={"gtol": 1e-12, "xtol": 1e-12, "maxiter": 5000},
    )
    assert obj(r.weights) <= ref.fun + 1e-8
    # KKT: donors with weight have equal gradient; the rest a gradient at least as large.
    g = -2 * x.T @ (y - x @ r.weights)
    active = r.weights > 1e-8
    lam = g[active].mean()
    assert np.allclose(g[active], lam, atol=1e-5 * max(1, abs(lam)))
    assert np.all(g[~active] >= lam - 1e-5 * max(1, abs(lam)))
    assert r.significant is None and r.p_value is None


def test_synthetic_control_placebo_inference():
    y0 = donors_panel(24, 48, seed=7)
    rng = np.random.default_rng(8)
    w = rng.dirichlet(np.ones(24) * 0.3)
    y1 = y0 @ w + rng.normal(0, 0.1, 48)
    hit = y1.copy()
    hit[36:] -= 4.0
    r = synthetic_control(hit, y0, 36)
    assert r.p_value == pytest.approx(1 / 25) and r.significant is True
    assert r.placebo_ratios.shape == (24,) and np.all(r.placebo_ratios < r.ratio)
    assert "statistiskt säkerställd" in r.explanation_sv
    none = synthetic_control(y1, y0, 36)
    assert none.significant is False and none.p_value > 0.05
