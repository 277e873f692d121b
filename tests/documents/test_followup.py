"""The åtgärdsplan followed up today: each measure's frozen status beside its status
now, with the weekly meetings' status definition; the frozen version stays unchanged."""

from __future__ import annotations

import datetime

from tests.documents import factories as f
from tryggnav.documents import services
from tryggnav.documents.figures import Source
from tryggnav.documents.followup import follow_up
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import services as meetings
from tryggnav.lagesbild.models import Action
from tryggnav.steering import services as steering_services

TODAY = datetime.date(2026, 3, 2)


def _action(world, what: str, due: datetime.date) -> Action:
    meeting, _ = meetings.meeting_get_or_create(
        group=world.group, week=IsoWeek(2026, 8), by=world.user("coordinator")
    )
    return meetings.action_create(
        meeting=meeting, by=world.user("coordinator"), what=what, organisation=world.partner,
        due=due,
    )  # fmt: skip


def _plan(world):
    return services.action_plan_create(
        lagesbild=f.decided(world), period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31), by=world.user("coordinator"),
    )  # fmt: skip


def _by_title(result) -> dict:
    return {r.title: r for r in result.rows}


def test_a_measure_done_after_the_version_shows_then_open_now_done(world):
    lamp = _action(world, "Belysning i gångtunneln", datetime.date(2099, 1, 1))
    plan = _plan(world)
    meetings.action_update(action=lamp, by=world.user("coordinator"), status=Action.Status.DONE)
    row = _by_title(follow_up(plan, world.user("coordinator"), TODAY))["Belysning i gångtunneln"]
    assert (row.status_then, row.status_now) == (Action.Status.OPEN, Action.Status.DONE)
    assert row.changed and row.source == Source.MEETING
    assert (row.status_then_label, row.status_now_label) == ("Pågår", "Klar")
    plan.refresh_from_db()  # the version itself still says what it said
    assert plan.figures["measures"][0]["status"] == Action.Status.OPEN


def test_an_open_measure_past_its_date_is_overdue_now(world):
    _action(world, "Klotter vid skolan", datetime.date(2026, 2, 15))
    plan = _plan(world)
    later = _by_title(follow_up(plan, world.user("coordinator"), datetime.date(2026, 3, 1)))
    row = later["Klotter vid skolan"]
    assert row.status_now == Action.Status.OPEN and row.overdue_now
    before = follow_up(plan, world.user("coordinator"), datetime.date(2026, 2, 1))
    assert not _by_title(before)["Klotter vid skolan"].overdue_now


def test_measures_added_after_and_gone_since_the_version(world):
    gone = _action(world, "Tas bort", datetime.date(2099, 1, 1))
    plan = _plan(world)
    Action.objects.filter(pk=gone.pk).delete()
    steering_services.activity_create(
        by=world.user("coordinator"), group=world.group, title="Nattvandring",
        starts=datetime.date(2026, 2, 1), prevention_type="social", responsible=world.partner,
        hours=40,
    )  # fmt: skip
    rows = _by_title(follow_up(plan, world.user("coordinator"), TODAY))
    assert rows["Tas bort"].is_missing and not rows["Tas bort"].is_new
    assert rows["Nattvandring"].is_new and rows["Nattvandring"].source == Source.ACTIVITY
    counted = follow_up(plan, world.user("coordinator"), TODAY)
    assert counted is not None and dict(counted.counts_now()) == {"Pågår": 1}


def test_a_lagesbild_has_no_follow_up(world):
    assert follow_up(f.decided(world), world.user("coordinator"), TODAY) is None


def test_the_plan_page_shows_the_follow_up_and_outsiders_get_404(world):
    lamp = _action(world, "Belysning i gångtunneln", datetime.date(2099, 1, 1))
    plan = _plan(world)
    meetings.action_update(action=lamp, by=world.user("coordinator"), status=Action.Status.DONE)
    page = world.client("reader").get(plan.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200 and "Uppföljning idag" in body
    assert "<strong>Klar</strong>" in body  # changed since the version
    assert world.client("outsider").get(plan.get_absolute_url()).status_code == 404
    lagesbild = world.client("reader").get(plan.based_on.get_absolute_url()).content.decode()
    assert "Uppföljning idag" not in lagesbild


def test_only_measures_found_then_and_now_count_as_changed(world):
    lamp = _action(world, "Belysning i gångtunneln", datetime.date(2099, 1, 1))
    gone = _action(world, "Tas bort", datetime.date(2099, 1, 1))
    plan = _plan(world)
    meetings.action_update(action=lamp, by=world.user("coordinator"), status=Action.Status.DONE)
    Action.objects.filter(pk=gone.pk).delete()
    _action(world, "Ny efter versionen", datetime.date(2099, 1, 1))
    result = follow_up(plan, world.user("coordinator"), TODAY)
    assert result is not None
    rows = _by_title(result)
    assert rows["Tas bort"].is_missing and not rows["Tas bort"].changed
    assert rows["Ny efter versionen"].is_new and not rows["Ny efter versionen"].changed
    assert result.changed == 1  # the lamp, done since the version
