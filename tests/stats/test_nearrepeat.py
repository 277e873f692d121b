"""Tests of the Knox test in tryggnav.stats.nearrepeat against a brute-force O(n²) version."""

from __future__ import annotations

import numpy as np
import pytest

from tryggnav.stats.nearrepeat import (
    _permutation_batches,
    _permuted_times,
    _spatial_order,
    knox,
)

D_BANDS = [100.0, 200.0, 300.0]
T_BANDS = [7.0, 14.0, 21.0]


def brute_table(x, y, t, d_edges, t_edges, same_location=True):
    """Knox table by looking at every pair, NRC band rules spelled out."""
    n_d = len(d_edges) + (1 if same_location else 0)
    table = np.zeros((n_d + 1, len(t_edges) + 1), dtype=np.int64)
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            d = np.hypot(x[i] - x[j], y[i] - y[j])
            dt = abs(t[i] - t[j])
            if same_location and d == 0:
                a = 0
            else:
                a = next((k for k, e in enumerate(d_edges) if d <= e), len(d_edges))
                a += 1 if same_location else 0
            b = next((k for k, e in enumerate(t_edges) if dt <= e), len(t_edges))
            table[a, b] += 1
    return table


def brute_table_vectorised(x, y, t, d_edges, t_edges):
    """The same over all n(n-1)/2 pairs at once (same_location=True)."""
    i, j = np.triu_indices(len(x), k=1)
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    dt = np.abs(t[i] - t[j])
    a = 1 + sum((d > e).astype(int) for e in d_edges)
    a[d == 0] = 0
    b = sum((dt > e).astype(int) for e in t_edges)
    table = np.zeros((len(d_edges) + 2, len(t_edges) + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)
    return table


def sample(n, seed, *, side=1500.0, days=120, integral=True):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, side, n).round(1)
    y = rng.uniform(0, side, n).round(1)
    x[: n // 10] = x[n // 10 : 2 * (n // 10)]  # some repeats at the same address
    y[: n // 10] = y[n // 10 : 2 * (n // 10)]
    t = rng.integers(0, days, n).astype(float)
    if not integral:
        t += rng.uniform(0, 1, n).round(3)
    return x, y, t


@pytest.mark.parametrize("integral", [True, False])
@pytest.mark.parametrize("same_location", [True, False])
def test_observed_table_equals_brute_force(integral, same_location):
    x, y, t = sample(250, 1, integral=integral)
    res = knox(
        x,
        y,
        t,
        distance_bands=D_BANDS,
        time_bands=T_BANDS,
        permutations=0,
        same_location=same_location,
    )
    ref = brute_table(x, y, t, D_BANDS, T_BANDS, same_location)
    np.testing.assert_array_equal(res.observed, ref)
    if same_location:
        np.testing.assert_array_equal(brute_table_vectorised(x, y, t, D_BANDS, T_BANDS), ref)
    assert res.observed.sum() == 250 * 249 // 2
    assert len(res.distance_labels) == ref.shape[0]


def test_boundaries_are_inclusive_like_the_nrc():
    # 0 m, exactly 100 m, just over 100 m; 0, 7 and 8 days apart.
    x = np.array([0.0, 0.0, 100.0, 0.0])
    y = np.array([0.0, 0.0, 0.0, 100.5])
    t = np.array([0.0, 7.0, 0.0, 15.0])
    res = knox(x, y, t, distance_bands=[100, 200], time_bands=[7, 14], permutations=0)
    ref = brute_table(x, y, t, [100, 200], [7, 14])
    np.testing.assert_array_equal(res.observed, ref)
    assert res.observed[0, 0] == 1  # events 0 and 1: same place, 7 days
    assert res.distance_labels == (
        "same location",
        "1–100 m",
        "101–200 m",
        "more than 200 m",
    )
    assert res.time_labels == ("0–7 days", "8–14 days", "more than 14 days")


@pytest.mark.parametrize("integral", [True, False])
def test_permutation_tables_equal_brute_force_with_the_same_shuffles(integral):
    x, y, t = sample(120, 2, integral=integral)
    permutations = 150  # two batches
    res = knox(
        x, y, t, distance_bands=D_BANDS, time_bands=T_BANDS, permutations=permutations, seed=9
    )
    order = _spatial_order(x, y, D_BANDS[-1])
    xs, ys, ts = x[order], y[order], t[order]
    sims = []
    for size, rng in _permutation_batches(permutations, 9):
        tau = _permuted_times(ts, size, rng)
        sims += [brute_table_vectorised(xs, ys, tau[:, k], D_BANDS, T_BANDS) for k in range(size)]
    sims_arr = np.array(sims)
    np.testing.assert_allclose(res.expected, sims_arr.mean(axis=0))
    obs = brute_table(x, y, t, D_BANDS, T_BANDS)
    p = (1 + (sims_arr >= obs).sum(axis=0)) / (permutations + 1)
    np.testing.assert_allclose(res.p_value, p)


def test_near_repeat_share_equals_brute_force():
    x, y, t = sample(200, 3)
    res = knox(x, y, t, distance_bands=D_BANDS, time_bands=T_BANDS, permutations=0)
    involved = np.zeros(200, dtype=bool)
    for i in range(200):
        for j in range(200):
            if i != j and np.hypot(x[i] - x[j], y[i] - y[j]) <= 100 and abs(t[i] - t[j]) <= 7:
                involved[i] = True
    assert res.near_repeat_events == involved.sum()
    assert res.near_repeat_share == pytest.approx(involved.mean())


def test_p_values_roughly_uniform_under_the_null():
    # Space and time independent: P(p <= alpha) should be about alpha. With 300
    # data sets the binomial SE of a 10 % rejection rate is 1.7 points.
    rng = np.random.default_rng(4)
    ps = []
    for _ in range(300):
        n = 150
        x = rng.uniform(0, 2000, n)
        y = rng.uniform(0, 2000, n)
        t = rng.integers(0, 100, n)
        res = knox(
            x,
            y,
            t,
            distance_bands=[250.0],
            time_bands=[14.0],
            permutations=99,
            seed=int(rng.integers(1 << 31)),
            same_location=False,
        )
        ps.append(res.p_value[0, 0])
    ps_arr = np.array(ps)
    assert 0.04 <= np.mean(ps_arr <= 0.10) <= 0.16
    assert np.mean(ps_arr <= 0.05) <= 0.10
    assert 0.4 <= np.mean(ps_arr) <= 0.6


def test_detects_planted_near_repeats():
    rng = np.random.default_rng(5)
    n0 = 500
    x = rng.uniform(0, 5000, n0)
    y = rng.uniform(0, 5000, n0)
    t = rng.integers(0, 365, n0).astype(float)
    src = rng.choice(n0, 80, replace=False)
    angle = rng.uniform(0, 2 * np.pi, 80)
    r = rng.uniform(5, 90, 80)
    x = np.concatenate([x, x[src] + r * np.cos(angle)])
    y = np.concatenate([y, y[src] + r * np.sin(angle)])
    t = np.concatenate([t, t[src] + rng.integers(1, 6, 80)])
    res = knox(x, y, t, distance_bands=[100, 200, 300], time_bands=[7, 14, 21], seed=6)
    assert res.p_value[1, 0] <= 0.002  # 1–100 m, 0–7 days
    assert res.ratio[1, 0] > 3
    assert res.p_value[3, 2] > 0.01  # nothing planted at 201–300 m, 15–21 days
    assert res.near_repeat_share > 160 / 580


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="increasing"):
        knox([0, 1], [0, 1], [0, 1], distance_bands=[200, 100], time_bands=[7])
    with pytest.raises(ValueError, match="length"):
        knox([0, 1], [0], [0, 1], distance_bands=[100], time_bands=[7])
