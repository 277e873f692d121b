"""Outbreak detection on weekly counts: Farrington, EARS, NB CUSUM and FDR alarms.

Ports of R's ``surveillance`` package (version 1.20), checked against R on the
fixtures in ``tests/stats/fixtures`` (built by ``make_surveillance_fixtures.R``):

- :func:`farrington_flexible` -- ``surveillance::farringtonFlexible`` (Farrington et al.
  1996; Noufaily et al. 2013), with a batched quasi-Poisson IRLS so that tens of
  thousands of series (area x category) are fitted at once.
- :func:`ears` -- ``surveillance::earsC`` (CDC's EARS C1/C2/C3; Hutwagner et al. 2003).
- :func:`nb_cusum` -- ``surveillance::glrnb`` with a known shift ``theta``, the
  likelihood-ratio negative binomial CUSUM of Höhle and Paul (2008).
- :func:`fdr_alarms` -- Benjamini-Hochberg across all series plus a minimum count.

Every function takes one series (1-D) or many series (2-D, series x weeks) and works
on all series at once with numpy. Week indices are 0-based.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from tryggnav.stats.multiple import fdr_reject

__all__ = [
    "NOUFAILY_2013",
    "CusumResult",
    "EarsResult",
    "FarringtonResult",
    "ears",
    "farrington_flexible",
    "fdr_alarms",
    "nb_cusum",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Settings of the improved Farrington method of Noufaily et al. (2013), as in the
#: "new options" example of R's ``?farringtonFlexible``: a 10-level seasonal factor
#: that uses all past weeks, the last 26 weeks left out, reweighting of residuals
#: above 2.58, the trend always kept (p threshold 1, still subject to the b >= 3 and
#: no-extrapolation rules) and a negative binomial quantile as threshold. Noufaily
#: et al. use five years of history (b=5).
NOUFAILY_2013: dict[str, Any] = {
    "b": 5,
    "w": 3,
    "no_periods": 10,
    "past_weeks_not_included": 26,
    "weights_threshold": 2.58,
    "reweight": True,
    "trend": True,
    "p_threshold_trend": 1.0,
    "threshold_method": "nbPlugin",
}

_DBL_EPS = float(np.finfo(float).eps)
_LOG_DBL_EPS = float(np.log(_DBL_EPS))
_GLM_MAXIT = 25  # glm.control() defaults used by farringtonFlexible
_GLM_EPSILON = 1e-8
_CHUNK = 1024  # series per block in farrington_flexible
_EXP_STEP = 16
_R_STEPS = np.arange(_EXP_STEP, dtype=float)


# ----------------------------------------------------------------------------------
# Input handling


def _as_2d(observed: ArrayLike) -> tuple[FloatArray, bool]:
    y = np.asarray(observed, dtype=float)
    if y.ndim == 1:
        return y[np.newaxis, :], True
    if y.ndim != 2:
        raise ValueError("observed must be 1-D (one series) or 2-D (series x weeks)")
    return y, False


def _weeks(range_: int | Sequence[int] | None, n_weeks: int) -> NDArray[np.int64]:
    if range_ is None:
        weeks = np.array([n_weeks - 1])
    else:
        weeks = np.atleast_1d(np.asarray(range_, dtype=np.int64))
        weeks = np.where(weeks < 0, weeks + n_weeks, weeks)
    if weeks.size == 0 or weeks.min() < 0 or weeks.max() >= n_weeks:
        raise ValueError("range must hold week indices inside the series")
    return weeks


def _squeeze(a: NDArray[Any], one: bool) -> NDArray[Any]:
    return a[0] if one else a


# ----------------------------------------------------------------------------------
# Farrington: reference weeks and blocks (surveillance:::algo.farrington.referencetimepoints
# and surveillance:::blocks)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    return dt.date.fromisoformat(str(value))


def _minus_years(day: dt.date, years: int) -> dt.date:
    # R's seq(by = "-1 year") goes through POSIXlt, which rolls 29 February over to
    # 1 March in a year without it.
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 3, 1)


def _r_weekday(day: dt.date) -> int:
    return day.isoweekday() % 7  # format(x, "%w"): Sunday is 0


def _reference_weeks(
    k: int, n_weeks: int, b: int, freq: int, epoch: dt.date | None
) -> list[int] | None:
    """Week indices of the current week and the same week 1..b years back, or None."""
    if epoch is None:
        refs = [k - i * freq for i in range(b + 1)]
    else:
        today = epoch + dt.timedelta(weeks=k)
        refs = []
        for i in range(b + 1):
            ref = _minus_years(today, i)
            # Snap to the nearest day with the current week's weekday, as R does.
            a = ref - dt.timedelta(days=_r_weekday(ref) - _r_weekday(today))
            alt = a + dt.timedelta(days=-7 if a > ref else 7)
            best = a if abs((a - ref).days) <= abs((alt - ref).days) else alt
            days = (best - epoch).days
            if days % 7:
                return None
            refs.append(days // 7)
    if any(r < 0 or r >= n_weeks for r in refs):
        return None  # R stops: "Some reference time points did not exist"
    return refs


def _blocks(refs: list[int], n_weeks: int, w: int, p: int) -> FloatArray | None:
    """Seasonal factor level of every week (NaN outside the baseline), as R's blocks()."""
    levels = np.full(n_weeks, np.nan)
    now = refs[0]
    levels[max(now - w, 0) : now + 1] = p
    for i in range(1, len(refs)):
        ref = refs[i]
        if ref - w < -1:
            return None  # R would mix negative and positive subscripts and stop
        levels[max(ref - w, 0) : ref + w + 1] = p
        if p != 1:
            period = refs[i - 1] - 2 * w - 1 - ref
            if period < p - (2 * w + 1):
                raise ValueError("no_periods is too big for this w and freq")
            size, rest = divmod(period, p - 1)
            lengths = np.full(p - 1, size)
            lengths[:rest] += 1
            cum = np.concatenate([[0], np.cumsum(lengths)])
            for j in range(1, p):
                start = ref + w + 1 + cum[j - 1]
                end = ref + w + 1 + cum[j] - 1
                if end >= start:
                    levels[start : end + 1] = j
                else:  # R's start:(start - 1) runs backwards over two weeks
                    levels[[end, start]] = j
    return levels


@dataclass(frozen=True)
class _Design:
    """Baseline weeks of one evaluation week, shared by all series."""

    rows: NDArray[np.int64]  # week indices of the baseline
    level: NDArray[np.int64]  # column of each row's seasonal level
    n_levels: int
    pred_level: int  # column of the current week's level (-1 if absent)
    t: FloatArray  # weeks relative to the current week
    # exp(b_l + b_t t) is computed as exp(b_l + b_t q) * exp(b_t r) with t = q + r,
    # q on a grid of _EXP_STEP weeks: far fewer exp() calls than one per week.
    q_times: FloatArray  # grid of q
    lq_index: NDArray[np.int64]  # row -> level * len(q_times) + grid position
    r_index: NDArray[np.int64]  # row -> r
    # Grid cells some row uses. A level spans only some weeks, so most (level, q) pairs
    # are never used: their exp() is skipped, since with a steep trend (a diverging fit)
    # it overflows for weeks where the level has no rows.
    grid_used: BoolArray


def _design(
    k: int,
    n_weeks: int,
    *,
    b: int,
    w: int,
    freq: int,
    no_periods: int,
    past_weeks_not_included: int,
    epoch: dt.date | None,
) -> _Design | None:
    refs = _reference_weeks(k, n_weeks, b, freq, epoch)
    if refs is None:
        return None
    levels = _blocks(refs, n_weeks, w, no_periods)
    if levels is None:
        return None
    levels[max(k - past_weeks_not_included, 0) : k + 1] = np.nan
    rows = np.flatnonzero(~np.isnan(levels))
    present = np.unique(levels[rows]).astype(int)
    column = {lev: i for i, lev in enumerate(present)}
    level = np.array([column[int(v)] for v in levels[rows]], dtype=np.int64)
    offset = rows - rows.min() if rows.size else rows
    q_pos, r_index = np.divmod(offset, _EXP_STEP)
    n_q = int(q_pos.max()) + 1 if rows.size else 1
    lq_index = level * n_q + q_pos
    grid_used = np.zeros(len(present) * n_q, dtype=bool)
    grid_used[lq_index] = True
    return _Design(
        rows=rows,
        level=level,
        n_levels=len(present),
        pred_level=column.get(no_periods, -1),
        t=(rows - k).astype(float),
        q_times=(rows.min() - k + _EXP_STEP * np.arange(n_q)).astype(float)
        if rows.size
        else np.zeros(1),
        lq_index=lq_index,
        r_index=r_index,
        grid_used=grid_used,
    )


# ----------------------------------------------------------------------------------
# Batched quasi-Poisson GLM: R's glm.fit, one log-linear model per series with a
# shared design (one indicator per seasonal level, optionally a linear time trend).


@dataclass
class _Counts:
    """Baseline counts of many series with the transforms the fits reuse."""

    y: FloatArray  # 0 where missing
    valid: BoolArray
    ylogy: FloatArray  # y log y (0 at 0)
    log_start: FloatArray  # log(y + 0.1), glm's starting eta
    y23: FloatArray  # y^(2/3) for the Anscombe residuals

    def take(self, sel: BoolArray) -> _Counts:
        return _Counts(*(getattr(self, f)[sel] for f in self.__dataclass_fields__))


def _counts(y_base: FloatArray) -> _Counts:
    valid = ~np.isnan(y_base)
    y = np.where(valid, y_base, 0.0)
    top = y.max(initial=0.0)
    if top < 100_000 and np.array_equal(y, np.rint(y)):
        # Whole counts: look the transforms up instead of computing logs and powers.
        grid = np.arange(int(top) + 1, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            tables = (
                np.where(grid > 0, grid * np.log(grid), 0.0),
                np.log(grid + 0.1),
                grid ** (2.0 / 3.0),
            )
        index = y.astype(np.int64)
        ylogy, log_start, y23 = (table[index] for table in tables)
    else:
        ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
        log_start = np.log(y + 0.1)
        y23 = y ** (2.0 / 3.0)
    return _Counts(y=y, valid=valid, ylogy=ylogy, log_start=log_start, y23=y23)


def _fitted_means(beta: FloatArray, beta_t: FloatArray, design: _Design, trend: bool) -> FloatArray:
    """max(exp(eta), eps) for every baseline row (R's quasipoisson linkinv)."""
    if trend:
        eta = beta[:, :, None] + beta_t[:, None, None] * design.q_times[None, None, :]
        eta = eta.reshape(beta.shape[0], -1)
        grid = np.full_like(eta, np.inf)  # unused cells: inf, so they never set the minimum
        np.exp(eta, out=grid, where=design.grid_used[None, :])
        steps = np.exp(beta_t[:, None] * _R_STEPS[None, :])
        mu = grid[:, design.lq_index]
        mu *= steps[:, design.r_index]
        smallest = grid.min(initial=np.inf) * steps.min(initial=np.inf)
    else:
        factors = np.exp(beta)
        mu = factors[:, design.level]
        smallest = factors.min(initial=np.inf)
    if smallest < 2.0 * _DBL_EPS:  # rounding of the product: floor when in doubt
        np.maximum(mu, _DBL_EPS, out=mu)
    return mu


@dataclass
class _GlmFit:
    beta: FloatArray  # (S, n_levels)
    beta_t: FloatArray  # (S,) trend coefficient, 0 without trend
    mu: FloatArray  # (S, n) fitted values
    work_w: FloatArray  # (S, n) working weights of the last IRLS step (R's fit$weights)
    c_ll: FloatArray  # (S, n_levels) diagonal of (X'WX)^-1 for the level columns
    c_lt: FloatArray  # (S, n_levels) level-trend entries
    c_tt: FloatArray  # (S,) trend-trend entry
    rank: NDArray[np.int64]
    converged: BoolArray
    dispersion: FloatArray  # summary.glm's Pearson dispersion (not floored at 1)
    se_dispersion: FloatArray  # the dispersion R's predict() and summary() see, see below


def _solve_structured(
    d: FloatArray,
    c: FloatArray | None,
    e: FloatArray | None,
    r: FloatArray,
    rt: FloatArray | None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, BoolArray]:
    """Solve the weighted normal equations for [level indicators, t], many series at once.

    X'WX is diagonal in the level indicators (``d``) plus one trend row and column
    (``c``, ``e``), so the system is solved through the Schur complement of the
    trend entry. Levels without data get a zero coefficient (R drops the aliased
    column). Returns the coefficients and the parts of (X'WX)^-1 that predictions
    and hat values need.
    """
    empty = d <= 0.0
    d_safe = np.where(empty, 1.0, d)
    r = np.where(empty, 0.0, r)
    if c is not None and e is not None and rt is not None:
        c = np.where(empty, 0.0, c)
        c_over_d = c / d_safe
        schur = e - np.sum(c * c_over_d, axis=1)
        # A series without data has schur = 0: its coefficients are NaN, not a warning.
        with np.errstate(divide="ignore", invalid="ignore"):
            beta_t = (rt - np.sum(c_over_d * r, axis=1)) / schur
            beta = (r - c * beta_t[:, None]) / d_safe
            c_tt = 1.0 / schur
            c_lt = -c_over_d * c_tt[:, None]
            c_ll = 1.0 / d_safe + c_over_d**2 * c_tt[:, None]
    else:
        beta_t = np.zeros(d.shape[0])
        beta = r / d_safe
        c_tt = np.zeros(d.shape[0])
        c_lt = np.zeros_like(d)
        c_ll = 1.0 / d_safe
    beta = np.where(empty, 0.0, beta)
    c_ll = np.where(empty, 0.0, c_ll)
    c_lt = np.where(empty, 0.0, c_lt)
    return beta, beta_t, c_ll, c_lt, c_tt, empty


def _one_hot(design: _Design) -> FloatArray:
    """The level indicators of the baseline rows (rows x levels)."""
    n_obs = design.t.size
    one_hot = np.zeros((n_obs, design.n_levels))
    one_hot[np.arange(n_obs), design.level] = 1.0
    return one_hot


def _glm_matrices(design: _Design, trend: bool) -> tuple[FloatArray, FloatArray]:
    """The design matrix X and the columns whose W-weighted sums give X'WX: the level
    indicators, and with a trend also their products with t, and t^2."""
    one_hot = _one_hot(design)
    if not trend:
        return one_hot, one_hot
    t = design.t
    x = np.concatenate([one_hot, t[:, None]], axis=1)
    products = np.concatenate([one_hot, one_hot * t[:, None], (t * t)[:, None]], axis=1)
    return x, products


def _empty_fit(n_series: int, n_obs: int, n_levels: int) -> _GlmFit:
    return _GlmFit(
        beta=np.zeros((n_series, n_levels)),
        beta_t=np.zeros(n_series),
        mu=np.zeros((n_series, n_obs)),
        work_w=np.zeros((n_series, n_obs)),
        c_ll=np.zeros((n_series, n_levels)),
        c_lt=np.zeros((n_series, n_levels)),
        c_tt=np.zeros(n_series),
        rank=np.zeros(n_series, dtype=np.int64),
        converged=np.zeros(n_series, dtype=bool),
        dispersion=np.full(n_series, np.nan),
        se_dispersion=np.full(n_series, np.nan),
    )


def _normal_parts(
    sums: FloatArray, n_levels: int, trend: bool
) -> tuple[FloatArray, FloatArray | None, FloatArray | None, FloatArray]:
    """X'WX from the weighted sums: its level diagonal ``d``, level-trend column ``c``
    and trend entry ``e`` (None without trend), and X'W1 (the sum of W x)."""
    d = sums[:, :n_levels]
    if not trend:
        return d, None, None, d
    c = sums[:, n_levels : 2 * n_levels]
    e = sums[:, 2 * n_levels]
    return d, c, e, np.concatenate([d, c.sum(axis=1)[:, None]], axis=1)


def _w_eta(
    coef: FloatArray, d: FloatArray, c: FloatArray | None, e: FloatArray | None, n_levels: int
) -> FloatArray:
    """X'W eta = X'WX coef, from the parts of X'WX."""
    if c is None or e is None:
        return coef * d
    return np.concatenate(
        [
            coef[:, :n_levels] * d + coef[:, n_levels:] * c,
            np.sum(coef[:, :n_levels] * c, axis=1)[:, None] + coef[:, n_levels:] * e[:, None],
        ],
        axis=1,
    )


def _pearson_dispersion(fit: _GlmFit, y: FloatArray, prior_w: FloatArray) -> FloatArray:
    """summary.glm's dispersion: Pearson chi-square over the residual degrees of freedom."""
    df_resid = np.sum(prior_w > 0, axis=1) - fit.rank
    pearson = np.sum(fit.work_w * np.square((y - fit.mu) / fit.mu), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(df_resid > 0, pearson / df_resid, np.nan)


def _glm_quasipoisson(
    counts: _Counts, prior_w: FloatArray, design: _Design, trend: bool
) -> _GlmFit:
    """IRLS exactly as R's glm.fit for quasipoisson(link = "log"), for many series.

    Same start (mu = y + 0.1), same convergence rule (relative deviance change below
    1e-8, at most 25 iterations) and the same bookkeeping: R keeps the working
    weights of the last step, which the standard errors, hat values and the Pearson
    dispersion use. ``prior_w`` must be 0 for missing weeks.

    For speed every step works on sums: with the log link the working weights are
    W = prior * mu and W z = W eta + prior (y - mu), so the normal equations need only
    the products of W with [level indicators, their times t, t^2] (one matrix
    product for all series), and the deviance is linear in the coefficients apart
    from sum(prior * mu). (R floors mu at the machine epsilon; the log(mu) of the
    deviance uses eta, which differs only where a positive count has a fitted mean
    below 1e-16.)
    """
    y = counts.y
    n_series, n_obs = y.shape
    n_levels = design.n_levels
    x, products = _glm_matrices(design, trend)
    fit = _empty_fit(n_series, n_obs, n_levels)
    pw_y = prior_w * y
    y_sums = pw_y @ x  # sum of prior * y * x, per coefficient
    dev_const = np.sum(prior_w * counts.ylogy, axis=1) - y_sums[:, :n_levels].sum(axis=1)

    mu = y + 0.1
    eta = counts.log_start
    dev_old = 2.0 * (dev_const - np.sum(pw_y * eta, axis=1) + np.sum(prior_w * mu, axis=1))
    work_w = prior_w * mu
    sums = work_w @ products
    w_eta = (work_w * eta) @ x  # sum of W * eta * x; later linear in the coefficients
    active = np.arange(n_series)
    pw = prior_w
    unit = bool(np.all(prior_w == 1.0))  # no missing weeks, no weights: W = mu
    coef = np.zeros((n_series, x.shape[1]))
    for iteration in range(_GLM_MAXIT):
        d, c, e, w_x = _normal_parts(sums, n_levels, trend)
        if iteration:
            w_eta = _w_eta(coef, d, c, e, n_levels)
        rhs = w_eta + y_sums - w_x  # X'Wz
        beta, beta_t, c_ll, c_lt, c_tt, empty = _solve_structured(
            d, c, e, rhs[:, :n_levels], rhs[:, n_levels] if trend else None
        )
        coef = np.concatenate([beta, beta_t[:, None]], axis=1) if trend else beta
        mu = _fitted_means(beta, beta_t, design, trend)
        new_w = mu if unit else pw * mu
        new_sums = new_w @ products
        dev = 2.0 * (dev_const - np.sum(coef * y_sums, axis=1) + new_sums[:, :n_levels].sum(axis=1))
        finite = np.isfinite(dev)
        done = finite & (np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < _GLM_EPSILON)
        store = done | ~finite | (iteration == _GLM_MAXIT - 1)
        if np.any(store):
            step = _GlmFit(
                beta, beta_t, mu, work_w, c_ll, c_lt, c_tt,
                rank=(~empty).sum(axis=1) + int(trend), converged=done,
                dispersion=fit.dispersion, se_dispersion=fit.se_dispersion,
            )  # fmt: skip
            _store_rows(fit, active[store], step, store)
        keep = ~store
        if not np.any(keep):
            break
        if not np.all(keep):
            active = active[keep]
            pw, y_sums, dev_const = pw[keep], y_sums[keep], dev_const[keep]
            coef, new_w, new_sums, dev = coef[keep], new_w[keep], new_sums[keep], dev[keep]
        work_w, sums, dev_old = new_w, new_sums, dev

    fit.dispersion = _pearson_dispersion(fit, y, prior_w)
    fit.se_dispersion = fit.dispersion.copy()
    return fit


_STEP_FIELDS = ("beta", "beta_t", "mu", "work_w", "c_ll", "c_lt", "c_tt", "rank", "converged")


def _store_rows(fit: _GlmFit, idx: NDArray[np.intp], step: _GlmFit, sel: BoolArray) -> None:
    """Copy the rows ``sel`` of an IRLS step into the series ``idx`` of the fit."""
    for name in _STEP_FIELDS:
        getattr(fit, name)[idx] = getattr(step, name)[sel]


def _unscaled_var(fit: _GlmFit, level: NDArray[np.int64], t: FloatArray) -> FloatArray:
    """x'(X'WX)^-1 x for rows with the given level column and time (per series)."""
    c_ll = fit.c_ll[:, level]
    c_lt = fit.c_lt[:, level]
    return c_ll + 2.0 * c_lt * t + fit.c_tt[:, None] * t**2


def _reweight(
    counts: _Counts, fit: _GlmFit, design: _Design, trend: bool, threshold: float
) -> FloatArray:
    """Anscombe residuals and Farrington's weights (algo.farrington.assign.weights)."""
    valid = counts.valid
    phi = np.maximum(fit.dispersion, 1.0)
    # Hat values: W x'(X'WX)^-1 x, as one matrix product over the rows.
    one_hot = _one_hot(design)
    rows = np.concatenate(
        [one_hot, 2.0 * one_hot * design.t[:, None], (design.t**2)[:, None]], axis=1
    )
    parts = np.concatenate([fit.c_ll, fit.c_lt, fit.c_tt[:, None]], axis=1)
    hat = fit.work_w * (parts @ rows.T)
    # mu^(1/3) = exp(eta / 3), with R's floor of mu at the machine epsilon
    root = _fitted_means(fit.beta / 3.0, fit.beta_t / 3.0, design, trend)
    np.maximum(root, _DBL_EPS ** (1.0 / 3.0), out=root)
    with np.errstate(divide="ignore", invalid="ignore"):
        # 3/2 (y^(2/3) mu^(-1/6) - mu^(1/2)) / sqrt(phi (1 - h))
        s = 1.5 * (counts.y23 - root * root) / np.sqrt(root * phi[:, None] * (1.0 - hat))
        factor = np.where(s > threshold, 1.0 / (s * s), 1.0)
        gamma = valid.sum(axis=1) / np.sum(np.where(valid, factor, 0.0), axis=1)
    return np.where(valid, gamma[:, None] * factor, 0.0)


def _fit_farrington_glm(
    counts: _Counts,
    design: _Design,
    *,
    trend: bool,
    reweight: bool,
    weights_threshold: float,
) -> tuple[_GlmFit, BoolArray, BoolArray]:
    """algo.farrington.fitGLM.flexible for many series.

    Returns the final fit, whether each series got a model at all, and whether its
    model has the trend (the trend model falls back to no trend if it diverges).
    """
    prior = counts.valid.astype(float)
    fit = _glm_quasipoisson(counts, prior, design, trend)
    has_trend = np.full(prior.shape[0], trend)
    if trend and not np.all(fit.converged):
        retry = ~fit.converged
        sub = _glm_quasipoisson(counts.take(retry), prior[retry], design, False)
        _assign_fit(fit, retry, sub)
        has_trend[retry] = False
    # A series without a single baseline count has no model (R stops: "0 (non-NA) cases").
    ok = fit.converged & counts.valid.any(axis=1)
    if reweight and np.any(ok):
        for with_trend in (True, False):
            sel = ok & (has_trend == with_trend)
            if not np.any(sel):
                continue
            part = counts.take(sel)
            omega = _reweight(part, _take(fit, sel), design, with_trend, weights_threshold)
            sub = _glm_quasipoisson(part, omega, design, with_trend)
            # fitGLM.flexible overwrites model$weights (the working weights) with the
            # prior weights omega after taking phi; summary.glm() and predict.glm()
            # then compute the dispersion from omega. Standard errors and the trend
            # test therefore use this value, phi uses the proper one.
            df_resid = part.valid.sum(axis=1) - sub.rank
            resid = np.square((part.y - sub.mu) / sub.mu)
            with np.errstate(divide="ignore", invalid="ignore"):
                sub.se_dispersion = np.where(
                    df_resid > 0, np.sum(omega * resid, axis=1) / df_resid, np.nan
                )
            _assign_fit(fit, sel, sub)
    return fit, ok, has_trend


def _take(fit: _GlmFit, sel: BoolArray) -> _GlmFit:
    return _GlmFit(**{name: getattr(fit, name)[sel] for name in fit.__dataclass_fields__})


def _assign_fit(fit: _GlmFit, sel: BoolArray, sub: _GlmFit) -> None:
    for name in fit.__dataclass_fields__:
        getattr(fit, name)[sel] = getattr(sub, name)


# ----------------------------------------------------------------------------------
# Thresholds (algo.farrington.threshold.farrington / .noufaily)


def _discrete_quantile(prob: float, cdf: Any, start: FloatArray) -> FloatArray:
    """Smallest x >= 0 with cdf(x) >= prob, with R's fuzz (qDiscrete_search)."""
    target = prob * (1.0 - 64.0 * _DBL_EPS)
    x = np.where(np.isfinite(start), np.maximum(start, 0.0), np.nan)
    ok = np.isfinite(x)
    for _ in range(100):  # the scipy start is at most a step or two off
        lower = ok & (x > 0)
        down = np.zeros_like(ok)
        down[lower] = cdf(x[lower] - 1.0, lower) >= target
        up = np.zeros_like(ok)
        up[ok] = cdf(x[ok], ok) < target
        if not (down.any() or up.any()):
            break
        x = np.where(down, x - 1.0, np.where(up, x + 1.0, x))
    return x


def _threshold_delta(
    fit: FloatArray, se: FloatArray, phi: FloatArray, y: FloatArray, alpha: float, powertrans: str
) -> tuple[FloatArray, FloatArray]:
    exponent = {"none": 1.0, "1/2": 0.5, "2/3": 2.0 / 3.0}[powertrans]
    tau = phi + se**2 / fit
    if powertrans == "none":
        se_t = np.sqrt(fit * tau)
    elif powertrans == "1/2":
        se_t = np.sqrt(0.25 * tau)
    else:
        se_t = np.sqrt(4.0 / 9.0 * fit ** (1.0 / 3.0) * tau)
    z = stats.norm.ppf(1.0 - alpha)
    upper = (fit**exponent + z * se_t) ** (1.0 / exponent)
    with np.errstate(invalid="ignore"):
        pvalue = stats.norm.sf(y**exponent, loc=fit**exponent, scale=se_t)
    return upper, pvalue


def _threshold_negbin(
    mu: FloatArray, phi: FloatArray, y: FloatArray, alpha: float
) -> tuple[FloatArray, FloatArray]:
    finite = np.isfinite(mu)
    mu = np.where(finite, mu, np.nan)
    nb = phi > 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.where(nb, mu / (phi - 1.0), np.nan)
        prob = 1.0 / phi

        def cdf(x: FloatArray, sel: BoolArray) -> FloatArray:
            return np.where(
                nb[sel],
                stats.nbinom.cdf(x, size[sel], prob[sel]),
                stats.poisson.cdf(x, mu[sel]),
            )

        start = np.where(
            nb,
            stats.nbinom.ppf(1.0 - alpha, size, prob),
            stats.poisson.ppf(1.0 - alpha, mu),
        )
        upper = _discrete_quantile(1.0 - alpha, cdf, start)
        pvalue = np.where(
            phi != 1.0,
            stats.nbinom.sf(y - 1.0, size, prob),
            stats.poisson.sf(y - 1.0, mu),
        )
    return np.where(finite, upper, np.nan), np.where(finite, pvalue, np.nan)


@dataclass(frozen=True)
class FarringtonResult:
    """Output of :func:`farrington_flexible`; arrays are (weeks,) or (series, weeks).

    ``expected`` is the predicted mean of the current week and ``upperbound`` the
    threshold; both are NaN where R gives NA: fewer than ``limit54`` cases, no
    converging model, or (R stops with an error here) too short a history.
    ``pvalue`` is R's ``control$pvalue``: with "nbPlugin"/"muan" the negative binomial
    (or Poisson) upper tail P(Y >= y) at the plug-in mean, with "delta" the normal
    approximation on the power-transformed scale P(Z >= y^e). It is given whenever a
    model was fitted, also below the ``limit54`` rule, so that
    :func:`fdr_alarms` can rank every series.
    """

    weeks: NDArray[np.int64]
    observed: FloatArray
    expected: FloatArray
    upperbound: FloatArray
    alarm: BoolArray
    pvalue: FloatArray
    score: FloatArray
    phi: FloatArray
    trend_used: BoolArray
    trend_coef: FloatArray
    fitted: BoolArray


def farrington_flexible(
    observed: ArrayLike,
    *,
    b: int = 3,
    w: int = 3,
    reweight: bool = True,
    weights_threshold: float = 2.58,
    alpha: float = 0.05,
    trend: bool = True,
    p_threshold_trend: float = 0.05,
    limit54: tuple[int, int] = (5, 4),
    powertrans: Literal["2/3", "1/2", "none"] = "2/3",
    no_periods: int = 1,
    past_weeks_not_included: int | None = None,
    threshold_method: Literal["delta", "nbPlugin", "muan"] = "delta",
    range: int | Sequence[int] | None = None,
    freq: int = 52,
    epoch: dt.date | str | np.datetime64 | None = None,
) -> FarringtonResult:
    """Farrington's outbreak detection, flexible version (R ``surveillance::farringtonFlexible``).

    Farrington, Andrews, Beale and Catchpole (1996), J. R. Statist. Soc. A 159, 547-563,
    and the improved method of Noufaily et al. (2013), Statistics in Medicine 32,
    1206-1222 (pass ``**NOUFAILY_2013``). For each evaluated week a quasi-Poisson GLM
    is fitted to the baseline weeks, past outbreaks are down-weighted through Anscombe
    residuals, and an alarm is raised when the count exceeds the upper prediction bound.

    ``observed`` holds weekly counts, 1-D or 2-D (series x weeks); NaN marks a missing
    week (left out of the fit, like R's NA). Parameters mirror R's control list in
    snake_case and R's defaults, except ``b`` (R: 5; here 3, since Tryggnav's police
    data start in 2023) and ``range``: 0-based indices of the weeks to evaluate, by
    default only the last week (R: every week from ``freq*b + w``). Without ``epoch``
    the reference weeks lie ``freq`` weeks apart (R's sts without dates); with
    ``epoch``, the date of week 0 (weeks 7 days apart, ``freq=52`` only), they are the
    weeks nearest the same date 1..b years back, as R does with ``epochAsDate=TRUE``.
    Where the history is too short R stops with an error; here those weeks get NaN.
    ``populationOffset`` is not supported.
    """
    y_all, one = _as_2d(observed)
    n_series, n_weeks = y_all.shape
    weeks = _weeks(range, n_weeks)
    epoch_date = _check_farrington_options(
        y_all, threshold_method, powertrans, limit54, epoch=epoch, freq=freq
    )
    rule = _Rule(
        b=b,
        reweight=reweight,
        weights_threshold=weights_threshold,
        alpha=alpha,
        trend=trend,
        p_threshold_trend=p_threshold_trend,
        limit54=limit54,
        powertrans=powertrans,
        threshold_method=threshold_method,
        epoch=epoch_date,
    )
    out = _empty_outputs((n_series, weeks.size))
    # Blocks of series keep the working arrays in the processor's cache.
    chunks = [slice(i, i + _CHUNK) for i in np.arange(0, n_series, _CHUNK)]
    for col, k in enumerate(weeks):
        design = _design(
            int(k),
            n_weeks,
            b=b,
            w=w,
            freq=freq,
            no_periods=no_periods,
            past_weeks_not_included=w
            if past_weeks_not_included is None
            else past_weeks_not_included,
            epoch=epoch_date,
        )
        if design is None or design.pred_level < 0:
            continue
        for sl in chunks:
            for name, values in _evaluate_week(y_all[sl], int(k), design, rule).items():
                out[name][sl, col] = values

    fields = {name: _squeeze(values, one) for name, values in out.items()}
    return FarringtonResult(weeks=weeks, observed=_squeeze(y_all[:, weeks], one), **fields)


_FLOAT_OUTPUTS = ("expected", "upperbound", "pvalue", "score", "phi", "trend_coef")
_BOOL_OUTPUTS = ("alarm", "trend_used", "fitted")


@dataclass(frozen=True)
class _Rule:
    """The settings of :func:`farrington_flexible` that evaluating a week needs."""

    b: int
    reweight: bool
    weights_threshold: float
    alpha: float
    trend: bool
    p_threshold_trend: float
    limit54: tuple[int, int]
    powertrans: str
    threshold_method: str
    epoch: dt.date | None


def _check_farrington_options(
    y_all: FloatArray,
    threshold_method: str,
    powertrans: str,
    limit54: tuple[int, int],
    *,
    epoch: dt.date | str | np.datetime64 | None,
    freq: int,
) -> dt.date | None:
    """Refuse settings R would refuse (or that are not ported); the epoch as a date."""
    if threshold_method not in ("delta", "nbPlugin", "muan"):
        raise ValueError("threshold_method must be 'delta', 'nbPlugin' or 'muan'")
    if powertrans not in ("2/3", "1/2", "none"):
        raise ValueError("powertrans must be '2/3', '1/2' or 'none'")
    if not (limit54[0] >= 0 and limit54[1] > 0):
        raise ValueError("limit54 must be (cases >= 0, period > 0)")
    if np.nanmin(y_all, initial=0.0) < 0:
        raise ValueError("counts must be non-negative")
    epoch_date = None if epoch is None else _as_date(epoch)
    if epoch_date is not None and freq != 52:
        raise ValueError("epoch dates are supported for weekly data (freq=52) only")
    return epoch_date


def _empty_outputs(shape: tuple[int, int]) -> dict[str, NDArray[Any]]:
    out: dict[str, NDArray[Any]] = {name: np.full(shape, np.nan) for name in _FLOAT_OUTPUTS}
    for name in _BOOL_OUTPUTS:
        out[name] = np.zeros(shape, dtype=bool)
    return out


def _prediction_shift(counts: _Counts, design: _Design, epoch: dt.date | None) -> FloatArray:
    """R (with dates) measures the prediction's time from the first non-missing
    baseline week but the fit's from the first baseline week; keep that shift."""
    t0 = np.zeros(counts.y.shape[0])
    if epoch is not None:
        first = np.argmax(counts.valid, axis=1)
        t0 = design.t[0] - design.t[first]
    return t0


def _keep_trend(
    fit: _GlmFit,
    ok: BoolArray,
    has_trend: BoolArray,
    counts: _Counts,
    design: _Design,
    t0: FloatArray,
    rule: _Rule,
) -> BoolArray:
    """Which series keep the trend (algo.farrington: b >= 3, a significant trend, no
    prediction above the largest baseline count). The others are refitted without it,
    in place in ``fit`` and ``ok``."""
    eta0 = fit.beta[:, design.pred_level] + fit.beta_t * t0
    with np.errstate(divide="ignore", invalid="ignore"):
        se_bt = np.sqrt(fit.c_tt * fit.se_dispersion)
        df_resid = np.sum(counts.valid, axis=1) - fit.rank
        p_trend = 2.0 * stats.t.sf(np.abs(fit.beta_t / se_bt), df_resid)
    y_max = np.max(np.where(counts.valid, counts.y, -np.inf), axis=1)
    pred = np.maximum(np.exp(eta0), _DBL_EPS)
    significant = p_trend < rule.p_threshold_trend
    do_trend = ok & has_trend & (rule.b >= 3) & significant & (pred <= y_max)
    refit = ok & ~do_trend & has_trend
    if np.any(refit):
        sub, sub_ok, _ = _fit_farrington_glm(
            counts.take(refit),
            design,
            trend=False,
            reweight=rule.reweight,
            weights_threshold=rule.weights_threshold,
        )
        _assign_fit(fit, refit, sub)
        ok[refit] = sub_ok
    return do_trend


def _upper_bound(
    fit: _GlmFit, design: _Design, t0: FloatArray, y_now: FloatArray, rule: _Rule
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Threshold and p-value of the current week, the prediction on the scale the
    score uses, and the expected count (algo.farrington.threshold.*)."""
    phi = np.maximum(fit.dispersion, 1.0)
    eta0 = fit.beta[:, design.pred_level] + fit.beta_t * t0
    var0 = _unscaled_var(fit, np.array([design.pred_level]), t0[:, None])[:, 0]
    with np.errstate(invalid="ignore"):
        se_eta = np.sqrt(var0 * fit.se_dispersion)
    if rule.threshold_method == "delta":
        mu0 = np.maximum(np.exp(eta0), _DBL_EPS)
        upper, pvalue = _threshold_delta(mu0, se_eta * mu0, phi, y_now, rule.alpha, rule.powertrans)
        return upper, pvalue, mu0, mu0
    with np.errstate(over="ignore"):
        if rule.threshold_method == "nbPlugin":
            mu_q = np.exp(eta0)
        else:
            mu_q = np.exp(eta0 + stats.norm.ppf(1.0 - rule.alpha) * se_eta)
    upper, pvalue = _threshold_negbin(mu_q, phi, y_now, rule.alpha)
    return upper, pvalue, eta0, np.exp(eta0)


def _evaluate_week(
    y_all: FloatArray, k: int, design: _Design, rule: _Rule
) -> dict[str, NDArray[Any]]:
    """Fit, threshold and alarm of week ``k`` for a block of series."""
    counts = _counts(y_all[:, design.rows])
    t0 = _prediction_shift(counts, design, rule.epoch)
    fit, ok, has_trend = _fit_farrington_glm(
        counts,
        design,
        trend=rule.trend,
        reweight=rule.reweight,
        weights_threshold=rule.weights_threshold,
    )
    do_trend = np.zeros(y_all.shape[0], dtype=bool)
    if rule.trend:
        do_trend = _keep_trend(fit, ok, has_trend, counts, design, t0, rule)
    y_now = y_all[:, k]
    upper, pvalue, pred_fit, expected = _upper_bound(fit, design, t0, y_now, rule)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(ok, (y_now - pred_fit) / (upper - pred_fit), np.nan)
    cases, period = rule.limit54
    recent = np.sum(y_all[:, max(k - period + 1, 0) : k + 1], axis=1)
    with np.errstate(invalid="ignore"):
        use = ok & (recent >= cases)  # a missing week makes R's sum NA: no alarm
        alarm = use & (score > 1) & (y_now != 0)
    return {
        "upperbound": np.where(use, upper, np.nan),
        "expected": np.where(use & ~np.isnan(upper), expected, np.nan),
        "score": score,
        "pvalue": np.where(ok, pvalue, np.nan),
        "phi": np.where(ok, np.maximum(fit.dispersion, 1.0), np.nan),
        "trend_coef": np.where(ok & do_trend, fit.beta_t, np.nan),
        "alarm": alarm,
        "trend_used": ok & do_trend,
        "fitted": ok,
    }


# ----------------------------------------------------------------------------------
# EARS C1, C2, C3 (surveillance::earsC)


@dataclass(frozen=True)
class EarsResult:
    """Output of :func:`ears`; arrays are (weeks,) or (series, weeks)."""

    weeks: NDArray[np.int64]
    observed: FloatArray
    upperbound: FloatArray
    alarm: BoolArray


def ears(
    observed: ArrayLike,
    *,
    method: Literal["C1", "C2", "C3"] = "C1",
    baseline: int = 7,
    alpha: float | None = None,
    range: int | Sequence[int] | None = None,
    min_sigma: float = 0.0,
) -> EarsResult:
    """EARS C1, C2 and C3 (Hutwagner et al. 2003; R ``surveillance::earsC``).

    C1 compares each week with the mean and standard deviation of the ``baseline``
    weeks just before it, C2 leaves a gap of two weeks, and C3 adds up the positive
    excesses of C2 over the two previous weeks. As in R, the threshold uses the
    normal quantile ``qnorm(1 - alpha)`` and the standard deviation is floored at
    ``min_sigma``; ``alpha`` defaults to R's 0.001 for C1 and C2 and 0.025 for C3.
    ``range`` holds 0-based week indices (default: the last week); a week needs
    ``baseline`` (C1), ``baseline + 2`` (C2) or ``baseline + 4`` (C3) earlier weeks,
    else it gets NaN (R stops). NaN in the baseline gives NaN, as R's NA does.
    """
    if method not in ("C1", "C2", "C3"):
        raise ValueError("method must be 'C1', 'C2' or 'C3'")
    if baseline < 3:
        raise ValueError("the minimum baseline is 3")
    if min_sigma < 0:
        raise ValueError("min_sigma must be non-negative")
    if alpha is None:
        alpha = 0.025 if method == "C3" else 0.001
    y, one = _as_2d(observed)
    weeks = _weeks(range, y.shape[1])
    z = stats.norm.ppf(1.0 - alpha)
    gap = 0 if method == "C1" else 2

    def mean_sd(at: NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
        # Baseline of week k: k - gap - baseline .. k - gap - 1.
        idx = at[:, None] - gap - baseline + np.arange(baseline)[None, :]
        bad = idx < 0
        ref = y[:, np.where(bad, 0, idx)]
        ref = np.where(bad[None, :, :], np.nan, ref)
        return ref.mean(axis=2), np.maximum(ref.std(axis=2, ddof=1), min_sigma)

    mean, sd = mean_sd(weeks)
    y_now = y[:, weeks]
    with np.errstate(divide="ignore", invalid="ignore"):
        if method in ("C1", "C2"):
            upper = mean + z * sd
        else:
            lag_parts = np.zeros_like(mean)
            for lag in (1, 2):
                prev = weeks - lag
                m_lag, sd_lag = mean_sd(prev)
                c2 = (y[:, np.maximum(prev, 0)] - m_lag) / sd_lag
                c2 = np.where(prev[None, :] < 0, np.nan, c2)
                lag_parts = lag_parts + np.maximum(0.0, c2 - 1.0)
            upper = np.maximum(0.0, y_now + sd * (z - lag_parts))
        alarm = y_now > upper
    return EarsResult(
        weeks=weeks,
        observed=_squeeze(y_now, one),
        upperbound=_squeeze(upper, one),
        alarm=_squeeze(alarm, one),
    )


# ----------------------------------------------------------------------------------
# Negative binomial CUSUM (surveillance::glrnb with a fixed theta)


@dataclass(frozen=True)
class CusumResult:
    """Output of :func:`nb_cusum`; arrays are (weeks,) or (series, weeks).

    ``statistic`` is the CUSUM after each week (R's ``ret = "value"``) and
    ``upperbound`` the number of cases that week that would have raised an alarm
    (R's ``ret = "cases"``, floored at 0).
    """

    weeks: NDArray[np.int64]
    observed: FloatArray
    statistic: FloatArray
    upperbound: FloatArray
    alarm: BoolArray


def nb_cusum(
    observed: ArrayLike,
    *,
    mu0: ArrayLike,
    size: float | None = None,
    ratio: float = 2.0,
    h: float = 5.0,
    start: int = 0,
) -> CusumResult:
    """Likelihood-ratio CUSUM for a known rise in a negative binomial mean.

    Höhle and Paul (2008), Computational Statistics & Data Analysis 52, 4357-4368;
    R ``surveillance::glrnb`` with ``theta = log(ratio)`` and ``dir = "inc"`` (its C
    functions ``lr_cusum_nb`` and, for ``size=None``, the Poisson ``lr_cusum``).
    Each week adds the log-likelihood ratio of "mean ``ratio * mu0``" against the
    in-control mean ``mu0`` under NB(mean, ``size``) (R's ``alpha = 1/size``); the sum
    is kept non-negative and an alarm sounds when it exceeds ``h`` (R's ``c.ARL``),
    after which the chart starts again from zero. Monitoring runs from week ``start``
    to the end. ``mu0`` broadcasts against the observed series (all weeks).
    Missing weeks are not supported (R needs integers).
    """
    y, one = _as_2d(observed)
    if ratio <= 1:
        raise ValueError("ratio must be above 1 (an increase)")
    if size is not None and size <= 0:
        raise ValueError("size must be positive")
    if np.isnan(y[:, start:]).any():
        raise ValueError("nb_cusum needs complete counts")
    mu = np.broadcast_to(np.asarray(mu0, dtype=float), y.shape)
    weeks = np.arange(start, y.shape[1])
    kappa = float(np.log(ratio))
    x = y[:, weeks]
    m = mu[:, weeks]
    if size is None:
        llr_const = (1.0 - ratio) * m  # log LR = kappa * x + (1 - e^kappa) mu0
        step = np.full_like(m, kappa)
    else:
        a = 1.0 / size
        log_r = np.log((1.0 + a * m) / (1.0 + a * m * ratio))
        llr_const = log_r / a  # log LR = kappa * x + (x + 1/a) log_r
        step = kappa + log_r
    stat = np.zeros_like(x)
    cases = np.zeros_like(x)
    alarm = np.zeros(x.shape, dtype=bool)
    prev = np.zeros(x.shape[0])
    for j in np.arange(x.shape[1]):
        llr = step[:, j] * x[:, j] + llr_const[:, j]
        # Cases needed now: the smallest x with prev + llr(x) > h (R's back-calculation).
        cases[:, j] = (h - prev - llr_const[:, j]) / step[:, j]
        now = np.maximum(0.0, prev + llr)
        stat[:, j] = now
        alarm[:, j] = now > h
        prev = np.where(alarm[:, j], 0.0, now)
    cases = np.where(np.isnan(cases) | (cases < 0), 0.0, cases)
    return CusumResult(
        weeks=weeks,
        observed=_squeeze(x, one),
        statistic=_squeeze(stat, one),
        upperbound=_squeeze(cases, one),
        alarm=_squeeze(alarm, one),
    )


# ----------------------------------------------------------------------------------
# Alarms across many series


def fdr_alarms(
    pvalues: ArrayLike,
    *,
    observed: ArrayLike,
    q: float = 0.05,
    min_count: int = 1,
) -> BoolArray:
    """Alarms across many series: Benjamini-Hochberg at level ``q`` and a minimum count.

    Benjamini and Hochberg (1995), J. R. Statist. Soc. B 57, 289-300 (R
    ``p.adjust(method = "BH")``), applied to all p-values at once (e.g. one per
    area x category series for the current week, such as
    :attr:`FarringtonResult.pvalue`), so that the expected share of false alarms
    among all alarms stays at most ``q``. A week is flagged only when it is rejected
    and its count is at least ``min_count``: a significant rise from 0 to 1 case is
    not worth a meeting's time. NaN p-values (no model) never alarm and do not count
    as hypotheses.
    """
    p = np.asarray(pvalues, dtype=float)
    counts = np.asarray(observed, dtype=float)
    if counts.shape != p.shape:
        raise ValueError("pvalues and observed must have the same shape")
    rejected = fdr_reject(p, q=q)
    with np.errstate(invalid="ignore"):
        return rejected & (counts >= min_count)
