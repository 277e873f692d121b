"""Shares (proportions) from surveys and registers: intervals, tests, ranks, funnels.

The citizen survey (SCB's medborgarundersökning) reports shares such as "63 % feel
safe outdoors after dark (95 % CI 59-68)" per municipality, with a design effect from
weighting and stratification. This module gives the intervals and tests behind such
statements, checked against R on the fixtures in ``tests/stats/fixtures`` (built by
``make_proportions_fixtures.R``) and against statsmodels:

- :func:`confint` -- Wald, Wilson, Agresti-Coull, Clopper-Pearson, Jeffreys and logit
  intervals, with a design effect or a design-based SE (R ``survey::svyciprop``
  "mean", "logit" and "beta" = Korn-Graubard), vectorised over millions of shares.
- :func:`binom_test`, :func:`prop_test` -- R ``binom.test`` and ``prop.test``.
- :func:`compare_shares` -- z test of two independent shares.
- :func:`compare_unit_with_whole` -- a municipality against its county, which
  contains it (so the two estimates are correlated).
- :func:`rank_intervals_bootstrap`, :func:`rank_confidence_sets` -- uncertainty of a
  league-table position (Mogstad, Romano, Shaikh and Wilhelm 2024).
- :func:`funnel_limits`, :func:`funnel_overdispersion` -- funnel plots
  (Spiegelhalter 2005).
- :func:`holm`, :func:`benjamini_hochberg`, :func:`fdr_reject` -- re-exported from
  :mod:`tryggnav.stats.multiple`.

Shares are fractions in [0, 1], not percentages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from tryggnav.stats.multiple import benjamini_hochberg, fdr_reject, holm

__all__ = [
    "METHODS",
    "BinomialTest",
    "FunnelLimits",
    "Overdispersion",
    "RankIntervals",
    "ShareComparison",
    "UnitWholeComparison",
    "benjamini_hochberg",
    "binom_test",
    "compare_shares",
    "compare_unit_with_whole",
    "confint",
    "effective_sample_size",
    "fdr_reject",
    "funnel_limits",
    "funnel_overdispersion",
    "holm",
    "prop_test",
    "rank_confidence_sets",
    "rank_intervals_bootstrap",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Method = Literal["wald", "wilson", "agresti_coull", "clopper_pearson", "jeffreys", "logit"]
METHODS: tuple[str, ...] = (
    "wald",
    "wilson",
    "agresti_coull",
    "clopper_pearson",
    "jeffreys",
    "logit",
)


def _out(x: FloatArray) -> float | FloatArray:
    """Plain floats for scalar input, arrays otherwise."""
    return float(x) if x.ndim == 0 else x


def _quantile(alpha: float, df: float | None) -> float:
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie in (0, 1)")
    if df is None:
        return float(special.ndtri(1 - alpha / 2))
    return float(stats.t.ppf(1 - alpha / 2, df))


# ----------------------------------------------------------------------------------
# Confidence intervals for one share


def effective_sample_size(n: ArrayLike, deff: ArrayLike = 1.0) -> float | FloatArray:
    """Kish's effective sample size ``n / deff`` (Kish 1965, *Survey Sampling*, 8.2).

    The number of simple-random-sample respondents that would give the same variance
    as the weighted, stratified or clustered sample of size ``n``. It is usually not
    an integer.
    """
    n_arr = np.asarray(n, dtype=float)
    d = np.asarray(deff, dtype=float)
    if np.any(d <= 0):
        raise ValueError("deff must be positive")
    return _out(n_arr / d)


def confint(
    estimate: ArrayLike,
    n: ArrayLike | None = None,
    *,
    method: Method,
    alpha: float = 0.05,
    se: ArrayLike | None = None,
    deff: ArrayLike = 1.0,
    df: float | None = None,
) -> tuple[float | FloatArray, float | FloatArray]:
    """Confidence interval ``(low, high)`` for a share, clipped to [0, 1].

    ``estimate``, ``n``, ``se`` and ``deff`` broadcast against each other, so a
    million shares are one call. Methods (Brown, Cai and DasGupta 2001, *Statistical
    Science* 16:101; Agresti and Coull 1998, *The American Statistician* 52:119):

    - ``"wald"``: p +/- q * SE. With ``se`` given (the design-based SE that SCB
      publishes) this is R ``survey::svyciprop(method="mean")``; otherwise SE is
      sqrt(p(1-p)/n_eff). ``statsmodels`` ``proportion_confint(method="normal")``.
    - ``"logit"``: Wald on the log-odds scale, SE_logit = SE / (p(1-p)), back-
      transformed; ``svyciprop(method="logit")`` (and ``"xlogit"``). Undefined
      (NaN) at p = 0 or 1.
    - ``"wilson"``: score interval (Wilson 1927); R ``prop.test(correct=FALSE)``.
    - ``"agresti_coull"``: Agresti and Coull (1998), as statsmodels.
    - ``"clopper_pearson"``: exact beta quantiles (Clopper and Pearson 1934);
      R ``binom.test``. With ``se`` and ``df`` this is the Korn-Graubard interval
      (Korn and Graubard 1998, *Survey Methodology* 24:193), R
      ``svyciprop(method="beta")``: Clopper-Pearson at the effective sample size,
      scaled by (t_{n-1} / t_df)^2.
    - ``"jeffreys"``: equal-tailed Beta(x + 1/2, n - x + 1/2) interval, with the
      lower limit 0 at x = 0 and the upper 1 at x = n (Brown et al. 2001).

    Sample size: the effective sample size is ``n / deff``
    (:func:`effective_sample_size`); if ``se`` is given it is p(1-p)/SE^2 instead
    (Kish's n_eff implied by the design SE, as ``svyciprop`` uses), falling back to
    ``n / deff`` where that is undefined (p = 0 or 1, SE = 0). The effective count
    x = p * n_eff is then usually fractional: the beta-quantile methods
    (clopper_pearson, jeffreys) use the beta distribution with these non-integer
    parameters directly, which is what Korn-Graubard and ``svyciprop`` do; no
    rounding takes place. Wilson and Agresti-Coull use n_eff in place of n.

    ``df``: degrees of freedom of the design (PSUs minus strata, R ``degf``). When
    given, Wald, logit, Wilson and Agresti-Coull use the t quantile instead of the
    normal one, and the beta-quantile methods the Korn-Graubard scaling of n_eff,
    which needs ``n`` (the number of respondents).

    A missing estimate (NaN) gives NaN limits in every method; ``n`` must be positive.
    """
    p = np.asarray(estimate, dtype=float)
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError("estimate must be a share in [0, 1]")
    if p.ndim == 0 and all(v is None or np.ndim(v) == 0 for v in (n, se, deff)):
        low, high = confint(p.reshape(1), n, method=method, alpha=alpha, se=se, deff=deff, df=df)
        return float(np.asarray(low)[0]), float(np.asarray(high)[0])
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    if se is None and n is None:
        raise ValueError("give n (with an optional deff) or se")
    q = _quantile(alpha, df)
    if method in _CHUNKED:
        return _closed_form_blocks(method, q, p, n, se, deff)
    return _beta_confint(method, p, n, se, deff, alpha=alpha, df=df)


def _closed_form_blocks(
    method: str,
    q: float,
    p: FloatArray,
    n: ArrayLike | None,
    se: ArrayLike | None,
    deff: ArrayLike,
) -> tuple[float | FloatArray, float | FloatArray]:
    """:func:`_closed_form` over large inputs in cache-sized blocks: a chain of numpy
    operations on a few hundred kB stays in cache, on 8 MB it does not."""
    shape = np.broadcast_shapes(*(np.shape(v) for v in (p, n, se, deff) if v is not None))
    size = math.prod(shape)
    if size <= _CHUNK:
        return _closed_form(method, q, p, n, se, deff)
    flat: list[Any] = [
        None if v is None else (v if np.ndim(v) == 0 else _flat(v, shape)) for v in (p, n, se, deff)
    ]
    low = np.empty(size)
    high = np.empty(size)
    for start in range(0, size, _CHUNK):
        part: list[Any] = [
            v if v is None or np.ndim(v) == 0 else v[start : start + _CHUNK] for v in flat
        ]
        lo, hi = _closed_form(method, q, part[0], part[1], part[2], part[3])
        low[start : start + _CHUNK] = lo
        high[start : start + _CHUNK] = hi
    return low.reshape(shape), high.reshape(shape)


def _beta_confint(
    method: str,
    p: FloatArray,
    n: ArrayLike | None,
    se: ArrayLike | None,
    deff: ArrayLike,
    *,
    alpha: float,
    df: float | None,
) -> tuple[float | FloatArray, float | FloatArray]:
    """Clopper-Pearson or Jeffreys limits at the effective sample size, with the
    Korn-Graubard scaling of n_eff when ``df`` is given (see :func:`confint`)."""
    n_eff = _n_eff(p, n, se, deff)
    if df is not None:
        if n is None:
            raise ValueError("the Korn-Graubard df adjustment needs n")
        n_arr = np.asarray(n, dtype=float)
        ratio = stats.t.ppf(alpha / 2, n_arr - 1) / stats.t.ppf(alpha / 2, df)
        n_eff = n_eff * ratio * ratio
    x = p * n_eff
    x, n_eff = np.broadcast_arrays(x, n_eff)
    low, high = _beta_limits(x, n_eff, alpha, 0.0 if method == "clopper_pearson" else 0.5)
    return _clip(low, high)


_CHUNKED = ("wald", "wilson", "agresti_coull", "logit")
_CHUNK = 32768


def _flat(v: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    return np.ascontiguousarray(np.broadcast_to(np.asarray(v, dtype=float), shape)).reshape(-1)


def _closed_form(
    method: str,
    q: float,
    p: ArrayLike,
    n: ArrayLike | None,
    se: ArrayLike | None,
    deff: ArrayLike,
) -> tuple[float | FloatArray, float | FloatArray]:
    """Wald, logit, Wilson and Agresti-Coull limits (see :func:`confint`)."""
    p = np.asarray(p, dtype=float)
    if method in ("wald", "logit") and se is not None:
        s = np.asarray(se, dtype=float)
        if method == "wald":
            h = q * s
            return _clip(p - h, p + h)
        with np.errstate(divide="ignore", invalid="ignore"):
            h = q * s / (p * (1 - p))
        return _logit_bounds(p, h)

    n_eff = _n_eff(p, n, se, deff)
    # The fast methods work in preallocated buffers: at a million shares the
    # cost is memory traffic (fresh 8 MB temporaries), not arithmetic.
    shape = np.broadcast_shapes(p.shape, n_eff.shape)
    if method == "wald":
        h = np.empty(shape)
        np.subtract(1.0, p, out=h)
        h *= p
        h /= n_eff
        np.sqrt(h, out=h)
        h *= q
        low = np.subtract(p, h)
        np.add(p, h, out=h)
        return _clip(low, h)
    if method == "logit":
        h = np.empty(shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            np.subtract(1.0, p, out=h)
            h *= p
            h *= n_eff
            np.sqrt(h, out=h)
            np.divide(q, h, out=h)
        return _logit_bounds(p, h)
    if method == "wilson":
        # Wilson (1927): centre (p + q^2/2n) / (1 + q^2/n), half-width
        # q / (1 + q^2/n) * sqrt(p(1-p)/n + q^2/4n^2).
        q2 = q * q
        inv_n = np.empty(shape)
        np.divide(1.0, n_eff, out=inv_n)
        shrink = np.multiply(inv_n, q2)
        shrink += 1.0
        np.divide(1.0, shrink, out=shrink)
        h = np.empty(shape)
        np.subtract(1.0, p, out=h)
        h *= p
        centre = np.multiply(inv_n, q2 / 4)  # used as scratch first
        h += centre
        h *= inv_n
        np.sqrt(h, out=h)
        h *= shrink
        h *= q
        np.multiply(inv_n, q2 / 2, out=centre)
        centre += p
        centre *= shrink
        low = inv_n  # reuse
        np.subtract(centre, h, out=low)
        np.add(centre, h, out=centre)
        # At p = 0 (1) the limit is exactly 0 (1); keep it so, not 1e-17.
        np.copyto(low, 0.0, where=p == 0)
        np.copyto(centre, 1.0, where=p == 1)
        return _clip(low, centre)
    if method == "agresti_coull":
        q2 = q * q
        n_t = n_eff + q2
        p_t = (p * n_eff + q2 / 2) / n_t
        h = q * np.sqrt(p_t * (1 - p_t) / n_t)
        return _clip(p_t - h, p_t + h)

    raise AssertionError(method)


_UNIQUE_FROM = 4096  # beyond this size, evaluate beta quantiles once per distinct (x, n)


def _beta_limits(
    x: FloatArray, n: FloatArray, alpha: float, shift: float
) -> tuple[FloatArray, FloatArray]:
    """Clopper-Pearson (shift 0: Beta(x, n-x+1) and Beta(x+1, n-x) quantiles) or
    Jeffreys (shift 1/2: Beta(x+1/2, n-x+1/2)) limits, 0 at x = 0 and 1 at x = n.

    An inverse incomplete beta (scipy's Boost ``ibeta_inv``) costs microseconds, and
    shares computed from integer counts repeat the same (x, n) many times, so large
    inputs are reduced to their distinct pairs first.
    """
    fx = x.ravel()
    fn = n.ravel()
    inverse = None
    if fx.size >= _UNIQUE_FROM:
        if np.all(fn == fn[0]):
            ux, inv = np.unique(fx, return_inverse=True)
            if ux.size <= fx.size // 2:
                fx, fn, inverse = ux, np.full(ux.size, fn[0]), inv
        else:
            order = np.lexsort((fn, fx))
            sx = fx[order]
            sn = fn[order]
            start = np.empty(sx.size, dtype=bool)
            start[0] = True
            np.not_equal(sx[1:], sx[:-1], out=start[1:])
            start[1:] |= sn[1:] != sn[:-1]
            if np.count_nonzero(start) <= fx.size // 2:
                inverse = np.empty(fx.size, dtype=np.int64)
                inverse[order] = np.cumsum(start) - 1
                fx, fn = sx[start], sn[start]
    with np.errstate(invalid="ignore", divide="ignore"):
        low = special.betaincinv(fx + shift, fn - fx + 1 - shift, alpha / 2)
        high = special.betaincinv(fx + 1 - shift, fn - fx + shift, 1 - alpha / 2)
    # Exact limits at x = 0 and x = n; a missing share (NaN) stays missing.
    low = np.where(fx == 0, 0.0, low)
    high = np.where(fx >= fn, 1.0, high)
    if inverse is not None:
        low = low[inverse]
        high = high[inverse]
    return low.reshape(x.shape), high.reshape(x.shape)


def _logit_bounds(p: FloatArray, h: FloatArray) -> tuple[float | FloatArray, float | FloatArray]:
    # expit(logit(p) -/+ h) written with the odds, to spend one exp per share:
    # low = odds / (odds + e^h), high = odds e^h / (odds e^h + 1).
    shape = np.broadcast_shapes(p.shape, h.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        odds = np.empty(shape)
        np.subtract(1.0, p, out=odds)
        np.divide(p, odds, out=odds)
        e = np.exp(h, out=h if h.shape == shape else None)
        low = np.add(odds, e)
        np.divide(odds, low, out=low)
        odds *= e
        high = e  # reuse
        np.add(odds, 1.0, out=high)
        np.divide(odds, high, out=high)
        if p.min() <= 0 or p.max() >= 1:
            bad = (p <= 0) | (p >= 1)
            np.copyto(low, np.nan, where=bad)
            np.copyto(high, np.nan, where=bad)
    return _clip(low, high)


def _n_eff(p: FloatArray, n: ArrayLike | None, se: ArrayLike | None, deff: ArrayLike) -> FloatArray:
    fallback = None
    if n is not None:
        d = np.asarray(deff, dtype=float)
        if np.any(d <= 0):
            raise ValueError("deff must be positive")
        n_arr = np.asarray(n, dtype=float)
        if np.any(n_arr <= 0):
            raise ValueError("n must be positive")
        fallback = n_arr if d.ndim == 0 and d == 1.0 else n_arr / d
    if se is None:
        assert fallback is not None
        return fallback
    s = np.asarray(se, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = p * (1 - p) / (s * s)
    ok = np.isfinite(implied) & (implied > 0)
    if np.all(ok):
        return implied
    if fallback is None:
        raise ValueError("se implies no effective sample size at p = 0 or 1; give n too")
    return np.where(ok, implied, fallback)


def _clip(low: ArrayLike, high: ArrayLike) -> tuple[float | FloatArray, float | FloatArray]:
    lo = np.asarray(low, dtype=float)
    hi = np.asarray(high, dtype=float)
    if lo.ndim:
        np.maximum(lo, 0.0, out=lo)
        np.minimum(lo, 1.0, out=lo)
        np.maximum(hi, 0.0, out=hi)
        np.minimum(hi, 1.0, out=hi)
        return lo, hi
    return float(np.clip(lo, 0.0, 1.0)), float(np.clip(hi, 0.0, 1.0))


# ----------------------------------------------------------------------------------
# Tests for one share


@dataclass(frozen=True)
class BinomialTest:
    """A one-sample test of a share: estimate, interval and two-sided p-value."""

    estimate: float
    low: float
    high: float
    p_value: float
    method: str


def _binom_two_sided(x: int, n: int, p: float) -> float:
    # R's binom.test: sum the probabilities of outcomes no more likely than x, with
    # R's relative tolerance 1e-7 for ties.
    if p == 0:
        return float(x == 0)
    if p == 1:
        return float(x == n)
    rel_err = 1 + 1e-7
    d = stats.binom.pmf(x, n, p)
    m = n * p
    if x == m:
        return 1.0
    if x < m:
        i = np.arange(int(np.ceil(m)), n + 1)
        y = int(np.sum(stats.binom.pmf(i, n, p) <= d * rel_err))
        pv = stats.binom.cdf(x, n, p) + stats.binom.sf(n - y, n, p)
    else:
        i = np.arange(0, int(np.floor(m)) + 1)
        y = int(np.sum(stats.binom.pmf(i, n, p) <= d * rel_err))
        pv = stats.binom.cdf(y - 1, n, p) + stats.binom.sf(x - 1, n, p)
    return float(min(1.0, pv))


def binom_test(x: int, n: int, *, p: float = 0.5, alpha: float = 0.05) -> BinomialTest:
    """Exact binomial test with the Clopper-Pearson interval (R ``binom.test``).

    Two-sided p-value by the "minimum likelihood" rule of R (outcomes no more likely
    than the observed one), including R's 1e-7 relative tolerance.
    """
    if not 0 <= x <= n:
        raise ValueError("need 0 <= x <= n")
    low, high = confint(x / n, n, method="clopper_pearson", alpha=alpha)
    return BinomialTest(x / n, float(low), float(high), _binom_two_sided(x, n, p), "binom.test")


def prop_test(x: float, n: float, *, p: float = 0.5, alpha: float = 0.05) -> BinomialTest:
    """Score (z) test of one share with the Wilson interval (R ``prop.test(correct=FALSE)``)."""
    est = x / n
    z = (est - p) / np.sqrt(p * (1 - p) / n)
    low, high = confint(est, n, method="wilson", alpha=alpha)
    pv = float(2 * special.ndtr(-abs(z)))
    return BinomialTest(est, float(low), float(high), pv, "prop.test")


# ----------------------------------------------------------------------------------
# Comparisons


@dataclass(frozen=True)
class ShareComparison:
    """Difference p1 - p2 with its confidence interval and z test."""

    difference: float | FloatArray
    low: float | FloatArray
    high: float | FloatArray
    se: float | FloatArray
    z: float | FloatArray
    p_value: float | FloatArray
    method: str


def compare_shares(
    p1: ArrayLike,
    p2: ArrayLike,
    *,
    n1: ArrayLike | None = None,
    n2: ArrayLike | None = None,
    se1: ArrayLike | None = None,
    se2: ArrayLike | None = None,
    deff1: ArrayLike = 1.0,
    deff2: ArrayLike = 1.0,
    alpha: float = 0.05,
) -> ShareComparison:
    """Two-sample z test of independent shares (Fleiss, Levin and Paik 2003, ch. 2).

    With design SEs (``se1``, ``se2``, e.g. two municipalities in SCB's survey) the
    test statistic and the Wald interval both use sqrt(SE1^2 + SE2^2). With sample
    sizes only (``n1``, ``n2``, optionally divided by design effects) the test uses
    the pooled share under H0 and the interval the unpooled SE, which is R
    ``prop.test(c(x1, x2), c(n1, n2), correct=FALSE)`` (its X-squared is z^2).
    Do not compare by overlap of two separate intervals: that test is too strict
    (Schenker and Gentleman 2001, *The American Statistician* 55:182).
    """
    a = np.asarray(p1, dtype=float)
    b = np.asarray(p2, dtype=float)
    q = _quantile(alpha, None)
    diff = a - b
    if se1 is not None and se2 is not None:
        s = np.sqrt(np.asarray(se1, dtype=float) ** 2 + np.asarray(se2, dtype=float) ** 2)
        s_test = s
        method = "z test with design SEs"
    elif n1 is not None and n2 is not None:
        m1 = np.asarray(n1, dtype=float) / np.asarray(deff1, dtype=float)
        m2 = np.asarray(n2, dtype=float) / np.asarray(deff2, dtype=float)
        s = np.sqrt(a * (1 - a) / m1 + b * (1 - b) / m2)
        pooled = (a * m1 + b * m2) / (m1 + m2)
        s_test = np.sqrt(pooled * (1 - pooled) * (1 / m1 + 1 / m2))
        method = "z test, pooled under H0 (prop.test without continuity correction)"
    else:
        raise ValueError("give se1 and se2, or n1 and n2")
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / s_test
    pv = 2 * special.ndtr(-np.abs(z))
    low = np.clip(diff - q * s, -1, 1)
    high = np.clip(diff + q * s, -1, 1)
    return ShareComparison(
        _out(np.asarray(diff)),
        _out(np.asarray(low)),
        _out(np.asarray(high)),
        _out(np.asarray(s)),
        _out(np.asarray(z)),
        _out(np.asarray(pv)),
        method,
    )


@dataclass(frozen=True)
class UnitWholeComparison:
    """A unit (municipality) against the whole (county) it belongs to."""

    difference: float  # p_unit - p_whole
    low: float
    high: float
    se: float
    z: float
    p_value: float
    rest_estimate: float  # share in the whole outside the unit
    rest_se: float
    method: str


def compare_unit_with_whole(
    p_unit: float,
    se_unit: float,
    p_whole: float,
    se_whole: float,
    *,
    unit_share: float,
    method: Literal["rest", "covariance"] = "covariance",
    alpha: float = 0.05,
) -> UnitWholeComparison:
    """Test a unit's share against the whole it is part of (kommun against län).

    The county estimate contains the municipality's respondents, so the two are
    positively correlated and a two-sample test that treats them as independent is
    conservative. With ``unit_share`` w = N_unit / N_whole (population share, or the
    unit's share of the survey weights) and p_whole = w p_unit + (1 - w) p_rest,
    where the rest of the whole is sampled independently of the unit:

    - ``"rest"``: compare the unit with the rest of the whole. p_rest =
      (p_whole - w p_unit) / (1 - w) and Var(p_rest) = (Var(p_whole) -
      w^2 Var(p_unit)) / (1 - w)^2; then an independent two-sample z test of
      p_unit - p_rest.
    - ``"covariance"``: compare with the whole directly using
      Var(p_unit - p_whole) = Var(p_unit) + Var(p_whole) - 2 Cov, where
      Cov(p_unit, p_whole) = w Var(p_unit) (the whole is w times the unit plus an
      independent remainder).

    Both give the same z and p-value, since p_unit - p_whole = (1 - w)(p_unit -
    p_rest); they differ in what the interval is about. The decomposition is the
    standard part-whole argument of survey sampling for a domain against the total that
    contains it (e.g. Kish 1965, *Survey Sampling*, on comparisons of subclasses with
    the whole sample). Ignoring the overlap (an independent two-sample test of unit
    and whole) understates the evidence, most for units that are a large part of
    the whole.
    ``difference``, ``low`` and ``high`` are always p_unit - p_whole; with ``"rest"``
    the interval is that of p_unit - p_rest scaled by (1 - w).
    """
    w = float(unit_share)
    if not 0 <= w < 1:
        raise ValueError("unit_share must lie in [0, 1)")
    var_u = se_unit**2
    var_w = se_whole**2
    var_rest = (var_w - w * w * var_u) / (1 - w) ** 2
    p_rest = (p_whole - w * p_unit) / (1 - w)
    q = _quantile(alpha, None)
    diff = p_unit - p_whole
    if method == "covariance":
        var = var_u + var_w - 2 * w * var_u
        label = "unit vs whole, Var(d) = Var(u) + Var(w) - 2 w Var(u)"
    elif method == "rest":
        if var_rest <= 0:
            raise ValueError(
                "the whole's SE is too small for the unit's share and SE: "
                "the rest of the whole would have a negative variance"
            )
        var = (1 - w) ** 2 * (var_u + var_rest)
        label = "unit vs rest of the whole, independent z test"
    else:
        raise ValueError("method must be 'rest' or 'covariance'")
    if var <= 0:
        raise ValueError("non-positive variance of the difference")
    se = float(np.sqrt(var))
    z = diff / se
    return UnitWholeComparison(
        difference=diff,
        low=diff - q * se,
        high=diff + q * se,
        se=se,
        z=z,
        p_value=float(2 * special.ndtr(-abs(z))),
        rest_estimate=p_rest,
        rest_se=float(np.sqrt(var_rest)) if var_rest > 0 else float("nan"),
        method=label,
    )


# ----------------------------------------------------------------------------------
# Ranks


@dataclass(frozen=True)
class RankIntervals:
    """Rank estimate (1 = highest share by default) and a confidence set per unit."""

    rank: IntArray
    lower: IntArray
    upper: IntArray
    method: str
    coverage: float


def _ranks(x: FloatArray, descending: bool) -> IntArray:
    # Competition ranking ("16 of 21"): ties share the best rank.
    return stats.rankdata(-x if descending else x, method="min").astype(np.int64)


def _check_rank_input(estimates: ArrayLike, se: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = np.asarray(estimates, dtype=float).ravel()
    s = np.broadcast_to(np.asarray(se, dtype=float), x.shape).astype(float)
    if x.size < 2:
        raise ValueError("need at least two units to rank")
    if np.any(~np.isfinite(x)) or np.any(~(s > 0)):
        raise ValueError("estimates must be finite and standard errors positive")
    return x, s


def rank_intervals_bootstrap(
    estimates: ArrayLike,
    se: ArrayLike,
    *,
    alpha: float = 0.05,
    reps: int = 2000,
    seed: int = 0,
    descending: bool = True,
) -> RankIntervals:
    """Marginal rank intervals by parametric bootstrap (Goldstein and Spiegelhalter 1996,
    *JRSS A* 159:385; Marshall and Spiegelhalter 1998, *BMJ* 316:1701).

    Draws theta* ~ N(estimate, se^2) independently per unit ``reps`` times, ranks each
    draw and takes the alpha/2 and 1 - alpha/2 quantiles of each unit's rank. This
    is the familiar "plausible range of positions"; it has no guaranteed coverage
    (it centres on the estimated ranks, which are biased towards the middle for
    units close to each other); :func:`rank_confidence_sets` has.
    """
    x, s = _check_rank_input(estimates, se)
    rng = np.random.default_rng(seed)
    draws = x + s * rng.standard_normal((reps, x.size))
    order = np.argsort(-draws if descending else draws, axis=1)
    ranks = np.empty_like(order)
    rows = np.arange(reps)[:, None]
    ranks[rows, order] = np.arange(1, x.size + 1)
    lower = np.quantile(ranks, alpha / 2, axis=0, method="lower").astype(np.int64)
    upper = np.quantile(ranks, 1 - alpha / 2, axis=0, method="higher").astype(np.int64)
    return RankIntervals(_ranks(x, descending), lower, upper, "parametric bootstrap", 1 - alpha)


_PAIR_CHUNK = 4_000_000  # bootstrap draws x pairs per block, bounds memory


def _max_t_quantile(
    z: FloatArray, sig: FloatArray, a: IntArray, b: IntArray, level: float
) -> float:
    """(level) quantile over draws of max over ordered pairs (a, b) of (Z_a - Z_b)/sig_ab."""
    reps = z.shape[0]
    best = np.full(reps, -np.inf)
    step = max(1, _PAIR_CHUNK // reps)
    for start in range(0, a.size, step):
        aa = a[start : start + step]
        bb = b[start : start + step]
        t = (z[:, aa] - z[:, bb]) / sig[aa, bb]
        np.maximum(best, t.max(axis=1), out=best)
    return float(np.quantile(best, level))


def rank_confidence_sets(
    estimates: ArrayLike,
    se: ArrayLike,
    *,
    alpha: float = 0.05,
    simultaneous: bool = False,
    stepdown: bool = True,
    reps: int = 1000,
    seed: int = 0,
    descending: bool = True,
) -> RankIntervals:
    """Confidence sets for ranks (Mogstad, Romano, Shaikh and Wilhelm 2024, *Review of
    Economic Studies* 91:476, "Inference for ranks with applications to mobility across
    neighbourhoods and academic achievement across countries"; R ``csranks::csranks``).

    Units are independent with estimates theta_hat and standard errors ``se``. For the
    set I of ordered pairs (j, k) that matter -- all pairs involving unit j for the
    marginal set of unit j, all pairs for the simultaneous set -- the critical value
    c is the 1 - alpha quantile of max over I of (Z_j - Z_k) / sigma_jk with
    Z ~ N(0, diag(se^2)) (parametric bootstrap, ``reps`` draws, seeded) and
    sigma_jk = sqrt(se_j^2 + se_k^2): the max-|t| statistic over pairwise differences.
    A pair is decided "theta_j > theta_k" when (theta_hat_j - theta_hat_k)/sigma_jk > c.
    With ``stepdown`` (Romano and Wolf 2005), decided pairs are removed from I and c
    is recomputed until nothing more is decided. Then, with rank 1 the highest:

        lower_j = 1 + #{k: theta_k > theta_j decided},
        upper_j = p - #{k: theta_j > theta_k decided}.

    Marginal sets cover each unit's true rank with probability >= 1 - alpha;
    simultaneous sets cover all ranks at once and contain the marginal ones. Unlike
    ``csranks``, which draws afresh at every stepdown step, the same seeded draws are
    reused throughout, so results are reproducible and monotone in the SEs.
    """
    x, s = _check_rank_input(estimates, se)
    p = x.size
    sign = 1.0 if descending else -1.0
    xs = sign * x  # larger is better (rank 1) after this
    rng = np.random.default_rng(seed)
    z = s * rng.standard_normal((reps, p))
    sig = np.sqrt(s[:, None] ** 2 + s[None, :] ** 2)
    np.fill_diagonal(sig, 1.0)
    tstat = (xs[:, None] - xs[None, :]) / sig
    level = 1 - alpha

    def decide(a: IntArray, b: IntArray) -> NDArray[np.bool_]:
        """Which ordered pairs of (a, b) are decided 'theta_a > theta_b'."""
        decided = np.zeros(a.size, dtype=bool)
        while True:
            open_ = ~decided
            if not open_.any():
                return decided
            c = _max_t_quantile(z, sig, a[open_], b[open_], level)
            new = open_ & (tstat[a, b] > c)
            if not new.any() or not stepdown:
                return decided | new
            decided |= new

    greater = np.zeros((p, p), dtype=bool)  # greater[j, k]: theta_j > theta_k decided
    if simultaneous:
        a, b = np.nonzero(~np.eye(p, dtype=bool))
        greater[a, b] = decide(a, b)
        lower = 1 + greater.sum(axis=0)
        upper = p - greater.sum(axis=1)
    else:
        lower = np.empty(p, dtype=np.int64)
        upper = np.empty(p, dtype=np.int64)
        others = np.arange(p)
        for j in range(p):
            k = others[others != j]
            a = np.concatenate([np.full(k.size, j), k])
            b = np.concatenate([k, np.full(k.size, j)])
            d = decide(a, b)
            upper[j] = p - int(d[: k.size].sum())
            lower[j] = 1 + int(d[k.size :].sum())
    kind = "simultaneous" if simultaneous else "marginal"
    return RankIntervals(
        _ranks(x, descending),
        np.asarray(lower, dtype=np.int64),
        np.asarray(upper, dtype=np.int64),
        f"{kind} rank confidence sets, max-t bootstrap (Mogstad et al. 2024)",
        level,
    )


# ----------------------------------------------------------------------------------
# Funnel plots


@dataclass(frozen=True)
class FunnelLimits:
    """Control limits around ``target`` for each sample size in ``n``."""

    n: FloatArray
    target: float
    levels: tuple[float, ...]
    lower: dict[float, FloatArray]
    upper: dict[float, FloatArray]
    method: str


@dataclass(frozen=True)
class Overdispersion:
    """Overdispersion of shares around a target (Spiegelhalter 2005, section 5)."""

    phi: float  # multiplicative factor: mean squared winsorised z-score
    tau2: float  # additive between-unit variance (DerSimonian-Laird type)
    statistic: float  # I * phi, chi-squared with I degrees of freedom under H0
    p_value: float
    units: int


def _binom_limit(prob: float, n: FloatArray, target: float) -> FloatArray:
    # Spiegelhalter (2005), appendix A.1.1: interpolate between the integer quantiles
    # so that the limits are smooth in n.
    r = stats.binom.ppf(prob, n, target)
    f_r = stats.binom.cdf(r, n, target)
    f_r1 = stats.binom.cdf(r - 1, n, target)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(f_r > f_r1, (f_r - prob) / (f_r - f_r1), 0.0)
    return np.clip((r - a) / n, 0.0, 1.0)


def funnel_limits(
    target: float,
    n: ArrayLike,
    *,
    levels: tuple[float, ...] = (0.95, 0.998),
    overdispersion: Overdispersion | None = None,
    model: Literal["multiplicative", "additive"] = "multiplicative",
) -> FunnelLimits:
    """Funnel-plot control limits for shares (Spiegelhalter 2005, *Statistics in
    Medicine* 24:1185, "Funnel plots for comparing institutional performance").

    Without ``overdispersion``: exact binomial limits at each ``levels`` (default 95 %
    and 99.8 %, i.e. about 2 and 3 SDs) around ``target``, interpolated between
    integer counts as in the paper's appendix. With an :class:`Overdispersion` from
    :func:`funnel_overdispersion`: normal limits target +/- z sqrt(phi p0(1-p0)/n)
    (``"multiplicative"``) or +/- z sqrt(p0(1-p0)/n + tau^2) (``"additive"``,
    random effects; Spiegelhalter et al. 2012, *JRSS A* 175:1).
    """
    n_arr = np.asarray(n, dtype=float)
    if not 0 < target < 1:
        raise ValueError("target must lie in (0, 1)")
    lower: dict[float, FloatArray] = {}
    upper: dict[float, FloatArray] = {}
    for level in levels:
        tail = (1 - level) / 2
        if overdispersion is None:
            lower[level] = _binom_limit(tail, n_arr, target)
            upper[level] = _binom_limit(1 - tail, n_arr, target)
        else:
            var = target * (1 - target) / n_arr
            if model == "multiplicative":
                var = var * max(overdispersion.phi, 1.0)
            else:
                var = var + overdispersion.tau2
            z = special.ndtri(1 - tail)
            lower[level] = np.clip(target - z * np.sqrt(var), 0, 1)
            upper[level] = np.clip(target + z * np.sqrt(var), 0, 1)
    method = "exact binomial" if overdispersion is None else f"overdispersed ({model})"
    return FunnelLimits(n_arr, target, tuple(levels), lower, upper, method)


def funnel_overdispersion(
    x: ArrayLike, n: ArrayLike, target: float, *, winsor: float = 0.1
) -> Overdispersion:
    """Estimate overdispersion for a funnel plot (Spiegelhalter 2005, section 5).

    z-scores z_i = (y_i - p0) / sqrt(p0(1-p0)/n_i) are winsorised at the ``winsor``
    and 1 - ``winsor`` quantiles; phi = mean(z^2) and I phi is compared with chi^2_I.
    The additive tau^2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)) with
    w_i = 1 / s_i^2 (Spiegelhalter et al. 2012).
    """
    x_arr = np.asarray(x, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    y = x_arr / n_arr
    s2 = target * (1 - target) / n_arr
    z = (y - target) / np.sqrt(s2)
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    zw = np.clip(z, lo, hi)
    units = z.size
    phi = float(np.mean(zw * zw))
    w = 1 / s2
    tau2 = max(0.0, (units * phi - (units - 1)) / (w.sum() - (w * w).sum() / w.sum()))
    stat = units * phi
    return Overdispersion(phi, float(tau2), stat, float(stats.chi2.sf(stat, units)), units)
