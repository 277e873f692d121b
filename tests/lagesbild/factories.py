"""Test data for the lägesbild tests: categories and incidents created directly."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from tryggnav.areas.models import Area
from tryggnav.incidents.models import Category, CategoryGroup, Incident

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))


def categories() -> dict[str, Category]:
    specs = [
        ("skadegorelse", "Skadegörelse", CategoryGroup.VANDALISM),
        ("klotter", "Klotter", CategoryGroup.VANDALISM),
        ("brand", "Brand", CategoryGroup.FIRE),
        ("stold", "Stöld", CategoryGroup.CRIME),
    ]
    out = {}
    for slug, name, group in specs:
        out[slug], _ = Category.objects.get_or_create(
            slug=slug, collaboration_group=None, defaults={"name": name, "group": group}
        )
    return out


def area(name: str) -> Area:
    return Area.objects.get(municipality_id="0180", name=name)


def incident(
    world,
    *,
    category: Category,
    when: datetime.datetime,
    area_name: str | None = "Vällingby",
    source: str = Incident.Source.FORM,
    status: str = Incident.Status.REVIEWED,
    precision: str = Incident.Precision.EXACT,
    lat: float | None = 59.3632,
    lon: float | None = 17.8717,
    police_type: str = "",
    window_hours: float | None = None,
    organisation=None,
    **extra,
) -> Incident:
    police = source == Incident.Source.POLICE_FEED
    return Incident.objects.create(
        category=category,
        occurred_from=when,
        occurred_to=when + datetime.timedelta(hours=window_hours) if window_hours else None,
        reported_at=when,
        lat=lat,
        lon=lon,
        precision=precision,
        area=area(area_name) if area_name else None,
        municipality_id="0180",
        county_id="01",
        organisation=None if police else (organisation or world.partner),
        group=None if police else world.group,
        source=source,
        status=status,
        police_type=police_type,
        **extra,
    )


def at_week(year: int, week: int, day: int = 3, hour: int = 12) -> datetime.datetime:
    date = datetime.date.fromisocalendar(year, week, day)
    return timezone.make_aware(datetime.datetime(date.year, date.month, date.day, hour))


def history(
    world, cats, *, year: int, week: int, weeks: int = 160, seed: int = 1, mean: float = 2.0
) -> int:
    """Reviewed reports in Vällingby for ``weeks`` weeks before (year, week), Poisson(mean)."""
    rng = random.Random(seed)
    end = datetime.date.fromisocalendar(year, week, 1)
    made = []
    for back in range(1, weeks + 1):
        monday = end - datetime.timedelta(weeks=back)
        iso = monday.isocalendar()
        n = _poisson(rng, mean)
        for _ in range(n):
            made.append(
                Incident(
                    category=cats["skadegorelse"],
                    occurred_from=at_week(iso[0], iso[1]),
                    reported_at=at_week(iso[0], iso[1]),
                    lat=59.3632,
                    lon=17.8717,
                    precision=Incident.Precision.EXACT,
                    area=area("Vällingby"),
                    municipality_id="0180",
                    county_id="01",
                    organisation=world.partner,
                    group=world.group,
                    source=Incident.Source.FORM,
                    status=Incident.Status.REVIEWED,
                )
            )
    Incident.objects.bulk_create(made)
    return len(made)


def _poisson(rng: random.Random, mean: float) -> int:
    import math

    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
