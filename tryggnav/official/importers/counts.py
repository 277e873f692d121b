"""Count tables: Brå's reported crimes and MSB's IDA call-outs.

Both come as a table with a municipality, a category (offence group or event type),
a period and a count, either long (one row per period, an "Antal" column) or wide
(one column per period, headed "2023", "2024K1" ...). Title lines above the header,
notes below the data and labels written once per block (filled down) are handled;
see docs/data-formats.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tryggnav.lib import imports
from tryggnav.lib.errors import Problem
from tryggnav.lib.imports import ImportFormat, Sample
from tryggnav.official.importers.table import (
    Line,
    Municipalities,
    duplicate,
    find_header,
    normalise,
    other_municipality,
    parse_count,
    parse_period,
    raise_problems,
    read_lines,
    sample_has_header,
    unknown_municipality,
)

MAX_PROBLEMS = 200
REGION = ("kommun", "region", "område", "kommunkod", "kommun_kod", "kommunnamn", "municipality")
PERIOD = ("period", "år", "tid", "year", "ar")
QUARTER = ("kvartal", "quarter")


@dataclass(frozen=True)
class TableSpec:
    """What a source's table is called: the aliases of its category and count columns."""

    source: str
    category: tuple[str, ...]
    count: tuple[str, ...]
    category_label: str
    quarters: bool

    def aliases(self) -> dict[str, tuple[str, ...]]:
        return {
            "region": REGION,
            "category": self.category,
            "period": PERIOD,
            "quarter": QUARTER,
            "count": self.count,
        }


BRA = TableSpec(
    source="bra",
    category=("brottstyp", "brott", "brottskategori", "brottsgrupp", "offence", "offence group"),
    count=("antal", "antal anmälda brott", "anmälda brott", "count"),
    category_label="brottstyp",
    quarters=True,
)
IDA = TableSpec(
    source="ida",
    category=("händelsetyp", "typ av händelse", "händelse", "event type", "event_type"),
    count=("antal", "antal händelser", "antal insatser", "antal räddningsinsatser", "count"),
    category_label="händelsetyp",
    quarters=False,
)


@dataclass
class CountRow:
    row: int
    municipality: Any
    year: int
    quarter: int
    category: str
    count: int | None


@dataclass
class CountTable:
    filename: str
    spec: TableSpec
    rows: list[CountRow] = field(default_factory=list)

    @property
    def municipalities(self) -> list[Any]:
        return sorted({r.municipality for r in self.rows}, key=lambda m: m.code)

    @property
    def periods(self) -> list[tuple[int, int]]:
        return sorted({(r.year, r.quarter) for r in self.rows})

    @property
    def categories(self) -> list[str]:
        return sorted({r.category for r in self.rows})


def _wide_periods(line: Line, columns: dict[str, int]) -> dict[int, tuple[int, int]]:
    return {
        index: period
        for index, cell in enumerate(line.cells)
        if index not in columns.values() and (period := parse_period(cell)) is not None
    }


@dataclass
class _Layout:
    header: int
    columns: dict[str, int]
    periods: dict[int, tuple[int, int]]  # wide: column -> period; long: empty


def _layout(lines: list[Line], spec: TableSpec, filename: str) -> _Layout:
    def wide(line: Line, columns: dict[str, int]) -> bool:
        return "region" in columns and "category" in columns and bool(_wide_periods(line, columns))

    header, columns = find_header(
        lines,
        spec.aliases(),
        ["region", "category", "period", "count"],
        filename=filename,
        extra=wide,
    )
    periods = (
        {} if "count" in columns and "period" in columns else _wide_periods(lines[header], columns)
    )
    return _Layout(header, columns, periods)


def _values(line: Line, layout: _Layout) -> list[tuple[int, tuple[int, int] | None, str]]:
    """(column, period or None for a long row's own period, text) of a row's counts."""
    if layout.periods:
        return [(i, p, line.get(i)) for i, p in layout.periods.items()]
    return [(layout.columns["count"], None, line.get(layout.columns["count"]))]


class _Reader:
    def __init__(self, spec: TableSpec, filename: str, only: Any) -> None:
        self.spec = spec
        self.filename = filename
        self.only = only
        self.municipalities = Municipalities()
        self.problems: list[Problem] = []
        self.seen: dict[tuple[str, int, int, str], int] = {}
        self.region = ""
        self.category = ""

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)

    def _period(self, line: Line, layout: _Layout) -> tuple[int, int] | None:
        text = line.get(layout.columns.get("period"))
        period = parse_period(text)
        quarter_text = line.get(layout.columns.get("quarter"))
        if period is not None and quarter_text:
            digits = normalise(quarter_text).lstrip("kvqartl. ")
            if digits in {"1", "2", "3", "4"}:
                period = (period[0], int(digits))
            else:
                period = None
        if period is None:
            self.problem(
                Problem(
                    f"{text!r} är ingen period (år som 2024, kvartal som 2024K1).",
                    f"{text!r} is not a period (a year such as 2024, a quarter such as 2024K1).",
                    file=self.filename,
                    row=line.number,
                    field="period",
                )
            )
        return period

    def _where(self, line: Line, layout: _Layout) -> tuple[Any, str] | None:
        region = line.get(layout.columns["region"]) or self.region
        category = line.get(layout.columns["category"]) or self.category
        self.region, self.category = region, category
        municipality = self.municipalities.find(region)
        if municipality is None:
            self.problem(
                unknown_municipality(
                    region, filename=self.filename, row=line.number, field="kommun"
                )
            )
            return None
        if self.only is not None and municipality.pk != self.only.pk:
            self.problem(
                other_municipality(
                    municipality, self.only, filename=self.filename, row=line.number, field="kommun"
                )
            )
            return None
        if not category:
            self.problem(
                Problem(
                    f"Raden saknar {self.spec.category_label}.",
                    f"The row has no {self.spec.category_label}.",
                    file=self.filename,
                    row=line.number,
                    field=self.spec.category_label,
                )
            )
            return None
        return municipality, category[:200]

    def read(self, line: Line, layout: _Layout) -> list[CountRow]:
        values = _values(line, layout)
        if all(not text for _, _, text in values):
            return []  # a blank line, a note or a block title: no figures
        where = self._where(line, layout)
        period = None if layout.periods else self._period(line, layout)
        if where is None or (period is None and not layout.periods):
            return []
        municipality, category = where
        rows = []
        for _column, column_period, text in values:
            year, quarter = column_period or period  # type: ignore[misc]
            label = (
                "antal" if column_period is None else f"{year}{f'K{quarter}' if quarter else ''}"
            )
            row = self._row(line, municipality, category, (year, quarter), text, label)
            if row is not None:
                rows.append(row)
        return rows

    def _row(
        self,
        line: Line,
        municipality: Any,
        category: str,
        period: tuple[int, int],
        text: str,
        field_name: str,
    ) -> CountRow | None:
        year, quarter = period
        if quarter and not self.spec.quarters:
            self.problem(
                Problem(
                    "Källan redovisar hela år; kvartal kan inte importeras.",
                    "The source reports whole years; quarters cannot be imported.",
                    file=self.filename,
                    row=line.number,
                    field="period",
                )
            )
            return None
        count = parse_count(text, filename=self.filename, row=line.number, field=field_name)
        if isinstance(count, Problem):
            self.problem(count)
            return None
        key = (municipality.pk, year, quarter, normalise(category))
        if key in self.seen:
            label = f"{municipality}, {year}{f'K{quarter}' if quarter else ''}, {category}"
            self.problem(duplicate(label, self.seen[key], filename=self.filename, row=line.number))
            return None
        self.seen[key] = line.number
        return CountRow(line.number, municipality, year, quarter, category, count)


def parse_count_table(
    raw: bytes, *, spec: TableSpec, filename: str, only: Any = None
) -> CountTable:
    """Every row checked; an InputError naming file, row and field for each problem
    (at most MAX_PROBLEMS), or the table."""
    lines = read_lines(raw, filename=filename)
    layout = _layout(lines, spec, filename)
    reader = _Reader(spec, filename, only)
    table = CountTable(filename=filename, spec=spec)
    for line in lines[layout.header + 1 :]:
        table.rows.extend(reader.read(line, layout))
        if len(reader.problems) >= MAX_PROBLEMS:
            break
    if not table.rows and not reader.problems:
        reader.problem(
            Problem(
                "Filen har inga rader med siffror.",
                "The file has no rows with figures.",
                file=filename,
            )
        )
    raise_problems(reader.problems)
    return table


def _detects(spec: TableSpec) -> Callable[[Sample], bool]:
    # The region and the category column by the source's own names (Brå: brottstyp,
    # IDA: händelsetyp); periods may be columns of a wide table.
    return lambda sample: sample_has_header(sample, spec.aliases(), ["region", "category"])


for _spec, _label in ((BRA, "Brå: anmälda brott (CSV, XLSX)"), (IDA, "MSB IDA (CSV, XLSX)")):
    imports.register(
        ImportFormat(
            name=f"official-{_spec.source}",
            target="official",
            record=CountRow,
            detect=_detects(_spec),
            read=functools.partial(parse_count_table, spec=_spec),
            label=_label,
            priority=20,
        )
    )
