"""Statutory documents of the test personas' municipality organisation (``world.lead``,
Stockholm 0180), with police and partner counts to freeze."""

from __future__ import annotations

import datetime

from tryggnav.documents import services
from tryggnav.documents.models import LawDocument
from tryggnav.incidents.models import Category, WeeklyCount

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def counts(world, *, police: int = 10, partner: int = 4, week=datetime.date(2025, 3, 3)) -> None:
    category = Category.objects.filter(group="vandalism").first() or Category.objects.first()
    rows = [
        dict(group_id=0, source="police", precision="municipality", police_type="Skadegörelse", n=police),
        dict(group_id=world.group.pk, source="form", precision="exact", police_type="", n=partner),
    ]  # fmt: skip
    for row in rows:
        WeeklyCount.objects.create(
            municipality_code="0180", area_id=0, category_id=category.pk, week=week, **row
        )


def lagesbild(world, **kwargs) -> LawDocument:
    return services.lagesbild_create(
        organisation=world.lead, period_start=START, period_end=END,
        by=world.user("coordinator"), **kwargs,
    )  # fmt: skip


def decided(world) -> LawDocument:
    by = world.user("coordinator")
    document = lagesbild(world)
    services.document_propose(
        document=document, proposal="Kommunstyrelsen föreslås besluta.", by=by
    )
    return services.document_decide(
        document=document, body="Kommunstyrelsen", decided_on=datetime.date(2026, 2, 1),
        paragraph="§ 12", registry_number="KS-2026/1", handler="Cecilia", by=by,
    )  # fmt: skip


def invited(world, document: LawDocument | None = None):
    document = document or lagesbild(world)
    return services.contribution_invite(
        document=document, organisation=world.partner, asked="Er bild av otryggheten.",
        by=world.user("coordinator"),
    )  # fmt: skip
