"""Benchmark of vectorised confidence intervals for shares (tryggnav.stats.proportions).

Run: ``.venv/bin/python bench/bench_proportions.py [--n N] [--repeat R]``

Times :func:`confint` on N (default 1,000,000) shares for every method, with a design
effect, and prints ``confint_1e6_<method>_s: seconds (target <= 0.1)``; the best of R
(default 5) runs counts. Wald, Wilson and logit must meet the target (exit 1
otherwise). The beta-quantile methods (Clopper-Pearson, Jeffreys) need an inverse
incomplete beta per share and are reported without a target, twice: for shares from
integer counts with a common n (the survey and register case: the module evaluates
each distinct (x, n) once) and for one million distinct fractional effective counts
(the worst case).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tryggnav.stats.proportions import METHODS, confint  # noqa: E402

TARGET_S = 0.1
GATED = ("wald", "wilson", "logit")


def best_time(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    n_resp = rng.integers(300, 1500, args.n).astype(float)
    shares = rng.binomial(n_resp.astype(int), 0.63) / n_resp
    tag = f"1e{int(round(np.log10(args.n)))}" if args.n >= 10 else str(args.n)
    common_n = rng.binomial(1000, 0.63, args.n) / 1000
    fractional = rng.uniform(0.0, 1.0, args.n)
    missed = []
    for method in METHODS:
        beta = method in ("clopper_pearson", "jeffreys")
        if beta:
            # Three cases: one n for all (distinct x only), survey-like n per share
            # (tens of thousands of distinct (x, n)), every share distinct (worst case).
            t = best_time(lambda m=method: confint(common_n, 1000, method=m), 1)
            print(f"confint_{tag}_{method}_common_n_s: {t:.3f} (no target)")
            t = best_time(lambda m=method: confint(shares, n_resp, method=m, deff=1.37), 1)
            print(f"confint_{tag}_{method}_s: {t:.3f} (no target)")
            t = best_time(lambda m=method: confint(fractional, 800.0, method=m, deff=1.37), 1)
            print(f"confint_{tag}_{method}_all_distinct_s: {t:.3f} (no target)", flush=True)
            continue
        t = best_time(lambda m=method: confint(shares, n_resp, method=m, deff=1.37), args.repeat)
        gated = method in GATED
        target = f"target <= {TARGET_S}" if gated else "no target"
        print(f"confint_{tag}_{method}_s: {t:.3f} ({target})", flush=True)
        if gated and t > TARGET_S:
            missed.append(method)
    se = np.sqrt(shares * (1 - shares) * 1.37 / n_resp)
    for method in ("wald", "logit"):
        t = best_time(lambda m=method: confint(shares, method=m, se=se), args.repeat)
        print(f"confint_{tag}_{method}_design_se_s: {t:.3f} (target <= {TARGET_S})")
        if t > TARGET_S:
            missed.append(f"{method} with SE")
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
