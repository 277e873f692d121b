"""Alerts come from the statistics core, with FDR across series and a minimum count."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from tests.lagesbild import factories
from tryggnav.incidents import counts as rollup
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import alerts
from tryggnav.lagesbild.picture import Scope, compile_lagesbild
from tryggnav.lagesbild.summary import summary_lines

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2020, 1, 6)


def _spike_week(world, n: int):
    week = IsoWeek(2025, 10)
    cats = factories.categories()
    factories.history(world, cats, year=week.year, week=week.week, weeks=160, mean=2.0)
    for _ in range(n):
        factories.incident(
            world, category=cats["skadegorelse"], when=factories.at_week(week.year, week.week)
        )
    rollup.rebuild()
    return compile_lagesbild(scope=Scope.for_group(world.group), week=week)


def test_a_spike_after_three_years_is_a_farrington_alert(world):
    picture = _spike_week(world, 14)
    row = next(r for r in picture.rows if r.category_slug == "skadegorelse")
    assert picture.history_weeks == 160
    assert row.method == alerts.FARRINGTON
    assert row.alert
    assert row.expected == pytest.approx(2.0, abs=1.0)
    assert row.upper_bound < 14
    lines = summary_lines(picture)
    assert any(
        "Skadegörelse i Vällingby: 14 händelser, över förväntat (övre gräns" in line
        for line in lines
    )
    assert not any("ökning" in line.lower() for line in lines)


def test_an_ordinary_week_is_no_alert_and_the_summary_says_so(world):
    picture = _spike_week(world, 2)
    row = next(r for r in picture.rows if r.category_slug == "skadegorelse")
    assert row.method == alerts.FARRINGTON
    assert not row.alert
    assert "över förväntat" not in " ".join(summary_lines(picture))


def test_minimum_count_blocks_alerts_on_tiny_numbers(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    # Two events where none were ever seen: improbable, but not a pattern.
    matrix = np.zeros((1, 200), dtype=np.int64)
    matrix[0, -1] = 2
    result = alerts.evaluate(matrix, history_weeks=199, first_week=MONDAY)[0]
    assert result.method == alerts.FARRINGTON
    assert not result.alert


def test_fdr_controls_many_series(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    rng = np.random.default_rng(7)
    matrix = rng.poisson(3.0, size=(200, 170))
    results = alerts.evaluate(matrix, history_weeks=169, first_week=MONDAY)
    raw = sum(
        1
        for r in results
        if r.upper is not None and r.pvalue is not None and r.pvalue < alerts.ALPHA
    )
    alerted = sum(r.alert for r in results)
    # Pure noise: about 5 % of the series pass the single-series test, FDR stops them.
    assert raw >= 3
    assert alerted <= 1


def test_short_history_gives_no_farrington(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    matrix = np.full((2, 30), 2, dtype=np.int64)
    results = alerts.evaluate(matrix, history_weeks=29, first_week=MONDAY)
    assert all(r.method in (alerts.EARS_C2, alerts.NONE) for r in results)
    results = alerts.evaluate(matrix, history_weeks=5, first_week=MONDAY)
    assert all(r.method == alerts.NONE and not r.alert for r in results)


def test_ears_c2_judges_a_short_history(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    rng = np.random.default_rng(3)
    matrix = rng.poisson(2.0, size=(5, 30))
    matrix[0, -1] = 15
    results = alerts.evaluate(matrix, history_weeks=29, first_week=MONDAY)
    assert [r.method for r in results] == [alerts.EARS_C2] * 5
    assert results[0].alert
    assert results[0].expected == pytest.approx(matrix[0, -10:-3].mean())
    assert not any(r.alert for r in results[1:])
