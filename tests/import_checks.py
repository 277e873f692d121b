"""What every import command must do with bad input: refuse it with exit code 2 and a
bilingual message, without a traceback and without changing the database.

Shared by the refusal tests (one crafted file per known crash) and the fuzz tests.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from django.core.management import CommandError, call_command

from tryggnav.areas.models import Area
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.models import (
    Category,
    ColumnMapping,
    ImportJob,
    Incident,
    PoliceTypeMapping,
)
from tryggnav.lagesbild.models import WeeklyCount
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
    Survey,
    Indicator,
    Result,
]


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every column of every row, per written table."""
    state = {}
    for model in WRITTEN:
        rows = model.objects.order_by("pk").values_list()
        digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
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
