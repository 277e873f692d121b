"""Multiple-testing corrections shared by every module of the statistics core."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _as_pvalues(pvalues: ArrayLike) -> NDArray[np.float64]:
    p = np.asarray(pvalues, dtype=float)
    if np.any((p[~np.isnan(p)] < 0) | (p[~np.isnan(p)] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    return p


def holm(pvalues: ArrayLike) -> NDArray[np.float64]:
    """Holm's step-down adjusted p-values (Holm 1979; R ``p.adjust(method="holm")``).

    Controls the family-wise error rate. NaN entries are ignored and stay NaN.
    """
    p = _as_pvalues(pvalues)
    out = np.full(p.shape, np.nan)
    flat = p.ravel()
    ok = ~np.isnan(flat)
    q = flat[ok]
    m = q.size
    if m:
        order = np.argsort(q, kind="mergesort")
        adjusted = np.maximum.accumulate((m - np.arange(m)) * q[order])
        result = np.empty(m)
        result[order] = np.minimum(adjusted, 1.0)
        out_flat = out.ravel()
        out_flat[ok] = result
        out = out_flat.reshape(p.shape)
    return out


def benjamini_hochberg(pvalues: ArrayLike) -> NDArray[np.float64]:
    """Benjamini–Hochberg adjusted p-values (1995; R ``p.adjust(method="BH")``).

    Controls the false discovery rate under independence or positive
    dependence. NaN entries are ignored and stay NaN.
    """
    p = _as_pvalues(pvalues)
    out = np.full(p.shape, np.nan)
    flat = p.ravel()
    ok = ~np.isnan(flat)
    q = flat[ok]
    m = q.size
    if m:
        order = np.argsort(q, kind="mergesort")[::-1]
        ranks = m - np.arange(m)
        adjusted = np.minimum.accumulate(q[order] * m / ranks)
        result = np.empty(m)
        result[order] = np.minimum(adjusted, 1.0)
        out_flat = out.ravel()
        out_flat[ok] = result
        out = out_flat.reshape(p.shape)
    return out


def fdr_reject(pvalues: ArrayLike, *, q: float = 0.05) -> NDArray[np.bool_]:
    """Which hypotheses Benjamini–Hochberg rejects at false discovery rate ``q``."""
    adjusted = benjamini_hochberg(pvalues)
    return np.where(np.isnan(adjusted), False, adjusted <= q)
