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
from tryggnav.incidents.importers.districts import district_matchers
from tryggnav.incidents.models import Category, ImportJob, Incident, PoliceTypeMapping
from tryggnav.incidents.taxonomy import FALLBACK_CATEGORY, taxonomy_ensure
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import json_loads, read_bytes

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
    raw = read_bytes(path, filename=filename)
    try:
        return json_loads(raw.decode("utf-8-sig"), filename=filename)
    except UnicodeDecodeError as error:
        raise InputError.single(
            f"{what} är inte UTF-8 (JSON ska vara UTF-8).",
            f"{what} is not UTF-8 (JSON must be UTF-8).",
            file=filename,
        ) from error
    except json.JSONDecodeError as error:
        if error.pos >= len(raw.rstrip()) - 1 or error.msg.startswith("Unterminated string"):
            sv, en = (
                "Filen tar slut mitt i JSON-datat (avkortad fil?)",
                "The file ends in the middle of the JSON data (truncated?)",
            )
        else:
            sv, en = f"Ogiltig JSON: {error.msg}", f"Invalid JSON: {error.msg}"
        raise InputError.single(
            f"{sv}, rad {error.lineno}, kolumn {error.colno}.",
            f"{en}, line {error.lineno}, column {error.colno}.",
            file=filename,
            row=error.lineno,
        ) from error


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


@dataclass
class _Parsed:
    external_id: str
    values: dict[str, Any]
    source_hash: str


def _event_problem(sv: str, en: str, *, filename: str, row: int, field: str, event_id: Any):
    suffix_sv = f" (händelse {event_id})" if event_id is not None else ""
    suffix_en = f" (event {event_id})" if event_id is not None else ""
    return Problem(sv + suffix_sv, en + suffix_en, file=filename, row=row, field=field)


def _parse_events(
    events: list[Any],
    *,
    filename: str,
    fulltexts: dict[str, str],
    geography: _Geography,
    categories: dict[str, int],
    existing: dict[str, tuple[int, str, int]],
    now: datetime.datetime,
    progress: Progress | None,
) -> tuple[list[_Parsed], int, int, list[Problem]]:
    """Validate and read the events that are new or changed.

    Returns the parsed rows, the number of unchanged events and of summaries among
    them, and the problems. An event whose hash and category equal the stored
    ones was valid when it was imported and is not parsed again, which makes a
    re-import cheap.
    """
    problems: list[Problem] = []
    # external id → parsed row, or None when unchanged; a later duplicate wins.
    outcome: dict[str, _Parsed | None] = {}
    unchanged_summaries: dict[str, bool] = {}
    total = len(events)
    canonical = _canonical_events(events)
    sha256 = hashlib.sha256
    municipalities, counties = geography.municipalities, geography.counties
    precision_municipality = Incident.Precision.MUNICIPALITY
    precision_county = Incident.Precision.COUNTY
    for row, event in enumerate(events, start=1):
        if progress and row % BATCH == 0:
            progress(row // 2, total)
        if len(problems) >= MAX_ROW_PROBLEMS:
            break
        if not isinstance(event, dict):
            problems.append(
                Problem(
                    "Posten är inget JSON-objekt.",
                    "The record is not a JSON object.",
                    file=filename,
                    row=row,
                )
            )
            continue
        event_id = event.get("id")
        if (
            isinstance(event_id, bool)
            or not isinstance(event_id, (int, str))
            or not _ID.fullmatch(str(event_id))
        ):
            problems.append(
                _event_problem(
                    "id saknas eller är inget heltal.",
                    "id is missing or not an integer.",
                    filename=filename,
                    row=row,
                    field="id",
                    event_id=event_id,
                )
            )
            continue
        external_id = str(int(event_id))
        fulltext = fulltexts.get(external_id, "")
        # 48 hex digits for the event, 16 for its full text when given: an import
        # without full texts (the live feed) compares the event part only.
        digest = sha256(canonical[row - 1].encode()).hexdigest()[:EVENT_HASH]
        if fulltext:
            digest += sha256(fulltext.encode()).hexdigest()[:16]
        police_type = event.get("type")
        current = existing.get(external_id)
        if current is not None and isinstance(police_type, str):
            stored = current[1] if fulltext else current[1][:EVENT_HASH]
            stripped_type = police_type.strip()
            if stored == digest and current[2] == categories.get(stripped_type):
                outcome[external_id] = None
                unchanged_summaries[external_id] = stripped_type.lower().startswith(
                    "sammanfattning"
                )
                continue
        parsed, problem = _parse_event(
            event,
            row=row,
            external_id=external_id,
            digest=digest,
            fulltext=fulltext,
            filename=filename,
            municipalities=municipalities,
            counties=counties,
            categories=categories,
            now=now,
            precisions=(precision_municipality, precision_county),
        )
        if problem is not None:
            problems.append(problem)
            continue
        outcome[external_id] = parsed
    rows = [parsed for parsed in outcome.values() if parsed is not None]
    unchanged = [external_id for external_id, parsed in outcome.items() if parsed is None]
    summaries = sum(unchanged_summaries[external_id] for external_id in unchanged)
    return rows, len(unchanged), summaries, problems


def _parse_event(
    event: dict[str, Any],
    *,
    row: int,
    external_id: str,
    digest: str,
    fulltext: str,
    filename: str,
    municipalities: dict[str, Municipality],
    counties: dict[str, County],
    categories: dict[str, int],
    now: datetime.datetime,
    precisions: tuple[str, str],
) -> tuple[_Parsed | None, Problem | None]:
    def problem(sv: str, en: str, field: str) -> tuple[None, Problem]:
        return None, _event_problem(
            sv, en, filename=filename, row=row, field=field, event_id=event.get("id")
        )

    if not ("datetime" in event and "name" in event and "type" in event and "location" in event):
        missing = [f for f in ("datetime", "name", "type", "location") if f not in event]
        return problem("Obligatoriskt fält saknas.", "A required field is missing.", missing[0])
    published = parse_feed_datetime(event["datetime"])
    if published is None:
        return problem(
            f"Ogiltig tidpunkt {str(event['datetime'])[:40]!r};"
            " väntat t.ex. '2026-08-22 9:48:12 +02:00'.",
            f"Invalid time {str(event['datetime'])[:40]!r};"
            " expected e.g. '2026-08-22 9:48:12 +02:00'.",
            "datetime",
        )
    if outside_years(published):
        return problem(
            f"Tidpunkten {event['datetime']} ligger utanför åren {FIRST_YEAR}–{LAST_YEAR}.",
            f"The time {event['datetime']} is outside the years {FIRST_YEAR}–{LAST_YEAR}.",
            "datetime",
        )
    if in_future(published, now):
        return problem(
            f"Tidpunkten {event['datetime']} ligger i framtiden.",
            f"The time {event['datetime']} is in the future.",
            "datetime",
        )
    name, police_type = event["name"], event["type"]
    if not isinstance(name, str) or not isinstance(police_type, str) or not police_type:
        return problem("name och type ska vara text.", "name and type must be text.", "type")
    location = event["location"]
    if not isinstance(location, dict) or not isinstance(location.get("name"), str):
        return problem("location.name saknas.", "location.name is missing.", "location.name")
    try:
        lat_text, lon_text = str(location.get("gps", "")).split(",")
        lat, lon = float(lat_text), float(lon_text)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
    except ValueError:
        return problem(
            f"Ogiltiga koordinater {str(location.get('gps'))[:40]!r}; väntat 'lat,lng'.",
            f"Invalid coordinates {str(location.get('gps'))[:40]!r}; expected 'lat,lng'.",
            "location.gps",
        )

    place = location["name"].strip().lower()
    municipality = municipalities.get(place)
    county = None
    if municipality is None:
        county = counties.get(place)
        if county is None:
            return problem(
                f"Okänd kommun eller okänt län {location['name'][:60]!r}.",
                f"Unknown municipality or county {location['name'][:60]!r}.",
                "location.name",
            )
        # From February 2026: the county in location, the municipality last in name.
        last = name.rsplit(",", 1)[-1].strip().lower()
        candidate = municipalities.get(last)
        if candidate is not None and candidate.county_id == county.code:
            municipality = candidate
    if municipality is not None:
        county_code = municipality.county_id
        precision = precisions[0]
        # A county-level gps is not the municipality's centre: use the municipality's.
        centre = (municipality.centroid_lat, municipality.centroid_lon)
        if county is not None and centre[0] is not None and centre[1] is not None:
            lat, lon = centre[0], centre[1]
    else:
        assert county is not None
        county_code = county.code
        precision = precisions[1]

    summary = event.get("summary") or ""
    url = event.get("url") or ""
    if not isinstance(summary, str) or not isinstance(url, str):
        field = "summary" if not isinstance(summary, str) else "url"
        return problem(f"{field} ska vara text.", f"{field} must be text.", field)
    text = f"{summary.strip()}\n\n{fulltext}".strip() if fulltext else summary.strip()
    stripped_type = police_type.strip()
    parsed = _Parsed(
        external_id=external_id,
        source_hash=digest,
        values={
            "category_id": categories.get(stripped_type),
            "occurred_from": occurred_from_name(name, published) or published,
            "reported_at": published,
            "lat": lat,
            "lon": lon,
            "precision": precision,
            "area_id": None,
            "municipality_id": municipality.code if municipality else None,
            "county_id": county_code,
            "text": text,
            "source_url": (POLICE_URL + url)[:500] if url else "",
            "police_type": stripped_type[:120],
            "is_summary": stripped_type.lower().startswith("sammanfattning"),
            "_name": name,
            "_summary": summary,
            "_fulltext": fulltext,
        },
    )
    return parsed, None


def _place_in_districts(rows: list[_Parsed]) -> int:
    """Set area and district precision where the texts name one district. Returns the count."""
    codes = {r.values["municipality_id"] for r in rows if r.values["municipality_id"]}
    matchers = district_matchers(codes)
    placed = 0
    for row in rows:
        values = row.values
        matcher = matchers.get(values["municipality_id"])
        if matcher is None or values["is_summary"]:
            continue
        district = matcher.best(values["_name"], values["_summary"], values["_fulltext"])
        if district is not None:
            values["area_id"] = district.pk
            values["precision"] = Incident.Precision.DISTRICT
            values["lat"], values["lon"] = district.lat, district.lon
            placed += 1
    return placed


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
    fulltexts = load_fulltexts(fulltext_path) if fulltext_path else {}
    taxonomy_ensure()
    types = {
        e["type"].strip() for e in data if isinstance(e, dict) and isinstance(e.get("type"), str)
    }
    total = len(data)
    with transaction.atomic():
        categories = _category_map(types)
        existing = {
            external_id: (pk, source_hash, category_id)
            for external_id, pk, source_hash, category_id in Incident.objects.filter(
                source=Incident.Source.POLICE_FEED
            ).values_list("external_id", "pk", "source_hash", "category_id")
        }
        rows, unchanged, unchanged_summaries, problems = _parse_events(
            data,
            filename=filename,
            fulltexts=fulltexts,
            geography=_Geography.load(),
            categories=categories,
            existing=existing,
            now=timezone.now(),
            progress=progress,
        )
        if problems:
            raise InputError(problems)
        del data
        placed = _place_in_districts(rows)
        summary = _write(rows, existing=existing, total=total, progress=progress)
        summary.unchanged += unchanged
        summary.summaries += unchanged_summaries
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
    return summary


def _write(
    rows: list[_Parsed],
    *,
    existing: dict[str, tuple[int, str, int]],
    total: int,
    progress: Progress | None,
) -> ImportSummary:
    summary = ImportSummary()
    to_create: list[dict[str, Any]] = []
    changed: dict[int, _Parsed] = {}
    for row in rows:
        values = row.values
        summary.summaries += values["is_summary"]
        current = existing.get(row.external_id)
        if current is not None:
            pk, source_hash, category_id = current
            same = (
                source_hash == row.source_hash
                if values["_fulltext"]
                else source_hash[:EVENT_HASH] == row.source_hash
            )
            if same and category_id == values["category_id"]:
                summary.unchanged += 1
                continue
            changed[pk] = row
            continue
        to_create.append(_new_row(row))
    done = total - len(to_create) - len(changed)
    with counts.tracking() as track:
        done = _insert(to_create, track, done=done, total=total, progress=progress)
        summary.created = len(to_create)
        _update(changed, track, done=done, total=total, progress=progress)
        summary.updated = len(changed)
    return summary


def _insert(
    to_create: list[dict[str, Any]],
    track: counts.Tracker,
    *,
    done: int,
    total: int,
    progress: Progress | None,
) -> int:
    inserter = FastInserter(Incident)
    for start in range(0, len(to_create), BATCH):
        batch = to_create[start : start + BATCH]
        inserter.insert(batch)
        track.inserted(batch)
        done += len(batch)
        if progress:
            progress(total // 2 + done // 2, total)
    return done


def _update(
    changed: dict[int, _Parsed],
    track: counts.Tracker,
    *,
    done: int,
    total: int,
    progress: Progress | None,
) -> None:
    pks = list(changed)
    for start in range(0, len(pks), BATCH // 4):
        incidents = list(Incident.objects.filter(pk__in=pks[start : start + BATCH // 4]))
        track.watch(*incidents)
        for incident in incidents:
            row = changed[incident.pk]
            if not row.values["_fulltext"] and len(incident.source_hash) > EVENT_HASH:
                # Keep the full text of an earlier import: the feed itself has none.
                kept = incident.text.split("\n\n", 1)[1] if "\n\n" in incident.text else ""
                row.values["text"] = f"{row.values['text']}\n\n{kept}".strip()
                row.source_hash += incident.source_hash[EVENT_HASH:]
            _apply(incident, row)
        Incident.objects.bulk_update(incidents, UPDATE_FIELDS)
        track.settle()
        done += len(incidents)
        if progress:
            progress(total // 2 + done // 2, total)


def _new_row(row: _Parsed) -> dict[str, Any]:
    values = row.values
    masked, personal = _mask(values["text"])
    return {
        "category_id": values["category_id"],
        "occurred_from": values["occurred_from"],
        "reported_at": values["reported_at"],
        "lat": values["lat"],
        "lon": values["lon"],
        "precision": values["precision"],
        "area_id": values["area_id"],
        "municipality_id": values["municipality_id"],
        "county_id": values["county_id"],
        "text": values["text"],
        "source_url": values["source_url"],
        "police_type": values["police_type"],
        "is_summary": values["is_summary"],
        "source": Incident.Source.POLICE_FEED,
        "external_id": row.external_id,
        "status": Incident.Status.REVIEWED,
        "sharing": Incident.Sharing.GROUP,
        "group_id": None,
        "source_hash": row.source_hash,
        "text_masked": masked,
        "has_personal_data": personal,
    }


def _apply(incident: Incident, row: _Parsed) -> None:
    for key, value in row.values.items():
        if not key.startswith("_"):
            setattr(incident, key, value)
    incident.source_hash = row.source_hash
    incident.text_masked, incident.has_personal_data = _mask(incident.text)
    incident.updated = timezone.now()


def job_progress(job: ImportJob) -> Progress:
    def report(processed: int, total: int) -> None:
        PROGRESS.set(job.pk, processed, total)

    return report
