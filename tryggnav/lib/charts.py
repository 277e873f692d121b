"""Charts as Vega-Lite specifications: drawn in the browser by the vendored
vega-embed on pages, and rendered to SVG/PNG by vl-convert for Word and PDF, so a
chart looks the same on the page and in the report.

The helpers build the common chart kinds; any valid Vega-Lite spec works with
``render_svg``/``render_png`` and the ``{% vega_chart %}`` template tag.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.utils.translation import get_language
from shapely.geometry import MultiPolygon, mapping, shape
from shapely.geometry.polygon import orient

Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# Okabe and Ito's palette, told apart with every common colour-vision deficiency; a
# chart never has more series than colours (line charts split into small multiples).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
# More lines than this in one panel become small multiples, one panel per series.
MAX_LINES = 6
PANEL_COLUMNS = 3
PANEL_WIDTH = 170
PANEL_HEIGHT = 110
FONT = "DejaVu Sans, system-ui, sans-serif"

BASE_CONFIG: Spec = {
    "font": FONT,
    "range": {"category": PALETTE},
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e4e4e0"},
    "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
    "title": {"fontSize": 14, "anchor": "start"},
    "view": {"stroke": None},
}


def _base(title: str, width: int | str, height: int) -> Spec:
    spec: Spec = {
        "$schema": SCHEMA,
        "width": width,
        "height": height,
        "config": BASE_CONFIG,
    }
    if title:
        spec["title"] = title
    return spec


def line_chart(
    values: Sequence[dict[str, Any]],
    *,
    x: str,
    y: str,
    x_title: str = "",
    y_title: str = "",
    color: str | None = None,
    color_title: str = "",
    band: tuple[str, str] | None = None,
    threshold: str | None = None,
    threshold_title: str = "",
    points: str | None = None,
    x_type: str = "temporal",
    title: str = "",
    width: int | str = "container",
    height: int = 220,
) -> Spec:
    """A line chart; optional interval band (low, high fields), a dashed threshold line
    (e.g. an alert's upper bound) and highlighted points (a boolean field, e.g. alarms)."""
    enc_x = {"field": x, "type": x_type, "title": x_title}
    layers: list[Spec] = []
    if band:
        layers.append(_band_layer(enc_x, band, color))
    layers.append(_line_layer(enc_x, y, y_title, color, color_title))
    if threshold:
        layers.append(_threshold_layer(enc_x, threshold, threshold_title))
    if points:
        layers.append(_points_layer(enc_x, y, points))
    if color and len({row.get(color) for row in values}) > MAX_LINES:
        return _small_multiples(values, layers, color=color, color_title=color_title, title=title)
    spec = _base(title, width, height)
    spec["data"] = {"values": list(values)}
    spec["layer"] = layers
    return spec


def _band_layer(enc_x: Spec, band: tuple[str, str], color: str | None) -> Spec:
    encoding: Spec = {
        "x": enc_x,
        "y": {"field": band[0], "type": "quantitative"},
        "y2": {"field": band[1]},
    }
    if color:
        encoding["color"] = {"field": color, "type": "nominal", "legend": None}
    return {"mark": {"type": "area", "opacity": 0.2}, "encoding": encoding}


def _line_layer(enc_x: Spec, y: str, y_title: str, color: str | None, color_title: str) -> Spec:
    x, x_type, x_title = enc_x["field"], enc_x["type"], enc_x["title"]
    line: Spec = {
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": enc_x,
            "y": {"field": y, "type": "quantitative", "title": y_title},
            "tooltip": [
                {"field": x, "type": x_type, "title": x_title or x},
                {"field": y, "type": "quantitative", "title": y_title or y},
            ],
        },
    }
    if color:
        line["encoding"]["color"] = {"field": color, "type": "nominal", "title": color_title}
    return line


def _threshold_layer(enc_x: Spec, threshold: str, threshold_title: str) -> Spec:
    return {
        "mark": {"type": "line", "strokeDash": [6, 4], "color": "#b3261e"},
        "encoding": {
            "x": enc_x,
            "y": {"field": threshold, "type": "quantitative"},
            "tooltip": [
                {
                    "field": threshold,
                    "type": "quantitative",
                    "title": threshold_title or threshold,
                    "format": ".1f",
                }
            ],
        },
    }


def _points_layer(enc_x: Spec, y: str, points: str) -> Spec:
    return {
        "transform": [{"filter": f"datum['{points}']"}],
        "mark": {
            "type": "point",
            "filled": True,
            "size": 90,
            "color": "#b3261e",
            "shape": "triangle-up",
        },
        "encoding": {"x": enc_x, "y": {"field": y, "type": "quantitative"}},
    }


def _small_multiples(
    values: Sequence[dict[str, Any]],
    layers: list[Spec],
    *,
    color: str,
    color_title: str,
    title: str,
) -> Spec:
    """One small panel per series (same axes, one colour), for more than MAX_LINES
    lines. charts.js fits the number of columns to the page; documents use three."""
    for layer in layers:
        layer["encoding"].pop("color", None)
        if layer["mark"].get("type") == "line" and "color" not in layer["mark"]:
            layer["mark"]["color"] = PALETTE[0]
    spec: Spec = {"$schema": SCHEMA, "config": BASE_CONFIG}
    if title:
        spec["title"] = title
    spec["data"] = {"values": list(values)}
    spec["facet"] = {"field": color, "type": "nominal", "title": color_title}
    spec["columns"] = PANEL_COLUMNS
    spec["spec"] = {"width": PANEL_WIDTH, "height": PANEL_HEIGHT, "layer": layers}
    return spec


def bar_chart(
    values: Sequence[dict[str, Any]],
    *,
    x: str,
    y: str,
    x_title: str = "",
    y_title: str = "",
    color: str | None = None,
    error: tuple[str, str] | None = None,
    horizontal: bool = False,
    sort: Any = None,
    title: str = "",
    width: int | str = "container",
    height: int = 220,
) -> Spec:
    """A bar chart; optional error bars (low, high fields) for intervals."""
    cat_enc = {"field": x, "type": "nominal", "title": x_title, "sort": sort}
    val_enc = {"field": y, "type": "quantitative", "title": y_title}
    enc: Spec = {"y": cat_enc, "x": val_enc} if horizontal else {"x": cat_enc, "y": val_enc}
    enc["tooltip"] = [{"field": x, "type": "nominal"}, {"field": y, "type": "quantitative"}]
    if color:
        enc["color"] = {"field": color, "type": "nominal"}
    layers: list[Spec] = [{"mark": "bar", "encoding": enc}]
    if error:
        value_axis = "x" if horizontal else "y"
        err_enc: Spec = {
            ("y" if horizontal else "x"): cat_enc,
            value_axis: {"field": error[0], "type": "quantitative"},
            f"{value_axis}2": {"field": error[1]},
        }
        layers.append({"mark": {"type": "errorbar", "ticks": True}, "encoding": err_enc})
    spec = _base(title, width, height)
    spec["data"] = {"values": list(values)}
    spec["layer"] = layers
    return spec


def heatmap(
    values: Sequence[dict[str, Any]],
    *,
    x: str,
    y: str,
    value: str,
    x_title: str = "",
    y_title: str = "",
    value_title: str = "",
    x_sort: Any = None,
    y_sort: Any = None,
    title: str = "",
    width: int | str = "container",
    height: int = 200,
) -> Spec:
    """A heat map, e.g. weekday × hour."""
    spec = _base(title, width, height)
    spec["data"] = {"values": list(values)}
    spec["mark"] = "rect"
    spec["encoding"] = {
        "x": {"field": x, "type": "ordinal", "title": x_title, "sort": x_sort},
        "y": {"field": y, "type": "ordinal", "title": y_title, "sort": y_sort},
        "color": {
            "field": value,
            "type": "quantitative",
            "title": value_title,
            "scale": {"scheme": "oranges"},
        },
        "tooltip": [{"field": x}, {"field": y}, {"field": value, "format": ".1f"}],
    }
    return spec


def map_chart(
    features: Sequence[dict[str, Any]],
    *,
    value: str | None = None,
    value_title: str = "",
    points: Sequence[dict[str, Any]] | None = None,
    label: str = "name",
    title: str = "",
    width: int = 520,
    height: int = 420,
) -> Spec:
    """A static map for reports: GeoJSON features (optionally coloured by a numeric
    property) and points (dicts with lon, lat). The page uses Leaflet; the report uses
    this, drawn from the same GeoJSON."""
    layers: list[Spec] = [
        {
            "data": {"values": [_clockwise(f) for f in features]},
            "mark": {"type": "geoshape", "stroke": "#4a4a48", "strokeWidth": 0.6},
            "encoding": (
                {
                    "color": {
                        "field": f"properties.{value}",
                        "type": "quantitative",
                        "title": value_title,
                        "scale": {"scheme": "blues"},
                    },
                    "tooltip": [
                        {"field": f"properties.{label}", "title": "Område"},
                        {"field": f"properties.{value}", "title": value_title},
                    ],
                }
                if value
                else {"color": {"value": "#e8eef6"}}
            ),
        }
    ]
    if points:
        layers.append(
            {
                "data": {"values": list(points)},
                "mark": {"type": "circle", "size": 18, "color": "#b3261e", "opacity": 0.8},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                },
            }
        )
    spec = _base(title, width, height)
    spec["projection"] = {"type": "mercator"}
    spec["layer"] = layers
    return spec


def _clockwise(feature: dict[str, Any]) -> dict[str, Any]:
    """d3 (behind Vega) wants exterior rings clockwise, the reverse of RFC 7946 GeoJSON;
    a counter-clockwise ring would be drawn as the whole world minus the area."""

    geometry = feature.get("geometry")
    if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return feature
    geom = shape(geometry)
    if geom.geom_type == "Polygon":
        fixed = orient(geom, sign=-1.0)
    else:
        fixed = MultiPolygon([orient(p, sign=-1.0) for p in geom.geoms])
    return {**feature, "type": "Feature", "geometry": mapping(fixed)}


def _static(spec: Spec, width: int = 640) -> Spec:
    """vl-convert has no container: give 'container' sizes a fixed width."""
    fixed = dict(spec)
    if fixed.get("width") == "container":
        fixed["width"] = width
    return fixed


@functools.lru_cache(maxsize=1)
def _vl():  # imported lazily: the module is large and pages rarely need it
    # vl-convert starts a JavaScript runtime: only processes that render a chart load it.
    import vl_convert

    return vl_convert


# The same formats as static/tryggnav/js/charts.js uses on the page (Swedish month and
# day names in lower case, as Swedish writes them).
SV_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]}
SV_TIME = {
    "dateTime": "%A %e %B %Y %X",
    "date": "%Y-%m-%d",
    "time": "%H:%M:%S",
    "periods": ["fm", "em"],
    "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
    "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
    "months": [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ],  # fmt: skip
    "shortMonths": [
        "jan",
        "feb",
        "mar",
        "apr",
        "maj",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ],  # fmt: skip
}


def _locales() -> dict[str, Any]:
    """Number and date formats of the reader's language (month names included)."""
    if (get_language() or "sv").startswith("sv"):
        return {"format_locale": SV_FORMAT, "time_format_locale": SV_TIME}
    return {"format_locale": "en-GB", "time_format_locale": "en-GB"}


def render_svg(spec: Spec, *, width: int = 640) -> str:
    """The chart as SVG text, in the reader's number and date formats."""
    return _vl().vegalite_to_svg(_static(spec, width), **_locales())


def render_png(spec: Spec, *, width: int = 640, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes, for Word documents."""
    return _vl().vegalite_to_png(_static(spec, width), scale=scale, **_locales())
