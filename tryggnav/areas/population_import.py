"""Importing areas' populations per year: a plain table or an SCB statistical database
(PxWeb) export, CSV (UTF-8 or Windows-1252; comma, semicolon or tab) or XLSX.

Two layouts are read:

- a plain table with an area column (code or name: "område", "kod", "namn", "stadsdel",
  "deso", "regso", …), a year column ("år"/"year") and a population column
  ("folkmängd"/"population"/"invånare"); the areas are the chosen municipality's;
- SCB's layout: a "region" column holding DeSO or RegSO codes ("0180C1090",
  "0180R009 Blackeberg", "0180C1090_DeSO2025"), other variables such as "ålder" and
  "kön", and the figures either in one column per year ("2023", "Folkmängd 2024") or
  in a year column and a value column ("år", "Folkmängden per region"). Title lines
  above the header and footnotes below are skipped. Where a variable has a "totalt"
  value, only those rows are read.

The same function validates for the preview (``commit=False``: nothing is written, the
problems are returned) and imports (``commit=True``): all rows or none, one audit entry.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from tryggnav.areas.models import Area, AreaPopulation, Municipality, PopulationUpload
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.lib import imports, numbers
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import decode_text, open_xlsx, read_bytes
from tryggnav.lib.imports import ImportFormat, Sample

FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_POPULATION = 20_000_000  # more than Sweden: a typing error
MAX_PROBLEMS = 500
SOURCE_MAX = AreaPopulation._meta.get_field("source").max_length or 200

AREA_HEADERS = (
    "område",
    "omrade",
    "områdeskod",
    "kod",
    "area",
    "area code",
    "code",
    "namn",
    "name",
    "stadsdel",
    "kommundel",
    "deso",
    "desokod",
    "regso",
    "regsokod",
)
YEAR_HEADERS = ("år", "ar", "year")
VALUE_HEADERS = ("folkmängd", "folkmangd", "population", "invånare", "befolkning", "antal")
TOTAL_VALUES = {"totalt", "total", "samtliga", "alla", "båda könen", "totalt ålder"}
_YEAR_COLUMN = re.compile(r"(?:.*\s)?((?:19|20|21)\d\d)")
_SCB_CODE = re.compile(r"\s*(\d{4})([A-C]\d{4}|R\d{3})(?![0-9])")
_SCB_OTHER = re.compile(r"\s*(\d{2}|\d{4}|00|riket|sverige)(?![0-9A-Za-z])", re.I)


def _key(value: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value)).lower().replace("_", " ").split())


@dataclass
class PopulationRow:
    row: int
    area_id: int
    area_name: str
    area_kind: str
    year: int
    population: int


@dataclass
class PopulationImportResult:
    layout: str = "table"
    rows: list[PopulationRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Rows left out on purpose, shown in the preview: other municipalities, regions
    # that are not DeSO or RegSO (municipalities, counties, the country).
    other_municipalities: int = 0
    not_areas: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} skapade, {self.updated} uppdaterade, {self.unchanged} oförändrade"
            f" / {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        )


@dataclass
class _Table:
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def _csv_table(raw: bytes, filename: str) -> _Table:
    text = decode_text(raw, filename=filename)
    sample = "\n".join(text.splitlines()[:12])
    delimiter = max((";", ",", "\t"), key=sample.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InputError.single(
            f"Filen kan inte läsas som CSV: {error}.",
            f"The file cannot be read as CSV: {error}.",
            file=filename,
        ) from error
    return _find_header([(n, values) for n, values in enumerate(records, start=1)], filename)


def _xlsx_table(raw: bytes, filename: str) -> _Table:
    sheet = open_xlsx(raw, filename=filename)
    rows = [
        (n, ["" if v is None else v for v in values])
        for n, values in enumerate(sheet.rows, start=1)
    ]
    return _find_header(rows, filename)


def _find_header(rows: list[tuple[int, list[Any]]], filename: str) -> _Table:
    """The first row with two or more filled cells is the header (PxWeb puts a title
    line and an empty line above it); later rows with fewer are footnotes."""
    for index, (number, values) in enumerate(rows):
        if sum(1 for v in values if str(v).strip()) >= 2:
            headers = [str(v).strip() for v in values]
            body = [
                (n, list(v))
                for n, v in rows[index + 1 :]
                if sum(1 for x in v if str(x).strip()) >= 2
            ]
            return _Table(number, headers, body)
    raise InputError.single(
        "Filen har ingen rubrikrad med minst två kolumner.",
        "The file has no header row with at least two columns.",
        file=filename,
    )


def open_population_table(path: Path, *, filename: str | None = None) -> _Table:
    filename = filename or path.name
    raw = read_bytes(path, filename=filename)
    if raw[:4] == b"PK\x03\x04":
        return _xlsx_table(raw, filename)
    return _csv_table(raw, filename)


@dataclass
class _Columns:
    area: int | None
    year: int | None
    value: int | None
    wide_years: dict[int, int]  # column index → year
    dimensions: list[int]
    scb: bool


def _columns(headers: list[str], filename: str) -> _Columns:
    keys = [_key(h) for h in headers]
    scb = "region" in keys
    area = keys.index("region") if scb else _first(keys, AREA_HEADERS)
    year = _first(keys, YEAR_HEADERS)
    value = next(
        (i for i, k in enumerate(keys) if any(k.startswith(v) for v in VALUE_HEADERS)), None
    )
    wide: dict[int, int] = {}
    if year is None:
        for i, k in enumerate(keys):
            match = _YEAR_COLUMN.fullmatch(k)
            if match and i != area:
                wide[i] = int(match[1])
        value = None if wide else value
    used = {area, year, value, *wide}
    dimensions = [i for i, k in enumerate(keys) if i not in used and k]
    columns = _Columns(area, year, value, wide, dimensions, scb)
    _check_columns(columns, headers, filename)
    return columns


def _first(keys: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def _check_columns(columns: _Columns, headers: list[str], filename: str) -> None:
    present = ", ".join(h for h in headers if h)[:300]
    missing_sv, missing_en = [], []
    if columns.area is None:
        missing_sv.append("område (kod eller namn) eller region")
        missing_en.append("area (code or name) or region")
    if not columns.wide_years and (columns.year is None or columns.value is None):
        missing_sv.append("år och folkmängd (eller en kolumn per år)")
        missing_en.append("year and population (or one column per year)")
    if missing_sv:
        raise InputError.single(
            f"Kolumner saknas: {'; '.join(missing_sv)}. Filen har: {present}.",
            f"Missing columns: {'; '.join(missing_en)}. The file has: {present}.",
            file=filename,
        )


def _cell(values: list[Any], index: int | None) -> Any:
    if index is None or index >= len(values):
        return ""
    return values[index]


def _integer(value: Any) -> int | None:
    """A whole number from a cell: 12345, "12 345", "12345", 12345.0; None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return int(float(text)) if "." in text else int(text)
    return None


@dataclass
class _Lookup:
    """Areas by code and by name, for matching the file's area column."""

    by_code: dict[str, list[Area]]
    by_name: dict[str, list[Area]]

    @classmethod
    def load(cls, areas: Any) -> _Lookup:
        by_code: dict[str, list[Area]] = {}
        by_name: dict[str, list[Area]] = {}
        for area in areas.only("pk", "name", "code", "kind", "municipality_id", "is_generated"):
            by_code.setdefault(_key(area.code), []).append(area)
            by_name.setdefault(_key(area.name), []).append(area)
        return cls(by_code, by_name)

    def find(self, text: str) -> list[Area]:
        key = _key(text)
        return self.by_code.get(key) or self.by_name.get(key) or []


def area_population_import(
    *,
    path: Path,
    filename: str | None = None,
    municipality_code: str | None = None,
    kind: str = "",
    source: str = "",
    is_generated: bool = False,
    by: Any = None,
    organisation: Any = None,
    commit: bool = True,
) -> PopulationImportResult:
    """Read a population file, check every row and, with ``commit``, write all rows or
    none (InputError naming file, row and field). Without ``commit`` nothing is written
    and the problems are returned for the preview."""
    filename = filename or path.name
    municipality = None
    if municipality_code:
        municipality = Municipality.objects.filter(code=municipality_code).first()
        if municipality is None:
            raise InputError.single(
                f"Okänd kommunkod {municipality_code!r}.",
                f"Unknown municipality code {municipality_code!r}.",
            )
    if kind and kind not in Area.Kind.values:
        raise InputError.single(
            f"Okänd områdestyp {kind!r}; välj bland {', '.join(Area.Kind.values)}.",
            f"Unknown area kind {kind!r}; choose one of {', '.join(Area.Kind.values)}.",
        )
    table = open_population_table(path, filename=filename)
    columns = _columns(table.headers, filename)
    result = PopulationImportResult(layout="scb" if columns.scb else "table")
    if not columns.scb and municipality is None:
        raise InputError.single(
            "Ange kommun: områdena i en tabell utan SCB:s regionkoder söks i en kommun.",
            "Give the municipality: the areas of a table without SCB's region codes are"
            " looked up in one municipality.",
            file=filename,
        )
    areas = Area.objects.all()
    if municipality is not None:
        areas = areas.filter(municipality=municipality)
    if kind:
        areas = areas.filter(kind=kind)
    if columns.scb:
        areas = Area.objects.filter(kind__in=[Area.Kind.DESO, Area.Kind.REGSO])
    _read_rows(table, columns, _Lookup.load(areas), municipality, filename, result)
    if not commit:
        return result
    if result.problems:
        raise InputError(result.problems)
    if not result.rows:
        raise InputError.single(
            "Filen innehåller inga folkmängder att importera.",
            "The file contains no populations to import.",
            file=filename,
        )
    with transaction.atomic():
        _write(result, source=(source or filename)[:SOURCE_MAX], is_generated=is_generated)
        audit_record(
            actor=by,
            action=AuditEntry.Action.IMPORT,
            organisation=organisation,
            object_type="areas.areapopulation",
            object_id=municipality.code if municipality else "",
            object_repr=f"Folkmängd / population: {filename}"[:300],
            changes={
                "rows": len(result.rows),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "years": sorted({r.year for r in result.rows}),
                "source": source or filename,
            },
            note=filename,
        )
    return result


def _totals_only(table: _Table, columns: _Columns) -> list[int]:
    """The dimension columns (ålder, kön …) that have a "totalt" value: only those rows count."""
    return [
        i
        for i in columns.dimensions
        if any(_key(_cell(values, i)) in TOTAL_VALUES for _, values in table.rows)
    ]


def _read_rows(
    table: _Table,
    columns: _Columns,
    lookup: _Lookup,
    municipality: Municipality | None,
    filename: str,
    result: PopulationImportResult,
) -> None:
    totals = _totals_only(table, columns) if columns.scb else []
    area_header = table.headers[columns.area or 0]
    seen: dict[tuple[int, int], int] = {}
    for number, values in table.rows:
        if any(_key(_cell(values, i)) not in TOTAL_VALUES for i in totals):
            continue
        raw_area = str(_cell(values, columns.area)).strip()
        area = _row_area(raw_area, columns, lookup, municipality, result, number, filename)
        for year_value, value, header in _row_values(table, columns, values):
            if len(result.problems) >= MAX_PROBLEMS:
                return
            where: dict[str, Any] = {"file": filename, "row": number}
            year = _integer(year_value)
            if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
                result.problems.append(
                    Problem(
                        f"Året {str(year_value)[:20]!r} är inget årtal ({FIRST_YEAR}–{LAST_YEAR}).",
                        f"The year {str(year_value)[:20]!r} is not a year"
                        f" ({FIRST_YEAR}–{LAST_YEAR}).",
                        field=table.headers[columns.year or 0],
                        **where,
                    )
                )
                continue
            population = _integer(value)
            if population is None or population > MAX_POPULATION:
                result.problems.append(
                    Problem(
                        f"Folkmängden {str(value)[:20]!r} är inget heltal mellan 0 och"
                        f" {numbers.number_in('sv', MAX_POPULATION)}.",
                        f"The population {str(value)[:20]!r} is not a whole number between 0"
                        f" and {numbers.number_in('en', MAX_POPULATION)}.",
                        field=header,
                        **where,
                    )
                )
                continue
            if area is None:
                continue
            first = seen.get((area.pk, year))
            if first is not None:
                result.problems.append(
                    Problem(
                        f"{area.name} {year} förekommer redan på rad {first}.",
                        f"{area.name} {year} already occurs on row {first}.",
                        field=area_header,
                        **where,
                    )
                )
                continue
            seen[(area.pk, year)] = number
            result.rows.append(
                PopulationRow(number, area.pk, area.name, area.kind, year, population)
            )


def _row_values(table: _Table, columns: _Columns, values: list[Any]) -> list[tuple[Any, Any, str]]:
    """(year, population, the population's column header) of a row: one per year column
    in the wide layout, else the row's own year and value."""
    if columns.wide_years:
        return [
            (year, _cell(values, i), table.headers[i]) for i, year in columns.wide_years.items()
        ]
    return [
        (
            _cell(values, columns.year),
            _cell(values, columns.value),
            table.headers[columns.value or 0],
        )
    ]


def _row_area(
    raw: str,
    columns: _Columns,
    lookup: _Lookup,
    municipality: Municipality | None,
    result: PopulationImportResult,
    number: int,
    filename: str,
) -> Area | None:
    """The row's area; None, with a problem recorded, or counted as left out on purpose."""
    header = "region" if columns.scb else ""
    where: dict[str, Any] = {"file": filename, "row": number, "field": header}
    if columns.scb:
        match = _SCB_CODE.match(raw)
        if match is None:
            if _SCB_OTHER.match(raw):
                result.not_areas += 1
                return None
            result.problems.append(
                Problem(
                    f"Regionen {raw[:40]!r} är ingen DeSO- eller RegSO-kod.",
                    f"The region {raw[:40]!r} is not a DeSO or RegSO code.",
                    **where,
                )
            )
            return None
        if municipality is not None and match[1] != municipality.code:
            result.other_municipalities += 1
            return None
        raw = match[1] + match[2]
        candidates = lookup.by_code.get(_key(raw), [])
    else:
        candidates = lookup.find(raw) if raw else []
    return _one_area(raw, candidates, columns, result, where)


def _one_area(
    raw: str,
    candidates: list[Area],
    columns: _Columns,
    result: PopulationImportResult,
    where: dict[str, Any],
) -> Area | None:
    where = {**where, "field": where["field"] or "område"}
    if not raw:
        result.problems.append(Problem("Området saknas.", "The area is missing.", **where))
        return None
    if not candidates:
        hint_sv, hint_en = "", ""
        if columns.scb:
            hint_sv = " Importera först SCB:s gränser (tryggnav import_scb_areas)."
            hint_en = " Import SCB's boundaries first (tryggnav import_scb_areas)."
        result.problems.append(
            Problem(
                f"Okänt område {raw[:60]!r}.{hint_sv}",
                f"Unknown area {raw[:60]!r}.{hint_en}",
                **where,
            )
        )
        return None
    if len(candidates) > 1:
        kinds = ", ".join(sorted({a.get_kind_display() for a in candidates}))
        result.problems.append(
            Problem(
                f"{raw[:60]!r} passar flera områden ({kinds}); välj områdestyp.",
                f"{raw[:60]!r} matches several areas ({kinds}); choose the area kind.",
                **where,
            )
        )
        return None
    area = candidates[0]
    if area.is_generated:
        result.problems.append(
            Problem(
                f"{area.name} har genererade gränser; ingen folkmängd kan höra till dem.",
                f"{area.name} has generated boundaries; no population can belong to them.",
                **where,
            )
        )
        return None
    return area


def _write(result: PopulationImportResult, *, source: str, is_generated: bool) -> None:
    area_ids = {r.area_id for r in result.rows}
    existing = {(p.area_id, p.year): p for p in AreaPopulation.objects.filter(area_id__in=area_ids)}
    for row in result.rows:
        current = existing.get((row.area_id, row.year))
        if current is None:
            AreaPopulation.objects.create(
                area_id=row.area_id,
                year=row.year,
                population=row.population,
                source=source,
                is_generated=is_generated,
            )
            result.created += 1
        elif (current.population, current.source, current.is_generated) != (
            row.population,
            source,
            is_generated,
        ):
            current.population, current.source = row.population, source
            current.is_generated = is_generated
            current.save()
            result.updated += 1
        else:
            result.unchanged += 1
    # Area.population stays the latest year's figure, for readers that want one number.
    latest: dict[int, int] = {}
    for area_id, population in (
        AreaPopulation.objects.filter(area_id__in=area_ids)
        .order_by("area_id", "year")
        .values_list("area_id", "population")
    ):
        latest[area_id] = population
    for area in Area.objects.filter(pk__in=area_ids).only("pk", "population"):
        if area.population != latest.get(area.pk):
            Area.objects.filter(pk=area.pk).update(population=latest.get(area.pk))


# Uploads on the web: kept between the preview and the import ----------------------------

STALE_UPLOAD_DAYS = 1


def population_upload_create(
    *,
    municipality: Municipality,
    organisation: Any,
    by: Any,
    filename: str,
    content: Any,
    kind: str = "",
    source: str = "",
) -> Any:
    """Keep an uploaded population file for its preview, once its header can be read
    (InputError, and nothing kept, when it cannot). Uploads left a day are removed."""

    cutoff = timezone.now() - datetime.timedelta(days=STALE_UPLOAD_DAYS)
    for stale in PopulationUpload.objects.filter(created__lt=cutoff):
        stale.file.delete(save=False)
        stale.delete()
    filename = Path(filename).name[:255] or "fil"
    upload = PopulationUpload(
        municipality=municipality,
        organisation=organisation,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        filename=filename,
        kind=kind,
        source=source[:SOURCE_MAX],
    )
    # Stored under a random name: the uploader's file name may say too much.
    upload.file.save(f"{upload.public_id.hex}{Path(filename).suffix.lower()}", content, save=False)
    try:
        _columns(open_population_table(Path(upload.file.path), filename=filename).headers, filename)
    except InputError:
        upload.file.delete(save=False)
        raise
    upload.save()
    return upload


def population_upload_preview(*, upload: Any) -> PopulationImportResult:
    return area_population_import(
        path=Path(upload.file.path),
        filename=upload.filename,
        municipality_code=upload.municipality_id,
        kind=upload.kind,
        commit=False,
    )


def population_upload_commit(*, upload: Any, by: Any) -> PopulationImportResult:
    """Import the upload, all or nothing (InputError when a row is wrong), then forget it."""
    result = area_population_import(
        path=Path(upload.file.path),
        filename=upload.filename,
        municipality_code=upload.municipality_id,
        kind=upload.kind,
        source=upload.source,
        by=by,
        organisation=upload.organisation,
    )
    upload.file.delete(save=False)
    upload.delete()
    return result


def _is_population_table(sample: Sample) -> bool:
    """A table whose header has an area (or SCB's region) column and the population by
    year (a year and a population column, or a column per year)."""
    try:
        if sample.is_zip:
            table = _xlsx_table(sample.raw, sample.filename)
        else:
            table = _csv_table(sample.head, sample.filename)
        _check_columns(_columns(table.headers, sample.filename), table.headers, sample.filename)
    except InputError:
        return False
    return True


imports.register(
    ImportFormat(
        name="area-population",
        target="areas",
        record=PopulationRow,
        detect=_is_population_table,
        read=open_population_table,
        label="Folkmängd per område (CSV, XLSX)",
        priority=20,
    )
)
