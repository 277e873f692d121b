"""Partner files as tables of cells: CSV (UTF-8 with or without BOM, Windows-1252; comma,
semicolon or tab) and the first sheet of an XLSX workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tryggnav.lib.errors import InputError
from tryggnav.lib.files import csv_delimiter, decode_text, open_xlsx, text_lines


@dataclass
class Table:
    """A file as headers and rows; ``fixed`` rows are already in target fields (Brottsplatskartan)."""

    kind: str
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    total: int
    fixed: bool = False


def csv_table(raw: bytes, filename: str) -> Table:
    text = decode_text(raw, filename=filename)
    delimiter = csv_delimiter(text.split("\n", 1)[0])
    # A lone "\r" ends a line too (old Mac exports): only StringIO splits those.
    lone_cr = text.count("\r") != text.count("\r\n")
    lines = io.StringIO(text, newline="") if lone_cr else text_lines(text)
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
    return Table(kind="partner", headers=headers, rows=_csv_rows(reader, filename), total=total)


def _csv_rows(reader: Any, filename: str) -> Iterator[tuple[int, list[Any]]]:
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


def xlsx_table(raw: bytes, filename: str) -> Table:
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
    total = max((sheet.max_row or number) - number, 0)
    return Table(kind="partner", headers=headers, rows=_xlsx_rows(iterator, number), total=total)


def _xlsx_rows(
    iterator: Iterator[tuple[Any, ...]], header_row: int
) -> Iterator[tuple[int, list[Any]]]:
    row_number = header_row
    for values in iterator:
        row_number += 1
        if any(v not in (None, "") for v in values):
            yield row_number, ["" if v is None else v for v in values]
