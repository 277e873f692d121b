"""The query parameters of an OGC items request, checked strictly: each bad value is an
InputError naming the parameter (the views answer 400), good values are read exactly."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from tryggnav.lib.errors import InputError
from tryggnav.ogc import cql2, params

QUERYABLES = {
    "category": cql2.Queryable("string", "Kategori", enum=("klotter", "brand")),
    "count": cql2.Queryable("integer", "Antal"),
    "share": cql2.Queryable("number", "Andel"),
    "reviewed": cql2.Queryable("boolean", "Granskad"),
}


def _field(error: InputError) -> str:
    (problem,) = error.problems
    return problem.field


@pytest.mark.parametrize("text, expected", [(None, 100), ("", 100), ("1", 1), ("250", 250),
                                            ("99999999", params.MAX_LIMIT)])  # fmt: skip
def test_limit_defaults_and_is_capped(text, expected):
    assert params.parse_limit(text) == expected


@pytest.mark.parametrize("text", ["0", "-5", "ten", "1.5"])
def test_a_bad_limit_names_limit(text):
    with pytest.raises(InputError) as error:
        params.parse_limit(text)
    assert _field(error.value) == "limit"


def test_a_bbox_is_four_numbers_and_a_3d_box_drops_its_heights():
    assert params.parse_bbox("") is None
    assert params.parse_bbox("17.8,59.3,18.1,59.4") == (17.8, 59.3, 18.1, 59.4)
    assert params.parse_bbox("17.8,59.3,0,18.1,59.4,100") == (17.8, 59.3, 18.1, 59.4)


@pytest.mark.parametrize(
    "text, words",
    [
        ("1,2,3", "four numbers"),
        ("a,b,c,d", "four numbers"),
        ("nan,1,2,3", "four numbers"),
        ("1,inf,2,3", "four numbers"),
        ("10,60,20,50", "south above north"),
        ("10,50,200,60", "outside WGS 84"),
        ("170,50,-170,60", "antimeridian"),
    ],
)
def test_a_bad_bbox_says_what_is_wrong(text, words):
    with pytest.raises(InputError) as error:
        params.parse_bbox(text)
    assert _field(error.value) == "bbox"
    assert words in error.value.problems[0].en


def test_a_day_covers_the_whole_local_day():
    interval = params.parse_datetime("2026-03-10")
    assert interval.start == timezone.make_aware(datetime.datetime(2026, 3, 10, 0, 0))
    assert interval.end == timezone.make_aware(
        datetime.datetime.combine(datetime.date(2026, 3, 10), datetime.time.max)
    )


def test_an_instant_is_its_own_interval_and_z_means_utc():
    interval = params.parse_datetime("2026-03-10T12:00:00Z")
    assert interval.start == interval.end
    assert interval.start == datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)


def test_open_intervals_leave_an_end_open():
    interval = params.parse_datetime("../2026-03-10")
    assert interval.start is None and interval.end.date() == datetime.date(2026, 3, 10)
    interval = params.parse_datetime("2026-03-10/")
    assert interval.end is None and interval.start.date() == datetime.date(2026, 3, 10)
    assert params.parse_datetime(None) is None


@pytest.mark.parametrize(
    "text, words",
    [
        ("igår", "not a date or time"),
        ("2026-02-30", "not a date or time"),
        ("2026-03-10/2026-03-01", "begins after it ends"),
        ("2026-01-01/2026-02-01/2026-03-01", "too many '/'"),
        ("..", "no interval"),
        ("0001-01-01T00:00:00+05:00", "not a date or time"),
    ],
)
def test_a_bad_datetime_says_what_is_wrong(text, words):
    with pytest.raises(InputError) as error:
        params.parse_datetime(text)
    assert _field(error.value) == "datetime"
    assert words in error.value.problems[0].en


def test_queryables_as_parameters_are_typed_equalities_joined_by_and():
    query = params.parse_query(QueryDict("count=3&reviewed=TRUE&limit=5"), QUERYABLES)
    assert query.limit == 5
    assert query.filter == cql2.Bool(
        "and", (cql2.Comparison("count", "=", 3), cql2.Comparison("reviewed", "=", True))
    )
    single = params.parse_query(QueryDict("share=0.5"), QUERYABLES)
    assert single.filter == cql2.Comparison("share", "=", 0.5)
    assert params.parse_query(QueryDict(""), QUERYABLES).filter is None


@pytest.mark.parametrize("query, name", [("count=tre", "count"), ("share=x", "share"),
                                         ("reviewed=kanske", "reviewed")])  # fmt: skip
def test_a_queryable_of_the_wrong_type_names_the_parameter(query, name):
    with pytest.raises(InputError) as error:
        params.parse_query(QueryDict(query), QUERYABLES)
    assert _field(error.value) == name


def test_a_value_outside_the_enum_is_refused():
    with pytest.raises(InputError) as error:
        params.parse_query(QueryDict("category=inbrott"), QUERYABLES)
    assert "klotter, brand" in error.value.problems[0].en


def test_filter_language_and_crs_other_than_cql2_text_and_crs84_are_refused():
    with pytest.raises(InputError) as error:
        params.parse_query(QueryDict("filter=count=1&filter-lang=cql2-json"), QUERYABLES)
    assert _field(error.value) == "filter-lang"
    with pytest.raises(InputError) as error:
        params.parse_query(QueryDict("filter=count=1&filter-crs=EPSG:3006"), QUERYABLES)
    assert _field(error.value) == "filter-crs"
    with pytest.raises(InputError) as error:
        params.parse_query(QueryDict("bbox-crs=EPSG:3006"), QUERYABLES)
    assert _field(error.value) == "crs"


def test_a_filter_and_parameters_are_both_applied():
    query = params.parse_query(QueryDict("filter=count > 2&filter-lang=cql-text&reviewed=false"),
                               QUERYABLES)  # fmt: skip
    assert isinstance(query.filter, cql2.Bool) and query.filter.op == "and"
    assert query.filter.children[1] == cql2.Comparison("reviewed", "=", False)


def test_a_cursor_round_trips_and_a_forged_one_is_refused():
    cursor = params.encode_cursor("2026-03-10T12:00:00", 42)
    assert params.decode_cursor(cursor, 2) == ["2026-03-10T12:00:00", "42"]
    for bad in ("!!!", params.encode_cursor("only-one"), "\u00e5\u00e4\u00f6"):
        with pytest.raises(InputError) as error:
            params.decode_cursor(bad, 2)
        assert _field(error.value) == "cursor"
