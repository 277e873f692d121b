"""Brottsplatskartan's event format (the brottsplatskartan.se API), read as a partner table.

Each event becomes a row in the partner importer's target fields, so the same
validation and writing apply. Brottsplatskartan geocodes the police texts to a
street or district, so the point is stored with precision "street", never exact.
Quirks: ``title_type`` has double spaces ("Trafikolycka,  singel"); a missing
geocode is ``lat = lng = 0``; ``title_location`` may be a county ("Örebro län").
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from tryggnav.incidents.importers.tables import Table
from tryggnav.lib.errors import InputError
from tryggnav.lib.files import json_loads

SIGNATURE = {"pubdate_iso8601", "title_type", "title_location"}
COLUMNS = [
    "external_id",
    "occurred",
    "category",
    "text",
    "municipality",
    "lat",
    "lon",
    "precision",
    "source_url",
]
_TAG = re.compile(r"<[^>]+>")


def is_brottsplatskartan(data: Any) -> bool:
    records = data.get("data") if isinstance(data, dict) else data
    return (
        isinstance(records, list)
        and bool(records)
        and isinstance(records[0], dict)
        and SIGNATURE <= set(records[0])
    )


def _text(record: dict[str, Any]) -> str:
    description = str(record.get("description") or "").strip()
    content = html.unescape(_TAG.sub(" ", str(record.get("content") or "")))
    content = " ".join(content.split())
    return f"{description}\n\n{content}".strip() if content else description


def brottsplatskartan_table(raw: bytes, filename: str) -> Table:
    try:
        data = json_loads(raw.decode("utf-8-sig"), filename=filename)
    except UnicodeDecodeError as error:
        raise InputError.single(
            "JSON-filen är inte UTF-8.", "The JSON file is not UTF-8.", file=filename
        ) from error
    except json.JSONDecodeError as error:
        raise InputError.single(
            f"Ogiltig JSON: {error.msg}, rad {error.lineno}, kolumn {error.colno}.",
            f"Invalid JSON: {error.msg}, line {error.lineno}, column {error.colno}.",
            file=filename,
            row=error.lineno,
        ) from error
    if not is_brottsplatskartan(data):
        raise InputError.single(
            "JSON-filen har inte Brottsplatskartans format (pubdate_iso8601, title_type,"
            " title_location …). Polisens händelser importeras med import_police.",
            "The JSON file is not in Brottsplatskartan's format (pubdate_iso8601, title_type,"
            " title_location …). Police events are imported with import_police.",
            file=filename,
        )
    records: list[Any] = data["data"] if isinstance(data, dict) else data

    def rows():
        for number, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                yield number, ["", "", "", "", "", "", "", "", ""]
                continue
            yield (
                number,
                [
                    f"bpk:{record.get('id')}" if record.get("id") not in (None, "") else "",
                    record.get("pubdate_iso8601") or "",
                    " ".join(str(record.get("title_type") or "").split()),
                    _text(record),
                    str(record.get("title_location") or "").strip(),
                    record.get("lat") if record.get("lat") is not None else "",
                    record.get("lng") if record.get("lng") is not None else "",
                    "street",
                    str(record.get("external_source_link") or ""),
                ],
            )

    return Table(
        kind="brottsplatskartan",
        headers=list(COLUMNS),
        rows=rows(),
        total=len(records),
        fixed=True,
    )
