"""Periods of a schedule and their due dates, at the quarter boundaries."""

from __future__ import annotations

import datetime

import pytest

from tryggnav.inspections import checklists

D = datetime.date


@pytest.mark.parametrize(("day", "start", "due"), [
    (D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31)),
    (D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
    (D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30)),
    (D(2026, 12, 31), D(2026, 10, 1), D(2026, 12, 31)),
    (D(2027, 1, 1), D(2027, 1, 1), D(2027, 3, 31)),
    (D(2025, 12, 31), D(2025, 10, 1), D(2025, 12, 31)),  # before the anchor
])  # fmt: skip
def test_quarterly_periods_are_calendar_quarters(day, start, due):
    period = checklists.period_of(D(2026, 1, 1), 3, day)
    assert (period.start, period.due) == (start, due)


def test_an_anchor_mid_month_and_month_ends():
    # From 15 February quarterly: 15 Feb–14 May; the day before the start is the last.
    assert checklists.period_of(D(2026, 2, 15), 3, D(2026, 5, 14)) == checklists.Period(
        D(2026, 2, 15), D(2026, 5, 14)
    )
    assert checklists.period_of(D(2026, 2, 15), 3, D(2026, 5, 15)).start == D(2026, 5, 15)
    # Monthly from 31 January: February is shorter.
    assert checklists.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert checklists.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_periods_due_in_a_quarter():
    q2 = checklists.quarter_bounds(2026, 2)
    assert (q2.start, q2.end) == (D(2026, 4, 1), D(2026, 6, 30))
    monthly = checklists.periods_due_between(D(2026, 1, 1), 1, q2.start, q2.end)
    assert [p.due for p in monthly] == [D(2026, 4, 30), D(2026, 5, 31), D(2026, 6, 30)]
    yearly = checklists.periods_due_between(D(2026, 1, 1), 12, q2.start, q2.end)
    assert yearly == []
    q4 = checklists.quarter_bounds(2026, 4)
    assert [p.due for p in checklists.periods_due_between(D(2026, 1, 1), 12, q4.start, q4.end)] == [
        D(2026, 12, 31)
    ]
    # A schedule that begins after the quarter has nothing due in it.
    assert checklists.periods_due_between(D(2026, 7, 1), 3, q2.start, q2.end) == []
    assert checklists.quarter_of(D(2026, 3, 31)) == (2026, 1)
    assert checklists.quarter_of(D(2026, 4, 1)) == (2026, 2)


def test_a_schedule_not_yet_begun_is_in_its_first_period():
    first = checklists.current_period(D(2027, 1, 1), 3, D(2026, 12, 6))
    assert (first.start, first.due) == (D(2027, 1, 1), D(2027, 3, 31))
    assert checklists.current_period(D(2026, 1, 1), 3, D(2026, 12, 6)).start == D(2026, 10, 1)
