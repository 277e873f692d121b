"""Live figures for a problem's steps 3 and 4, computed from the countable incidents of
the problem's areas and categories: weekly counts with a trend, the weekday × hour
pattern (aoristic) and counts per area. Stored as FigureSnapshot rows when the group
attaches them, so later reports show the figures as they were.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.areas.models import Area
from tryggnav.incidents.counts import countable
from tryggnav.incidents.models import Incident
from tryggnav.lib import charts
from tryggnav.stats.hotspots import aoristic_weekday_hour
from tryggnav.steering.models import FigureSnapshot, Problem

WEEKDAYS = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
TREND_WEEKS = 8


@dataclass(frozen=True)
class Scope:
    """What the figures count: categories in areas (or the whole municipality) in a period."""

    municipality_id: str
    area_ids: tuple[int, ...]
    category_ids: tuple[int, ...]
    since: datetime.date
    until: datetime.date

    @classmethod
    def for_problem(cls, problem: Problem, *, weeks: int = 104) -> Scope:
        until = timezone.localdate()
        # Whole ISO weeks: from a Monday to the last completed Sunday.
        until = until - datetime.timedelta(days=until.isoweekday())
        since = until - datetime.timedelta(weeks=weeks) + datetime.timedelta(days=1)
        return cls(
            municipality_id=problem.municipality_id or "",
            area_ids=tuple(problem.areas.values_list("pk", flat=True)),
            category_ids=tuple(problem.categories.values_list("pk", flat=True)),
            since=since,
            until=until,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "municipality": self.municipality_id,
            "areas": list(self.area_ids),
            "categories": list(self.category_ids),
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
        }

    def incidents(self, *, whole_municipality: bool = False) -> QuerySet[Incident]:
        return countable(
            start=self.since,
            end=self.until + datetime.timedelta(days=1),
            category_ids=self.category_ids,
            municipality_id=self.municipality_id,
            area_ids=() if whole_municipality else self.area_ids,
        )


def weekly(scope: Scope) -> list[dict[str, Any]]:
    """Counts per ISO week in the areas and in the whole municipality, with an
    8-week moving average of the area counts as the trend line (descriptive only)."""
    mondays = []
    day = scope.since - datetime.timedelta(days=scope.since.weekday())
    while day <= scope.until:
        mondays.append(day)
        day += datetime.timedelta(days=7)

    def counts(qs: QuerySet[Incident]) -> list[int]:
        per_week: Counter[datetime.date] = Counter()
        for moment in qs.values_list("occurred_from", flat=True):
            local = timezone.localtime(moment).date()
            per_week[local - datetime.timedelta(days=local.weekday())] += 1
        return [per_week.get(monday, 0) for monday in mondays]

    area = counts(scope.incidents())
    whole = counts(scope.incidents(whole_municipality=True))
    trend = np.convolve(area, np.ones(TREND_WEEKS) / TREND_WEEKS, mode="full")[: len(area)]
    return [
        {
            "vecka": monday.isoformat(),
            "antal": a,
            "trend": round(float(t), 2) if i >= TREND_WEEKS - 1 else None,
            "hela_kommunen": w,
        }
        for i, (monday, a, w, t) in enumerate(zip(mondays, area, whole, trend, strict=True))
    ]


def weekday_hour(scope: Scope) -> list[dict[str, Any]]:
    """Expected events per weekday and hour, time windows spread aoristically."""

    rows = list(scope.incidents().values_list("occurred_from", "occurred_to"))
    if not rows:
        return []

    def naive(moment: datetime.datetime | None) -> np.datetime64:
        if moment is None:
            return np.datetime64("NaT", "s")
        return np.datetime64(timezone.localtime(moment).replace(tzinfo=None), "s")

    result = aoristic_weekday_hour(
        np.array([naive(s) for s, _e in rows]), np.array([naive(e) for _s, e in rows])
    )
    return [
        {"veckodag": WEEKDAYS[d], "timme": h, "antal": round(float(result.matrix[d, h]), 2)}
        for d in range(7)
        for h in range(24)
    ]


def by_area(scope: Scope) -> list[dict[str, Any]]:
    """Counts per area of the municipality (all areas, to show where events concentrate)."""
    qs = scope.incidents(whole_municipality=True)
    counts = Counter(qs.values_list("area__name", flat=True))
    chosen = set(Area.objects.filter(pk__in=scope.area_ids).values_list("name", flat=True))
    return [
        {
            "område": name or _("Utan område (bara kommunen känd)"),
            "antal": n,
            "valt": name in chosen,
        }
        for name, n in counts.most_common()
    ]


COMPUTE = {
    FigureSnapshot.Kind.WEEKLY: weekly,
    FigureSnapshot.Kind.WEEKDAY_HOUR: weekday_hour,
    FigureSnapshot.Kind.AREAS: by_area,
}


def compute(kind: str, scope: Scope) -> list[dict[str, Any]]:
    return COMPUTE[FigureSnapshot.Kind(kind)](scope)


def spec(kind: str, data: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The chart of a kind of figures (live or snapshot)."""
    if not data:
        return None
    if kind == FigureSnapshot.Kind.WEEKLY:
        long = [
            {"vecka": row["vecka"], "serie": label, "antal": row[key]}
            for row in data
            for key, label in (
                ("antal", _("Valda områden")),
                ("trend", _("Trend (glidande medel, 8 veckor)")),
                ("hela_kommunen", _("Hela kommunen")),
            )
            if row.get(key) is not None
        ]
        return charts.line_chart(
            long,
            x="vecka",
            y="antal",
            color="serie",
            x_title=_("Vecka"),
            y_title=_("Antal"),
            color_title="",
        )
    if kind == FigureSnapshot.Kind.WEEKDAY_HOUR:
        return charts.heatmap(
            data,
            x="timme",
            y="veckodag",
            value="antal",
            x_title=_("Timme"),
            y_title=_("Veckodag"),
            value_title=_("Förväntat antal"),
            y_sort=WEEKDAYS,
        )
    return charts.bar_chart(
        data[:20],
        x="område",
        y="antal",
        x_title=_("Område"),
        y_title=_("Antal"),
        horizontal=True,
        sort="-x",
        height=max(120, 22 * min(len(data), 20)),
    )


def title(kind: str, problem: Problem, scope: Scope) -> str:
    return _("%(kind)s, %(problem)s, %(since)s–%(until)s") % {
        "kind": FigureSnapshot.Kind(kind).label,
        "problem": problem.title,
        "since": scope.since.isoformat(),
        "until": scope.until.isoformat(),
    }
