"""The budget rule under concurrency, on PostgreSQL: twenty administrators decide
twenty applications of one fund at the same moment; the fund can pay for ten."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from tests.fund import factories as f
from tests.races import race
from tryggnav.fund import services
from tryggnav.fund.models import Application, Decision, Fund, fund_figures
from tryggnav.lib.errors import InputError

N = 20
BUDGET = 1_000_000  # each application asks for 100 000 kr: ten fit


def test_race_twenty_decisions_never_exceed_the_budget(pg_race, transactional_db, world):
    fund = f.fund(world, budget=BUDGET)
    applications = [f.application(world, title=f"Projekt {i}") for i in range(N)]
    personas = ["coordinator", "admin"]

    def decide(i: int):
        app = Application.objects.get(pk=applications[i].pk)
        by = world.user(personas[i % 2])
        return lambda: services.decision_make(
            application=app, by=by, outcome=Decision.Outcome.FULL, amount=100_000
        )

    results = race(*[decide(i) for i in range(N)])
    decided = [r for r in results if isinstance(r, Decision)]
    refused = [r for r in results if isinstance(r, InputError)]
    assert len(decided) + len(refused) == N, results  # no other error: no deadlock, no 500
    granted = Decision.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"]
    assert granted <= BUDGET
    assert len(decided) == 10 and granted == BUDGET
    for error in refused:
        assert [p.field for p in error.problems] == ["amount"]
        assert "skulle överskrida fondens budget: återstår 0" in str(error)
    assert fund_figures(Fund.objects.get(pk=fund.pk)).remaining == 0
    states = Application.objects.filter(fund=fund).values_list("state", flat=True)
    assert sorted(states).count("decided") == 10


@pytest.mark.django_db
def test_the_database_itself_refuses_a_decision_past_the_budget(world):
    if connection.vendor != "postgresql":
        pytest.skip("The budget trigger exists on PostgreSQL only.")
    fund = f.fund(world, budget=150_000)
    first, second = f.application(world, title="Ett"), f.application(world, title="Två")
    f.decide(world, first)
    with pytest.raises(IntegrityError, match="fund_budget_exceeded"), transaction.atomic():
        # Around the service: no lock, no Python check; the trigger still stops it.
        Decision.objects.create(
            application=second,
            fund=fund,
            outcome="full",
            amount=100_000,
            decided_by=world.user("coordinator"),
        )
    with pytest.raises(IntegrityError, match="fund_budget_exceeded"), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(budget=50_000)
    assert not Decision.objects.filter(application=second).exists()
