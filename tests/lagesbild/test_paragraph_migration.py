"""Decisions recorded before paragraphs were numbered get theirs from the migration, in
the order they were made, per group and year."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps

from tryggnav.lagesbild.models import Action, Meeting

migration = importlib.import_module("tryggnav.lagesbild.migrations.0006_action_paragraph")


@pytest.mark.django_db
def test_the_migration_numbers_existing_decisions(world):
    for year, week in ((2025, 12), (2025, 10), (2026, 1)):
        meeting = Meeting.objects.create(group=world.group, iso_year=year, iso_week=week)
        Action.objects.create(group=world.group, meeting=meeting, what=f"v{week}",
                              organisation=world.lead, due=datetime.date(2025, 4, 1))  # fmt: skip
    assert not Action.objects.exclude(paragraph=None).exists()
    migration.number_existing(apps, None)
    numbered = Action.objects.order_by("pk")
    assert [(a.what, a.paragraph_year, a.paragraph) for a in numbered] == [
        ("v12", 2025, 2),
        ("v10", 2025, 1),
        ("v1", 2026, 1),
    ]
