"""Demo step: scheduled checks in Huddinge, GENERATED.

Invented for demonstration, written through the services and flagged ``is_demo`` (the
pages label them "Demo"; demo objects get no reminders and their deficiencies mail no
one): ten premises of three departments with quarterly SBA checks over the current
quarter and the three before it — most done in time, some late or not done, some with
failed items that became deficiencies (routed by the demo rules: fire safety to
Huddinge Samhällsfastigheter) — and two trygghetsbesiktningar (a park and a garage)
every half year. Idempotent: skipped when Huddinge has demo objects. Runs after the
deficiencies step (its routing rules).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tryggnav.inspections import checklists
from tryggnav.inspections import checks_services as services
from tryggnav.inspections.checks_models import InspectedObject
from tryggnav.organisations.models import Organisation

MUNICIPALITY = "0126"
ADMIN = "eva.lindqvist@huddinge.example"

# name, department (and unit), lon, lat
PREMISES: list[tuple[str, str, float, float]] = [
    ("Skogåsskolan (genererad)", "huddinge-grundskola", 18.1510, 59.2160),
    ("Vårbyskolan (genererad)", "huddinge-grundskola", 17.8850, 59.2640),
    ("Flemingsbergsskolan (genererad)", "huddinge-grundskola", 17.9440, 59.2190),
    ("Stensängsskolan (genererad)", "huddinge-grundskola", 17.9800, 59.2370),
    ("Huddinge bibliotek (genererad)", "huddinge-kultur-fritid", 17.9820, 59.2360),
    ("Flemingsbergs idrottshall (genererad)", "huddinge-kultur-fritid", 17.9455, 59.2205),
    ("Fritidsgården Skogås (genererad)", "huddinge-kultur-fritid", 18.1530, 59.2190),
    ("Familjecentralen Vårby (genererad)", "huddinge-socialforvaltningen", 17.8840, 59.2650),
    ("Träffpunkt Flemingsberg (genererad)", "huddinge-socialforvaltningen", 17.9470, 59.2180),
    (
        "Socialkontoret Huddinge centrum (genererad)",
        "huddinge-socialforvaltningen",
        17.9810,
        59.2355,
    ),
]
SAFETY = [
    ("Sjödalsparken (genererad)", "park", 17.9790, 59.2340),
    ("Garaget vid Skogås centrum (genererad)", "garage", 18.1540, 59.2180),
]

# Per premises and quarter (oldest first): days after the quarter's start it was
# signed (None: not done) and how many items failed. Late ones are signed after the
# quarter's end (day > 90); the current quarter's unsigned checks are simply not due.
PLAN: list[list[tuple[int | None, int]]] = [
    [(40, 0), (35, 1), (50, 0), (20, 0)],
    [(60, 2), (95, 0), (45, 1), (None, 0)],
    [(30, 0), (30, 0), (None, 0), (25, 1)],
    [(70, 1), (60, 0), (55, 0), (None, 0)],
    [(15, 0), (20, 0), (25, 0), (30, 0)],
    [(None, 0), (100, 2), (80, 1), (None, 0)],
    [(45, 0), (50, 1), (40, 0), (35, 0)],
    [(85, 1), (None, 0), (None, 0), (None, 0)],
    [(20, 0), (25, 0), (30, 2), (40, 0)],
    [(50, 0), (92, 1), (60, 0), (10, 1)],
]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10))


def _answers(inspection, failed: int, admin) -> None:
    replies = {}
    for i, q in enumerate(inspection.template.questions.all()):
        fail = i < failed
        yes = q.expected_yes != fail
        replies[q.pk] = services.Reply(answer="ja" if yes else "nej",
                                       note="Genererad demodata." if fail else "")  # fmt: skip
    services.inspection_save(by=admin, inspection=inspection, replies=replies)


def _perform(schedule, start: datetime.date, day: int, failed: int, admin, today) -> None:
    signed = start + datetime.timedelta(days=day)
    if signed > today:
        return
    inspection = services.inspection_start(by=admin, schedule=schedule, is_demo=True,
                                           today=min(start + datetime.timedelta(days=min(day, 80)), today))  # fmt: skip
    _answers(inspection, failed, admin)
    services.inspection_sign(by=admin, inspection=inspection, when=_at(signed))


def load() -> list[str]:
    admin = get_user_model().objects.filter(email=ADMIN).first()
    orgs = {o.slug: o for o in Organisation.objects.filter(municipality_id=MUNICIPALITY)}
    if admin is None or "huddinge-grundskola" not in orgs:
        return ["Kontroller: demoorganisationerna saknas, hoppar över."]
    if InspectedObject.objects.filter(municipality_id=MUNICIPALITY, is_demo=True).exists():
        return ["Kontroller (demo): Huddinges kontroller fanns redan."]
    sba, safety = sorted(services.templates_builtin(), key=lambda t: t.kind != "sba")
    today = timezone.localdate()
    current = checklists.quarter_bounds(*checklists.quarter_of(today)).start
    first = checklists.add_months(current, -9)
    with transaction.atomic():
        for (name, slug, lon, lat), plan in zip(PREMISES, PLAN, strict=True):
            obj = services.object_create(
                by=admin, municipality_id=MUNICIPALITY, name=name, kind="lokal",
                department=orgs[slug], unit=orgs[slug], template=sba, interval_months=3,
                anchor=first, lat=lat, lon=lon, is_demo=True,
            )  # fmt: skip
            schedule = obj.schedules.get()
            for k, (day, failed) in enumerate(plan):
                if day is not None:
                    _perform(
                        schedule, checklists.add_months(first, 3 * k), day, failed, admin, today
                    )
        for name, kind, lon, lat in SAFETY:
            obj = services.object_create(
                by=admin, municipality_id=MUNICIPALITY, name=name, kind=kind,
                department=orgs["huddinge-kommun"], unit=orgs["huddinge-kommun"], template=safety,
                interval_months=6, anchor=first, lat=lat, lon=lon, is_demo=True,
            )  # fmt: skip
            _perform(obj.schedules.get(), first, 40, 2, admin, today)
    return [
        f"Kontroller (demo, genererade): {len(PREMISES)} lokaler med SBA-kontroller över fyra "
        f"kvartal och {len(SAFETY)} trygghetsbesiktningar i Huddinge."
    ]
