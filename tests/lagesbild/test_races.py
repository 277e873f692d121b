"""Meetings and actions with two coordinators at once: one meeting per week, one
follow-up of an action (the second is told who and when), one action per form sent.

The ``test_race_*`` tests run the requests in threads on PostgreSQL (tests/races.py)."""

from __future__ import annotations

import re
import uuid
from functools import partial

import pytest
from django.urls import reverse

from tests.races import race
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import services
from tryggnav.lagesbild.models import Action, Meeting

WEEK = "2025-W10"


def _url(world, name: str, *args) -> str:
    return reverse(f"lagesbild:{name}", args=[world.group.slug, WEEK, *args])


def _meeting_and_action(world) -> tuple[Meeting, Action]:
    meeting, _created = services.meeting_get_or_create(
        group=world.group, week=IsoWeek.parse(WEEK), by=world.user("coordinator")
    )
    action = services.action_create(
        meeting=meeting,
        by=world.user("coordinator"),
        what="Klottersanering",
        organisation=world.lead,
        due=IsoWeek.parse(WEEK).sunday,
    )
    return meeting, action


def _action_data(world, key: str) -> dict[str, str]:
    return {
        "what": "Extra rondering",
        "organisation": str(world.partner.pk),
        "due": "2025-03-14",
        "area": "",
        "place_text": "",
        "form_key": key,
    }


def _updates(action: Action) -> int:
    return AuditEntry.objects.filter(object_id=str(action.public_id), action="update").count()


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_race_meeting_prepared_twice_at_once_is_one_meeting(pg_race, transactional_db, world):
    clients = [world.fresh_client(p) for p in ("coordinator", "admin") * 3]
    url = _url(world, "meeting_create")
    responses = race(*[partial(c.post, url) for c in clients])
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 6
    meeting = Meeting.objects.get(group=world.group)
    assert AuditEntry.objects.filter(object_id=str(meeting.public_id)).count() == 1


def test_race_action_followed_up_twice_at_once(pg_race, transactional_db, world):
    _meeting, action = _meeting_and_action(world)
    url = _url(world, "action_update", action.public_id)
    posts = [
        partial(world.fresh_client(p).post, url, {"status": "done", "outcome": o, "seen": "open"})
        for p, o in (("coordinator", "Sanerat"), ("admin", "Sanerat av fastighetsägaren"))
    ]
    race(*posts)
    assert _updates(action) == 1
    entry = AuditEntry.objects.get(object_id=str(action.public_id), action="update")
    action.refresh_from_db()
    assert action.status == "done" and action.outcome in entry.changes["outcome"]


def test_race_action_form_sent_three_times_is_one_action(pg_race, transactional_db, world):
    meeting, _action = _meeting_and_action(world)
    client = world.fresh_client("coordinator")
    data = _action_data(world, str(uuid.uuid4()))
    race(*[partial(client.post, _url(world, "action_create"), data) for _ in range(3)])
    assert Action.objects.filter(meeting=meeting, what="Extra rondering").count() == 1


@pytest.mark.django_db
def test_stale_follow_up_names_who_and_when(world):
    _meeting, action = _meeting_and_action(world)
    url = _url(world, "action_update", action.public_id)
    world.client("coordinator").post(url, {"status": "done", "outcome": "Klart", "seen": "open"})
    late = world.client("admin").post(
        url, {"status": "cancelled", "outcome": "", "seen": "open"}, follow=True
    )
    assert "Åtgärden är redan ändrad till klar av Cecilia Samordnare kl." in _text(late)
    action.refresh_from_db()
    assert action.status == "done" and action.outcome == "Klart" and _updates(action) == 1


@pytest.mark.django_db
def test_action_form_sent_twice_is_one_action(world):
    meeting, _action = _meeting_and_action(world)
    client = world.client("coordinator")
    page = _text(client.get(meeting.get_absolute_url()))
    key = re.search(r'name="form_key" value="([^"]+)"', page)
    assert key
    data = _action_data(world, key.group(1))
    client.post(_url(world, "action_create"), data)
    again = client.post(_url(world, "action_create"), data, follow=True)
    assert "Formuläret är redan inskickat" in _text(again)
    assert Action.objects.filter(meeting=meeting, what="Extra rondering").count() == 1
