"""Reading survey results from CSV and XLSX files (the format of docs/data-formats.md).

``parse_results`` reads and validates a whole file without writing anything and
returns every row with its problems, for the preview; services.survey_results_import
writes a file only when no row has a problem, in one transaction.

Estimates are shares 0–1 or percentages 0–100, decided once per file: if any
estimate is above 1 (or written with "%"), all estimates, SEs and interval bounds
of the file are percentages and are divided by 100. The result says which it chose.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tryggnav.areas.models import County, Municipality
from tryggnav.lib import imports
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import decode_text, open_xlsx, read_bytes
from tryggnav.lib.imports import ImportFormat, Row, Sample
from tryggnav.surveys.models import COUNTRY_CODE, Provider, UnitType

COLUMNS = [
    "survey",
    "provider",
    "year",
    "indicator",
    "unit_type",
    "unit_code",
    "unit_name",
    "group",
    "estimate",
    "n",
    "se",
    "deff",
    "ci_low",
    "ci_high",
]
OPTIONAL_COLUMNS = ["parent_code", "question", "note"]
# More than Sweden's population answering is a mistake (and would overflow the column).
MAX_RESPONDENTS = 10_000_000
REQUIRED = ["survey", "provider", "year", "indicator", "unit_type", "estimate"]

# Swedish column names people write in their own sheets.
ALIASES = {
    "undersökning": "survey",
    "utgivare": "provider",
    "år": "year",
    "indikator": "indicator",
    "enhetstyp": "unit_type",
    "enhetskod": "unit_code",
    "enhet": "unit_name",
    "grupp": "group",
    "andel": "estimate",
    "standardfel": "se",
    "designeffekt": "deff",
    "nedre": "ci_low",
    "övre": "ci_high",
    "kommunkod": "parent_code",
    "fråga": "question",
    "anmärkning": "note",
}

PROVIDERS = {
    "scb": Provider.SCB,
    "scb medborgarundersökning": Provider.SCB,
    "medborgarundersökning": Provider.SCB,
    "bra_ntu": Provider.BRA_NTU,
    "brå": Provider.BRA_NTU,
    "bra": Provider.BRA_NTU,
    "ntu": Provider.BRA_NTU,
    "polisen": Provider.POLICE,
    "polis": Provider.POLICE,
    "police": Provider.POLICE,
    "kommun": Provider.MUNICIPALITY,
    "egen": Provider.MUNICIPALITY,
    "own": Provider.MUNICIPALITY,
    "municipality": Provider.MUNICIPALITY,
    "annan": Provider.OTHER,
    "other": Provider.OTHER,
}

UNIT_TYPES = {
    "country": UnitType.COUNTRY,
    "riket": UnitType.COUNTRY,
    "land": UnitType.COUNTRY,
    "county": UnitType.COUNTY,
    "län": UnitType.COUNTY,
    "lan": UnitType.COUNTY,
    "municipality": UnitType.MUNICIPALITY,
    "kommun": UnitType.MUNICIPALITY,
    "area": UnitType.AREA,
    "område": UnitType.AREA,
    "omrade": UnitType.AREA,
}

GROUPS = {
    "": "alla",
    "all": "alla",
    "alla": "alla",
    "totalt": "alla",
    "total": "alla",
    "women": "kvinnor",
    "female": "kvinnor",
    "kvinnor": "kvinnor",
    "kvinna": "kvinnor",
    "men": "män",
    "male": "män",
    "män": "män",
    "man": "män",
}
_AGE_BAND = re.compile(r"(\d{1,3})\s*[-–—]\s*(\d{1,3})(?:\s*år)?")
_AGE_OVER = re.compile(r"(\d{1,3})\s*(?:\+|år\s+och\s+äldre|and over|-)\s*(?:år)?")


@dataclass(frozen=True)
class SurveyResultRecord:
    """A valid row of a results file: the survey and indicator it belongs to, and the result."""

    survey: str
    provider: str
    year: int
    indicator: str
    question: str
    unit_type: str
    unit_code: str
    unit_name: str
    municipality_code: str | None
    county_code: str | None
    group: str
    estimate: float
    n: int | None
    se: float | None
    deff: float | None
    ci_low: float | None
    ci_high: float | None
    note: str

    def result_values(self) -> dict[str, Any]:
        """The fields of the survey's ``Result`` this row sets."""
        return {
            "unit_type": self.unit_type,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "municipality_id": self.municipality_code,
            "county_id": self.county_code,
            "group": self.group,
            "estimate": self.estimate,
            "n": self.n,
            "se": self.se,
            "deff": self.deff,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "note": self.note,
        }


_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(SurveyResultRecord))


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # The estimate as the import preview shows it; set by the view.
    shown_estimate: str = field(default="", compare=False)

    @property
    def record(self) -> SurveyResultRecord | None:
        """The typed record of a valid row (None while it has problems)."""
        if self.problems:
            return None
        return SurveyResultRecord(**{name: self.values[name] for name in _RECORD_FIELDS})

    def as_row(self) -> Row[SurveyResultRecord]:
        """The row as the import writer takes it."""
        return Row(self.row, self.record, list(self.problems))

    @property
    def key(self) -> tuple:
        v = self.values
        return (
            v.get("survey"),
            v.get("provider"),
            v.get("year"),
            v.get("indicator"),
            v.get("unit_type"),
            v.get("unit_code"),
            v.get("group"),
        )


@dataclass
class ParsedFile:
    filename: str
    rows: list[ParsedRow]
    percent: bool
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + [p for row in self.rows for p in row.problems]

    @property
    def ok(self) -> bool:
        return not self.all_problems

    def scale_note(self) -> tuple[str, str]:
        if self.percent:
            return (
                "Andelarna är angivna i procent (0–100) och har räknats om till andelar.",
                "Estimates are given as percentages (0–100) and were converted to shares.",
            )
        return (
            "Andelarna är angivna som andelar (0–1).",
            "Estimates are given as shares (0–1).",
        )

    def raise_if_problems(self) -> None:
        if not self.ok:
            raise InputError(self.all_problems)


def _header_key(name: Any) -> str:
    key = str(name or "").strip().lower().replace(" ", "_")
    return ALIASES.get(key, key)


def _read_table(raw: bytes, filename: str) -> list[list[Any]]:
    if raw[:4] == b"PK\x03\x04":
        return _read_xlsx(raw, filename)
    text = decode_text(raw, filename=filename)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if first.count("\t") > max(first.count(";"), first.count(",")):
        delimiter = "\t"
    try:
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise InputError.single(
            f"Filen kan inte läsas som CSV ({error}).",
            f"The file cannot be read as CSV ({error}).",
            file=filename,
        ) from error


def _read_xlsx(raw: bytes, filename: str) -> list[list[Any]]:
    return [list(row) for row in open_xlsx(raw, filename=filename).rows]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u00a0", " ").strip()


def _number(value: Any) -> tuple[float | None, bool]:
    """A number from a cell: decimal comma, spaces between thousands, an optional "%".
    Returns (value, had_percent_sign); raises ValueError when it is not a number."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value), False
    text = _text(value)
    if not text:
        return None, False
    percent = text.endswith("%")
    text = text.rstrip("%").strip().replace(" ", "").replace("\u2212", "-")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError
    return number, percent


def _group(text: str) -> str | None:
    key = text.strip().lower()
    if key in GROUPS:
        return GROUPS[key]
    match = _AGE_BAND.fullmatch(key)
    if match:
        return f"{int(match[1])}–{int(match[2])} år"
    match = _AGE_OVER.fullmatch(key)
    if match:
        return f"{int(match[1])}+ år"
    return None


def parse_results(path: Path, *, filename: str | None = None) -> ParsedFile:
    """Read and check every row of a results file; write nothing. InputError only when the
    file as a whole cannot be read (encoding, format, missing columns)."""
    filename = filename or path.name
    raw = read_bytes(path, filename=filename)
    table = [row for row in _read_table(raw, filename) if any(_text(c) for c in row)]
    if not table:
        raise InputError.single("Filen är tom.", "The file is empty.", file=filename)
    header = _checked_header(table[0], filename)
    known = set(COLUMNS) | set(OPTIONAL_COLUMNS)
    ignored = [h for h in header if h and h not in known]
    records = [
        (
            index,
            {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header) if h in known},
        )
        for index, cells in enumerate(table[1:], start=2)
    ]
    percent = _detect_percent(records)
    municipalities = {m.code: m for m in Municipality.objects.defer("geometry")}
    counties = {c.code: c for c in County.objects.defer("geometry")}
    rows = [
        _parse_row(index, record, filename, percent, municipalities, counties)
        for index, record in records
    ]
    _refuse_repeats(rows, filename)
    problems: list[Problem] = []
    if not rows:
        problems.append(
            Problem(
                "Filen har inga rader med resultat.", "The file has no result rows.", file=filename
            )
        )
    return ParsedFile(filename, rows, percent, problems, ignored)


def _checked_header(cells: list[Any], filename: str) -> list[str]:
    """The header row as column keys; InputError when a required column is missing or
    a column appears twice."""
    header = [_header_key(h) for h in cells]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            [
                Problem(
                    f"Kolumnen {name!r} saknas (kolumner: {', '.join(COLUMNS)}).",
                    f"Column {name!r} is missing (columns: {', '.join(COLUMNS)}).",
                    file=filename,
                    row=1,
                    field=name,
                )
                for name in missing
            ]
        )
    duplicates = sorted({h for h in header if h and header.count(h) > 1})
    if duplicates:
        raise InputError.single(
            f"Kolumnen {duplicates[0]!r} finns flera gånger.",
            f"Column {duplicates[0]!r} appears more than once.",
            file=filename,
            row=1,
            field=duplicates[0],
        )
    return header


def _refuse_repeats(rows: list[ParsedRow], filename: str) -> None:
    """A valid row with the survey, indicator, unit and group of an earlier one is an error."""
    seen: dict[tuple, int] = {}
    for row in rows:
        if row.problems:
            continue
        if row.key in seen:
            row.problems.append(
                Problem(
                    f"Samma undersökning, indikator, enhet och grupp som rad {seen[row.key]}.",
                    f"Same survey, indicator, unit and group as row {seen[row.key]}.",
                    file=filename,
                    row=row.row,
                    field="unit_code",
                )
            )
        else:
            seen[row.key] = row.row


def _detect_percent(records: list[tuple[int, dict[str, Any]]]) -> bool:
    for _index, record in records:
        try:
            value, sign = _number(record.get("estimate"))
        except ValueError:
            continue
        if sign or (value is not None and value > 1):
            return True
    return False


def _parse_row(
    index: int,
    record: dict[str, Any],
    filename: str,
    percent: bool,
    municipalities: dict[str, Municipality],
    counties: dict[str, County],
) -> ParsedRow:
    row = ParsedRow(index)
    values = row.values

    def problem(name: str, sv: str, en: str) -> None:
        row.problems.append(Problem(sv, en, file=filename, row=index, field=name))

    _parse_names(record, values, problem)
    _parse_unit(record, values, problem, municipalities, counties)
    group = _group(_text(record.get("group")))
    if group is None:
        problem(
            "group",
            f"Okänd grupp {_text(record.get('group'))!r}; ange alla, kvinnor, män eller ett "
            "åldersintervall som 16–29.",
            f"Unknown group {_text(record.get('group'))!r}; use all, women, men or an age band "
            "such as 16-29.",
        )
    values["group"] = group
    _parse_numbers(record, values, problem, percent)
    if values.get("estimate") is None and not any(p.field == "estimate" for p in row.problems):
        problem("estimate", "Andel saknas.", "Estimate missing.")
    _check_numbers(values, problem)
    values["question"] = _text(record.get("question"))
    values["note"] = _text(record.get("note"))[:300]
    return row


_Report = Callable[[str, str, str], None]


def _parse_names(record: dict[str, Any], values: dict[str, Any], problem: _Report) -> None:
    """The survey, indicator, provider and year."""
    for name in ("survey", "indicator"):
        text = _text(record.get(name))
        if not text:
            problem(name, "Värde saknas.", "Value missing.")
        elif len(text) > (200 if name == "survey" else 300):
            problem(name, "Texten är för lång.", "The text is too long.")
        values[name] = text
    provider = PROVIDERS.get(_text(record.get("provider")).lower())
    if provider is None:
        problem(
            "provider",
            f"Okänd utgivare {_text(record.get('provider'))!r}; ange scb, bra_ntu, polisen, "
            "kommun eller annan.",
            f"Unknown provider {_text(record.get('provider'))!r}; use scb, bra_ntu, polisen, "
            "kommun or annan.",
        )
    values["provider"] = provider
    year_text = _text(record.get("year"))
    year_valid = re.fullmatch(r"(19|20)[0-9][0-9]", year_text)
    if not year_valid:
        problem("year", f"Ogiltigt år {year_text[:20]!r}.", f"Invalid year {year_text[:20]!r}.")
    values["year"] = int(year_text) if year_valid else None


def _parse_numbers(
    record: dict[str, Any], values: dict[str, Any], problem: _Report, percent: bool
) -> None:
    """The estimate, its precision and the number of respondents, as shares 0–1."""
    scale = 100.0 if percent else 1.0
    for name in ("estimate", "se", "ci_low", "ci_high", "deff", "n"):
        try:
            number, _sign = _number(record.get(name))
        except (ValueError, TypeError):
            problem(
                name,
                f"{_text(record.get(name))!r} är inget tal.",
                f"{_text(record.get(name))!r} is not a number.",
            )
            values[name] = None
            continue
        if number is not None and name in ("estimate", "se", "ci_low", "ci_high"):
            number /= scale
        values[name] = number


def _check_numbers(values: dict[str, Any], problem: _Report) -> None:
    """Shares within 0–1, a whole number of respondents, positive SE and design effect,
    an interval given whole and containing the estimate."""
    for name in ("estimate", "ci_low", "ci_high"):
        value = values.get(name)
        if value is not None and not 0 <= value <= 1:
            problem(
                name,
                "Värdet ligger utanför 0–100 % (0–1).",
                "The value lies outside 0–100 % (0–1).",
            )
    n = values.get("n")
    if n is not None:
        if n != int(n) or not 1 <= n <= MAX_RESPONDENTS:
            problem(
                "n",
                "Antal svarande ska vara ett heltal från 1 till 10 000 000.",
                "The number of respondents must be a whole number from 1 to 10,000,000.",
            )
        else:
            values["n"] = int(n)
    for name in ("se", "deff"):
        value = values.get(name)
        if value is not None and value <= 0:
            problem(name, "Värdet ska vara större än 0.", "The value must be greater than 0.")
    low, high, estimate = values.get("ci_low"), values.get("ci_high"), values.get("estimate")
    if (low is None) != (high is None):
        problem(
            "ci_high" if high is None else "ci_low",
            "Ange både nedre och övre gräns för intervallet, eller ingen.",
            "Give both the lower and the upper interval bound, or neither.",
        )
    elif low is not None and estimate is not None and not low <= estimate <= high:
        problem(
            "ci_low",
            "Intervallet ska innehålla andelen (nedre ≤ andel ≤ övre).",
            "The interval must contain the estimate (low ≤ estimate ≤ high).",
        )


def _parse_unit(record, values, problem, municipalities, counties) -> None:
    unit_type = UNIT_TYPES.get(_text(record.get("unit_type")).lower())
    code = _text(record.get("unit_code"))
    name = _text(record.get("unit_name"))
    values.update(
        unit_type=unit_type,
        unit_code=code,
        unit_name=name,
        municipality_code=None,
        county_code=None,
    )
    if unit_type is None:
        problem(
            "unit_type",
            f"Okänd enhetstyp {_text(record.get('unit_type'))!r}; ange country, county, "
            "municipality eller area.",
            f"Unknown unit type {_text(record.get('unit_type'))!r}; use country, county, "
            "municipality or area.",
        )
        return
    if unit_type == UnitType.COUNTRY:
        if code and code.upper() not in (COUNTRY_CODE, "00", "0"):
            problem("unit_code", "Riket har koden SE.", "The country's code is SE.")
        values.update(unit_code=COUNTRY_CODE, unit_name=name or "Sverige")
    elif unit_type == UnitType.COUNTY:
        code = code.zfill(2) if code.isdigit() else code
        county = counties.get(code)
        if county is None:
            problem("unit_code", f"Okänd länskod {code!r}.", f"Unknown county code {code!r}.")
            return
        values.update(unit_code=code, unit_name=name or county.name, county_code=code)
    elif unit_type == UnitType.MUNICIPALITY:
        code = code.zfill(4) if code.isdigit() else code
        municipality = municipalities.get(code)
        if municipality is None:
            problem(
                "unit_code", f"Okänd kommunkod {code!r}.", f"Unknown municipality code {code!r}."
            )
            return
        values.update(
            unit_code=code,
            unit_name=name or municipality.short_name,
            municipality_code=code,
            county_code=municipality.county_id,
        )
    else:
        parent = _text(record.get("parent_code"))
        if not parent:
            match = re.match(r"(\d{4})[-_ ]", code)
            parent = match[1] if match else ""
        parent = parent.zfill(4) if parent.isdigit() else parent
        municipality = municipalities.get(parent)
        if not code:
            problem("unit_code", "Områdets kod saknas.", "The area's code is missing.")
        if not name:
            problem("unit_name", "Områdets namn saknas.", "The area's name is missing.")
        if municipality is None:
            problem(
                "parent_code",
                "Ange områdets kommun: kolumnen parent_code eller en kod som börjar med "
                "kommunkoden (0126-mellersta).",
                "Give the area's municipality: the parent_code column or a code starting "
                "with the municipality code (0126-mellersta).",
            )
            return
        values.update(municipality_code=parent, county_code=municipality.county_id)


def parse_record(record: dict[str, Any], *, percent: bool, filename: str = "") -> ParsedRow:
    """One row given by hand (the result form), checked by the same rules as a file row."""
    municipalities = {m.code: m for m in Municipality.objects.defer("geometry")}
    counties = {c.code: c for c in County.objects.defer("geometry")}
    return _parse_row(0, record, filename, percent, municipalities, counties)


# Columns that make a table a results file (after the Swedish aliases).
SIGNATURE = {"survey", "indicator", "estimate"}


def _is_results_table(sample: Sample) -> bool:
    return SIGNATURE <= {_header_key(cell) for cell in sample.header}


imports.register(
    ImportFormat(
        name="survey-results",
        target="surveys",
        record=SurveyResultRecord,
        detect=_is_results_table,
        read=parse_results,
        label="Undersökningsresultat (CSV, XLSX)",
        priority=25,
    )
)
