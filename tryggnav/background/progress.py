"""An import's progress, shared between the worker that imports and the web pages.

The import holds its write transaction for the whole run (on SQLite no other
connection may write meanwhile), so progress is not kept in the database: the worker
writes it to a small file per job under TRYGGNAV_PROGRESS_DIR, at most every
``INTERVAL_S`` seconds, and the status page reads it.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings

INTERVAL_S = 0.5


def _path(job: Any) -> Path:
    return Path(settings.TRYGGNAV_PROGRESS_DIR) / f"{job.public_id.hex}.json"


class FileProgress:
    """A progress callback (processed, total) that writes the job's progress file."""

    def __init__(self, job: Any) -> None:
        self.path = _path(job)
        self.last = 0.0

    def __call__(self, processed: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < INTERVAL_S and processed < total:
            return
        self.last = now
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps({"processed": processed, "total": total}))
        os.replace(partial, self.path)  # readers never see a half-written file


def progress_read(job: Any) -> tuple[int, int] | None:
    """The job's last reported (processed, total), or None."""
    try:
        values = json.loads(_path(job).read_text())
        return int(values["processed"]), int(values["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def progress_clear(job: Any) -> None:
    _path(job).unlink(missing_ok=True)
