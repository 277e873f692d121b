"""What every import command must do with bad input: refuse it with exit code 2 and a
bilingual message, without a traceback and without changing the database.

Shared by the refusal tests (one crafted file per known crash) and the fuzz tests.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection

from tryggnav.areas.models import Area, AreaPopulation
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.models import (
    Category,
    ColumnMapping,
    ImportJob,
    Incident,
    PoliceTypeMapping,
    WeeklyCount,
)
from tryggnav.surveys.models import Indicator, Result, Survey

# The tables an import may write, directly or through the rollup and the audit log.
WRITTEN = [
    Incident,
    ImportJob,
    PoliceTypeMapping,
    Category,
    ColumnMapping,
    WeeklyCount,
    AuditEntry,
    Area,
    AreaPopulation,
    Survey,
    Indicator,
    Result,
]


# An area's boundary is large to read back; the import writes areas with save() only,
# which also sets their ``updated``, so the other columns show any change.
UNREAD = {"geometry"}


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every column of every row, per written table."""
    state = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in WRITTEN:
            columns = ", ".join(
                quote(f.column) for f in model._meta.concrete_fields if f.name not in UNREAD
            )
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {pk}")  # noqa: S608
            rows = cursor.fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            state[model._meta.label] = (len(rows), digest)
    return state


def run_import(command: str, path: Path, *args: str) -> str | None:
    """Run an import command on ``path``: None when it imported, else its refusal.

    A refusal must be a CommandError with exit code 2 (Django prints it without a
    traceback), in Swedish and English, that left every written table as it was;
    any other exception fails the calling test.
    """
    before = snapshot()
    try:
        call_command(command, str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        message = str(error)
        assert error.returncode == 2, message
        assert "nothing was imported" in message and " / " in message, message
        assert snapshot() == before, f"{command} refused {path.name} but changed the database"
        return message
    return None
