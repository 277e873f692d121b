"""What the four reports share: the period a report covers, how sections are put
together, and the small pieces of layout (numbers, dates, paragraphs, tables, charts)
that more than one report uses. The Word/PDF rendering itself is
``tryggnav.lib.documents``."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

# The period of a report is the counting module's (re-exported for the report modules).
from tryggnav.incidents.scope import MAX_PERIOD_DAYS as MAX_PERIOD_DAYS
from tryggnav.incidents.scope import Period as Period
from tryggnav.lib import charts, numbers
from tryggnav.lib.documents import Block, Document, Paragraph, Table
from tryggnav.steering.models import Activity, Indicator

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
                a.place or ", ".join(x.display_name for x in a.areas.all()) or "–",
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
