"""Which process runs this code, and whether a recorded process is still alive."""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name, or None without that file."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw.rsplit(")", 1)[-1].split()


def process_started(pid: int) -> str:
    """The process's start time in clock ticks since boot ("" where /proc is missing)."""
    fields = _stat_fields(pid)
    return fields[19] if fields and len(fields) > 19 else ""


def identity() -> dict[str, object]:
    """This process: host name, process id and start time."""
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "process_started": process_started(pid)}


def alive(host: str, pid: int | None, started: str) -> bool | None:
    """Whether the recorded process still runs; None when it ran on another host."""
    if host != socket.gethostname():
        return None
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    fields = _stat_fields(pid)
    if fields is not None and fields[0] in {"Z", "X"}:
        return False  # killed, not yet reaped by its parent
    return not started or process_started(pid) == started
