"""The compiled lägesbild: counts, history columns, scope rules, filters, bad input."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.lagesbild import factories
from tryggnav.incidents import counts as rollup
from tryggnav.incidents.models import Incident
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import exports, maps
from tryggnav.lagesbild.picture import Filters, Row, Scope, compile_lagesbild
from tryggnav.lagesbild.summary import signal_lines, summary_lines
from tryggnav.lib.errors import InputError

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    cats = factories.categories()
    week = IsoWeek(2025, 10)
    for _ in range(4):
        factories.incident(world, category=cats["skadegorelse"], when=factories.at_week(2025, 10))
    for back, n in ((1, 1), (2, 2), (3, 3), (4, 6)):
        w = week.shift(-back)
        for _ in range(n):
            factories.incident(
                world, category=cats["skadegorelse"], when=factories.at_week(w.year, w.week)
            )
    factories.incident(world, category=cats["skadegorelse"], when=factories.at_week(2024, 10))
    # Police feed: municipality level (no area) counts for the group and the municipality.
    factories.incident(
        world,
        category=cats["brand"],
        when=factories.at_week(2025, 10),
        source=Incident.Source.POLICE_FEED,
        area_name=None,
        lat=None,
        lon=None,
        precision=Incident.Precision.MUNICIPALITY,
        police_type="Brand",
        external_id="p1",
    )
    # Not counted for the group: unreviewed, shared only within the organisation, other group.
    factories.incident(
        world,
        category=cats["skadegorelse"],
        when=factories.at_week(2025, 10),
        status=Incident.Status.SUBMITTED,
    )
    factories.incident(
        world,
        category=cats["skadegorelse"],
        when=factories.at_week(2025, 10),
        sharing=Incident.Sharing.ORGANISATION,
    )
    other = factories.incident(
        world, category=cats["skadegorelse"], when=factories.at_week(2025, 10)
    )
    Incident.objects.filter(pk=other.pk).update(group=world.other_group)
    rollup.rebuild()
    return cats, week


def test_group_table_counts_history_and_last_year(world, data):
    cats, week = data
    picture = compile_lagesbild(scope=Scope.for_group(world.group), week=week)
    rows = {(r.area_name, r.category_slug): r for r in picture.rows}
    vandalism = rows[("Vällingby", "skadegorelse")]
    assert vandalism.count == 4
    assert vandalism.previous == [6, 3, 2, 1]
    assert vandalism.previous_mean == 3.0
    assert (vandalism.previous_min, vandalism.previous_max) == (1, 6)
    assert vandalism.last_year == 1
    fire = rows[("Stockholm (hela kommunen)", "brand")]
    assert fire.count == 1
    assert picture.total == 5
    assert [(t.police_type, t.count) for t in picture.police_types] == [("Brand", 1)]


def test_municipality_scope_is_the_police_feed_only(world, data):
    _cats, week = data
    picture = compile_lagesbild(scope=Scope.for_municipality(world.group.municipality), week=week)
    assert [(r.category_slug, r.count) for r in picture.rows] == [("brand", 1)]
    assert picture.coverage is None


def test_filters_narrow_the_table(world, data):
    _cats, week = data
    scope = Scope.for_group(world.group)
    police_only = compile_lagesbild(
        scope=scope, week=week, filters=Filters.parse({"kalla": ["police"]})
    )
    assert police_only.total == 1
    vandalism = compile_lagesbild(
        scope=scope, week=week, filters=Filters.parse({"kategorigrupp": "skadegorelse"})
    )
    assert {r.category_slug for r in vandalism.rows} == {"skadegorelse"}
    precise = compile_lagesbild(
        scope=scope, week=week, filters=Filters.parse({"precision": ["exact"]})
    )
    assert precise.total == 4


def test_rates_use_the_population(world, data):
    _cats, week = data
    picture = compile_lagesbild(scope=Scope.for_municipality(world.group.municipality), week=week)
    row = picture.rows[0]
    assert row.population == world.group.municipality.population
    assert row.rate == pytest.approx(1000 / world.group.municipality.population)


@pytest.mark.parametrize(
    "text", ["2025-10", "2025-W54", "vecka 10", "", "2021-W53", "0001-W01", "9999-W52", "1899-W52"]
)
def test_bad_weeks_are_input_errors(text):
    with pytest.raises(InputError):
        IsoWeek.parse(text)


def test_good_weeks_parse():
    assert IsoWeek.parse("2020-W53") == IsoWeek(2020, 53)
    assert IsoWeek.parse("2025w7") == IsoWeek(2025, 7)
    assert str(IsoWeek(2025, 7)) == "2025-W07"
    import datetime

    assert IsoWeek.last_completed(datetime.date(2025, 1, 1)) == IsoWeek(2024, 52)


def test_unknown_filter_values_are_input_errors():
    with pytest.raises(InputError):
        Filters.parse({"kalla": ["twitter"]})


def test_a_change_shows_at_once_despite_the_cache(world, data):
    cats, week = data
    scope = Scope.for_group(world.group)
    before = compile_lagesbild(scope=scope, week=week).total
    incident = factories.incident(world, category=cats["brand"], when=factories.at_week(2025, 10))
    rollup.incidents_changed(before=[None], after=[rollup.key_for(incident)])
    assert compile_lagesbild(scope=scope, week=week).total == before + 1


def test_reports_outside_the_groups_geography_are_shown_apart(world):
    """A partner's report shared with the group but placed in another municipality, or
    in a district that is not one of the group's areas, is no row, total or alert of
    the group's picture: it is counted apart as outside the group's area."""
    cats = factories.categories()
    when = factories.at_week(2025, 10)
    factories.incident(world, category=cats["klotter"], when=when)  # Vällingby: inside
    factories.incident(world, category=cats["klotter"], when=when, area_name="Farsta strand")
    elsewhere = factories.incident(world, category=cats["klotter"], when=when, area_name=None)
    Incident.objects.filter(pk=elsewhere.pk).update(municipality_id="0126")
    rollup.rebuild()

    picture = compile_lagesbild(scope=Scope.for_group(world.group), week=IsoWeek(2025, 10))

    assert [(r.area_name, r.count) for r in picture.rows] == [("Vällingby", 1)]
    assert picture.total == 1
    assert picture.outside_count == 2
    assert any(
        "2 rapporter delade med gruppen ligger utanför" in line for line in summary_lines(picture)
    )
    assert exports.payload(picture)["outside_group_area"] == 2
    points = maps.scope_incidents(
        Scope.for_group(world.group), Filters(), IsoWeek(2025, 10).monday, IsoWeek(2025, 11).monday
    )
    assert points.count() == 1


def _row(area: str, count: int, previous: list[int]) -> Row:
    return Row(
        area_id=1,
        area_code="",
        area_name=area,
        category_id=1,
        category_slug="klotter",
        category_name="Klotter",
        category_group="skadegorelse",
        count=count,
        previous=previous,
        last_year=None,
        population=None,
    )


def test_the_signal_leaves_out_single_events_and_names_the_usual_range():
    rows = [_row("Vinsta", 1, [0, 0, 0, 0]), _row("Grimsta", 4, [1, 0, 1, 0])]
    lines = signal_lines(SimpleNamespace(alerts=[], rows=rows))
    assert lines == [
        "Fler än de fyra veckorna före: Klotter i Grimsta, 4 händelser (då 0–1 per vecka); "
        "inom normal variation."
    ]
    quiet = _row("Råcksta", 5, [2, 2, 2, 2])
    assert "(då 2 per vecka)" in signal_lines(SimpleNamespace(alerts=[], rows=[quiet]))[0]
