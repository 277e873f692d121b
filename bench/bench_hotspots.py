"""Benchmark of tryggnav.stats.hotspots: Gi* with FDR on a million cells, KDE.

Run from the repository root:

    .venv/bin/python bench/bench_hotspots.py

Prints one ``name: seconds (target <= limit)`` line per case, the best of a few
runs, and exits 1 if a target is missed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tryggnav.stats.hotspots import aoristic_weekday_hour, gi_star_grid, kde_grid  # noqa: E402


def best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    rng = np.random.default_rng(2024)
    # Counts on a 1000 x 1000 grid of 20 m cells (a 20 km x 20 km city), with
    # a few planted hot spots.
    counts = rng.poisson(2.0, size=(1000, 1000)).astype(float)
    for r, c in rng.integers(50, 950, size=(20, 2)):
        counts[r - 3 : r + 3, c - 3 : c + 3] += rng.poisson(4.0, size=(6, 6))
    # 100,000 events in the same city, half in clusters.
    n = 100_000
    centres = rng.uniform(0, 20_000, size=(200, 2))
    pick = rng.integers(0, 200, n // 2)
    clustered = centres[pick] + rng.normal(0, 300, size=(n // 2, 2))
    uniform = rng.uniform(0, 20_000, size=(n - n // 2, 2))
    pts = np.vstack([clustered, uniform])
    start = np.datetime64("2025-01-01T00:00") + rng.integers(0, 365 * 1440, n).astype(
        "timedelta64[m]"
    )
    end = start + rng.integers(0, 3 * 1440, n).astype("timedelta64[m]")

    cases = [
        ("gi_star_1e6_cells_s", 0.5, lambda: gi_star_grid(counts, fdr_q=0.05)),
        (
            "kde_1e6_cells_1e5_points_s",
            2.0,
            lambda: kde_grid(
                pts[:, 0],
                pts[:, 1],
                cell_size=20.0,
                bandwidth=400.0,
                bounds=(0.0, 0.0, 20_000.0, 20_000.0),
            ),
        ),
        ("aoristic_1e5_events_s", 2.0, lambda: aoristic_weekday_hour(start, end)),
    ]
    failed = False
    for name, limit, fn in cases:
        seconds = best_of(fn)
        print(f"{name}: {seconds:.2f} (target <= {limit:g})")
        failed |= seconds > limit
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
