"""Incident fixtures: a few default categories and reports filed through the service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tryggnav.incidents import services
from tryggnav.incidents.models import Category, Incident

VALLINGBY = (59.3632, 17.8717)  # Vällingby torg (lat, lon)
VINSTA = (59.37336, 17.85494)
HUDDINGE = (59.2367, 17.9817)


def ensure_categories() -> dict[str, Category]:
    """The default categories the tests use (the taxonomy migration may already have them)."""
    wanted = [
        ("klotter", "Klotter", "skadegorelse"),
        ("anlagd-brand", "Anlagd brand", "brand"),
        ("narkotikaforsaljning", "Narkotikaförsäljning", "narkotika"),
    ]
    out = {}
    for slug, name, group in wanted:
        category, _created = Category.objects.get_or_create(
            slug=slug, collaboration_group=None, defaults={"name": name, "group": group}
        )
        if not category.active:
            category.active = True
            category.save()
        out[slug] = category
    return out


@pytest.fixture
def categories(db) -> dict[str, Category]:
    return ensure_categories()


def report(
    world,
    *,
    persona="reporter",
    organisation=None,
    group=None,
    category=None,
    point=VALLINGBY,
    text="Klotter på väggen",
    sharing=Incident.Sharing.GROUP,
    status=None,
    hours_ago=1,
    **kwargs,
) -> Incident:
    """File a report through the service, as the given persona's organisation."""
    category = category or ensure_categories()["klotter"]
    incident = services.incident_create(
        organisation=organisation or (world.partner if persona == "reporter" else world.lead),
        user=world.users[persona],
        category=category,
        occurred_from=timezone.now() - timedelta(hours=hours_ago),
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        precision=kwargs.pop("precision", Incident.Precision.EXACT),
        text=text,
        sharing=sharing,
        group=group if group is not None else world.group,
        **kwargs,
    )
    if status:
        Incident.objects.filter(pk=incident.pk).update(status=status)
        incident.refresh_from_db()
    return incident
