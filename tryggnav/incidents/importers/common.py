"""What the importers share: reading files safely, Swedish dates, the summary, progress."""

from __future__ import annotations

import datetime
import functools
import gzip
import io
import json
import os
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from tryggnav.lib.errors import InputError, Problem

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A reported time this far ahead of the clock is a mistake, not a clock skew.
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)
# Rows per bulk write; also how often progress is reported.
BATCH = 2000

Progress = Callable[[int, int], None]


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    summaries: int = 0
    # (row, reason) for rejected rows, at most MAX_REASONS kept.
    reasons: list[str] = field(default_factory=list)
    MAX_REASONS = 200

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def reject(self, problem: Problem) -> None:
        self.rejected += 1
        if len(self.reasons) < self.MAX_REASONS:
            self.reasons.append(str(problem))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        text = (
            f"{self.created} skapade, {self.updated} uppdaterade, {self.unchanged} oförändrade,"
            f" {self.rejected} avvisade / {self.created} created, {self.updated} updated,"
            f" {self.unchanged} unchanged, {self.rejected} rejected"
        )
        if self.summaries:
            text += (
                f" (varav {self.summaries} sammanfattningar som inte räknas i statistiken"
                f" / of which {self.summaries} summaries, not counted in statistics)"
            )
        return text


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


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augusti", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ t]+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?)?"
    r"\s*(z|[+-]\d{2}:?\d{2})?"
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:[ t]?(\d{2})[:.]?(\d{2})(?:[:.]?(\d{2}))?)?")
_DAY_FIRST = re.compile(
    r"(\d{1,2})[./](\d{1,2})[./](\d{4})(?:[ t,]+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
)
_WORDS = re.compile(
    r"(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})"
    r"(?:[ ,]+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
)
_TIME = re.compile(r"(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?")


def _offset(text: str | None) -> datetime.tzinfo:
    if not text:
        return STOCKHOLM
    if text == "z":
        return datetime.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    delta = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return datetime.timezone(sign * delta)


def parse_time_of_day(value: str) -> datetime.time | None:
    match = _TIME.fullmatch(value.strip().lower())
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    try:
        return datetime.time(hour, minute, second)
    except ValueError:
        return None


def parse_swedish_datetime(value: Any) -> tuple[datetime.datetime, bool] | None:
    """A moment from a Swedish spreadsheet cell, and whether it had a time of day.

    Accepted: ISO 8601 ("2024-03-05", "2024-03-05 14:30", "2024-03-05T14:30:00+01:00",
    "2024-03-05 kl. 14.30"), compact "20240305 1430", day first "5/3/2024" or
    "05.03.2024 14:30", and words "5 mars 2024 14.30". Without a zone the time is
    Swedish local time. Returns None when the value is not a date.
    """
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)
        # Spreadsheets give a date cell as midnight: read that as a date without a time.
        return moment, bool(value.tzinfo) or value.time() != datetime.time(0)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=STOCKHOLM), False
    text = str(value).strip().lower()
    if not text:
        return None
    # The common "2024-03-05 14:30" and "2024-03-05" by slicing, before the patterns.
    if (len(text) == 16 and text[13] == ":" and text[10] == " ") or len(text) == 10:
        if text[4] == "-" and text[7] == "-":
            digits = text[:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16]
            if digits.isascii() and digits.isdigit():
                try:
                    return datetime.datetime(
                        int(digits[:4]),
                        int(digits[4:6]),
                        int(digits[6:8]),
                        int(digits[8:10] or 0),
                        int(digits[10:12] or 0),
                        tzinfo=STOCKHOLM,
                    ), len(text) == 16
                except ValueError:
                    return None
    zone = None
    match = _ISO.fullmatch(text)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
    else:
        for pattern in (_COMPACT, _DAY_FIRST, _WORDS):
            match = pattern.fullmatch(text)
            if match:
                break
        else:
            return None
        if pattern is _DAY_FIRST:
            day, month, year, hour, minute, second = match.groups()
        elif pattern is _WORDS:
            day, month_name, year, hour, minute, second = match.groups()
            month = MONTHS.get(month_name)
            if month is None:
                return None
        else:
            year, month, day, hour, minute, second = match.groups()
    try:
        moment = datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=_offset(zone),
        )
    except ValueError:
        return None
    return moment, hour is not None


_SCREEN_FILTER: re.Pattern[str] | None = None
# Every screening pattern needs two digits (at most a space or hyphen between) or an "@".
_MAY_HAVE_PERSONAL_DATA = re.compile(r"\d[\s-]?\d|@")


@functools.cache
def _screening() -> Any:
    try:
        from tryggnav.lib import screening
    except ImportError:  # the screening module is optional in minimal installs
        return None
    return screening


def mask_text(text: str) -> tuple[str, bool]:
    """The text with personal data masked, and whether there was any (screening.screen).

    Most texts have nothing to mask; two cheap searches say so before the full
    screening: a digit pair or "@", then one pattern joining the screening's own
    patterns (a necessary condition for any of them to match).
    """
    global _SCREEN_FILTER
    if not text:
        return "", False
    if not _MAY_HAVE_PERSONAL_DATA.search(text):
        return text, False
    screening = _screening()
    if screening is None:
        return text, False
    if _SCREEN_FILTER is None:
        patterns = [
            getattr(screening, name, None)
            for name in ("_ID_NUMBER", "_EMAIL", "_PHONE", "_PLATE", "_PLATE_LOWER")
        ]
        if all(isinstance(p, re.Pattern) and not p.flags & ~re.UNICODE for p in patterns):
            _SCREEN_FILTER = re.compile("|".join(f"(?:{p.pattern})" for p in patterns))  # type: ignore[union-attr]
        else:  # the screening changed its patterns: screen everything
            _SCREEN_FILTER = re.compile("")
    if not _SCREEN_FILTER.search(text):
        return text, False
    result = screening.screen(text)
    return result.masked, result.has_personal_data


def in_future(moment: datetime.datetime, now: datetime.datetime) -> bool:
    return moment > now + FUTURE_TOLERANCE


# Years outside these are typing errors ("0024-03-05", "20244-03-05"); far-off years
# would also overflow the date arithmetic of the importers and the weekly rollup.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def outside_years(moment: datetime.datetime) -> bool:
    return not FIRST_YEAR <= moment.year <= LAST_YEAR


class ProgressBoard:
    """Progress of running imports, per process, keyed by job id.

    A background import holds its write transaction for the whole run, so on SQLite
    no other connection may write the job row meanwhile; the web page therefore
    reads progress from here and the job row holds the state before and after.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[int, tuple[int, int]] = {}

    def set(self, job_id: int, processed: int, total: int) -> None:
        with self._lock:
            self._values[job_id] = (processed, total)

    def get(self, job_id: int) -> tuple[int, int] | None:
        with self._lock:
            return self._values.get(job_id)

    def clear(self, job_id: int) -> None:
        with self._lock:
            self._values.pop(job_id, None)


PROGRESS = ProgressBoard()


_LAST_DATETIME: list[Any] = [None, None]


def _sqlite_datetime(value: datetime.datetime | None) -> str | None:
    # Django's own SQLite format: naive UTC, str() of the datetime; str() of the
    # aware UTC datetime is that and "+00:00", which is cheaper than replace().
    if value is None:
        return None
    if value is _LAST_DATETIME[0]:
        return _LAST_DATETIME[1]  # the same moment in every row (reported_at of a file)
    text = str(value.astimezone(datetime.UTC))[:-6]
    _LAST_DATETIME[:] = [value, text]
    return text


def _uuid4_hex() -> str:
    """A random (version 4) UUID as 32 hex digits, as SQLite stores it and PostgreSQL reads it.

    ``uuid.uuid4()`` spends most of its time validating in ``UUID.__init__``;
    this sets the version and variant bits itself.
    """
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


@dataclass
class _Plan:
    """How to turn rows with one set of keys into tuples: the columns, in that order."""

    columns: list[str]
    getter: Callable[[dict[str, Any]], Any]
    single: bool
    factories: list[Callable[[], Any]]
    constants: tuple[Any, ...]
    datetimes: list[int]
    uuids: list[int]


class FastInserter:
    """Inserts many rows of one model with the DB-API directly, inside the current transaction.

    ``bulk_create`` spends most of its time preparing values field by field (about
    1.5 ms per incident); the importers have already validated and typed every
    value, so this writes them with COPY on PostgreSQL and ``executemany`` on
    SQLite. ``rows`` are dicts of attribute names (``category_id``); missing
    fields take their model defaults. The columns are ordered as the rows' keys
    first, then the defaults, so a row becomes a tuple with one ``itemgetter``
    call instead of a Python loop over every field.
    """

    def __init__(self, model: type[Any]) -> None:
        import uuid

        from django.db import connection, models

        self.connection = connection
        self.vendor = connection.vendor
        self.table = model._meta.db_table
        self.fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        now = datetime.datetime.now(datetime.UTC)
        self.defaults: dict[str, Any] = {}
        self.factories: dict[str, Callable[[], Any]] = {}
        self.datetime_names: set[str] = set()
        self.uuid_names: set[str] = set()
        for name, f in self.fields.items():
            if isinstance(f, models.DateTimeField):
                self.datetime_names.add(name)
            if isinstance(f, models.UUIDField):
                self.uuid_names.add(name)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[name] = now
            elif f.default is uuid.uuid4:
                self.factories[name] = _uuid4_hex
            else:
                # As Django does: "" for text fields without a default, None for the rest.
                self.defaults[name] = f.get_default()
        if self.vendor == "sqlite":
            # Adapt the constant defaults once, not per row.
            for name in self.datetime_names:
                if name in self.defaults:
                    self.defaults[name] = _sqlite_datetime(self.defaults[name])
        self._plans: dict[tuple[str, ...], _Plan] = {}

    def _plan(self, keys: tuple[str, ...]) -> _Plan:
        plan = self._plans.get(keys)
        if plan is not None:
            return plan
        from operator import itemgetter

        given = [name for name in keys if name in self.fields]
        missing = [name for name in self.fields if name not in given]
        factories = [name for name in missing if name in self.factories]
        constants = [name for name in missing if name not in self.factories]
        convert = self.vendor == "sqlite"
        plan = _Plan(
            columns=given + factories + constants,
            getter=itemgetter(*given),
            single=len(given) == 1,
            factories=[self.factories[name] for name in factories],
            constants=tuple(self.defaults[name] for name in constants),
            datetimes=[i for i, n in enumerate(given) if convert and n in self.datetime_names],
            uuids=[i for i, n in enumerate(given) if convert and n in self.uuid_names],
        )
        self._plans[keys] = plan
        return plan

    def _tuples(self, rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[tuple[Any, ...]]]:
        import uuid

        out: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for row in rows:
            keys = tuple(row)
            plan = self._plan(keys)
            values = plan.getter(row)
            if plan.single:
                values = (values,)
            if plan.datetimes or plan.uuids:
                values = list(values)
                for index in plan.datetimes:
                    value = values[index]
                    if value is not None and not isinstance(value, str):
                        values[index] = _sqlite_datetime(value)
                for index in plan.uuids:
                    value = values[index]
                    if isinstance(value, uuid.UUID):
                        values[index] = value.hex
                values = tuple(values)
            if plan.factories:
                values += tuple(factory() for factory in plan.factories)
            out.setdefault(keys, []).append(values + plan.constants)
        return out

    def insert(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.connection.ensure_connection()
        quote = self.connection.ops.quote_name
        raw = self.connection.connection
        if self.vendor == "sqlite":
            # The unique indexes (public_id is random) make inserts touch pages all over
            # the file; a larger page cache for this connection halves the write time.
            raw.execute("PRAGMA cache_size = -131072")
        for keys, tuples in self._tuples(rows).items():
            plan = self._plans[keys]
            columns = ", ".join(quote(self.fields[name].column) for name in plan.columns)
            if self.vendor == "postgresql":
                with raw.cursor() as cursor:
                    sql = f"COPY {quote(self.table)} ({columns}) FROM STDIN"
                    with cursor.copy(sql) as copy:
                        for values in tuples:
                            copy.write_row(values)
                continue
            mark = "?" if self.vendor == "sqlite" else "%s"
            marks = ", ".join([mark] * len(plan.columns))
            cursor = raw.cursor()
            try:
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})", tuples
                )
            finally:
                cursor.close()
