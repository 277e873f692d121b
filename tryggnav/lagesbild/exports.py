"""The lägesbild as JSON (documented in docs/lagesbild-json.md), CSV, XLSX, Word and PDF,
Pages, the command and the API share these (the meeting minutes are in minutes.py)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.areas import population as area_population
from tryggnav.lagesbild import alerts, maps, trends
from tryggnav.lagesbild.picture import Lagesbild, Row
from tryggnav.lagesbild.summary import ordered_rows, signal_lines, summary_lines
from tryggnav.lib import charts, documents, numbers, tabular

FORMATS = ("json", "csv", "xlsx", "docx", "pdf")
JSON_FORMAT = "tryggnav-lagesbild/1"


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _coverage(picture: Lagesbild) -> dict[str, Any] | None:
    coverage = picture.coverage
    if coverage is None:
        return None
    return {
        "expected_reporters": len(coverage.expected),
        "reporting": [r.organisation.name for r in coverage.reporting],
        "missing": [r.organisation.name for r in coverage.missing],
        "share_reporting": _round(coverage.share_reporting, 3),
        "usual_share": _round(coverage.usual_share, 3),
        "fewer_than_usual": coverage.fewer_than_usual,
        "reports": coverage.total_reports,
    }


def row_dict(row) -> dict[str, Any]:
    result = row.result
    return {
        "area_code": row.area_code,
        "area_name": row.area_name,
        "category": row.category_slug,
        "category_name": row.category_name,
        "category_group": row.category_group,
        "count": row.count,
        "previous_4_mean": _round(row.previous_mean),
        "previous_4_min": row.previous_min,
        "previous_4_max": row.previous_max,
        "same_week_last_year": row.last_year,
        "expected": _round(row.expected),
        "upper_bound": _round(row.upper_bound),
        "alert": row.alert,
        "method": row.method,
        "p_value": _round(result.pvalue if result else None, 5),
        "p_adjusted": _round(result.p_adjusted if result else None, 5),
        "rate_per_1000": _round(row.rate, 4),
        "rate_per_1000_ci95": _rate_interval(row),
        "population": row.population,
        "population_year": row.figure.year,
        "population_status": row.figure.status.value,
    }


def _rate_interval(row: Any) -> list[float | None] | None:
    """The exact Poisson (Garwood) 95 % interval of the row's rate, or None."""
    figure = area_population.rate_figure(row.count, row.figure)
    return [_round(figure.low, 4), _round(figure.high, 4)] if figure else None


def payload(picture: Lagesbild) -> dict[str, Any]:
    """The lägesbild as a JSON-ready dict (format ``tryggnav-lagesbild/1``)."""
    scope = picture.scope
    municipality = scope.municipality
    return {
        "format": JSON_FORMAT,
        "week": str(picture.week),
        "week_start": picture.week.monday.isoformat(),
        "week_end": picture.week.sunday.isoformat(),
        "scope": "group" if scope.group else "municipality",
        "group": {"slug": scope.group.slug, "name": scope.group.name} if scope.group else None,
        "municipality": {
            "code": municipality.code,
            "name": municipality.short_name,
            "population": municipality.population,
        },
        "filters": {
            "category_groups": list(picture.filters.category_groups),
            "sources": list(picture.filters.sources),
            "precisions": list(picture.filters.precisions),
        },
        "coverage": _coverage(picture),
        "method": {
            "alpha": alerts.ALPHA,
            "fdr_q": alerts.FDR_Q,
            "min_count": alerts.MIN_COUNT,
            "history_weeks": picture.history_weeks,
            "farrington_min_weeks": alerts.FARRINGTON_MIN_WEEKS,
            "ears_min_weeks": alerts.EARS_MIN_WEEKS,
        },
        "total": picture.total,
        "outside_group_area": picture.outside_count,
        "summary": summary_lines(picture),
        "rows": [row_dict(r) for r in picture.rows],
        "police_types": [
            {
                "police_type": t.police_type,
                "count": t.count,
                "previous_4_mean": _round(t.previous_mean),
            }
            for t in picture.police_types
        ],
    }


def json_text(picture: Lagesbild) -> str:
    return json.dumps(payload(picture), ensure_ascii=False, indent=2)


COLUMNS = [
    "area_code",
    "area_name",
    "category",
    "category_name",
    "category_group",
    "count",
    "previous_4_mean",
    "previous_4_min",
    "previous_4_max",
    "same_week_last_year",
    "expected",
    "upper_bound",
    "alert",
    "method",
    "p_value",
    "p_adjusted",
    "rate_per_1000",
]


def table_rows(picture: Lagesbild) -> list[list[Any]]:
    return [[row_dict(r)[c] for c in COLUMNS] for r in picture.rows]


def filename(picture: Lagesbild) -> str:
    return f"lagesbild-{picture.scope.slug}-{picture.week}"


def csv_text(picture: Lagesbild) -> str:
    return tabular.csv_text(COLUMNS, table_rows(picture))


def xlsx_bytes(picture: Lagesbild) -> bytes:
    police = [[t.police_type, t.count, t.previous_mean] for t in picture.police_types]
    return tabular.xlsx_bytes(
        [
            (_("Lägesbild"), COLUMNS, table_rows(picture)),
            (_("Polisens händelsetyper"), ["police_type", "count", "previous_4_mean"], police),
        ]
    )


def _num(value: float | None) -> str:
    return numbers.number(value, 1)


def lagesbild_document(picture: Lagesbild) -> documents.Document:
    scope = picture.scope
    doc = documents.Document(
        title=_("Lägesbild vecka %(w)s %(y)s") % {"w": picture.week.week, "y": picture.week.year},
        subtitle=f"{scope.name} · {picture.week.monday:%Y-%m-%d}–{picture.week.sunday:%Y-%m-%d}",
        organisation=scope.group.lead_organisation.name if scope.group else "",
        date=timezone.localdate(),
        is_demo=bool(scope.group and scope.group.is_demo),
    )
    for section in (_signal, _summary, _rows, _police_types, _trend, _map):
        doc.add(*section(picture))
    return doc


def _signal(picture: Lagesbild) -> list[documents.Block]:
    signal = signal_lines(picture)
    return [
        documents.Heading(_("Det viktigaste den här veckan"), 2),
        documents.BulletList(signal)
        if signal
        else documents.Paragraph(
            _("Inga larm och inga antal över spannet för de fyra veckorna före.")
        ),
    ]


def _summary(picture: Lagesbild) -> list[documents.Block]:
    blocks: list[documents.Block] = [
        documents.Heading(_("Sammanfattning"), 2),
        documents.BulletList(summary_lines(picture)),
    ]
    if picture.coverage is not None:
        cov = picture.coverage
        text = _("Rapporterade: %(r)s av %(e)s organisationer som rapporterar varje vecka.") % {
            "r": len([r for r in cov.expected if r.reported]),
            "e": len(cov.expected),
        }
        if cov.missing:
            text += " " + _("Saknas: %(m)s.") % {
                "m": ", ".join(r.organisation.name for r in cov.missing)
            }
        blocks.append(documents.Paragraph(text, "warning" if picture.low_coverage else ""))
    blocks.append(documents.Paragraph(picture.method_note, "muted"))
    return blocks


def _rows(picture: Lagesbild) -> list[documents.Block]:
    # The document lists the series with events this week or a signal; the complete
    # table (every series with history) is in the CSV and Excel files.
    shown = ordered_rows([r for r in picture.rows if r.count or r.alert or r.above_upper])
    blocks: list[documents.Block] = [
        documents.Heading(_("Områden och kategorier"), 2),
        documents.Table(
            columns=[
                _("Område"),
                _("Kategori"),
                _("Antal"),
                _("Snitt 4 v."),
                _("Spann 4 v."),
                _("Förra året"),
                _("Förväntat"),
                _("Övre gräns"),
                _("Larm"),
                _("Per 1 000 inv. (95 % KI)"),
            ],
            rows=[_row_cells(r) for r in shown],
            numeric=frozenset({2, 3, 5, 6, 7, 9}),
            highlight_rows=frozenset(i for i, r in enumerate(shown) if r.alert),
            caption=_("Händelser vecka %(w)s per område och kategori") % {"w": picture.week.week},
        ),
    ]
    if len(shown) < len(picture.rows):
        blocks.append(
            documents.Paragraph(
                _(
                    "%(n)s serier utan händelser den här veckan visas inte; de ingår i "
                    "larmberäkningen och finns i CSV- och Excel-filen."
                )
                % {"n": len(picture.rows) - len(shown)},
                "muted",
            )
        )
    return blocks


def _row_cells(r: Row) -> list[Any]:
    return [
        r.area_name,
        r.category_name,
        r.count,
        _num(r.previous_mean),
        numbers.interval(r.previous_min, r.previous_max),
        "–" if r.last_year is None else r.last_year,
        _num(r.expected),
        _num(r.upper_bound),
        str(r.verdict.label),
        r.rate_text,
    ]


def _police_types(picture: Lagesbild) -> list[documents.Block]:
    if not picture.police_types:
        return []
    return [
        documents.Heading(_("Polisens händelsetyper"), 2),
        documents.Table(
            columns=[_("Händelsetyp"), _("Antal"), _("Snitt 4 v.")],
            rows=[[t.police_type, t.count, _num(t.previous_mean)] for t in picture.police_types],
            numeric=frozenset({1, 2}),
        ),
    ]


def _trend(picture: Lagesbild) -> list[documents.Block]:
    overview = trends.overview_spec(picture)
    if not overview:
        return []
    return [
        documents.Heading(_("Utveckling"), 2),
        _chart_image(overview, _("Händelser per vecka, 52 veckor")),
    ]


def _map(picture: Lagesbild) -> list[documents.Block]:
    blocks: list[documents.Block] = [documents.Heading(_("Karta"), 2)]
    collection = maps.feature_collection(
        scope=picture.scope, week=picture.week, filters=picture.filters, user=None
    )
    features = collection["features"]
    areas = [f for f in features if f["properties"]["layer"] == "area"]
    points = [
        {"lon": f["geometry"]["coordinates"][0], "lat": f["geometry"]["coordinates"][1]}
        for f in features
        if f["properties"]["layer"] == "incident"
    ]
    if not areas:
        areas = [f for f in features if f["properties"]["layer"] == "municipality"]
    if areas:
        blocks.append(
            _chart_image(
                charts.map_chart(areas, value="count", value_title=_("Antal"), points=points),
                caption=_(
                    "Antal per område; punkter är händelser med exakt läge. Händelser "
                    "med läge bara på kommunnivå visas inte som punkter."
                ),
            )
        )
    return blocks


def _chart_image(spec: dict[str, Any], caption: str) -> documents.Image:
    """A chart rendered once to PNG for both Word and PDF: WeasyPrint lays out a
    chart's SVG several times slower than a picture, and the PDF must stay fast."""
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "line":
            mark["point"] = False  # hundreds of point marks add nothing on paper
    return documents.Image(charts.render_png(spec, width=640, scale=2.0), caption)


def lagesbild_response(picture: Lagesbild, *, fmt: str, user: Any = None) -> HttpResponse:
    name = filename(picture)
    if fmt == "json":
        response = HttpResponse(json_text(picture), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + csv_text(picture), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(picture), content_type=tabular.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return documents.document_response(lagesbild_document(picture), fmt=fmt, filename=name)


def render(picture: Lagesbild, fmt: str) -> bytes:
    """The lägesbild as a file's bytes, for the command line."""
    if fmt == "json":
        return json_text(picture).encode()
    if fmt == "csv":
        return ("\ufeff" + csv_text(picture)).encode()
    if fmt == "xlsx":
        return xlsx_bytes(picture)
    document = lagesbild_document(picture)
    return documents.render_docx(document) if fmt == "docx" else documents.render_pdf(document)
