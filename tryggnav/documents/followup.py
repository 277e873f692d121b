"""The åtgärdsplan followed up today: each measure's status when the version was made
(its frozen figures) beside its status now, gathered again from the same registers.

Both are said with the weekly meetings' one status definition (``lagesbild.Action``:
Pågår, Klar, Struken; overdue when open past its date), which ``measures`` maps every
register onto. Measures are paired by their source and public id; a measure added
after the version is "new", one no longer found (removed, or no longer visible to the
reader) is "not found". The frozen document itself never changes.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tryggnav.documents import figures as figures_module
from tryggnav.documents.figures import MeasureRow, Source
from tryggnav.documents.measures import gather_measures
from tryggnav.documents.models import LawDocument
from tryggnav.lagesbild.models import Action

# Where each measure is kept, in a table column.
SOURCE_NAMES = {
    Source.BRA: _("Brå-processen"),
    Source.MEETING: _("Veckomötet"),
    Source.ACTIVITY: _("Aktivitetsregistret"),
    Source.FUND: _("Trygghetsfonden"),
}


@dataclass(frozen=True)
class FollowUpRow:
    source: str
    title: str
    responsible: str
    due: str | None
    status_then: str | None  # None: added after the version was made
    overdue_then: bool
    status_now: str | None  # None: no longer found
    overdue_now: bool

    @property
    def is_new(self) -> bool:
        return self.status_then is None

    @property
    def is_missing(self) -> bool:
        return self.status_now is None

    @property
    def changed(self) -> bool:
        """Found then and now with another status or overdue flag: a new measure or
        one no longer found is said so, and not counted as changed."""
        if self.is_new or self.is_missing:
            return False
        return (self.status_then, self.overdue_then) != (self.status_now, self.overdue_now)

    @property
    def source_name(self) -> str:
        return str(SOURCE_NAMES.get(self.source, self.source))

    @property
    def status_then_label(self) -> str:
        return _label(self.status_then)

    @property
    def status_now_label(self) -> str:
        return _label(self.status_now)


@dataclass(frozen=True)
class FollowUp:
    as_of: datetime.date
    rows: list[FollowUpRow]

    def counts_now(self) -> list[tuple[str, int]]:
        """Measures per status today (and how many of the open ones are overdue)."""
        counted = Counter(r.status_now for r in self.rows if r.status_now is not None)
        return [(str(s.label), counted[s.value]) for s in Action.Status if counted[s.value]]

    @property
    def overdue_now(self) -> int:
        return sum(r.overdue_now for r in self.rows)

    @property
    def changed(self) -> int:
        return sum(r.changed for r in self.rows)


def follow_up(document: LawDocument, user: Any, today: datetime.date) -> FollowUp | None:
    """The plan's measures then and now as ``user`` sees them; None for a lägesbild."""
    if document.is_lagesbild or not document.figures:
        return None
    then = figures_module.load_action_plan(document.figures).measures
    now = gather_measures(
        organisation=document.organisation, user=user, period_start=document.period_start,
        as_of=today,
    )  # fmt: skip
    return FollowUp(today, _paired(then, now))


def _paired(then: list[MeasureRow], now: list[MeasureRow]) -> list[FollowUpRow]:
    current = {(m.source, m.ref): m for m in now}
    frozen = {(m.source, m.ref) for m in then}
    rows = [_row(m, current.get((m.source, m.ref))) for m in then]
    rows += [_row(None, m) for m in now if (m.source, m.ref) not in frozen]
    return rows


def _row(then: MeasureRow | None, now: MeasureRow | None) -> FollowUpRow:
    shown = now or then
    assert shown is not None
    return FollowUpRow(
        source=shown.source, title=shown.title, responsible=shown.responsible, due=shown.due,
        status_then=then.status if then else None, overdue_then=bool(then and then.overdue),
        status_now=now.status if now else None, overdue_now=bool(now and now.overdue),
    )  # fmt: skip


def _label(status: str | None) -> str:
    if status is None:
        return ""
    try:
        return str(Action.Status(status).label)
    except ValueError:
        return status
