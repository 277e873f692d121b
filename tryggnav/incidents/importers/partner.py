"""Importing partners' incident files: CSV (UTF-8 with or without BOM, Windows-1252;
comma, semicolon or tab) and XLSX, with a saved column mapping per organisation.
Brottsplatskartan's JSON event format is detected and read through the same path.

The same function validates for the preview (``commit=False``: nothing is written)
and imports (``commit=True``): every row is checked, then all rows are written in
one transaction, or none when any row has an error, unless ``skip_invalid`` is set,
which leaves out the rows with errors and reports them as rejected with reasons.
"""

from __future__ import annotations

import csv
import datetime
import functools
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import timezone

from tryggnav.areas.models import Area, County, Municipality
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.incidents import counts
from tryggnav.incidents.importers.common import (
    BATCH,
    FIRST_YEAR,
    LAST_YEAR,
    FastInserter,
    ImportSummary,
    Progress,
    decode_text,
    in_future,
    mask_text,
    open_xlsx,
    outside_years,
    parse_swedish_datetime,
    parse_time_of_day,
    read_bytes,
)
from tryggnav.incidents.models import Category, ColumnMapping, ImportJob, Incident
from tryggnav.lib.errors import InputError, Problem

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


@dataclass
class Table:
    """A file as headers and rows; ``fixed`` rows are already in target fields (Brottsplatskartan)."""

    kind: str
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    total: int
    fixed: bool = False


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their "\n", as ``io.StringIO(text, newline="")`` gives them.

    StringIO copies the text into four bytes per character (240 MB for a 60 MB file
    of a million rows); slicing the string keeps one copy. A "\r" of a Windows line
    end stays at the end of its line, where the csv module expects it.
    """
    start = 0
    find = text.find
    while True:
        end = find("\n", start)
        if end < 0:
            if start < len(text):
                yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _csv_table(raw: bytes, filename: str) -> Table:
    text = decode_text(raw, filename=filename)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    # A lone "\r" ends a line too (old Mac exports): only StringIO splits those.
    lone_cr = text.count("\r") != text.count("\r\n")
    lines = io.StringIO(text, newline="") if lone_cr else _lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError.single("Filen är tom.", "The file is empty.", file=filename) from None
    except csv.Error as error:
        raise InputError.single(
            f"Rubrikraden kan inte läsas: {error}.",
            f"The header row cannot be read: {error}.",
            file=filename,
            row=1,
        ) from error
    total = max(text.count("\n") - 1 + (not text.endswith("\n")), 0)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        try:
            for values in reader:
                number += 1
                if any(v.strip() for v in values):
                    yield number, values
        except csv.Error as error:
            raise InputError.single(
                f"Raden kan inte läsas som CSV: {error}.",
                f"The row cannot be read as CSV: {error}.",
                file=filename,
                row=number + 1,
            ) from error

    return Table(kind="partner", headers=headers, rows=rows(), total=total)


def _xlsx_table(raw: bytes, filename: str) -> Table:
    sheet = open_xlsx(raw, filename=filename)
    iterator = sheet.rows
    number = 0
    headers: list[str] = []
    for values in iterator:
        number += 1
        if any(v not in (None, "") for v in values):
            headers = ["" if v is None else str(v).strip() for v in values]
            break
    if not headers:
        raise InputError.single("Arket är tomt.", "The sheet is empty.", file=filename)
    header_row = number

    def rows() -> Iterator[tuple[int, list[Any]]]:
        row_number = header_row
        for values in iterator:
            row_number += 1
            if any(v not in (None, "") for v in values):
                yield row_number, ["" if v is None else v for v in values]

    total = max((sheet.max_row or header_row) - header_row, 0)
    return Table(kind="partner", headers=headers, rows=rows(), total=total)


def open_table(path: Path, *, filename: str | None = None) -> Table:
    """Read a partner file: XLSX, Brottsplatskartan JSON or CSV, by content."""
    filename = filename or path.name
    raw = read_bytes(path, filename=filename)
    if raw[:4] == b"PK\x03\x04":
        return _xlsx_table(raw, filename)
    if raw.lstrip()[:1] in (b"[", b"{"):
        from tryggnav.incidents.importers.brottsplatskartan import brottsplatskartan_table

        return brottsplatskartan_table(raw, filename)
    return _csv_table(raw, filename)


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
        for area in Area.objects.only("pk", "name", "municipality_id", "geometry").order_by(
            "-kind"
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


_HTML_TAG = re.compile(r"<[^>]+>")


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


def _row_to_values(
    number: int,
    raw: dict[str, Any],
    *,
    reference: _Reference,
    filename: str,
    now: datetime.datetime,
) -> tuple[dict[str, Any] | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(sv: str, en: str, target: str) -> None:
        problems.append(
            Problem(sv, en, file=filename, row=number, field=raw.get("_header_" + target, target))
        )

    occurred_text = raw.get("occurred", "")
    parsed = parse_swedish_datetime(occurred_text) if occurred_text not in ("", None) else None
    occurred_to = None
    if occurred_text in ("", None):
        problem("Datum saknas.", "The date is missing.", "occurred")
    elif parsed is None:
        problem(
            f"Okänt datumformat {str(occurred_text)[:40]!r}; använd t.ex. 2024-03-05 14:30.",
            f"Unknown date format {str(occurred_text)[:40]!r}; use e.g. 2024-03-05 14:30.",
            "occurred",
        )
    elif outside_years(parsed[0]):
        problem(
            f"Datumet {str(occurred_text)[:40]} ligger utanför åren {FIRST_YEAR}–{LAST_YEAR}.",
            f"The date {str(occurred_text)[:40]} is outside the years {FIRST_YEAR}–{LAST_YEAR}.",
            "occurred",
        )
    else:
        occurred, has_time = parsed
        time_text = raw.get("time", "")
        if time_text not in ("", None):
            clock: datetime.time | None
            if isinstance(time_text, datetime.time):
                clock = time_text
            else:
                clock = parse_time_of_day(str(time_text))
            if clock is None:
                problem(
                    f"Okänt klockslag {str(time_text)[:20]!r}; använd t.ex. 14:30.",
                    f"Unknown time of day {str(time_text)[:20]!r}; use e.g. 14:30.",
                    "time",
                )
            else:
                occurred = occurred.replace(
                    hour=clock.hour, minute=clock.minute, second=clock.second
                )
                has_time = True
        if not has_time:
            # A date without a time: the incident happened some time that day.
            occurred_to = occurred + datetime.timedelta(hours=23, minutes=59, seconds=59)
        to_text = raw.get("occurred_to", "")
        if to_text not in ("", None):
            parsed_to = parse_swedish_datetime(to_text)
            if parsed_to is None:
                problem(
                    f"Okänt datumformat {str(to_text)[:40]!r}.",
                    f"Unknown date format {str(to_text)[:40]!r}.",
                    "occurred_to",
                )
            elif outside_years(parsed_to[0]):
                problem(
                    f"Datumet {str(to_text)[:40]} ligger utanför åren {FIRST_YEAR}–{LAST_YEAR}.",
                    f"The date {str(to_text)[:40]} is outside the years {FIRST_YEAR}–{LAST_YEAR}.",
                    "occurred_to",
                )
            else:
                occurred_to = parsed_to[0]
                if occurred_to < occurred:
                    problem(
                        "Sluttiden ligger före starttiden.",
                        "The end is before the start.",
                        "occurred_to",
                    )
        if in_future(occurred, now):
            problem(
                f"Datumet {str(occurred_text)[:40]} ligger i framtiden.",
                f"The date {str(occurred_text)[:40]} is in the future.",
                "occurred",
            )
    category_text = raw.get("category", "")
    category_id = reference.categories.get(_key(category_text)) if category_text else None
    if not category_text:
        problem("Kategori saknas.", "The category is missing.", "category")
    elif category_id is None:
        problem(
            f"Okänd kategori {str(category_text)[:60]!r}.",
            f"Unknown category {str(category_text)[:60]!r}.",
            "category",
        )
    municipality = reference.default_municipality
    county = None
    place_text = raw.get("municipality", "")
    if place_text not in ("", None):
        key = _key(place_text)
        if key.isdigit():
            key = key.zfill(4)
        municipality = reference.municipalities.get(key)
        if municipality is None:
            county = reference.counties.get(key)
            if county is None:
                problem(
                    f"Okänd kommun {str(place_text)[:60]!r}.",
                    f"Unknown municipality {str(place_text)[:60]!r}.",
                    "municipality",
                )
    elif municipality is None:
        problem(
            "Kommun saknas (och organisationen har ingen hemkommun).",
            "The municipality is missing (and the organisation has no home municipality).",
            "municipality",
        )
    lat = lon = None
    try:
        lat = _float(raw.get("lat", "")) if raw.get("lat", "") != "" else None
        lon = _float(raw.get("lon", "")) if raw.get("lon", "") != "" else None
    except ValueError:
        problem("Koordinaten är inget tal.", "The coordinate is not a number.", "lat")
    if lat == 0 and lon == 0:
        lat = lon = None  # "0,0" is a missing geocode, not a place in the Gulf of Guinea
    if (lat is None) != (lon is None):
        problem(
            "Både latitud och longitud behövs.",
            "Both latitude and longitude are needed.",
            "lat" if lat is None else "lon",
        )
    elif lat is not None and lon is not None and not (55.0 <= lat <= 69.5 and 10.5 <= lon <= 24.5):
        problem(
            f"Koordinaten {lat}, {lon} ligger inte i Sverige (WGS84, lat/lon).",
            f"The coordinate {lat}, {lon} is not in Sweden (WGS84, lat/lon).",
            "lat",
        )
    area = None
    area_text = raw.get("area", "")
    if area_text not in ("", None) and municipality is not None:
        area = reference.areas.get((municipality.code, _key(area_text)))
        if area is None:
            problem(
                f"Okänt område {str(area_text)[:60]!r} i {municipality.short_name}.",
                f"Unknown area {str(area_text)[:60]!r} in {municipality.short_name}.",
                "area",
            )
    if problems:
        return None, problems
    text = str(raw.get("text", "") or "").strip()
    if municipality is None:
        # A county only (Brottsplatskartan's "Örebro län"): its point is the county's centre.
        precision = Incident.Precision.COUNTY
    elif lat is not None:
        precision = raw.get("precision") or Incident.Precision.EXACT
    elif area is not None:
        precision = Incident.Precision.DISTRICT
        lat, lon = area[1], area[2]
    else:
        precision = Incident.Precision.MUNICIPALITY
    values = {
        "category_id": category_id,
        "occurred_from": occurred,
        "occurred_to": occurred_to,
        "lat": lat,
        "lon": lon,
        "precision": precision,
        "area_id": area[0] if area else None,
        "municipality_id": municipality.code if municipality else None,
        "county_id": municipality.county_id if municipality else getattr(county, "code", None),
        "text": text,
        "source_url": str(raw.get("source_url", ""))[:500],
    }
    return values, []


def _locate(rows: list[dict[str, Any]]) -> None:
    """Put rows with coordinates but no named area in the area their point falls in."""
    from tryggnav.areas import locator

    need = [r for r in rows if r["lat"] is not None and r["area_id"] is None]
    if not need:
        return
    found = locator.locate_areas([r["lon"] for r in need], [r["lat"] for r in need])
    for row, area_id in zip(need, found, strict=True):
        if area_id:
            row["area_id"] = int(area_id)


_HASH_ORDERS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _hash(values: dict[str, Any]) -> str:
    """SHA-256 of the row's values in key order (the keys are the same on every row)."""
    keys = tuple(values)
    order = _HASH_ORDERS.get(keys)
    if order is None:
        order = _HASH_ORDERS[keys] = tuple(sorted(keys))
    return hashlib.sha256(
        "\x1f".join(map(str, map(values.__getitem__, order))).encode()
    ).hexdigest()


_mask = mask_text


def partner_import(
    *,
    path: Path,
    organisation,
    by: Any = None,
    mapping: dict[str, str] | None = None,
    filename: str | None = None,
    commit: bool = True,
    skip_invalid: bool = False,
    group=None,
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
    if mapping is None:
        saved = ColumnMapping.objects.filter(organisation=organisation, name="standard").first()
        mapping = saved.mapping if saved else None
    if table.fixed:
        mapping = {h: h for h in table.headers}
    else:
        mapping = guess_mapping(table.headers, mapping)
    missing = [target for target in REQUIRED if target not in mapping]
    if missing:
        labels = ", ".join(FIELDS[t][0] for t in missing)
        raise InputError.single(
            f"Kolumner saknas: {labels}. Välj vilka kolumner i filen som motsvarar dem"
            f" (filens kolumner: {', '.join(table.headers)[:200]}).",
            f"Missing columns: {labels}. Choose which columns of the file hold them"
            f" (the file's columns: {', '.join(table.headers)[:200]}).",
            file=filename,
            row=1,
            field=FIELDS[missing[0]][0],
        )
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
    reference = _Reference.load(organisation, group)
    now = timezone.now()
    index = {target: table.headers.index(header) for target, header in mapping.items()}
    header_names = {"_header_" + target: header for target, header in mapping.items()}
    if commit:
        with counts.tracking() as track:
            _run(
                table,
                result,
                index,
                header_names,
                reference,
                filename,
                now,
                organisation,
                by,
                group,
                skip_invalid,
                progress,
                write=True,
                track=track,
            )
            if result.problems and not skip_invalid:
                raise InputError(result.problems)
            if job is None:
                job = ImportJob(organisation=organisation, created_by=by, filename=filename[:255])
            job.kind = table.kind
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
    else:
        _run(
            table,
            result,
            index,
            header_names,
            reference,
            filename,
            now,
            organisation,
            by,
            group,
            skip_invalid,
            progress,
            write=False,
            limit=limit,
        )
    return result


def _run(
    table,
    result,
    index,
    header_names,
    reference,
    filename,
    now,
    organisation,
    by,
    group,
    skip_invalid,
    progress,
    *,
    write: bool,
    limit: int | None = None,
    track: counts.Tracker | None = None,
) -> None:
    summary = result.summary
    existing: dict[str, tuple[int, str]] = {}
    if write:
        existing = {
            external_id: (pk, source_hash)
            for external_id, pk, source_hash in Incident.objects.filter(
                organisation=organisation, source=Incident.Source.FILE_IMPORT
            ).values_list("external_id", "pk", "source_hash")
        }
    seen: dict[str, int] = {}
    pending: list[dict[str, Any]] = []
    changed: dict[int, dict[str, Any]] = {}
    inserter = FastInserter(Incident) if write else None
    base = {
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
    processed = 0
    id_column = index.get("external_id")

    def flush() -> None:
        if not pending:
            return
        if inserter is not None:
            _locate(pending)
            inserter.insert(pending)
            if track is not None:
                track.inserted(pending)
        pending.clear()

    for number, cells in table.rows:
        if limit is not None and processed >= limit:
            break
        processed += 1
        if progress and processed % BATCH == 0:
            progress(processed, max(table.total, processed))
        if len(result.problems) >= MAX_PROBLEMS:
            break
        raw: dict[str, Any] = header_names.copy()
        for target, position in index.items():
            value = cells[position] if position < len(cells) else ""
            raw[target] = value.strip() if isinstance(value, str) else value
        values, problems = _row_to_values(
            number, raw, reference=reference, filename=filename, now=now
        )
        explicit_id = id_column is not None and raw.get("external_id") not in ("", None)
        if values is not None:
            source_hash = _hash(values)
            external_id = str(raw["external_id"])[:100] if explicit_id else "h:" + source_hash[:40]
            if external_id in seen:
                if explicit_id:
                    problems = [
                        Problem(
                            f"Id {external_id!r} finns redan på rad {seen[external_id]}.",
                            f"Id {external_id!r} already appears on row {seen[external_id]}.",
                            file=filename,
                            row=number,
                            field=header_names["_header_external_id"],
                        )
                    ]
                else:
                    summary.unchanged += 1  # the same row twice: one incident
                    continue
        if problems:
            result.problems.extend(problems)
            summary.reject(problems[0])
            continue
        assert values is not None  # no problems: the row was read
        seen[external_id] = number
        if len(result.preview) < PREVIEW_ROWS:
            result.preview.append({"row": number, **values})
        current = existing.get(external_id)
        if current is not None:
            if current[1] == source_hash:
                summary.unchanged += 1
            else:
                summary.updated += 1
                changed[current[0]] = {**values, "source_hash": source_hash}
            continue
        summary.created += 1
        if write:
            masked, personal = _mask(values["text"])
            pending.append(
                {
                    **base,
                    **values,
                    "external_id": external_id,
                    "source_hash": source_hash,
                    "text_masked": masked,
                    "has_personal_data": personal,
                }
            )
            if len(pending) >= BATCH:
                flush()
    result.total = max(result.total, processed)
    result.checked = processed
    if not write or (result.problems and not skip_invalid):
        return
    flush()
    pks = list(changed)
    for start in range(0, len(pks), 500):
        incidents = list(Incident.objects.filter(pk__in=pks[start : start + 500]))
        if track is not None:
            track.watch(*incidents)
        for incident in incidents:
            for key, value in changed[incident.pk].items():
                setattr(incident, key, value)
            incident.text_masked, incident.has_personal_data = _mask(incident.text)
            incident.updated = now
        Incident.objects.bulk_update(incidents, UPDATE_FIELDS)
        if track is not None:
            track.settle()
    if progress:
        progress(processed, processed)
