"""``{% vega_chart spec "Beskrivning" %}``: a chart with a text alternative.

Renders a figure whose div carries the spec for static/tryggnav/js/charts.js, an
accessible name, and the chart's data as a table in a <details> element so the
numbers are available without the picture (WCAG 1.1.1).
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from tryggnav.lib import numbers

register = template.Library()


def _data_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    data = spec.get("data") or {}
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        return [row for row in data["values"] if isinstance(row, dict)]
    return []


@register.simple_tag
def vega_chart(spec: dict[str, Any], description: str, table: bool = True, columns: Any = None):
    rows = _data_rows(spec) if table else []
    fields = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    fields = [f for f in fields if not f.startswith("_")]
    table_html = ""
    if rows and fields:
        head = format_html_join("", '<th scope="col">{}</th>', ((f,) for f in fields))
        body = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (format_html_join("", "<td>{}</td>", ((_fmt(row.get(f)),) for f in fields)),)
                for row in rows[:500]
            ),
        )
        table_html = format_html(
            '<details class="chart-data"><summary>{}</summary><div class="table-wrap">'
            '<table><caption class="visually-hidden">{}</caption><thead><tr>{}</tr></thead>'
            "<tbody>{}</tbody></table></div></details>",
            _("Visa diagrammets data som tabell"),
            description,
            head,
            body,
        )
    return format_html(
        '<figure class="chart-figure"><div class="chart" data-vega-spec="{}" role="img" '
        'aria-label="{}"></div><figcaption>{}</figcaption>{}</figure>',
        json.dumps(spec, ensure_ascii=False, default=str),
        description,
        description,
        table_html,
    )


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return numbers.significant(value)
    return str(value)  # whole numbers may be years or labels: as they are
