"""Tests of tryggnav.stats.counts against R poisson.test (make_proportions_fixtures.R)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from tryggnav.stats.counts import compare_rates, poisson_confint, poisson_test, rate

FIXTURES = Path(__file__).parent / "fixtures"
TOL = 1e-6


def read_csv(name: str) -> dict[str, np.ndarray]:
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def max_rel(a, b) -> float:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    assert np.array_equal(np.isfinite(a), np.isfinite(b))
    ok = np.isfinite(b)
    return float(np.max(np.abs(a[ok] - b[ok]) / np.maximum(np.abs(b[ok]), 1e-12), initial=0))


def test_garwood_interval_matches_poisson_test():
    d = read_csv("counts_poisson.csv")
    low, high = poisson_confint(d["x"], d["t"])
    assert max_rel(low, d["low"]) < TOL and max_rel(high, d["high"]) < TOL
    low90, high90 = poisson_confint(d["x"], d["t"], alpha=0.10)
    assert max_rel(low90, d["low90"]) < TOL and max_rel(high90, d["high90"]) < TOL


def test_one_sample_poisson_test_matches_r():
    d = read_csv("counts_poisson.csv")
    for i in range(d["x"].size):
        r = poisson_test(int(d["x"][i]), d["t"][i], null_rate=2)
        assert max_rel([r.p_value], [d["p_value"][i]]) < TOL
        assert max_rel([r.low, r.high], [d["low"][i], d["high"][i]]) < TOL


def test_two_rates_match_poisson_test():
    d = read_csv("counts_poisson2.csv")
    for i in range(d["x1"].size):
        r = compare_rates(int(d["x1"][i]), d["t1"][i], int(d["x2"][i]), d["t2"][i])
        assert max_rel([r.rate_ratio], [d["estimate"][i]]) < TOL
        assert max_rel([r.ratio_low, r.ratio_high], [d["low"][i], d["high"][i]]) < TOL
        assert max_rel([r.p_value], [d["p_value"][i]]) < TOL


def test_rate_per_thousand_is_vectorised_and_scaled():
    # 57 events among Huddinge's ~113,900 inhabitants, and two more areas.
    counts = np.array([57, 0, 400])
    pop = np.array([113_900, 2_500, 95_000])
    r = rate(counts, pop, per=1000)
    np.testing.assert_allclose(r.rate, counts / pop * 1000)
    low, high = poisson_confint(counts, pop / 1000)
    np.testing.assert_allclose(r.low, low, rtol=1e-12)
    np.testing.assert_allclose(r.high, high, rtol=1e-12)
    assert r.low[1] == 0 and r.high[1] == pytest.approx(-np.log(0.025) / 2.5)
    one = rate(57, 113_900)
    assert isinstance(one.low, float) and one.low < one.rate < one.high


def test_garwood_coverage_is_at_least_nominal():
    for mu in (0.5, 2.0, 7.3, 40.0):
        x = np.arange(0, int(mu * 5 + 30))
        low, high = poisson_confint(x)
        covered = (low <= mu) & (mu <= high)
        assert stats.poisson.pmf(x, mu)[covered].sum() >= 0.95 - 1e-12


def test_rate_difference_normal_approximation():
    r = compare_rates(30, 10.2, 20, 11.5, per=1000)
    se = np.sqrt(30 / 10.2**2 + 20 / 11.5**2) * 1000
    assert r.difference == pytest.approx((30 / 10.2 - 20 / 11.5) * 1000)
    assert r.difference_high - r.difference_low == pytest.approx(2 * 1.959963985 * se)
    assert r.difference_p_value == pytest.approx(2 * stats.norm.sf(abs(r.difference) / se))


def test_invalid_counts_are_refused():
    with pytest.raises(ValueError):
        compare_rates(-1, 1.0, 3, 1.0)
    with pytest.raises(ValueError):
        poisson_confint([1, 2], [1.0, 0.0])
