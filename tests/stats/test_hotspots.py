"""Tests of tryggnav.stats.hotspots against R spdep (fixtures from make_hotspots_fixtures.R)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from tryggnav.stats.hotspots import (
    _fdr_reject_fast,
    aoristic_weekday_hour,
    contiguity_from_geometries,
    gi_star,
    gi_star_grid,
    kde_grid,
    local_moran,
    pai,
)
from tryggnav.stats.multiple import fdr_reject

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path("/work/shared/data")
DISTRICTS = DATA / "stockholm-stadsdelar-geojson/stadsdelar_simplified.geo.json"
KOMMUNER = DATA / "sverige-kommuner-geojson/swedish_municipalities.geojson"


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


@pytest.fixture(scope="module")
def nb() -> dict[str, list[list[int]]]:
    return json.loads((FIXTURES / "hotspots_polygons_nb.json").read_text())


def max_rel(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(b)
    assert np.array_equal(np.isfinite(a), ok)
    return float(np.max(np.abs(a[ok] - b[ok]) / np.maximum(np.abs(b[ok]), 1e-12)))


def mc_tolerance(p: np.ndarray, permutations: int, *, sides: int = 2) -> np.ndarray:
    """Five standard errors of the difference of two independent Monte Carlo
    estimates of the same probability (binomial SE sqrt(p(1 - p) / P) each)."""
    return 5 * np.sqrt(sides * p * (1 - p) / permutations) + 2 / permutations


# ---------------------------------------------------------------------------
# Gi* on a grid


def test_gi_star_grid_matches_spdep_localg_queen_and_rook():
    g = read_csv("hotspots_grid.csv")
    values = g["value"].reshape(7, 9)
    for kind in ("queen", "rook"):
        res = gi_star_grid(values, neighbourhood=kind)
        assert res.z.shape == (7, 9)
        assert max_rel(res.z.ravel(), g[f"gstar_{kind}"]) < 1e-6


def test_gi_star_grid_equals_polygon_version_on_grid_neighbours():
    rng = np.random.default_rng(5)
    values = rng.gamma(2.0, 3.0, size=(6, 8))
    nbs = []
    for r in range(6):
        for c in range(8):
            nbs.append(
                [
                    rr * 8 + cc
                    for rr in range(r - 1, r + 2)
                    for cc in range(c - 1, c + 2)
                    if 0 <= rr < 6 and 0 <= cc < 8 and (rr, cc) != (r, c)
                ]
            )
    a = gi_star_grid(values)
    b = gi_star(values.ravel(), nbs)
    np.testing.assert_allclose(a.z.ravel(), b.z, rtol=1e-12)


def test_gi_star_grid_permutation_p_within_monte_carlo_error_of_spdep():
    g = read_csv("hotspots_grid.csv")
    values = g["value"].reshape(7, 9)
    # spdep 1.2's localG_perm draws with replacement and the cell's own slot too.
    res = gi_star_grid(values, permutations=9999, seed=11, replace=True, permute_self=True)
    ref = g["perm_queen_p_folded"]
    diff = np.abs(res.p_sim.ravel() - ref)
    assert np.all(diff <= mc_tolerance(ref, 9999))


def test_gi_star_permutation_without_replacement_tracks_the_analytic_p():
    # Ord & Getis's moments randomise all Wi* values, the cell's own too: drawn
    # without replacement the permutation distribution has exactly those
    # moments, and with a near-normal statistic the folded p is about half the
    # two-sided analytic p (binomial SE at most 0.011 for 1999 permutations).
    rng = np.random.default_rng(3)
    values = rng.normal(size=(20, 25))
    values[5:8, 5:8] += 2.0
    res = gi_star_grid(values, permutations=1999, seed=4, permute_self=True)
    one_sided = res.p / 2
    assert np.median(np.abs(res.p_sim - one_sided)) < 0.01
    assert np.all(np.abs(res.p_sim - one_sided) < 0.05)


def test_gi_star_grid_mask_and_nan_cells_are_left_out():
    rng = np.random.default_rng(8)
    values = rng.normal(size=(10, 12))
    mask = np.ones(values.shape, dtype=bool)
    mask[:, :3] = False
    with_mask = gi_star_grid(values, mask=mask)
    with_nan = gi_star_grid(np.where(mask, values, np.nan))
    cut = gi_star_grid(values[:, 3:])
    np.testing.assert_allclose(with_mask.z[:, 3:], cut.z, rtol=1e-12)
    np.testing.assert_allclose(with_nan.z[:, 3:], cut.z, rtol=1e-12)
    assert np.all(np.isnan(with_mask.z[:, :3]))
    assert not with_mask.hot[:, :3].any()


def test_gi_star_grid_finds_a_planted_hot_spot_and_stays_quiet_under_the_null():
    rng = np.random.default_rng(12)
    null = gi_star_grid(rng.poisson(5.0, size=(200, 200)).astype(float))
    assert null.hot.sum() + null.cold.sum() <= 5
    counts = rng.poisson(5.0, size=(200, 200)).astype(float)
    counts[100:106, 50:56] = rng.poisson(15.0, size=(6, 6))
    res = gi_star_grid(counts)
    assert res.hot[101:105, 51:55].all()
    assert res.hot.sum() <= 36 + 30
    assert not res.cold[95:111, 45:61].any()


def test_fast_fdr_equals_fdr_reject():
    rng = np.random.default_rng(0)
    for _ in range(300):
        p = rng.random(rng.integers(1, 80)) ** rng.uniform(1, 10)
        p[rng.random(p.size) < 0.1] = np.nan
        q = float(rng.choice([0.01, 0.05, 0.2]))
        np.testing.assert_array_equal(_fdr_reject_fast(p, q), fdr_reject(p, q=q))


# ---------------------------------------------------------------------------
# Polygons: contiguity, Gi*, local Moran's I


def load_geoms(path: Path) -> list[object]:
    features = json.loads(path.read_text())["features"]
    return [shapely.geometry.shape(f["geometry"]) for f in features]


@pytest.mark.skipif(not DISTRICTS.exists(), reason="shared data not available")
def test_contiguity_vertices_reproduces_spdep_poly2nb(nb):
    districts = load_geoms(DISTRICTS)
    assert (
        contiguity_from_geometries(districts, "queen", method="vertices") == nb["districts_queen"]
    )
    assert contiguity_from_geometries(districts, "rook", method="vertices") == nb["districts_rook"]
    kommuner = load_geoms(KOMMUNER)
    assert contiguity_from_geometries(kommuner, "queen", method="vertices") == nb["kommuner_queen"]


@pytest.mark.skipif(not DISTRICTS.exists(), reason="shared data not available")
def test_contiguity_geometry_adds_only_overlapping_pairs(nb):
    districts = load_geoms(DISTRICTS)
    for kind in ("queen", "rook"):
        geometric = contiguity_from_geometries(districts, kind)
        for i, (mine, theirs) in enumerate(zip(geometric, nb[f"districts_{kind}"], strict=True)):
            assert set(theirs) <= set(mine)
            for j in set(mine) - set(theirs):
                # Simplified boundaries that cross between vertices: a thin overlap.
                assert districts[i].intersection(districts[j]).area > 0


def test_contiguity_on_squares():
    squares = [shapely.box(c, r, c + 1, r + 1) for r in range(3) for c in range(3)]
    queen = contiguity_from_geometries(squares, "queen")
    rook = contiguity_from_geometries(squares, "rook")
    assert queen[4] == [0, 1, 2, 3, 5, 6, 7, 8]
    assert rook[4] == [1, 3, 5, 7]
    assert rook[0] == [1, 3]
    assert contiguity_from_geometries(squares, "rook", method="vertices") == rook
    assert contiguity_from_geometries(squares, "queen", method="vertices") == queen


def test_gi_star_polygons_match_spdep(nb):
    d = read_csv("hotspots_districts.csv")
    for kind in ("queen", "rook"):
        res = gi_star(d["value"], nb[f"districts_{kind}"])
        assert max_rel(res.z, d[f"gstar_{kind}"]) < 1e-6


def test_gi_star_polygons_permutation_within_monte_carlo_error_of_spdep(nb):
    d = read_csv("hotspots_districts.csv")
    res = gi_star(
        d["value"],
        nb["districts_queen"],
        permutations=9999,
        seed=5,
        replace=True,
        permute_self=True,
    )
    ref = d["gperm_p_folded"]
    assert np.all(np.abs(res.p_sim - ref) <= mc_tolerance(ref, 9999))


def test_local_moran_matches_spdep_localmoran(nb):
    d = read_csv("hotspots_districts.csv")
    res = local_moran(d["value"], nb["districts_queen"], permutations=0)
    assert max_rel(res.i, d["lmw_i"]) < 1e-6
    assert max_rel(res.expected, d["lmw_e"]) < 1e-6
    assert max_rel(res.variance, d["lmw_var"]) < 1e-6
    assert max_rel(res.z, d["lmw_z"]) < 1e-6
    assert max_rel(res.p, d["lmw_p"]) < 1e-6
    quadrant = {"High-High": "HH", "Low-Low": "LL", "High-Low": "HL", "Low-High": "LH"}
    assert list(res.quadrant) == [quadrant[q] for q in d["quadrant"]]
    binary = local_moran(d["value"], nb["districts_queen"], permutations=0, style="B")
    assert max_rel(binary.i, d["lmb_i"]) < 1e-6
    assert max_rel(binary.variance, d["lmb_var"]) < 1e-6
    assert max_rel(binary.z, d["lmb_z"]) < 1e-6


def test_local_moran_permutation_within_monte_carlo_error_of_spdep(nb):
    d = read_csv("hotspots_districts.csv")
    res = local_moran(d["value"], nb["districts_queen"], permutations=9999, seed=6, replace=True)
    ref = d["lmperm_p_folded"]
    assert np.all(np.abs(res.p_sim - ref) <= mc_tolerance(ref, 9999))
    # The permutation mean and variance of I_i: the SE of a mean of 9999 draws
    # is sd / 100; of a variance about var * sqrt(2 / 9999) (more with heavy tails).
    se_mean = np.sqrt(d["lmperm_var"] / 9999)
    assert np.all(np.abs(res.expected_sim - d["lmperm_mean"]) <= 6 * np.sqrt(2) * se_mean)
    np.testing.assert_allclose(res.variance_sim, d["lmperm_var"], rtol=0.1)


def test_local_moran_permutation_moments_equal_analytic_without_replacement(nb):
    d = read_csv("hotspots_districts.csv")
    res = local_moran(d["value"], nb["districts_queen"], permutations=20000, seed=7)
    se_mean = np.sqrt(res.variance / 20000)
    assert np.all(np.abs(res.expected_sim - res.expected) <= 5 * se_mean)
    np.testing.assert_allclose(res.variance_sim, res.variance, rtol=0.08)


def test_police_rates_per_municipality_match_spdep(nb):
    k = read_csv("hotspots_kommun.csv")
    g = gi_star(k["rate"], nb["kommuner_queen"])
    assert max_rel(g.z, k["gstar_queen"]) < 1e-6
    m = local_moran(k["rate"], nb["kommuner_queen"], permutations=0)
    assert max_rel(m.i, k["lm_i"]) < 1e-6
    # spdep gives the island (no neighbours) I = 0 and variance 0; we give NaN z.
    island = np.array([len(v) == 0 for v in nb["kommuner_queen"]])
    assert island.sum() == 1
    assert max_rel(m.z[~island], k["lm_z"][~island]) < 1e-6
    assert np.isnan(m.z[island]).all() and not m.significant[island].any()


def test_neighbours_as_sparse_matrix_give_the_same_result(nb):
    from scipy import sparse

    d = read_csv("hotspots_districts.csv")
    lists = nb["districts_queen"]
    rows = [i for i, v in enumerate(lists) for _ in v]
    cols = [j for v in lists for j in v]
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(117, 117))
    np.testing.assert_allclose(gi_star(d["value"], matrix).z, gi_star(d["value"], lists).z)
    with pytest.raises(ValueError, match="itself"):
        gi_star(d["value"], [[i, *v] for i, v in enumerate(lists)])


# ---------------------------------------------------------------------------
# Kernel density


def brute_force_quartic(px, py, cx, cy, h, w=None):
    w = np.ones_like(px) if w is None else w
    d2 = (cx[None, :, None] - px[None, None, :]) ** 2 + (cy[:, None, None] - py[None, None, :]) ** 2
    u2 = d2 / h**2
    k = np.where(u2 < 1, 3 / (np.pi * h**2) * (1 - u2) ** 2, 0.0)
    return (k * w).sum(axis=2) * 1e6


def test_kde_equals_brute_force_for_points_at_cell_centres():
    rng = np.random.default_rng(1)
    cell = 50.0
    px = 1000 + (rng.integers(0, 40, 300) + 0.5) * cell
    py = 2000 + (rng.integers(0, 30, 300) + 0.5) * cell
    w = rng.uniform(0.5, 2, 300)
    res = kde_grid(
        px, py, cell_size=cell, bandwidth=230.0, bounds=(1000, 2000, 3000, 3500), weights=w
    )
    assert res.density.shape == (30, 40)
    ref = brute_force_quartic(px, py, res.x_centres, res.y_centres, 230.0, w)
    np.testing.assert_allclose(res.density, ref, rtol=1e-9, atol=1e-9 * ref.max())
    assert res.transform == (1000, 50.0, 0.0, 3500, 0.0, -50.0)
    assert res.y_centres[0] > res.y_centres[-1]


def test_kde_linear_binning_close_to_brute_force_and_integrates_to_n():
    rng = np.random.default_rng(2)
    px = rng.uniform(0, 2000, 500)
    py = rng.uniform(0, 1500, 500)
    res = kde_grid(px, py, cell_size=20.0, bandwidth=300.0)
    ref = brute_force_quartic(px, py, res.x_centres, res.y_centres, 300.0)
    assert np.max(np.abs(res.density - ref)) < 0.01 * ref.max()
    # Density per km² times cell area in km² sums to the number of events.
    assert res.density.sum() * (20.0 / 1000) ** 2 == pytest.approx(500, rel=2e-3)


def test_kde_points_outside_bounds_still_reach_the_edge():
    res = kde_grid([-50.0], [500.0], cell_size=10.0, bandwidth=200.0, bounds=(0, 0, 1000, 1000))
    ref = brute_force_quartic(
        np.array([-50.0]), np.array([500.0]), res.x_centres, res.y_centres, 200.0
    )
    assert res.density[:, 0].max() > 0
    assert np.max(np.abs(res.density - ref)) < 0.01 * ref.max()


# ---------------------------------------------------------------------------
# PAI / PEI


def test_pai_and_pei():
    counts = np.array([[10, 0, 0, 0], [5, 5, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], dtype=float)
    hits = np.zeros((4, 4), dtype=bool)
    hits[1, 0] = hits[1, 1] = True
    res = pai(hits, counts)
    # 10 of 20 events in 2 of 16 cells: PAI = 0.5 / 0.125 = 4.
    assert res.pai == pytest.approx(4.0)
    assert res.hit_rate == pytest.approx(0.5)
    assert res.area_share == pytest.approx(0.125)
    # The best two cells hold 15 events: PAI* = 0.75 / 0.125 = 6, PEI = 4 / 6.
    assert res.pai_max == pytest.approx(6.0)
    assert res.pei == pytest.approx(4 / 6)
    perfect = pai(counts >= 5, counts)
    assert perfect.pei == pytest.approx(1.0)
    assert perfect.pai == pytest.approx(16 / 3)


# ---------------------------------------------------------------------------
# Aoristic weekday × hour


def brute_force_aoristic(start, end):
    out = np.zeros((7, 24))
    for s, e in zip(start, end, strict=True):
        minutes = np.arange(s, e if e > s else s + np.timedelta64(1, "m"), np.timedelta64(1, "m"))
        days = (minutes.astype("datetime64[D]").astype(np.int64) + 3) % 7
        hours = minutes.astype("datetime64[h]").astype(np.int64) % 24
        np.add.at(out, (days, hours), 1 / minutes.size)
    return out


def test_aoristic_equals_minute_by_minute_spreading():
    rng = np.random.default_rng(3)
    base = np.datetime64("2024-03-04T00:00", "m")  # a Monday
    start = base + rng.integers(0, 60 * 24 * 60, 200).astype("timedelta64[m]")
    end = start + rng.integers(0, 60 * 24 * 6, 200).astype("timedelta64[m]")
    end[:20] = start[:20]
    res = aoristic_weekday_hour(start, end)
    np.testing.assert_allclose(res.matrix, brute_force_aoristic(start, end), atol=1e-9)
    assert res.matrix.sum() == pytest.approx(200)
    assert res.n_events == 200 and res.n_capped == 0


def test_aoristic_bins_cap_and_nat():
    monday_9 = np.datetime64("2024-03-04T09:15")
    sunday_23 = np.datetime64("2024-03-10T23:30")
    start = np.array([monday_9, sunday_23, monday_9, "NaT"], dtype="datetime64[m]")
    end = np.array(
        [monday_9, sunday_23 + np.timedelta64(60, "m"), monday_9 + np.timedelta64(10, "D"), "NaT"],
        dtype="datetime64[m]",
    )
    res = aoristic_weekday_hour(start, end)
    assert res.n_events == 3 and res.n_capped == 1 and res.n_skipped == 1
    expected = np.full((7, 24), 1 / 168)
    expected[0, 9] += 1
    expected[6, 23] += 0.5  # Sunday 23:30-00:00 ...
    expected[0, 0] += 0.5  # ... wraps to Monday 00:00-00:30
    np.testing.assert_allclose(res.matrix, expected)
    with pytest.raises(ValueError, match="ends before"):
        aoristic_weekday_hour(np.array([monday_9]), np.array([monday_9 - np.timedelta64(1, "m")]))
