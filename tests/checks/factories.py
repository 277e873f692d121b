"""Scheduled checks in the test personas' municipality (Stockholm, 0180): the lead
(kind "kommun") is the department and the municipality; the partner (whose reporter
performs) is the unit responsible for the premises."""

from __future__ import annotations

import datetime

from tests.inspections.factories import LAT, LON
from tryggnav.inspections import checks_services as services
from tryggnav.inspections.checks_models import ChecklistTemplate, InspectedObject, Inspection

Q1 = datetime.date(2026, 1, 1)


def sba() -> ChecklistTemplate:
    return [t for t in services.templates_builtin() if t.kind == "sba"][0]


def premises(world, name: str = "Vällingbyskolan", *, unit=None, department=None,
             anchor: datetime.date = Q1, interval: int = 3, template=None) -> InspectedObject:  # fmt: skip
    found = InspectedObject.objects.filter(name=name).first()
    if found:
        return found
    return services.object_create(
        by=world.user("coordinator"), municipality_id="0180", name=name, kind="lokal",
        department=department or world.lead, unit=unit or world.partner,
        template=template or sba(), interval_months=interval, anchor=anchor,
        address="Vällingby torg 1", lat=LAT, lon=LON,
    )  # fmt: skip


def answer_all(world, inspection: Inspection, *, failed: int = 0) -> Inspection:
    """Answer every question, the first ``failed`` of them so that they fail."""
    replies = {}
    for i, q in enumerate(inspection.template.questions.all()):
        passing = "ja" if q.expected_yes else "nej"
        failing = "nej" if q.expected_yes else "ja"
        replies[q.pk] = services.Reply(answer=failing if i < failed else passing,
                                       note="Kilad dörr." if i < failed else "")  # fmt: skip
    return services.inspection_save(by=world.user("reporter"), inspection=inspection,
                                    replies=replies)  # fmt: skip


def inspection(world, obj=None, *, today: datetime.date = datetime.date(2026, 2, 10)) -> Inspection:
    obj = obj or premises(world)
    return services.inspection_start(by=world.user("reporter"), schedule=obj.schedules.get(),
                                     today=today)  # fmt: skip
