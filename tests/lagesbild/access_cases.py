"""Access cases of the lägesbild pages: group pages for members, meetings coordinated by
the lead organisation's coordinators, municipality pages (public police data) for all."""

from __future__ import annotations

import datetime

from tests.access import LOGIN_REDIRECT, MEMBERS_READ, Case
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild.models import Action, Focus, Meeting

WEEK = "2025-W10"
PUBLIC_DATA = {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200}
COORDINATE = {
    "anonymous": LOGIN_REDIRECT,
    "outsider": 404,
    "reader": 403,
    "reporter": 403,
    "coordinator": 302,
}


def _meeting(world) -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(group=world.group, iso_year=2025, iso_week=10)
    return meeting


def _action(world) -> Action:
    return Action.objects.create(
        group=world.group,
        meeting=_meeting(world),
        what="Städa cykelrummet",
        organisation=world.partner,
        due=datetime.date(2025, 3, 20),
    )


def _focus(world) -> Focus:
    return Focus.objects.create(meeting=_meeting(world), description="Vällingby centrum")


def _assert(condition: bool) -> None:
    assert condition


def _group_week(w):
    return [w.group.slug, WEEK]


CASES = [
    Case(
        "api:lagesbild",
        {"anonymous": 401, "outsider": 404, "reader": 200},
        query="group=est-test&week=2025-W10",
    ),
    Case(
        "api:lagesbild",
        {"anonymous": 401, "outsider": 200, "reader": 200},
        query="municipality=0180",
        label="municipality",
    ),
    Case("lagesbild:index", PUBLIC_DATA),
    Case("lagesbild:group", MEMBERS_READ, args=lambda w: [w.group.slug]),
    Case(
        "lagesbild:group",
        MEMBERS_READ,
        args=lambda w: [w.group.slug],
        query="vecka=2025-W10",
        label="week",
    ),
    Case("lagesbild:group_map", MEMBERS_READ, args=lambda w: [w.group.slug]),
    Case(
        "lagesbild:group_trend",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 400},
        args=lambda w: [w.group.slug],
        query="omrade=0&kategori=1",
    ),
    Case("lagesbild:group_export", MEMBERS_READ, args=lambda w: [w.group.slug, "csv"]),
    # The lägesbild ready for the diarium: the form, and the download (POST, a read).
    Case("lagesbild:group_export_diarium", MEMBERS_READ, args=lambda w: [w.group.slug]),
    Case(
        "lagesbild:group_export_diarium",
        MEMBERS_READ,
        args=lambda w: [w.group.slug],
        method="post",
        data=lambda w: {"diarienummer": "KS 2026/3", "format": "docx"},
        label="download",
    ),
    Case("lagesbild:municipality", PUBLIC_DATA, args=lambda w: ["0180"]),
    Case("lagesbild:municipality_map", PUBLIC_DATA, args=lambda w: ["0180"]),
    Case(
        "lagesbild:municipality_trend",
        {"anonymous": LOGIN_REDIRECT, "outsider": 400, "reader": 400},
        args=lambda w: ["0180"],
        query="omrade=0&kategori=1",
    ),
    Case("lagesbild:municipality_export", PUBLIC_DATA, args=lambda w: ["0180", "json"]),
    Case("lagesbild:municipality_export_diarium", PUBLIC_DATA, args=lambda w: ["0180"]),
    Case("lagesbild:meeting", MEMBERS_READ, args=_group_week),
    Case("lagesbild:meeting_projector", MEMBERS_READ, args=_group_week),
    Case(
        "lagesbild:meeting_minutes",
        MEMBERS_READ,
        args=lambda w: [w.group.slug, _meeting(w).week_label, "docx"],
    ),
    Case(
        "lagesbild:meeting_create",
        COORDINATE,
        args=_group_week,
        method="post",
        writes=True,
        check=lambda w, before: _assert(
            Meeting.objects.filter(group=w.group, iso_year=2025, iso_week=10).exists()
        ),
    ),
    Case(
        "lagesbild:meeting_update",
        COORDINATE,
        args=lambda w: [w.group.slug, _meeting(w).week_label],
        method="post",
        writes=True,
        data=lambda w: {
            "status": "held",
            "notes": "Genomgång av larm",
            "attendees": "",
            "held_on": "2025-03-10",
        },
        check=lambda w, before: _assert(
            Meeting.objects.get(group=w.group, iso_week=10).notes == "Genomgång av larm"
        ),
    ),
    Case(
        "lagesbild:action_create",
        COORDINATE,
        args=lambda w: [w.group.slug, _meeting(w).week_label],
        method="post",
        writes=True,
        data=lambda w: {
            "what": "Extra rondering vid torget",
            "organisation": w.partner.pk,
            "due": "2025-03-17",
            "area": "",
            "place_text": "Vällingby torg",
        },
        check=lambda w, before: _assert(
            Action.objects.filter(what="Extra rondering vid torget", group=w.group).exists()
        ),
    ),
    Case(
        "lagesbild:action_update",
        COORDINATE,
        args=lambda w: [w.group.slug, WEEK, _action(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"status": "done", "outcome": "Klart"},
        check=lambda w, before: _assert(
            Action.objects.get(what="Städa cykelrummet").status == "done"
        ),
    ),
    Case(
        "lagesbild:focus_create",
        COORDINATE,
        args=lambda w: [w.group.slug, _meeting(w).week_label],
        method="post",
        writes=True,
        data=lambda w: {"kind": "hotspot", "description": "Vinsta centrum", "area": ""},
        check=lambda w, before: _assert(
            Focus.objects.filter(description="Vinsta centrum").exists()
        ),
    ),
    Case(
        "lagesbild:focus_delete",
        COORDINATE,
        args=lambda w: [w.group.slug, WEEK, _focus(w).public_id],
        method="post",
        writes=True,
        check=lambda w, before: _assert(
            not Focus.objects.filter(description="Vällingby centrum").exists()
        ),
    ),
]

assert IsoWeek.parse(WEEK)
