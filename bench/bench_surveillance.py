"""Benchmark of the batched Farrington port for the weekly lägesbild.

Run: ``.venv/bin/python bench/bench_surveillance.py [--series N] [--r-series M]``

Simulates N (default 20,000) negative binomial weekly series with seasonality and
trend over 264 weeks: five years (260 weeks) of history before the current week plus
the w=3 window that b=5 needs (R's first possible week is freq*b + w + 1). Then times
``farrington_flexible`` on the current week for all of them with the module's
defaults (b=3), with R's defaults (b=5) and with Noufaily et al.'s improved settings. Prints ``name: seconds (target <= limit)`` and exits 1 when a
target is missed. If ``Rscript`` with the surveillance package is available, it also
times R's ``farringtonFlexible`` on a subset of M series (default 200), extrapolates
linearly to N series and prints the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The batched fit does many small matrix products per block of series; BLAS threads
# only add overhead there (and thrash when the machine is busy). Set before numpy loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tryggnav.stats.surveillance import NOUFAILY_2013, farrington_flexible  # noqa: E402

TARGET_S = 5.0
N_WEEKS = 264

R_SCRIPT = r"""
suppressPackageStartupMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
y <- as.matrix(read.csv(args[1], header = FALSE))
y <- t(y)  # weeks x series
s <- sts(observed = y, frequency = 52, start = c(2000, 1))
k <- nrow(y)
ctl <- if (args[2] == "default") list(b = 5, w = 3, range = k) else
  list(b = 5, w = 3, range = k, noPeriods = 10, pastWeeksNotIncluded = 26,
       weightsThreshold = 2.58, pThresholdTrend = 1, thresholdMethod = "nbPlugin")
t0 <- proc.time()[["elapsed"]]
r <- suppressWarnings(farringtonFlexible(s, control = ctl))
cat(proc.time()[["elapsed"]] - t0, "\n")
"""


def simulate(n_series: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(N_WEEKS)
    base = rng.lognormal(mean=1.0, sigma=1.0, size=(n_series, 1))
    amp = rng.uniform(0.0, 0.6, size=(n_series, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(n_series, 1))
    trend = rng.normal(0.0, 0.05, size=(n_series, 1))
    mu = base * np.exp(amp * np.cos(2 * np.pi * t / 52 + phase) + trend * t / 52)
    size = rng.uniform(1.0, 20.0, size=(n_series, 1))
    return rng.negative_binomial(size, size / (size + mu)).astype(float)


def time_r(y: np.ndarray, settings: str) -> float | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "y.csv"
        script = Path(tmp) / "bench.R"
        np.savetxt(data, y, fmt="%d", delimiter=",")
        script.write_text(R_SCRIPT)
        done = subprocess.run(
            ["Rscript", str(script), str(data), settings],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        print(f"# R timing skipped: {done.stderr.strip()[:200]}")
        return None
    return float(done.stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=20_000)
    parser.add_argument("--r-series", type=int, default=200)
    args = parser.parse_args()
    y = simulate(args.series)
    farrington_flexible(y[:100])  # warm up imports and caches
    runs: dict[str, dict[str, object]] = {
        "farrington": {},
        "farrington_b5": {"b": 5},
        "farrington_noufaily": dict(NOUFAILY_2013),
    }
    failed = False
    timings: dict[str, float] = {}
    for name, settings in runs.items():
        start = time.perf_counter()
        result = farrington_flexible(y, **settings)
        elapsed = time.perf_counter() - start
        timings[name] = elapsed
        ok = elapsed <= TARGET_S
        failed |= not ok
        print(
            f"{name}_{args.series}_series_s: {elapsed:.2f} (target <= {TARGET_S})"
            f"{'' if ok else '  MISSED'}"
        )
        print(
            f"# {name}: {int(result.alarm.sum())} alarms, "
            f"{int((~result.fitted).sum())} series without a model"
        )
    if args.r_series > 0:
        for name, r_settings in (("farrington_b5", "default"), ("farrington_noufaily", "noufaily")):
            r_time = time_r(y[: args.r_series], r_settings)
            if r_time is None:
                print("# Rscript with surveillance not available: R comparison skipped")
                break
            r_full = r_time * args.series / args.r_series
            print(
                f"{name}_r_{args.r_series}_series_s: {r_time:.2f} "
                f"(extrapolated to {args.series}: {r_full:.0f} s, "
                f"{r_full / timings[name]:.0f}x the Python time)"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
