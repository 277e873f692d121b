"""Evaluating crime-prevention measures against comparison areas.

A measure (cameras in a square, a "trygghetsvärd" patrol, better lighting) is put in
one or a few areas; did crime there change more than elsewhere? Methods:

- :func:`relative_effect_size` -- RES = (a d) / (b c) with its log-normal interval
  (Farrington and Welsh; Welsh and Farrington 2009).
- :func:`weighted_displacement_quotient` -- WDQ for measure area, buffer and control
  (Bowers and Johnson 2003).
- :func:`poisson_did` -- Poisson difference-in-differences with area and period fixed
  effects (IRLS in numpy), cluster-robust by area, or permutation inference.
- :func:`synthetic_control` -- Abadie, Diamond and Hainmueller (2010) with in-space
  placebo inference.

Honest numbers: with a single treated area, a standard error computed from the counts
(or from a regression) says nothing about whether the area would have changed anyway;
areas differ more than Poisson noise. Every result therefore carries ``significant``:
True/False only when the inference accounts for that (several treated areas with
cluster-robust errors, or randomisation/placebo inference with enough areas), and
None when the data cannot support a conclusion, with the reason in Swedish and
English (``explanation_sv``, ``explanation_en``).

No statsmodels at runtime: the GLM is fitted here and compared with statsmodels only
in the tests (``tests/stats/test_evaluation.py``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats

__all__ = [
    "DiDResult",
    "RelativeEffectSize",
    "SyntheticControlResult",
    "WDQResult",
    "poisson_did",
    "relative_effect_size",
    "synthetic_control",
    "weighted_displacement_quotient",
]

FloatArray = NDArray[np.float64]


def _pct(x: float) -> str:
    return f"{x:.3f}".rstrip("0").rstrip(".") if x >= 0.001 else "< 0.001"


def _sv(x: float, digits: int = 2) -> str:
    """A number for the Swedish texts: decimal comma."""
    return f"{x:.{digits}f}".replace(".", ",")


def _pct_sv(x: float) -> str:
    return _pct(x).replace(".", ",")


def _sv_g(x: float) -> str:
    """Three significant digits with a decimal comma."""
    return f"{x:.3g}".replace(".", ",")


# ----------------------------------------------------------------------------------
# Relative effect size


@dataclass(frozen=True)
class RelativeEffectSize:
    """RES > 1: crime fell more (or rose less) in the treated area than in the control."""

    res: float
    low: float
    high: float
    log_se: float
    z: float
    p_value: float
    relative_change: float  # 1 / RES - 1: treated-area change relative to the control
    continuity_corrected: bool
    significant: bool | None
    explanation_sv: str
    explanation_en: str


def relative_effect_size(
    treated_before: float,
    treated_after: float,
    control_before: float,
    control_after: float,
    *,
    alpha: float = 0.05,
    overdispersion: float = 1.0,
    treated_areas: int = 1,
) -> RelativeEffectSize:
    """Relative effect size RES = (a d) / (b c) (Farrington and Welsh 2005, *Journal of
    Experimental Criminology* 1:9; Welsh and Farrington 2009, CCTV meta-analysis).

    a, b = treated area before, after; c, d = control area before, after. RES > 1
    means a desirable effect: 1/RES - 1 is the treated area's change net of the
    control's. Var(log RES) = (1/a + 1/b + 1/c + 1/d) * ``overdispersion`` (the
    factor D of Farrington et al. 2007, *Journal of Experimental Criminology* 3:21,
    for counts more variable than Poisson; 1 = Poisson). A zero count gets 0.5 added
    to every cell (Haldane's correction).

    ``treated_areas``: how many areas the treated counts are pooled over. With one
    area the interval reflects count noise only, not the between-area variation that
    decides whether a change is due to the measure, so ``significant`` is None.
    """
    cells = np.array([treated_before, treated_after, control_before, control_after], float)
    if np.any(cells < 0):
        raise ValueError("counts must be non-negative")
    if overdispersion < 1:
        raise ValueError("overdispersion must be >= 1")
    corrected = bool(np.any(cells == 0))
    if corrected:
        cells = cells + 0.5
    a, b, c, d = cells
    res = (a * d) / (b * c)
    log_se = math.sqrt((1 / a + 1 / b + 1 / c + 1 / d) * overdispersion)
    q = float(special.ndtri(1 - alpha / 2))
    res = float(res)
    z = math.log(res) / log_se
    low, high = res * math.exp(-q * log_se), res * math.exp(q * log_se)
    p = float(2 * special.ndtr(-abs(z)))
    change = 1 / res - 1
    if treated_areas < 2:
        sig: bool | None = None
        sv = (
            f"RES = {_sv(res)} (95 % KI {_sv(low)}–{_sv(high)}). Det finns bara ett "
            "insatsområde: intervallet speglar bara slumpvariation i antalet brott, inte "
            "hur mycket områden skiljer sig åt, så det går inte att säga om förändringen "
            "beror på åtgärden. Jämför med fler kontrollområden (placebotest) innan "
            "slutsatser dras."
        )
        en = (
            f"RES = {res:.2f} (95 % CI {low:.2f}–{high:.2f}). There is only one treated "
            "area: the interval reflects chance variation in the counts only, not how much "
            "areas differ, so it cannot tell whether the change is due to the measure. "
            "Compare with more control areas (placebo test) before drawing conclusions."
        )
    else:
        sig = bool(low > 1 or high < 1)
        word_sv = "statistiskt säkerställd" if sig else "inte statistiskt säkerställd"
        word_en = "statistically significant" if sig else "not statistically significant"
        sv = (
            f"RES = {_sv(res)} (95 % KI {_sv(low)}–{_sv(high)}, p = {_pct_sv(p)}): skillnaden mot "
            f"kontrollområdet är {word_sv}."
        )
        en = (
            f"RES = {res:.2f} (95 % CI {low:.2f}–{high:.2f}, p = {_pct(p)}): the difference "
            f"from the control area is {word_en}."
        )
    return RelativeEffectSize(
        float(res), low, high, log_se, z, p, float(change), corrected, sig, sv, en
    )


# ----------------------------------------------------------------------------------
# Weighted displacement quotient


@dataclass(frozen=True)
class WDQResult:
    """Bowers and Johnson's displacement measures (negative success = crime fell)."""

    wdq: float
    success_measure: float  # Ra/Ca - Rb/Cb
    buffer_measure: float  # Da/Ca - Db/Cb
    total_net_effect: float  # crimes prevented in area and buffer (negative: added)
    interpretation: str  # machine-readable label
    significant: None
    explanation_sv: str
    explanation_en: str


_WDQ_TEXT = {
    "no_success": (
        "Brottsligheten i insatsområdet minskade inte jämfört med kontrollområdet, så "
        "förskjutningskvoten (WDQ) kan inte tolkas.",
        "Crime in the treated area did not fall relative to the control area, so the "
        "weighted displacement quotient cannot be interpreted.",
    ),
    "diffusion_greater": (
        "Spridning av positiva effekter: brottsligheten i buffertzonen minskade mer än "
        "den direkta effekten i insatsområdet.",
        "Diffusion of benefits greater than the direct effect in the treated area.",
    ),
    "diffusion": (
        "Spridning av positiva effekter till buffertzonen.",
        "Diffusion of benefits to the buffer zone.",
    ),
    "none": (
        "Varken förskjutning eller spridning av effekter till buffertzonen.",
        "Neither displacement nor diffusion of benefits to the buffer zone.",
    ),
    "displacement": (
        "Viss förskjutning till buffertzonen, men mindre än den direkta effekten: "
        "nettoeffekten är positiv.",
        "Some displacement to the buffer zone, smaller than the direct effect: a net benefit.",
    ),
    "displacement_greater": (
        "Förskjutningen till buffertzonen är större än den direkta effekten: åtgärden "
        "har förvärrat läget totalt sett.",
        "Displacement to the buffer zone exceeds the direct effect: the measure made "
        "things worse overall.",
    ),
}


def weighted_displacement_quotient(
    treated_before: float,
    treated_after: float,
    buffer_before: float,
    buffer_after: float,
    control_before: float,
    control_after: float,
) -> WDQResult:
    """Weighted displacement quotient (Bowers and Johnson 2003, *Journal of Quantitative
    Criminology* 19:275, "Measuring the geographical displacement and diffusion of
    benefit effects of crime prevention activity").

    With R = treated (response) area, D = buffer (displacement) zone, C = control
    area, b/a = before/after:

        success measure  = Ra/Ca - Rb/Cb   (negative: the measure worked)
        buffer measure   = Da/Ca - Db/Cb
        WDQ              = buffer measure / success measure
        total net effect = [Rb (Ca/Cb) - Ra] + [Db (Ca/Cb) - Da]

    WDQ > 1: diffusion of benefits exceeding the direct effect; 0 < WDQ <= 1:
    diffusion; 0: neither; -1 <= WDQ < 0: displacement smaller than the direct
    effect; WDQ < -1: displacement exceeding it. Only interpretable when the success
    measure is negative. WDQ is descriptive: there is no significance test
    (``significant`` is always None).
    """
    vals = np.array(
        [treated_before, treated_after, buffer_before, buffer_after, control_before,
         control_after],
        dtype=float,
    )  # fmt: skip
    if np.any(vals < 0):
        raise ValueError("counts must be non-negative")
    rb, ra, db, da, cb, ca = vals
    if cb <= 0 or ca <= 0:
        raise ValueError("the control area needs crimes in both periods")
    success = ra / ca - rb / cb
    buffer = da / ca - db / cb
    wdq = buffer / success if success != 0 else float("nan")
    tne = (rb * ca / cb - ra) + (db * ca / cb - da)
    if not success < 0:
        label = "no_success"
    elif wdq > 1:
        label = "diffusion_greater"
    elif wdq > 0:
        label = "diffusion"
    elif wdq == 0:
        label = "none"
    elif wdq >= -1:
        label = "displacement"
    else:
        label = "displacement_greater"
    sv, en = _WDQ_TEXT[label]
    note_sv = " WDQ är ett beskrivande mått utan signifikanstest."
    note_en = " WDQ is descriptive; it has no significance test."
    return WDQResult(
        float(wdq), float(success), float(buffer), float(tne), label, None,
        sv + note_sv, en + note_en,
    )  # fmt: skip


# ----------------------------------------------------------------------------------
# Poisson difference-in-differences


@dataclass(frozen=True)
class DiDResult:
    """Treatment effect of a Poisson DiD as a rate ratio (1 = no effect)."""

    rate_ratio: float
    low: float  # NaN when no valid interval exists (a single treated area)
    high: float
    coefficient: float
    se: float
    se_type: str  # "cluster" (CR1 by area), "HC0" or "none"
    p_value: float  # from se_type, or from the permutation test
    permutation_p_value: float | None
    permutations: int
    n_areas: int
    n_treated: int
    significant: bool | None
    explanation_sv: str
    explanation_en: str


@dataclass(frozen=True)
class _FEPoissonFit:
    """Two-way fixed-effects Poisson fit: log mu = off + alpha_a + gamma_t + beta d."""

    beta: float
    mu: FloatArray  # areas x periods
    hessian: FloatArray  # of the negative log-likelihood, order (alpha, gamma_1.., beta)


def _fe_poisson(
    y: FloatArray, d: FloatArray, off: FloatArray, *, tol: float = 1e-12, maxit: int = 100
) -> _FEPoissonFit:
    """Poisson GLM with log link, area and period fixed effects and one regressor.

    Newton-Raphson on the log-likelihood, which for the canonical log link is exactly
    IRLS / Fisher scoring (McCullagh and Nelder 1989, 2.5; R ``glm(family=poisson)``).
    The two-way dummy structure is used directly: the Hessian blocks are sums of mu
    over areas and periods, so no N x K design matrix is formed (and no large BLAS
    call is made). The first period's effect is the reference (gamma_0 = 0).
    """
    n_a, n_t = y.shape
    k = n_a + n_t  # alpha (n_a), gamma_1..gamma_{T-1} (n_t - 1), beta
    alpha = np.log((y.sum(axis=1) + 0.5) / np.exp(off).sum(axis=1))
    gamma = np.zeros(n_t)
    beta = 0.0

    def loglik(al: FloatArray, ga: FloatArray, be: float) -> tuple[float, FloatArray]:
        eta = off + al[:, None] + ga[None, :] + be * d
        mu = np.exp(eta)
        return float(np.sum(y * eta - mu)), mu

    ll, mu = loglik(alpha, gamma, beta)
    hess = np.zeros((k, k))
    for _ in range(maxit):
        r = y - mu
        md = mu * d
        grad = np.concatenate([r.sum(axis=1), r.sum(axis=0)[1:], [np.sum(r * d)]])
        hess[:] = 0.0
        hess[np.arange(n_a), np.arange(n_a)] = mu.sum(axis=1)
        g_idx = np.arange(n_a, k - 1)
        hess[g_idx, g_idx] = mu.sum(axis=0)[1:]
        hess[:n_a, n_a : k - 1] = mu[:, 1:]
        hess[n_a : k - 1, :n_a] = mu[:, 1:].T
        hess[:n_a, -1] = hess[-1, :n_a] = md.sum(axis=1)
        hess[n_a : k - 1, -1] = hess[-1, n_a : k - 1] = md.sum(axis=0)[1:]
        hess[-1, -1] = np.sum(md * d)
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while True:  # step halving keeps the (concave) log-likelihood increasing
            al = alpha + t * step[:n_a]
            ga = gamma.copy()
            ga[1:] += t * step[n_a : k - 1]
            be = beta + t * step[-1]
            ll_new, mu_new = loglik(al, ga, be)
            if ll_new >= ll - 1e-12 * abs(ll) or t < 1e-8:
                break
            t /= 2
        converged = abs(ll_new - ll) <= tol * (abs(ll) + 0.1)
        alpha, gamma, beta, ll, mu = al, ga, be, ll_new, mu_new
        if converged:
            break
    # Final Hessian at the solution (used by the sandwich).
    md = mu * d
    hess[:] = 0.0
    hess[np.arange(n_a), np.arange(n_a)] = mu.sum(axis=1)
    g_idx = np.arange(n_a, k - 1)
    hess[g_idx, g_idx] = mu.sum(axis=0)[1:]
    hess[:n_a, n_a : k - 1] = mu[:, 1:]
    hess[n_a : k - 1, :n_a] = mu[:, 1:].T
    hess[:n_a, -1] = hess[-1, :n_a] = md.sum(axis=1)
    hess[n_a : k - 1, -1] = hess[-1, n_a : k - 1] = md.sum(axis=0)[1:]
    hess[-1, -1] = np.sum(md * d)
    return _FEPoissonFit(float(beta), mu, hess.copy())


def _robust_se(fit: _FEPoissonFit, y: FloatArray, d: FloatArray, *, cluster: bool) -> float:
    """Sandwich SE of beta. ``cluster``: by area, with statsmodels' default CR1 factor
    G/(G-1) (N-1)/(N-K) (Cameron and Miller 2015, *Journal of Human Resources* 50:317);
    otherwise HC0 (White 1980), one observation = one area-period."""
    n_a, n_t = y.shape
    k = n_a + n_t
    e_beta = np.zeros(k)
    e_beta[-1] = 1.0
    v = np.linalg.solve(fit.hessian, e_beta)  # row of the inverse Hessian for beta
    v_a, v_g, v_b = v[:n_a], np.concatenate([[0.0], v[n_a : k - 1]]), v[-1]
    r = y - fit.mu
    # Each observation's score is x_i r_i, and x_i . v = v_a[a] + v_g[t] + d v_b.
    xv = v_a[:, None] + v_g[None, :] + d * v_b
    contrib = r * xv
    if not cluster:
        return float(np.sqrt(np.sum(contrib * contrib)))
    per_area = contrib.sum(axis=1)
    nobs = y.size
    factor = n_a / (n_a - 1) * (nobs - 1) / (nobs - k)
    return float(np.sqrt(factor * np.sum(per_area * per_area)))


def poisson_did(
    counts: ArrayLike,
    treated: ArrayLike,
    post: ArrayLike,
    *,
    exposure: ArrayLike | None = None,
    alpha: float = 0.05,
    min_clusters: int = 10,
    max_permutations: int = 500,
    seed: int = 0,
) -> DiDResult:
    """Poisson difference-in-differences with area and period fixed effects.

    log E[y_at] = log(exposure_at) + alpha_a + gamma_t + beta * treated_a * post_t,
    fitted by IRLS (R ``glm(y ~ factor(area) + factor(week) + D, family=poisson)``);
    exp(beta) is the rate ratio of the measure (Wooldridge 2023, *Econometrics Journal*
    26:C31, on Poisson DiD). ``counts`` is areas x periods; ``treated`` flags areas,
    ``post`` periods. Areas or periods with no events at all carry no information under
    fixed effects and are dropped.

    Inference, chosen by the data (the rule is reported in ``se_type``):

    - two or more treated areas and at least ``min_clusters`` areas: cluster-robust SE
      by area (CR1, as statsmodels ``cov_type="cluster"``), t with G - 1 degrees of
      freedom (Cameron and Miller 2015). Weekly counts are serially correlated, so
      per-observation robust errors would be too small.
    - otherwise a randomisation (placebo) test: the treatment is reassigned to every
      set of the same number of areas (all of them when there are at most
      ``max_permutations`` sets, else a seeded random sample), and p is the share of
      assignments with |beta| at least the observed (Fisher; Conley and Taber 2011,
      *Review of Economics and Statistics* 93:113, on DiD with few treated groups).
      ``significant`` is None when the number of possible assignments cannot give
      p <= alpha. With one treated area there is no valid interval (low/high NaN);
      with several, the HC0 interval is shown with a warning.
    """
    y2, off2, tr, po = _did_data(counts, treated, post, exposure)
    n_areas = y2.shape[0]
    n_treated = int(tr.sum())
    if n_treated == 0 or n_treated == n_areas or po.all() or not po.any():
        raise ValueError("need treated and control areas with events, before and after")
    po_f = po.astype(float)
    d_obs = tr.astype(float)[:, None] * po_f[None, :]
    res = _fe_poisson(y2, d_obs, off2)
    use_cluster = n_treated >= 2 and n_areas >= min_clusters and n_areas - n_treated >= 2
    if use_cluster:
        inference = _cluster_inference(res, y2, d_obs, n_treated, alpha)
    else:
        coefs, total = _placebo_coefficients(
            y2, off2, tr, po_f, max_permutations=max_permutations, seed=seed
        )
        inference = _permutation_inference(res, y2, d_obs, coefs, total, n_treated, alpha)
    return DiDResult(
        rate_ratio=math.exp(res.beta),
        low=inference.low,
        high=inference.high,
        coefficient=res.beta,
        se=inference.se,
        se_type=inference.se_type,
        p_value=inference.p_value,
        permutation_p_value=inference.permutation_p_value,
        permutations=inference.permutations,
        n_areas=n_areas,
        n_treated=n_treated,
        significant=inference.significant,
        explanation_sv=inference.explanation_sv,
        explanation_en=inference.explanation_en,
    )


@dataclass(frozen=True)
class _Inference:
    """The part of a :class:`DiDResult` that depends on how it is tested."""

    low: float
    high: float
    se: float
    se_type: str
    p_value: float
    significant: bool | None
    explanation_sv: str
    explanation_en: str
    permutation_p_value: float | None = None
    permutations: int = 0


def _did_data(
    counts: ArrayLike, treated: ArrayLike, post: ArrayLike, exposure: ArrayLike | None
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_], NDArray[np.bool_]]:
    """Counts, log exposure, treated areas and post periods, without the areas and
    periods that have no events (they carry no information under fixed effects)."""
    y2 = np.asarray(counts, dtype=float)
    tr = np.asarray(treated, dtype=bool)
    po = np.asarray(post, dtype=bool)
    if y2.ndim != 2 or tr.shape != (y2.shape[0],) or po.shape != (y2.shape[1],):
        raise ValueError("counts must be areas x periods, treated per area, post per period")
    off2 = np.zeros_like(y2) if exposure is None else np.log(np.asarray(exposure, float))
    off2 = np.broadcast_to(off2, y2.shape).astype(float)
    keep_a = y2.sum(axis=1) > 0
    keep_t = y2.sum(axis=0) > 0
    return y2[keep_a][:, keep_t], off2[keep_a][:, keep_t], tr[keep_a], po[keep_t]


def _significance_words(sig: bool) -> tuple[str, str]:
    if sig:
        return "statistiskt säkerställd", "statistically significant"
    return "inte statistiskt säkerställd", "not statistically significant"


def _cluster_inference(
    res: _FEPoissonFit, y: FloatArray, d: FloatArray, n_treated: int, alpha: float
) -> _Inference:
    """CR1 standard error by area and t with G - 1 degrees of freedom."""
    n_areas = y.shape[0]
    coef, rr = res.beta, math.exp(res.beta)
    se = _robust_se(res, y, d, cluster=True)
    q = float(stats.t.ppf(1 - alpha / 2, n_areas - 1))
    p_value = float(2 * stats.t.sf(abs(coef) / se, n_areas - 1))
    low, high = math.exp(coef - q * se), math.exp(coef + q * se)
    sig = p_value <= alpha
    word_sv, word_en = _significance_words(sig)
    sv = (
        f"Kvoten {_sv(rr)} (95 % KI {_sv(low)}–{_sv(high)}, p = {_pct_sv(p_value)}) är "
        f"{word_sv}. Standardfelet tar hänsyn till samvariation inom områden "
        f"({n_areas} områden, varav {n_treated} med insats)."
    )
    en = (
        f"The rate ratio {rr:.2f} (95 % CI {low:.2f}–{high:.2f}, p = {_pct(p_value)}) "
        f"is {word_en}. The standard error allows for correlation within areas "
        f"({n_areas} areas, {n_treated} treated)."
    )
    return _Inference(low, high, se, "cluster", p_value, sig, sv, en)


def _treatment_assignments(
    n_areas: int, treated: NDArray[np.bool_], *, max_permutations: int, seed: int
) -> tuple[list[NDArray[np.intp]], int]:
    """Sets of areas to give the measure: every set of the treated size when there are
    at most ``max_permutations``, else the observed one and a seeded random sample.
    Also returns the number of possible sets."""
    n_treated = int(treated.sum())
    total = math.comb(n_areas, n_treated)
    if total <= max_permutations:
        sets = [np.array(c) for c in itertools.combinations(range(n_areas), n_treated)]
    else:
        rng = np.random.default_rng(seed)
        sets = [np.flatnonzero(treated)] + [
            rng.choice(n_areas, n_treated, replace=False) for _ in range(max_permutations - 1)
        ]
    return sets, total


def _placebo_coefficients(
    y: FloatArray,
    off: FloatArray,
    treated: NDArray[np.bool_],
    post: FloatArray,
    *,
    max_permutations: int,
    seed: int,
) -> tuple[FloatArray, int]:
    """The DiD coefficient for each assignment of the measure (see
    :func:`_treatment_assignments`), and the number of possible assignments."""
    n_areas = y.shape[0]
    sets, total = _treatment_assignments(
        n_areas, treated, max_permutations=max_permutations, seed=seed
    )
    coefs = np.empty(len(sets))
    for i, idx in enumerate(sets):
        mask = np.zeros(n_areas, dtype=bool)
        mask[idx] = True
        d = mask.astype(float)[:, None] * post[None, :]
        coefs[i] = _fe_poisson(y, d, off).beta
    return coefs, total


def _permutation_inference(
    res: _FEPoissonFit,
    y: FloatArray,
    d: FloatArray,
    coefs: FloatArray,
    total: int,
    n_treated: int,
    alpha: float,
) -> _Inference:
    """Fisher's randomisation p-value from the placebo coefficients; the HC0 interval
    (too narrow) with several treated areas, none with one."""
    coef = res.beta
    n_perm = coefs.size
    perm_p = float(np.mean(np.abs(coefs) >= abs(coef) - 1e-10))
    # The smallest p the test can give: every assignment is drawn at most once.
    smallest = 1 / n_perm
    if n_treated >= 2:
        se = _robust_se(res, y, d, cluster=False)
        qz = float(special.ndtri(1 - alpha / 2))
        low, high = math.exp(coef - qz * se), math.exp(coef + qz * se)
        se_type = "HC0"
    else:
        se, low, high, se_type = float("nan"), float("nan"), float("nan"), "none"
    sig: bool | None = None if smallest > alpha else perm_p <= alpha
    sv, en = _permutation_text(
        math.exp(coef), sig, perm_p, n_perm, y.shape[0], n_treated, total, alpha
    )
    return _Inference(
        low, high, se, se_type, perm_p, sig, sv, en, permutation_p_value=perm_p,
        permutations=n_perm,
    )  # fmt: skip


def _permutation_text(
    rr: float,
    sig: bool | None,
    perm_p: float,
    n_perm: int,
    n_areas: int,
    n_treated: int,
    total: int,
    alpha: float,
) -> tuple[str, str]:
    if sig is None:
        sv = (
            f"Kvoten är {_sv(rr)}, men med {n_areas} områden varav {n_treated} med insats "
            f"finns bara {total} möjliga fördelningar av insatsen, så ett "
            f"permutationstest kan inte ge p ≤ {_pct_sv(alpha)}. Det går inte att dra någon "
            "slutsats om effekten; lägg till fler jämförelseområden."
        )
        en = (
            f"The rate ratio is {rr:.2f}, but with {n_areas} areas of which {n_treated} "
            f"treated there are only {total} possible assignments of the measure, so a "
            f"permutation test cannot reach p <= {alpha:g}. No conclusion about the "
            "effect is possible; add more comparison areas."
        )
    else:
        word_sv, word_en = _significance_words(sig)
        sv = (
            f"Kvoten {_sv(rr)} är {word_sv} enligt ett permutationstest där insatsen "
            f"flyttas till andra områden (p = {_pct_sv(perm_p)}, {n_perm} fördelningar)."
        )
        en = (
            f"The rate ratio {rr:.2f} is {word_en} by a permutation test that moves "
            f"the measure to other areas (p = {_pct(perm_p)}, {n_perm} assignments)."
        )
    if n_treated == 1:
        sv += " Med ett enda insatsområde finns inget giltigt konfidensintervall."
        en += " With a single treated area there is no valid confidence interval."
    else:
        sv += " Intervallet (HC0) bortser från samvariation inom områden och är för smalt."
        en += " The interval (HC0) ignores correlation within areas and is too narrow."
    return sv, en


# ----------------------------------------------------------------------------------
# Synthetic control


@dataclass(frozen=True)
class SyntheticControlResult:
    """Synthetic control for one treated unit with in-space placebo inference."""

    weights: FloatArray  # donor weights, >= 0, sum 1
    synthetic: FloatArray  # synthetic outcome per period
    gap: FloatArray  # treated - synthetic
    pre_rmspe: float
    post_rmspe: float
    ratio: float  # post / pre RMSPE
    effect: float  # mean post-period gap
    placebo_ratios: FloatArray  # one per donor
    p_value: float | None
    significant: bool | None
    explanation_sv: str
    explanation_en: str


def _simplex_least_squares(x: FloatArray, y: FloatArray) -> FloatArray:
    """min ||y - X w||^2 subject to w >= 0, sum w = 1.

    Start from NNLS with the sum constraint as a heavily weighted extra row, then
    polish with SLSQP (scipy.optimize) using the analytic gradient.
    """
    j = x.shape[1]
    scale = float(np.sqrt(np.mean(x * x))) or 1.0
    xs, ys = x / scale, y / scale
    big = 1e3 * max(1.0, float(np.sqrt(np.sum(xs * xs))))
    w0, _ = optimize.nnls(np.vstack([xs, np.full((1, j), big)]), np.append(ys, big))
    w0 = np.clip(w0, 0, None)
    w0 = w0 / w0.sum() if w0.sum() > 0 else np.full(j, 1 / j)
    gram = xs.T @ xs
    xty = xs.T @ ys

    def f(w: FloatArray) -> float:
        r = ys - xs @ w
        return float(r @ r)

    def grad(w: FloatArray) -> FloatArray:
        return 2 * (gram @ w - xty)

    res = optimize.minimize(
        f,
        w0,
        jac=grad,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * j,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1, "jac": lambda w: np.ones(j)}],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    w = np.clip(res.x, 0, None) if f(res.x) <= f(w0) else w0
    return w / w.sum()


def _rmspe(gap: FloatArray) -> float:
    return float(np.sqrt(np.mean(gap * gap)))


def synthetic_control(
    treated: ArrayLike,
    donors: ArrayLike,
    pre_periods: int,
    *,
    alpha: float = 0.05,
    placebo: bool = True,
) -> SyntheticControlResult:
    """Synthetic control (Abadie, Diamond and Hainmueller 2010, *JASA* 105:493; R
    ``Synth``), matched on the pre-period outcomes.

    ``treated``: outcome series of the treated area (T periods); ``donors``: T x J
    outcomes of J comparison areas; the first ``pre_periods`` periods are before the
    measure. Weights w >= 0 with sum 1 minimise the pre-period squared error
    (the predictors are the pre-period outcomes themselves with equal importance;
    covariates with a data-driven V matrix are not supported). The fit quality is the
    pre-period RMSPE.

    Inference (ADH 2010, section 2.4; Abadie, Diamond and Hainmueller 2015): each donor
    in turn is treated as if it had the measure, with the remaining donors as its pool;
    p = share of all J + 1 units whose post/pre RMSPE ratio is at least the treated
    area's. ``significant`` is None when J + 1 < 1 / alpha (p cannot reach alpha) or
    without placebos.
    """
    y1 = np.asarray(treated, dtype=float)
    y0 = np.asarray(donors, dtype=float)
    if y0.ndim != 2 or y0.shape[0] != y1.size:
        raise ValueError("donors must be periods x donors, matching treated")
    n_periods, n_donors = y0.shape
    if not 2 <= pre_periods < n_periods:
        raise ValueError("need at least two pre-periods and one post-period")
    if n_donors < 2:
        raise ValueError("need at least two donors")

    w, gap = _synthetic_fit(y1, y0, pre_periods)
    pre = _rmspe(gap[:pre_periods])
    post = _rmspe(gap[pre_periods:])
    ratio = post / pre if pre > 0 else float("inf")
    effect = float(np.mean(gap[pre_periods:]))
    placebo_ratios = np.full(n_donors, np.nan)
    p_value: float | None = None
    sig: bool | None = None
    if placebo:
        placebo_ratios = _placebo_ratios(y0, pre_periods)
        rank = 1 + int(np.sum(placebo_ratios >= ratio * (1 - 1e-12)))
        p_value = rank / (n_donors + 1)
        if 1 / (n_donors + 1) <= alpha:
            sig = p_value <= alpha
        sv, en = _synthetic_text(effect, n_donors, alpha, rank=rank, p_value=p_value, sig=sig)
    else:
        sv, en = _synthetic_text(effect, n_donors, alpha)
    return SyntheticControlResult(
        weights=w,
        synthetic=y1 - gap,
        gap=gap,
        pre_rmspe=pre,
        post_rmspe=post,
        ratio=ratio,
        effect=effect,
        placebo_ratios=placebo_ratios,
        p_value=p_value,
        significant=sig,
        explanation_sv=sv,
        explanation_en=en,
    )


def _synthetic_fit(
    target: FloatArray, pool: FloatArray, pre_periods: int
) -> tuple[FloatArray, FloatArray]:
    """Donor weights fitted on the pre-periods, and the gap target - synthetic."""
    w = _simplex_least_squares(pool[:pre_periods], target[:pre_periods])
    return w, target - pool @ w


def _placebo_ratios(donors: FloatArray, pre_periods: int) -> FloatArray:
    """Post/pre RMSPE ratio of each donor treated as if it had the measure, with the
    other donors as its pool (in-space placebos; ADH 2010, section 2.4)."""
    ratios = np.full(donors.shape[1], np.nan)
    for j in range(donors.shape[1]):
        _, g = _synthetic_fit(donors[:, j], np.delete(donors, j, axis=1), pre_periods)
        pr = _rmspe(g[:pre_periods])
        ratios[j] = _rmspe(g[pre_periods:]) / pr if pr > 0 else np.inf
    return ratios


def _synthetic_text(
    effect: float,
    n_donors: int,
    alpha: float,
    *,
    rank: int | None = None,
    p_value: float | None = None,
    sig: bool | None = None,
) -> tuple[str, str]:
    """The explanation: without placebos (no ``rank``), with too few donors to reach
    ``alpha`` (``sig`` None), or the placebo test's verdict."""
    if rank is None or p_value is None:
        sv = (
            f"Genomsnittlig skillnad efter insatsen: {_sv_g(effect)}. Utan placebotest går det "
            "inte att avgöra om skillnaden beror på insatsen."
        )
        en = (
            f"Mean post-period gap: {effect:.3g}. Without a placebo test, whether the gap "
            "is due to the measure cannot be decided."
        )
    elif sig is None:
        sv = (
            f"Den syntetiska kontrollen ger en genomsnittlig skillnad på {_sv_g(effect)} efter "
            f"insatsen, men med {n_donors} jämförelseområden kan placebotestet inte ge "
            f"p ≤ {_pct_sv(alpha)}. Det går inte att avgöra om skillnaden beror på insatsen."
        )
        en = (
            f"The synthetic control gives a mean post-period gap of {effect:.3g}, but with "
            f"{n_donors} comparison areas the placebo test cannot reach p <= {alpha:g}. "
            "Whether the gap is due to the measure cannot be decided."
        )
    else:
        word_sv, word_en = _significance_words(sig)
        sv = (
            f"Genomsnittlig skillnad efter insatsen: {_sv_g(effect)}. Den är {word_sv}: "
            f"insatsområdet rangordnas {rank} av {n_donors + 1} i placebotestet "
            f"(p = {_pct_sv(p_value)})."
        )
        en = (
            f"Mean post-period gap: {effect:.3g}. It is {word_en}: the treated area "
            f"ranks {rank} of {n_donors + 1} in the placebo test (p = {_pct(p_value)})."
        )
    return sv, en
