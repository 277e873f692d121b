"""The official statistics' charts (Vega-Lite via tryggnav.lib.charts); each row
carries Swedish or English column names, so the chart's data table reads well."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tryggnav.lib.charts import Spec, line_chart
from tryggnav.official.figures import CallOutFigure, CrimeFigure, KoladaFigure


def crime_chart(crimes: list[CrimeFigure]) -> Spec | None:
    """Reported crimes per 100,000 inhabitants per year and offence group, with the
    exact interval as a band (counts when the population is unknown)."""
    yearly = [c for c in crimes if c.quarter == 0 and c.count is not None]
    if not yearly:
        return None
    year, group = _("År"), _("Brottstyp")
    with_rate = all(c.rate is not None for c in yearly)
    value = _("Anmälda brott per 100 000 invånare") if with_rate else _("Anmälda brott")
    low, high = _("Nedre gräns"), _("Övre gräns")
    rows: list[dict[str, Any]] = []
    for c in yearly:
        row: dict[str, Any] = {year: str(c.year), group: c.offence}
        if with_rate:
            row.update(
                {
                    value: round(c.rate or 0, 1),
                    low: round(c.low or 0, 1),
                    high: round(c.high or 0, 1),
                }
            )
        else:
            row[value] = c.count
        rows.append(row)
    return line_chart(
        rows,
        x=year,
        y=value,
        x_type="ordinal",
        color=group,
        color_title=group,
        band=(low, high) if with_rate else None,
        x_title=year,
        y_title=value,
    )


def kolada_chart(values: list[KoladaFigure]) -> Spec | None:
    shown = [v for v in values if v.value is not None]
    if not shown:
        return None
    year, kpi, value = _("År"), _("Nyckeltal"), _("Värde")
    rows = [{year: str(v.year), kpi: f"{v.kpi} {v.title}".strip(), value: v.value} for v in shown]
    return line_chart(
        rows,
        x=year,
        y=value,
        x_type="ordinal",
        color=kpi,
        color_title=kpi,
        x_title=year,
        y_title=value,
    )


def callout_chart(callouts: list[CallOutFigure]) -> Spec | None:
    """Call-outs by event type and year (the follow-up's "olyckor där räddningstjänst
    ryckt ut")."""
    shown = [c for c in callouts if c.count is not None]
    if not shown:
        return None
    year, kind, count = _("År"), _("Händelsetyp"), _("Antal insatser")
    rows = [{year: str(c.year), kind: c.event_type, count: c.count} for c in shown]
    return line_chart(
        rows,
        x=year,
        y=count,
        x_type="ordinal",
        color=kind,
        color_title=kind,
        x_title=year,
        y_title=count,
    )
