"""The hot-spot layer: Gi* on grid cells (statistics core) finds a real cluster only."""

from __future__ import annotations

import random

from shapely.geometry import Point, shape

from tryggnav.lagesbild import maps


def _points(seed: int, cluster: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    scattered = [(rng.uniform(17.80, 17.95), rng.uniform(59.33, 59.39)) for _ in range(60)]
    centre = (17.8717, 59.3632)
    near = [
        (centre[0] + rng.uniform(-0.002, 0.002), centre[1] + rng.uniform(-0.001, 0.001))
        for _ in range(cluster)
    ]
    return scattered + near


def test_a_cluster_is_a_hot_spot():
    cells = maps._gi_star(_points(1, cluster=40))
    assert cells
    assert any(shape(c["geometry"]).buffer(0.003).contains(Point(17.8717, 59.3632)) for c in cells)
    assert all(c["z"] > 0 for c in cells)


def test_scattered_points_give_no_hot_spot():
    # Without the minimum counts the analytic Gi* finds "hot-spots" in most of these.
    for seed in range(2, 12):
        assert maps._gi_star(_points(seed, cluster=0)) == [], seed
