"""Importing partners' incident files: CSV (UTF-8 with or without BOM, Windows-1252;
comma, semicolon or tab) and XLSX, with a saved column mapping per organisation.
Brottsplatskartan's JSON event format is detected and read through the same path.

The same function validates for the preview (``commit=False``: nothing is written)
and imports (``commit=True``): every row is checked, then all rows are written in
one transaction, or none when any row has an error, unless ``skip_invalid`` is set,
which leaves out the rows with errors and reports them as rejected with reasons.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import timezone

from tryggnav.areas import locator
from tryggnav.areas.models import Area, County, Municipality
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.incidents import counts
from tryggnav.incidents.importers.brottsplatskartan import brottsplatskartan_table
from tryggnav.incidents.importers.common import (
    FIRST_YEAR,
    LAST_YEAR,
    FastInserter,
    ImportSummary,
    Progress,
    in_future,
    mask_text,
    outside_years,
    parse_swedish_datetime,
    parse_time_of_day,
)
from tryggnav.incidents.importers.tables import Table, csv_table, xlsx_table
from tryggnav.incidents.models import Category, ColumnMapping, ImportJob, Incident
from tryggnav.lib import imports
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.imports import ImportFormat, Policy, Row, Sample, WriteReport, write_rows

# Target fields: (label shown in the mapping form, header names recognised automatically).
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "external_id": ("Id", ("id", "ärende", "ärendenummer", "ärendenr", "referens", "löpnummer")),
    "occurred": (
        "Datum (och tid)",
        (
            "datum",
            "tidpunkt",
            "datum och tid",
            "inträffade",
            "händelsedatum",
            "date",
            "occurred",
            "occurred_from",
            "från",
            "starttid",
        ),
    ),
    "time": ("Klockslag", ("klockslag", "tid", "kl", "klockan", "time")),
    "occurred_to": ("Till (datum och tid)", ("till", "sluttid", "slut", "occurred_to", "to")),
    "category": ("Kategori", ("kategori", "typ", "händelsetyp", "category", "type")),
    "text": (
        "Beskrivning",
        ("beskrivning", "text", "händelse", "kommentar", "fritext", "description"),
    ),
    "municipality": ("Kommun", ("kommun", "kommunkod", "kommunnamn", "municipality")),
    "area": ("Område", ("område", "stadsdel", "kommundel", "area", "district")),
    "lat": ("Latitud", ("lat", "latitud", "latitude")),
    "lon": ("Longitud", ("lon", "lng", "long", "longitud", "longitude")),
}
REQUIRED = ("occurred", "category")
MAX_PROBLEMS = 5000
PREVIEW_ROWS = 20
UPDATE_FIELDS = [
    "category",
    "occurred_from",
    "occurred_to",
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
    "updated",
]


def normalise_header(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).strip().lower()
    return " ".join(text.replace("_", " ").split())


def guess_mapping(headers: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """Target field → header: the saved mapping where its headers exist, else by name."""
    present = {normalise_header(h): h for h in headers if h}
    mapping: dict[str, str] = {}
    for target, header in (saved or {}).items():
        if target in FIELDS and header and normalise_header(header) in present:
            mapping[target] = present[normalise_header(header)]
    used = set(mapping.values())
    for target, (_, synonyms) in FIELDS.items():
        if target in mapping:
            continue
        for synonym in synonyms:
            found = present.get(normalise_header(synonym))
            if found is not None and found not in used:
                mapping[target] = found
                used.add(found)
                break
    return mapping


# The partner importer reads these formats; police JSON is imported by police.py.
PARTNER_FORMATS = ("partner-xlsx", "brottsplatskartan", "partner-csv")


def open_table(path: Path, *, filename: str | None = None) -> Table:
    """Read a partner file: XLSX, Brottsplatskartan JSON or CSV, detected by the registry."""
    sample = Sample.of_path(path, filename=filename)
    fmt = imports.detect(sample, target="incidents", names=PARTNER_FORMATS)
    assert fmt is not None  # CSV is tried for any file that is neither a workbook nor JSON
    return fmt.read(sample.raw, sample.filename)


@dataclass
class _Reference:
    """Lookups for validating rows, loaded once per import."""

    categories: dict[str, int]
    municipalities: dict[str, Municipality]
    counties: dict[str, County]
    areas: dict[tuple[str, str], tuple[int, float, float]]
    default_municipality: Municipality | None

    @classmethod
    def load(cls, organisation, group=None) -> _Reference:
        # shapely (GEOS) is loaded only when a file gives area polygons.
        from shapely.geometry import shape

        from tryggnav.incidents.models import PoliceTypeMapping
        from tryggnav.incidents.taxonomy import taxonomy_ensure

        taxonomy_ensure()
        categories: dict[str, int] = {}
        for police_type, category_id in PoliceTypeMapping.objects.values_list(
            "police_type", "category_id"
        ):
            categories[_key(police_type)] = category_id
        groups = [group] if group is not None else list(organisation.groups.all())
        own = Q(collaboration_group__isnull=True) | Q(collaboration_group__in=groups)
        for category in Category.objects.filter(own, active=True):
            categories[_key(category.name)] = category.pk
            categories[_key(category.slug)] = category.pk
        municipalities: dict[str, Municipality] = {}
        for m in Municipality.objects.defer("geometry"):
            municipalities[m.code] = m
            municipalities[_key(m.short_name)] = m
            municipalities[_key(m.name)] = m
        counties: dict[str, County] = {}
        for c in County.objects.defer("geometry"):
            counties[_key(c.name)] = c
            counties[c.code] = c
        areas: dict[tuple[str, str], tuple[int, float, float]] = {}
        for area in (
            Area.objects.current()
            .only("pk", "name", "municipality_id", "geometry")
            .order_by("-kind")
        ):
            point = shape(area.geometry).representative_point()
            areas.setdefault((area.municipality_id, _key(area.name)), (area.pk, point.y, point.x))
        default = municipalities.get(organisation.municipality_id or "")
        return cls(categories, municipalities, counties, areas, default)


@functools.lru_cache(maxsize=4096)
def _key(value: Any) -> str:
    # Cached: a file repeats the same categories, municipalities and areas on every row.
    return " ".join(unicodedata.normalize("NFC", str(value)).lower().split())


def _float(value: Any) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", ".").replace("\u2212", "-")
    return float(text) if text else None


@dataclass
class PartnerResult:
    kind: str
    headers: list[str]
    mapping: dict[str, str]
    summary: ImportSummary
    problems: list[Problem] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    # Rows read; less than ``total`` when a preview stopped at its limit.
    checked: int = 0


@dataclass(slots=True)
class PartnerRecord:
    """A valid row of a partner file (CSV, XLSX, Brottsplatskartan) as an incident's values."""

    category_id: int
    occurred_from: datetime.datetime
    occurred_to: datetime.datetime | None
    lat: float | None
    lon: float | None
    precision: str
    area_id: int | None
    municipality_id: str | None
    county_id: str | None
    text: str
    source_url: str
    # Set once the row is known not to repeat an earlier one.
    external_id: str = ""
    source_hash: str = ""

    def values(self) -> dict[str, Any]:
        """The incident's fields this row sets."""
        return {
            "category_id": self.category_id,
            "occurred_from": self.occurred_from,
            "occurred_to": self.occurred_to,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
            "area_id": self.area_id,
            "municipality_id": self.municipality_id,
            "county_id": self.county_id,
            "text": self.text,
            "source_url": self.source_url,
        }

    def content_hash(self) -> str:
        """SHA-256 of the values in the order of their names (as stored by earlier imports)."""
        ordered = (
            self.area_id,
            self.category_id,
            self.county_id,
            self.lat,
            self.lon,
            self.municipality_id,
            self.occurred_from,
            self.occurred_to,
            self.precision,
            self.source_url,
            self.text,
        )
        return hashlib.sha256("\x1f".join(map(str, ordered)).encode()).hexdigest()


class _RowCheck:
    """One row's cells by target field, and its errors naming the file's column."""

    __slots__ = ("errors", "filename", "headers", "number", "raw")

    def __init__(
        self, number: int, raw: dict[str, Any], headers: dict[str, str], filename: str
    ) -> None:
        self.number, self.raw, self.headers, self.filename = number, raw, headers, filename
        self.errors: list[Problem] = []

    def get(self, target: str) -> Any:
        return self.raw.get(target, "")

    def error(self, sv: str, en: str, target: str) -> None:
        field_name = self.headers.get(target, target)
        self.errors.append(Problem(sv, en, file=self.filename, row=self.number, field=field_name))

    def outside_years(self, moment: datetime.datetime, text: Any, target: str) -> bool:
        if not outside_years(moment):
            return False
        self.error(
            f"Datumet {str(text)[:40]} ligger utanför åren {FIRST_YEAR}–{LAST_YEAR}.",
            f"The date {str(text)[:40]} is outside the years {FIRST_YEAR}–{LAST_YEAR}.",
            target,
        )
        return True


def _start(check: _RowCheck) -> tuple[datetime.datetime, bool] | None:
    """The start and whether it has a time of day (also from a separate time column)."""
    text = check.get("occurred")
    if text in ("", None):
        check.error("Datum saknas.", "The date is missing.", "occurred")
        return None
    parsed = parse_swedish_datetime(text)
    if parsed is None:
        check.error(
            f"Okänt datumformat {str(text)[:40]!r}; använd t.ex. 2024-03-05 14:30.",
            f"Unknown date format {str(text)[:40]!r}; use e.g. 2024-03-05 14:30.",
            "occurred",
        )
        return None
    if check.outside_years(parsed[0], text, "occurred"):
        return None
    occurred, has_time = parsed
    time_text = check.get("time")
    if time_text in ("", None):
        return occurred, has_time
    clock = time_text if isinstance(time_text, datetime.time) else parse_time_of_day(str(time_text))
    if clock is None:
        check.error(
            f"Okänt klockslag {str(time_text)[:20]!r}; använd t.ex. 14:30.",
            f"Unknown time of day {str(time_text)[:20]!r}; use e.g. 14:30.",
            "time",
        )
        return occurred, has_time
    return occurred.replace(hour=clock.hour, minute=clock.minute, second=clock.second), True


def _end(check: _RowCheck, occurred: datetime.datetime) -> datetime.datetime | None:
    """The end from its column, if given."""
    text = check.get("occurred_to")
    if text in ("", None):
        return None
    parsed = parse_swedish_datetime(text)
    if parsed is None:
        check.error(
            f"Okänt datumformat {str(text)[:40]!r}.",
            f"Unknown date format {str(text)[:40]!r}.",
            "occurred_to",
        )
        return None
    if check.outside_years(parsed[0], text, "occurred_to"):
        return None
    if parsed[0] < occurred:
        check.error(
            "Sluttiden ligger före starttiden.", "The end is before the start.", "occurred_to"
        )
    return parsed[0]


def _period(
    check: _RowCheck, now: datetime.datetime
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    start = _start(check)
    if start is None:
        return None, None
    occurred, has_time = start
    occurred_to = _end(check, occurred)
    if occurred_to is None and not has_time:
        # A date without a time: the incident happened some time that day.
        occurred_to = occurred + datetime.timedelta(hours=23, minutes=59, seconds=59)
    if in_future(occurred, now):
        text = str(check.get("occurred"))[:40]
        check.error(
            f"Datumet {text} ligger i framtiden.", f"The date {text} is in the future.", "occurred"
        )
    return occurred, occurred_to


def _category(check: _RowCheck, reference: _Reference) -> int | None:
    text = check.get("category")
    if not text:
        check.error("Kategori saknas.", "The category is missing.", "category")
        return None
    category_id = reference.categories.get(_key(text))
    if category_id is None:
        check.error(
            f"Okänd kategori {str(text)[:60]!r}.",
            f"Unknown category {str(text)[:60]!r}.",
            "category",
        )
    return category_id


def _place(check: _RowCheck, reference: _Reference) -> tuple[Municipality | None, County | None]:
    """The municipality (or, for a county only, the county); the organisation's by default."""
    text = check.get("municipality")
    if text in ("", None):
        if reference.default_municipality is None:
            check.error(
                "Kommun saknas (och organisationen har ingen hemkommun).",
                "The municipality is missing (and the organisation has no home municipality).",
                "municipality",
            )
        return reference.default_municipality, None
    key = _key(text)
    key = key.zfill(4) if key.isdigit() else key
    municipality = reference.municipalities.get(key)
    if municipality is not None:
        return municipality, None
    county = reference.counties.get(key)
    if county is None:
        check.error(
            f"Okänd kommun {str(text)[:60]!r}.",
            f"Unknown municipality {str(text)[:60]!r}.",
            "municipality",
        )
    return None, county


def _point(check: _RowCheck) -> tuple[float | None, float | None]:
    lat = lon = None
    try:
        lat = _float(check.get("lat")) if check.get("lat") != "" else None
        lon = _float(check.get("lon")) if check.get("lon") != "" else None
    except ValueError:
        check.error("Koordinaten är inget tal.", "The coordinate is not a number.", "lat")
    if lat == 0 and lon == 0:
        return None, None  # "0,0" is a missing geocode, not a place in the Gulf of Guinea
    if (lat is None) != (lon is None):
        check.error(
            "Både latitud och longitud behövs.",
            "Both latitude and longitude are needed.",
            "lat" if lat is None else "lon",
        )
    elif lat is not None and lon is not None and not (55.0 <= lat <= 69.5 and 10.5 <= lon <= 24.5):
        check.error(
            f"Koordinaten {lat}, {lon} ligger inte i Sverige (WGS84, lat/lon).",
            f"The coordinate {lat}, {lon} is not in Sweden (WGS84, lat/lon).",
            "lat",
        )
    return lat, lon


def _area(
    check: _RowCheck, reference: _Reference, municipality: Municipality | None
) -> tuple[int, float, float] | None:
    text = check.get("area")
    if text in ("", None) or municipality is None:
        return None
    area = reference.areas.get((municipality.code, _key(text)))
    if area is None:
        check.error(
            f"Okänt område {str(text)[:60]!r} i {municipality.short_name}.",
            f"Unknown area {str(text)[:60]!r} in {municipality.short_name}.",
            "area",
        )
    return area


def _row_to_record(
    check: _RowCheck, reference: _Reference, now: datetime.datetime
) -> Row[PartnerRecord]:
    """Validate one row; its record, or its errors naming file, row and column."""
    occurred, occurred_to = _period(check, now)
    category_id = _category(check, reference)
    municipality, county = _place(check, reference)
    lat, lon = _point(check)
    area = _area(check, reference, municipality)
    if check.errors:
        return Row(check.number, errors=check.errors)
    assert occurred is not None and category_id is not None  # else an error was added
    if municipality is None:
        # A county only (Brottsplatskartan's "Örebro län"): its point is the county's centre.
        precision = Incident.Precision.COUNTY
    elif lat is not None:
        precision = check.get("precision") or Incident.Precision.EXACT
    elif area is not None:
        precision = Incident.Precision.DISTRICT
        lat, lon = area[1], area[2]
    else:
        precision = Incident.Precision.MUNICIPALITY
    record = PartnerRecord(
        category_id=category_id,
        occurred_from=occurred,
        occurred_to=occurred_to,
        lat=lat,
        lon=lon,
        precision=precision,
        area_id=area[0] if area else None,
        municipality_id=municipality.code if municipality else None,
        county_id=municipality.county_id if municipality else getattr(county, "code", None),
        text=str(check.get("text") or "").strip(),
        source_url=str(check.get("source_url"))[:500],
    )
    return Row(check.number, record)


def _locate(rows: list[dict[str, Any]]) -> None:
    """Put rows with coordinates but no named area in the area their point falls in."""
    need = [r for r in rows if r["lat"] is not None and r["area_id"] is None]
    if not need:
        return
    found = locator.locate_areas([r["lon"] for r in need], [r["lat"] for r in need])
    for row, area_id in zip(need, found, strict=True):
        if area_id:
            row["area_id"] = int(area_id)


_mask = mask_text


@dataclass
class _Reading:
    """What reading a file's rows needs besides the rows."""

    reference: _Reference
    filename: str
    now: datetime.datetime
    index: dict[str, int]  # target field → column position
    mapping: dict[str, str]  # target field → the file's column name
    limit: int | None = None


def _cells(cells: list[Any], index: dict[str, int]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for target, position in index.items():
        value = cells[position] if position < len(cells) else ""
        raw[target] = value.strip() if isinstance(value, str) else value
    return raw


def _rows(table: Table, result: PartnerResult, reading: _Reading) -> Iterator[Row[PartnerRecord]]:
    """The file's rows, validated; a row repeating an earlier one by content is counted
    unchanged and left out, one repeating an earlier id is an error."""
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        if reading.limit is not None and result.checked >= reading.limit:
            break
        result.checked += 1
        if len(result.problems) >= MAX_PROBLEMS:
            break
        raw = _cells(cells, reading.index)
        check = _RowCheck(number, raw, reading.mapping, reading.filename)
        row = _row_to_record(check, reading.reference, reading.now)
        if row.record is not None:
            row = _identify(row, raw, seen, result, reading)
            if row.record is None and not row.errors:
                continue
        if row.errors:
            result.problems.extend(row.errors)
            result.summary.reject(row.errors[0])
        yield row


def _identify(
    row: Row[PartnerRecord],
    raw: dict[str, Any],
    seen: dict[str, int],
    result: PartnerResult,
    reading: _Reading,
) -> Row[PartnerRecord]:
    """Give the record its id (the file's, else its content hash), or refuse a repeated id."""
    record = row.record
    assert record is not None
    source_hash = record.content_hash()
    explicit = "external_id" in reading.index and raw.get("external_id") not in ("", None)
    external_id = str(raw["external_id"])[:100] if explicit else "h:" + source_hash[:40]
    if external_id in seen:
        if not explicit:
            result.summary.unchanged += 1  # the same row twice: one incident
            return Row(row.number)
        first = seen[external_id]
        return Row(
            row.number,
            errors=[
                Problem(
                    f"Id {external_id!r} finns redan på rad {first}.",
                    f"Id {external_id!r} already appears on row {first}.",
                    file=reading.filename,
                    row=row.number,
                    field=reading.mapping["external_id"],
                )
            ],
        )
    seen[external_id] = row.number
    record.external_id, record.source_hash = external_id, source_hash
    if len(result.preview) < PREVIEW_ROWS:
        result.preview.append({"row": row.number, **record.values()})
    return row


class _IncidentSink:
    """Writes partner records as incidents: new ones inserted in bulk, changed ones updated
    (matched on the organisation's ids); without ``track`` it only counts (the preview)."""

    def __init__(
        self,
        *,
        summary: ImportSummary,
        base: dict[str, Any],
        existing: dict[str, tuple[int, str]],
        track: counts.Tracker | None,
        now: datetime.datetime,
    ) -> None:
        self.summary, self.base, self.existing, self.track = summary, base, existing, track
        self.now = now
        self.changed: dict[int, PartnerRecord] = {}
        self.inserter = FastInserter(Incident) if track is not None else None

    def write(self, records: list[PartnerRecord]) -> None:
        new: list[dict[str, Any]] = []
        for record in records:
            current = self.existing.get(record.external_id)
            if current is None:
                self.summary.created += 1
                if self.inserter is not None:
                    new.append(self._new_row(record))
            elif current[1] == record.source_hash:
                self.summary.unchanged += 1
            else:
                self.summary.updated += 1
                self.changed[current[0]] = record
        if new and self.inserter is not None and self.track is not None:
            _locate(new)
            self.inserter.insert(new)
            self.track.inserted(new)

    def _new_row(self, record: PartnerRecord) -> dict[str, Any]:
        masked, personal = _mask(record.text)
        return {
            **self.base,
            **record.values(),
            "external_id": record.external_id,
            "source_hash": record.source_hash,
            "text_masked": masked,
            "has_personal_data": personal,
        }

    def finish(self) -> None:
        if self.track is None:
            return
        pks = list(self.changed)
        for start in range(0, len(pks), 500):
            incidents = list(Incident.objects.filter(pk__in=pks[start : start + 500]))
            self.track.watch(*incidents)
            for incident in incidents:
                record = self.changed[incident.pk]
                for key, value in record.values().items():
                    setattr(incident, key, value)
                incident.source_hash = record.source_hash
                incident.text_masked, incident.has_personal_data = _mask(incident.text)
                incident.updated = self.now
            Incident.objects.bulk_update(incidents, UPDATE_FIELDS)
            self.track.settle()


def _base(organisation: Any, by: Any, group: Any, now: datetime.datetime) -> dict[str, Any]:
    """The values every incident of one import shares."""
    return {
        "organisation_id": organisation.pk,
        "reported_by_id": getattr(by, "pk", None),
        "group_id": group.pk if group is not None else None,
        "sharing": Incident.Sharing.GROUP if group is not None else Incident.Sharing.ORGANISATION,
        "source": Incident.Source.FILE_IMPORT,
        "status": Incident.Status.SUBMITTED,
        "reported_at": now,
        "is_summary": False,
        "police_type": "",
    }


def _resolve_mapping(
    table: Table, organisation: Any, mapping: dict[str, str] | None, filename: str
) -> dict[str, str]:
    """Target field → the file's column: given, saved for the organisation, or guessed."""
    if table.fixed:
        return {h: h for h in table.headers}
    if mapping is None:
        saved = ColumnMapping.objects.filter(organisation=organisation, name="standard").first()
        mapping = saved.mapping if saved else None
    mapping = guess_mapping(table.headers, mapping)
    missing = [target for target in REQUIRED if target not in mapping]
    if missing:
        labels = ", ".join(FIELDS[t][0] for t in missing)
        columns = ", ".join(table.headers)[:200]
        raise InputError.single(
            f"Kolumner saknas: {labels}. Välj vilka kolumner i filen som motsvarar dem"
            f" (filens kolumner: {columns}).",
            f"Missing columns: {labels}. Choose which columns of the file hold them"
            f" (the file's columns: {columns}).",
            file=filename,
            row=1,
            field=FIELDS[missing[0]][0],
        )
    return mapping


def partner_import(
    *,
    path: Path,
    organisation: Any,
    by: Any = None,
    mapping: dict[str, str] | None = None,
    filename: str | None = None,
    commit: bool = True,
    skip_invalid: bool = False,
    group: Any = None,
    job: ImportJob | None = None,
    progress: Progress | None = None,
    limit: int | None = None,
) -> PartnerResult:
    """Validate (``commit=False``) or import a partner file for ``organisation``.

    ``limit`` (previews only) stops after that many rows, so a preview of a huge
    file answers in seconds; the import itself checks every row again.

    Rows are matched on (organisation, id column); without an id column, on a hash of
    the row, so re-importing the same file changes nothing. Raises InputError for
    file-level errors, and on commit for row errors unless ``skip_invalid``.
    """
    filename = filename or path.name
    table = open_table(path, filename=filename)
    mapping = _resolve_mapping(table, organisation, mapping, filename)
    if group is None:
        groups = list(organisation.groups.all()[:2])
        group = groups[0] if len(groups) == 1 else None
    result = PartnerResult(
        kind=table.kind,
        headers=table.headers,
        mapping=mapping,
        summary=ImportSummary(),
        total=table.total,
    )
    now = timezone.now()
    reading = _Reading(
        reference=_Reference.load(organisation, group),
        filename=filename,
        now=now,
        index={target: table.headers.index(header) for target, header in mapping.items()},
        mapping=mapping,
        limit=None if commit else limit,
    )
    rows = _rows(table, result, reading)
    base = _base(organisation, by, group, now)
    if not commit:
        sink = _IncidentSink(summary=result.summary, base=base, existing={}, track=None, now=now)
        write_rows(
            rows, sink=sink, policy=Policy.SKIP_INVALID, progress=progress, total=table.total
        )
    else:
        _commit(
            rows,
            result,
            base=base,
            now=now,
            skip_invalid=skip_invalid,
            progress=progress,
            audit=lambda report: _job_done(
                result, job=job, organisation=organisation, by=by, filename=filename
            ),
        )
    result.total = max(result.total, result.checked)
    return result


def _commit(
    rows: Iterator[Row[PartnerRecord]],
    result: PartnerResult,
    *,
    base: dict[str, Any],
    now: datetime.datetime,
    skip_invalid: bool,
    progress: Progress | None,
    audit: Callable[[WriteReport], object],
) -> None:
    """Write the rows as the organisation's incidents, keeping the counts current."""
    with counts.tracking() as track:
        existing = _existing(base["organisation_id"])
        sink = _IncidentSink(
            summary=result.summary, base=base, existing=existing, track=track, now=now
        )
        write_rows(
            rows,
            sink=sink,
            policy=Policy.SKIP_INVALID if skip_invalid else Policy.ALL_OR_NOTHING,
            progress=progress,
            total=result.total,
            audit=audit,
        )


def _existing(organisation_id: int) -> dict[str, tuple[int, str]]:
    """The organisation's imported incidents: id in the file → (pk, hash of the row)."""
    return {
        external_id: (pk, source_hash)
        for external_id, pk, source_hash in Incident.objects.filter(
            organisation_id=organisation_id, source=Incident.Source.FILE_IMPORT
        ).values_list("external_id", "pk", "source_hash")
    }


def _job_done(
    result: PartnerResult, *, job: ImportJob | None, organisation: Any, by: Any, filename: str
) -> None:
    """Record the finished import on its job, and audit it."""
    if job is None:
        job = ImportJob(organisation=organisation, created_by=by, filename=filename[:255])
    job.kind = result.kind
    job.state = ImportJob.State.DONE
    job.total = job.processed = result.summary.total
    job.summary = result.summary.as_dict()
    job.errors = [str(p) for p in result.problems[:200]]
    job.finished = timezone.now()
    job.save()
    audit_record(
        actor=by,
        action=AuditEntry.Action.IMPORT,
        obj=job,
        organisation=organisation,
        changes={"summary": job.summary},
        note=f"{filename}: {result.summary}",
    )


imports.register(
    ImportFormat(
        name="partner-xlsx",
        target="incidents",
        record=PartnerRecord,
        detect=lambda sample: sample.is_zip,
        read=xlsx_table,
        label="Excel (.xlsx)",
        priority=20,
    )
)
imports.register(
    ImportFormat(
        name="brottsplatskartan",
        target="incidents",
        record=PartnerRecord,
        detect=lambda sample: sample.is_json,
        read=brottsplatskartan_table,
        label="Brottsplatskartan (JSON)",
        priority=10,
    )
)
imports.register(
    ImportFormat(
        name="partner-csv",
        target="incidents",
        record=PartnerRecord,
        detect=lambda sample: not (sample.is_zip or sample.is_json),
        read=csv_table,
        label="CSV",
        priority=-10,  # any other text file: after every more specific format
    )
)
