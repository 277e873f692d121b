"""The weekly counts (area × category × week) of the countable incidents: the one place
that keeps them current and the one place that reads them.

Writing. Every module that writes incidents does so inside ``tracking()``::

    with counts.tracking(incident) as track:   # takes the incident's cell now
        incident.save()                         # or .delete(), bulk_create, bulk_update
    # on leaving: the cells after the write, the deltas applied, same transaction

``track.watch(*incidents)`` adds incidents (unsaved ones count as new),
``track.inserted(rows)`` adds rows a bulk insert wrote as dicts of column values, and
``track.settle()`` takes the cells after of what was watched so far (a batch of an
import), so memory stays bounded. Nothing outside this module builds keys.
``rebuild()`` recomputes the whole table from the incidents (tests check that
incremental updates always equal a recount, for every writer).

Reading. ``weekly_cells``, ``period_total``, ``police_type_weeks`` and ``countable``
answer the counting questions of the lägesbild, the reports and steering.

The key is (group_id, municipality_code, area_id, category_id, source,
precision, police_type, week). A group's lägesbild is then two index range
scans: its own shared reports (``group_id = G``) and the police feed of its
municipality (``municipality_code = M, source = police``); sources, precision
and police event types stay filterable without touching the incidents.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection, transaction
from django.db.models import Case, Count, DateField, F, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, TruncWeek
from django.utils import timezone

from tryggnav.incidents.models import WEEKLY_COUNT_KEY, Category, Incident, WeeklyCount
from tryggnav.incidents.scope import Filters, Period, Scope

RollupKey = tuple[Any, ...]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


# Swedish weeks: ISO weeks of the local (Europe/Stockholm) time of occurred_from.
STOCKHOLM = ZoneInfo("Europe/Stockholm")
KEY_COLUMNS = WEEKLY_COUNT_KEY
# Rows per INSERT statement: 9 parameters per row stays far below SQLite's limit.
BATCH = 1000


def week_monday(moment: datetime.datetime) -> datetime.date:
    """Monday of the ISO week in which ``moment`` falls, in Swedish local time."""
    local = moment.astimezone(STOCKHOLM).date()
    return local - datetime.timedelta(days=local.weekday())


def is_countable(incident: Any) -> bool:
    """Python twin of ``IncidentQuerySet.countable``; the rollup tests keep them in step."""
    if incident.is_summary:
        return False
    if incident.status in (Incident.Status.MERGED, Incident.Status.REJECTED):
        return False
    return (
        incident.status == Incident.Status.REVIEWED
        or incident.source == Incident.Source.POLICE_FEED
    )


def _shared_group_id(incident: Any) -> int:
    if (
        incident.sharing == Incident.Sharing.GROUP
        and incident.status == Incident.Status.REVIEWED
        and incident.group_id
    ):
        return int(incident.group_id)
    return 0


VERSION_KEY = "lagesbild:rollup-version"
POLICE_VERSION_KEY = "incidents:police-version"


# The version read once per request: a page asks for it for every part it caches (the
# picture, the coverage, the pattern, the body's HTML), each a query of the database
# cache. Outside a request (tasks, commands) it is read every time.
_request_version: ContextVar[dict[str, str] | None] = ContextVar("counts_version", default=None)


def _request_begins(**_kwargs: Any) -> None:
    _request_version.set({})


def _request_ends(**_kwargs: Any) -> None:
    _request_version.set(None)


request_started.connect(_request_begins, dispatch_uid="counts-version-begins")
request_finished.connect(_request_ends, dispatch_uid="counts-version-ends")


def version() -> str:
    """A token that changes whenever the rollup may have changed; compiled lägesbilder
    are cached under it. Random, not a counter, so a cleared cache cannot bring an
    old token back."""
    return _token(VERSION_KEY)


def police_version() -> str:
    """A token that changes whenever the police's events may have changed (and with
    every rebuild): what depends on them alone, the same for every user, is cached under
    it and outlives the reports the partners file between two imports of the feed."""
    return _token(POLICE_VERSION_KEY)


def _token(key: str) -> str:
    memo = _request_version.get()
    if memo is not None and key in memo:
        return memo[key]
    token = cache.get(key)
    if token is None:
        token = _bump(police=key == POLICE_VERSION_KEY)[key]
    if memo is not None:
        memo[key] = token
    return token


def _bump(*, police: bool = True) -> dict[str, str]:
    tokens = {VERSION_KEY: uuid.uuid4().hex}
    if police:
        tokens[POLICE_VERSION_KEY] = uuid.uuid4().hex
    cache.set_many(tokens, None)
    memo = _request_version.get()
    if memo is not None:
        memo.update(tokens)
    return tokens


def key_for(incident: Any) -> RollupKey | None:
    """The rollup cell an incident counts in, or None if it does not count."""
    if incident is None or not is_countable(incident):
        return None
    return (
        _shared_group_id(incident),
        incident.municipality_id or "",
        int(incident.area_id or 0),
        int(incident.category_id),
        incident.source,
        incident.precision,
        incident.police_type or "",
        week_monday(incident.occurred_from),
    )


def incidents_changed(
    *,
    before: Iterable[RollupKey | None],
    after: Iterable[RollupKey | None],
    police: bool = True,
) -> None:
    """Move counts from the ``before`` cells to the ``after`` cells.

    A created incident has ``before`` None, a deleted one ``after`` None. The
    deltas are summed first, so an edit that leaves the cell alone writes nothing.
    """
    delta: Counter[RollupKey] = Counter()
    for key in before:
        if key is not None:
            delta[key] -= 1
    for key in after:
        if key is not None:
            delta[key] += 1
    changes = [(key, n) for key, n in delta.items() if n != 0]
    if changes:
        _apply(changes)
    # Also when no cell changed: an edit of a time window changes the weekday pattern.
    # The police's version only when a police event was among them (``police`` says
    # so for those that count nowhere).
    touched = police or any(key[4] == Incident.Source.POLICE_FEED for key, _n in delta.items())
    _bump(police=touched)


def _stored(incident: Any) -> bool:
    """Whether the incident is a row now: not yet saved and deleted ones are not."""
    return incident.pk is not None and not incident._state.adding


class Tracker:
    """The cells a write moves incidents out of and into; see ``tracking``."""

    def __init__(self) -> None:
        self._before: list[RollupKey | None] = []
        self._after: list[RollupKey | None] = []
        self._watched: list[Any] = []
        self._police = False  # a police event among the written

    def _note(self, incidents: Iterable[Any]) -> None:
        self._police = self._police or any(
            i.source == Incident.Source.POLICE_FEED for i in incidents
        )

    def watch(self, *incidents: Any) -> None:
        """Take the cells of ``incidents`` as they are now (none for unsaved ones);
        their cells after are taken at ``settle()`` or when the block ends."""
        self._note(incidents)
        self._before.extend(key_for(i) if _stored(i) else None for i in incidents)
        self._watched.extend(incidents)

    def inserted(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Rows a bulk insert wrote as dicts of column values: new incidents."""
        # A namespace per row reads faster in key_for than a mapping behind __getattr__.
        spaces = [SimpleNamespace(**row) for row in rows]
        self._note(spaces)
        self._after.extend(key_for(space) for space in spaces)

    def settle(self) -> None:
        """Take the cells after of the incidents watched so far and forget them."""
        self._note(self._watched)
        self._after.extend(key_for(i) if _stored(i) else None for i in self._watched)
        self._watched.clear()

    def apply(self) -> None:
        self.settle()
        before, after = self._before, self._after
        self._before, self._after = [], []
        incidents_changed(before=before, after=after, police=self._police)
        self._police = False


@contextmanager
def tracking(*incidents: Any) -> Iterator[Tracker]:
    """The write path of incidents: a transaction whose writes of incidents the counts
    follow. Watch each incident before changing it (``incidents`` here, or
    ``track.watch``), report rows inserted in bulk with ``track.inserted``; the counts
    move when the block ends, in the same transaction (an error rolls back both)."""
    tracker = Tracker()
    with transaction.atomic():
        tracker.watch(*incidents)
        yield tracker
        tracker.apply()


def _apply(changes: list[tuple[RollupKey, int]]) -> None:
    table = WeeklyCount._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in (*KEY_COLUMNS, "n"))
    conflict = ", ".join(quote(c) for c in KEY_COLUMNS)
    upsert = (
        f"ON CONFLICT ({conflict}) DO UPDATE SET {quote('n')} = "
        f"{quote(table)}.{quote('n')} + excluded.{quote('n')}"
    )
    if connection.vendor == "postgresql" and len(changes) > BATCH:
        _apply_by_copy(changes, table, columns, upsert)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(changes), BATCH):
            chunk = changes[start : start + BATCH]
            rows = ", ".join(["(" + ", ".join(["%s"] * 9) + ")"] * len(chunk))
            params: list[Any] = []
            for key, n in chunk:
                params.extend(key[:7])
                params.append(key[7].isoformat())
                params.append(n)
            cursor.execute(
                f"INSERT INTO {quote(table)} ({columns}) VALUES {rows} {upsert}",  # noqa: S608
                params,
            )


def _apply_by_copy(
    changes: list[tuple[RollupKey, int]], table: str, columns: str, upsert: str
) -> None:
    """PostgreSQL, many cells (an import): COPY the deltas into a temporary table and
    upsert them in one statement; thousands of multi-row INSERTs with bound
    parameters cost several times more. The keys are distinct (summed by the caller),
    so one INSERT … ON CONFLICT never touches a row twice."""
    quote = connection.ops.quote_name
    delta = "tryggnav_rollup_delta"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {delta} "
            "(group_id bigint, municipality_code text, area_id bigint, category_id bigint, "
            "source text, precision text, police_type text, week date, n integer) "
            "ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {delta}")
        raw = connection.connection
        with raw.cursor() as raw_cursor, raw_cursor.copy(f"COPY {delta} FROM STDIN") as copy:
            for key, n in changes:
                copy.write_row((*key, n))
        cursor.execute(
            f"INSERT INTO {quote(table)} ({columns}) "  # noqa: S608
            f"SELECT * FROM {delta} {upsert}"
        )
        cursor.execute(f"TRUNCATE {delta}")


# SQLite has no time zones, and Django's week truncation there calls back into Python
# once per row (minutes for a million incidents). Sweden follows the EU rule: summer
# time (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday of October
# 01:00 UTC, else UTC+1; the last Sunday of a month is the first Sunday on or after
# the 25th. Stored datetimes are UTC text, so the rule is a few string comparisons.
# tests/lagesbild/test_rollup.py checks it against zoneinfo over 2000-2035.
_T = '"incidents_incident"."occurred_from"'
SQLITE_WEEK = (
    f"date(datetime({_T}, CASE WHEN {_T} >= date(substr({_T}, 1, 4) || '-03-25', 'weekday 0')"
    f" || ' 01:00:00' AND {_T} < date(substr({_T}, 1, 4) || '-10-25', 'weekday 0')"
    f" || ' 01:00:00' THEN '+2 hours' ELSE '+1 hours' END), '-6 days', 'weekday 1')"
)


def _week_expression():
    if connection.vendor == "sqlite":
        return RawSQL(SQLITE_WEEK, (), output_field=DateField())
    return Cast(TruncWeek("occurred_from", tzinfo=STOCKHOLM), DateField())


def recount_queryset():
    """The full recount as one GROUP BY query, in the rollup's column order."""
    shared = Q(sharing=Incident.Sharing.GROUP, status=Incident.Status.REVIEWED, group__isnull=False)
    return (
        Incident.objects.countable()
        .order_by()
        .annotate(
            k_group=Case(When(shared, then=F("group_id")), default=Value(0)),
            k_municipality=Coalesce("municipality_id", Value("")),
            k_area=Coalesce("area_id", Value(0)),
            k_week=_week_expression(),
        )
        .values(
            "k_group",
            "k_municipality",
            "k_area",
            "category_id",
            "source",
            "precision",
            "police_type",
            "k_week",
        )
        .annotate(n=Count("id"))
    )


@transaction.atomic
def rebuild() -> int:
    """Recompute the whole rollup from the incidents; returns the number of cells."""
    table = connection.ops.quote_name(WeeklyCount._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*KEY_COLUMNS, "n"))
    with connection.cursor() as cursor:
        # Identifiers come from the model; every value is a parameter.
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            _rebuild_sqlite(cursor, table, columns)
        else:
            _rebuild_postgresql(cursor, table, columns)
    _bump()
    return WeeklyCount.objects.count()


def _rebuild_postgresql(cursor: Any, table: str, columns: str) -> None:
    """Build the new rollup in a shadow table and swap it in: a TRUNCATE held an
    exclusive lock for the whole rebuild, so every lägesbild waited (7 s at a million
    incidents). Writers wait for the rebuild (SHARE lock) and their deltas land on the
    new table; readers read the old one until the swap, which takes milliseconds.
    Rows are inserted in the order the lägesbild reads them, and analysed."""
    live = WeeklyCount._meta.db_table
    shadow = quote(f"{live}_shadow")
    cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
    cursor.execute(f"DROP TABLE IF EXISTS {shadow}")
    cursor.execute(f"CREATE TABLE {shadow} (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY)")
    cursor.execute("SET LOCAL work_mem = '256MB'")
    sql, params = (
        recount_queryset().order_by("k_group", "k_municipality", "k_week").query.sql_with_params()
    )
    cursor.execute(f"INSERT INTO {shadow} ({columns}) {sql}", params)
    renames = _copy_constraints_and_indexes(cursor, live, shadow)
    cursor.execute(f"ANALYZE {shadow}")
    cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"DROP TABLE {table}")
    cursor.execute(f"ALTER TABLE {shadow} RENAME TO {table}")
    for statement in renames:
        cursor.execute(statement)
    cursor.execute(
        f"ALTER SEQUENCE {quote(live + '_shadow_id_seq')} RENAME TO {quote(live + '_id_seq')}"
    )


INDEX_DEFINITION = re.compile(r"^(CREATE (?:UNIQUE )?INDEX) (\S+) ON (?:ONLY )?\S+ (USING .*)$")


def _copy_constraints_and_indexes(cursor: Any, live: str, shadow: str) -> list[str]:
    """Give ``shadow`` the primary key, constraints and indexes of ``live`` under
    temporary names; returns the statements that rename them back after the swap."""
    renames = []
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
        [live],
    )
    constraints = cursor.fetchall()
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {shadow} ADD CONSTRAINT {quote(name + '_new')} {definition}")
        renames.append(
            f"ALTER TABLE {quote(live)} RENAME CONSTRAINT {quote(name + '_new')} TO {quote(name)}"
        )
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [live])
    for name, definition in cursor.fetchall():
        if name in {c[0] for c in constraints}:
            continue
        match = INDEX_DEFINITION.match(definition)
        if match is None:
            raise RuntimeError(f"unexpected index definition: {definition}")
        cursor.execute(f"{match[1]} {quote(name + '_new')} ON {shadow} {match[3]}")
        renames.append(f"ALTER INDEX {quote(name + '_new')} RENAME TO {quote(name)}")
    return renames


def _rebuild_sqlite(cursor: Any, table: str, columns: str) -> None:
    """The GROUP BY sorts in memory rather than in a temporary file, and the secondary
    indexes are built once after the insert instead of row by row (SQLite DDL is
    transactional: a failure leaves the old table and indexes in place)."""
    try:
        with transaction.atomic():
            cursor.execute("PRAGMA temp_store = MEMORY")
    except OperationalError:
        pass  # inside an outer transaction SQLite refuses; the rebuild is only slower
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
        "AND sql IS NOT NULL",
        [WeeklyCount._meta.db_table],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    sql, params = recount_queryset().query.sql_with_params()
    cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
    for _name, definition in indexes:
        cursor.execute(definition)


def snapshot() -> dict[RollupKey, int]:
    """The rollup's non-empty cells as a dict (for tests and checks)."""
    return {
        tuple(row[:8]): row[8]
        for row in WeeklyCount.objects.filter(n__gt=0).values_list(*KEY_COLUMNS, "n")
    }


def recount() -> dict[RollupKey, int]:
    """What the rollup should hold, counted from the incidents now."""
    out: dict[RollupKey, int] = {}
    for row in recount_queryset():
        week = row["k_week"]
        if isinstance(week, datetime.datetime):
            week = week.date()
        key = (
            int(row["k_group"]),
            row["k_municipality"],
            int(row["k_area"]),
            row["category_id"],
            row["source"],
            row["precision"],
            row["police_type"],
            week,
        )
        out[key] = row["n"]
    return out


# --- reading: each counting question answered here once ----------------------------------


def cells(scope: Scope, period: Period, filters: Filters | None = None) -> QuerySet[WeeklyCount]:
    """The scope's cells of the weeks whose Monday lies in ``period``, for grouping
    further (by category, area, source…). Category groups of ``filters`` are applied."""
    filters = filters or Filters()
    qs = WeeklyCount.objects.filter(
        scope.q(), filters.q(), week__gte=period.start, week__lte=period.end
    )
    return _in_category_groups(qs, filters)


def period_total(
    scope: Scope, period: Period, filters: Filters | None = None, *, outside: bool = False
) -> int:
    """Countable incidents of the scope in the weeks whose Monday lies in ``period``.
    ``outside``: those shared with the group but placed outside its geography (shown
    apart, never in the scope's figures; 0 for a municipality)."""
    filters = filters or Filters()
    where = scope.outside_q() if outside else scope.q()
    if where is None:
        return 0
    qs = WeeklyCount.objects.filter(
        where, filters.q(), week__gte=period.start, week__lte=period.end
    )
    return _in_category_groups(qs, filters).aggregate(total=Sum("n"))["total"] or 0


def _in_category_groups(qs: QuerySet[WeeklyCount], filters: Filters) -> QuerySet[WeeklyCount]:
    if not filters.category_groups:
        return qs
    return qs.filter(category_id__in=category_ids(filters.category_groups))


def category_ids(groups: Iterable[str]) -> list[int]:
    return list(Category.objects.filter(group__in=list(groups)).values_list("pk", flat=True))


@dataclass
class WeeklyMatrix:
    """Counts per (area, category) × week: ``matrix[j, i]`` is key ``keys[j]`` in week
    ``weeks[i]``; ``any_data[i]`` whether the scope had any count that week (before
    the category filter)."""

    weeks: list[datetime.date]
    keys: list[tuple[int, int]]
    matrix: np.ndarray
    any_data: np.ndarray


def weekly_matrix(scope: Scope, weeks: list[datetime.date], filters: Filters) -> WeeklyMatrix:
    """The weekly matrix of the scope over consecutive Mondays ``weeks``, rows in no
    particular order (the caller sorts them for display)."""
    fetched = _weekly_rows(scope, Period(weeks[0], weeks[-1]), filters)
    text_index = {monday.isoformat(): i for i, monday in enumerate(weeks)}
    area_list: list[int] = []
    category_list: list[int] = []
    week_list: list[int] = []
    total_list: list[int] = []
    for area_id, category_id, monday, total in fetched:
        i = text_index.get(str(monday)[:10])
        if i is None or not total:
            continue
        area_list.append(area_id)
        category_list.append(category_id)
        week_list.append(i)
        total_list.append(total)
    any_data = np.zeros(len(weeks), dtype=bool)
    week_idx = np.asarray(week_list, dtype=np.int64)
    any_data[week_idx] = True
    pairs = np.column_stack(
        [np.asarray(area_list, dtype=np.int64), np.asarray(category_list, dtype=np.int64)]
    ).reshape(-1, 2)
    keep = np.ones(len(pairs), dtype=bool)
    if filters.category_groups:
        keep = np.isin(pairs[:, 1], category_ids(filters.category_groups))
    unique, inverse = np.unique(pairs[keep], axis=0, return_inverse=True)
    matrix = np.zeros((len(unique), len(weeks)), dtype=np.int64)
    np.add.at(
        matrix, (inverse.ravel(), week_idx[keep]), np.asarray(total_list, dtype=np.int64)[keep]
    )
    keys = [(int(a), int(c)) for a, c in unique.tolist()]
    return WeeklyMatrix(weeks=weeks, keys=keys, matrix=matrix, any_data=any_data)


def _weekly_rows(scope: Scope, period: Period, filters: Filters) -> list[tuple[Any, ...]]:
    """(area, category, week, total) rows. Thousands of them: fetched raw, with the week
    as the database gives it, instead of letting the ORM build a date object per row."""
    qs = (
        WeeklyCount.objects.filter(
            scope.q(), filters.q(), week__gte=period.start, week__lte=period.end
        )
        .values("area_id", "category_id", "week")
        .annotate(total=Sum("n"))
        .order_by()
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def police_type_weeks(
    scope: Scope, period: Period, filters: Filters
) -> list[tuple[str, datetime.date, int]]:
    """(police event type, week Monday, count) of the scope's police events in ``period``."""
    police = scope.q() & Q(source=Incident.Source.POLICE_FEED)
    out = []
    for police_type, monday, total in (
        WeeklyCount.objects.filter(
            police, filters.q(), week__gte=period.start, week__lte=period.end
        )
        .exclude(police_type="")
        .values_list("police_type", "week")
        .annotate(total=Sum("n"))
        .order_by()
        .values_list("police_type", "week", "total")
    ):
        if isinstance(monday, datetime.datetime):
            monday = monday.date()
        out.append((police_type, monday, total))
    return out


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def countable(
    *,
    start: datetime.date,
    end: datetime.date,
    category_ids: Iterable[int],
    municipality_id: str | None,
    area_ids: Iterable[int] = (),
) -> QuerySet[Incident]:
    """Countable incidents of the categories that occurred from local midnight of
    ``start`` up to (not incl.) that of ``end``: in the areas if any are given, else
    in the municipality."""
    qs = Incident.objects.countable().filter(
        category_id__in=list(category_ids),
        occurred_from__gte=_local_midnight(start),
        occurred_from__lt=_local_midnight(end),
    )
    areas = list(area_ids)
    return qs.filter(area_id__in=areas) if areas else qs.filter(municipality_id=municipality_id)


def scope_incidents(
    scope: Scope, filters: Filters, first: datetime.date, last: datetime.date
) -> QuerySet[Incident]:
    """Countable incidents of the scope (the incidents behind ``Scope.q()``) that
    occurred from local midnight of ``first`` up to (not incl.) that of ``last``."""
    inside = Q(municipality_id=scope.municipality.code)
    if scope.group is not None and scope.area_ids:
        inside &= Q(area_id__in=scope.area_ids) | Q(area__isnull=True)
    where = Q(source=Incident.Source.POLICE_FEED)
    if scope.group is not None:
        where |= Q(
            group=scope.group, sharing=Incident.Sharing.GROUP, status=Incident.Status.REVIEWED
        )
    qs = Incident.objects.countable().filter(
        where,
        inside,
        occurred_from__gte=_local_midnight(first),
        occurred_from__lt=_local_midnight(last),
    )
    qs = qs.order_by()
    if filters.sources:
        qs = qs.filter(source__in=filters.sources)
    if filters.precisions:
        qs = qs.filter(precision__in=filters.precisions)
    if filters.category_groups:
        qs = qs.filter(category__group__in=filters.category_groups)
    return qs
