"""Invariants of the Knox test (tryggnav.stats.nearrepeat) and of its steps, checked
with hypothesis against brute-force counts over all pairs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tryggnav.stats.nearrepeat import (
    _check_edges,
    _close_pairs,
    _compact_times,
    _margins,
    _monte_carlo,
    _near_repeat_events,
    _pairs_by_band,
    _pairs_within,
    _table_from_close,
    knox,
)

D_EDGES = np.array([50.0, 100.0, 200.0])
T_EDGES = np.array([3.0, 7.0, 14.0])


@st.composite
def events(draw, min_size=2, max_size=60):
    """Events on a 10 m grid and whole days, so that ties and same places occur."""
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    cells = st.integers(min_value=0, max_value=30)
    x = np.array(draw(st.lists(cells, min_size=n, max_size=n)), dtype=float) * 10
    y = np.array(draw(st.lists(cells, min_size=n, max_size=n)), dtype=float) * 10
    days = st.integers(min_value=0, max_value=40)
    t = np.array(draw(st.lists(days, min_size=n, max_size=n)), dtype=float)
    return x, y, t


def all_pairs(x, y, t):
    i, j = np.triu_indices(len(x), k=1)
    return np.hypot(x[i] - x[j], y[i] - y[j]), np.abs(t[i] - t[j])


@settings(max_examples=80, deadline=None)
@given(events(), st.booleans())
def test_table_sums_to_all_pairs_and_its_margins_are_the_brute_force_ones(ev, same):
    x, y, t = ev
    n = len(x)
    res = knox(
        x, y, t, distance_bands=D_EDGES, time_bands=T_EDGES, permutations=0, same_location=same
    )
    assert res.observed.sum() == n * (n - 1) // 2
    assert np.all(res.observed >= 0)
    dist, dt = all_pairs(x, y, t)
    # Column sums: pairs per time band, over all pairs.
    t_band = np.searchsorted(T_EDGES, dt, side="left")
    np.testing.assert_array_equal(res.observed.sum(axis=0), np.bincount(t_band, minlength=4))
    # Last row: pairs beyond the largest distance band.
    assert res.observed[-1].sum() == np.sum(dist > D_EDGES[-1])
    if same:
        assert res.observed[0].sum() == np.sum(dist == 0)
    assert res.n_pairs == np.sum(dist <= D_EDGES[-1])


@settings(max_examples=40, deadline=None)
@given(events(), st.integers(min_value=-5000, max_value=5000), st.integers(-400, 400))
def test_table_is_invariant_under_translation_in_space_and_time(ev, shift_xy, shift_t):
    x, y, t = ev
    a = knox(x, y, t, distance_bands=D_EDGES, time_bands=T_EDGES, permutations=0)
    b = knox(
        x + shift_xy,
        y - shift_xy,
        t + shift_t,
        distance_bands=D_EDGES,
        time_bands=T_EDGES,
        permutations=0,
    )
    np.testing.assert_array_equal(a.observed, b.observed)
    assert a.near_repeat_events == b.near_repeat_events


@settings(max_examples=40, deadline=None)
@given(events(), st.randoms(use_true_random=False))
def test_table_does_not_depend_on_the_order_of_events_or_swapped_axes(ev, rnd):
    x, y, t = ev
    order = list(range(len(x)))
    rnd.shuffle(order)
    a = knox(x, y, t, distance_bands=D_EDGES, time_bands=T_EDGES, permutations=0)
    b = knox(y[order], x[order], t[order], distance_bands=D_EDGES, time_bands=T_EDGES,
             permutations=0)  # fmt: skip
    np.testing.assert_array_equal(a.observed, b.observed)
    assert a.near_repeat_share == b.near_repeat_share


@settings(max_examples=25, deadline=None)
@given(events(min_size=5, max_size=40), st.integers(min_value=0, max_value=2**31))
def test_every_simulated_table_has_the_observed_margins(ev, seed):
    x, y, t = ev
    res = knox(x, y, t, distance_bands=D_EDGES, time_bands=T_EDGES, permutations=40, seed=seed)
    # The mean of tables with fixed margins has the same margins.
    np.testing.assert_allclose(res.expected.sum(axis=0), res.observed.sum(axis=0))
    np.testing.assert_allclose(res.expected.sum(axis=1), res.observed.sum(axis=1))
    assert np.all((res.p_value > 0) & (res.p_value <= 1))
    # At least one of "more" and "fewer" counts the ties, so they cover everything.
    assert np.all(res.p_value + res.p_fewer >= 1 + 1 / 41 - 1e-12)


def test_same_seed_gives_the_same_test_and_other_seeds_differ():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 800, 150), rng.uniform(0, 800, 150)
    t = rng.integers(0, 60, 150).astype(float)
    kw = {"distance_bands": D_EDGES, "time_bands": T_EDGES, "permutations": 60}
    a = knox(x, y, t, seed=5, **kw)
    b = knox(x, y, t, seed=5, **kw)
    c = knox(x, y, t, seed=6, **kw)
    np.testing.assert_array_equal(a.expected, b.expected)
    np.testing.assert_array_equal(a.p_value, b.p_value)
    assert not np.array_equal(a.expected, c.expected)


def test_no_permutations_gives_the_table_and_no_inference():
    x = np.array([0.0, 10.0, 500.0])
    res = knox(x, x, [0, 1, 2], distance_bands=[100], time_bands=[7], permutations=0)
    assert res.observed.tolist() == [[0, 0], [1, 0], [2, 0]]
    for table in (res.expected, res.p_value, res.p_fewer, res.ratio):
        assert table.shape == res.observed.shape and np.all(np.isnan(table))


def test_two_events_are_enough_and_one_is_refused():
    res = knox([0, 0], [0, 0], [0, 1], distance_bands=[100], time_bands=[7], permutations=9)
    assert res.observed[0, 0] == 1 and res.observed.sum() == 1
    # Two events have one time difference, whatever the shuffle: nothing to test.
    np.testing.assert_array_equal(res.expected, res.observed)
    assert res.near_repeat_share == 1.0
    with pytest.raises(ValueError, match="two events"):
        knox([0], [0], [0], distance_bands=[100], time_bands=[7])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": [0, np.nan]}, "finite"),
        ({"t": [0, np.inf]}, "finite"),
        ({"distance_bands": [0, 100]}, "positive"),
        ({"time_bands": [7, 7]}, "increasing"),
        ({"time_bands": []}, "positive"),
        ({"permutations": -1}, "negative"),
        ({"near_distance": 500}, "near_distance"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    args = {"x": [0, 1], "y": [0, 1], "t": [0, 1], "distance_bands": [100],
            "time_bands": [7]} | kwargs  # fmt: skip
    with pytest.raises(ValueError, match=message):
        knox(**args)


def test_large_day_numbers_use_wider_integers_and_fractions_floats():
    t = np.array([0.0, 40000.0, 80000.0])
    times, thresholds, big = _compact_times(t, np.array([7.0, 14.5]))
    assert times.dtype == np.int32 and big == 2**31 - 1
    assert thresholds.tolist() == [7, 14]  # whole days: "within 14.5" is "within 14"
    times, _, big = _compact_times(np.array([0.0, 100.0]), np.array([7.0]))
    assert times.dtype == np.int16 and big == 32767
    times, thresholds, big = _compact_times(np.array([0.0, 1.5]), np.array([7.5]))
    assert times.dtype == np.float64 and big == np.inf and thresholds[0] == 7.5


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 100), min_size=1, max_size=80), st.integers(0, 30))
def test_pairs_within_counts_pairs_at_most_the_edge_apart(days, edge):
    t = np.array(days, dtype=float)
    i, j = np.triu_indices(t.size, k=1)
    expected = np.sum(np.abs(t[i] - t[j]) <= edge)
    assert _pairs_within(t, np.array([float(edge)]))[0] == expected


@settings(max_examples=50, deadline=None)
@given(events(), st.booleans())
def test_close_pairs_are_exactly_the_pairs_within_the_largest_band(ev, same):
    x, y, _ = ev
    pairs = _close_pairs(x, y, D_EDGES, same)
    found = {(min(a, b), max(a, b)) for a, b in zip(pairs.left, pairs.right, strict=True)}
    i, j = np.triu_indices(len(x), k=1)
    dist = np.hypot(x[i] - x[j], y[i] - y[j])
    assert found == {(a, b) for a, b, d in zip(i, j, dist, strict=True) if d <= D_EDGES[-1]}
    assert pairs.n_d == len(D_EDGES) + int(same)
    assert np.all(pairs.d_band < pairs.n_d)
    if same:
        assert np.array_equal(pairs.d_band == 0, pairs.dist == 0)


@settings(max_examples=40, deadline=None)
@given(events(min_size=3))
def test_pairs_by_band_keeps_every_pair_once_grouped_by_band(ev):
    x, y, _ = ev
    pairs = _close_pairs(x, y, D_EDGES, True)
    left, right, segments = _pairs_by_band(pairs, len(x))
    assert segments[0][0] == 0 and segments[-1][1] == pairs.left.size
    original = {(a, b, band) for a, b, band in zip(pairs.left, pairs.right, pairs.d_band,
                                                    strict=True)}  # fmt: skip
    regrouped = set()
    for band, (start, stop) in enumerate(segments):
        regrouped |= {(a, b, band) for a, b in zip(left[start:stop], right[start:stop],
                                                    strict=True)}  # fmt: skip
        assert np.all(np.diff(left[start:stop]) >= 0)  # sorted by first event
    assert regrouped == original


def test_table_from_close_fills_the_beyond_cells_from_the_margins():
    x = np.array([0.0, 0.0, 30.0, 500.0])
    t = np.array([0.0, 2.0, 10.0, 1.0])
    pairs = _close_pairs(x, np.zeros(4), np.array([50.0]), False)
    margins = _margins(pairs, t, np.array([5.0]))
    assert margins.total_pairs == 6
    # Close pairs (within 50 m): (0,1) 2 days, (0,2) 10 days, (1,2) 8 days.
    table = _table_from_close(np.array([[1]]), margins)
    assert table.tolist() == [[1, 2], [2, 1]]
    # The time margin: pairs at most 5 days apart are (0,1), (0,3), (1,3).
    assert margins.pairs_per_time.tolist() == [3]


def test_near_repeat_events_counts_each_event_once():
    x = np.array([0.0, 10.0, 20.0, 1000.0])
    t = np.array([0.0, 1.0, 30.0, 0.0])
    pairs = _close_pairs(x, np.zeros(4), np.array([100.0]), True)
    dt = np.abs(t[pairs.left] - t[pairs.right])
    assert _near_repeat_events(pairs, dt, 4, near_d=100.0, near_t=7.0) == 2
    assert _near_repeat_events(pairs, dt, 4, near_d=100.0, near_t=30.0) == 3
    assert _near_repeat_events(pairs, dt, 4, near_d=5.0, near_t=30.0) == 0


def test_monte_carlo_summary_equals_its_definition():
    observed = np.array([[3, 0], [1, 5]])
    sims = np.array([[[1, 0], [2, 2]], [[3, 0], [1, 4]], [[4, 0], [0, 1]]])
    expected, p_more, p_fewer, ratio = _monte_carlo(observed, sims)
    np.testing.assert_allclose(expected, [[8 / 3, 0], [1, 7 / 3]])
    # (1 + #(simulated >= observed)) / (permutations + 1), and <= for fewer.
    np.testing.assert_allclose(p_more, [[3 / 4, 1], [3 / 4, 1 / 4]])
    np.testing.assert_allclose(p_fewer, [[3 / 4, 1], [3 / 4, 1]])
    assert np.isnan(ratio[0, 1])  # no pairs expected: no ratio
    assert ratio[0, 0] == pytest.approx(3 / (8 / 3))


def test_check_edges_accepts_any_sequence_and_returns_floats():
    np.testing.assert_array_equal(_check_edges((1, 2, 3), "bands"), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="bands must be"):
        _check_edges([1, np.nan], "bands")
