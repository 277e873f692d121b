"""Periods of a check schedule and the built-in checklist templates.

A schedule of ``interval_months`` from ``anchor`` cuts time into periods: period k
starts anchor + k·interval months and ends the day before the next starts; the check
of a period is due on its last day. Quarterly from 1 January gives the calendar
quarters, due 31 March, 30 June, 30 September and 31 December.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tryggnav.inspections.models import Category, Severity


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # the last day, which is also the due date

    @property
    def due(self) -> datetime.date:
        return self.end


def period_number(anchor: datetime.date, interval: int, day: datetime.date) -> int:
    months = (day.year - anchor.year) * 12 + day.month - anchor.month
    k = months // interval
    # A period that starts later in its month (anchor on the 15th) may not have begun.
    while add_months(anchor, k * interval) > day:
        k -= 1
    while add_months(anchor, (k + 1) * interval) <= day:
        k += 1
    return k


def period_at(anchor: datetime.date, interval: int, k: int) -> Period:
    start = add_months(anchor, k * interval)
    end = add_months(anchor, (k + 1) * interval) - datetime.timedelta(days=1)
    return Period(start, end)


def period_of(anchor: datetime.date, interval: int, day: datetime.date) -> Period:
    """The period holding ``day`` (which may lie before the anchor)."""
    return period_at(anchor, interval, period_number(anchor, interval, day))


def current_period(anchor: datetime.date, interval: int, day: datetime.date) -> Period:
    """The period holding ``day``, or the first one while the schedule has not begun."""
    return period_at(anchor, interval, max(0, period_number(anchor, interval, day)))


def periods_due_between(anchor: datetime.date, interval: int, first: datetime.date,
                        last: datetime.date) -> list[Period]:  # fmt: skip
    """The periods, from the anchor on, whose due date lies in [first, last]."""
    k = max(0, period_number(anchor, interval, first))
    out: list[Period] = []
    while True:
        period = period_at(anchor, interval, k)
        if period.due > last:
            return out
        if period.due >= first:
            out.append(period)
        k += 1


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> Period:
    start = datetime.date(year, 3 * quarter - 2, 1)
    return Period(start, add_months(start, 3) - datetime.timedelta(days=1))


# --- Built-in templates -------------------------------------------------------------------

L, M, H, A = Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL
Q = tuple[str, str, int]  # text, category, severity (a yes/no question, "ja" passes)

SAFETY_QUESTIONS: list[Q] = [
    ("Fungerar all belysning längs stråket och vid entréer?", Category.LIGHTING, H),
    ("Är vegetation och buskage nedklippta så att sikten är fri?", Category.VEGETATION, M),
    ("Är platsen fri från klotter?", Category.GRAFFITI, L),
    ("Är platsen fri från skräp, glas och nedskräpning?", Category.LITTER, L),
    ("Kan man se och bli sedd längs hela stråket?", Category.VISIBILITY, M),
    ("Saknas dolda hörn och skymda platser där man kan överraskas?", Category.VISIBILITY, M),
    ("Finns tydlig skyltning och orienterbarhet?", Category.SIGNAGE, L),
    ("Är platsen tillgänglig (ramper, fria gångytor, jämnt underlag)?", Category.ACCESSIBILITY, M),
    ("Är platsen fri från skadegörelse (trasiga bänkar, staket, lampor)?", Category.DAMAGE, M),
]

FIRE_QUESTIONS: list[Q] = [
    ("Är nödutgångar och utrymningsvägar fria från hinder?", Category.FIRE, A),
    ("Är brandsläckare på plats och kontrollerade (plomb, manometer)?", Category.FIRE, H),
    ("Är utrymningsskyltar tända och synliga?", Category.FIRE, H),
    ("Har brandlarmet provats enligt rutin?", Category.FIRE, H),
    ("Stängs och reglar branddörrar av sig själva (inga kilar)?", Category.FIRE, H),
    ("Är brandposter och brandfiltar åtkomliga?", Category.FIRE, M),
    (
        "Förvaras brännbart material och avfall säkert, inte i trapphus eller vid fasad?",
        Category.FIRE,
        M,
    ),
    ("Är utrymningsplanen uppsatt och aktuell?", Category.FIRE, M),
    ("Har personalen fått brandskyddsutbildning det senaste året?", Category.FIRE, L),
]

BUILTIN = [
    ("Trygghetsbesiktning av park, gångväg, garage eller skolgård", "trygghet", SAFETY_QUESTIONS),
    ("SBA-kontroll av lokal (systematiskt brandskyddsarbete)", "sba", FIRE_QUESTIONS),
]
