"""Numbers in the reader's language, from one helper."""

from __future__ import annotations

import pytest
from django.utils import translation

from tryggnav.lib import numbers
from tryggnav.stats.evaluation import relative_effect_size


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", ["1\u00a0234,5", "0,99", "2,5", "p < 0,001", "0,43–2,30"]),
        ("en", ["1,234.5", "0.99", "2.5", "p < 0.001", "0.43–2.30"]),
    ],
)
def test_numbers_follow_the_active_language(language, expected):
    with translation.override(language):
        assert [
            numbers.number(1234.5, 1),
            numbers.number(0.99, 2),
            numbers.number(2.50, 2, trim=True),
            numbers.p_value(0.0001),
            numbers.interval(0.43, 2.3, 2),
        ] == expected


def test_missing_values_are_a_dash():
    assert numbers.number(None) == numbers.number(float("nan")) == "–"


def test_the_statistics_texts_use_a_decimal_comma_in_swedish():
    result = relative_effect_size(30, 20, 40, 40, treated_areas=1)
    assert "." not in result.explanation_sv.split("RES = ")[1].split(")")[0]
    assert "," not in result.explanation_en.split("RES = ")[1].split(")")[0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", ["63 %", "12,5 %", "59–68 %"]), ("en", ["63%", "12.5%", "59–68%"])],
)
def test_the_percent_sign_is_spaced_as_the_language_writes_it(language, expected):
    with translation.override(language):
        assert [
            numbers.percent(63.2),
            numbers.percent(12.5, 1),
            numbers.percent_sign(numbers.interval(59, 68)),
        ] == expected


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("sv", (2026, 11, 30), (2026, 12, 6), "30 november–6 december 2026"),
        ("en", (2026, 11, 30), (2026, 12, 6), "30 November–6 December 2026"),
        ("sv", (2026, 12, 1), (2026, 12, 7), "1–7 december 2026"),
        ("sv", (2026, 12, 28), (2027, 1, 3), "28 december 2026–3 januari 2027"),
    ],
)
def test_date_ranges_follow_the_active_language(language, start, end, expected):
    import datetime

    with translation.override(language):
        assert numbers.date_range(datetime.date(*start), datetime.date(*end)) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", ["0,0123", "12,3", "123", "1,5", "12\u00a0346", "0", "–"]),
        ("en", ["0.0123", "12.3", "123", "1.5", "12,346", "0", "–"]),
    ],
)
def test_significant_digits_follow_the_language(language, expected):
    values = [0.012345, 12.345, 123.4, 1.5, 12345.6, 0.0, None]
    with translation.override(language):
        assert [numbers.significant(v) for v in values] == expected


def test_a_message_in_both_languages_formats_each_in_its_own():
    with translation.override("en"):
        assert numbers.number_in("sv", 20_000_000) == "20\u00a0000\u00a0000"
        assert numbers.number_in("en", 20_000_000) == "20,000,000"
