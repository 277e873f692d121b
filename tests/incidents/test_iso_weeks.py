"""ISO weeks as the counts and the lägesbild use them: parsing with clear refusals,
Monday to Sunday, shifts across year ends, and the same week a year earlier."""

from __future__ import annotations

import datetime

import pytest

from tryggnav.incidents.weeks import MAX_YEAR, MIN_YEAR, IsoWeek
from tryggnav.lib.errors import InputError


@pytest.mark.parametrize("text", ["2025-W10", "2025W10", "2025-w10", " 2025-W10 ", "2025w10"])
def test_the_written_forms_of_a_week_are_read_alike(text):
    assert IsoWeek.parse(text) == IsoWeek(2025, 10)


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "write year and week as 2025-W10"),
        ("2025-10", "write year and week as 2025-W10"),
        ("vecka 10", "write year and week as 2025-W10"),
        ("2025-W100", "write year and week as 2025-W10"),
        (f"{MIN_YEAR - 1}-W10", f"between {MIN_YEAR} and {MAX_YEAR}"),
        (f"{MAX_YEAR + 1}-W10", f"between {MIN_YEAR} and {MAX_YEAR}"),
        ("2025-W53", "Year 2025 has no week 53"),
        ("2025-W00", "Year 2025 has no week 0"),
    ],
)
def test_a_bad_week_is_refused_with_what_to_write(text, words):
    with pytest.raises(InputError) as error:
        IsoWeek.parse(text)
    (problem,) = error.value.problems
    assert problem.field == "week" and words in problem.en


def test_a_week_runs_from_monday_to_sunday_across_the_year_end():
    week = IsoWeek(2026, 1)
    assert week.monday == datetime.date(2025, 12, 29)
    assert week.sunday == datetime.date(2026, 1, 4)
    assert IsoWeek.of(datetime.date(2025, 12, 31)) == week
    assert IsoWeek.of(datetime.date(2027, 1, 1)) == IsoWeek(2026, 53)


def test_shifting_crosses_year_ends_and_week_53():
    assert IsoWeek(2026, 1).previous == IsoWeek(2025, 52)
    assert IsoWeek(2026, 52).shift(1) == IsoWeek(2026, 53)
    assert IsoWeek(2026, 53).shift(1) == IsoWeek(2027, 1)
    assert IsoWeek(2025, 10).shift(-52) == IsoWeek(2024, 10)


def test_the_same_week_last_year_maps_week_53_to_52():
    assert IsoWeek(2025, 10).same_week_last_year() == IsoWeek(2024, 10)
    assert IsoWeek(2021, 52).same_week_last_year() == IsoWeek(2020, 52)
    assert IsoWeek(2027, 1).same_week_last_year() == IsoWeek(2026, 1)
    assert IsoWeek(2026, 53).same_week_last_year() == IsoWeek(2025, 52)


def test_the_last_completed_week_is_the_one_before_today():
    assert IsoWeek.last_completed(datetime.date(2025, 3, 10)) == IsoWeek(2025, 10)
    assert IsoWeek.last_completed(datetime.date(2025, 3, 9)) == IsoWeek(2025, 9)
    assert IsoWeek.last_completed(datetime.date(2026, 1, 5)) == IsoWeek(2026, 1)


def test_weeks_print_as_in_urls_and_sort_in_time():
    assert str(IsoWeek(2025, 3)) == "2025-W03"
    assert IsoWeek.parse(str(IsoWeek(2025, 3))) == IsoWeek(2025, 3)
    assert sorted([IsoWeek(2026, 1), IsoWeek(2025, 52), IsoWeek(2025, 9)]) == [
        IsoWeek(2025, 9),
        IsoWeek(2025, 52),
        IsoWeek(2026, 1),
    ]
