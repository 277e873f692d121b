"""A short text summary of the lägesbild that says only what the numbers support.

Rules (DESIGN.md, "honest numbers"): "över förväntat" only for an alert (the
statistics judged the count unusual after the false discovery rate); a count
above its single-series bound without an alert is "inom normal variation efter
korrigering för många jämförelser"; never "ökning" for a change within normal
variation; low reporting coverage is said first.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tryggnav.lagesbild import alerts
from tryggnav.lagesbild.picture import Lagesbild, Row
from tryggnav.lib import numbers

MAX_LINES = 8


def _events(n: int) -> str:
    return ngettext("%(n)s händelse", "%(n)s händelser", n) % {"n": n}


def _num(value: float) -> str:
    return numbers.number(value, 1, trim=True)


def summary_lines(picture: Lagesbild) -> list[str]:
    lines: list[str] = []
    if picture.low_coverage:
        lines.append(_("Färre rapportörer än vanligt – jämför med försiktighet."))
    lines.append(
        _("Vecka %(week)s: totalt %(events)s (de fyra veckorna före: i snitt %(mean)s per vecka).")
        % {
            "week": picture.week.week,
            "events": _events(picture.total),
            "mean": _num(picture.total_previous_mean),
        }
    )
    if picture.outside_count:
        lines.append(
            ngettext(
                "%(n)s rapport delad med gruppen ligger utanför gruppens område och räknas "
                "inte här.",
                "%(n)s rapporter delade med gruppen ligger utanför gruppens område och räknas "
                "inte här.",
                picture.outside_count,
            )
            % {"n": picture.outside_count}
        )
    alert_rows = sorted(picture.alerts, key=lambda r: -r.count)
    for row in alert_rows[:MAX_LINES]:
        lines.append(
            _("%(category)s i %(area)s: %(events)s, över förväntat (övre gräns %(upper)s).")
            % {
                "category": row.category_name,
                "area": row.area_name,
                "events": _events(row.count),
                "upper": _num(row.upper_bound or 0),
            }
        )
    if len(alert_rows) > MAX_LINES:
        lines.append(_("Ytterligare %(n)s larm i tabellen.") % {"n": len(alert_rows) - MAX_LINES})
    if not alert_rows:
        if any(r.result and r.result.method != "none" for r in picture.rows):
            lines.append(_("Inga antal är statistiskt ovanliga denna vecka."))
        else:
            lines.append(_("För kort historik för att bedöma vad som är ovanligt."))
    near = [r for r in picture.rows if r.above_upper and not r.alert]
    if near:
        lines.append(
            ngettext(
                "%(n)s serie ligger över sin övre gräns men inom normal variation när alla "
                "serier jämförs samtidigt.",
                "%(n)s serier ligger över sin övre gräns men inom normal variation när alla "
                "serier jämförs samtidigt.",
                len(near),
            )
            % {"n": len(near)}
        )
    return lines


def signal_lines(picture: Lagesbild, *, most: int = 5) -> list[str]:
    """What matters first, one plain line each: the alerts, then the largest counts (at
    least MIN_COUNT) above the range of the four weeks before, said to be within normal
    variation."""
    lines = [
        _("Ovanligt många: %(category)s i %(area)s, %(events)s (normalt %(range)s per vecka).")
        % _row_values(row)
        for row in sorted(picture.alerts, key=lambda r: (-r.count, r.area_name))
    ]
    above = sorted(
        # As for alerts, fewer than MIN_COUNT events is no signal (1 against 0 is noise).
        (
            r
            for r in picture.rows
            if not r.alert and r.count >= alerts.MIN_COUNT and r.count > r.previous_max
        ),
        key=lambda r: (-(r.count - r.previous_max), r.area_name, r.category_name),
    )
    for row in above[: max(0, most - len(lines))]:
        lines.append(
            _(
                "Fler än de fyra veckorna före: %(category)s i %(area)s, %(events)s (då "
                "%(range)s per vecka); inom normal variation."
            )
            % _row_values(row)
        )
    return lines


def _row_values(row: Row) -> dict[str, object]:
    return {
        "category": row.category_name,
        "area": row.area_name,
        "events": _events(row.count),
        "range": (
            str(row.previous_min)
            if row.previous_min == row.previous_max
            else f"{row.previous_min}–{row.previous_max}"
        ),
    }


def ordered_rows(rows: list[Row]) -> list[Row]:
    """The table's order: alerts, then counts over their bound, then by count."""
    return sorted(
        rows, key=lambda r: (not r.alert, not r.above_upper, -r.count, r.area_name, r.category_name)
    )
