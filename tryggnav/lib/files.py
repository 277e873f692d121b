"""Reading import files safely, for every app: size limits (also after gunzip), text
encodings, JSON without surprises, Excel workbooks without XML entities, CSV tables.

Each helper raises ``tryggnav.lib.errors.InputError`` naming the file (and the row
where there is one) instead of letting a library's exception through.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from tryggnav.lib.errors import InputError


def max_import_bytes() -> int:
    return int(getattr(settings, "TRYGGNAV_MAX_IMPORT_BYTES", 200 * 1024 * 1024))


def _too_large(filename: str, limit: int) -> InputError:
    mb = limit / (1024 * 1024)
    return InputError.single(
        f"Filen är för stor; högst {mb:.0f} MB kan importeras. Dela upp den i flera filer.",
        f"The file is too large; at most {mb:.0f} MB can be imported. Split it into several files.",
        file=filename,
    )


def read_bytes(path: Path, *, filename: str | None = None) -> bytes:
    """The file's bytes, gunzipped when compressed; InputError if unreadable, empty or too large.

    The size limit (settings.TRYGGNAV_MAX_IMPORT_BYTES) applies to the file and to its
    uncompressed content, so a small "zip bomb" is refused as well.
    """
    filename = filename or path.name
    limit = max_import_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            raise _too_large(filename, limit)
        raw = path.read_bytes()
    except OSError as error:
        raise InputError.single(
            f"Filen kan inte läsas ({error.strerror or error}).",
            f"The file cannot be read ({error.strerror or error}).",
            file=filename,
        ) from error
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=_BytesReader(raw), mode="rb") as fh:  # type: ignore[call-overload]
                raw = fh.read(limit + 1)
        except (OSError, EOFError, zlib.error) as error:
            raise InputError.single(
                "Den komprimerade filen är trasig eller avkortad.",
                "The compressed file is corrupt or truncated.",
                file=filename,
            ) from error
        if len(raw) > limit:
            raise _too_large(filename, limit)
    if not raw.strip():
        raise InputError.single("Filen är tom.", "The file is empty.", file=filename)
    return raw


class _BytesReader:
    """A minimal file object over bytes (io.BytesIO would copy them)."""

    def __init__(self, data: bytes) -> None:
        self._view = memoryview(data)
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._pos + size
        chunk = self._view[self._pos : end].tobytes()
        self._pos += len(chunk)
        return chunk

    def readable(self) -> bool:
        return True


def decode_text(raw: bytes, *, filename: str) -> str:
    """Text of a partner file: UTF-8 (with or without BOM) or Windows-1252.

    UTF-16 and binary files are refused with a message instead of being read as
    garbage: they contain NUL bytes, which no CSV in UTF-8 or Windows-1252 has.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise InputError.single(
            "Filen har en teckenkodning som inte stöds (UTF-16 eller binär fil)."
            " Spara den som CSV UTF-8 eller som Excel-fil (.xlsx).",
            "The file has an unsupported encoding (UTF-16 or a binary file)."
            " Save it as CSV UTF-8 or as an Excel file (.xlsx).",
            file=filename,
        )
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise InputError.single(
            f"Filen innehåller ett NUL-tecken på rad {line}; det kan inte lagras.",
            f"The file contains a NUL character on line {line}; it cannot be stored.",
            file=filename,
            row=line,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise InputError.single(
            f"Filen är varken UTF-8 eller Windows-1252 (ogiltig byte på rad {line})."
            " Spara den som CSV UTF-8.",
            f"The file is neither UTF-8 nor Windows-1252 (invalid byte on line {line})."
            " Save it as CSV UTF-8.",
            file=filename,
            row=line,
        ) from error


# No file the importers read nests deeper than a GeoJSON MultiPolygon (8 levels).
MAX_JSON_DEPTH = 32
# Escapes of a NUL or of "\ud800"-"\udfff" in the text: only these give a string that
# cannot be stored (PostgreSQL has no NUL in text, UTF-8 no lone surrogates).
_BAD_CHARACTER_ESCAPE = re.compile(r"\\u(?:[dD][89a-fA-F]|0000)")
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def json_loads(text: str, *, filename: str) -> Any:
    """``json.loads``, refusing what the json module accepts but no importer can use.

    Refused with an InputError: data nested deeper than MAX_JSON_DEPTH (the json
    module would raise RecursionError at about 1,000 levels), lone UTF-16
    surrogates such as "\\ud800", which json accepts but UTF-8 cannot encode, and
    NUL characters, which PostgreSQL cannot store in text. A JSONDecodeError is left to the
    caller, which knows what the file should have been.
    """
    try:
        data = json.loads(text)
    except RecursionError as error:
        raise _too_deep(filename, None) from error
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # an integer of more than 4,300 digits
        raise InputError.single(
            f"Filen innehåller ett för stort tal ({error}).",
            f"The file contains a number that is too large ({error}).",
            file=filename,
        ) from error
    _check_json(data, filename=filename, suspicious=bool(_BAD_CHARACTER_ESCAPE.search(text)))
    return data


def _too_deep(filename: str, row: int | None) -> InputError:
    return InputError.single(
        f"JSON-datat är för djupt nästlat (högst {MAX_JSON_DEPTH} nivåer).",
        f"The JSON data is nested too deeply (at most {MAX_JSON_DEPTH} levels).",
        file=filename,
        row=row,
    )


def _check_json(data: Any, *, filename: str, suspicious: bool) -> None:
    """Walk the data without recursion: its depth, and its strings when they may hold a
    NUL or a lone surrogate. ``row`` is the record's position in the top-level list, or
    in a list under a key of the top-level object (such as "features"). json.loads makes
    exact dicts, lists and strs, so ``type() is`` tests suffice (and are faster)."""
    stack: list[tuple[Any, int, int | None]] = [(data, 1, None)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth, row = pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep(filename, row)
        kind = type(node)
        if kind is str:
            if _BAD_CHARACTER.search(node):
                raise _bad_character(filename, row)
            continue
        if kind is dict:
            if suspicious and any(_BAD_CHARACTER.search(key) for key in node):
                raise _bad_character(filename, row)
            children = node.values()
        elif kind is list:
            if row is None and depth <= 2:
                # The records, pushed last to first so that the first bad one is reported.
                for position in range(len(node), 0, -1):
                    push((node[position - 1], depth + 1, position))
                continue
            children = node
        else:
            continue
        depth += 1
        for child in children:
            kind = type(child)
            if kind is dict or kind is list or (suspicious and kind is str):
                push((child, depth, row))


def _bad_character(filename: str, row: int | None) -> InputError:
    return InputError.single(
        "Filen innehåller ett tecken som inte kan lagras (NUL, \\u0000, eller ett ensamt"
        " UTF-16-surrogat som \\ud800). Kontrollera programmet som skapade filen.",
        "The file contains a character that cannot be stored (NUL, \\u0000, or a lone"
        " UTF-16 surrogate such as \\ud800). Check the program that made the file.",
        file=filename,
        row=row,
    )


def _forbidden_xml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML; openpyxl re-raises that as its own ValueError."""
    for _ in range(10):  # a chain of causes, not a cycle
        if error is None:
            return False
        if type(error).__module__.startswith("defusedxml"):
            return True
        error = error.__cause__ or error.__context__
    return False


def _xlsx_error(filename: str, error: Exception) -> InputError:
    if _forbidden_xml(error):
        return InputError.single(
            "Excel-filen innehåller XML-entiteter (DTD), som inte tillåts av säkerhetsskäl."
            " Spara den på nytt i Excel eller LibreOffice.",
            "The Excel file contains XML entities (a DTD), which are not allowed for"
            " security reasons. Save it again in Excel or LibreOffice.",
            file=filename,
        )
    return InputError.single(
        "Excel-filen är trasig eller inte i formatet .xlsx.",
        "The Excel file is corrupt or not in the .xlsx format.",
        file=filename,
    )


# What openpyxl raises for a damaged file: a broken zip or deflate stream, malformed
# XML (ParseError is a SyntaxError), parts or attributes of the wrong kind, and
# defusedxml's refusal of entities (a ValueError).
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,
)


EXCEL_MAX_ROWS = 1_048_576


@dataclass
class XlsxSheet:
    """The first sheet of a workbook: its rows, and about how many there are."""

    rows: Iterator[tuple[Any, ...]]
    max_row: int | None


def open_xlsx(raw: bytes, *, filename: str) -> XlsxSheet:
    """The first sheet of an .xlsx file, read-only; InputError when it cannot be read.

    The sheet's <dimension> is only a hint, which some programs get wrong (or leave
    out); read-only openpyxl trusts it and drops the cells outside it, so the
    dimension is reset and the cells decide. XML is parsed by defusedxml (openpyxl
    uses it when installed), which refuses entity declarations. Errors that appear
    only while the rows are read become InputErrors too.
    """
    # Imported here: openpyxl is slow to import and only workbooks need it.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        max_row = sheet.max_row if isinstance(sheet.max_row, int) else None
        if max_row is not None and not 0 < max_row <= EXCEL_MAX_ROWS:
            max_row = None
        sheet.reset_dimensions()
    except XLSX_ERRORS as error:
        raise _xlsx_error(filename, error) from error

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            yield from sheet.iter_rows(values_only=True)
        except XLSX_ERRORS as error:
            raise _xlsx_error(filename, error) from error
        finally:
            workbook.close()

    return XlsxSheet(rows=rows(), max_row=max_row)


def load_json(raw: bytes, *, filename: str, what: str = "Filen", what_en: str = "The file") -> Any:
    """JSON from a file's bytes (UTF-8, BOM allowed), with bilingual errors naming the line.

    A file that ends in the middle of the data is called truncated, the common case
    of an interrupted download.
    """
    try:
        return json_loads(raw.decode("utf-8-sig"), filename=filename)
    except UnicodeDecodeError as error:
        raise InputError.single(
            f"{what} är inte UTF-8 (JSON ska vara UTF-8).",
            f"{what_en} is not UTF-8 (JSON must be UTF-8).",
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


def csv_delimiter(first_line: str) -> str:
    """The delimiter of a CSV file from its header line: the most frequent of ; , and tab."""
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return delimiter if first_line.count(delimiter) else ","


def text_lines(text: str) -> Iterator[str]:
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
