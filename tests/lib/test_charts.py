"""Charts: a colour-blind-safe palette with no shared colours, at most six lines per
panel (small multiples beyond), and month names in the reader's language."""

from __future__ import annotations

import datetime
import re

from django.utils import translation

from tryggnav.lib import charts


def _weekly(series: int, weeks: int = 8) -> list[dict]:
    start = datetime.date(2026, 1, 5)
    return [
        {
            "vecka": (start + datetime.timedelta(weeks=w)).isoformat(),
            "grupp": f"G{s}",
            "antal": s + w,
        }
        for s in range(series)
        for w in range(weeks)
    ]


def test_palette_has_distinct_colours_for_every_line_of_a_panel():
    assert len(set(c.lower() for c in charts.PALETTE)) == len(charts.PALETTE)
    assert len(charts.PALETTE) >= charts.MAX_LINES


def test_six_series_share_one_panel_each_in_its_own_colour():
    spec = charts.line_chart(_weekly(6), x="vecka", y="antal", color="grupp")
    assert "facet" not in spec
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert line["encoding"]["color"]["field"] == "grupp"


def test_more_than_six_series_become_small_multiples():
    spec = charts.line_chart(_weekly(9), x="vecka", y="antal", color="grupp", title="Nio")
    assert spec["facet"]["field"] == "grupp"
    assert spec["columns"] == charts.PANEL_COLUMNS
    assert all("color" not in layer["encoding"] for layer in spec["spec"]["layer"])
    svg = charts.render_svg(spec)
    assert svg.count(">G") >= 9  # a header per panel


def _month_labels(svg: str) -> set[str]:
    return {m.split()[0] for m in re.findall(r"<text[^>]*>([A-Za-zåäö]+[^<]*)</text>", svg)}


def test_month_names_follow_the_readers_language():
    spec = charts.line_chart(_weekly(1, weeks=30), x="vecka", y="antal")
    with translation.override("sv"):
        swedish = _month_labels(charts.render_svg(spec))
    with translation.override("en"):
        english = _month_labels(charts.render_svg(spec))
    assert {"jan", "februari", "mars", "maj", "jun"} <= swedish, swedish
    assert not {"Jan", "May", "Jun", "February"} & swedish
    assert {"Jan", "February", "March", "May", "Jun"} <= english, english
