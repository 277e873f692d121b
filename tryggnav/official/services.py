"""Writing official statistics: each import is checked in full first (importers/),
then written in one transaction with its audit entry, so bad input changes nothing.
A row with the same key as a stored one (municipality, period, category) replaces it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.lib.files import read_bytes
from tryggnav.official import kolada_api
from tryggnav.official.importers.counts import BRA, IDA, CountTable, parse_count_table
from tryggnav.official.importers.kolada import KoladaTable, check_json_data, parse_kolada
from tryggnav.official.models import CallOut, KoladaValue, OfficialImport, ReportedCrime

Source = OfficialImport.Source
BATCH = 2000


@dataclass
class ImportResult:
    record: OfficialImport
    created: int
    replaced: int

    def __str__(self) -> str:
        return (
            f"{self.created} nya och {self.replaced} ersatta värden importerade"
            f" / {self.created} new and {self.replaced} replaced values imported"
        )


def parse_file(
    *, source: str, raw: bytes, filename: str, municipality: Any = None
) -> CountTable | KoladaTable:
    """The file checked in full (InputError naming file, row and field), nothing written."""
    if source == Source.BRA:
        return parse_count_table(raw, spec=BRA, filename=filename, only=municipality)
    if source == Source.IDA:
        return parse_count_table(raw, spec=IDA, filename=filename, only=municipality)
    return parse_kolada(raw, filename=filename, only=municipality)


def official_import(
    *,
    source: str,
    path: Path,
    by: Any,
    municipality: Any = None,
    organisation: Any = None,
    filename: str | None = None,
    is_demo: bool = False,
) -> ImportResult:
    """Import a Brå, Kolada or IDA file; ``municipality`` limits it to that municipality."""
    filename = filename or path.name
    raw = read_bytes(path, filename=filename)
    table = parse_file(source=source, raw=raw, filename=filename, municipality=municipality)
    return write_table(
        source=source,
        table=table,
        by=by,
        municipality=municipality,
        organisation=organisation,
        filename=filename,
        is_demo=is_demo,
    )


def kolada_fetch(
    *,
    kpis: Sequence[str],
    municipalities: Sequence[str],
    years: Sequence[str] = (),
    by: Any = None,
    opener: kolada_api.Opener | None = None,
) -> ImportResult:
    """Fetch key figures from Kolada's API (every page) and import them."""
    url = kolada_api.data_url(kpis, municipalities, years)
    pages = kolada_api.fetch_pages(url, opener=opener)
    titles = kolada_api.fetch_titles(kpis, opener=opener)
    table = check_json_data(pages, filename=url, titles=titles)
    return write_table(source=Source.KOLADA, table=table, by=by, filename=url[:200])


def write_table(
    *,
    source: str,
    table: CountTable | KoladaTable,
    by: Any,
    municipality: Any = None,
    organisation: Any = None,
    filename: str = "",
    is_demo: bool = False,
) -> ImportResult:
    with transaction.atomic():
        record = OfficialImport.objects.create(
            source=source,
            filename=filename[:200],
            municipality=municipality,
            rows=len(table.rows),
            imported_by=by if getattr(by, "is_authenticated", False) else None,
            is_demo=is_demo,
        )
        if isinstance(table, KoladaTable):
            replaced = _write_kolada(table, record)
        else:
            replaced = _write_counts(table, record)
        audit_record(
            actor=by,
            action=AuditEntry.Action.IMPORT,
            obj=record,
            organisation=organisation,
            changes={"source": source, "rows": len(table.rows), "replaced": replaced},
            note=filename[:200],
        )
    return ImportResult(record=record, created=len(table.rows) - replaced, replaced=replaced)


def _replace(
    model: Any,
    keys: set[tuple[Any, ...]],
    key_of: Callable[[Any], tuple[Any, ...]],
    scope: dict[str, Any],
) -> int:
    """Delete the stored rows whose key the new rows carry; how many there were."""
    doomed = [row.pk for row in model.objects.filter(**scope) if key_of(row) in keys]
    for start in range(0, len(doomed), BATCH):
        model.objects.filter(pk__in=doomed[start : start + BATCH]).delete()
    return len(doomed)


def _write_counts(table: CountTable, record: OfficialImport) -> int:
    scope = {
        "municipality_id__in": [m.pk for m in table.municipalities],
        "year__in": sorted({r.year for r in table.rows}),
    }
    if table.spec is BRA:
        return _write_crimes(table, record, scope)
    return _write_callouts(table, record, scope)


def _write_crimes(table: CountTable, record: OfficialImport, scope: dict[str, Any]) -> int:
    keys = {(r.municipality.pk, r.year, r.quarter, r.category) for r in table.rows}
    replaced = _replace(
        ReportedCrime, keys, lambda o: (o.municipality_id, o.year, o.quarter, o.offence), scope
    )
    ReportedCrime.objects.bulk_create(
        [
            ReportedCrime(
                municipality=r.municipality,
                year=r.year,
                quarter=r.quarter,
                offence=r.category,
                count=r.count,
                source_import=record,
            )
            for r in table.rows
        ],
        batch_size=BATCH,
    )
    return replaced


def _write_callouts(table: CountTable, record: OfficialImport, scope: dict[str, Any]) -> int:
    keys = {(r.municipality.pk, r.year, r.category) for r in table.rows}
    replaced = _replace(CallOut, keys, lambda o: (o.municipality_id, o.year, o.event_type), scope)
    CallOut.objects.bulk_create(
        [
            CallOut(
                municipality=r.municipality,
                year=r.year,
                event_type=r.category,
                count=r.count,
                source_import=record,
            )
            for r in table.rows
        ],
        batch_size=BATCH,
    )
    return replaced


def _write_kolada(table: KoladaTable, record: OfficialImport) -> int:
    keys = {(r.kpi, r.municipality.pk, r.year, r.gender) for r in table.rows}
    scope = {"kpi__in": table.kpis, "municipality_id__in": [m.pk for m in table.municipalities]}
    replaced = _replace(
        KoladaValue, keys, lambda o: (o.kpi, o.municipality_id, o.year, o.gender), scope
    )
    KoladaValue.objects.bulk_create(
        [
            KoladaValue(
                kpi=r.kpi,
                kpi_title=r.title,
                municipality=r.municipality,
                year=r.year,
                gender=r.gender,
                value=r.value,
                status=r.status,
                source_import=record,
            )
            for r in table.rows
        ],
        batch_size=BATCH,
    )
    return replaced
