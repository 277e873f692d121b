"""Outbreak detection checked against R's surveillance package (committed fixtures).

The fixtures come from tests/stats/fixtures/make_surveillance_fixtures.R; CI has no R.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tryggnav.stats.surveillance import (
    NOUFAILY_2013,
    ears,
    farrington_flexible,
    fdr_alarms,
    nb_cusum,
)

FIXTURES = Path(__file__).parent / "fixtures"
RTOL = 1e-6

R_TO_PY = {
    "b": "b",
    "w": "w",
    "reweight": "reweight",
    "weightsThreshold": "weights_threshold",
    "alpha": "alpha",
    "trend": "trend",
    "pThresholdTrend": "p_threshold_trend",
    "limit54": "limit54",
    "powertrans": "powertrans",
    "noPeriods": "no_periods",
    "pastWeeksNotIncluded": "past_weeks_not_included",
    "thresholdMethod": "threshold_method",
}


def _load_series(name: str) -> tuple[list[str], np.ndarray]:
    with (FIXTURES / f"surveillance_series_{name}.csv").open() as fh:
        rows = list(csv.reader(fh))
    names = rows[0][1:]
    values = np.array([[np.nan if v == "NA" else float(v) for v in row[1:]] for row in rows[1:]])
    return names, values.T


SETS = {name: _load_series(name) for name in ("synthetic", "polisen")}
POLISEN_EPOCH = "2023-03-20"
META = json.loads((FIXTURES / "surveillance_cases.json").read_text())
CASES = {case["id"]: case for case in META["cases"]}


def _rows(filename: str) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (FIXTURES / filename).open() as fh:
        for row in csv.DictReader(fh):
            grouped[row["case"]].append(row)
    return grouped


FARRINGTON_ROWS = _rows("surveillance_farrington.csv")
EARS_ROWS = _rows("surveillance_ears.csv")
GLRNB_ROWS = _rows("surveillance_glrnb.csv")


def _num(text: str) -> float:
    return np.nan if text == "NA" else float(text)


def _py_kwargs(case: dict[str, Any]) -> dict[str, Any]:
    kwargs = {
        R_TO_PY[key]: tuple(value) if isinstance(value, list) else value
        for key, value in case["control"].items()
    }
    if case.get("as_date"):
        kwargs["epoch"] = POLISEN_EPOCH
    return kwargs


def _close(expected: float, got: float, atol: float = 0.0) -> bool:
    if np.isnan(expected) or np.isnan(got):
        return bool(np.isnan(expected) and np.isnan(got))
    return abs(got - expected) <= max(RTOL * abs(expected), atol, 1e-300)


FARRINGTON_IDS = [
    cid
    for cid, case in CASES.items()
    if case["method"] == "farringtonFlexible" and "r_error" not in case
]


@pytest.mark.parametrize("case_id", FARRINGTON_IDS)
def test_farrington_flexible_matches_r(case_id: str) -> None:
    case = CASES[case_id]
    names, observed = SETS[case["set"]]
    result = farrington_flexible(observed, range=case["range0"], **_py_kwargs(case))
    week_col = {int(k): j for j, k in enumerate(result.weeks)}
    mismatches = []
    for row in FARRINGTON_ROWS[case_id]:
        i, j = names.index(row["series"]), week_col[int(row["week"])]
        r_alarm = row["alarm"] == "1"  # R's NA (no model) is no alarm
        if r_alarm != bool(result.alarm[i, j]):
            mismatches.append((row["series"], row["week"], "alarm"))
        model = row["alarm"] != "NA"
        assert bool(result.fitted[i, j]) == model, (row["series"], row["week"])
        for field in ("upperbound", "pvalue", "score", "phi"):
            # The score (y - mu) / (U - mu) cancels when y is close to mu.
            atol = 1e-9 if field == "score" else 0.0
            if not _close(_num(row[field]), float(getattr(result, field)[i, j]), atol):
                mismatches.append((row["series"], row["week"], field))
        # Without a model R leaves its initial 0 in control$expected; we give NaN.
        r_expected = _num(row["expected"]) if model else np.nan
        if not _close(r_expected, float(result.expected[i, j])):
            mismatches.append((row["series"], row["week"], "expected"))
        if model and (row["trend"] == "1") != bool(result.trend_used[i, j]):
            mismatches.append((row["series"], row["week"], "trend"))
    assert not mismatches, mismatches[:10]


def test_fixtures_cover_alarms_and_missing_results() -> None:
    rows = [row for rows in FARRINGTON_ROWS.values() for row in rows]
    assert sum(row["alarm"] == "1" for row in rows) > 100
    assert sum(row["upperbound"] == "NA" and row["alarm"] == "0" for row in rows) > 50  # 5/4
    assert sum(row["alarm"] == "NA" for row in rows) > 10  # no converging model


def test_too_short_history_gives_nan_where_r_stops() -> None:
    case = CASES["pol_too_short_b3"]
    assert "did not exist" in case["r_error"]
    _, observed = SETS["polisen"]
    result = farrington_flexible(observed, range=case["range0"], **_py_kwargs(case))
    assert np.isnan(result.upperbound).all()
    assert np.isnan(result.expected).all()
    assert not result.alarm.any()
    assert not result.fitted.any()


def test_first_possible_week_is_rs_first_default_week() -> None:
    _, observed = SETS["polisen"]
    b, w = 3, 3
    first = 52 * b + w  # R's default range starts at freq*b + w + 1 (1-based)
    result = farrington_flexible(observed, b=b, w=w, range=[first - 2, first - 1, first])
    assert not result.fitted[:, 0].any()
    assert result.fitted[:, 1:].all()


def test_batched_path_equals_one_series_at_a_time() -> None:
    names, observed = SETS["synthetic"]
    settings = [{"b": 5}, NOUFAILY_2013, {**NOUFAILY_2013, "threshold_method": "muan", "b": 4}]
    for kwargs in settings:
        batch = farrington_flexible(observed, range=[300, 311], **kwargs)
        for i in range(len(names)):
            single = farrington_flexible(observed[i], range=[300, 311], **kwargs)
            for field in ("expected", "upperbound", "pvalue", "phi"):
                np.testing.assert_allclose(
                    getattr(single, field), getattr(batch, field)[i], rtol=1e-12, atol=0
                )
            np.testing.assert_array_equal(single.alarm, batch.alarm[i])
            np.testing.assert_array_equal(single.trend_used, batch.trend_used[i])


def test_large_batch_spanning_several_blocks_equals_small_batches() -> None:
    rng = np.random.default_rng(7)
    observed = rng.negative_binomial(5, 5 / (5 + 6.0), size=(1100, 270)).astype(float)
    whole = farrington_flexible(observed, **NOUFAILY_2013)
    part = farrington_flexible(observed[1014:1034], **NOUFAILY_2013)  # across a block edge
    np.testing.assert_allclose(whole.upperbound[1014:1034], part.upperbound, rtol=1e-12)
    np.testing.assert_allclose(whole.pvalue[1014:1034], part.pvalue, rtol=1e-12)


def test_default_range_is_the_last_week() -> None:
    _, observed = SETS["polisen"]
    result = farrington_flexible(observed[0])
    assert result.weeks.tolist() == [observed.shape[1] - 1]
    assert result.upperbound.shape == (1,)


def test_all_zero_history() -> None:
    # R: the delta fit converges to a fitted mean near 0 (alarm on any count with
    # enough cases); Noufaily's fit does not converge and R gives NA.
    observed = np.zeros(300)
    observed[-2:] = [4, 9]
    delta = farrington_flexible(observed, b=5)
    assert delta.fitted[0] and delta.alarm[0] and delta.expected[0] < 1e-6
    nb = farrington_flexible(observed, **NOUFAILY_2013)
    assert not nb.fitted[0] and np.isnan(nb.upperbound[0]) and not nb.alarm[0]
    quiet = farrington_flexible(np.zeros(300), b=5)
    assert np.isnan(quiet.upperbound[0]) and not quiet.alarm[0]  # fewer than 5 cases


def test_a_single_event_with_a_trend_fit_computes_without_overflow() -> None:
    # One event in 192 weeks (a district and category of the demo): the trend fit
    # diverges to coefficients in the thousands, and exp() of seasonal levels at weeks
    # where they have no rows overflowed (load_demo printed the RuntimeWarning). Those
    # cells are never used, so they are no longer computed.
    observed = np.zeros(192)
    observed[79] = 1
    settings = {**NOUFAILY_2013, "b": 3}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = farrington_flexible(observed, **settings, epoch=dt.date(2023, 3, 20))
    assert result.fitted[0] and not result.trend_used[0] and not result.alarm[0]
    assert result.pvalue[0] == 1.0


def test_nan_in_history_and_current_week() -> None:
    names, observed = SETS["synthetic"]
    series = observed[names.index("with_na")].copy()
    # Missing baseline weeks are left out (R's NA): covered by the R fixtures; here
    # the current week itself is missing.
    series[-1] = np.nan
    result = farrington_flexible(series, b=5)
    assert result.fitted[0]
    assert np.isnan(result.upperbound[0]) and np.isnan(result.expected[0])
    assert not result.alarm[0]


def test_noufaily_settings() -> None:
    assert NOUFAILY_2013["no_periods"] == 10
    assert NOUFAILY_2013["past_weeks_not_included"] == 26
    assert NOUFAILY_2013["threshold_method"] == "nbPlugin"
    assert NOUFAILY_2013["weights_threshold"] == 2.58


def test_farrington_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        farrington_flexible(np.ones(300), threshold_method="exact")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        farrington_flexible(np.ones((2, 2, 300)))
    with pytest.raises(ValueError):
        farrington_flexible(-np.ones(300))


# ----------------------------------------------------------------------------------
# EARS


EARS_IDS = [cid for cid, case in CASES.items() if case["method"] == "earsC"]


@pytest.mark.parametrize("case_id", EARS_IDS)
@pytest.mark.parametrize("set_name", ["synthetic", "polisen"])
def test_ears_matches_r(case_id: str, set_name: str) -> None:
    control = CASES[case_id]["control"]
    names, observed = SETS[set_name]
    rows = [row for row in EARS_ROWS[case_id] if row["set"] == set_name]
    weeks = sorted({int(row["week"]) for row in rows})
    kwargs: dict[str, Any] = {
        "method": control["method"],
        "baseline": control.get("baseline", 7),
        "min_sigma": control.get("minSigma", 0),
    }
    if "alpha" in control:
        kwargs["alpha"] = control["alpha"]
    result = ears(observed, range=weeks, **kwargs)
    for row in rows:
        i, j = names.index(row["series"]), weeks.index(int(row["week"]))
        assert _close(_num(row["upperbound"]), float(result.upperbound[i, j])), row
        assert (row["alarm"] == "1") == bool(result.alarm[i, j]), row


def test_ears_short_baseline_gives_nan() -> None:
    result = ears(np.arange(20.0), method="C3", range=[5, 19])
    assert np.isnan(result.upperbound[0]) and not np.isnan(result.upperbound[1])


# ----------------------------------------------------------------------------------
# NB CUSUM


GLRNB_IDS = [cid for cid, case in CASES.items() if case["method"] == "glrnb"]


@pytest.mark.parametrize("case_id", GLRNB_IDS)
def test_nb_cusum_matches_r_glrnb(case_id: str) -> None:
    control = CASES[case_id]["control"]
    by_series: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in GLRNB_ROWS[case_id]:
        by_series[(row["set"], row["series"])].append(row)
    alarms = 0
    for (set_name, series), rows in by_series.items():
        names, observed = SETS[set_name]
        result = nb_cusum(
            observed[names.index(series)],
            mu0=float(rows[0]["mu0"]),
            size=None if control["alpha"] == 0 else 1.0 / control["alpha"],
            ratio=float(np.exp(control["theta"])),
            h=control["c.ARL"],
            start=int(rows[0]["week"]),
        )
        got = result.upperbound if control["ret"] == "cases" else result.statistic
        for j, row in enumerate(rows):
            assert _close(float(row["upperbound"]), float(got[j])), (series, row)
            assert (row["alarm"] == "1") == bool(result.alarm[j]), (series, row)
        alarms += int(result.alarm.sum())
    assert alarms > 0


def test_nb_cusum_batched_equals_single() -> None:
    names, observed = SETS["polisen"]
    mu0 = observed[:, :52].mean(axis=1, keepdims=True)
    batch = nb_cusum(observed, mu0=mu0, size=5.0, ratio=1.5, h=4.0, start=100)
    for i in range(len(names)):
        single = nb_cusum(observed[i], mu0=mu0[i, 0], size=5.0, ratio=1.5, h=4.0, start=100)
        np.testing.assert_allclose(single.statistic, batch.statistic[i], rtol=1e-14)
        np.testing.assert_array_equal(single.alarm, batch.alarm[i])


# ----------------------------------------------------------------------------------
# FDR alarms


def test_fdr_alarms_combines_bh_and_minimum_count() -> None:
    p = np.array([0.0001, 0.0002, 0.03, 0.2, np.nan])
    counts = np.array([10, 1, 8, 30, 5])
    flags = fdr_alarms(p, observed=counts, q=0.05, min_count=3)
    # BH with m=4: 0.0004, 0.0004, 0.04, 0.2 -> first three rejected; the second has
    # only 1 case; NaN never alarms.
    assert flags.tolist() == [True, False, True, False, False]


def test_fdr_alarms_on_farrington_pvalues() -> None:
    _, observed = SETS["polisen"]
    result = farrington_flexible(observed, **{**NOUFAILY_2013, "b": 3})
    flags = fdr_alarms(result.pvalue, observed=result.observed, q=0.05, min_count=5)
    assert flags.shape == result.pvalue.shape
    assert not (flags & (result.observed < 5)).any()
    with pytest.raises(ValueError):
        fdr_alarms(result.pvalue, observed=result.observed[:3])
