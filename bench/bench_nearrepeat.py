"""Benchmark of tryggnav.stats.nearrepeat: the Knox test on a city's year of events.

Run from the repository root:

    .venv/bin/python bench/bench_nearrepeat.py

100,000 events over 25 km x 20 km (about Stockholm municipality's extent) in
one year, 5 % of them near repeats of earlier events; the Near Repeat
Calculator's usual layout of four 50 m distance bands (plus same location) and
four 7-day time bands; 999 permutations. Prints
``knox_1e5_events_999_perms_s: seconds (target <= 15)`` and exits 1 if the
target is missed. The cost grows with the number of pairs within the largest
distance band (printed too) times the permutations.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tryggnav.stats.nearrepeat import knox  # noqa: E402

TARGET_S = 15.0


def main() -> int:
    rng = np.random.default_rng(2024)
    n = 100_000
    n_repeat = n // 20
    x = rng.uniform(0, 25_000, n - n_repeat)
    y = rng.uniform(0, 20_000, n - n_repeat)
    t = rng.integers(0, 365, n - n_repeat)
    src = rng.integers(0, n - n_repeat, n_repeat)
    angle = rng.uniform(0, 2 * np.pi, n_repeat)
    r = rng.uniform(0, 100, n_repeat)
    x = np.concatenate([x, x[src] + r * np.cos(angle)])
    y = np.concatenate([y, y[src] + r * np.sin(angle)])
    t = np.concatenate([t, np.minimum(t[src] + rng.integers(0, 14, n_repeat), 364)])

    start = time.perf_counter()
    cpu_start = time.process_time()
    res = knox(
        x,
        y,
        t,
        distance_bands=[50, 100, 150, 200],
        time_bands=[7, 14, 21, 28],
        permutations=999,
        seed=1,
    )
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(f"knox_close_pairs: {res.n_pairs}")
    print(f"knox_ratio_1_50m_0_7d: {res.ratio[1, 0]:.2f} (p = {res.p_value[1, 0]:.3f})")
    # CPU time too: on a shared machine the wall-clock time includes waiting.
    print(f"knox_1e5_events_999_perms_cpu_s: {cpu:.2f}")
    print(f"knox_1e5_events_999_perms_s: {seconds:.2f} (target <= {TARGET_S:g})")
    return 1 if seconds > TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
