"""The weekly rollup (area × category × week counts) behind the lägesbild.

Contract for every module that writes incidents (tryggnav.incidents.services and
the importers): take ``key_for(incident)`` before a change and after it, and pass
both lists to ``incidents_changed`` in the same transaction. Bulk writers pass
many keys at once. ``rebuild()`` recomputes the whole table from the incidents
(tests check that incremental updates always equal a rebuild).

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
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.db.models import Case, Count, DateField, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, TruncWeek

from tryggnav.incidents.models import Incident
from tryggnav.lagesbild.models import WeeklyCount

RollupKey = tuple[Any, ...]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


# Swedish weeks: ISO weeks of the local (Europe/Stockholm) time of occurred_from.
STOCKHOLM = ZoneInfo("Europe/Stockholm")
KEY_COLUMNS = (
    "group_id",
    "municipality_code",
    "area_id",
    "category_id",
    "source",
    "precision",
    "police_type",
    "week",
)
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


def version() -> str:
    """A token that changes whenever the rollup may have changed; compiled lägesbilder
    are cached under it. Random, not a counter, so a cleared cache cannot bring an
    old token back."""
    token = cache.get(VERSION_KEY)
    if token is None:
        token = _bump()
    return token


def _bump() -> str:
    token = uuid.uuid4().hex
    cache.set(VERSION_KEY, token, None)
    return token


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
    *, before: Iterable[RollupKey | None], after: Iterable[RollupKey | None]
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
    _bump()


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
