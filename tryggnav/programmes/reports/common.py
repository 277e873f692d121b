"""What the four reports share: the period a report covers, how sections are put
together, and the small pieces of layout (numbers, dates, paragraphs, tables, charts)
that more than one report uses. The Word/PDF rendering itself is
``tryggnav.lib.documents``."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tryggnav.lib import charts, numbers
from tryggnav.lib.documents import Block, Document, Paragraph, Table
from tryggnav.lib.errors import InputError
from tryggnav.steering.models import Activity, Indicator

MAX_PERIOD_DAYS = 5 * 366

# A section turns a report's figures into its part of the document (possibly nothing).
type Section[F] = Callable[[F], Iterable[Block]]


def assemble[F](document: Document, figures: F, sections: Sequence[Section[F]]) -> Document:
    """The document with each section's blocks added, in the order listed."""
    for section in sections:
        document.add(*section(figures))
    return document


# --- numbers, dates and text -------------------------------------------------------------


def num(value: float | None, digits: int = 0) -> str:
    """A number in the reader's language (one helper for every report)."""
    return numbers.number(value, digits)


def paragraphs(text: str, style: str = "") -> list[Paragraph]:
    return [Paragraph(p.strip(), style) for p in (text or "").split("\n\n") if p.strip()]


def date_text(day: datetime.date | None) -> str:
    return day.isoformat() if day else "–"


def indicator_value(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return "–"
    unit = indicator.unit or ""
    digits = 0 if float(value).is_integer() else 1
    if unit == "procent":
        return numbers.percent(value, digits)
    return f"{num(value, digits)} {unit}".strip()


# --- shared tables and charts --------------------------------------------------------------


def activity_table(activities: list[Activity]) -> Table:
    return Table(
        [_("Aktivitet"), _("Ansvarig"), _("Plats"), _("Typ"), _("Resultat")],
        [
            [
                a.title,
                a.responsible_display or "–",
                a.place or ", ".join(x.name for x in a.areas.all()) or "–",
                str(a.get_prevention_type_display()),
                a.outputs or "–",
            ]
            for a in activities
        ],
    )


def share_chart(values: list[dict[str, Any]]) -> dict[str, Any]:
    """Shares with their intervals as horizontal bars, largest first."""
    values = sorted(values, key=lambda v: -v["andel"])
    spec = charts.bar_chart(
        values,
        x="enhet",
        y="andel",
        horizontal=True,
        error=("nedre", "övre"),
        y_title=_("Andel (%)"),
        sort=None,
        height=26 * len(values),
    )
    for layer in spec["layer"][1:]:
        # Without its own title the error bars' axis would read "Andel (%), nedre".
        layer["encoding"]["x"]["title"] = _("Andel (%)")
    return spec


# --- the period of a report ------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_years(self) -> int:
        """The number of calendar years the period spans exactly, or 0."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) != (1, 1, 12, 31):
            return 0
        return self.end.year - self.start.year + 1

    @property
    def previous(self) -> Period:
        """The period of the same length just before: the same calendar years earlier
        for whole years (2024 for 2025, whatever its leap day), else the same days."""
        if years := self.whole_years:
            return Period(
                datetime.date(self.start.year - years, 1, 1),
                datetime.date(self.end.year - years, 12, 31),
            )
        return Period(
            self.start - datetime.timedelta(days=self.days),
            self.start - datetime.timedelta(days=1),
        )

    @property
    def years(self) -> float:
        return self.whole_years or self.days / 365.25

    @property
    def label(self) -> str:
        if self.whole_years:
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start.isoformat()}–{self.end.isoformat()}"

    @classmethod
    def parse(cls, data: Any, *, today: datetime.date) -> Period:
        """From ``fran``/``till`` (ISO dates); default the last full calendar year."""
        default = cls(datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))
        raw_start, raw_end = (data.get("fran") or "").strip(), (data.get("till") or "").strip()
        if not raw_start and not raw_end:
            return default
        try:
            start = datetime.date.fromisoformat(raw_start) if raw_start else default.start
            end = datetime.date.fromisoformat(raw_end) if raw_end else default.end
        except ValueError:
            raise InputError.single(
                "Ange datum som ÅÅÅÅ-MM-DD.", "Give dates as YYYY-MM-DD.", field="fran"
            ) from None
        if end < start:
            raise InputError.single(
                "Slutdatum ligger före startdatum.", "The end is before the start.", field="till"
            )
        if (end - start).days > MAX_PERIOD_DAYS:
            raise InputError.single(
                "Perioden får vara högst fem år.",
                "The period may be at most five years.",
                field="till",
            )
        return cls(start, end)
