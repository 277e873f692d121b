"""The åtgärdsplan gathers every measure from every source, decided on a named
lägesbild version, with the weekly meetings' one status definition."""

from __future__ import annotations

import datetime

import pytest

from tests.documents import factories as f
from tests.fund import factories as fund
from tests.steering import factories as steering
from tryggnav.documents import render, services
from tryggnav.documents.figures import Source, load_action_plan
from tryggnav.documents.measures import follow_up_status
from tryggnav.fund.models import Application
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import services as meetings
from tryggnav.lagesbild.models import Action
from tryggnav.lib.errors import InputError
from tryggnav.steering import services as steering_services


def _sources(world) -> None:
    steering.measure(world)  # Brå process, deadline 2026-01-01 (passed): overdue
    meeting, _ = meetings.meeting_get_or_create(
        group=world.group, week=IsoWeek(2025, 10), by=world.user("coordinator")
    )
    meetings.action_create(
        meeting=meeting, by=world.user("coordinator"), what="Belysning i gångtunneln",
        organisation=world.partner, due=datetime.date(2099, 1, 1),
    )  # fmt: skip
    steering_services.activity_create(
        by=world.user("coordinator"), group=world.group, title="Nattvandring",
        starts=datetime.date(2025, 3, 1), prevention_type="social", responsible=world.partner,
        hours=120,
    )  # fmt: skip
    app = fund.application(world, Application.State.DECIDED, title="Fritidsgård")
    Application.objects.filter(pk=app.pk).update(area=world.group.areas.first())


def test_the_plan_gathers_measures_from_every_source(world):
    _sources(world)
    plan = services.action_plan_create(
        lagesbild=f.decided(world), period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31), by=world.user("coordinator"),
    )  # fmt: skip
    figures = load_action_plan(plan.figures)
    by_source = {s: [m.title for m in figures.of(s)] for s in Source.ORDER}
    assert by_source == {
        Source.BRA: ["Snabb sanering"],
        Source.MEETING: ["Belysning i gångtunneln"],
        Source.ACTIVITY: ["Nattvandring"],
        Source.FUND: ["Fritidsgård"],
    }
    bra = figures.of(Source.BRA)[0]
    assert (bra.responsible, bra.cost, bra.due) == (
        "Testbostäder AB",
        "Två fastighetsskötare",
        "2026-01-01",
    )
    assert (bra.status, bra.overdue) == (Action.Status.OPEN, True)
    assert "120 timmar" in figures.of(Source.ACTIVITY)[0].cost
    assert "kr ur" in figures.of(Source.FUND)[0].cost
    assert figures.lagesbild.startswith("Lägesbild") and "(v1)" in figures.lagesbild
    document = render.as_document(plan)
    assert any("Pågår – försenad" in str(b) for b in document.blocks)


def test_one_status_definition_the_weekly_meetings(world):
    day = datetime.date(2026, 3, 1)
    assert follow_up_status(Action.Status.OPEN, datetime.date(2026, 2, 1), day) == ("open", True)
    assert follow_up_status(Action.Status.DONE, datetime.date(2026, 2, 1), day) == ("done", False)
    assert follow_up_status(Action.Status.OPEN, None, day) == ("open", False)


def test_the_plan_is_decided_on_a_lagesbild_and_locked_the_same_way(world):
    with pytest.raises(InputError):
        services.action_plan_create(
            lagesbild=services.action_plan_create(
                lagesbild=f.decided(world), period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 12, 31), by=world.user("coordinator"),
            ),
            period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31),
            by=world.user("coordinator"),
        )  # fmt: skip
    plan = services.action_plan_create(
        lagesbild=f.decided(world), period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31), by=world.user("coordinator"),
    )  # fmt: skip
    by = world.user("coordinator")
    services.document_propose(document=plan, proposal="KS beslutar", by=by)
    services.document_decide(document=plan, body="KS", decided_on=datetime.date(2026, 3, 1), by=by)
    with pytest.raises(services.Locked):
        services.document_update_texts(document=plan, texts={"atgarder": "x"}, by=by)
