"""Near-repeat analysis: the Knox test as in Ratcliffe's Near Repeat Calculator.

The Knox (1964) test counts pairs of events that are close in space and close
in time and compares the counts with what chance would give. Ratcliffe's Near
Repeat Calculator (NRC; Ratcliffe 2009, after Johnson & Bowers) tabulates the
pairs in distance bands × time bands and gets the chance distribution by Monte
Carlo: the events' times are shuffled among the events, which keeps both the
spatial pattern and the temporal pattern (seasonality, trends) and breaks only
their interaction.

The work is ``O(close pairs × permutations)``. Only pairs within the largest
distance band are enumerated (``scipy.spatial.cKDTree.query_pairs``); every
other pair is in the "beyond" distance band, whose counts follow from totals
that no shuffle of times can change (the number of pairs at each time distance
over all pairs, and the number at each spatial distance). For the shuffles,
batches of permutations are held side by side (events × permutations, int16
days) so that each close pair gathers one contiguous row per batch, and the
counts are accumulated by folding 0/1 rows in uint8.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.spatial import cKDTree

__all__ = ["KnoxResult", "knox"]

_BATCH = 128  # permutations held side by side
_CHUNK = 2048  # close pairs per block; a power of two for the uint8 fold


@dataclass(frozen=True)
class KnoxResult:
    """Knox table in the layout of the Near Repeat Calculator.

    All tables have shape ``(len(distance_labels), len(time_labels))``; the last
    row and column are the "beyond" bands. ``expected`` is the mean of the
    permuted tables, ``ratio`` is ``observed / expected`` (the NRC's Knox
    ratio), ``p_value`` the Monte Carlo p-value for *more* pairs than chance,
    ``(1 + #(simulated >= observed)) / (permutations + 1)``, and ``p_fewer``
    the same for fewer. ``near_repeat_share`` is the share of events that take
    part in at least one pair within ``near_distance`` metres and
    ``near_time`` days of each other (observed data, not a test).
    """

    distance_labels: tuple[str, ...]
    time_labels: tuple[str, ...]
    observed: NDArray[np.int64]
    expected: NDArray[np.float64]
    ratio: NDArray[np.float64]
    p_value: NDArray[np.float64]
    p_fewer: NDArray[np.float64]
    permutations: int
    n_events: int
    n_pairs: int
    near_distance: float
    near_time: float
    near_repeat_events: int
    near_repeat_share: float


def _labels(
    edges: NDArray[np.float64], unit: str, *, first_from_one: bool, same: str | None
) -> tuple[str, ...]:
    def fmt(v: float) -> str:
        return f"{v:g}"

    integral = bool(np.all(edges == np.round(edges)))
    labels: list[str] = [same] if same else []
    low = 0.0
    for k, high in enumerate(edges):
        if k == 0:
            start = 1.0 if first_from_one and integral else 0.0
            labels.append(f"{fmt(start)}–{fmt(high)} {unit}")
        elif integral:
            labels.append(f"{fmt(low + 1)}–{fmt(high)} {unit}")
        else:
            labels.append(f"over {fmt(low)}–{fmt(high)} {unit}")
        low = float(high)
    labels.append(f"more than {fmt(low)} {unit}")
    return tuple(labels)


def _check_edges(edges: Sequence[float], name: str) -> NDArray[np.float64]:
    e = np.asarray(edges, dtype=float).ravel()
    if e.size == 0 or np.any(~np.isfinite(e)) or np.any(e <= 0) or np.any(np.diff(e) <= 0):
        raise ValueError(f"{name} must be positive, finite and increasing")
    return e


def _permutation_batches(
    permutations: int, seed: int | None
) -> Iterator[tuple[int, np.random.Generator]]:
    """(size, generator) per batch; each batch draws its own permutations so the
    result does not depend on how batches are spread over threads."""
    n_batches = -(-permutations // _BATCH)
    children = np.random.SeedSequence(seed).spawn(n_batches)
    for b, child in enumerate(children):
        size = min(_BATCH, permutations - b * _BATCH)
        yield size, np.random.default_rng(child)


def _spatial_order(px: NDArray[np.float64], py: NDArray[np.float64], cell: float) -> NDArray:
    """Events sorted by grid cell, so that a close pair's two events are
    neighbours in memory too (the permuted-time rows they gather stay cached)."""
    cell = max(cell, 1e-9)
    return np.lexsort((py, np.floor(py / cell), np.floor(px / cell)))


def _permuted_times(t: NDArray[np.generic], size: int, rng: np.random.Generator) -> NDArray:
    """``size`` shuffles of ``t`` as an (events, size) array: one row per event.

    Each shuffle is written as a contiguous row and the block transposed in
    cache-sized pieces; writing the shuffles straight into columns touches a
    cache line per value and took twice as long as the shuffling itself.
    """
    rows = np.empty((size, t.size), dtype=t.dtype)
    for k in range(size):
        rows[k] = t[rng.permutation(t.size)]
    tau = np.empty((t.size, size), dtype=t.dtype)
    step = 2048
    for start in range(0, t.size, step):
        tau[start : start + step] = rows[:, start : start + step].T
    return tau


def _count_close(
    tau: NDArray,
    left: NDArray[np.intp],
    right: NDArray[np.intp],
    segments: Sequence[tuple[int, int]],
    t_edges: NDArray,
    big: float | int,
) -> NDArray[np.int64]:
    """Close-pair counts per (distance band, time threshold, permutation).

    ``out[a, b, k]`` counts the pairs in distance band ``a`` whose time
    difference under permutation ``k`` is at most ``t_edges[b]``.
    """
    k = tau.shape[1]
    out = np.zeros((len(segments), t_edges.size, k), dtype=np.int64)
    a = np.empty((_CHUNK, k), dtype=tau.dtype)
    b = np.empty((_CHUNK, k), dtype=tau.dtype)
    mask = np.empty((_CHUNK, k), dtype=bool)
    for seg, (lo, hi) in enumerate(segments):
        for start in range(lo, hi, _CHUNK):
            stop = min(start + _CHUNK, hi)
            m = stop - start
            np.take(tau, left[start:stop], axis=0, out=a[:m])
            np.take(tau, right[start:stop], axis=0, out=b[:m])
            np.subtract(a[:m], b[:m], out=a[:m])
            np.abs(a[:m], out=a[:m])
            if m < _CHUNK:
                a[m:] = big  # padding rows: beyond every threshold
            for q, edge in enumerate(t_edges):
                np.less_equal(a, edge, out=mask)
                # Sum the 0/1 rows by halving in uint8 while no cell can pass
                # 255: far cheaper than numpy's widening column sums.
                s = mask.view(np.uint8)
                while s.shape[0] > 16:
                    h = s.shape[0] // 2
                    s = s[:h] + s[h:]
                out[seg, q] += s.sum(axis=0, dtype=np.int64)
    return out


@dataclass(frozen=True)
class _Pairs:
    """The close pairs (within the largest distance band), events in spatial order."""

    left: NDArray[np.intp]
    right: NDArray[np.intp]
    dist: NDArray[np.float64]
    d_band: NDArray[np.intp]  # row of the Knox table
    n_d: int  # number of close distance bands (without "beyond")


@dataclass(frozen=True)
class _Margins:
    """Counts that no shuffle of the times can change: the table's margins."""

    pairs_per_band: NDArray[np.int64]  # close pairs per distance band
    pairs_per_time: NDArray[np.int64]  # all pairs per close time band
    total_pairs: int


def _check_knox_input(
    x: ArrayLike, y: ArrayLike, t: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    px = np.asarray(x, dtype=float).ravel()
    py = np.asarray(y, dtype=float).ravel()
    pt = np.asarray(t, dtype=float).ravel()
    if not (px.size == py.size == pt.size):
        raise ValueError("x, y and t differ in length")
    if not (np.all(np.isfinite(px)) and np.all(np.isfinite(py)) and np.all(np.isfinite(pt))):
        raise ValueError("x, y and t must be finite")
    return px, py, pt


def _close_pairs(
    px: NDArray[np.float64],
    py: NDArray[np.float64],
    d_edges: NDArray[np.float64],
    same_location: bool,
) -> _Pairs:
    """Pairs within the largest distance band and their distance band (NRC rules:
    with ``same_location``, band 0 is exactly 0 m; limits are inclusive)."""
    pairs = cKDTree(np.column_stack([px, py])).query_pairs(
        float(d_edges[-1]), output_type="ndarray"
    )
    left = pairs[:, 0].astype(np.intp)
    right = pairs[:, 1].astype(np.intp)
    dist = np.hypot(px[left] - px[right], py[left] - py[right])
    # Round-off can put a pair a hair beyond the largest limit.
    dist = np.minimum(dist, d_edges[-1])
    if same_location:
        d_band = np.where(dist == 0, 0, 1 + np.searchsorted(d_edges, dist, side="left"))
        n_d = d_edges.size + 1
    else:
        d_band = np.searchsorted(d_edges, dist, side="left")
        n_d = d_edges.size
    return _Pairs(left, right, dist, d_band, n_d)


def _pairs_within(times: NDArray[np.float64], t_edges: NDArray[np.float64]) -> NDArray[np.int64]:
    """Number of pairs, over all n(n-1)/2, at most ``t_edges[b]`` apart in time."""
    sorted_t = np.sort(times)
    ranks = np.arange(1, times.size + 1)
    return np.array(
        [np.sum(np.searchsorted(sorted_t, sorted_t + e, side="right") - ranks) for e in t_edges],
        dtype=np.int64,
    )


def _margins(pairs: _Pairs, shifted: NDArray[np.float64], t_edges: NDArray[np.float64]) -> _Margins:
    n = shifted.size
    return _Margins(
        pairs_per_band=np.bincount(pairs.d_band, minlength=pairs.n_d).astype(np.int64),
        pairs_per_time=np.diff(_pairs_within(shifted, t_edges), prepend=0),
        total_pairs=n * (n - 1) // 2,
    )


def _table_from_close(close_cum: NDArray[np.int64], margins: _Margins) -> NDArray[np.int64]:
    """Full Knox table(s) from cumulative close counts of shape (..., n_d, n_t).

    ``close_cum[..., a, b]`` counts the close pairs of distance band ``a`` at most
    ``t_edges[b]`` apart; the "beyond" row and column follow from the margins.
    """
    n_d, n_t = close_cum.shape[-2:]
    close = np.diff(close_cum, axis=-1, prepend=0)
    full = np.zeros((*close.shape[:-2], n_d + 1, n_t + 1), dtype=np.int64)
    full[..., :n_d, :n_t] = close
    full[..., :n_d, n_t] = margins.pairs_per_band - close.sum(axis=-1)
    full[..., n_d, :n_t] = margins.pairs_per_time - close.sum(axis=-2)
    rest = full[..., :n_d, :].sum(axis=(-1, -2)) + full[..., n_d, :n_t].sum(axis=-1)
    full[..., n_d, n_t] = margins.total_pairs - rest
    return full


def _observed_table(
    pairs: _Pairs, dt: NDArray[np.float64], t_edges: NDArray[np.float64], margins: _Margins
) -> NDArray[np.int64]:
    n_t = t_edges.size
    t_band = np.searchsorted(t_edges, dt, side="left")
    cells = np.bincount(pairs.d_band * (n_t + 1) + t_band, minlength=pairs.n_d * (n_t + 1))
    close_cum = np.cumsum(cells.reshape(pairs.n_d, n_t + 1)[:, :n_t], axis=1)
    return _table_from_close(close_cum, margins)


def _near_repeat_events(
    pairs: _Pairs, dt: NDArray[np.float64], n: int, near_d: float, near_t: float
) -> int:
    """Events in at least one pair within ``near_d`` metres and ``near_t`` days."""
    near = (pairs.dist <= near_d) & (dt <= near_t)
    involved = np.zeros(n, dtype=bool)
    involved[pairs.left[near]] = True
    involved[pairs.right[near]] = True
    return int(involved.sum())


def _pairs_by_band(
    pairs: _Pairs, n: int
) -> tuple[NDArray[np.intp], NDArray[np.intp], list[tuple[int, int]]]:
    """The close pairs grouped by distance band and, within a band, by first event
    (a counting sort through CSR), so that the rows gathered for consecutive pairs
    are close in memory. Returns left, right and each band's (start, stop)."""
    csr = sparse.csr_array((pairs.d_band + 1, (pairs.left, pairs.right)), shape=(n, n))
    csr.sort_indices()
    rows = np.repeat(np.arange(n, dtype=np.intp), np.diff(csr.indptr))
    band = csr.data - 1
    left_parts = [rows[band == a] for a in range(pairs.n_d)]
    right_parts = [csr.indices[band == a].astype(np.intp) for a in range(pairs.n_d)]
    sizes = np.cumsum([0] + [part.size for part in left_parts])
    segments = [(int(sizes[a]), int(sizes[a + 1])) for a in range(pairs.n_d)]
    return np.concatenate(left_parts), np.concatenate(right_parts), segments


def _compact_times(
    shifted: NDArray[np.float64], t_edges: NDArray[np.float64]
) -> tuple[NDArray, NDArray, float | int]:
    """Times and thresholds as int16 day numbers when possible (halves the memory
    traffic), else int32, else floats; and a time difference beyond every threshold."""
    integral = bool(np.all(shifted == np.round(shifted)))
    if integral and shifted.max() < 32767:
        return shifted.astype(np.int16), np.floor(t_edges).astype(np.int16), 32767
    if integral and shifted.max() < 2**31 - 1:
        return shifted.astype(np.int32), np.floor(t_edges).astype(np.int32), 2**31 - 1
    return shifted, t_edges, np.inf


def _simulated_tables(
    pairs: _Pairs,
    shifted: NDArray[np.float64],
    t_edges: NDArray[np.float64],
    margins: _Margins,
    permutations: int,
    seed: int | None,
) -> NDArray[np.int64]:
    """Knox tables of ``permutations`` shuffles of the times: (permutations, rows, cols)."""
    left, right, segments = _pairs_by_band(pairs, shifted.size)
    times, thresholds, big = _compact_times(shifted, t_edges)
    parts = []
    for size, rng in _permutation_batches(permutations, seed):
        tau = _permuted_times(times, size, rng)
        parts.append(_count_close(tau, left, right, segments, thresholds, big))
    cum = np.concatenate(parts, axis=2)  # (n_d, n_t, permutations)
    return _table_from_close(np.moveaxis(cum, 2, 0), margins)


def _monte_carlo(
    observed: NDArray[np.int64], sims: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Expected table, p-values for more and for fewer pairs, and the Knox ratio;
    all NaN without simulations."""
    permutations = sims.shape[0]
    if permutations == 0:
        nan = np.full(observed.shape, np.nan)
        return nan, nan.copy(), nan.copy(), nan.copy()
    expected = sims.mean(axis=0)
    p_value = np.asarray(
        (1.0 + (sims >= observed).sum(axis=0)) / (permutations + 1.0), dtype=np.float64
    )
    p_fewer = np.asarray(
        (1.0 + (sims <= observed).sum(axis=0)) / (permutations + 1.0), dtype=np.float64
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
    return expected, p_value, p_fewer, ratio


def knox(
    x: ArrayLike,
    y: ArrayLike,
    t: ArrayLike,
    *,
    distance_bands: Sequence[float],
    time_bands: Sequence[float],
    permutations: int = 999,
    seed: int | None = None,
    same_location: bool = True,
    near_distance: float | None = None,
    near_time: float | None = None,
) -> KnoxResult:
    """Knox test for near repeats (Knox 1964), as Ratcliffe's Near Repeat Calculator.

    ``x``, ``y`` are projected coordinates in metres (SWEREF 99 TM), ``t`` the
    event times in days (dates as day numbers: the NRC works in whole days).
    ``distance_bands`` and ``time_bands`` are the bands' upper limits, e.g.
    ``[200, 400, 600]`` and ``[7, 14, 21, 28]``. As in the NRC, with
    ``same_location`` the first distance band is the same location (0 m),
    followed by 1–200, 201–400 and 401–600 m (as floats: (0, 200], (200, 400],
    …), and a last band "more than 600 m"; the time bands are 0–7, 8–14, …,
    "more than 28 days" (as floats: [0, 7], (7, 14], …). Distances are
    Euclidean.

    Monte Carlo: the times are permuted among the events ``permutations``
    times; expected counts are the means of the permuted tables and p-values
    are ranks, ``(1 + #(simulated >= observed)) / (permutations + 1)``.

    ``near_repeat_share`` is the share of events in at least one pair within
    ``near_distance`` (default: the first distance band's limit, so including
    the same location) and ``near_time`` (default: the first time band's
    limit).
    """
    px, py, pt = _check_knox_input(x, y, t)
    d_edges = _check_edges(distance_bands, "distance_bands")
    t_edges = _check_edges(time_bands, "time_bands")
    n = px.size
    if n < 2:
        raise ValueError("need at least two events")
    if permutations < 0:
        raise ValueError("permutations must not be negative")
    near_d = float(d_edges[0] if near_distance is None else near_distance)
    near_t = float(t_edges[0] if near_time is None else near_time)
    if near_d > d_edges[-1]:
        raise ValueError("near_distance must not exceed the largest distance band")

    order = _spatial_order(px, py, float(d_edges[-1]))
    px, py, pt = px[order], py[order], pt[order]
    pairs = _close_pairs(px, py, d_edges, same_location)
    shifted = pt - pt.min()
    margins = _margins(pairs, shifted, t_edges)
    dt = np.abs(pt[pairs.left] - pt[pairs.right])
    observed = _observed_table(pairs, dt, t_edges, margins)
    n_near = _near_repeat_events(pairs, dt, n, near_d, near_t)
    sims = np.zeros((0, pairs.n_d + 1, t_edges.size + 1), dtype=np.int64)
    if permutations > 0:
        sims = _simulated_tables(pairs, shifted, t_edges, margins, permutations, seed)
    expected, p_value, p_fewer, ratio = _monte_carlo(observed, sims)

    return KnoxResult(
        distance_labels=_labels(
            d_edges,
            "m",
            first_from_one=same_location,
            same="same location" if same_location else None,
        ),
        time_labels=_labels(t_edges, "days", first_from_one=False, same=None),
        observed=observed,
        expected=expected,
        ratio=ratio,
        p_value=p_value,
        p_fewer=p_fewer,
        permutations=permutations,
        n_events=n,
        n_pairs=int(pairs.left.size),
        near_distance=near_d,
        near_time=near_t,
        near_repeat_events=n_near,
        near_repeat_share=n_near / n,
    )
