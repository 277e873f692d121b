"""One registry of import formats, and the one writer that applies their rows.

A format (``ImportFormat``) declares how a file of it is recognised (``detect``, from
the file name, the first bytes and the header row of a ``Sample``), the typed record
each row becomes (a dataclass), and how rows are read and validated (``read``: rows
of ``Row``, each either a record or the row's errors, naming file, row and field in
Swedish and English). ``write_rows`` applies the rows: all or nothing, or leaving
out the invalid rows and reporting them; with progress, and an audit entry at the
end, in one transaction. The apps register their formats in their importer
modules; docs/architecture.md ("Add an import format") has the steps.

This module imports no app: writing records, counting and auditing are the
callers' (``Sink``, ``audit``).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from django.db import transaction

from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import csv_delimiter, open_xlsx, read_bytes

# A row's error: what is wrong (Swedish and English) and where (file, row, field).
RowError = Problem
# How much of a file detection looks at.
SAMPLE_BYTES = 64 * 1024
# Rows per write; also how often progress is reported.
BATCH = 2000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Sample:
    """What detection sees of a file: its name, its first bytes (gunzipped) and its header."""

    filename: str
    raw: bytes = field(repr=False)

    @classmethod
    def of_path(cls, path: Path, *, filename: str | None = None) -> Sample:
        """The sample of a file on disk (InputError when it cannot be read, see read_bytes)."""
        return cls(filename or path.name, read_bytes(path, filename=filename or path.name))

    @property
    def suffix(self) -> str:
        name = self.filename.lower().removesuffix(".gz")
        return name.rsplit(".", 1)[-1] if "." in name else ""

    @property
    def head(self) -> bytes:
        return self.raw[:SAMPLE_BYTES]

    @property
    def is_zip(self) -> bool:
        """A zip container (.xlsx)."""
        return self.raw[:4] == b"PK\x03\x04"

    @property
    def is_json(self) -> bool:
        return self.raw.lstrip()[:1] in (b"[", b"{")

    def mentions(self, *words: str) -> bool:
        """Whether every word occurs in the first bytes (a JSON key, a GeoJSON type)."""
        head = self.head
        return all(word.encode() in head for word in words)

    @functools.cached_property
    def header(self) -> list[str]:
        """The first non-empty row of a table (CSV or the first sheet), lower-case and
        stripped; empty when the file is no table or cannot be read."""
        if self.is_zip:
            try:
                rows = open_xlsx(self.raw, filename=self.filename).rows
                first = next((r for r in rows if any(v not in (None, "") for v in r)), ())
            except InputError:
                return []
            return [str(v or "").strip().lower() for v in first]
        if self.is_json or b"\x00" in self.head:
            return []
        text = self.head.decode("utf-8-sig", errors="replace")
        line = next((line for line in text.splitlines() if line.strip()), "")
        cells = next(csv.reader([line], delimiter=csv_delimiter(line)), [])
        return [cell.strip().lower() for cell in cells]


@dataclass
class Row[R]:
    """One row of a file: its number (as the user sees it) and its record, or its errors."""

    number: int
    record: R | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportFormat:
    """A file format that can be imported.

    ``detect`` says whether a sample is of this format; ``record`` is the dataclass
    each valid row becomes; ``read`` reads and validates a file's rows (keyword
    arguments: ``path``, ``filename`` and what the format needs to validate, such as
    the importing organisation) and returns the rows, or a table of them, without
    writing. Among the formats of a ``target`` whose ``detect`` accepts a file, the one
    with the highest ``priority`` wins.
    """

    name: str
    target: str
    record: type
    detect: Callable[[Sample], bool]
    read: Callable[..., Any]
    label: str = ""
    priority: int = 0


_REGISTRY: dict[str, ImportFormat] = {}


def register(fmt: ImportFormat) -> ImportFormat:
    """Add a format to the registry (again under the same name replaces it)."""
    _REGISTRY[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def get_format(name: str) -> ImportFormat:
    return _REGISTRY[name]


def formats(target: str | None = None) -> list[ImportFormat]:
    """The registered formats (of one target), the most specific first."""
    found = [f for f in _REGISTRY.values() if target is None or f.target == target]
    return sorted(found, key=lambda f: -f.priority)


def detect(
    sample: Sample, *, target: str | None = None, names: Iterable[str] | None = None
) -> ImportFormat | None:
    """The format of a file: the first (by priority) whose detection accepts it, or None.
    ``names`` narrows the choice to those formats."""
    allowed = set(names) if names is not None else None
    for fmt in formats(target):
        if (allowed is None or fmt.name in allowed) and fmt.detect(sample):
            return fmt
    return None


def detect_or_refuse(sample: Sample, *, target: str) -> ImportFormat:
    """The file's format, or an InputError naming the formats that could be imported."""
    fmt = detect(sample, target=target)
    if fmt is not None:
        return fmt
    known = ", ".join(f.label or f.name for f in formats(target))
    raise InputError.single(
        f"Filens format känns inte igen; formaten som kan importeras här: {known}.",
        f"The file's format is not recognised; the formats that can be imported here: {known}.",
        file=sample.filename,
    )


class Policy(StrEnum):
    """What a row with errors does: stop the import (nothing written) or leave the row out."""

    ALL_OR_NOTHING = "all_or_nothing"
    SKIP_INVALID = "skip_invalid"


class Sink[R](Protocol):
    """Where the writer puts valid records: in batches, then ``finish`` once at the end."""

    def write(self, records: list[R]) -> None: ...

    def finish(self) -> None: ...


@dataclass
class WriteReport:
    """What the writer did: rows read, records handed to the sink, rows left out and why."""

    processed: int = 0
    written: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)

    def reject(self, row: Row[Any]) -> None:
        self.rejected += 1
        self.errors.extend(row.errors)


def write_rows[R](
    rows: Iterable[Row[R]],
    *,
    sink: Sink[R],
    policy: Policy = Policy.ALL_OR_NOTHING,
    progress: Progress | None = None,
    total: int = 0,
    batch: int = BATCH,
    max_errors: int | None = None,
    audit: Callable[[WriteReport], object] | None = None,
) -> WriteReport:
    """Apply rows in one transaction: valid records go to ``sink`` in batches.

    All or nothing: the first invalid row stops the writing, every further row is
    still checked (up to ``max_errors`` errors), and the InputError with all errors
    rolls back what was written. Skip invalid: invalid rows are left out and reported
    in the result. ``progress(processed, total)`` is called every ``batch`` rows and at
    the end; ``audit(report)`` once, in the transaction, when the rows are written.
    """
    report = WriteReport()
    pending: list[R] = []
    stopped = False
    with transaction.atomic():
        for row in rows:
            if max_errors is not None and len(report.errors) >= max_errors:
                break
            report.processed += 1
            if progress and report.processed % batch == 0:
                progress(report.processed, max(total, report.processed))
            if row.errors:
                report.reject(row)
                stopped = policy is Policy.ALL_OR_NOTHING
                continue
            if stopped:
                continue
            pending.append(row.record)  # type: ignore[arg-type]  # a valid row has its record
            if len(pending) >= batch:
                _flush(sink, pending, report)
        if stopped:
            raise InputError(report.errors)
        _flush(sink, pending, report)
        sink.finish()
        if progress:
            progress(report.processed, report.processed)
        if audit is not None:
            audit(report)
    return report


def _flush[R](sink: Sink[R], pending: list[R], report: WriteReport) -> None:
    if pending:
        records = pending[:]  # the sink may keep the batch; the writer reuses its list
        pending.clear()
        sink.write(records)
        report.written += len(records)
