"""ISO weeks as the counts and the lägesbild use them: Swedish week numbering, "2025-W10" in URLs."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from tryggnav.lib import dates
from tryggnav.lib.errors import InputError

_WEEK = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")
# Weeks outside these years hold no data, and a lägesbild reaches years back and a
# week ahead of its week: near year 1 or 9999 that leaves the calendar.
MIN_YEAR = dates.EARLIEST.year
MAX_YEAR = dates.LATEST.year


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """ "2025-W10" (also "2025W10", "2025-w10"); InputError with a clear message otherwise."""
        match = _WEEK.match(text or "")
        if not match:
            raise InputError.single(
                f"Ogiltig vecka {text!r}: skriv år och vecka som 2025-W10.",
                f"Invalid week {text!r}: write year and week as 2025-W10.",
                field="week",
            )
        year, week = int(match.group(1)), int(match.group(2))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InputError.single(
                f"Ogiltig vecka {text!r}: året ska vara mellan {MIN_YEAR} och {MAX_YEAR}.",
                f"Invalid week {text!r}: the year must be between {MIN_YEAR} and {MAX_YEAR}.",
                field="week",
            )
        try:
            datetime.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InputError.single(
                f"År {year} har ingen vecka {week}.",
                f"Year {year} has no week {week}.",
                field="week",
            ) from None
        return cls(year, week)

    @classmethod
    def of(cls, day: datetime.date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso[0], iso[1])

    @classmethod
    def last_completed(cls, today: datetime.date | None = None) -> IsoWeek:
        """The last week that has ended (the one before the current week)."""
        today = today or timezone.localdate()
        return cls.of(today - datetime.timedelta(days=7))

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + datetime.timedelta(weeks=weeks))

    @property
    def previous(self) -> IsoWeek:
        return self.shift(-1)

    def same_week_last_year(self) -> IsoWeek:
        """Week ``week`` of the previous ISO year (week 53 maps to week 52)."""
        try:
            datetime.date.fromisocalendar(self.year - 1, self.week, 1)
            return IsoWeek(self.year - 1, self.week)
        except ValueError:
            return IsoWeek(self.year - 1, 52)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"
