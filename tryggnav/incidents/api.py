"""/api/v1/incidents: list (with the page's filters), create and retrieve.

Same rules as the pages: the list is ``Incident.objects.visible_to(user)``;
creating needs the reporter role in the group (a group you are not in is 404).
Text in the API is always the masked text, and coordinates are given only for
precise incidents.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from tryggnav.areas.models import Area, Place
from tryggnav.incidents import services
from tryggnav.incidents.forms import apply_filters
from tryggnav.incidents.models import Category, Incident
from tryggnav.lib import api_errors, dates
from tryggnav.lib.api_errors import ErrorOut, input_error_payload
from tryggnav.lib.api_types import ExternalId, ReportText, Slug
from tryggnav.lib.errors import Conflict, InputError
from tryggnav.lib.paging import COUNT_LIMIT, BadCursor, Cursor, bounded_count, keyset_page
from tryggnav.organisations.access import get_group
from tryggnav.organisations.idempotency import once

PREFIX = "/incidents"
router = Router(tags=["händelser"])

MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000
# Database ids are 64-bit; a larger number cannot name a row (and overflows SQLite).
MAX_ID = 2**63 - 1

SourceChoice = Literal["form", "police", "file", "api"]
StatusChoice = Literal["submitted", "reviewed", "rejected", "merged"]
PrecisionChoice = Literal["exact", "street", "district", "municipality", "county"]


class IncidentOut(Schema):
    id: UUID
    url: str
    category: str
    category_name: str
    category_group: str
    occurred_from: datetime
    occurred_to: datetime | None
    reported_at: datetime
    lat: float | None
    lon: float | None
    precision: str
    place: str | None
    area: str | None
    area_id: int | None
    municipality_code: str | None
    organisation: str | None
    group: str | None
    sharing: str
    source: str
    external_id: str
    status: str
    merged_into: UUID | None
    text: str
    has_personal_data: bool
    is_generated: bool


class IncidentPage(Schema):
    count: int = Field(
        description=f"högst {COUNT_LIMIT}; se count_exact / at most {COUNT_LIMIT}; see count_exact"
    )
    count_exact: bool = Field(
        description="falskt när fler än count matchar / false when more than count match"
    )
    has_next: bool
    next_cursor: str | None = Field(
        description="ges som cursor för nästa sida / pass as cursor for the next page"
    )
    previous_cursor: str | None = Field(
        description="ges som cursor för föregående sida (null på första sidan) / "
        "pass as cursor for the previous page (null on the first page)"
    )
    page: int = Field(
        description="sidans nummer; 0 när sidan nåddes med cursor / the page's number; "
        "0 when the page was reached by cursor"
    )
    page_size: int
    results: list[IncidentOut]


class IncidentFilters(Schema):
    since: date | None = Field(None, ge=dates.EARLIEST, le=dates.LATEST)
    until: date | None = Field(None, ge=dates.EARLIEST, le=dates.LATEST)
    group: str | None = None
    area: int | None = Field(None, ge=1, le=MAX_ID)
    category: str | None = None
    category_group: str | None = None
    source: SourceChoice | None = None
    status: StatusChoice | None = None
    precision: PrecisionChoice | None = None
    cursor: str | None = Field(
        None,
        max_length=200,
        description="Sidan efter (eller före) en tidigare sida: next_cursor eller "
        "previous_cursor ur svaret. Lika snabb var i listan den än är; går före page. / "
        "The page after (or before) an earlier one: next_cursor or previous_cursor of the "
        "answer. Equally fast wherever it is in the list; takes precedence over page.",
    )
    page: int = Field(
        1,
        ge=1,
        le=MAX_PAGE,
        description="Sidnummer (äldre sätt, långsamt långt in i listan; använd cursor) / "
        "page number (the older way, slow far into the list; use cursor)",
    )
    page_size: int = Field(100, ge=1, description=f"högst / at most {MAX_PAGE_SIZE}")


class IncidentIn(Schema):
    group: Slug
    category: Slug
    occurred_from: datetime
    occurred_to: datetime | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    precision: PrecisionChoice | None = None
    place: UUID | None = None
    area: int | None = Field(None, ge=1, le=MAX_ID)
    text: ReportText = ""
    sharing: Literal["group", "organisation"] = "group"
    organisation: Slug | None = None
    external_id: ExternalId = ""


def _out(incident: Incident) -> dict[str, Any]:
    precise = incident.is_precise
    return {
        "id": incident.public_id,
        "url": incident.get_absolute_url(),
        "category": incident.category.slug,
        "category_name": incident.category.display_name,
        "category_group": incident.category.group,
        "occurred_from": incident.occurred_from,
        "occurred_to": incident.occurred_to,
        "reported_at": incident.reported_at,
        "lat": incident.lat if precise else None,
        "lon": incident.lon if precise else None,
        "precision": incident.precision,
        "place": incident.place.name if incident.place else None,
        "area": incident.area.display_name if incident.area else None,
        "area_id": incident.area_id,
        "municipality_code": incident.municipality_id,
        "organisation": incident.organisation.slug if incident.organisation else None,
        "group": incident.group.slug if incident.group else None,
        "sharing": incident.sharing,
        "source": incident.source,
        "external_id": incident.external_id,
        "status": incident.status,
        "merged_into": incident.merged_into.public_id if incident.merged_into else None,
        # The API always gives the masked text.
        "text": incident.text_for(()),
        "has_personal_data": incident.has_personal_data,
        "is_generated": incident.is_generated,
    }


def _visible(user):
    merged = Prefetch("merged_into", queryset=Incident.objects.only("public_id"))
    return Incident.objects.visible_to(user).with_related().prefetch_related(merged)


@router.get(
    "",
    response={200: IncidentPage, 422: ErrorOut},
    url_name="incidents",
    summary="Händelser du får se, med samma filter som listan",
)
def incident_list(request, filters: Query[IncidentFilters]):
    data = filters.dict()
    if filters.category:
        data["category"] = f"c:{filters.category}"
    elif filters.category_group:
        data["category"] = f"g:{filters.category_group}"
    incidents = apply_filters(_visible(request.user), data)
    page_size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    # A bounded count: an exact COUNT(*) over millions of incidents took seconds.
    count, exact = bounded_count(incidents)
    if filters.cursor:
        try:
            cursor = Cursor.decode(filters.cursor)
        except BadCursor:
            return Status(422, api_errors.payload([BAD_CURSOR]))
        return _keyset(incidents, cursor, page_size, count, exact)
    if filters.page == 1:
        return _keyset(incidents, None, page_size, count, exact)
    start = (filters.page - 1) * page_size
    rows = list(incidents[start : start + page_size + 1])
    return {
        "count": count,
        "count_exact": exact,
        "has_next": len(rows) > page_size,
        "next_cursor": _next_after(rows, page_size),
        "previous_cursor": Cursor(*_key(rows[0]), backward=True).encode() if rows else None,
        "page": filters.page,
        "page_size": page_size,
        "results": [_out(i) for i in rows[:page_size]],
    }


BAD_CURSOR = (
    "Okänd cursor: använd next_cursor eller previous_cursor ur ett svar.",
    "Unknown cursor: use next_cursor or previous_cursor of an answer.",
    "cursor",
)


def _key(incident: Incident) -> tuple[datetime, int]:
    return incident.occurred_from, incident.pk


def _next_after(rows: list[Incident], page_size: int) -> str | None:
    return Cursor(*_key(rows[page_size - 1])).encode() if len(rows) > page_size else None


def _keyset(incidents, cursor: Cursor | None, page_size: int, count: int, exact: bool):
    page = keyset_page(incidents, cursor, page_size)
    return {
        "count": count,
        "count_exact": exact,
        "has_next": page.has_next,
        "next_cursor": page.next.encode() if page.next else None,
        "previous_cursor": page.previous.encode() if page.previous else None,
        "page": 1 if cursor is None else 0,
        "page_size": page_size,
        "results": [_out(i) for i in page.rows],
    }


@router.post(
    "",
    response={201: IncidentOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    url_name="incidents",
    summary="Rapportera en händelse (rapportörsroll i gruppen krävs)",
)
def incident_create(
    request,
    payload: IncidentIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="En engångsnyckel: samma nyckel igen skapar inget nytt (409). / "
        "A one-time key: the same key again creates nothing new (409).",
    ),
):
    try:
        access = get_group(request.user, payload.group, report=True)
    except PermissionDenied:
        raise HttpError(
            403, "Du får inte rapportera i gruppen. / You may not report here."
        ) from None
    memberships = access.reporting_memberships()
    if payload.organisation:
        memberships = [m for m in memberships if m.organisation.slug == payload.organisation]
        if not memberships:
            raise Http404
    category = Category.objects.for_group(access.group).filter(slug=payload.category).first()
    place = Place.objects.filter(public_id=payload.place).first() if payload.place else None
    area = Area.objects.current().filter(pk=payload.area).first() if payload.area else None
    missing = []
    if category is None:
        missing.append(
            ("Okänd kategori för gruppen.", "Unknown category for the group.", "category")
        )
    if payload.place and place is None:
        missing.append(("Okänd plats.", "Unknown place.", "place"))
    if payload.area and area is None:
        missing.append(("Okänt område.", "Unknown area.", "area"))
    if missing or category is None:  # an unknown category is always among the missing
        return Status(422, api_errors.payload(missing))
    try:
        with once(user=request.user, key=idempotency_key) as submission:
            incident = _create(request, payload, access, memberships[0], category, place, area)
            submission.created(incident)
    except Conflict as error:
        return Status(409, input_error_payload(error))
    except InputError as error:
        return Status(422, input_error_payload(error))
    return Status(201, _out(_visible(request.user).get(pk=incident.pk)))


def _create(request, payload: IncidentIn, access, membership, category, place, area) -> Incident:
    precision = payload.precision or (
        Incident.Precision.EXACT
        if payload.lat is not None
        else Incident.Precision.STREET
        if place is not None
        else Incident.Precision.DISTRICT
    )
    return services.incident_create(
        organisation=membership.organisation,
        user=request.user,
        category=category,
        occurred_from=payload.occurred_from,
        occurred_to=payload.occurred_to,
        lat=payload.lat,
        lon=payload.lon,
        precision=precision,
        place=place,
        area=area,
        text=payload.text,
        sharing=payload.sharing,
        group=access.group,
        source=Incident.Source.API,
        external_id=payload.external_id,
    )


@router.get("/{public_id}", response=IncidentOut, url_name="incident", summary="En händelse")
def incident_detail(request, public_id: UUID):
    incident = _visible(request.user).filter(public_id=public_id).first()
    if incident is None:
        raise Http404
    return _out(incident)
