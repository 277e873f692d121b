"""Completing a Brå step twice (two coordinators at once, or a double click) completes
it once, with one audit entry; the second is told who completed it and when."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.races import race
from tests.steering import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.lib.errors import Conflict
from tryggnav.steering import services
from tryggnav.steering.models import Problem


def _completions(problem: Problem) -> int:
    return AuditEntry.objects.filter(
        object_id=str(problem.public_id), note__startswith="Steg 1 avslutat"
    ).count()


def test_race_step_completed_four_times_at_once(pg_race, transactional_db, world):
    problem = f.problem(world)
    f.initiate(world, problem)

    def complete(persona: str):
        fresh = Problem.objects.get(pk=problem.pk)
        return lambda: services.problem_step_complete(problem=fresh, by=world.user(persona), step=1)

    results = race(*[complete(p) for p in ("coordinator", "coordinator", "admin", "admin")])
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 3, results
    step = problem.steps.get(number=1)
    assert step.completed is not None and _completions(problem) == 1
    assert all(
        f"redan avslutat av {step.completed_by.get_full_name()} kl." in str(c) for c in conflicts
    )


@pytest.mark.django_db
def test_completing_a_completed_step_says_who_and_when(world):
    problem = f.problem(world)
    f.initiate(world, problem)
    url = reverse("steering:step_complete", args=[problem.public_id, 1])
    assert world.client("coordinator").post(url).status_code == 302
    completed = problem.steps.get(number=1).completed
    again = world.client("admin").post(url, follow=True)
    stamp = timezone.localtime(completed).strftime("%Y-%m-%d %H:%M")
    assert f"Steg 1 är redan avslutat av Cecilia Samordnare kl. {stamp}." in again.content.decode()
    assert problem.steps.get(number=1).completed == completed
    assert _completions(problem) == 1


def _reopenings(problem: Problem) -> int:
    return AuditEntry.objects.filter(
        object_id=str(problem.public_id), note__startswith="Steg 1 öppnat igen"
    ).count()


def test_race_step_reopened_twice_at_once(pg_race, transactional_db, world):
    problem = f.problem(world)
    f.initiate(world, problem)
    services.problem_step_complete(problem=problem, by=world.user("coordinator"), step=1)

    def reopen(persona: str):
        fresh = Problem.objects.get(pk=problem.pk)
        return lambda: services.problem_step_reopen(problem=fresh, by=world.user(persona), step=1)

    results = race(reopen("coordinator"), reopen("admin"))
    assert len([r for r in results if isinstance(r, Conflict)]) == 1, results
    assert "redan öppnat igen av" in str(next(r for r in results if isinstance(r, Conflict)))
    assert problem.steps.get(number=1).completed is None and _reopenings(problem) == 1


@pytest.mark.django_db
def test_reopening_an_open_step_says_who_reopened_it(world):
    problem = f.problem(world)
    f.initiate(world, problem)
    services.problem_step_complete(problem=problem, by=world.user("coordinator"), step=1)
    url = reverse("steering:step_reopen", args=[problem.public_id, 1])
    assert world.client("coordinator").post(url, {"reason": "Ny part"}).status_code == 302
    again = world.client("admin").post(url, {"reason": "Ny part"}, follow=True)
    assert "Steg 1 är redan öppnat igen av Cecilia Samordnare kl." in again.content.decode()
    assert _reopenings(problem) == 1
    never = world.client("admin").post(
        reverse("steering:step_reopen", args=[problem.public_id, 2]), follow=True
    )
    assert "Steg 2 är inte avslutat." in never.content.decode()
