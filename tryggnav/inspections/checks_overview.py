"""The municipality's follow-up of scheduled checks (seed 001): per department, which
units did their checks in a quarter, which are late, and how many deficiencies found
by checks are still open and for how long.

A check of a period due in the quarter is *done* when signed by its due date, *done
late* when signed after it, *late* when unsigned past the due date and *coming* when
unsigned with the due date still ahead. An object with several periods due in the
quarter (a monthly check) takes its worst. Deficiencies count when found by a check of
the department's objects signed by the quarter's end and open today; their age is days
since they were found.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tryggnav.inspections import checklists
from tryggnav.inspections.checks_models import CheckSchedule, Inspection, InspectionAnswer
from tryggnav.inspections.models import OPEN_STATUSES
from tryggnav.lib import documents, numbers
from tryggnav.organisations.models import Organisation

# Worst first: an object's status in the quarter is the worst of its periods'.
STATES = ("sen", "gjord_sent", "kommande", "gjord")
STATE_LABELS = {
    "sen": gettext_noop("Ej gjord, försenad"),
    "gjord_sent": gettext_noop("Gjord efter sista dag"),
    "kommande": gettext_noop("Ej gjord, ej förfallen"),
    "gjord": gettext_noop("Gjord i tid"),
}


def period_state(inspection: Inspection | None, due: datetime.date, today: datetime.date) -> str:
    signed = inspection.signed_day() if inspection is not None else None
    if signed is None:
        return "sen" if due < today else "kommande"
    return "gjord" if signed <= due else "gjord_sent"


@dataclass
class ObjectRow:
    schedule: CheckSchedule
    state: str
    due: datetime.date
    inspection: Inspection | None

    @property
    def state_label(self) -> str:
        return _(STATE_LABELS[self.state])


@dataclass
class DepartmentRow:
    department: Organisation
    objects: list[ObjectRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    ages: list[int] = field(default_factory=list)

    @property
    def open_deficiencies(self) -> int:
        return len(self.ages)

    @property
    def median_age(self) -> float | None:
        return statistics.median(self.ages) if self.ages else None

    @property
    def max_age(self) -> int | None:
        return max(self.ages) if self.ages else None


def _object_row(schedule: CheckSchedule, quarter: checklists.Period,
                done: dict, today: datetime.date) -> ObjectRow | None:  # fmt: skip
    periods = checklists.periods_due_between(schedule.anchor, schedule.interval_months,
                                             quarter.start, quarter.end)  # fmt: skip
    rows = []
    for period in periods:
        inspection = done.get((schedule.pk, period.start))
        rows.append(ObjectRow(schedule, period_state(inspection, period.due, today),
                              period.due, inspection))  # fmt: skip
    return min(rows, key=lambda r: STATES.index(r.state)) if rows else None


def overview(*, municipality_id: str, quarter: checklists.Period,
             department_id: int | None = None,
             today: datetime.date | None = None) -> list[DepartmentRow]:  # fmt: skip
    today = today or timezone.localdate()
    schedules = CheckSchedule.objects.filter(
        active=True, object__municipality_id=municipality_id, anchor__lte=quarter.end
    ).select_related("object", "object__unit", "object__department", "template")
    if department_id is not None:
        schedules = schedules.filter(object__department_id=department_id)
    done = {
        (i.schedule_id, i.period_start): i
        for i in Inspection.objects.filter(schedule__in=schedules, state=Inspection.State.SIGNED)
    }
    by_department: dict[int, DepartmentRow] = {}
    for schedule in schedules:
        row = _object_row(schedule, quarter, done, today)
        if row is None:
            continue
        department = schedule.object.department
        entry = by_department.setdefault(department.pk, DepartmentRow(department))
        entry.objects.append(row)
        entry.counts[row.state] += 1
    _add_ages(by_department, municipality_id, quarter, department_id, today)
    return sorted(by_department.values(), key=lambda r: r.department.name)


def _add_ages(by_department: dict[int, DepartmentRow], municipality_id: str,
              quarter: checklists.Period, department_id: int | None,
              today: datetime.date) -> None:  # fmt: skip
    answers = InspectionAnswer.objects.filter(
        inspection__object__municipality_id=municipality_id,
        inspection__signed__date__lte=quarter.end, deficiency__status__in=OPEN_STATUSES,
    )  # fmt: skip
    if department_id is not None:
        answers = answers.filter(inspection__object__department_id=department_id)
    ages: dict[int, list[int]] = defaultdict(list)
    for dept, created in answers.values_list("inspection__object__department_id",
                                             "deficiency__created"):  # fmt: skip
        ages[dept].append((today - timezone.localdate(created)).days)
    for dept, values in ages.items():
        if dept not in by_department:
            by_department[dept] = DepartmentRow(Organisation.objects.get(pk=dept))
        by_department[dept].ages = sorted(values)


def totals(rows: list[DepartmentRow]) -> dict[str, int]:
    out = dict.fromkeys(STATES, 0)
    for row in rows:
        for state in STATES:
            out[state] += row.counts[state]
    out["open"] = sum(r.open_deficiencies for r in rows)
    return out


def _age(value: float | None) -> str:
    return "–" if value is None else numbers.number(value, 1, trim=True)


def document(*, rows: list[DepartmentRow], organisation: Organisation,
             quarter_label: str, is_demo: bool) -> documents.Document:  # fmt: skip
    doc = documents.Document(
        title=_("Uppföljning av kontroller"), subtitle=quarter_label,
        organisation=organisation.name, date=timezone.localdate(), is_demo=is_demo,
    )  # fmt: skip
    columns = [_("Förvaltning"), *(_(STATE_LABELS[s]) for s in STATES),
               _("Öppna brister"), _("Median ålder (dagar)"), _("Äldsta (dagar)")]  # fmt: skip
    table_rows = [[r.department.name, *(r.counts[s] for s in STATES), r.open_deficiencies,
                   _age(r.median_age), _age(r.max_age)] for r in rows]  # fmt: skip
    doc.add(documents.Table(columns, table_rows, numeric=frozenset(range(1, 8))))
    for row in rows:
        doc.add(documents.Heading(row.department.name, level=2))
        doc.add(documents.Table(
            [_("Objekt"), _("Ansvarig enhet"), _("Sista dag"), _("Status"), _("Signerad")],
            [[o.schedule.object.name, o.schedule.object.unit.name, o.due.isoformat(),
              o.state_label, (o.inspection.signed_day() or "") if o.inspection else ""]
             for o in row.objects],
        ))  # fmt: skip
    return doc
