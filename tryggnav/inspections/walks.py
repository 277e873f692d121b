"""Every write of safety walks: plan a walk, add a point (idempotent on the phone's
key), turn points into deficiencies, start a Brå problem from a point, screen a photo
for the public page and publish the protocol. Keyword-only, audited.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tryggnav.audit.services import audit_create, audit_update, snapshot
from tryggnav.incidents.photos import photo_clean
from tryggnav.inspections import services
from tryggnav.inspections.models import Deficiency, Source
from tryggnav.inspections.walk_models import Theme, Walk, WalkPoint, severity_for
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import Organisation
from tryggnav.steering.models import Problem
from tryggnav.steering.services import problem_create

MAX_ROUTE_POINTS = 500
# Sweden with a margin: a route or point outside is a mistake, not a walk.
LON_RANGE, LAT_RANGE = (10.0, 25.0), (55.0, 70.0)


def _route_error(sv: str, en: str) -> InputError:
    return InputError.single(sv, en, field="route")


def route_parse(text: str) -> dict[str, Any] | None:
    """The drawn route (a JSON list of [lon, lat]) as a GeoJSON LineString; blank is none."""
    if not (text or "").strip():
        return None
    try:
        coordinates = json.loads(text)
    except ValueError:
        raise _route_error("Rutten kunde inte läsas.", "The route could not be read.") from None
    if not isinstance(coordinates, list) or not 2 <= len(coordinates) <= MAX_ROUTE_POINTS:
        raise _route_error(
            f"Rutten ska ha mellan 2 och {MAX_ROUTE_POINTS} punkter.",
            f"The route must have between 2 and {MAX_ROUTE_POINTS} points.",
        )
    clean = []
    for pair in coordinates:
        if not (isinstance(pair, list) and len(pair) == 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)):  # fmt: skip
            raise _route_error("Rutten har en punkt som inte är [lon, lat].",
                               "The route has a point that is not [lon, lat].")  # fmt: skip
        lon, lat = float(pair[0]), float(pair[1])
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            raise _route_error("Rutten går utanför Sverige.", "The route leaves Sweden.")
        clean.append([round(lon, 6), round(lat, 6)])
    return {"type": "LineString", "coordinates": clean}


def _check_themes(themes: Iterable[str]) -> list[str]:
    themes = list(dict.fromkeys(themes))
    if not themes or any(t not in Theme.values for t in themes):
        raise InputError.single("Välj minst ett tema ur listan.",
                                "Choose at least one theme from the list.", field="themes")  # fmt: skip
    return themes


def walk_create(
    *, by: Any, organisation: Organisation, area: Any, date: datetime.date, title: str,
    themes: Iterable[str], invited: Iterable[Organisation] = (), residents_count: int = 0,
    residents_note: str = "", route: dict[str, Any] | None = None, is_demo: bool = False,
) -> Walk:  # fmt: skip
    """A planned walk in one of the municipality's areas."""
    if area.municipality_id != organisation.municipality_id:
        raise InputError.single("Området ligger i en annan kommun.",
                                "The area lies in another municipality.", field="area")  # fmt: skip
    with transaction.atomic():
        walk = Walk.objects.create(
            municipality_id=area.municipality_id, organisation=organisation, area=area,
            date=date, title=title, themes=_check_themes(themes), route=route,
            residents_count=residents_count, residents_note=residents_note, is_demo=is_demo,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )  # fmt: skip
        walk.invited.set(list(invited))
        audit_create(actor=by, obj=walk, organisation=organisation)
    return walk


def walk_point_add(
    *, walk: Walk, by: Any, client_key: uuid.UUID, theme: str, note: str = "",
    unsafe: int | None = None, lat: float | None = None, lon: float | None = None,
    photo: IO[bytes] | None = None, recorded: datetime.datetime | None = None,
    is_demo: bool = False,
) -> tuple[WalkPoint, bool]:  # fmt: skip
    """Store a point once per (walk, client key): a repeat returns the first, unchanged,
    with ``False``. The photo is re-encoded without EXIF before anything is stored."""
    existing = WalkPoint.objects.filter(walk=walk, client_key=client_key).first()
    if existing is not None:
        return existing, False
    if theme not in Theme.values:
        raise InputError.single("Välj ett tema.", "Choose a theme.", field="theme")
    if (lat is None) != (lon is None):
        raise InputError.single("Ange både latitud och longitud, eller ingen av dem.",
                                "Give both latitude and longitude, or neither.", field="lat")  # fmt: skip
    content = photo_clean(photo, name=getattr(photo, "name", "foto")) if photo else None
    now = timezone.now()
    point = WalkPoint(
        walk=walk, client_key=client_key, theme=theme, note=note.strip(), unsafe=unsafe,
        lat=lat, lon=lon, recorded=min(recorded or now, now), is_demo=is_demo,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    try:
        with transaction.atomic():
            if content is not None:
                point.photo.save("foto.jpg", content, save=False)
            point.save()
            audit_create(actor=by, obj=point, organisation=walk.organisation)
    except IntegrityError:
        # The same point arrived twice at once: the other request stored it.
        first = WalkPoint.objects.filter(walk=walk, client_key=client_key).first()
        if first is None:
            raise
        return first, False
    return point, True


def _title(point: WalkPoint) -> str:
    text = point.note.strip().split("\n")[0] or point.walk.area.name
    return f"{point.get_theme_display()}: {text}"[:200]


def walk_point_to_deficiency(*, point: WalkPoint, by: Any) -> Deficiency:
    """The point as a deficiency (source "vandring"), routed by the municipality's rules;
    a point that already is one keeps it."""
    with transaction.atomic():
        locked = WalkPoint.objects.select_for_update().select_related("walk__area").get(pk=point.pk)
        if locked.deficiency_id is not None:
            return Deficiency.objects.get(pk=locked.deficiency_id)
        walk = locked.walk
        photo = locked.photo.open("rb") if locked.photo else None
        try:
            deficiency = services.deficiency_create(
                by=by, municipality_id=walk.municipality_id, category=locked.category,
                severity=severity_for(locked.unsafe), title=_title(locked),
                description=locked.note, lat=locked.lat, lon=locked.lon,
                area=None if locked.lat is not None else walk.area,
                place_name=walk.area.name, photo=photo, source=Source.WALK,
                is_demo=locked.is_demo,
            )  # fmt: skip
        finally:
            if photo is not None:
                photo.close()
        before = snapshot(locked)
        locked.deficiency = deficiency
        locked.save(update_fields=["deficiency"])
        audit_update(actor=by, obj=locked, before=before, organisation=walk.organisation,
                     note="deficiency")  # fmt: skip
    return deficiency


def walk_points_to_deficiencies(*, walk: Walk, by: Any, points: Iterable[WalkPoint]) -> int:
    """Several points at once, all or none; the number that became deficiencies now."""
    made = 0
    with transaction.atomic():
        for point in points:
            if point.walk_id != walk.pk:
                raise InputError.single("Punkten hör till en annan vandring.",
                                        "The point belongs to another walk.", field="points")  # fmt: skip
            if point.deficiency_id is None:
                walk_point_to_deficiency(point=point, by=by)
                made += 1
    return made


def walk_point_start_problem(*, point: WalkPoint, by: Any) -> Problem:
    """A Brå-process problem (step 1) for the place, owned by the convening organisation."""
    with transaction.atomic():
        locked = WalkPoint.objects.select_for_update().select_related("walk__area").get(pk=point.pk)
        if locked.problem_id is not None:
            return Problem.objects.get(pk=locked.problem_id)
        walk = locked.walk
        problem = problem_create(
            by=by, organisation=walk.organisation, title=_title(locked),
            description=f"{locked.note}\n\n(Från trygghetsvandringen {walk.title}, {walk.date}.)",
            areas=[walk.area], is_demo=locked.is_demo,
        )  # fmt: skip
        before = snapshot(locked)
        locked.problem = problem
        locked.save(update_fields=["problem"])
        audit_update(actor=by, obj=locked, before=before, organisation=walk.organisation,
                     note="problem")  # fmt: skip
    return problem


def walk_point_photo_screen(*, point: WalkPoint, by: Any, public: bool) -> WalkPoint:
    """A coordinator's judgement that the photo shows no one and may be public (or not)."""
    with transaction.atomic():
        locked = WalkPoint.objects.select_for_update().get(pk=point.pk)
        if not locked.photo:
            raise InputError.single("Punkten har inget foto.", "The point has no photo.",
                                    field="photo")  # fmt: skip
        before = snapshot(locked)
        locked.photo_public = public
        locked.save(update_fields=["photo_public"])
        audit_update(actor=by, obj=locked, before=before, organisation=locked.walk.organisation,
                     note="photo_public")  # fmt: skip
    return locked


def walk_publish(*, walk: Walk, by: Any, publish: bool) -> Walk:
    """Publish the protocol's public page, or take it down."""
    with transaction.atomic():
        locked = Walk.objects.select_for_update().get(pk=walk.pk)
        before = snapshot(locked)
        if publish and locked.published is None:
            locked.published = timezone.now()
        elif not publish:
            locked.published = None
        locked.save(update_fields=["published"])
        audit_update(actor=by, obj=locked, before=before, organisation=locked.organisation,
                     note="publish" if publish else "unpublish")  # fmt: skip
    return locked
