"""On PostgreSQL: the same point sent twice at the same moment (a retry racing the
first sending) is stored once; the same points turned into deficiencies twice at once
give one deficiency each."""

from __future__ import annotations

import uuid

from tests.races import race
from tests.walks import factories as f
from tryggnav.inspections import walks
from tryggnav.inspections.models import Deficiency
from tryggnav.inspections.walk_models import WalkPoint


def test_race_same_point_twice_is_stored_once(pg_race, transactional_db, world):
    walk, by = f.walk(world), world.user("reporter")
    for _ in range(5):
        key = uuid.uuid4()

        def send(key=key):
            return walks.walk_point_add(walk=walk, by=by, client_key=key, theme="klotter")

        results = race(send, send)
        assert all(isinstance(r, tuple) for r in results), results
        assert sorted(created for _, created in results) == [False, True]
        assert results[0][0].pk == results[1][0].pk
    assert WalkPoint.objects.count() == 5


def test_race_point_to_deficiency_twice_makes_one(pg_race, transactional_db, world):
    point, by = f.point(world), world.user("coordinator")
    results = race(lambda: walks.walk_point_to_deficiency(point=point, by=by),
                   lambda: walks.walk_point_to_deficiency(point=point, by=by))  # fmt: skip
    assert all(isinstance(r, Deficiency) for r in results), results
    assert results[0].pk == results[1].pk and Deficiency.objects.count() == 1
