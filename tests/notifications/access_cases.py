"""Access cases for the notifications: each person sees and changes only their own;
the reminder is for the group's coordinators."""

from __future__ import annotations

import datetime

from tests.access import LOGIN_REDIRECT, Case
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.notifications.models import Kind, Notification
from tryggnav.organisations.models import GroupMembership

OWN = {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200, "reporter": 200}
OWN_POST = {"anonymous": LOGIN_REDIRECT, "outsider": 302, "reader": 302, "reporter": 302}


def _ok(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def _reporters_notification(world):
    notification = Notification.objects.create(
        recipient=world.users["reporter"],
        kind=Kind.REVIEW,
        key="review:test",
        params={"group": world.group.name, "count": 2},
        url="/handelser/",
    )
    return [notification.public_id]


def _missing_partner(world):
    GroupMembership.objects.filter(group=world.group).update(joined=datetime.date(2025, 1, 1))
    return [world.group.slug, world.partner.slug, str(IsoWeek.last_completed())]


CASES = [
    Case("notifications:list", OWN),
    Case("notifications:preferences", OWN),
    Case(
        "notifications:preferences",
        OWN_POST,
        label="save",
        method="post",
        data=lambda w: {"wanted": ["review"], "delivery": "digest"},
    ),
    Case("notifications:read_all", OWN_POST, method="post"),
    # Someone else's notification does not exist for you.
    Case(
        "notifications:open",
        {"anonymous": LOGIN_REDIRECT, "outsider": 404, "reader": 404, "reporter": 302},
        args=_reporters_notification,
        method="post",
    ),
    Case(
        "notifications:remind",
        {
            "anonymous": LOGIN_REDIRECT,
            "outsider": 404,
            "reader": 403,
            "reporter": 403,
            "coordinator": 302,
        },
        args=_missing_partner,
        method="post",
        writes=True,
        check=lambda w, before: _ok(
            Notification.objects.filter(
                recipient=w.users["reporter"], kind=Kind.MISSING_REPORT
            ).exists()
            and AuditEntry.objects.filter(note="Påminnelse om veckorapport").exists(),
            "no reminder",
        ),
    ),
]

# The municipality's overview: every member of the municipality's own organisation
# ("sdf", Stockholm); a member of another organisation does not see it exists.
CASES.append(
    Case(
        "municipality_overview",
        {
            "anonymous": LOGIN_REDIRECT,
            "outsider": 404,
            "reporter": 404,
            "reader": 200,
            "coordinator": 200,
            "admin": 200,
        },
        args=lambda w: [w.lead.slug],
    )
)
