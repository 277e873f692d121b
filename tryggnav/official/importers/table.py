"""Reading the official statistics' exports: CSV or XLSX to rows of text, the header
row found among title lines, Swedish numbers and missing-value marks, municipalities
by code or name, and periods ("2024", "2024K1", "2024 kv 1").

Swedish official statistics write numbers with a space (or a no-break space) as the
thousands separator and a decimal comma, and mark a missing value with ".." (not
available) or "-" (nothing to report, or hidden); these become ``None``, never 0.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tryggnav.areas.models import Municipality
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import decode_text, open_xlsx
from tryggnav.lib.imports import Sample

# Header rows are looked for among the first rows (Brå and IDA put a title above).
HEADER_SEARCH_ROWS = 30
MISSING = {"", "..", "...", ".", "-", "–", "—", "x", "×"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_INTEGER = re.compile(r"[+]?\d+")
_DECIMAL = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(
    r"(?:(\d{4})\s*[-–]?\s*(?:k|kv|kvartal|q)\.?\s*([1-4]))"
    r"|(?:(?:k|kv|kvartal|q)\.?\s*([1-4])\s*[-–,]?\s*(\d{4}))"
)
FIRST_YEAR, LAST_YEAR = 1950, 2100


@dataclass
class Line:
    """One row of the file: its number as a spreadsheet shows it, and its cells."""

    number: int
    cells: list[str]

    def get(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    @property
    def blank(self) -> bool:
        return not any(self.cells)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value).strip()


def read_lines(raw: bytes, *, filename: str) -> list[Line]:
    """The file's rows as text; an .xlsx (a zip, "PK") by its first sheet, else CSV
    with the delimiter (; , tab) that the first lines use most."""
    if raw[:2] == b"PK":
        sheet = open_xlsx(raw, filename=filename)
        return [
            Line(number, [_cell_text(v) for v in row])
            for number, row in enumerate(sheet.rows, start=1)
        ]
    text = decode_text(raw, filename=filename)
    head = text[:4096]
    delimiter = max([";", ",", "\t"], key=head.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [
            Line(number, [c.strip() for c in row]) for number, row in enumerate(reader, start=1)
        ]
    except csv.Error as error:
        raise InputError.single(
            f"CSV-filen kan inte läsas ({error}).",
            f"The CSV file cannot be read ({error}).",
            file=filename,
        ) from error


def normalise(text: str) -> str:
    """Lower case, single spaces, no trailing colon: for matching headers and names."""
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", text)).strip().lower()
    return text.rstrip(":").strip()


def find_header(
    lines: list[Line],
    aliases: dict[str, tuple[str, ...]],
    required: Iterable[str],
    *,
    filename: str,
    extra: Any = None,
) -> tuple[int, dict[str, int]]:
    """The position of the header row and the column of each named field.

    A header row is the first of the first HEADER_SEARCH_ROWS rows in which every
    required field has a column (by any of its aliases). ``extra(cells)`` may accept
    a row without some required fields (a wide table's period columns).
    """
    required = list(required)
    for position, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for index, cell in enumerate(line.cells):
            name = normalise(cell)
            for field, names in aliases.items():
                if name in names and field not in columns:
                    columns[field] = index
        if all(f in columns for f in required):
            return position, columns
        if extra is not None and extra(line, columns):
            return position, columns
    expected = ", ".join(aliases[f][0] for f in required)
    raise InputError.single(
        f"Hittade ingen rubrikrad med kolumnerna {expected} bland de första"
        f" {HEADER_SEARCH_ROWS} raderna. Kontrollera att filen är en export av rätt tabell.",
        f"Found no header row with the columns {expected} among the first"
        f" {HEADER_SEARCH_ROWS} rows. Check that the file is an export of the right table.",
        file=filename,
    )


def is_missing(text: str) -> bool:
    return normalise(text) in MISSING


def parse_count(text: str, *, filename: str, row: int, field: str) -> int | None | Problem:
    """A non-negative whole number ("12 345", "12\u00a0345", "1200"); None when missing."""
    if is_missing(text):
        return None
    compact = _SPACES.sub("", text)
    if compact.endswith((",0", ".0")):
        compact = compact[:-2]
    if not _INTEGER.fullmatch(compact):
        return Problem(
            f"{text!r} är inte ett antal (ett heltal, 0 eller mer; saknade värden skrivs .. eller -).",
            f"{text!r} is not a count (a whole number, 0 or more; missing values are .. or -).",
            file=filename,
            row=row,
            field=field,
        )
    return int(compact)


def parse_value(text: str, *, filename: str, row: int, field: str) -> float | None | Problem:
    """A decimal number with a decimal comma or point and spaces between thousands."""
    if is_missing(text):
        return None
    compact = _SPACES.sub("", text)
    if not _DECIMAL.fullmatch(compact):
        return Problem(
            f"{text!r} är inte ett tal.",
            f"{text!r} is not a number.",
            file=filename,
            row=row,
            field=field,
        )
    return float(compact.replace(",", "."))


def parse_period(text: str) -> tuple[int, int] | None:
    """(year, quarter) from "2024" (quarter 0, the whole year), "2024K1", "2024 kv 1",
    "2024-Q1", "kvartal 1 2024"; None when the text is no period."""
    name = normalise(text)
    match = _QUARTER.fullmatch(name)
    if match:
        year = int(match[1] or match[4])
        quarter = int(match[2] or match[3])
    elif re.fullmatch(r"\d{4}", name):
        year, quarter = int(name), 0
    else:
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return year, quarter


class Municipalities:
    """Sweden's municipalities by code and by name ("0126", "Huddinge", "Huddinge
    kommun", "0126 Huddinge", "Huddinge (0126)")."""

    def __init__(self) -> None:

        self.by_key: dict[str, Any] = {}
        for municipality in Municipality.objects.all():
            self.by_key[municipality.code] = municipality
            for name in (municipality.short_name, municipality.name):
                self.by_key.setdefault(normalise(name), municipality)
                self.by_key.setdefault(normalise(name) + " kommun", municipality)

    def find(self, text: str) -> Any:
        name = normalise(text)
        if name in self.by_key:
            return self.by_key[name]
        code = re.match(r"(\d{4})\b", name) or re.search(r"\((\d{4})\)$", name)
        if code and code[1] in self.by_key:
            return self.by_key[code[1]]
        if code:
            rest = normalise(name.replace(code[0], "")).strip("() -")
            return self.by_key.get(rest)
        return None


def unknown_municipality(text: str, *, filename: str, row: int, field: str) -> Problem:
    return Problem(
        f"Okänd kommun {text!r}: ange kommunkod (fyra siffror) eller kommunens namn.",
        f"Unknown municipality {text!r}: give the municipality code (four digits) or its name.",
        file=filename,
        row=row,
        field=field,
    )


def other_municipality(
    municipality: Any, only: Any, *, filename: str, row: int, field: str
) -> Problem:
    return Problem(
        f"Raden gäller {municipality}, men importen gäller {only}.",
        f"The row is about {municipality}, but the import is for {only}.",
        file=filename,
        row=row,
        field=field,
    )


def duplicate(key: str, first: int, *, filename: str, row: int) -> Problem:
    return Problem(
        f"Raden upprepar {key} från rad {first}.",
        f"The row repeats {key} from row {first}.",
        file=filename,
        row=row,
    )


def raise_problems(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)


def sample_has_header(
    sample: Sample, aliases: dict[str, tuple[str, ...]], required: Iterable[str]
) -> bool:
    """Whether a file's first rows hold a header with the ``required`` columns (for the
    registry's detection: the first 64 KB of a CSV, the first sheet of a workbook)."""
    raw = sample.raw if sample.is_zip else sample.head
    try:
        lines = read_lines(raw, filename=sample.filename)
        find_header(lines, aliases, required, filename=sample.filename)
    except InputError:
        return False
    return True
