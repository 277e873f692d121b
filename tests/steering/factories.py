"""Steering objects for the test personas' group (``world.group``)."""

from __future__ import annotations

import datetime

from tryggnav.areas.models import Area
from tryggnav.incidents.models import Category
from tryggnav.steering import services
from tryggnav.steering.models import Agreement, Escalation, Indicator, Measure, Problem, Step


def areas(world, *names: str) -> list[Area]:
    return list(Area.objects.filter(municipality_id="0180", name__in=names or ["Vällingby"]))


def categories() -> list[Category]:
    return list(
        Category.objects.filter(
            collaboration_group__isnull=True, slug__in=["klotter", "skadegorelse"]
        )
    )


def agreement(world) -> Agreement:
    found = Agreement.objects.filter(group=world.group).first()
    return found or services.agreement_create(
        by=world.user("coordinator"),
        group=world.group,
        kind=Agreement.Kind.COLLABORATION,
        title="Samverkansöverenskommelse 2025–2026",
        starts=datetime.date(2025, 1, 1),
        ends=datetime.date(2026, 12, 31),
        party_organisations=[world.lead, world.partner],
        other_parties=["Polisen"],
        priority_areas=["Skadegörelse", "Trygghet i offentlig miljö"],
    )


def problem(world) -> Problem:
    found = Problem.objects.filter(group=world.group).first()
    return found or services.problem_create(
        by=world.user("coordinator"),
        group=world.group,
        title="Klotter i Vällingby centrum",
        areas=areas(world),
        categories=categories(),
    )


def indicator(world) -> Indicator:
    found = Indicator.objects.filter(group=world.group, kind=Indicator.Kind.MANUAL).first()
    return found or services.indicator_create(
        by=world.user("coordinator"),
        group=world.group,
        name="Sanerat klotter (m²)",
        kind=Indicator.Kind.MANUAL,
    )


def initiate(world, p: Problem) -> None:
    services.problem_step_save(
        problem=p,
        by=world.user("coordinator"),
        step=Step.INITIATION,
        decided_by="Styrgruppen",
        decided_on=datetime.date(2025, 2, 1),
        reason="Mycket klotter",
        parties=[world.lead, world.partner],
    )


def measure(world) -> Measure:
    p = problem(world)
    found = p.measures.first()
    if found:
        return found
    initiate(world, p)
    return services.measure_create(
        problem=p,
        by=world.user("coordinator"),
        agreed_by=[world.lead, world.partner],
        areas=areas(world),
        title="Snabb sanering",
        specific="Klotter i centrum ska saneras inom 24 timmar",
        indicator=indicator(world),
        baseline_value=40,
        baseline_date=datetime.date(2025, 1, 1),
        target_value=20,
        deadline=datetime.date(2026, 1, 1),
        resources="Två fastighetsskötare",
        responsible=world.partner,
        prevention_type="situationell",
        perspective_children="Skolvägar prioriteras",
        perspective_gender="Otrygghet bland kvinnor kvällstid",
        perspective_disability="Framkomlighet",
        perspective_hbtq="Hatklotter saneras först",
        perspective_elderly="Belysning vid entréer",
    )


def escalation(world) -> Escalation:
    p = problem(world)
    return p.escalations.first() or services.escalation_create(
        problem=p, by=world.user("coordinator"), step=1, obstacle="Ingen budget", raised_to="KS"
    )
