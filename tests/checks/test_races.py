"""Two people sign one check at the same moment, on PostgreSQL: exactly one signs, the
other is refused, and the failed item becomes one deficiency, not two."""

from __future__ import annotations

from tests.checks import factories as f
from tests.races import race
from tryggnav.inspections import checks_services as services
from tryggnav.inspections.checks_models import Inspection
from tryggnav.inspections.models import Deficiency
from tryggnav.lib.errors import Conflict


def test_race_two_signers_one_wins(pg_race, transactional_db, world):
    inspection = f.answer_all(world, f.inspection(world), failed=1)
    reporter, coordinator = world.user("reporter"), world.user("coordinator")
    results = race(
        lambda: services.inspection_sign(by=reporter, inspection=inspection),
        lambda: services.inspection_sign(by=coordinator, inspection=inspection),
    )
    won = [r for r in results if isinstance(r, Inspection)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert (len(won), len(lost)) == (1, 1), results
    assert Deficiency.objects.filter(source="checklista").count() == 1
