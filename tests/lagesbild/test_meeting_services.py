"""A group's weekly meeting through its services: one meeting per week, actions decided
by members within the group's municipality, followed up with who-and-when conflicts,
carried over while open, and focus areas for the week after."""

from __future__ import annotations

import datetime

import pytest

from tryggnav.areas.models import Area
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import services
from tryggnav.lagesbild.models import Action, Focus, Meeting
from tryggnav.lib.errors import Conflict, InputError

pytestmark = pytest.mark.django_db

DUE = datetime.date(2025, 4, 1)


def _meeting(world, week: int = 10) -> Meeting:
    meeting, _created = services.meeting_get_or_create(
        group=world.group, week=IsoWeek(2025, week), by=world.user("coordinator")
    )
    return meeting


def _action(world, meeting: Meeting, what: str = "Sanera klotter", **overrides) -> Action:
    values = {"meeting": meeting, "by": world.user("coordinator"), "what": what,
              "organisation": world.partner, "due": DUE}  # fmt: skip
    values.update(overrides)
    return services.action_create(**values)


def _field(error: InputError) -> str:
    (problem,) = error.problems
    return problem.field


def test_one_meeting_per_week_held_on_the_monday_after(world):
    first, created = services.meeting_get_or_create(group=world.group, week=IsoWeek(2025, 10),
                                                    by=world.user("coordinator"))  # fmt: skip
    again, created_again = services.meeting_get_or_create(group=world.group,
                                                          week=IsoWeek(2025, 10),
                                                          by=world.user("admin"))  # fmt: skip
    assert created and not created_again and first.pk == again.pk
    assert first.held_on == IsoWeek(2025, 10).sunday + datetime.timedelta(days=1)
    assert first.held_on.weekday() == 0
    assert AuditEntry.objects.filter(object_type="lagesbild.meeting").count() == 1


def test_an_action_is_for_a_member_within_the_municipality_and_says_what(world):
    meeting = _meeting(world)
    with pytest.raises(InputError) as error:
        _action(world, meeting, organisation=world.other)
    assert _field(error.value) == "organisation"
    with pytest.raises(InputError) as error:
        _action(world, meeting, what="   ")
    assert _field(error.value) == "what"
    model = Area.objects.filter(municipality_id="0180").first()
    foreign = Area.objects.create(
        municipality_id="0126", name="Annanstans", kind=Area.Kind.CUSTOM, code="a1",
        geometry=model.geometry, min_lon=model.min_lon, min_lat=model.min_lat,
        max_lon=model.max_lon, max_lat=model.max_lat,
    )  # fmt: skip
    with pytest.raises(InputError) as error:
        _action(world, meeting, area=foreign)
    assert _field(error.value) == "area"
    assert not Action.objects.exists()
    action = _action(world, meeting, what="  Byt lampor  ", place_text=" Vid torget ")
    assert (action.what, action.place_text, action.group) == (
        "Byt lampor",
        "Vid torget",
        world.group,
    )


def test_an_unknown_status_is_refused_by_name(world):
    action = _action(world, _meeting(world))
    with pytest.raises(InputError) as error:
        services.action_update(action=action, by=world.user("coordinator"), status="kanske")
    assert _field(error.value) == "status" and "'kanske'" in error.value.problems[0].en
    assert Action.objects.get(pk=action.pk).status == Action.Status.OPEN


def test_closing_records_when_and_at_which_meeting_and_reopening_clears_it(world):
    decided, follow_up = _meeting(world, 10), _meeting(world, 11)
    action = _action(world, decided)
    services.action_update(action=action, by=world.user("coordinator"), status="done",
                           outcome="  Sanerat  ", meeting=follow_up)  # fmt: skip
    action.refresh_from_db()
    assert action.closed_at is not None and action.closed_meeting == follow_up
    assert action.outcome == "Sanerat"
    services.action_update(action=action, by=world.user("coordinator"), status="open",
                           due=datetime.date(2025, 5, 1))  # fmt: skip
    action.refresh_from_db()
    assert action.closed_at is None and action.closed_meeting is None
    assert action.due == datetime.date(2025, 5, 1) and action.outcome == "Sanerat"


def test_a_follow_up_on_a_stale_page_names_who_changed_it(world):
    action = _action(world, _meeting(world))
    services.action_update(action=action, by=world.user("admin"), status="cancelled",
                           seen="open")  # fmt: skip
    with pytest.raises(Conflict) as error:
        services.action_update(action=action, by=world.user("coordinator"), status="done",
                               seen="open")  # fmt: skip
    text = error.value.problems[0]
    assert "struken" in text.sv and "cancelled" not in text.sv
    assert "Alma Admin" in text.sv
    assert Action.objects.get(pk=action.pk).status == Action.Status.CANCELLED


def test_open_actions_from_earlier_meetings_carry_over(world):
    last_year = services.meeting_get_or_create(group=world.group, week=IsoWeek(2024, 50),
                                               by=world.user("coordinator"))[0]  # fmt: skip
    week9, week10, week11 = _meeting(world, 9), _meeting(world, 10), _meeting(world, 11)
    old = _action(world, last_year, "Från i fjol", due=datetime.date(2025, 1, 1))
    open_9 = _action(world, week9, "Öppen från vecka 9")
    done_9 = _action(world, week9, "Klar före vecka 10")
    closed_here = _action(world, week9, "Avslutad på vecka 10")
    _action(world, week10, "Beslutad vecka 10")
    _action(world, week11, "Beslutad senare")
    by = world.user("coordinator")
    services.action_update(action=done_9, by=by, status="done", meeting=week9)
    services.action_update(action=closed_here, by=by, status="done", meeting=week10)
    carried = services.open_actions_before(week10)
    assert [a.what for a in carried] == [old.what, open_9.what, closed_here.what]
    assert services.open_actions_before(week9) == [old]


def test_a_focus_needs_an_area_or_a_description_and_its_deletion_is_audited(world):
    meeting = _meeting(world)
    with pytest.raises(InputError) as error:
        services.focus_create(meeting=meeting, by=world.user("coordinator"), kind="area",
                              description="  ")  # fmt: skip
    assert _field(error.value) == "description"
    area = Area.objects.get(municipality_id="0180", name="Vällingby")
    focus = services.focus_create(meeting=meeting, by=world.user("coordinator"),
                                  kind=Focus.Kind.HOTSPOT, description="", area=area)  # fmt: skip
    assert focus.description == "Vällingby"
    services.focus_delete(focus=focus, by=world.user("coordinator"))
    assert not Focus.objects.exists()
    actions = list(AuditEntry.objects.filter(object_type="lagesbild.focus")
                   .order_by("pk").values_list("action", flat=True))  # fmt: skip
    assert actions == ["create", "delete"]
