"""Safety walks of the test personas' municipality (Stockholm, 0180): the lead (kind
"kommun") convenes, the partner (a housing company) is invited, so its reporter adds
points; the outsider's organisation is another municipality's."""

from __future__ import annotations

import datetime
import uuid

from tests.inspections.factories import LAT, LON, jpeg_with_exif
from tryggnav.areas.models import Area
from tryggnav.inspections import walks
from tryggnav.inspections.walk_models import DEFAULT_THEMES, Walk, WalkPoint

TITLE = "Kvällsvandring i Vällingby"
ROUTE = [[17.870, 59.362], [17.872, 59.363], [17.875, 59.364]]


def vallingby() -> Area:
    return Area.objects.get(municipality_id="0180", name="Vällingby")


def walk(world, title: str = TITLE, published: bool = False) -> Walk:
    found = Walk.objects.filter(title=title).first()
    if found:
        return found
    w = walks.walk_create(
        by=world.user("coordinator"), organisation=world.lead, area=vallingby(),
        date=datetime.date(2026, 10, 14), title=title, themes=DEFAULT_THEMES,
        invited=[world.partner], residents_count=6,
        residents_note="Hyresgästföreningen, kontakt anna.berg@example.se",
        route={"type": "LineString", "coordinates": ROUTE},
    )  # fmt: skip
    if published:
        w = walks.walk_publish(walk=w, by=world.user("coordinator"), publish=True)
    return w


def point(world, w: Walk | None = None, *, note: str = "Mörk gångväg bakom skolan",
          theme: str = "belysning", photo: bool = False, public_photo: bool = False,
          unsafe: int | None = 4) -> WalkPoint:  # fmt: skip
    w = w or walk(world)
    found = w.points.filter(note=note).first()
    if found:
        return found
    p, _ = walks.walk_point_add(
        walk=w, by=world.user("reporter"), client_key=uuid.uuid4(), theme=theme, note=note,
        unsafe=unsafe, lat=LAT, lon=LON, photo=jpeg_with_exif() if photo else None,
    )  # fmt: skip
    if public_photo:
        p = walks.walk_point_photo_screen(point=p, by=world.user("coordinator"), public=True)
    return p
