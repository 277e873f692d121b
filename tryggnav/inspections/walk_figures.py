"""Safety walks as figures for the lägesbild's "annan relevant information" and the
law report: how many walks in a period and area, the points by theme, and how many of
the points that became deficiencies are fixed. Read-only, typed, no display text."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Avg, Count, Q

from tryggnav.inspections.models import Status
from tryggnav.inspections.walk_models import Theme, Walk, WalkPoint

FIXED_STATUSES = (Status.FIXED, Status.VERIFIED)


@dataclass(frozen=True)
class ThemeFigure:
    theme: str  # a Theme value
    points: int
    deficiencies: int
    fixed: int
    mean_unsafe: float | None  # 1–5, over the points that say


@dataclass(frozen=True)
class WalkFigures:
    start: datetime.date
    end: datetime.date
    walks: int
    points: int
    deficiencies: int  # points that became deficiencies
    fixed: int  # of those, fixed or verified
    by_theme: list[ThemeFigure]

    @property
    def share_fixed(self) -> float | None:
        """Fixed among the points that became deficiencies (None when there are none)."""
        return self.fixed / self.deficiencies if self.deficiencies else None


def walk_figures(
    *, municipality_id: str, start: datetime.date, end: datetime.date,
    area_ids: Iterable[int] | None = None, include_demo: bool = True,
) -> WalkFigures:  # fmt: skip
    """The walks dated ``start``..``end`` (inclusive) in the municipality, or in
    ``area_ids`` only."""
    walks = Walk.objects.filter(municipality_id=municipality_id, date__range=(start, end))
    if area_ids is not None:
        walks = walks.filter(area_id__in=list(area_ids))
    if not include_demo:
        walks = walks.filter(is_demo=False)
    points = WalkPoint.objects.filter(walk__in=walks)
    fixed = Q(deficiency__status__in=FIXED_STATUSES)
    rows = {
        r["theme"]: r
        for r in points.values("theme").annotate(
            n=Count("pk"), d=Count("deficiency"), f=Count("pk", filter=fixed), u=Avg("unsafe")
        )
    }  # fmt: skip
    by_theme = [
        ThemeFigure(
            theme=t.value,
            points=rows[t]["n"],
            deficiencies=rows[t]["d"],
            fixed=rows[t]["f"],
            mean_unsafe=rows[t]["u"],
        )  # fmt: skip
        for t in Theme
        if t.value in rows
    ]
    return WalkFigures(
        start=start, end=end, walks=walks.count(), points=sum(f.points for f in by_theme),
        deficiencies=sum(f.deficiencies for f in by_theme), fixed=sum(f.fixed for f in by_theme),
        by_theme=by_theme,
    )  # fmt: skip
