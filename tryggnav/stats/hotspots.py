"""Spatial hot-spot statistics: Getis-Ord Gi*, local Moran's I, kernel density, PAI/PEI
and the aoristic weekday × hour matrix.

Everything here is plain numpy/scipy (shapely only for building contiguity from
polygons) and is validated against R's spdep in tests/stats/test_hotspots.py,
with reference values from tests/stats/fixtures/make_hotspots_fixtures.R.

Conventions shared by the local statistics:

* ``p`` is the two-sided normal p-value of the analytic z-score.
* ``p_sim`` is the *folded* conditional-permutation pseudo p-value,
  ``(min(r, P - r) + 1) / (P + 1)`` with ``r`` the number of permuted values at
  or above the observed one and ``P`` the number of permutations. It is a
  one-sided p-value for the tail the observation lies in, as spdep's
  ``"Pr(folded) Sim"`` and PySAL esda's ``p_sim``.
* The ``hot``/``cold`` (or ``significant``) masks come from Benjamini–Hochberg at
  false discovery rate ``fdr_q`` (``tryggnav.stats.multiple``) over the analytic
  ``p``, or, when permutations were run, over the two-sided permutation p-value
  ``min(1, 2 * p_sim)``. Many cells are tested at once; the uncorrected 5 % level
  would paint about one cell in twenty as a hot or cold spot by chance alone.
  With P permutations no p-value falls below 2 / (P + 1), so on large grids the
  permutation masks need many permutations before anything can pass the FDR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import ndimage, signal, sparse, special

from tryggnav.stats.multiple import benjamini_hochberg

# Lists of neighbour indices per site, or a scipy sparse matrix (its non-zero pattern).
type Neighbours = Sequence[Sequence[int]] | sparse.spmatrix | sparse.sparray

__all__ = [
    "AoristicResult",
    "GiStarResult",
    "KdeGrid",
    "LocalMoranResult",
    "PaiResult",
    "aoristic_weekday_hour",
    "contiguity_from_geometries",
    "gi_star",
    "gi_star_grid",
    "kde_grid",
    "local_moran",
    "pai",
]

# Elements held at once by the permutation engine (sites × permutations × neighbours).
_PERM_CHUNK_ELEMENTS = 4_000_000


# ---------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class GiStarResult:
    """Getis-Ord Gi* per site (grid cell or polygon).

    ``z`` and ``p`` are NaN where the statistic is undefined (masked or NaN
    cells, zero variance). ``p_sim`` is None unless permutations were run.
    """

    z: NDArray[np.float64]
    p: NDArray[np.float64]
    hot: NDArray[np.bool_]
    cold: NDArray[np.bool_]
    p_sim: NDArray[np.float64] | None
    permutations: int
    fdr_q: float


@dataclass(frozen=True)
class LocalMoranResult:
    """Local Moran's I per site (Anselin 1995), with spdep's analytic moments.

    ``quadrant`` is "HH", "LL", "HL" or "LH": the sign of the site's deviation
    from the mean and of its spatial lag (as PySAL esda's ``q`` and spdep's
    ``quadr$pysal``). ``significant`` is the FDR-controlled mask (see the
    module docstring).
    """

    i: NDArray[np.float64]
    expected: NDArray[np.float64]
    variance: NDArray[np.float64]
    z: NDArray[np.float64]
    p: NDArray[np.float64]
    p_sim: NDArray[np.float64] | None
    expected_sim: NDArray[np.float64] | None
    variance_sim: NDArray[np.float64] | None
    quadrant: NDArray[np.str_]
    significant: NDArray[np.bool_]
    permutations: int
    fdr_q: float


@dataclass(frozen=True)
class KdeGrid:
    """A kernel density surface.

    ``density[row, col]`` is in events (or summed weights) per km²; row 0 is the
    northern edge (largest y), as in raster images. ``transform`` is the GDAL
    geotransform ``(x_min, cell_size, 0, y_max, 0, -cell_size)``; the centre of
    cell ``(row, col)`` is ``(x_centres[col], y_centres[row])``.
    """

    density: NDArray[np.float64]
    transform: tuple[float, float, float, float, float, float]
    x_centres: NDArray[np.float64]
    y_centres: NDArray[np.float64]
    cell_size: float
    bandwidth: float
    total_weight: float


@dataclass(frozen=True)
class PaiResult:
    """Predictive Accuracy Index and Predictive Efficiency Index of a hot-spot map."""

    pai: float
    pei: float
    hit_rate: float
    area_share: float
    events_hit: float
    events_total: float
    pai_max: float


@dataclass(frozen=True)
class AoristicResult:
    """Aoristic weekday × hour weights.

    ``matrix[d, h]`` is the expected number of events on weekday ``d`` (Monday is
    0, Sunday 6) in the hour starting at ``h``; it sums to ``n_events``.
    ``n_capped`` events had windows longer than the cap and were spread
    uniformly; ``n_skipped`` had a missing (NaT) start.
    """

    matrix: NDArray[np.float64]
    n_events: int
    n_capped: int
    n_skipped: int


# ---------------------------------------------------------------------------
# Neighbour handling


def _to_csr(neighbours: Neighbours, n: int) -> sparse.csr_array:
    """Binary, self-free CSR adjacency from lists of indices or a sparse matrix."""
    if sparse.issparse(neighbours):
        m = sparse.csr_array(neighbours, dtype=float)
        if m.shape != (n, n):
            raise ValueError(f"neighbour matrix has shape {m.shape}, expected {(n, n)}")
        m.eliminate_zeros()
        m = sparse.csr_array((np.ones_like(m.data), m.indices, m.indptr), shape=(n, n))
    else:
        lists = cast("Sequence[Sequence[int]]", neighbours)
        if len(lists) != n:
            raise ValueError(f"{len(lists)} neighbour lists for {n} values")
        lengths = np.fromiter((len(nb) for nb in lists), dtype=np.int64, count=n)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        indices = (
            np.concatenate([np.asarray(nb, dtype=np.int64) for nb in lists])
            if indptr[-1]
            else np.zeros(0, dtype=np.int64)
        )
        if indices.size and (indices.min() < 0 or indices.max() >= n):
            raise ValueError("neighbour index out of range")
        m = sparse.csr_array((np.ones(indices.size), indices, indptr), shape=(n, n))
        m.sum_duplicates()
        m.data[:] = 1.0
    if np.any(m.diagonal() != 0):
        raise ValueError("a site lists itself as its neighbour; Gi* adds the site itself")
    m.sort_indices()
    return m


def _folded_p(n_at_or_above: NDArray[np.int64], permutations: int) -> NDArray[np.float64]:
    r = np.minimum(n_at_or_above, permutations - n_at_or_above)
    return (r + 1.0) / (permutations + 1.0)


def _conditional_permutation(
    values: NDArray[np.float64],
    adjacency: sparse.csr_array,
    observed: NDArray[np.float64],
    *,
    permutations: int,
    rng: np.random.Generator,
    replace: bool = False,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Conditional randomisation (Anselin 1995, sec. 5): site i keeps its value, its
    neighbours' values are drawn without replacement from the other n - 1 sites.

    Returns, per site, the folded pseudo p-value of ``observed`` (a weighted lag
    ``sum_j w_ij values_j``) and the mean and variance of the permuted lags. As
    PySAL esda's ``crand``, one set of random draws is shared by all sites (each
    site maps the draws onto the n - 1 others by skipping its own index), which
    keeps every site's reference distribution exact and the work vectorised.
    ``replace=True`` draws the neighbours with replacement, as spdep 1.2's
    ``localG_perm`` and ``localmoran_perm`` do. Without replacement the
    permutation moments of local Moran's I are exactly spdep's conditional
    analytic moments, and those of Gi* with the site's own slot permuted too
    are exactly Ord & Getis's.
    """
    n = values.size
    sites = np.arange(n)
    indptr = adjacency.indptr
    card = np.diff(indptr)[sites]
    p_sim = np.full(sites.size, np.nan)
    mean = np.full(sites.size, np.nan)
    var = np.full(sites.size, np.nan)
    k_max = int(card.max()) if card.size else 0
    if k_max == 0 or n < 2:
        return p_sim, mean, var
    if k_max > n - 1:
        raise ValueError("a site has more neighbours than there are other sites")
    if replace:
        draws = rng.integers(0, n - 1, size=(permutations, k_max))
    else:
        draws = np.empty((permutations, k_max), dtype=np.int64)
        for r in range(permutations):
            draws[r] = rng.choice(n - 1, size=k_max, replace=False)
    for k in np.unique(card):
        if k == 0:
            continue
        group = np.flatnonzero(card == k)
        ids = draws[:, :k]
        chunk = max(1, _PERM_CHUNK_ELEMENTS // (permutations * int(k)))
        for start in range(0, group.size, chunk):
            rows = group[start : start + chunk]
            site = sites[rows]
            full = ids[None, :, :] + (ids[None, :, :] >= site[:, None, None])
            weights = np.stack([adjacency.data[indptr[s] : indptr[s + 1]] for s in site])  # (m, k)
            sims = np.einsum("mpk,mk->mp", values[full], weights)
            obs = observed[rows]
            at_or_above = np.count_nonzero(
                sims >= obs[:, None] - 1e-12 * np.abs(obs[:, None]), axis=1
            )
            p_sim[rows] = _folded_p(at_or_above, permutations)
            mean[rows] = sims.mean(axis=1)
            var[rows] = sims.var(axis=1, ddof=1)
    return p_sim, mean, var


def _fdr_masks(
    z: NDArray[np.float64],
    p: NDArray[np.float64],
    p_sim: NDArray[np.float64] | None,
    fdr_q: float,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    tested = p if p_sim is None else np.minimum(1.0, 2.0 * p_sim)
    tested = np.where(np.isnan(z), np.nan, tested)
    reject = _fdr_reject_fast(tested, fdr_q)
    return reject & (z > 0), reject & (z < 0)


def _fdr_reject_fast(pvalues: NDArray[np.float64], q: float) -> NDArray[np.bool_]:
    """``fdr_reject(pvalues, q=q)``, sorting only the p-values at or below ``q``.

    Benjamini–Hochberg rejects the k smallest p-values for the largest k with
    ``p_(k) <= k q / m``; a p-value above q is never rejected, and the ranks of
    the s p-values at or below q are the same among them as among all m. So BH
    run on that subset, with its adjusted values scaled by m / s, decides
    exactly as BH on everything. Sorting a million p-values is what made FDR
    the slowest step of a large grid.
    """
    m = int(np.count_nonzero(~np.isnan(pvalues)))
    candidates = np.flatnonzero(pvalues <= q)
    reject = np.zeros(pvalues.shape, dtype=bool)
    s = candidates.size
    if s:
        adjusted = benjamini_hochberg(pvalues.ravel()[candidates]) * (m / s)
        reject.ravel()[candidates[adjusted <= q]] = True
    return reject


def _two_sided_normal_p(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return 2.0 * special.ndtr(-np.abs(z))


# ---------------------------------------------------------------------------
# Getis-Ord Gi*


def _gi_star_from_lag(
    lag_centred: NDArray[np.float64],
    w_i: NDArray[np.float64],
    n: int,
    s: float,
) -> NDArray[np.float64]:
    # Ord & Getis (1995) eq. 14 with binary weights (S1i = Wi), as spdep localG:
    # the variance uses the population variance of x over all n sites.
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = s * np.sqrt((n * w_i - w_i * w_i) / (n - 1))
        z = lag_centred / sd
    z[~np.isfinite(z)] = np.nan
    return z


def gi_star_grid(
    values_2d: ArrayLike,
    *,
    neighbourhood: Literal["queen", "rook"] = "queen",
    permutations: int = 0,
    seed: int | None = None,
    replace: bool = False,
    permute_self: bool = False,
    fdr_q: float = 0.05,
    mask: ArrayLike | None = None,
) -> GiStarResult:
    """Getis-Ord Gi* hot spots on a regular grid (Ord & Getis 1995).

    Each cell's statistic sums the cell itself and its queen (8) or rook (4)
    neighbours with binary weights, exactly as R spdep
    ``localG(x, nb2listw(include.self(cell2nb(nrow, ncol, type)), style = "B"))``.
    Edge cells have fewer neighbours; the grid does not wrap. Cells that are
    NaN or False in ``mask`` (for instance outside the municipality) are left
    out: they neither count as neighbours nor enter the mean and variance, and
    get NaN results.

    The box sums are computed with ``scipy.ndimage.correlate``, so a 1000 × 1000
    grid with FDR takes a fraction of a second. ``permutations > 0`` adds
    conditional-permutation pseudo p-values (spdep ``localG_perm``, PySAL esda
    ``G_Local(star=True)``), which cost ``cells × permutations × 9`` draws and
    are meant for grids of thousands, not millions, of cells (``replace`` and
    ``permute_self`` as in ``gi_star``).
    """
    x = np.asarray(values_2d, dtype=float)
    if x.ndim != 2:
        raise ValueError("values_2d must be two-dimensional")
    if neighbourhood == "queen":
        footprint = np.ones((3, 3))
    elif neighbourhood == "rook":
        footprint = np.array([[0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    else:
        raise ValueError("neighbourhood must be 'queen' or 'rook'")
    valid = np.isfinite(x)
    if mask is not None:
        valid &= np.asarray(mask, dtype=bool)
    n = int(valid.sum())
    if n < 2:
        raise ValueError("need at least two valid cells")
    xbar = float(x[valid].mean())
    centred = np.where(valid, x - xbar, 0.0)
    s = float(np.sqrt(np.sum(centred * centred) / n))
    lag = ndimage.correlate(centred, footprint, mode="constant", cval=0.0)
    if valid.all():
        w_i = ndimage.correlate(np.ones_like(x), footprint, mode="constant", cval=0.0)
    else:
        w_i = ndimage.correlate(valid.astype(float), footprint, mode="constant", cval=0.0)
    z = _gi_star_from_lag(lag, w_i, n, s)
    z[~valid] = np.nan
    p = _two_sided_normal_p(z)

    p_sim = None
    if permutations > 0:
        flat_index = np.full(x.shape, -1, dtype=np.int64)
        flat_index[valid] = np.arange(n)
        adjacency = _grid_adjacency(flat_index, footprint)
        vals = x[valid]
        p_flat = _gi_star_permutation(
            vals,
            adjacency,
            permutations=permutations,
            seed=seed,
            replace=replace,
            permute_self=permute_self,
        )
        p_sim = np.full(x.shape, np.nan)
        p_sim[valid] = p_flat
    hot, cold = _fdr_masks(z, p, p_sim, fdr_q)
    return GiStarResult(
        z=z, p=p, hot=hot, cold=cold, p_sim=p_sim, permutations=permutations, fdr_q=fdr_q
    )


def _gi_star_permutation(
    x: NDArray[np.float64],
    adjacency: sparse.csr_array,
    *,
    permutations: int,
    seed: int | None,
    replace: bool,
    permute_self: bool,
) -> NDArray[np.float64]:
    if permute_self:
        # spdep 1.2 localG_perm draws all Wi* values, the site's own slot too,
        # from the other sites.
        adjacency = sparse.csr_array(adjacency + sparse.eye_array(x.size, format="csr"))
        adjacency.sort_indices()
    p_sim, _, _ = _conditional_permutation(
        x,
        adjacency,
        adjacency @ x,
        permutations=permutations,
        rng=np.random.default_rng(seed),
        replace=replace,
    )
    return p_sim


def _grid_adjacency(
    flat_index: NDArray[np.int64], footprint: NDArray[np.float64]
) -> sparse.csr_array:
    """Self-free binary adjacency between the valid cells of a grid."""
    ny, nx = flat_index.shape
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    padded = np.full((ny + 2, nx + 2), -1, dtype=np.int64)
    padded[1:-1, 1:-1] = flat_index
    for dy, dx in zip(*np.nonzero(footprint), strict=True):
        if dy == 1 and dx == 1:
            continue
        other = padded[dy : dy + ny, dx : dx + nx]
        ok = (flat_index >= 0) & (other >= 0)
        rows.append(flat_index[ok])
        cols.append(other[ok])
    n = int(flat_index.max()) + 1
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    m = sparse.csr_array((np.ones(r.size), (r, c)), shape=(n, n))
    m.sort_indices()
    return m


def gi_star(
    values: ArrayLike,
    neighbours: Neighbours,
    *,
    permutations: int = 0,
    seed: int | None = None,
    replace: bool = False,
    permute_self: bool = False,
    fdr_q: float = 0.05,
) -> GiStarResult:
    """Getis-Ord Gi* for areas with contiguity weights (Ord & Getis 1995).

    ``neighbours[i]`` lists the indices of the areas bordering area ``i`` (not
    ``i`` itself), or ``neighbours`` is a sparse matrix whose non-zero pattern
    gives the same. Weights are binary and include the area itself, as R spdep
    ``localG(x, nb2listw(include.self(nb), style = "B"))``. ``permutations > 0``
    adds conditional-permutation pseudo p-values as spdep ``localG_perm``
    (which draws with replacement; here, as in PySAL esda, without, unless
    ``replace=True``). The area's own value stays in place, as in esda's
    ``G_Local(star=True)`` and Anselin's conditional randomisation; spdep 1.2
    ``localG_perm`` instead draws it from the other areas too
    (``permute_self=True``).
    """
    x = np.asarray(values, dtype=float).ravel()
    if not np.all(np.isfinite(x)):
        raise ValueError("values must be finite")
    n = x.size
    if n < 2:
        raise ValueError("need at least two areas")
    adjacency = _to_csr(neighbours, n)
    xbar = float(x.mean())
    centred = x - xbar
    s = float(np.sqrt(np.mean(centred * centred)))
    w_i = np.diff(adjacency.indptr).astype(float) + 1.0
    lag = adjacency @ centred + centred
    z = _gi_star_from_lag(lag, w_i, n, s)
    p = _two_sided_normal_p(z)
    p_sim = None
    if permutations > 0:
        p_sim = _gi_star_permutation(
            x,
            adjacency,
            permutations=permutations,
            seed=seed,
            replace=replace,
            permute_self=permute_self,
        )
    hot, cold = _fdr_masks(z, p, p_sim, fdr_q)
    return GiStarResult(
        z=z, p=p, hot=hot, cold=cold, p_sim=p_sim, permutations=permutations, fdr_q=fdr_q
    )


# ---------------------------------------------------------------------------
# Local Moran's I


def local_moran(
    values: ArrayLike,
    neighbours: Neighbours,
    *,
    permutations: int = 999,
    seed: int | None = None,
    replace: bool = False,
    style: Literal["W", "B"] = "W",
    fdr_q: float = 0.05,
) -> LocalMoranResult:
    """Local Moran's I, a LISA statistic (Anselin 1995).

    ``I_i = (z_i / m2) * sum_j w_ij z_j`` with ``z = x - mean(x)`` and
    ``m2 = sum(z^2) / n``; weights row-standardised (``style="W"``, the spdep
    default) or binary (``"B"``). The analytic expectation and variance are
    spdep ``localmoran``'s defaults (``conditional = TRUE``, ``mlvar = TRUE``:
    the moments under conditional randomisation, Sokal, Oden & Thomson 1998).
    ``p_sim`` comes from conditional permutation as spdep ``localmoran_perm``
    and PySAL esda ``Moran_Local`` (without replacement, as esda; ``replace=True``
    draws with replacement as spdep 1.2). Areas without neighbours get NaN.
    """
    x = np.asarray(values, dtype=float).ravel()
    if not np.all(np.isfinite(x)):
        raise ValueError("values must be finite")
    n = x.size
    if n < 3:
        raise ValueError("need at least three areas")
    binary = _to_csr(neighbours, n)
    card = np.diff(binary.indptr).astype(float)
    if style == "W":
        with np.errstate(divide="ignore"):
            scale = np.where(card > 0, 1.0 / card, 0.0)
        adjacency = sparse.csr_array(
            (binary.data * np.repeat(scale, np.diff(binary.indptr)), binary.indices, binary.indptr),
            shape=binary.shape,
        )
    elif style == "B":
        adjacency = binary
    else:
        raise ValueError("style must be 'W' or 'B'")
    z = x - x.mean()
    m2 = float(np.sum(z * z) / n)
    lag = adjacency @ z
    ii = (z / m2) * lag
    w_i = np.asarray(adjacency.sum(axis=1)).ravel()
    w_i2 = np.asarray(adjacency.multiply(adjacency).sum(axis=1)).ravel()
    expected = -(z * z * w_i) / ((n - 1) * m2)
    variance = (z / m2) ** 2 * (n / (n - 2)) * (w_i2 - w_i * w_i / (n - 1)) * (m2 - z * z / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        zscore = (ii - expected) / np.sqrt(variance)
    zscore[(card == 0) | ~np.isfinite(zscore)] = np.nan
    p = _two_sided_normal_p(zscore)

    p_sim = mean_sim = var_sim = None
    if permutations > 0:
        p_sim, lag_mean, lag_var = _conditional_permutation(
            z,
            adjacency,
            lag,
            permutations=permutations,
            rng=np.random.default_rng(seed),
            replace=replace,
        )
        # I_i is (z_i / m2) times the lag: a negative factor flips the tail, which
        # the folded p-value ignores; the moments scale accordingly.
        mean_sim = (z / m2) * lag_mean
        var_sim = (z / m2) ** 2 * lag_var
    quadrant = np.where(z > 0, np.where(lag > 0, "HH", "HL"), np.where(lag > 0, "LH", "LL")).astype(
        "<U2"
    )
    sig_z = np.where(np.isnan(zscore), np.nan, np.where(ii >= expected, 1.0, -1.0))
    hot, cold = _fdr_masks(sig_z, p, p_sim, fdr_q)
    return LocalMoranResult(
        i=ii,
        expected=expected,
        variance=variance,
        z=zscore,
        p=p,
        p_sim=p_sim,
        expected_sim=mean_sim,
        variance_sim=var_sim,
        quadrant=quadrant,
        significant=hot | cold,
        permutations=permutations,
        fdr_q=fdr_q,
    )


# ---------------------------------------------------------------------------
# Contiguity from polygons


def contiguity_from_geometries(
    geoms: Sequence[object],
    kind: Literal["queen", "rook"] = "queen",
    *,
    method: Literal["geometry", "vertices"] = "geometry",
    snap: float = 0.0,
) -> list[list[int]]:
    """Queen or rook contiguity between polygons (as R spdep ``poly2nb``).

    ``method="vertices"`` reproduces spdep ``poly2nb``: two polygons are queen
    neighbours when a vertex of one lies within ``snap`` of a vertex of the
    other, rook neighbours when at least two distinct vertices do. spdep's
    default snap is ``sqrt(.Machine$double.eps)`` (1.49e-8), which this method
    uses when ``snap`` is 0.

    ``method="geometry"`` (the default) asks shapely instead: queen when the
    polygons come within ``snap`` of each other (touch or overlap), rook when
    they share a stretch of boundary of positive length or overlap. Simplified
    boundaries (such as the district and municipality files in ``data/``)
    often cross each other between vertices and leave thin overlaps, so
    neighbours that truly share a border can share no vertex; the geometric
    test keeps them, where spdep drops them. On Stockholm's 117 districts the
    two methods differ by exactly such pairs (see tests/stats/test_hotspots.py).

    Candidate pairs come from a shapely STRtree (or a k-d tree of vertices), so
    this is fast for thousands of areas. Returns sorted neighbour lists without
    self-links.
    """
    # shapely is needed only for the polygon output; the statistics need only numpy and scipy.
    import shapely
    from shapely.strtree import STRtree

    if kind not in ("queen", "rook"):
        raise ValueError("kind must be 'queen' or 'rook'")
    arr = np.asarray(geoms, dtype=object)
    n = arr.size
    if method == "vertices":
        left, right = _shared_vertex_pairs(arr, kind, snap if snap > 0 else 1.4901161193847656e-08)
    elif method == "geometry":
        tree = STRtree(arr)
        if snap > 0:
            left, right = tree.query(arr, predicate="dwithin", distance=snap)
        else:
            left, right = tree.query(arr, predicate="intersects")
        keep = left < right
        left, right = left[keep], right[keep]
        if kind == "rook" and left.size:
            b_left = shapely.boundary(arr[left])
            b_right = shapely.boundary(arr[right])
            overlap = shapely.area(shapely.intersection(arr[left], arr[right])) > 0
            if snap > 0:
                shared = shapely.intersection(b_left, shapely.buffer(b_right, snap))
                ok = (shapely.length(shared) > 2 * snap) | overlap
            else:
                shared = shapely.intersection(b_left, b_right)
                ok = (shapely.length(shared) > 0) | overlap
            left, right = left[ok], right[ok]
    else:
        raise ValueError("method must be 'geometry' or 'vertices'")
    out: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        out[a].append(b)
        out[b].append(a)
    return [sorted(set(nb)) for nb in out]


def _shared_vertex_pairs(
    arr: NDArray[np.object_], kind: str, snap: float
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Polygon pairs (i < j) sharing at least one (queen) or two (rook) vertices."""
    # shapely is needed only for the polygon output; the statistics need only numpy and scipy.
    import shapely
    from scipy.spatial import cKDTree

    coords, owner = shapely.get_coordinates(arr, return_index=True)
    # A ring repeats its first vertex, and a vertex may recur: count each
    # distinct position of a polygon once.
    key = np.unique(np.column_stack([owner, coords]), axis=0)
    owner = key[:, 0].astype(np.int64)
    coords = key[:, 1:]
    pairs = cKDTree(coords).query_pairs(snap, output_type="ndarray")
    a, b = owner[pairs[:, 0]], owner[pairs[:, 1]]
    other = a != b
    lo = np.minimum(a, b)[other]
    hi = np.maximum(a, b)[other]
    # One shared point per vertex of the lower-numbered polygon.
    vertex = np.where(a < b, pairs[:, 0], pairs[:, 1])[other]
    triples = np.unique(np.column_stack([lo, hi, vertex]), axis=0)
    pair_keys, counts = np.unique(triples[:, :2], axis=0, return_counts=True)
    if kind == "rook":
        pair_keys = pair_keys[counts >= 2]
    return pair_keys[:, 0], pair_keys[:, 1]


# ---------------------------------------------------------------------------
# Kernel density


def _quartic(d2: NDArray[np.float64], bandwidth: float) -> NDArray[np.float64]:
    u2 = d2 / (bandwidth * bandwidth)
    return np.where(u2 < 1.0, 3.0 / (np.pi * bandwidth * bandwidth) * (1.0 - u2) ** 2, 0.0)


def kde_grid(
    x: ArrayLike,
    y: ArrayLike,
    *,
    cell_size: float,
    bandwidth: float,
    bounds: tuple[float, float, float, float] | None = None,
    weights: ArrayLike | None = None,
) -> KdeGrid:
    """Kernel density estimate on a grid with the quartic (biweight) kernel.

    ``K(d) = 3 / (pi h^2) * (1 - d^2 / h^2)^2`` for ``d < h`` (bandwidth ``h``),
    the kernel of the crime-mapping literature (Chainey, Tompson & Uhlig 2008;
    Levine's CrimeStat). Coordinates are metres in a projected CRS (SWEREF 99
    TM). The density at a cell centre is ``sum_k w_k K(|c - p_k|)`` scaled by
    10^6, i.e. **events per km²**: integrated over the plane, each event
    contributes its weight (1 by default). The kernel is not renormalised on the
    grid, so with ``bandwidth`` only a cell or two wide the cell sums drift from
    the event count.

    The points are linearly binned onto the cell centres (each point's weight
    split bilinearly between the four nearest centres; Wand 1994) and the
    binned grid is convolved with the kernel by FFT, so the cost is
    ``O(cells log cells)`` whatever the number of points. With points at cell
    centres the result equals the brute-force sum exactly; otherwise linear
    binning errs by ``O((cell_size / bandwidth)^2)``. ``bounds`` is
    ``(x_min, y_min, x_max, y_max)``, widened to whole cells; by default the
    points' extent padded by the bandwidth. Points outside the bounds still
    contribute to cells within ``bandwidth`` of them.
    """
    px = np.asarray(x, dtype=float).ravel()
    py = np.asarray(y, dtype=float).ravel()
    if px.shape != py.shape:
        raise ValueError("x and y differ in length")
    w = np.ones_like(px) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.shape != px.shape:
        raise ValueError("weights differ in length from x")
    if cell_size <= 0 or bandwidth <= 0:
        raise ValueError("cell_size and bandwidth must be positive")
    ok = np.isfinite(px) & np.isfinite(py) & np.isfinite(w)
    px, py, w = px[ok], py[ok], w[ok]
    if bounds is None:
        if px.size == 0:
            raise ValueError("no points and no bounds")
        bounds = (
            float(px.min() - bandwidth),
            float(py.min() - bandwidth),
            float(px.max() + bandwidth),
            float(py.max() + bandwidth),
        )
    x_min, y_min, x_max, y_max = bounds
    nx = max(1, int(np.ceil((x_max - x_min) / cell_size - 1e-9)))
    ny = max(1, int(np.ceil((y_max - y_min) / cell_size - 1e-9)))
    y_top = y_min + ny * cell_size

    # Bin onto an enlarged grid so that points just outside still reach the edge.
    pad = int(np.ceil(bandwidth / cell_size)) + 1
    gx = (px - x_min) / cell_size - 0.5 + pad  # column, centres at integers
    gy = (y_top - py) / cell_size - 0.5 + pad  # row from the north
    big_nx, big_ny = nx + 2 * pad, ny + 2 * pad
    c0 = np.floor(gx)
    r0 = np.floor(gy)
    fx = gx - c0
    fy = gy - r0
    c0 = c0.astype(np.int64)
    r0 = r0.astype(np.int64)
    flat = np.zeros(big_ny * big_nx)
    for dr, dc, share in (
        (0, 0, (1 - fy) * (1 - fx)),
        (0, 1, (1 - fy) * fx),
        (1, 0, fy * (1 - fx)),
        (1, 1, fy * fx),
    ):
        rr = r0 + dr
        cc = c0 + dc
        inside = (rr >= 0) & (rr < big_ny) & (cc >= 0) & (cc < big_nx)
        flat += np.bincount(
            rr[inside] * big_nx + cc[inside], weights=(w * share)[inside], minlength=flat.size
        )
    binned = flat.reshape(big_ny, big_nx)

    radius = int(np.ceil(bandwidth / cell_size))
    offsets = np.arange(-radius, radius + 1) * cell_size
    kernel = _quartic(offsets[:, None] ** 2 + offsets[None, :] ** 2, bandwidth)
    smooth = signal.fftconvolve(binned, kernel, mode="same")
    density = smooth[pad : pad + ny, pad : pad + nx] * 1e6
    # FFT round-off leaves tiny negative values where there are no events.
    np.maximum(density, 0.0, out=density)
    return KdeGrid(
        density=density,
        transform=(x_min, cell_size, 0.0, y_top, 0.0, -cell_size),
        x_centres=np.asarray(x_min + (np.arange(nx) + 0.5) * cell_size, dtype=np.float64),
        y_centres=np.asarray(y_top - (np.arange(ny) + 0.5) * cell_size, dtype=np.float64),
        cell_size=cell_size,
        bandwidth=bandwidth,
        total_weight=float(w.sum()),
    )


# ---------------------------------------------------------------------------
# PAI / PEI


def pai(
    hit_mask: ArrayLike,
    counts_test: ArrayLike,
    *,
    cell_area: ArrayLike | None = None,
    study_mask: ArrayLike | None = None,
) -> PaiResult:
    """Predictive Accuracy Index of a hot-spot map (Chainey, Tompson & Uhlig 2008).

    ``PAI = (n / N) / (a / A)``: the share of the test period's events that
    fall in the predicted hot spots (``hit_mask``) divided by the share of the
    study area they cover. ``counts_test`` holds the test-period events per
    cell; ``cell_area`` defaults to equal cells; ``study_mask`` limits the study
    area (cells outside are ignored).

    Also the Predictive Efficiency Index (Hunt 2016): ``PEI = PAI / PAI*``,
    where ``PAI*`` is the best PAI any selection of cells of the same total area
    could have reached, taking the cells with the most test events first (for
    unequal cell areas, by events per area, filling the last cell
    fractionally).
    """
    hits = np.asarray(hit_mask, dtype=bool)
    counts = np.asarray(counts_test, dtype=float)
    if hits.shape != counts.shape:
        raise ValueError("hit_mask and counts_test differ in shape")
    area = np.ones(counts.shape) if cell_area is None else np.asarray(cell_area, dtype=float)
    area = np.broadcast_to(area, counts.shape)
    study = (
        np.ones(counts.shape, dtype=bool)
        if study_mask is None
        else np.asarray(study_mask, dtype=bool)
    )
    hits = hits & study
    total_events = float(counts[study].sum())
    total_area = float(area[study].sum())
    events_hit = float(counts[hits].sum())
    area_hit = float(area[hits].sum())
    if total_events <= 0 or total_area <= 0:
        raise ValueError("the study area has no events or no area")
    hit_rate = events_hit / total_events
    area_share = area_hit / total_area
    pai_value = hit_rate / area_share if area_share > 0 else float("nan")

    # Best achievable events within the same area: greedy by event density.
    c = counts[study]
    a = area[study]
    order = np.argsort(-(c / a), kind="stable")
    cum_area = np.cumsum(a[order])
    cum_events = np.cumsum(c[order])
    k = int(np.searchsorted(cum_area, area_hit - 1e-12 * total_area))
    if area_hit <= 0:
        best = 0.0
    else:
        before_area = cum_area[k - 1] if k > 0 else 0.0
        before_events = cum_events[k - 1] if k > 0 else 0.0
        k = min(k, c.size - 1)
        fraction = (area_hit - before_area) / a[order][k]
        best = float(before_events + fraction * c[order][k])
    pai_max = (best / total_events) / area_share if area_share > 0 else float("nan")
    pei = pai_value / pai_max if pai_max and pai_max > 0 else float("nan")
    return PaiResult(
        pai=pai_value,
        pei=pei,
        hit_rate=hit_rate,
        area_share=area_share,
        events_hit=events_hit,
        events_total=total_events,
        pai_max=pai_max,
    )


# ---------------------------------------------------------------------------
# Aoristic weekday × hour


_WEEK_S = 7 * 24 * 3600


def aoristic_weekday_hour(
    start: ArrayLike,
    end: ArrayLike | None = None,
    *,
    cap_days: float = 7.0,
    chunk: int = 8192,
) -> AoristicResult:
    """Weekday × hour counts with aoristic weights (Ratcliffe 2002).

    An event known only to have happened between ``start`` and ``end`` (numpy
    ``datetime64``, naive local time) contributes weight 1 spread uniformly
    over its window: each of the 7 × 24 weekday-hour bins receives the share of
    the window's duration that falls in it (exact to the second). Events with
    ``end == start`` (or ``end`` missing/NaT) fall wholly in the bin of
    ``start``. Windows longer than ``cap_days`` (default 7 days) say nothing
    about the weekday or hour and are spread uniformly, 1/168 to each bin; a
    window of exactly a week is uniform anyway. Events with a NaT ``start`` are
    skipped and counted. ``end < start`` raises ``ValueError``.

    Local time is taken at face value: a window across a daylight-saving change
    is weighted by wall-clock, not elapsed, time.
    """
    s = np.asarray(start, dtype="datetime64[s]").ravel()
    e = s.copy() if end is None else np.asarray(end, dtype="datetime64[s]").ravel()
    if e.shape != s.shape:
        raise ValueError("start and end differ in length")
    s_missing = np.isnat(s)
    e = np.where(np.isnat(e), s, e)
    s = s[~s_missing]
    e = e[~s_missing]
    secs = s.astype(np.int64)
    dur = (e.astype(np.int64) - secs).astype(float)
    if np.any(dur < 0):
        raise ValueError("an event ends before it starts")
    # 1970-01-01 was a Thursday: shift so that Monday 00:00 is offset 0.
    offset = ((secs + 3 * 86400) % _WEEK_S).astype(float)
    matrix = np.zeros(2 * 168)

    capped = dur > cap_days * 86400.0
    exact = (dur == 0) & ~capped
    spread = ~capped & ~exact
    matrix[:168] += np.bincount((offset[exact] // 3600).astype(np.int64), minlength=168)
    matrix[:168] += np.count_nonzero(capped) / 168.0

    # Windows up to a week long fit in two consecutive weeks of hour bins.
    edges = np.arange(2 * 168 + 1) * 3600.0
    o = offset[spread]
    d = dur[spread]
    for i in range(0, o.size, chunk):
        oc = o[i : i + chunk, None]
        dc = d[i : i + chunk, None]
        covered = np.clip((edges[None, :] - oc) / dc, 0.0, 1.0)
        matrix += np.diff(covered, axis=1).sum(axis=0)
    week = (matrix[:168] + matrix[168:]).reshape(7, 24)
    return AoristicResult(
        matrix=week,
        n_events=int(s.size),
        n_capped=int(np.count_nonzero(capped)),
        n_skipped=int(np.count_nonzero(s_missing)),
    )
