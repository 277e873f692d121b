"""Importing the police's public events feed (the polisen.se/api/events format).

Quirks of the feed, and how each is handled (docs/data-formats.md has the details):

- ``datetime`` has an unpadded hour ("2026-08-22 9:48:12 +02:00"): parsed by a
  regular expression, not ``strptime``.
- ``location.gps`` is the centre of the municipality or county, never the place:
  stored with precision municipality or county, never exact.
- From February 2026 ``location.name`` is the county; the municipality is then
  the last comma-separated part of ``name``.
- Five municipality names differ in case from SCB's ("Upplands väsby"): names are
  matched case-insensitively.
- "Sammanfattning …" events summarise several incidents: kept, ``is_summary``,
  excluded from counts.
- The time of the incident is in ``name`` ("20 mars 10:42" or "10.42", without a
  year); ``datetime`` is when it was published.

Re-importing a file changes nothing: each row keeps a hash of its event JSON (and
full text), and only events whose hash differs are written.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from tryggnav.areas.models import County, Municipality
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.incidents import counts
from tryggnav.incidents.importers.common import (
    BATCH,
    FIRST_YEAR,
    LAST_YEAR,
    MONTHS,
    PROGRESS,
    STOCKHOLM,
    FastInserter,
    ImportSummary,
    Progress,
    in_future,
    mask_text,
    outside_years,
)
from tryggnav.incidents.importers.districts import DistrictMatcher, district_matchers
from tryggnav.incidents.models import Category, ImportJob, Incident, PoliceTypeMapping
from tryggnav.incidents.taxonomy import FALLBACK_CATEGORY, taxonomy_ensure
from tryggnav.lib import imports
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import load_json, read_bytes
from tryggnav.lib.imports import ImportFormat, Policy, Row, Sample, write_rows

POLICE_URL = "https://polisen.se"
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2}) ?([+-])(\d{2}):?(\d{2})")
_NAME_TIME = re.compile(r"(\d{1,2}) ([a-zåäö]+) (\d{1,2})[.:](\d{2})\b", re.IGNORECASE)
# Ids are ASCII digits, short enough for the external_id column (and for int()).
_ID = re.compile(r"[0-9]{1,30}")
MAX_ROW_PROBLEMS = 1000
EVENT_HASH = 48
# The fields the importer writes; an update touches these only.
UPDATE_FIELDS = [
    "category",
    "occurred_from",
    "reported_at",
    "lat",
    "lon",
    "precision",
    "area",
    "municipality",
    "county",
    "text",
    "text_masked",
    "has_personal_data",
    "source_hash",
    "source_url",
    "police_type",
    "is_summary",
    "updated",
]


_MUNICIPALITY = Incident.Precision.MUNICIPALITY
_COUNTY = Incident.Precision.COUNTY
_OFFSETS: dict[str, datetime.tzinfo] = {}
_ONE_DAY = datetime.timedelta(days=1)


_mask = mask_text


def _offset(text: str) -> datetime.tzinfo | None:
    """ "+02:00" as a timezone, cached: the feed has two offsets, so two objects."""
    zone = _OFFSETS.get(text)
    if zone is None:
        if len(text) != 6 or text[0] not in "+-" or text[3] != ":":
            return None
        digits = text[1:3] + text[4:6]
        if not (digits.isascii() and digits.isdigit()):
            return None
        delta = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        zone = _OFFSETS[text] = datetime.timezone(-delta if text[0] == "-" else delta)
    return zone


def parse_feed_datetime(value: str) -> datetime.datetime | None:
    """``"2026-08-22 9:48:12 +02:00"`` (hour not zero-padded) as an aware datetime.

    The common forms are read by slicing (a regular expression per event costs more
    than the rest of the parsing); anything else goes through the full pattern.
    """
    if not isinstance(value, str):
        return None
    if len(value) == 25 and value[12] == ":":
        value = value[:11] + "0" + value[11:]  # the unpadded hour
    if (
        len(value) == 26
        and value[4] == "-"
        and value[7] == "-"
        and value[10] == " "
        and value[13] == ":"
        and value[16] == ":"
        and value[19] == " "
    ):
        digits = value[0:4] + value[5:7] + value[8:10] + value[11:13] + value[14:16] + value[17:19]
        zone = _offset(value[20:])
        if zone is not None and digits.isascii() and digits.isdigit():
            try:
                return datetime.datetime(
                    int(digits[0:4]),
                    int(digits[4:6]),
                    int(digits[6:8]),
                    int(digits[8:10]),
                    int(digits[10:12]),
                    int(digits[12:14]),
                    tzinfo=zone,
                )
            except ValueError:
                return None
    match = _DATETIME.fullmatch(value.strip())
    if not match:
        return None
    y, mo, d, h, mi, s, sign, oh, om = match.groups()
    offset = datetime.timedelta(hours=int(oh), minutes=int(om))
    try:
        return datetime.datetime(
            int(y),
            int(mo),
            int(d),
            int(h),
            int(mi),
            int(s),
            tzinfo=datetime.timezone(-offset if sign == "-" else offset),
        )
    except ValueError:
        return None


_SUMMER_TIME: dict[int, tuple[datetime.datetime, datetime.datetime]] = {}
_WINTER = datetime.timedelta(hours=1)
_SUMMER = datetime.timedelta(hours=2)


def stockholm_naive(moment: datetime.datetime) -> datetime.datetime:
    """Swedish local time of an aware datetime, naive.

    The EU rule (since 1996): summer time from the last Sunday of March 01:00 UTC to
    the last Sunday of October 01:00 UTC. A few comparisons instead of zoneinfo's
    conversion, which costs more than the rest of parsing an event's time.
    """
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("naive datetime")
    utc = moment.replace(tzinfo=None) - offset
    year = utc.year
    if year < 1996:
        return moment.astimezone(STOCKHOLM).replace(tzinfo=None)
    bounds = _SUMMER_TIME.get(year)
    if bounds is None:
        march = 31 - (datetime.date(year, 3, 31).weekday() + 1) % 7
        october = 31 - (datetime.date(year, 10, 31).weekday() + 1) % 7
        bounds = _SUMMER_TIME[year] = (
            datetime.datetime(year, 3, march, 1),
            datetime.datetime(year, 10, october, 1),
        )
    return utc + (_SUMMER if bounds[0] <= utc < bounds[1] else _WINTER)


def occurred_from_name(name: str, published: datetime.datetime) -> datetime.datetime | None:
    """The incident's time from ``name`` ("20 mars 10:42, …"), in the year of publication.

    The name has no year: an event from late December published in January belongs
    to the year before.
    """
    match = _NAME_TIME.match(name)
    if not match:
        return None
    day, month_name, hour, minute = match.groups()
    month = MONTHS.get(month_name.lower())
    if month is None:
        return None
    # Compared as naive local times: cheaper than aware comparisons, and the day of
    # tolerance makes the hour a DST change could shift irrelevant.
    local = stockholm_naive(published)
    limit = local + _ONE_DAY
    for year in (local.year, local.year - 1):
        try:
            moment = datetime.datetime(year, month, int(day), int(hour), int(minute))
        except ValueError:
            return None
        if moment <= limit:
            return moment.replace(tzinfo=STOCKHOLM)
    return None


@dataclass
class _Geography:
    municipalities: dict[str, Municipality]  # lower-case short name → municipality
    counties: dict[str, County]  # lower-case "stockholms län" → county

    @classmethod
    def load(cls) -> _Geography:
        return cls(
            municipalities={
                m.short_name.lower(): m for m in Municipality.objects.defer("geometry")
            },
            counties={c.name.lower(): c for c in County.objects.defer("geometry")},
        )


def _load_json(path: Path, *, what: str, filename: str | None = None) -> Any:
    filename = filename or path.name
    return load_json(
        read_bytes(path, filename=filename), filename=filename, what=what, what_en=what
    )


def load_fulltexts(path: Path) -> dict[str, str]:
    """Full report texts, ``[{"id": …, "body_text": …}]``, by event id."""
    data = _load_json(path, what="Fulltextfilen")
    if not isinstance(data, list):
        raise InputError.single(
            "Fulltextfilen ska vara en JSON-lista med {id, body_text}.",
            "The full-text file must be a JSON list of {id, body_text}.",
            file=path.name,
        )
    texts: dict[str, str] = {}
    for row, item in enumerate(data, start=1):
        if (
            not isinstance(item, dict)
            or "id" not in item
            or not isinstance(item.get("body_text"), str)
        ):
            raise InputError.single(
                "Posten saknar id eller body_text.",
                "The record lacks id or body_text.",
                file=path.name,
                row=row,
                field="body_text",
            )
        texts[str(item["id"])] = item["body_text"].strip()
    return texts


# Separates the events in one json.dumps of the whole list; a string element cannot
# occur inside an event's encoding, where every quote in a value is escaped.
_SPLIT = "\u0000tryggnav-event-boundary\u0000"


def _canonical_events(events: list[Any]) -> list[str]:
    """``json.dumps(event, sort_keys=True, ensure_ascii=False)`` of every event.

    Encoding the whole list in one call is half the cost of one call per event.
    """
    if not events:
        return []
    interleaved: list[Any] = []
    for event in events:
        interleaved.append(event)
        interleaved.append(_SPLIT)
    text = json.dumps(interleaved[:-1], sort_keys=True, ensure_ascii=False)
    separator = ", " + json.dumps(_SPLIT) + ", "
    parts = text[1:-1].split(separator)
    if len(parts) != len(events):  # cannot happen; never hash the wrong event
        return [json.dumps(e, sort_keys=True, ensure_ascii=False) for e in events]
    return parts


@dataclass(slots=True)
class PoliceRecord:
    """A valid event of the police feed as an incident's values, and the texts that place
    it in a district."""

    external_id: str
    source_hash: str
    category_id: int | None
    occurred_from: datetime.datetime
    reported_at: datetime.datetime
    lat: float
    lon: float
    precision: str
    municipality_id: str | None
    county_id: str
    text: str
    source_url: str
    police_type: str
    is_summary: bool
    # What the district matcher reads; not stored.
    name: str
    summary: str
    fulltext: str
    area_id: int | None = None

    def values(self) -> dict[str, Any]:
        """The incident's fields this event sets."""
        return {
            "category_id": self.category_id,
            "occurred_from": self.occurred_from,
            "reported_at": self.reported_at,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
            "area_id": self.area_id,
            "municipality_id": self.municipality_id,
            "county_id": self.county_id,
            "text": self.text,
            "source_url": self.source_url,
            "police_type": self.police_type,
            "is_summary": self.is_summary,
        }


def _event_problem(sv: str, en: str, *, filename: str, row: int, field: str, event_id: Any):
    suffix_sv = f" (händelse {event_id})" if event_id is not None else ""
    suffix_en = f" (event {event_id})" if event_id is not None else ""
    return Problem(sv + suffix_sv, en + suffix_en, file=filename, row=row, field=field)


class _Refused(Exception):
    """An event that cannot be imported: why (Swedish, English) and which field."""

    def __init__(self, sv: str, en: str, field: str) -> None:
        super().__init__(en)
        self.sv, self.en, self.field = sv, en, field


@dataclass
class _Events:
    """The events of a file after validation."""

    rows: list[Row[PoliceRecord]]  # the new or changed events, and those with errors
    unchanged: int = 0
    unchanged_summaries: int = 0


@dataclass
class _Checking:
    """What validating events needs besides the events."""

    filename: str
    fulltexts: dict[str, str]
    geography: _Geography
    categories: dict[str, int]
    existing: dict[str, tuple[int, str, int]]
    now: datetime.datetime


def _parse_events(events: list[Any], *, checking: _Checking, progress: Progress | None) -> _Events:
    """Validate and read the events that are new or changed.

    An event whose hash and category equal the stored ones was valid when it was
    imported and is not parsed again, which makes a re-import cheap. A later event
    with the same id wins.
    """
    # external id → parsed row, or None when unchanged (then: whether a summary).
    outcome: dict[str, Row[PoliceRecord] | bool] = {}
    errors: list[Row[PoliceRecord]] = []
    canonical = _canonical_events(events)
    total = len(events)
    for row, event in enumerate(events, start=1):
        if progress and row % BATCH == 0:
            progress(row // 2, total)
        if len(errors) >= MAX_ROW_PROBLEMS:
            break
        external_id, error = _event_id(event, row, checking.filename)
        if error is not None:
            errors.append(Row(row, errors=[error]))
            continue
        parsed = _parse_or_skip(event, row, external_id, canonical[row - 1], checking)
        if isinstance(parsed, Row) and parsed.errors:
            errors.append(parsed)
        else:
            outcome[external_id] = parsed
    rows = [parsed for parsed in outcome.values() if isinstance(parsed, Row)]
    skipped = [parsed for parsed in outcome.values() if not isinstance(parsed, Row)]
    return _Events(errors + rows, unchanged=len(skipped), unchanged_summaries=sum(skipped))


def _event_id(event: Any, row: int, filename: str) -> tuple[str, Problem | None]:
    """The event's id as stored (ASCII digits), or the problem with it."""
    if not isinstance(event, dict):
        return "", Problem(
            "Posten är inget JSON-objekt.",
            "The record is not a JSON object.",
            file=filename,
            row=row,
        )
    event_id = event.get("id")
    if (
        isinstance(event_id, bool)
        or not isinstance(event_id, (int, str))
        or not _ID.fullmatch(str(event_id))
    ):
        return "", _event_problem(
            "id saknas eller är inget heltal.",
            "id is missing or not an integer.",
            filename=filename,
            row=row,
            field="id",
            event_id=event_id,
        )
    return str(int(event_id)), None


def _parse_or_skip(
    event: dict[str, Any], row: int, external_id: str, canonical: str, checking: _Checking
) -> Row[PoliceRecord] | bool:
    """The event's row, or (unchanged since the last import) whether it is a summary."""
    fulltext = checking.fulltexts.get(external_id, "")
    # 48 hex digits for the event, 16 for its full text when given: an import
    # without full texts (the live feed) compares the event part only.
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:EVENT_HASH]
    if fulltext:
        digest += hashlib.sha256(fulltext.encode()).hexdigest()[:16]
    police_type = event.get("type")
    current = checking.existing.get(external_id)
    if current is not None and isinstance(police_type, str):
        stored = current[1] if fulltext else current[1][:EVENT_HASH]
        stripped_type = police_type.strip()
        if stored == digest and current[2] == checking.categories.get(stripped_type):
            return stripped_type.lower().startswith("sammanfattning")
    try:
        record = _parse_event(event, external_id, digest, fulltext, checking)
    except _Refused as refused:
        problem = _event_problem(
            refused.sv,
            refused.en,
            filename=checking.filename,
            row=row,
            field=refused.field,
            event_id=event.get("id"),
        )
        return Row(row, errors=[problem])
    return Row(row, record)


def _published(event: dict[str, Any], now: datetime.datetime) -> datetime.datetime:
    if not ("datetime" in event and "name" in event and "type" in event and "location" in event):
        missing = [f for f in ("datetime", "name", "type", "location") if f not in event]
        raise _Refused("Obligatoriskt fält saknas.", "A required field is missing.", missing[0])
    published = parse_feed_datetime(event["datetime"])
    if published is None:
        raise _Refused(
            f"Ogiltig tidpunkt {str(event['datetime'])[:40]!r};"
            " väntat t.ex. '2026-08-22 9:48:12 +02:00'.",
            f"Invalid time {str(event['datetime'])[:40]!r};"
            " expected e.g. '2026-08-22 9:48:12 +02:00'.",
            "datetime",
        )
    if outside_years(published):
        raise _Refused(
            f"Tidpunkten {event['datetime']} ligger utanför åren {FIRST_YEAR}–{LAST_YEAR}.",
            f"The time {event['datetime']} is outside the years {FIRST_YEAR}–{LAST_YEAR}.",
            "datetime",
        )
    if in_future(published, now):
        raise _Refused(
            f"Tidpunkten {event['datetime']} ligger i framtiden.",
            f"The time {event['datetime']} is in the future.",
            "datetime",
        )
    return published


def _gps(location: dict[str, Any]) -> tuple[float, float]:
    try:
        lat_text, lon_text = str(location.get("gps", "")).split(",")
        lat, lon = float(lat_text), float(lon_text)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
    except ValueError:
        raise _Refused(
            f"Ogiltiga koordinater {str(location.get('gps'))[:40]!r}; väntat 'lat,lng'.",
            f"Invalid coordinates {str(location.get('gps'))[:40]!r}; expected 'lat,lng'.",
            "location.gps",
        ) from None
    return lat, lon


@dataclass(slots=True)
class _Where:
    municipality_id: str | None
    county_id: str
    lat: float
    lon: float
    precision: str


def _where(location: Any, name: str, geography: _Geography) -> _Where:
    """The event's municipality (or only its county) and point."""
    if not isinstance(location, dict) or not isinstance(location.get("name"), str):
        raise _Refused("location.name saknas.", "location.name is missing.", "location.name")
    lat, lon = _gps(location)
    place = location["name"].strip().lower()
    municipality = geography.municipalities.get(place)
    if municipality is not None:
        return _Where(municipality.code, municipality.county_id, lat, lon, _MUNICIPALITY)
    county = geography.counties.get(place)
    if county is None:
        raise _Refused(
            f"Okänd kommun eller okänt län {location['name'][:60]!r}.",
            f"Unknown municipality or county {location['name'][:60]!r}.",
            "location.name",
        )
    # From February 2026: the county in location, the municipality last in name.
    candidate = geography.municipalities.get(name.rsplit(",", 1)[-1].strip().lower())
    if candidate is None or candidate.county_id != county.code:
        return _Where(None, county.code, lat, lon, _COUNTY)
    # A county-level gps is not the municipality's centre: use the municipality's.
    if candidate.centroid_lat is not None and candidate.centroid_lon is not None:
        lat, lon = candidate.centroid_lat, candidate.centroid_lon
    return _Where(candidate.code, candidate.county_id, lat, lon, _MUNICIPALITY)


def _parse_event(
    event: dict[str, Any], external_id: str, digest: str, fulltext: str, checking: _Checking
) -> PoliceRecord:
    """One event as a record; _Refused naming the field when it cannot be imported."""
    published = _published(event, checking.now)
    name, police_type = event["name"], event["type"]
    if not isinstance(name, str) or not isinstance(police_type, str) or not police_type:
        raise _Refused("name och type ska vara text.", "name and type must be text.", "type")
    where = _where(event["location"], name, checking.geography)
    summary = event.get("summary") or ""
    url = event.get("url") or ""
    if not isinstance(summary, str) or not isinstance(url, str):
        field = "summary" if not isinstance(summary, str) else "url"
        raise _Refused(f"{field} ska vara text.", f"{field} must be text.", field)
    text = f"{summary.strip()}\n\n{fulltext}".strip() if fulltext else summary.strip()
    stripped_type = police_type.strip()
    return PoliceRecord(
        external_id=external_id,
        source_hash=digest,
        category_id=checking.categories.get(stripped_type),
        occurred_from=occurred_from_name(name, published) or published,
        reported_at=published,
        lat=where.lat,
        lon=where.lon,
        precision=where.precision,
        municipality_id=where.municipality_id,
        county_id=where.county_id,
        text=text,
        source_url=(POLICE_URL + url)[:500] if url else "",
        police_type=stripped_type[:120],
        is_summary=stripped_type.lower().startswith("sammanfattning"),
        name=name,
        summary=summary,
        fulltext=fulltext,
    )


def _category_map(types: set[str]) -> dict[str, int]:
    """Police type → category id; types new to the mapping table get the fallback category.

    The new mappings are rows of the editable table, so an administrator can
    re-map them afterwards.
    """
    mapping = dict(PoliceTypeMapping.objects.values_list("police_type", "category_id"))
    new = sorted(t for t in types if t not in mapping)
    if new:
        fallback = Category.objects.get(slug=FALLBACK_CATEGORY, collaboration_group__isnull=True)
        PoliceTypeMapping.objects.bulk_create(
            [PoliceTypeMapping(police_type=t[:120], category=fallback) for t in new],
            ignore_conflicts=True,
        )
        mapping.update({t: fallback.pk for t in new})
    return mapping


def read_events(path: Path, *, filename: str | None = None) -> list[Any]:
    """The events of a police file (a JSON array, plain or gzip); InputError if it is none."""
    filename = filename or path.name
    data = _load_json(path, what="Filen", filename=filename)
    if not isinstance(data, list):
        raise InputError.single(
            "Filen har fel format: väntat en JSON-lista med händelser från polisen.se/api/events.",
            "Wrong format: expected a JSON list of events from polisen.se/api/events.",
            file=filename,
        )
    if not data:
        raise InputError.single(
            "Filen innehåller inga händelser.", "The file has no events.", file=filename
        )
    return data


def police_import(
    *,
    path: Path,
    fulltext_path: Path | None = None,
    by: Any = None,
    job: ImportJob | None = None,
    progress: Progress | None = None,
    filename: str | None = None,
) -> ImportSummary:
    """Import a police events file (JSON array, plain or gzip), all or nothing.

    Events are matched on their id; an unchanged event is left alone, a newer
    version updates the row. Raises InputError naming file, row and field.
    """
    filename = filename or path.name
    data = read_events(path, filename=filename)
    fulltexts = load_fulltexts(fulltext_path) if fulltext_path else {}
    taxonomy_ensure()
    types = {
        e["type"].strip() for e in data if isinstance(e, dict) and isinstance(e.get("type"), str)
    }
    total = len(data)
    with transaction.atomic():
        checking = _Checking(
            filename=filename,
            fulltexts=fulltexts,
            geography=_Geography.load(),
            categories=_category_map(types),
            existing=_existing(),
            now=timezone.now(),
        )
        events = _parse_events(data, checking=checking, progress=progress)
        del data
        return _write(events, checking, total=total, job=job, by=by, progress=progress)


def _existing() -> dict[str, tuple[int, str, int]]:
    """The imported events: id → (pk, hash, category)."""
    return {
        external_id: (pk, source_hash, category_id)
        for external_id, pk, source_hash, category_id in Incident.objects.filter(
            source=Incident.Source.POLICE_FEED
        ).values_list("external_id", "pk", "source_hash", "category_id")
    }


def _write(
    events: _Events,
    checking: _Checking,
    *,
    total: int,
    job: ImportJob | None,
    by: Any,
    progress: Progress | None,
) -> ImportSummary:
    """Write the events through the import writer, all or nothing (rows with errors come
    first, so a file with any is refused before anything is written)."""
    summary = ImportSummary(unchanged=events.unchanged, summaries=events.unchanged_summaries)
    done = total - len(events.rows)

    def report(processed: int, _total: int) -> None:
        if progress:
            progress(total // 2 + (done + processed) // 2, total)

    with counts.tracking() as track:
        sink = _PoliceSink(summary=summary, existing=checking.existing, track=track)
        write_rows(
            events.rows,
            sink=sink,
            policy=Policy.ALL_OR_NOTHING,
            progress=report,
            total=len(events.rows),
            audit=lambda written: _job_done(
                summary, job=job, by=by, filename=checking.filename, total=total, placed=sink.placed
            ),
        )
    return summary


class _PoliceSink:
    """Writes police records: placed in districts, new ones inserted in bulk, changed ones
    updated (keeping the full text of an earlier import)."""

    def __init__(
        self,
        *,
        summary: ImportSummary,
        existing: dict[str, tuple[int, str, int]],
        track: counts.Tracker,
    ) -> None:
        self.summary, self.existing, self.track = summary, existing, track
        self.inserter = FastInserter(Incident)
        self.matchers: dict[str, DistrictMatcher | None] = {}
        self.changed: dict[int, PoliceRecord] = {}
        self.placed = 0

    def write(self, records: list[PoliceRecord]) -> None:
        self._place(records)
        new: list[dict[str, Any]] = []
        for record in records:
            self.summary.summaries += record.is_summary
            current = self.existing.get(record.external_id)
            if current is None:
                new.append(_new_row(record))
            elif _same(current, record):
                self.summary.unchanged += 1
            else:
                self.changed[current[0]] = record
        self.inserter.insert(new)
        self.track.inserted(new)
        self.summary.created += len(new)

    def _place(self, records: list[PoliceRecord]) -> None:
        """Set area and district precision where the texts name one district."""
        codes = {r.municipality_id for r in records if r.municipality_id}
        unknown = codes - set(self.matchers)
        if unknown:
            found = district_matchers(unknown)
            self.matchers.update({code: found.get(code) for code in unknown})
        for record in records:
            matcher = self.matchers.get(record.municipality_id or "")
            if matcher is None or record.is_summary:
                continue
            district = matcher.best(record.name, record.summary, record.fulltext)
            if district is not None:
                record.area_id = district.pk
                record.precision = Incident.Precision.DISTRICT
                record.lat, record.lon = district.lat, district.lon
                self.placed += 1

    def finish(self) -> None:
        pks = list(self.changed)
        for start in range(0, len(pks), BATCH // 4):
            incidents = list(Incident.objects.filter(pk__in=pks[start : start + BATCH // 4]))
            self.track.watch(*incidents)
            for incident in incidents:
                _apply(incident, self.changed[incident.pk])
            Incident.objects.bulk_update(incidents, UPDATE_FIELDS)
            self.track.settle()
        self.summary.updated += len(pks)


def _same(current: tuple[int, str, int], record: PoliceRecord) -> bool:
    _pk, source_hash, category_id = current
    if record.fulltext:
        same = source_hash == record.source_hash
    else:
        same = source_hash[:EVENT_HASH] == record.source_hash
    return same and category_id == record.category_id


def _job_done(
    summary: ImportSummary,
    *,
    job: ImportJob | None,
    by: Any,
    filename: str,
    total: int,
    placed: int,
) -> None:
    """Record the finished import on its job, and audit it."""
    if job is None:
        job = ImportJob(kind="police", filename=filename[:255], created_by=by)
    job.state = ImportJob.State.DONE
    job.total = job.processed = total
    job.summary = {**summary.as_dict(), "districts": placed}
    job.finished = timezone.now()
    job.save()
    audit_record(
        actor=by,
        action=AuditEntry.Action.IMPORT,
        obj=job,
        changes={"summary": job.summary},
        note=f"{filename}: {summary}",
    )


def _new_row(record: PoliceRecord) -> dict[str, Any]:
    masked, personal = _mask(record.text)
    return {
        **record.values(),
        "source": Incident.Source.POLICE_FEED,
        "external_id": record.external_id,
        "status": Incident.Status.REVIEWED,
        "sharing": Incident.Sharing.GROUP,
        "group_id": None,
        "source_hash": record.source_hash,
        "text_masked": masked,
        "has_personal_data": personal,
    }


def _apply(incident: Incident, record: PoliceRecord) -> None:
    if not record.fulltext and len(incident.source_hash) > EVENT_HASH:
        # Keep the full text of an earlier import: the feed itself has none.
        kept = incident.text.split("\n\n", 1)[1] if "\n\n" in incident.text else ""
        record.text = f"{record.text}\n\n{kept}".strip()
        record.source_hash += incident.source_hash[EVENT_HASH:]
    for key, value in record.values().items():
        setattr(incident, key, value)
    incident.source_hash = record.source_hash
    incident.text_masked, incident.has_personal_data = _mask(incident.text)
    incident.updated = timezone.now()


def job_progress(job: ImportJob) -> Progress:
    def report(processed: int, total: int) -> None:
        PROGRESS.set(job.pk, processed, total)

    return report


def _is_police_feed(sample: Sample) -> bool:
    """A JSON list of events with the feed's keys (and not Brottsplatskartan's)."""
    return (
        sample.is_json
        and sample.mentions('"datetime"', '"location"', '"type"')
        and not sample.mentions("pubdate_iso8601")
    )


imports.register(
    ImportFormat(
        name="police",
        target="incidents",
        record=PoliceRecord,
        detect=_is_police_feed,
        read=read_events,
        label="Polisens händelser (JSON)",
        priority=30,
    )
)
