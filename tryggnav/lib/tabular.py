"""CSV and XLSX export, safe to open in a spreadsheet.

A cell that starts with = + - @ would be read as a formula by Excel and
LibreOffice ("CSV injection"); such cells get a leading apostrophe. So do cells
that start with what a spreadsheet trims or folds before it looks for a formula:
whitespace (space, tab, newline, carriage return, non-breaking space), the
fullwidth signs ＝ ＋ － ＠ (folded to = + - @ by some versions and input
methods), and a double quote (which can end the quoting and open a new cell in
a CSV that another tool re-reads). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

_FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    " ",
    "\u00a0",  # no-break space
    "\uff1d",  # fullwidth =
    "\uff0b",  # fullwidth +
    "\uff0d",  # fullwidth -
    "\uff20",  # fullwidth @
    '"',
)


def neutralise(value: Any) -> Any:
    """The value, with text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return neutralise(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";"
) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8 with BOM and semicolons, as Swedish Excel expects)."""
    writer = csv.writer(_Echo(), delimiter=delimiter)

    def generate() -> Iterable[str]:
        yield "\ufeff"
        yield writer.writerow([neutralise(h) for h in header])
        for row in rows:
            yield writer.writerow([_format(_cell(v)) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_format(_cell(v)) for v in row])
    return out.getvalue()


def _format(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.6g}"
    return value


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx workbook with one sheet per (title, header, rows)."""
    # openpyxl loads only for an Excel file, not for every page that imports this module.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([neutralise(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
