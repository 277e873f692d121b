"""A programme with a follow-up for the test personas' organisation (``world.lead``)."""

from __future__ import annotations

import datetime

from tests.steering import factories as steering
from tryggnav.programmes import services
from tryggnav.programmes.models import Assessment, FollowUp, Programme, SubGoal
from tryggnav.steering import services as steering_services
from tryggnav.steering.models import Activity, Agreement, Indicator

TITLE = "Trygghetsprogram 2024–2027"


def programme(world) -> Programme:
    found = Programme.objects.filter(organisation=world.lead, title=TITLE).first()
    if found:
        return found
    by = world.user("coordinator")
    p = services.programme_create(
        by=by,
        organisation=world.lead,
        group=world.group,
        title=TITLE,
        starts=datetime.date(2024, 1, 1),
        ends=datetime.date(2027, 12, 31),
        overall_goal="Västerort ska vara tryggt för alla.",
    )
    services.area_create(
        by=by,
        programme=p,
        name="Brottsförebyggande arbete",
        description="Skadegörelse, stöld och otrygghet.",
        goals=["Öka den upplevda tryggheten.", "Minska skadegörelsen."],
    )
    services.area_create(by=by, programme=p, name="Skydd mot olyckor", goals=["Färre bränder."])
    guideline = services.programme_create(
        by=by,
        organisation=world.lead,
        kind=Programme.Kind.GUIDELINE,
        title="Riktlinjer mot klotter",
        starts=datetime.date(2024, 1, 1),
        ends=None,
        parent_area=p.areas.first(),
    )
    services.area_create(by=by, programme=guideline, name="Mål", goals=["Sanera inom ett dygn."])
    return p


def goal(world, index: int = 0) -> SubGoal:
    goals = SubGoal.objects.filter(area__programme=programme(world))
    return list(goals.order_by("area__order", "order", "id"))[index]


def follow_up(world, year: int = 2025) -> FollowUp:
    p = programme(world)
    found = p.follow_ups.filter(year=year).first()
    if found:
        return found
    by = world.user("coordinator")
    f = services.follow_up_create(
        by=by, programme=p, year=year, introduction="Uppföljningen avser arbetet under året."
    )
    item = f.areas.first()
    indicator = steering.indicator(world)
    steering_services.indicator_value_save(
        indicator=indicator, by=by, period_start=datetime.date(2024, 1, 1), label="2024", value=40
    )
    steering_services.indicator_value_save(
        indicator=indicator, by=by, period_start=datetime.date(2025, 1, 1), label="2025", value=31
    )
    activity = Activity.objects.filter(
        group=world.group
    ).first() or steering_services.activity_create(
        by=by,
        group=world.group,
        title="Klottersanering i Vällingby",
        starts=datetime.date(2025, 3, 1),
        prevention_type="situationell",
        outputs="120 m² sanerat",
    )
    services.area_follow_up_update(
        by=by,
        item=item,
        narrative="Sanering och trygghetsvandringar genomfördes.",
        activities=[activity],
        indicators=[indicator],
    )
    services.section_add(by=by, item=item, heading="Trygghetsvandringar", text="Tre vandringar.")
    services.assessment_save(by=by, follow_up=f, goal=goal(world, 0), status=Assessment.Status.MET)
    services.assessment_save(
        by=by,
        follow_up=f,
        goal=goal(world, 1),
        status=Assessment.Status.PARTLY,
        justification="Minskade i centrum men inte i Vinsta.",
    )
    guideline = Programme.objects.get(title="Riktlinjer mot klotter")
    g_follow_up = services.follow_up_create(by=by, programme=guideline, year=year)
    services.area_follow_up_update(
        by=by, item=g_follow_up.areas.get(), narrative="Riktlinjerna följdes."
    )
    return f


def agreement(world) -> Agreement:
    return steering.agreement(world)


def indicator(world) -> Indicator:
    return steering.indicator(world)
