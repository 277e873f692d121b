"""Trend charts of the lägesbild: 52 weeks with the alert threshold, and several years."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tryggnav.incidents import counts
from tryggnav.incidents.models import CategoryGroup
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import alerts
from tryggnav.lagesbild.picture import Filters, Lagesbild, Row, Scope, compile_lagesbild
from tryggnav.lib import charts, numbers

TREND_WEEKS = 52


def overview_table(spec: dict[str, Any] | None) -> str:
    """The overview chart's numbers as one wide table (weeks × category groups), the
    chart's text alternative. Built in one pass: the long format the chart uses would
    be hundreds of rows, and the template tag's table costs more than the page."""
    if not spec:
        return ""
    values = spec["data"]["values"]
    groups = sorted({v["kategorigrupp"] for v in values})
    weeks: dict[str, dict[str, int]] = {}
    for v in values:
        weeks.setdefault(v["vecka"], {})[v["kategorigrupp"]] = v["antal"]
    head = "".join(f'<th scope="col" class="num">{escape(g)}</th>' for g in groups)
    body = "".join(
        f'<tr><th scope="row">{week}</th>'
        + "".join(f'<td class="num">{counts.get(g, 0)}</td>' for g in groups)
        + "</tr>"
        for week, counts in weeks.items()
    )
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        f'<details class="chart-data"><summary>{escape(_("Visa diagrammets data som tabell"))}'
        f'</summary><div class="table-wrap"><table><caption class="visually-hidden">'
        f"{escape(_('Händelser per vecka och kategorigrupp'))}</caption><thead><tr>"
        f'<th scope="col">{escape(_("Vecka"))}</th>{head}</tr></thead><tbody>{body}</tbody>'
        f"</table></div></details>"
    )


def overview_spec(picture: Lagesbild) -> dict[str, Any] | None:
    """Weekly counts of the last 52 weeks per category group (the whole lägesbild)."""
    if not picture.rows:
        return None
    weeks = picture.weeks[-TREND_WEEKS:]
    totals: dict[str, np.ndarray] = {}
    for row in picture.rows:
        values = row.series[-TREND_WEEKS:]
        if row.category_group in totals:
            totals[row.category_group] = totals[row.category_group] + values
        else:
            totals[row.category_group] = values
    labels = [m.isoformat() for m in weeks]
    data = [
        {"vecka": label, "kategorigrupp": name, "antal": n}
        for group, values in sorted(totals.items())
        for name in [str(CategoryGroup(group).label)]
        for label, n in zip(labels, values.tolist(), strict=True)
    ]
    return charts.line_chart(
        data,
        x="vecka",
        y="antal",
        color="kategorigrupp",
        x_title=_("Vecka"),
        y_title=_("Händelser"),
        color_title=_("Kategorigrupp"),
        title=_("Händelser per vecka, senaste 52 veckorna"),
    )


@dataclass
class SeriesTrend:
    row: Row
    weekly: dict[str, Any]
    years: dict[str, Any]
    points: list[dict[str, Any]]


def series_trend(
    *, scope: Scope, week: IsoWeek, filters: Filters, area_id: int, category_id: int
) -> SeriesTrend | None:
    picture = compile_lagesbild(scope=scope, week=week, filters=filters, with_coverage=False)
    row = next(
        (r for r in picture.rows if r.area_id == area_id and r.category_id == category_id), None
    )
    if row is None:
        return None
    values = np.asarray(row.series)
    bounds = alerts.bounds_over_time(
        values,
        history_weeks=picture.history_weeks,
        first_week=picture.weeks[0],
        last=TREND_WEEKS,
    )
    weeks = picture.weeks[-TREND_WEEKS:]
    points = []
    for monday, n, (expected, upper) in zip(weeks, values[-TREND_WEEKS:], bounds, strict=True):
        points.append(
            {
                "vecka": monday.isoformat(),
                "antal": int(n),
                "förväntat": None if expected is None else round(expected, 2),
                "övre gräns": None if upper is None else round(upper, 2),
                "över gränsen": bool(upper is not None and n > upper),
            }
        )
    weekly = charts.line_chart(
        points,
        x="vecka",
        y="antal",
        x_title=_("Vecka"),
        y_title=_("Händelser"),
        threshold="övre gräns",
        threshold_title=_("Övre gräns"),
        points="över gränsen",
        title=_("%(category)s i %(area)s, 52 veckor")
        % {"category": row.category_name, "area": row.area_name},
    )
    yearly = []
    for monday, n in zip(picture.weeks, values, strict=True):
        if (
            monday.toordinal()
            < (week.monday - datetime.timedelta(weeks=picture.history_weeks)).toordinal()
        ):
            continue
        iso = monday.isocalendar()
        yearly.append({"år": str(iso[0]), "vecka": iso[1], "antal": int(n)})
    years = charts.line_chart(
        yearly,
        x="vecka",
        y="antal",
        color="år",
        x_type="quantitative",
        x_title=_("Vecka"),
        y_title=_("Händelser"),
        color_title=_("År"),
        title=_("Samma serie år för år"),
    )
    return SeriesTrend(row=row, weekly=weekly, years=years, points=points)


WEEKDAYS = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
PATTERN_WEEKS = 4


def weekday_hour(*, scope: Scope, week: IsoWeek, filters: Filters):
    """Weekday × hour of the judged week and the three before, with aoristic weights
    (Ratcliffe 2002) for incidents known only to lie in a time window; None if empty.

    Incidents at a moment are counted per local weekday and hour in SQL (at most 168
    rows); only those with a time window are read one by one and spread."""
    # stats.hotspots loads scipy.signal (about a second): only the weekday-hour pattern needs it.
    from tryggnav.stats.hotspots import AoristicResult, aoristic_weekday_hour

    first = week.shift(-(PATTERN_WEEKS - 1)).monday
    incidents = counts.scope_incidents(
        scope, filters, first, week.sunday + datetime.timedelta(days=1)
    ).order_by()
    at_a_moment = Q(occurred_to__isnull=True) | Q(occurred_to=F("occurred_from"))
    matrix = np.zeros((7, 24))
    zone = timezone.get_current_timezone()
    per_hour = (
        incidents.filter(at_a_moment)
        .annotate(
            day=ExtractIsoWeekDay("occurred_from", tzinfo=zone),
            hour=ExtractHour("occurred_from", tzinfo=zone),
        )
        .values_list("day", "hour")
        .annotate(n=Count("pk"))
    )
    moments = 0
    for day, hour, n in per_hour:
        matrix[day - 1, hour] += n
        moments += n
    windows = list(incidents.exclude(at_a_moment).values_list("occurred_from", "occurred_to"))
    if not moments and not windows:
        return None
    spread = aoristic_weekday_hour(
        local_wall_clock([a for a, _b in windows]), local_wall_clock([b or a for a, b in windows])
    )
    return AoristicResult(
        matrix=matrix + spread.matrix,
        n_events=moments + spread.n_events,
        n_capped=spread.n_capped,
        n_skipped=spread.n_skipped,
    )


def local_wall_clock(moments: list[datetime.datetime]) -> np.ndarray:
    """Aware datetimes as naive local wall-clock time (``datetime64[s]``) in the
    current time zone. Time-zone offsets change only on whole UTC hours, so one
    conversion per distinct hour serves every moment in it: converting each row in
    Python was 40 % of a cold lägesbild at ten million incidents."""
    utc = np.array(
        [m.astimezone(datetime.UTC).replace(tzinfo=None) for m in moments], dtype="datetime64[s]"
    )
    hours, inverse = np.unique(utc.astype("datetime64[h]"), return_inverse=True)
    zone = timezone.get_current_timezone()
    offsets = np.array(
        [
            int(
                hour.item()
                .replace(tzinfo=datetime.UTC)
                .astimezone(zone)
                .utcoffset()
                .total_seconds()
            )
            for hour in hours
        ],
        dtype="timedelta64[s]",
    )
    return utc + offsets[inverse.ravel()]


def weekday_hour_spec(*, scope: Scope, week: IsoWeek, filters: Filters) -> dict[str, Any] | None:
    # The cache is looked up when used, so tests' cache settings apply.
    from django.core.cache import cache

    key = f"lagesbild:pattern:v1:{counts.version()}:{scope.slug}:{week}:{filters.digest()}"
    spec = cache.get(key, "missing")
    if spec == "missing":
        spec = _weekday_hour_spec(scope=scope, week=week, filters=filters)
        cache.set(key, spec, 24 * 3600)
    return spec


def _weekday_hour_spec(*, scope: Scope, week: IsoWeek, filters: Filters) -> dict[str, Any] | None:
    result = weekday_hour(scope=scope, week=week, filters=filters)
    if result is None:
        return None
    values = [
        {"veckodag": WEEKDAYS[d], "timme": h, "händelser": round(float(result.matrix[d, h]), 2)}
        for d in range(7)
        for h in range(24)
    ]
    return charts.heatmap(
        values,
        x="timme",
        y="veckodag",
        value="händelser",
        x_title=_("Timme"),
        y_title=_("Veckodag"),
        value_title=_("Händelser"),
        y_sort=WEEKDAYS,
        title=_("Veckodag och timme, %(n)s händelser under fyra veckor") % {"n": result.n_events},
    )


def weekday_hour_table(spec: dict[str, Any] | None) -> str:
    """The heat map's numbers as a 7 × 24 table, its text alternative."""
    if not spec:
        return ""
    cells: dict[str, dict[int, float]] = {}
    for v in spec["data"]["values"]:
        cells.setdefault(v["veckodag"], {})[v["timme"]] = v["händelser"]
    head = "".join(f'<th scope="col" class="num">{h}</th>' for h in range(24))
    body = "".join(
        f'<tr><th scope="row">{escape(day)}</th>'
        + "".join(
            f'<td class="num">{numbers.number(cells[day][h], 1, trim=True)}</td>' for h in range(24)
        )
        + "</tr>"
        for day in WEEKDAYS
    )
    return mark_safe(  # noqa: S308 - weekday names are escaped, the rest are numbers
        f'<details class="chart-data"><summary>{escape(_("Visa diagrammets data som tabell"))}'
        f'</summary><div class="table-wrap"><table><caption class="visually-hidden">'
        f"{escape(_('Händelser per veckodag och timme'))}</caption><thead><tr>"
        f'<th scope="col">{escape(_("Veckodag"))}</th>{head}</tr></thead><tbody>{body}'
        f"</tbody></table></div></details>"
    )
