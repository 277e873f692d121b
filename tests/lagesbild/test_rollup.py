"""The rollup: incremental updates always equal a full recount; weeks are Swedish ISO weeks."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.lagesbild import factories
from tryggnav.incidents import counts as rollup
from tryggnav.incidents.models import Incident, WeeklyCount

pytestmark = pytest.mark.django_db


def _save(incident: Incident, **changes) -> None:
    before = rollup.key_for(Incident.objects.get(pk=incident.pk))
    for field, value in changes.items():
        setattr(incident, field, value)
    incident.save()
    rollup.incidents_changed(before=[before], after=[rollup.key_for(incident)])


def test_random_edits_keep_the_rollup_equal_to_a_recount(world):
    cats = list(factories.categories().values())
    areas = [factories.area(n) for n in ("Vällingby", "Vinsta", "Råcksta")] + [None]
    rng = random.Random(20250310)
    start = timezone.make_aware(datetime.datetime(2024, 12, 28, 0, 0))
    live: list[Incident] = []

    def random_time():
        return start + datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 120))

    for step in range(400):
        op = rng.choice(["create", "create", "edit", "review", "merge", "delete", "share"])
        if op == "create" or not live:
            source = rng.choice(list(Incident.Source.values))
            incident = factories.incident(
                world,
                category=rng.choice(cats),
                when=random_time(),
                area_name=None,
                source=source,
                status=rng.choice([Incident.Status.SUBMITTED, Incident.Status.REVIEWED]),
                precision=rng.choice(list(Incident.Precision.values)),
                police_type=rng.choice(["", "Skadegörelse", "Brand"]),
                external_id=f"p{step}" if source == Incident.Source.POLICE_FEED else "",
                is_summary=rng.random() < 0.05,
            )
            incident.area = rng.choice(areas)
            incident.save()
            rollup.incidents_changed(before=[None], after=[rollup.key_for(incident)])
            live.append(incident)
        elif op == "edit":
            incident = rng.choice(live)
            _save(
                incident,
                category=rng.choice(cats),
                area=rng.choice(areas),
                occurred_from=random_time(),
                occurred_to=None,
            )
        elif op == "review":
            _save(rng.choice(live), status=Incident.Status.REVIEWED)
        elif op == "merge":
            incident = rng.choice(live)
            _save(incident, status=rng.choice([Incident.Status.MERGED, Incident.Status.REJECTED]))
        elif op == "share":
            incident = rng.choice(live)
            _save(
                incident,
                sharing=rng.choice(list(Incident.Sharing.values)),
                group=rng.choice([world.group, world.other_group, None]),
            )
        else:
            incident = live.pop(rng.randrange(len(live)))
            before = rollup.key_for(incident)
            incident.delete()
            rollup.incidents_changed(before=[before], after=[None])
        if step % 50 == 49:
            assert rollup.snapshot() == rollup.recount(), f"differs after step {step}"
    assert rollup.snapshot() == rollup.recount()
    assert sum(rollup.snapshot().values()) == Incident.objects.countable().count()


def test_rebuild_recomputes_from_scratch(world):
    cats = factories.categories()
    for day in range(10):
        factories.incident(
            world,
            category=cats["brand"],
            when=factories.at_week(2025, 10, 1) + datetime.timedelta(days=day),
        )
    factories.incident(
        world,
        category=cats["brand"],
        when=factories.at_week(2025, 10),
        status=Incident.Status.SUBMITTED,
    )
    WeeklyCount.objects.create(
        category_id=cats["brand"].pk,
        source="form",
        precision="exact",
        week=datetime.date(2020, 1, 6),
        n=99,
    )
    cells = rollup.rebuild()
    assert cells == 2  # weeks 10 and 11; the stale cell and the unreviewed report are gone
    assert rollup.snapshot() == rollup.recount()
    assert sorted(rollup.snapshot().values()) == [3, 7]


def test_bulk_changes_are_summed_in_one_call(world):
    cats = factories.categories()
    made = [
        factories.incident(world, category=cats["klotter"], when=factories.at_week(2025, 9))
        for _ in range(5)
    ]
    rollup.incidents_changed(before=[None] * 5, after=[rollup.key_for(i) for i in made])
    rollup.incidents_changed(before=[rollup.key_for(made[0])], after=[rollup.key_for(made[0])])
    assert list(rollup.snapshot().values()) == [5]


def test_many_cells_at_once_take_the_bulk_path(world, monkeypatch):
    """On PostgreSQL a change set larger than BATCH goes through COPY and one upsert;
    twice in one transaction, onto existing cells, it must still add up."""
    monkeypatch.setattr(rollup, "BATCH", 2)
    calls = []
    bulk = rollup._apply_by_copy
    monkeypatch.setattr(rollup, "_apply_by_copy", lambda *a: calls.append(1) or bulk(*a))
    cats = factories.categories()
    made = [
        factories.incident(world, category=cat, when=factories.at_week(2025, week))
        for week in (9, 10, 11)
        for cat in (cats["klotter"], cats["brand"])
    ]
    with transaction.atomic():
        rollup.incidents_changed(before=[None] * 6, after=[rollup.key_for(i) for i in made])
        again = [factories.incident(world, category=i.category, when=i.occurred_from) for i in made]
        rollup.incidents_changed(before=[None] * 6, after=[rollup.key_for(i) for i in again])
    assert sorted(rollup.snapshot().values()) == [2] * 6
    assert rollup.snapshot() == rollup.recount()
    assert len(calls) == (2 if connection.vendor == "postgresql" else 0)


@pytest.mark.parametrize(
    "local, monday",
    [
        # Sunday evening belongs to the week that started on Monday, in Swedish time,
        # also on the night summer time starts (UTC would put it in the next week).
        ((2025, 3, 30, 23, 30), datetime.date(2025, 3, 24)),
        ((2025, 3, 31, 0, 30), datetime.date(2025, 3, 31)),
        ((2024, 12, 30, 8, 0), datetime.date(2024, 12, 30)),  # ISO 2025-W01
        ((2021, 1, 3, 23, 59), datetime.date(2020, 12, 28)),  # ISO 2020-W53
    ],
)
def test_weeks_follow_swedish_local_time(world, local, monday):
    cats = factories.categories()
    when = timezone.make_aware(datetime.datetime(*local), rollup.STOCKHOLM)
    incident = factories.incident(world, category=cats["brand"], when=when)
    assert rollup.key_for(incident)[-1] == monday
    assert next(iter(rollup.recount()))[-1] == monday


def test_only_countable_incidents_have_a_key(world):
    cats = factories.categories()
    when = factories.at_week(2025, 10)
    submitted = factories.incident(
        world, category=cats["brand"], when=when, status=Incident.Status.SUBMITTED
    )
    police = factories.incident(
        world,
        category=cats["brand"],
        when=when,
        external_id="x1",
        source=Incident.Source.POLICE_FEED,
        status=Incident.Status.SUBMITTED,
    )
    summary = factories.incident(
        world,
        category=cats["brand"],
        when=when,
        external_id="x2",
        source=Incident.Source.POLICE_FEED,
        is_summary=True,
    )
    assert rollup.key_for(submitted) is None
    assert rollup.key_for(summary) is None
    key = rollup.key_for(police)
    assert key[0] == 0 and key[4] == "police"


def test_the_sql_week_matches_zoneinfo_across_dst_changes(world):
    """The recount's week (SQL) equals key_for's (Python, zoneinfo) for times all year
    round, including the hours around every summer-time change from 2000 to 2035."""
    cats = factories.categories()
    rng = random.Random(5)
    moments = []
    for year in range(2000, 2036):
        for month, day in ((3, 25), (10, 25)):
            sunday = datetime.date(year, month, day)
            sunday += datetime.timedelta(days=(6 - sunday.weekday()) % 7)
            base = datetime.datetime(sunday.year, sunday.month, sunday.day, tzinfo=datetime.UTC)
            moments += [base + datetime.timedelta(minutes=m) for m in (-61, -1, 0, 59, 60, 61)]
        start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
        moments += [
            start + datetime.timedelta(seconds=rng.randrange(366 * 86400)) for _ in range(5)
        ]
        moments.append(datetime.datetime(year, 12, 31, 23, 30, tzinfo=datetime.UTC))
    for moment in moments:
        factories.incident(world, category=cats["brand"], when=moment)
    expected: dict = {}
    for incident in Incident.objects.all():
        key = rollup.key_for(incident)
        expected[key] = expected.get(key, 0) + 1
    assert rollup.recount() == expected


def _read_rollup_from_another_connection() -> str:
    """Read the rollup on a second connection that gives up after 300 ms of waiting
    for a lock; returns "read" or the error."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
            cursor.execute(f"SELECT count(*) FROM {WeeklyCount._meta.db_table}")  # noqa: S608
        return "read"
    except Exception as error:  # noqa: BLE001 - the lock timeout, reported to the test
        return f"{type(error).__name__}: {error}"
    finally:
        other.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the shadow table is PostgreSQL's")
def test_postgresql_rebuild_lets_readers_read_and_keeps_the_table_whole(world, monkeypatch):
    cats = factories.categories()
    for day in range(10):
        factories.incident(
            world,
            category=cats["brand"],
            when=factories.at_week(2025, 10, 1) + datetime.timedelta(days=day),
        )
    seen = []
    recount_queryset = rollup.recount_queryset

    def reading_while_rebuilding():
        seen.append(_read_rollup_from_another_connection())
        return recount_queryset()

    monkeypatch.setattr(rollup, "recount_queryset", reading_while_rebuilding)
    assert rollup.rebuild() == 2
    assert seen == ["read"]
    assert rollup.snapshot() == rollup.recount()
    assert sorted(rollup.snapshot().values()) == [3, 7]
    # The swapped-in table has the constraints, indexes and sequence: a second
    # rebuild, an incremental change and a created row work on it.
    monkeypatch.undo()
    rollup.rebuild()
    added = factories.incident(world, category=cats["brand"], when=factories.at_week(2025, 12))
    rollup.incidents_changed(before=[None], after=[rollup.key_for(added)])
    assert rollup.snapshot() == rollup.recount()
    assert sorted(rollup.snapshot().values()) == [1, 3, 7]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY 1",
            [WeeklyCount._meta.db_table],
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names == [
        "lagesbild_weeklycount_pkey",
        "weeklycount_group_week",
        "weeklycount_key",
        "weeklycount_police_week",
    ]
