"""Meeting decisions carry paragraph numbers in the minutes: numbered through the
meeting's year per group, never shared, shown on the page, the projector and in the
minutes document; decisions recorded before the numbering got theirs by migration."""

from __future__ import annotations

import datetime
import uuid
from functools import partial

import pytest
from django.urls import reverse

from tests.races import race
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import minutes, services
from tryggnav.lagesbild.models import Action, Meeting
from tryggnav.lib import documents

DUE = datetime.date(2025, 4, 1)


def _meeting(world, year: int = 2025, week: int = 10, group=None) -> Meeting:
    meeting, _created = services.meeting_get_or_create(
        group=group or world.group, week=IsoWeek(year, week), by=world.user("coordinator")
    )
    return meeting


def _decide(world, meeting: Meeting, what: str) -> Action:
    return services.action_create(
        meeting=meeting, by=world.user("coordinator"), what=what,
        organisation=world.lead, due=DUE,
    )  # fmt: skip


@pytest.mark.django_db
def test_paragraphs_run_through_the_year_and_restart_the_next(world):
    week10, week11 = _meeting(world, week=10), _meeting(world, week=11)
    first = _decide(world, week10, "Rondering")
    second = _decide(world, week10, "Belysning")
    third = _decide(world, week11, "Klotter")
    next_year = _decide(world, _meeting(world, year=2026, week=2), "Nytt år")
    assert [a.paragraph for a in (first, second, third, next_year)] == [1, 2, 3, 1]
    assert (third.paragraph_label, next_year.paragraph_year) == ("§ 3", 2026)


@pytest.mark.django_db
def test_the_minutes_and_the_meeting_page_show_the_paragraph(world):
    meeting = _meeting(world)
    _decide(world, meeting, "Rondering")
    _decide(world, meeting, "Belysning")
    doc = minutes.minutes_document(meeting, minutes.minutes_figures(meeting))
    decided = [b for b in doc.blocks if isinstance(b, documents.Table) and b.columns[0] == "§"]
    assert [row[:2] for row in decided[0].rows] == [["§ 1", "Rondering"], ["§ 2", "Belysning"]]
    url = reverse("lagesbild:meeting", args=[world.group.slug, meeting.week_label])
    page = world.client("coordinator").get(url).content.decode()
    assert "§ 2 Belysning" in page


@pytest.mark.django_db
def test_a_decision_carried_to_the_next_meeting_keeps_its_paragraph(world):
    _decide(world, _meeting(world, week=10), "Rondering")
    later = _meeting(world, week=12)
    doc = minutes.minutes_document(later, minutes.minutes_figures(later))
    cells = [row[0] for b in doc.blocks if isinstance(b, documents.Table) for row in b.rows]
    assert "§ 1 Rondering" in cells


def test_race_two_decisions_at_once_get_two_paragraphs(pg_race, transactional_db, world):
    meeting = _meeting(world)
    url = reverse("lagesbild:action_create", args=[world.group.slug, meeting.week_label])
    posts = []
    for person, what in (("coordinator", "Rondering"), ("admin", "Belysning")):
        data = {"what": what, "organisation": str(world.partner.pk), "due": "2025-03-14",
                "area": "", "place_text": "", "form_key": str(uuid.uuid4())}  # fmt: skip
        posts.append(partial(world.fresh_client(person).post, url, data))
    race(*posts)
    paragraphs = sorted(Action.objects.filter(meeting=meeting).values_list("paragraph", flat=True))
    assert paragraphs == [1, 2]
