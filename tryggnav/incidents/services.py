"""Writes of incidents and categories: report, review, reject, merge, delete.

Every write records an audit entry and runs inside ``counts.tracking``, which keeps
the weekly counts current (tryggnav.incidents.counts).
Access is checked by the callers (views, API) through tryggnav.organisations.access;
the services check the domain rules (a window is ordered, a merge stays in its group).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from tryggnav.areas import locator
from tryggnav.areas.models import Area, Municipality, Place
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_create, audit_delete, audit_update, mask, snapshot
from tryggnav.incidents import counts
from tryggnav.incidents.models import Category, Incident, IncidentPhoto
from tryggnav.incidents.photos import photo_clean
from tryggnav.lib.errors import Conflict, InputError, Problem, person
from tryggnav.lib.screening import screen
from tryggnav.organisations.models import CollaborationGroup, Organisation

DUPLICATE_RADIUS_M = 250
DUPLICATE_WINDOW = timedelta(hours=24)
# A phone's clock may be a little ahead of the server's.
FUTURE_TOLERANCE = timedelta(minutes=10)


def _problem(sv: str, en: str, field: str) -> Problem:
    return Problem(sv, en, field=field)


def _locate(lat: float | None, lon: float | None) -> tuple[Area | None, str | None]:
    if lat is None or lon is None:
        return None, None
    area = locator.locate_area(lon, lat)
    if area is not None:
        return area, area.municipality_id
    return None, locator.locate_municipalities([lon], [lat])[0]


def _validate_time(occurred_from: datetime, occurred_to: datetime | None) -> list[Problem]:
    problems = []
    now = timezone.now()
    if occurred_from > now + FUTURE_TOLERANCE:
        problems.append(
            _problem(
                "Tidpunkten ligger i framtiden.", "The time is in the future.", "occurred_from"
            )
        )
    if occurred_to is not None and occurred_to < occurred_from:
        problems.append(
            _problem(
                "Tidsfönstrets slut ligger före dess början.",
                "The end of the time window is before its start.",
                "occurred_to",
            )
        )
    if occurred_to is not None and occurred_to > now + FUTURE_TOLERANCE:
        problems.append(
            _problem(
                "Tidsfönstrets slut ligger i framtiden.",
                "The end of the window is in the future.",
                "occurred_to",
            )
        )
    return problems


def _validate_point(lat: float | None, lon: float | None) -> list[Problem]:
    if (lat is None) != (lon is None):
        return [
            _problem("Ange både latitud och longitud.", "Give both latitude and longitude.", "lat")
        ]
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return [_problem("Koordinaterna är ogiltiga.", "The coordinates are invalid.", "lat")]
    return []


def _validate_sharing(
    sharing: str, group: CollaborationGroup | None, organisation: Organisation | None
) -> list[Problem]:
    problems = []
    if sharing not in Incident.Sharing.values:
        problems.append(_problem("Okänd delning.", "Unknown sharing.", "sharing"))
    if sharing == Incident.Sharing.GROUP and group is None:
        problems.append(
            _problem(
                "Välj en samverkansgrupp att dela med.",
                "Choose a collaboration group to share with.",
                "group",
            )
        )
    if (
        group is not None
        and organisation is not None
        and not group.organisations.filter(pk=organisation.pk).exists()
    ):
        problems.append(
            _problem(
                "Organisationen ingår inte i samverkansgruppen.",
                "The organisation is not a member of the collaboration group.",
                "group",
            )
        )
    return problems


def _validate_category(category: Category, group: CollaborationGroup | None) -> list[Problem]:
    if Category.objects.for_group(group).filter(pk=category.pk).exists():
        return []
    return [
        _problem(
            "Kategorin finns inte för den här gruppen.",
            "The category is not available for this group.",
            "category",
        )
    ]


def _validate_location_given(
    lat: float | None, place: Place | None, area: Area | None, precision: str
) -> list[Problem]:
    """A report placed more precisely than its municipality needs a point, place or area."""
    placed_finely = precision in (
        Incident.Precision.EXACT,
        Incident.Precision.STREET,
        Incident.Precision.DISTRICT,
    )
    if lat is not None or place is not None or area is not None or not placed_finely:
        return []
    return [
        _problem(
            "Välj en plats: tryck på kartan, använd din position eller välj en plats eller ett "
            "område.",
            "Choose a location: tap the map, use your position or pick a place or an area.",
            "lat",
        )
    ]


def _resolve_location(
    lat: float | None, lon: float | None, place: Place | None, area: Area | None
) -> tuple[float | None, float | None, Area | None, Municipality | None]:
    """The point (a named place lends its own), the area and the municipality of a report."""
    if lat is None and place is not None:
        lat, lon = place.lat, place.lon
    located_area, municipality_code = _locate(lat, lon)
    if area is None:
        area = located_area or (place.area if place is not None else None)
    if area is not None:
        municipality_code = area.municipality_id
    elif place is not None and municipality_code is None:
        municipality_code = place.municipality_id
    municipality = (
        Municipality.objects.filter(code=municipality_code).first() if municipality_code else None
    )
    return lat, lon, area, municipality


def _save_new_incident(
    incident: Incident, photo_files: list[ContentFile], user: Any, organisation: Organisation | None
) -> None:
    try:
        with counts.tracking(incident):
            incident.save()
            for content in photo_files:
                photo = IncidentPhoto(incident=incident)
                assert content.name is not None  # photo_clean names every file
                photo.image.save(content.name, content, save=True)
            audit_create(actor=user, obj=incident, organisation=organisation)
    except IntegrityError:
        raise InputError.single(
            "Det finns redan en rapport med samma externa id.",
            "A report with the same external id already exists.",
            field="external_id",
        ) from None


def incident_create(
    *,
    organisation: Organisation | None,
    user: Any,
    category: Category,
    occurred_from: datetime,
    occurred_to: datetime | None = None,
    lat: float | None = None,
    lon: float | None = None,
    precision: str,
    place: Place | None = None,
    area: Area | None = None,
    text: str = "",
    sharing: str,
    group: CollaborationGroup | None = None,
    source: str = Incident.Source.FORM,
    external_id: str = "",
    photos: Iterable[IO[bytes]] = (),
    status: str = Incident.Status.SUBMITTED,
) -> Incident:
    """File a report. The area and municipality are found from the point (or the place).

    Without a point, a named place lends its point and a chosen area its own
    identity (the incident then has no point and counts in the area). Raises
    InputError and writes nothing when the input is wrong.
    """
    problems = _validate_time(occurred_from, occurred_to) + _validate_point(lat, lon)
    if precision not in Incident.Precision.values:
        problems.append(_problem("Okänd lägesprecision.", "Unknown precision.", "precision"))
    problems += _validate_sharing(sharing, group, organisation)
    problems += _validate_category(category, group)
    problems += _validate_location_given(lat, place, area, precision)
    if problems:
        raise InputError(problems)

    photo_files = [photo_clean(f, name=getattr(f, "name", "foto")) for f in photos]
    lat, lon, area, municipality = _resolve_location(lat, lon, place, area)
    screening = screen(text)
    incident = Incident(
        category=category,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        reported_at=timezone.now(),
        lat=lat,
        lon=lon,
        precision=precision,
        place=place,
        area=area,
        municipality=municipality,
        county_id=municipality.county_id if municipality else None,
        organisation=organisation,
        reported_by=user if getattr(user, "is_authenticated", False) else None,
        group=group,
        sharing=sharing,
        text=text,
        text_masked=screening.masked,
        has_personal_data=screening.has_personal_data,
        source=source,
        external_id=external_id,
        status=status,
    )
    _save_new_incident(incident, photo_files, user, organisation)
    return incident


def _audit_organisation(incident: Incident) -> Organisation | None:
    if incident.organisation_id is not None:
        return incident.organisation
    return incident.group.lead_organisation if incident.group is not None else None


_HANDLED = {
    Incident.Status.REVIEWED: ("Rapporten är redan granskad", "The report was already reviewed"),
    Incident.Status.REJECTED: ("Rapporten är redan avvisad", "The report was already rejected"),
    Incident.Status.MERGED: (
        "Rapporten är redan sammanslagen med en annan",
        "The report was already merged into another",
    ),
    Incident.Status.SUBMITTED: ("Rapporten har ändrats", "The report has been changed"),
}


def _handled(incident: Incident, *, field: str = "status", kept: bool = False) -> Conflict:
    """ "Already handled by X at T", from the row's review fields."""
    sv, en = _HANDLED[Incident.Status(incident.status)]
    if kept:
        sv, en = (
            "Rapporten som behålls" + sv.removeprefix("Rapporten"),
            ("The report to keep" + en.removeprefix("The report")),
        )
    return Conflict.handled(
        sv, en, who=person(incident.reviewed_by), when=incident.reviewed_at, field=field
    )


def _deleted(incident: Incident, *, field: str = "status") -> Conflict:
    """ "Already deleted by X at T", from the audit log (the row is gone)."""
    entry = AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE,
        object_type=Incident._meta.label_lower,
        object_id=str(incident.public_id),
    ).first()
    return Conflict.handled(
        "Rapporten är redan borttagen",
        "The report was already deleted",
        who=entry.actor_name.split(" <")[0] if entry else "",
        when=entry.at if entry else None,
        field=field,
    )


def _lock(*incidents: Incident, seen: str = "") -> None:
    """Re-read the incidents under row locks (SELECT … FOR UPDATE, in primary-key
    order so two merges of the same pair cannot deadlock), inside the caller's
    transaction. A second coordinator acting at the same time waits here and then
    sees what the first did, instead of overwriting it. ``seen`` is the first
    incident's ``state_token`` as the page showed it: a decision on a report that
    has been handled since is refused (SQLite has no row locks, but its writes are
    serialised, so the re-read still sees the first decision)."""
    locking = Incident.objects.select_for_update()
    for incident in sorted(incidents, key=lambda i: i.pk):
        try:
            incident.refresh_from_db(from_queryset=locking)
        except Incident.DoesNotExist:
            raise _deleted(
                incident, field="status" if incident is incidents[0] else "into"
            ) from None
    if seen and seen != incidents[0].state_token:
        raise _handled(incidents[0])


def incident_review(
    *,
    incident: Incident,
    by: Any,
    category: Category | None = None,
    area: Area | None = None,
    occurred_from: datetime | None = None,
    occurred_to: datetime | None = None,
    note: str = "",
    seen: str = "",
) -> Incident:
    """Mark a submitted report reviewed, correcting its category, area or time if given.

    ``seen`` (here and in the other decisions) is the ``state_token`` the coordinator's
    page showed; see ``_lock``."""
    with counts.tracking() as track:
        _lock(incident, seen=seen)
        if incident.status not in (Incident.Status.SUBMITTED, Incident.Status.REVIEWED):
            raise _handled(incident)
        new_from = occurred_from or incident.occurred_from
        new_to = occurred_to if occurred_from is not None else incident.occurred_to
        problems = _validate_time(new_from, new_to) if occurred_from is not None else []
        if (
            category is not None
            and not Category.objects.for_group(incident.group).filter(pk=category.pk).exists()
        ):
            problems.append(
                _problem(
                    "Kategorin finns inte för den här gruppen.",
                    "The category is not available for this group.",
                    "category",
                )
            )
        if problems:
            raise InputError(problems)
        track.watch(incident)
        before = snapshot(incident)
        if category is not None:
            incident.category = category
        if area is not None and area.pk != incident.area_id:
            incident.area = area
            incident.municipality_id = area.municipality_id
            incident.county_id = area.municipality.county_id
        incident.occurred_from, incident.occurred_to = new_from, new_to
        _decide(incident, Incident.Status.REVIEWED, by)
        audit_update(
            actor=by,
            obj=incident,
            before=before,
            organisation=_audit_organisation(incident),
            action=AuditEntry.Action.REVIEW,
            note=mask(note),
        )
    return incident


def _decide(incident: Incident, status: str, by: Any) -> None:
    incident.status = status
    incident.reviewed_by = by
    incident.reviewed_at = timezone.now()
    incident.save()


def incident_reject(*, incident: Incident, by: Any, reason: str, seen: str = "") -> Incident:
    """Reject a submitted report with a reason; it stays with its organisation, out of counts."""
    reason = (reason or "").strip()
    if not reason:
        raise InputError.single(
            "Ange ett skäl för avvisningen.", "Give a reason for the rejection.", field="reason"
        )
    with counts.tracking() as track:
        _lock(incident, seen=seen)
        if incident.status not in (Incident.Status.SUBMITTED, Incident.Status.REVIEWED):
            raise _handled(incident)
        track.watch(incident)
        before = snapshot(incident)
        incident.rejection_reason = reason[:300]
        _decide(incident, Incident.Status.REJECTED, by)
        audit_update(
            actor=by,
            obj=incident,
            before=before,
            organisation=_audit_organisation(incident),
            action=AuditEntry.Action.REJECT,
            note=mask(reason),
        )
    return incident


def _check_merge(incident: Incident, into: Incident) -> None:
    """The rules of a merge, on the locked rows: no merging into itself, across
    groups, or into a report that is itself merged (no chains, no cycles)."""
    if into.pk == incident.pk:
        raise InputError.single(
            "En rapport kan inte slås ihop med sig själv.",
            "A report cannot be merged with itself.",
            field="into",
        )
    if incident.status in (Incident.Status.MERGED, Incident.Status.REJECTED):
        raise _handled(incident)
    if into.status in (Incident.Status.MERGED, Incident.Status.REJECTED):
        raise _handled(into, field="into", kept=True)
    if into.group_id != incident.group_id or incident.group_id is None:
        raise InputError.single(
            "Rapporterna hör inte till samma samverkansgrupp.",
            "The reports do not belong to the same collaboration group.",
            field="into",
        )


def incident_merge(*, incident: Incident, into: Incident, by: Any, seen: str = "") -> Incident:
    """Merge a duplicate into the report that is kept; the duplicate points to it."""
    with counts.tracking() as track:
        _lock(incident, into, seen=seen)
        _check_merge(incident, into)
        track.watch(incident)
        before = snapshot(incident)
        incident.merged_into = into
        _decide(incident, Incident.Status.MERGED, by)
        # Earlier duplicates of this one now point at the kept report directly.
        Incident.objects.filter(merged_into=incident).update(merged_into=into)
        audit_update(
            actor=by,
            obj=incident,
            before=before,
            organisation=_audit_organisation(incident),
            action=AuditEntry.Action.MERGE,
            note=f"→ {into.public_id}",
        )
    return incident


def incident_delete(*, incident: Incident, by: Any) -> None:
    """Withdraw a report that has not been reviewed yet."""
    with counts.tracking() as track:
        _lock(incident)
        if incident.status != Incident.Status.SUBMITTED:
            raise _handled(incident)
        track.watch(incident)
        audit_delete(actor=by, obj=incident, organisation=_audit_organisation(incident))
        for photo in incident.photos.all():
            photo.image.delete(save=False)
        incident.delete()


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def incident_merge_choices(
    *, queryset, incident: Incident, window: timedelta = timedelta(days=14), limit: int = 25
) -> list[Incident]:
    """Reports ``incident`` could be merged into when no duplicate is suggested: the
    group's open reports of the two weeks around it, same category first, then the
    nearest in time (a pick-list instead of typing a report's code)."""
    at = incident.occurred_from
    candidates = (
        queryset.filter(occurred_from__range=(at - window, at + window))
        .exclude(status__in=[Incident.Status.MERGED, Incident.Status.REJECTED])
        .exclude(pk=incident.pk)
        .select_related("category", "organisation", "area")
        .order_by("-occurred_from")[:200]
    )
    return sorted(
        candidates,
        key=lambda other: (
            other.category_id != incident.category_id,
            abs((other.occurred_from - at).total_seconds()),
        ),
    )[:limit]


def incident_duplicates(
    *,
    queryset,
    category: Category,
    lat: float,
    lon: float,
    at: datetime,
    radius_m: float = DUPLICATE_RADIUS_M,
    window: timedelta = DUPLICATE_WINDOW,
    exclude: Incident | None = None,
    limit: int = 5,
) -> list[tuple[Incident, float]]:
    """Possible duplicates among ``queryset`` (what the user may see): same category,
    within ``radius_m`` and ``window`` of the report, nearest first, with distances."""
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    candidates = (
        queryset.filter(
            category=category,
            lat__range=(lat - dlat, lat + dlat),
            lon__range=(lon - dlon, lon + dlon),
            occurred_from__range=(at - window, at + window),
        )
        .exclude(status__in=[Incident.Status.MERGED, Incident.Status.REJECTED])
        .select_related("category", "organisation", "area")
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    found = []
    for incident in candidates[:200]:
        distance = _distance_m(lat, lon, incident.lat, incident.lon)
        if distance <= radius_m:
            found.append((incident, distance))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]


def category_create(
    *,
    group: CollaborationGroup,
    by: Any,
    name: str,
    category_group: str,
    description: str = "",
    name_en: str = "",
) -> Category:
    """Add a category of the group's own to the default list."""
    name = (name or "").strip()
    slug = slugify(name)[:80]
    if not slug:
        raise InputError.single("Ange ett namn.", "Give a name.", field="name")
    if Category.objects.filter(slug=slug, collaboration_group__in=[group]).exists() or (
        Category.objects.filter(slug=slug, collaboration_group__isnull=True).exists()
    ):
        raise InputError.single(
            "Det finns redan en kategori med det namnet.",
            "A category with that name exists.",
            field="name",
        )
    with transaction.atomic():
        category = Category.objects.create(
            slug=slug,
            name=name,
            name_en=(name_en or "").strip(),
            group=category_group,
            description=description,
            collaboration_group=group,
        )
        audit_create(actor=by, obj=category, organisation=group.lead_organisation)
    return category


def category_set_active(*, category: Category, active: bool, by: Any) -> Category:
    """Deactivate (or reactivate) one of a group's own categories; reports keep it."""
    with transaction.atomic():
        before = snapshot(category)
        category.active = active
        category.save(update_fields=["active"])
        audit_update(
            actor=by,
            obj=category,
            before=before,
            organisation=category.collaboration_group.lead_organisation
            if category.collaboration_group
            else None,
        )
    return category
