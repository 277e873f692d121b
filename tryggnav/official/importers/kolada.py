"""Kolada key figures: the API's JSON (v2, "values" with one entry per KPI,
municipality and period, each with values by gender) and a CSV/XLSX with the
same fields as columns. See docs/data-formats.md."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tryggnav.lib import imports
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.files import decode_text, json_loads
from tryggnav.lib.imports import ImportFormat, Sample
from tryggnav.official.importers.table import (
    Municipalities,
    duplicate,
    find_header,
    other_municipality,
    parse_value,
    raise_problems,
    read_lines,
    sample_has_header,
    unknown_municipality,
)

MAX_PROBLEMS = 200
GENDERS = {"T", "K", "M"}
ALIASES = {
    "kpi": ("kpi", "nyckeltal", "nyckeltals-id", "kpi_id", "id"),
    "municipality": ("municipality", "kommun", "municipality_id", "kommunkod", "kommun_id"),
    "period": ("period", "år", "year"),
    "gender": ("gender", "kön"),
    "value": ("value", "värde"),
    "title": ("title", "kpi_title", "titel", "nyckeltalets namn"),
    "status": ("status",),
}


@dataclass
class KoladaRow:
    row: int
    kpi: str
    municipality: Any
    year: int
    gender: str
    value: float | None
    status: str = ""
    title: str = ""


@dataclass
class KoladaTable:
    filename: str
    rows: list[KoladaRow] = field(default_factory=list)

    @property
    def municipalities(self) -> list[Any]:
        return sorted({r.municipality for r in self.rows}, key=lambda m: m.code)

    @property
    def kpis(self) -> list[str]:
        return sorted({r.kpi for r in self.rows})

    @property
    def periods(self) -> list[int]:
        return sorted({r.year for r in self.rows})


class _Checker:
    def __init__(self, filename: str, only: Any, titles: dict[str, str] | None = None) -> None:
        self.filename = filename
        self.only = only
        self.titles = titles or {}
        self.municipalities = Municipalities()
        self.problems: list[Problem] = []
        self.seen: dict[tuple[str, str, int, str], int] = {}
        self.table = KoladaTable(filename)

    def bad(self, sv: str, en: str, row: int, field_name: str) -> None:
        self.problems.append(Problem(sv, en, file=self.filename, row=row, field=field_name))

    def _municipality(self, text: str, row: int) -> Any:
        municipality = self.municipalities.find(text)
        if municipality is None:
            self.problems.append(
                unknown_municipality(text, filename=self.filename, row=row, field="municipality")
            )
        elif self.only is not None and municipality.pk != self.only.pk:
            self.problems.append(
                other_municipality(
                    municipality, self.only, filename=self.filename, row=row, field="municipality"
                )
            )
            return None
        return municipality

    def add(
        self,
        row: int,
        kpi: str,
        municipality_text: str,
        period: Any,
        gender: str,
        value: Any,
        status: str = "",
        title: str = "",
    ) -> None:
        kpi = kpi.strip().upper()
        if not kpi or len(kpi) > 20 or not kpi.isalnum():
            self.bad(
                f"{kpi!r} är inget nyckeltals-id (som N07403).",
                f"{kpi!r} is not a KPI id (such as N07403).",
                row,
                "kpi",
            )
            return
        municipality = self._municipality(str(municipality_text), row)
        year = _year(period)
        if year is None:
            self.bad(f"{period!r} är inget år.", f"{period!r} is not a year.", row, "period")
        gender = (gender or "T").strip().upper()
        if gender not in GENDERS:
            self.bad(
                f"Kön {gender!r} ska vara T, K eller M.",
                f"Gender {gender!r} must be T, K or M.",
                row,
                "gender",
            )
            return
        number = _number(value, self.filename, row)
        if isinstance(number, Problem):
            self.problems.append(number)
            return
        if municipality is None or year is None:
            return
        key = (kpi, municipality.pk, year, gender)
        if key in self.seen:
            self.problems.append(
                duplicate(
                    f"{kpi}, {municipality}, {year}, {gender}",
                    self.seen[key],
                    filename=self.filename,
                    row=row,
                )
            )
            return
        self.seen[key] = row
        self.table.rows.append(
            KoladaRow(
                row,
                kpi,
                municipality,
                year,
                gender,
                number,
                str(status or "")[:40],
                (title or self.titles.get(kpi, ""))[:300],
            )
        )

    def result(self) -> KoladaTable:
        if not self.table.rows and not self.problems:
            self.bad("Filen har inga värden.", "The file has no values.", 1, "")
        raise_problems(self.problems[:MAX_PROBLEMS])
        return self.table


def _year(value: Any) -> int | None:
    text = str(value).strip()
    if text.isdigit() and len(text) == 4 and 1950 <= int(text) <= 2100:
        return int(text)
    return None


def _number(value: Any, filename: str, row: int) -> float | None | Problem:
    if value is None:
        return None
    if isinstance(value, bool):
        return Problem(
            "Värdet är inget tal.",
            "The value is not a number.",
            file=filename,
            row=row,
            field="value",
        )
    if isinstance(value, (int, float)):
        return float(value)
    return parse_value(str(value), filename=filename, row=row, field="value")


def check_json_data(
    data: Any, *, filename: str, only: Any = None, titles: dict[str, str] | None = None
) -> KoladaTable:
    """Kolada's data response ({"count", "values": [...], "next_page"}), a list of
    such responses, or a bare list of entries."""
    entries = _entries(data, filename)
    checker = _Checker(filename, only, titles)
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), list):
            checker.bad('Posten saknar "values".', 'The entry has no "values".', position, "values")
            continue
        for item in entry["values"]:
            if not isinstance(item, dict):
                checker.bad(
                    "Värdet är inget objekt.", "The value is not an object.", position, "values"
                )
                continue
            checker.add(
                position,
                str(entry.get("kpi", "")),
                str(entry.get("municipality", "")),
                entry.get("period"),
                str(item.get("gender") or "T"),
                item.get("value"),
                str(item.get("status") or ""),
            )
        if len(checker.problems) >= MAX_PROBLEMS:
            break
    return checker.result()


def _entries(data: Any, filename: str) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        return data["values"]
    if isinstance(data, list):
        if (
            all(
                isinstance(d, dict) and isinstance(d.get("values"), list) and "kpi" not in d
                for d in data
            )
            and data
        ):
            return [entry for page in data for entry in page["values"]]
        return data
    raise InputError.single(
        'JSON-filen har inte Koladas form: ett objekt med "values".',
        'The JSON file does not have Kolada\'s shape: an object with "values".',
        file=filename,
    )


def parse_kolada(raw: bytes, *, filename: str, only: Any = None) -> KoladaTable:
    """A downloaded Kolada file: JSON as the API answers, or CSV/XLSX with columns."""
    if raw.lstrip()[:1] in (b"{", b"["):
        text = decode_text(raw, filename=filename)
        try:
            data = json_loads(text, filename=filename)
        except json.JSONDecodeError as error:
            raise InputError.single(
                f"JSON-filen är trasig (rad {error.lineno}).",
                f"The JSON file is malformed (line {error.lineno}).",
                file=filename,
                row=error.lineno,
            ) from error
        return check_json_data(data, filename=filename, only=only)
    lines = read_lines(raw, filename=filename)
    header, columns = find_header(
        lines, ALIASES, ["kpi", "municipality", "period", "value"], filename=filename
    )
    checker = _Checker(filename, only)
    for line in lines[header + 1 :]:
        if line.blank:
            continue
        checker.add(
            line.number,
            line.get(columns["kpi"]),
            line.get(columns["municipality"]),
            line.get(columns["period"]),
            line.get(columns.get("gender")) or "T",
            line.get(columns["value"]),
            line.get(columns.get("status")),
            line.get(columns.get("title")),
        )
        if len(checker.problems) >= MAX_PROBLEMS:
            break
    return checker.result()


def _is_kolada(sample: Sample) -> bool:
    if sample.is_json:
        return sample.mentions('"kpi"', '"values"')
    return sample_has_header(sample, ALIASES, ["kpi", "municipality", "period", "value"])


imports.register(
    ImportFormat(
        name="official-kolada",
        target="official",
        record=KoladaRow,
        detect=_is_kolada,
        read=parse_kolada,
        label="Kolada (JSON, CSV, XLSX)",
        priority=20,
    )
)
