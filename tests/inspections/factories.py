"""Deficiencies of the test personas' municipality (Stockholm, 0180): the lead
(kind "kommun") is the municipality, so its coordinator manages and its reader reads;
the partner (a housing company) is the owner, whose reporter answers."""

from __future__ import annotations

import datetime
import io

from PIL import Image

from tryggnav.inspections import services
from tryggnav.inspections.models import Deficiency, Status

# Vällingby centrum, inside the stadsdel Vällingby.
LAT, LON = 59.3632, 17.8720


def jpeg_with_exif() -> io.BytesIO:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    out.name = "foto.jpg"
    return out


def deficiency(world, status: str = Status.NEW, title: str = "Trasig lampa", **kw) -> Deficiency:
    found = Deficiency.objects.filter(title=title).first()
    if found:
        return found
    coordinator = world.user("coordinator")
    d = services.deficiency_create(
        by=coordinator, municipality_id="0180", category=kw.pop("category", "belysning"),
        severity=kw.pop("severity", 2), title=title, source="manuell",
        lat=LAT, lon=LON, owner=kw.pop("owner", world.partner), **kw,
    )  # fmt: skip
    return advance(world, d, status)


def advance(world, d: Deficiency, status: str) -> Deficiency:
    """Walk a deficiency through the services to ``status``."""
    reporter, coordinator = world.user("reporter"), world.user("coordinator")
    if status == Status.NOT_OURS:
        return services.deficiency_decline(deficiency=d, by=reporter, reason="Inte vår mark.")
    if status in (Status.RECEIVED, Status.PLANNED, Status.FIXED, Status.VERIFIED):
        d = services.deficiency_receive(deficiency=d, by=reporter)
    if status in (Status.PLANNED,):
        d = services.deficiency_plan(deficiency=d, by=reporter,
                                     planned_for=datetime.date.today() + datetime.timedelta(days=3))  # fmt: skip
    if status in (Status.FIXED, Status.VERIFIED):
        d = services.deficiency_fix(deficiency=d, by=reporter, note="Lampan är bytt.")
    if status == Status.VERIFIED:
        d = services.deficiency_verify(deficiency=d, by=coordinator)
    return d
