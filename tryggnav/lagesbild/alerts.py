"""Alerts: which weekly counts are statistically unusual.

The methods are the statistics core's (tryggnav.stats.surveillance); this module
only chooses one per series and applies the false discovery rate across all
series of a lägesbild:

- at least two years of history: the improved Farrington method (Noufaily et al.
  2013, R ``surveillance::farringtonFlexible`` with the Noufaily settings);
- shorter history: EARS C2 (CDC's Early Aberration Reporting System), its p-value
  from C2's normal statistic;
- fewer than ``EARS_MIN_WEEKS`` weeks: no model, no alert.

Every series gets a p-value for this week's count; Benjamini–Hochberg at
``FDR_Q`` over all series decides, and a count below ``MIN_COUNT`` never alerts,
however improbable (one event where none is expected is not a pattern).

Series are fitted all at once (the core is batched). The calls into the statistics
core are in ``_farrington``, ``_ears`` and ``_fdr`` only.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from scipy import stats

from tryggnav.lib import numbers
from tryggnav.stats import surveillance
from tryggnav.stats.multiple import benjamini_hochberg

ALPHA = 0.05
FDR_Q = 0.05
MIN_COUNT = 3
# Weeks of data, the judged week included: two years for Farrington; C2 needs nine
# weeks before the judged one (a seven-week baseline and a two-week gap).
FARRINGTON_MIN_WEEKS = 104
EARS_MIN_WEEKS = 10
CACHE_SECONDS = 24 * 3600

FARRINGTON = "farrington"
EARS_C2 = "ears-c2"
NONE = "none"

METHOD_LABELS = {
    FARRINGTON: _("Farrington (Noufaily 2013)"),
    EARS_C2: _("EARS C2"),
    NONE: _("ingen modell (för kort historik)"),
}


@dataclass
class SeriesResult:
    method: str
    expected: float | None = None
    upper: float | None = None
    pvalue: float | None = None
    p_adjusted: float | None = None
    alert: bool = False

    @property
    def method_label(self) -> str:
        return str(METHOD_LABELS[self.method])

    def threshold_text(self) -> str:
        """Which method and threshold produced (or would produce) an alert."""
        if self.method == NONE:
            return self.method_label
        alpha, q = (numbers.number(v, 3, trim=True) for v in (ALPHA, FDR_Q))
        return (
            f"{self.method_label}, α = {alpha}, FDR q = {q}, "
            f"{_('minst')} {MIN_COUNT} {_('händelser')}"
        )


def evaluate(
    matrix: np.ndarray, *, history_weeks: int, first_week: datetime.date
) -> list[SeriesResult]:
    """Model every row of ``matrix`` (series × weeks, the last column is the week judged).

    ``history_weeks``: how many weeks before the judged week have data at all in
    this lägesbild (the same for every series: zeros are then real zeros);
    ``first_week``: the Monday of the matrix's first column. Results are cached on
    the exact numbers, so a page reload does not refit.
    """
    matrix = np.asarray(matrix, dtype=np.int64)
    if matrix.ndim != 2 or matrix.shape[0] == 0:
        return []
    key = _cache_key("alerts", matrix, history_weeks, first_week)
    cached = cache.get(key)
    if cached is not None:
        return cached
    n_weeks = matrix.shape[1]
    last = np.array([n_weeks - 1])
    method, fitted = _fit(matrix, history_weeks=history_weeks, first_week=first_week, weeks=last)
    results = []
    for i in range(matrix.shape[0]):
        if fitted is None:
            results.append(SeriesResult(NONE))
            continue
        expected, upper, pvalue = (fitted[0][i, 0], fitted[1][i, 0], fitted[2][i, 0])
        results.append(SeriesResult(method, _num(expected), _num(upper), _num(pvalue)))
    _fdr(results, matrix[:, -1])
    cache.set(key, results, CACHE_SECONDS)
    return results


def bounds_over_time(
    values: np.ndarray, *, history_weeks: int, first_week: datetime.date, last: int
) -> list[tuple[float | None, float | None]]:
    """(expected, upper bound) of one series for each of its ``last`` weeks, each week
    judged on the history before it, as the trend chart draws the threshold."""
    values = np.asarray(values, dtype=np.int64)[None, :]
    key = _cache_key(f"bounds{last}", values, history_weeks, first_week)
    cached = cache.get(key)
    if cached is not None:
        return cached
    n_weeks = values.shape[1]
    weeks = np.arange(max(0, n_weeks - last), n_weeks)
    # The method is chosen by the history of the oldest week drawn, so that the line
    # does not switch method half-way through the chart.
    _method, fitted = _fit(
        values, history_weeks=history_weeks - (len(weeks) - 1), first_week=first_week, weeks=weeks
    )
    out: list[tuple[float | None, float | None]] = [(None, None)] * (last - len(weeks))
    for col in range(len(weeks)):
        if fitted is None:
            out.append((None, None))
        else:
            out.append((_num(fitted[0][0, col]), _num(fitted[1][0, col])))
    cache.set(key, out, CACHE_SECONDS)
    return out


def _cache_key(kind: str, matrix: np.ndarray, history_weeks: int, first: datetime.date) -> str:
    digest = hashlib.sha256(matrix.tobytes())
    digest.update(f"{matrix.shape}/{history_weeks}/{first}".encode())
    return f"lagesbild:{kind}:v2:{digest.hexdigest()}"


def _num(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


Fitted = tuple[np.ndarray, np.ndarray, np.ndarray]


def _fit(
    matrix: np.ndarray, *, history_weeks: int, first_week: datetime.date, weeks: np.ndarray
) -> tuple[str, Fitted | None]:
    """Choose the method by the history and fit all series at once."""
    n_weeks = matrix.shape[1]
    start = max(0, n_weeks - 1 - max(history_weeks, 0) - (n_weeks - 1 - int(weeks[0])))
    window = matrix[:, start:].astype(float)
    local = weeks - start
    epoch = first_week + datetime.timedelta(weeks=start)
    if history_weeks + 1 >= FARRINGTON_MIN_WEEKS:
        return FARRINGTON, _farrington(
            window, weeks=local, epoch=epoch, history_weeks=history_weeks
        )
    if history_weeks + 1 >= EARS_MIN_WEEKS:
        return EARS_C2, _ears(window, weeks=local)
    return NONE, None


def _fdr(results: list[SeriesResult], counts: np.ndarray) -> None:

    pvalues = np.array([np.nan if r.pvalue is None else r.pvalue for r in results])
    alarms = surveillance.fdr_alarms(pvalues, observed=counts, q=FDR_Q, min_count=MIN_COUNT)
    adjusted = benjamini_hochberg(pvalues)
    for result, alarm, p_adj in zip(results, alarms, adjusted, strict=True):
        result.alert = bool(alarm)
        result.p_adjusted = None if np.isnan(p_adj) else float(p_adj)


def _farrington(
    window: np.ndarray, *, weeks: np.ndarray, epoch: datetime.date, history_weeks: int
) -> Fitted:
    """Improved Farrington (Noufaily 2013) with as many reference years as the history
    holds, at most Noufaily's five."""

    settings = dict(surveillance.NOUFAILY_2013)
    settings["b"] = max(1, min(5, (history_weeks - settings["w"]) // 52))
    result = surveillance.farrington_flexible(
        window, **settings, alpha=ALPHA, range=[int(k) for k in weeks], epoch=epoch
    )
    return _2d(result.expected), _2d(result.upperbound), _2d(result.pvalue)


def _2d(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values.reshape(1, -1) if values.ndim == 1 else values


def _ears(window: np.ndarray, *, weeks: np.ndarray) -> Fitted | None:
    """EARS C2 (Hutwagner et al. 2003), with its baseline mean as the expected value.

    The core gives the bound ``mean + z(1 - α) · sd``; at α = 0.5 (z = 0) that bound
    is the baseline mean itself, which gives the sd, and the count's one-sided
    normal p-value as C2 defines it, for the false discovery rate across series.
    """

    at = [int(k) for k in weeks]
    bound = surveillance.ears(window, method="C2", alpha=ALPHA, range=at)
    centre = surveillance.ears(window, method="C2", alpha=0.5, range=at)
    upper, mean = _2d(bound.upperbound), _2d(centre.upperbound)
    observed = _2d(bound.observed)
    sd = (upper - mean) / stats.norm.ppf(1 - ALPHA)
    with np.errstate(divide="ignore", invalid="ignore"):
        pvalue = np.where(
            sd > 0, stats.norm.sf((observed - mean) / sd), np.where(observed > mean, 0.0, 1.0)
        )
    pvalue = np.where(np.isnan(mean), np.nan, pvalue)
    return mean, upper, pvalue
