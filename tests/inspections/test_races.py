"""Two changes of one deficiency at the same moment, on PostgreSQL: the owner fixes it
while the same owner's colleague says "inte vår"; exactly one wins."""

from __future__ import annotations

from tests.inspections import factories as f
from tests.races import race
from tryggnav.audit.models import AuditEntry
from tryggnav.inspections import services
from tryggnav.inspections.models import Deficiency
from tryggnav.lib.errors import Conflict


def test_race_fix_and_decline_only_one_wins(pg_race, transactional_db, world):
    d = f.deficiency(world)
    by = world.user("reporter")
    for _ in range(5):
        d = Deficiency.objects.get(pk=d.pk)
        results = race(
            lambda d=d: services.deficiency_fix(deficiency=d, by=by, note="Bytt", seen=d.status),
            lambda d=d: services.deficiency_decline(
                deficiency=d, by=by, reason="Ej vår", seen=d.status
            ),  # fmt: skip
        )
        won = [r for r in results if isinstance(r, Deficiency)]
        lost = [r for r in results if isinstance(r, Conflict)]
        assert (len(won), len(lost)) == (1, 1), results
        d = Deficiency.objects.get(pk=d.pk)
        assert d.status == won[0].status
        # Open it again for the next round: back to the owner, or reopened.
        coordinator = world.user("coordinator")
        if d.status == "inte_var":
            services.deficiency_route(deficiency=d, by=coordinator, owner=world.partner)
        else:
            services.deficiency_reopen(deficiency=d, by=coordinator, reason="Igen")
    changes = AuditEntry.objects.filter(note__in=["fix", "decline"]).count()
    assert changes == 5
