"""Tests of tryggnav.stats.proportions against R (fixtures from make_proportions_fixtures.R)
and statsmodels."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from tryggnav.stats import multiple
from tryggnav.stats.proportions import (
    METHODS,
    benjamini_hochberg,
    binom_test,
    compare_shares,
    compare_unit_with_whole,
    confint,
    effective_sample_size,
    fdr_reject,
    funnel_limits,
    funnel_overdispersion,
    holm,
    prop_test,
    rank_confidence_sets,
    rank_intervals_bootstrap,
)

FIXTURES = Path(__file__).parent / "fixtures"
TOL = 1e-6


def read_csv(name: str) -> dict[str, np.ndarray]:
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, np.ndarray] = {}
    for key in rows[0]:
        col = [r[key] for r in rows]
        try:
            out[key] = np.array([np.nan if v == "NA" else float(v) for v in col])
        except ValueError:
            out[key] = np.array(col)
    return out


def max_rel(a, b) -> float:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    assert a.shape == b.shape
    assert np.array_equal(np.isfinite(a), np.isfinite(b))
    ok = np.isfinite(b)
    return float(np.max(np.abs(a[ok] - b[ok]) / np.maximum(np.abs(b[ok]), 1e-12), initial=0))


# ---------------------------------------------------------------------------------
# survey::svyciprop


@pytest.fixture(scope="module")
def svy() -> dict[str, np.ndarray]:
    d = read_csv("proportions_svyciprop.csv")
    keep = d["se"] > 0  # a domain without cases: R's intervals are degenerate there
    return {k: v[keep] for k, v in d.items()}


def test_wald_with_design_se_matches_svyciprop_mean(svy):
    for i, level in enumerate(svy["level"]):
        low, high = confint(
            svy["estimate"][i], method="wald", se=svy["se"][i], df=svy["df"][i], alpha=1 - level
        )
        assert max_rel([low, high], np.clip([svy["mean_low"][i], svy["mean_high"][i]], 0, 1)) < TOL


def test_wald_vectorised_over_rows_equals_row_by_row(svy):
    levels = np.unique(svy["level"])
    for level in levels:
        m = svy["level"] == level
        low, high = confint(
            svy["estimate"][m], method="wald", se=svy["se"][m], df=34, alpha=1 - level
        )
        assert max_rel(low, np.clip(svy["mean_low"][m], 0, 1)) < TOL
        assert max_rel(high, svy["mean_high"][m]) < TOL


def test_logit_with_design_se_matches_svyciprop_logit_and_xlogit(svy):
    for i, level in enumerate(svy["level"]):
        low, high = confint(
            svy["estimate"][i], method="logit", se=svy["se"][i], df=svy["df"][i], alpha=1 - level
        )
        assert max_rel([low, high], [svy["logit_low"][i], svy["logit_high"][i]]) < TOL
        assert max_rel([low, high], [svy["xlogit_low"][i], svy["xlogit_high"][i]]) < TOL


def test_korn_graubard_matches_svyciprop_beta(svy):
    for i, level in enumerate(svy["level"]):
        low, high = confint(
            svy["estimate"][i],
            svy["n"][i],
            method="clopper_pearson",
            se=svy["se"][i],
            df=svy["df"][i],
            alpha=1 - level,
        )
        assert max_rel([low, high], [svy["beta_low"][i], svy["beta_high"][i]]) < TOL


def test_korn_graubard_is_clopper_pearson_at_the_effective_sample_size(svy):
    p, se, n, df = svy["estimate"], svy["se"], svy["n"], svy["df"]
    alpha = 1 - svy["level"]
    t_ratio = stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, df)
    n_kg = p * (1 - p) / se**2 * t_ratio**2
    for i in range(p.size):
        kg = confint(p[i], n[i], method="clopper_pearson", se=se[i], df=df[i], alpha=alpha[i])
        cp = confint(p[i], n_kg[i], method="clopper_pearson", alpha=alpha[i])
        assert max_rel(kg, cp) < 1e-12
    # Without df, a design effect gives Clopper-Pearson at n / deff.
    lo1, hi1 = confint(p, n, method="clopper_pearson", deff=svy["deff"])
    lo2, hi2 = confint(p, effective_sample_size(n, svy["deff"]), method="clopper_pearson")
    assert max_rel(lo1, lo2) < 1e-12 and max_rel(hi1, hi2) < 1e-12


def test_design_effect_widens_every_method():
    for method in METHODS:
        lo1, hi1 = confint(0.63, 800, method=method)
        lo2, hi2 = confint(0.63, 800, method=method, deff=2.0)
        assert lo2 < lo1 and hi2 > hi1, method
        assert confint(0.63, 400, method=method) == pytest.approx((lo2, hi2), rel=1e-12)


# ---------------------------------------------------------------------------------
# binom.test, prop.test, p.adjust


def test_binom_test_matches_r():
    d = read_csv("proportions_binom.csv")
    for i in range(d["x"].size):
        x, n = int(d["x"][i]), int(d["n"][i])
        r = binom_test(x, n, p=0.3)
        assert max_rel([r.low, r.high], [d["cp_low"][i], d["cp_high"][i]]) < TOL
        assert max_rel([r.p_value], [d["binom_p"][i]]) < TOL
        r90 = binom_test(x, n, alpha=0.10)
        assert max_rel([r90.low, r90.high], [d["cp90_low"][i], d["cp90_high"][i]]) < TOL


def test_prop_test_without_correction_is_wilson_and_matches_r():
    d = read_csv("proportions_binom.csv")
    for i in range(d["x"].size):
        r = prop_test(d["x"][i], d["n"][i], p=0.3)
        assert max_rel([r.low, r.high], [d["wilson_low"][i], d["wilson_high"][i]]) < TOL
        assert max_rel([r.p_value], [d["prop_p"][i]]) < TOL
    low, high = confint(d["x"] / d["n"], d["n"], method="wilson")
    assert max_rel(low, d["wilson_low"]) < TOL and max_rel(high, d["wilson_high"]) < TOL


def test_two_sample_prop_test_matches_r():
    d = read_csv("proportions_prop2.csv")
    r = compare_shares(d["x1"] / d["n1"], d["x2"] / d["n2"], n1=d["n1"], n2=d["n2"])
    assert max_rel(r.p_value, d["p_value"]) < TOL
    assert max_rel(r.low, d["low"]) < TOL
    assert max_rel(r.high, d["high"]) < TOL
    assert max_rel(r.z**2, d["statistic"]) < TOL


def test_multiple_testing_reexports_match_p_adjust():
    d = read_csv("proportions_padjust.csv")
    assert holm is multiple.holm and benjamini_hochberg is multiple.benjamini_hochberg
    assert max_rel(holm(d["p"]), d["holm"]) < TOL
    assert max_rel(benjamini_hochberg(d["p"]), d["bh"]) < TOL
    assert np.array_equal(fdr_reject(d["p"], q=0.05), d["bh"] <= 0.05)


# ---------------------------------------------------------------------------------
# statsmodels


STATSMODELS = {
    "normal": "wald",
    "agresti_coull": "agresti_coull",
    "beta": "clopper_pearson",
    "wilson": "wilson",
    "jeffreys": "jeffreys",
}


@pytest.mark.parametrize("sm_method", sorted(STATSMODELS))
def test_confint_matches_statsmodels_proportion_confint(sm_method):
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    n = np.repeat([1, 7, 30, 250, 1000, 20000], 40)
    rng = np.random.default_rng(3)
    x = np.minimum(rng.integers(0, n + 1), n)
    x[::40] = 0
    x[1::40] = n[1::40]
    for alpha in (0.05, 0.10, 0.002):
        sm_low, sm_high = proportion.proportion_confint(x, n, alpha=alpha, method=sm_method)
        low, high = confint(x / n, n, method=STATSMODELS[sm_method], alpha=alpha)
        inner = (x > 0) & (x < n)
        if sm_method == "jeffreys":
            # Brown, Cai and DasGupta put the limit at 0 (1) for x = 0 (n);
            # statsmodels takes the plain beta quantile there.
            assert np.all(low[x == 0] == 0) and np.all(high[x == n] == 1)
            assert max_rel(low[inner], sm_low[inner]) < TOL
            assert max_rel(high[inner], sm_high[inner]) < TOL
            assert max_rel(high[x == 0], sm_high[x == 0]) < TOL
            continue
        sm_low, sm_high = np.clip(sm_low, 0, 1), np.clip(sm_high, 0, 1)
        assert np.max(np.abs(low - sm_low)) < 1e-12 or max_rel(low, sm_low) < TOL
        assert np.max(np.abs(high - sm_high)) < 1e-12 or max_rel(high, sm_high) < TOL


def test_scalar_and_vector_calls_agree():
    p = np.array([0.0, 0.01, 0.5, 0.63, 0.99, 1.0])
    for method in METHODS:
        low, high = confint(p, 300, method=method, deff=1.4)
        for i, pi in enumerate(p):
            lo, hi = confint(float(pi), 300, method=method, deff=1.4)
            assert isinstance(lo, float)
            np.testing.assert_allclose([lo, hi], [low[i], high[i]], rtol=1e-12)
        assert np.all((np.nan_to_num(low) >= 0) & (np.nan_to_num(high, nan=1) <= 1))


def test_large_inputs_take_the_distinct_pairs_path_and_agree():
    rng = np.random.default_rng(9)
    n = rng.integers(20, 40, 20000).astype(float)
    x = rng.binomial(n.astype(int), 0.3)
    for method in ("clopper_pearson", "jeffreys"):
        low, high = confint(x / n, n, method=method)
        idx = rng.choice(n.size, 50, replace=False)
        small = confint(x[idx] / n[idx], n[idx], method=method)
        np.testing.assert_allclose(low[idx], small[0], rtol=1e-14)
        np.testing.assert_allclose(high[idx], small[1], rtol=1e-14)
        low1, high1 = confint(x / 30, 30, method=method)  # one n for all
        np.testing.assert_allclose(low1[:50], confint(x[:50] / 30, 30, method=method)[0])


def test_seed_huddinge_interval_is_reproduced_by_an_scb_like_design():
    # 63 % (59-68) in the seed: a Wald interval with a design SE of about 2.3 points.
    low, high = confint(0.63, method="wald", se=0.023)
    assert round(low * 100) == 58 or round(low * 100) == 59
    assert round(high * 100) == 67 or round(high * 100) == 68


# ---------------------------------------------------------------------------------
# Unit against whole


def test_unit_against_county_both_methods_agree_and_beat_the_naive_test():
    # Huddinge 63 % (SE 2.3) against Stockholm county 70 % (SE 0.6); Huddinge holds
    # about 4.6 % of the county's population.
    cov = compare_unit_with_whole(0.63, 0.023, 0.70, 0.006, unit_share=0.046)
    rest = compare_unit_with_whole(0.63, 0.023, 0.70, 0.006, unit_share=0.046, method="rest")
    assert cov.z == pytest.approx(rest.z, rel=1e-12)
    assert cov.p_value == pytest.approx(rest.p_value, rel=1e-12)
    assert cov.p_value < 0.05  # the seed: the county's share is significantly higher
    naive = compare_shares(0.63, 0.70, se1=0.023, se2=0.006)
    assert naive.p_value > cov.p_value  # ignoring the overlap is conservative
    assert rest.rest_estimate == pytest.approx((0.70 - 0.046 * 0.63) / 0.954)
    # Re-weighting identity: p_whole = w p_unit + (1 - w) p_rest, and the variances too.
    w = 0.046
    var_whole = w**2 * 0.023**2 + (1 - w) ** 2 * rest.rest_se**2
    assert var_whole == pytest.approx(0.006**2, rel=1e-12)


def test_unit_against_whole_by_simulation():
    # Simulate a county of 10 municipalities; the covariance formula's SE must match
    # the Monte Carlo SD of p_unit - p_whole.
    rng = np.random.default_rng(11)
    sizes = np.array([3000, 1500, 800, 6000, 2500, 900, 1200, 4000, 700, 2200.0])
    n = np.array([400, 300, 250, 600, 400, 250, 300, 500, 200, 350])
    p = rng.uniform(0.5, 0.85, sizes.size)
    w = sizes / sizes.sum()
    est = rng.binomial(n, p, size=(40000, sizes.size)) / n
    whole = est @ w
    sim_sd = np.std(est[:, 0] - whole)
    se_u = np.sqrt(p[0] * (1 - p[0]) / n[0])
    se_w = np.sqrt(np.sum(w**2 * p * (1 - p) / n))
    r = compare_unit_with_whole(p[0], se_u, p @ w, se_w, unit_share=w[0])
    assert r.se == pytest.approx(sim_sd, rel=0.02)


def test_unit_against_whole_rejects_impossible_inputs():
    with pytest.raises(ValueError):
        compare_unit_with_whole(0.6, 0.05, 0.7, 0.001, unit_share=0.5, method="rest")


# ---------------------------------------------------------------------------------
# Ranks: the seed's 21 municipalities of Stockholm county (synthetic but plausible
# shares and SEs; Vaxholm highest at 91 %, Upplands Väsby lowest at 49 %, Huddinge
# 63 % on place 16 of 21).

COUNTY = {
    "Vaxholm": 0.91, "Danderyd": 0.89, "Lidingö": 0.86, "Ekerö": 0.85, "Täby": 0.84,
    "Vallentuna": 0.82, "Österåker": 0.81, "Värmdö": 0.80, "Nacka": 0.78, "Tyresö": 0.76,
    "Salem": 0.74, "Nykvarn": 0.73, "Upplands-Bro": 0.70, "Järfälla": 0.68,
    "Nynäshamn": 0.66, "Huddinge": 0.63, "Sundbyberg": 0.62, "Sigtuna": 0.58,
    "Södertälje": 0.56, "Botkyrka": 0.55, "Upplands Väsby": 0.49,
}  # fmt: skip
NAMES = list(COUNTY)
SHARES = np.array(list(COUNTY.values()))
RESPONDENTS = np.array([420, 480, 520, 470, 560, 450, 500, 510, 640, 500, 380, 330, 450,
                        560, 430, 620, 520, 480, 600, 630, 500])  # fmt: skip
SE = np.sqrt(SHARES * (1 - SHARES) * 1.35 / RESPONDENTS)  # design effect 1.35


def test_huddinge_is_ranked_16_of_21_with_an_interval():
    hud = NAMES.index("Huddinge")
    for res in (
        rank_confidence_sets(SHARES, SE, seed=1),
        rank_confidence_sets(SHARES, SE, simultaneous=True, seed=1),
        rank_intervals_bootstrap(SHARES, SE, seed=1),
    ):
        assert res.rank[hud] == 16 and res.rank[0] == 1 and res.rank[-1] == 21
        assert res.lower[hud] <= 16 <= res.upper[hud]
        assert res.lower[hud] > 1 and res.upper[hud] <= 21
        assert np.all(res.lower <= res.upper) and np.all(res.lower >= 1)
    # With SEs of about 2 points, Huddinge cannot be told apart from its neighbours.
    marg = rank_confidence_sets(SHARES, SE, seed=1)
    assert marg.upper[hud] - marg.lower[hud] >= 4


def test_simultaneous_sets_contain_marginal_sets():
    for stepdown in (True, False):
        m = rank_confidence_sets(SHARES, SE, seed=5, stepdown=stepdown)
        s = rank_confidence_sets(SHARES, SE, seed=5, stepdown=stepdown, simultaneous=True)
        assert np.all(s.lower <= m.lower) and np.all(s.upper >= m.upper)
        assert np.sum(s.upper - s.lower) > np.sum(m.upper - m.lower)


def test_stepdown_is_never_wider_than_single_step():
    for simultaneous in (False, True):
        a = rank_confidence_sets(SHARES, SE, seed=2, simultaneous=simultaneous)
        b = rank_confidence_sets(SHARES, SE, seed=2, simultaneous=simultaneous, stepdown=False)
        assert np.all(a.lower >= b.lower) and np.all(a.upper <= b.upper)


@pytest.mark.parametrize("simultaneous", [False, True])
def test_rank_sets_widen_monotonically_with_larger_se(simultaneous):
    prev = None
    for factor in (0.25, 0.5, 1.0, 2.0, 4.0):
        res = rank_confidence_sets(SHARES, SE * factor, seed=4, simultaneous=simultaneous)
        if prev is not None:
            assert np.all(res.lower <= prev.lower) and np.all(res.upper >= prev.upper)
        prev = res
    assert np.all(prev.lower == 1) or np.sum(prev.upper - prev.lower) > 15 * 21 / 2
    tiny = rank_confidence_sets(SHARES, SE * 0.01, seed=4, simultaneous=simultaneous)
    assert np.array_equal(tiny.lower, tiny.rank) and np.array_equal(tiny.upper, tiny.rank)


def test_rank_sets_cover_the_true_ranks_in_simulation():
    # Known truth: the county's shares. 200 simulated surveys; the marginal sets must
    # cover each true rank in >= 95 % of them, the simultaneous set all ranks at once
    # in >= 95 % (allowing for Monte Carlo error: 200 reps give SE ~1.5 points).
    rng = np.random.default_rng(2024)
    true_rank = np.argsort(np.argsort(-SHARES)) + 1
    sims = 200
    marg_hit = np.zeros(SHARES.size)
    simul_hit = 0
    boot_hit = np.zeros(SHARES.size)
    for s in range(sims):
        est = SHARES + SE * rng.standard_normal(SHARES.size)
        m = rank_confidence_sets(est, SE, reps=400, seed=s)
        marg_hit += (m.lower <= true_rank) & (true_rank <= m.upper)
        j = rank_confidence_sets(est, SE, reps=400, seed=s, simultaneous=True)
        simul_hit += bool(np.all((j.lower <= true_rank) & (true_rank <= j.upper)))
        b = rank_intervals_bootstrap(est, SE, reps=400, seed=s)
        boot_hit += (b.lower <= true_rank) & (true_rank <= b.upper)
    assert np.min(marg_hit / sims) >= 0.92
    assert np.mean(marg_hit / sims) >= 0.95
    assert simul_hit / sims >= 0.92
    # The bootstrap intervals have no such guarantee; they are reported as descriptive.
    assert np.mean(boot_hit / sims) > 0.5


def test_rank_sets_are_reproducible_and_order_invariant():
    a = rank_confidence_sets(SHARES, SE, seed=7)
    b = rank_confidence_sets(SHARES, SE, seed=7)
    assert np.array_equal(a.lower, b.lower) and np.array_equal(a.upper, b.upper)
    asc = rank_confidence_sets(-SHARES, SE, seed=7, descending=False)
    assert np.array_equal(a.lower, asc.lower) and np.array_equal(a.upper, asc.upper)


# ---------------------------------------------------------------------------------
# Funnel plots


def test_funnel_limits_are_exact_binomial_and_narrow_with_n():
    n = np.arange(20, 3001, 7).astype(float)
    f = funnel_limits(0.70, n)
    for level in (0.95, 0.998):
        lo, hi = f.lower[level], f.upper[level]
        assert np.all(lo < 0.70) and np.all(hi > 0.70)
        # Limits tighten with n (allowing the discreteness wiggle of exact limits).
        assert lo[-1] > lo[0] and hi[-1] < hi[0]
        # Exactness (Spiegelhalter 2005, appendix A.1.1): n * limit lies between
        # r_p - 1 and r_p, where r_p is the binomial p-quantile.
        tail = (1 - level) / 2
        for limit, prob in ((lo, tail), (hi, 1 - tail)):
            r = np.ceil(limit * n - 1e-9)
            assert np.array_equal(r, stats.binom.ppf(prob, n, 0.70))
            assert np.all(stats.binom.cdf(r, n, 0.70) >= prob)
            assert np.all(stats.binom.cdf(r - 1, n, 0.70) < prob)
    assert np.all(f.lower[0.998] <= f.lower[0.95]) and np.all(f.upper[0.998] >= f.upper[0.95])
    # Large n: close to the normal approximation p0 +/- 1.96 sqrt(p0 q0 / n).
    big = funnel_limits(0.70, [1e6])
    assert big.lower[0.95][0] == pytest.approx(0.70 - 1.959964 * np.sqrt(0.21 / 1e6), abs=2e-6)


def test_funnel_overdispersion_detects_extra_variation():
    rng = np.random.default_rng(8)
    n = rng.integers(200, 2000, 60)
    plain = funnel_overdispersion(rng.binomial(n, 0.7), n, 0.7)
    assert 0.6 < plain.phi < 1.5 and plain.p_value > 0.01
    p_area = np.clip(rng.normal(0.7, 0.06, 60), 0.01, 0.99)
    od = funnel_overdispersion(rng.binomial(n, p_area), n, 0.7)
    assert od.phi > 3 and od.p_value < 1e-6 and od.tau2 > 0
    f = funnel_limits(0.7, n, overdispersion=od)
    g = funnel_limits(0.7, n, overdispersion=od, model="additive")
    base = funnel_limits(0.7, n)
    assert np.all(f.upper[0.95] > base.upper[0.95] - 1e-3)
    assert np.all(g.upper[0.95] - 0.7 > 1.9 * np.sqrt(od.tau2))


def test_blockwise_evaluation_equals_one_pass(monkeypatch):
    from tryggnav.stats import proportions

    rng = np.random.default_rng(0)
    n = rng.integers(5, 2000, 70_000).astype(float)
    p = rng.binomial(n.astype(int), 0.3) / n
    se = np.sqrt(p * (1 - p) * 1.2 / n)
    blocked = {m: (confint(p, n, method=m, deff=1.3), confint(p, n, method=m, se=se))
               for m in ("wald", "wilson", "agresti_coull", "logit")}  # fmt: skip
    monkeypatch.setattr(proportions, "_CHUNK", 10**9)
    for m, (a, b) in blocked.items():
        c = confint(p, n, method=m, deff=1.3)
        d = confint(p, n, method=m, se=se)
        for x, y in zip((*a, *b), (*c, *d), strict=True):
            assert np.array_equal(x, y, equal_nan=True), m
    assert blocked["wald"][0][0].shape == (70_000,)
    two_d = confint(p.reshape(700, 100), 500, method="wilson")
    assert two_d[0].shape == (700, 100)
