"""Counts and rates: exact Poisson intervals and comparisons of two rates.

Reported crimes, police events and incidents per area are counts; per 1,000
inhabitants they are rates. Checked against R ``poisson.test`` on the fixtures in
``tests/stats/fixtures`` (built by ``make_proportions_fixtures.R``):

- :func:`poisson_confint` -- exact (Garwood 1936) interval for a count or a rate.
- :func:`rate` -- a rate per 1,000 (or any base) with its exact interval.
- :func:`poisson_test` -- one-sample exact test, R ``poisson.test(x, T, r)``.
- :func:`compare_rates` -- two rates: conditional binomial exact test and rate-ratio
  interval, R ``poisson.test(c(x1, x2), c(T1, T2))``, plus a normal-approximation
  rate difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from tryggnav.stats.proportions import binom_test

__all__ = [
    "PoissonTest",
    "Rate",
    "RateComparison",
    "compare_rates",
    "poisson_confint",
    "poisson_test",
    "rate",
]

FloatArray = NDArray[np.float64]


def _out(x: FloatArray) -> float | FloatArray:
    return float(x) if x.ndim == 0 else x


def poisson_confint(
    count: ArrayLike, exposure: ArrayLike = 1.0, *, alpha: float = 0.05, per: float = 1.0
) -> tuple[float | FloatArray, float | FloatArray]:
    """Exact Poisson interval (Garwood 1936, *Biometrika* 28:437; R ``poisson.test``).

    Limits for the mean of a Poisson count x are the gamma quantiles
    Gamma(x).ppf(alpha/2) (0 for x = 0) and Gamma(x + 1).ppf(1 - alpha/2), i.e.
    chi^2_{2x}(alpha/2)/2 and chi^2_{2x+2}(1 - alpha/2)/2. Divided by ``exposure``
    (person-time, population) and multiplied by ``per`` they bound a rate, e.g.
    ``per=1000`` with population as exposure for crimes per 1,000 inhabitants.
    Vectorised over count and exposure; the coverage is at least 1 - alpha.
    """
    x = np.asarray(count, dtype=float)
    if np.any(x < 0):
        raise ValueError("counts must be non-negative")
    t = np.asarray(exposure, dtype=float)
    if np.any(t <= 0):
        raise ValueError("exposure must be positive")
    with np.errstate(invalid="ignore"):
        low = np.where(x > 0, special.gammaincinv(np.maximum(x, 1e-300), alpha / 2), 0.0)
    high = special.gammaincinv(x + 1, 1 - alpha / 2)
    scale = per / t
    return _out(np.asarray(low * scale)), _out(np.asarray(high * scale))


@dataclass(frozen=True)
class Rate:
    """A rate per ``per`` units of exposure with its exact Poisson interval."""

    count: float | FloatArray
    exposure: float | FloatArray
    per: float
    rate: float | FloatArray
    low: float | FloatArray
    high: float | FloatArray


def rate(
    count: ArrayLike, population: ArrayLike, *, per: float = 1000.0, alpha: float = 0.05
) -> Rate:
    """Rate per ``per`` inhabitants (default 1,000) with the exact Garwood interval
    (see :func:`poisson_confint`; R ``poisson.test(x, population)$conf.int * per``)."""
    x = np.asarray(count, dtype=float)
    t = np.asarray(population, dtype=float)
    low, high = poisson_confint(x, t, alpha=alpha, per=per)
    return Rate(_out(x), _out(t), per, _out(np.asarray(x / t * per)), low, high)


@dataclass(frozen=True)
class PoissonTest:
    """One-sample exact Poisson test of rate = ``null_rate``."""

    estimate: float
    low: float
    high: float
    p_value: float


def _poisson_two_sided(x: int, m: float) -> float:
    # R's poisson.test: sum the probabilities of counts no more likely than x
    # (relative tolerance 1e-7), searching the upper tail until it is small enough.
    if m == 0:
        return float(x == 0)
    rel_err = 1 + 1e-7
    d = stats.poisson.pmf(x, m)
    if x == m:
        return 1.0
    if x < m:
        big_n = int(np.ceil(2 * m - x))
        while stats.poisson.pmf(big_n, m) > d:
            big_n *= 2
        i = np.arange(int(np.ceil(m)), big_n + 1)
        y = int(np.sum(stats.poisson.pmf(i, m) <= d * rel_err))
        pv = stats.poisson.cdf(x, m) + stats.poisson.sf(big_n - y, m)
    else:
        i = np.arange(0, int(np.floor(m)) + 1)
        y = int(np.sum(stats.poisson.pmf(i, m) <= d * rel_err))
        pv = stats.poisson.cdf(y - 1, m) + stats.poisson.sf(x - 1, m)
    return float(min(1.0, pv))


def poisson_test(
    count: int, exposure: float = 1.0, *, null_rate: float = 1.0, alpha: float = 0.05
) -> PoissonTest:
    """Exact one-sample Poisson test (R ``poisson.test(x, T, r)``), two-sided.

    The p-value sums the probabilities of all counts no more likely than the observed
    one under mean ``null_rate * exposure`` (R's rule, including its 1e-7 tolerance);
    the interval is Garwood's (:func:`poisson_confint`).
    """
    if count < 0 or count != int(count):
        raise ValueError("count must be a non-negative integer")
    low, high = poisson_confint(count, exposure, alpha=alpha)
    pv = _poisson_two_sided(int(count), null_rate * exposure)
    return PoissonTest(count / exposure, float(low), float(high), pv)


@dataclass(frozen=True)
class RateComparison:
    """Rate 1 against rate 2: exact rate ratio test and approximate difference."""

    rate1: float
    rate2: float
    rate_ratio: float
    ratio_low: float
    ratio_high: float
    p_value: float  # exact, conditional binomial
    difference: float  # rate1 - rate2, per ``per``
    difference_low: float
    difference_high: float
    difference_z: float
    difference_p_value: float
    per: float


def compare_rates(
    count1: int,
    exposure1: float,
    count2: int,
    exposure2: float,
    *,
    alpha: float = 0.05,
    per: float = 1.0,
) -> RateComparison:
    """Compare two Poisson rates (R ``poisson.test(c(x1, x2), c(T1, T2))``).

    Exact test: given x1 + x2, x1 is binomial with p = T1 / (T1 + T2) under equal
    rates (the conditional test; Przyborowski and Wilenski 1940; Breslow and Day
    1987, vol. II, 2.7); its two-sided p-value and Clopper-Pearson interval for p,
    transformed by p/(1-p) * T2/T1, give the rate ratio's test and exact interval.
    The difference of the rates (per ``per``) uses the normal approximation
    Var = x1/T1^2 + x2/T2^2 (Rothman, Greenland and Lash 2008, ch. 14); with
    small counts prefer the exact ratio.
    """
    for c in (count1, count2):
        if c < 0 or c != int(c):
            raise ValueError("counts must be non-negative integers")
    if exposure1 <= 0 or exposure2 <= 0:
        raise ValueError("exposures must be positive")
    x1, x2 = int(count1), int(count2)
    r1, r2 = x1 / exposure1, x2 / exposure2
    total = x1 + x2
    if total == 0:
        ratio, lo_r, hi_r, pv = float("nan"), 0.0, float("inf"), 1.0
    else:
        bt = binom_test(x1, total, p=exposure1 / (exposure1 + exposure2), alpha=alpha)
        to_ratio = exposure2 / exposure1
        ratio = r1 / r2 if x2 > 0 else float("inf")
        lo_r = bt.low / (1 - bt.low) * to_ratio
        hi_r = bt.high / (1 - bt.high) * to_ratio if bt.high < 1 else float("inf")
        pv = bt.p_value
    diff = (r1 - r2) * per
    se = float(np.sqrt(x1 / exposure1**2 + x2 / exposure2**2)) * per
    q = float(special.ndtri(1 - alpha / 2))
    z = diff / se if se > 0 else 0.0
    return RateComparison(
        rate1=r1 * per,
        rate2=r2 * per,
        rate_ratio=ratio,
        ratio_low=lo_r,
        ratio_high=hi_r,
        p_value=pv,
        difference=diff,
        difference_low=diff - q * se,
        difference_high=diff + q * se,
        difference_z=z,
        difference_p_value=float(2 * special.ndtr(-abs(z))) if se > 0 else 1.0,
        per=per,
    )
