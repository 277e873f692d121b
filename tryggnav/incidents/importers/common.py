"""What the importers share: reading files safely, Swedish dates, the summary, progress."""

from __future__ import annotations

import datetime
import os
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models

from tryggnav.lib import screening
from tryggnav.lib.errors import Problem

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
    fast = _common_iso(text)
    if fast is not None:
        return fast or None
    parts = _date_parts(text)
    if parts is None:
        return None
    year, month, day, hour, minute, second, zone = parts
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


def _common_iso(text: str) -> tuple[datetime.datetime, bool] | tuple[()] | None:
    """The common "2024-03-05 14:30" and "2024-03-05" by slicing, before the patterns:
    the moment, ``()`` for an impossible date of that form, None for another form."""
    if not ((len(text) == 16 and text[13] == ":" and text[10] == " ") or len(text) == 10):
        return None
    if text[4] != "-" or text[7] != "-":
        return None
    digits = text[:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16]
    if not (digits.isascii() and digits.isdigit()):
        return None
    try:
        moment = datetime.datetime(
            int(digits[:4]),
            int(digits[4:6]),
            int(digits[6:8]),
            int(digits[8:10] or 0),
            int(digits[10:12] or 0),
            tzinfo=STOCKHOLM,
        )
    except ValueError:
        return ()
    return moment, len(text) == 16


def _date_parts(text: str) -> tuple[Any, ...] | None:
    """(year, month, day, hour, minute, second, zone) as matched, or None."""
    match = _ISO.fullmatch(text)
    if match:
        return match.groups()
    match = _COMPACT.fullmatch(text)
    if match:
        return (*match.groups(), None)
    match = _DAY_FIRST.fullmatch(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        return year, month, day, hour, minute, second, None
    match = _WORDS.fullmatch(text)
    if match:
        day, month_name, year, hour, minute, second = match.groups()
        month = MONTHS.get(month_name)
        return None if month is None else (year, month, day, hour, minute, second, None)
    return None


_SCREEN_FILTER: re.Pattern[str] | None = None
# Every screening pattern needs two digits (at most a space or hyphen between) or an "@".
_MAY_HAVE_PERSONAL_DATA = re.compile(r"\d[\s-]?\d|@")


def _screening() -> Any:
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
