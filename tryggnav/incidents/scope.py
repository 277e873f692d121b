"""Whose counts and which: the scope (a group or a municipality's police feed), the
filters of a lägesbild, and a period of days. Value types of the counting module
(tryggnav.incidents.counts); the lägesbild, the reports and steering use them.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from tryggnav.areas.models import Municipality
from tryggnav.incidents.models import CategoryGroup, Incident
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import CollaborationGroup

# The rollup's area for incidents placed no closer than the municipality.
NO_AREA = 0
# A period of a report reaches at most five years.
MAX_PERIOD_DAYS = 5 * 366


@dataclass(frozen=True)
class Filters:
    category_groups: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    precisions: tuple[str, ...] = ()

    @classmethod
    def parse(cls, data: Any) -> Filters:
        """From a QueryDict or dict of lists; unknown values are an InputError."""

        def values(name: str, allowed: list[str]) -> tuple[str, ...]:
            getter = getattr(data, "getlist", None)
            raw = getter(name) if getter else data.get(name, [])
            if isinstance(raw, str):
                raw = raw.split(",")
            chosen = tuple(v for v in (s.strip() for s in raw) if v)
            unknown = [v for v in chosen if v not in allowed]
            if unknown:
                bad, ok = ", ".join(unknown), ", ".join(allowed)
                raise InputError.single(
                    f"Okänt värde för {name}: {bad}. Tillåtna: {ok}.",
                    f"Unknown value for {name}: {bad}. Allowed: {ok}.",
                    field=name,
                )
            return chosen

        return cls(
            category_groups=values("kategorigrupp", list(CategoryGroup.values)),
            sources=values("kalla", list(Incident.Source.values)),
            precisions=values("precision", list(Incident.Precision.values)),
        )

    def q(self) -> Q:
        q = Q()
        if self.sources:
            q &= Q(source__in=self.sources)
        if self.precisions:
            q &= Q(precision__in=self.precisions)
        return q

    @property
    def active(self) -> bool:
        return bool(self.category_groups or self.sources or self.precisions)

    def digest(self) -> str:
        """A short stable name for cache keys (which must not contain spaces)."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Scope:
    """Whose lägesbild: a collaboration group, or a municipality's police feed."""

    municipality: Municipality
    group: CollaborationGroup | None = None
    area_ids: tuple[int, ...] = ()

    @classmethod
    def for_group(cls, group: CollaborationGroup) -> Scope:
        return cls(
            municipality=group.municipality,
            group=group,
            area_ids=tuple(group.areas.values_list("id", flat=True)),
        )

    @classmethod
    def for_municipality(cls, municipality: Municipality) -> Scope:
        return cls(municipality=municipality)

    @property
    def name(self) -> str:
        return self.group.name if self.group else self.municipality.short_name

    @property
    def slug(self) -> str:
        return self.group.slug if self.group else self.municipality.code

    def q(self) -> Q:
        """Rollup rows of the scope: the police feed and, for a group, the reports shared
        with it, both only inside the scope's geography."""
        police = Q(group_id=0, source="police")
        if self.group is None:
            return police & self._geography()
        return (Q(group_id=self.group.pk) | police) & self._geography()

    def outside_q(self) -> Q | None:
        """Rollup rows of reports shared with the group but placed outside its geography
        (another municipality, or a district that is not one of its areas): shown apart,
        never as rows, totals or alerts of the group's picture."""
        if self.group is None:
            return None
        return Q(group_id=self.group.pk) & ~self._geography()

    def _geography(self) -> Q:
        """The municipality, narrowed to the group's areas when it has any; incidents
        placed no closer than the municipality belong to it."""
        where = Q(municipality_code=self.municipality.code)
        if self.area_ids:
            where &= Q(area_id__in=(*self.area_ids, NO_AREA))
        return where


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_years(self) -> int:
        """The number of calendar years the period spans exactly, or 0."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) != (1, 1, 12, 31):
            return 0
        return self.end.year - self.start.year + 1

    @property
    def previous(self) -> Period:
        """The period of the same length just before: the same calendar years earlier
        for whole years (2024 for 2025, whatever its leap day), else the same days."""
        if years := self.whole_years:
            return Period(
                datetime.date(self.start.year - years, 1, 1),
                datetime.date(self.end.year - years, 12, 31),
            )
        return Period(
            self.start - datetime.timedelta(days=self.days),
            self.start - datetime.timedelta(days=1),
        )

    @property
    def years(self) -> float:
        return self.whole_years or self.days / 365.25

    @property
    def label(self) -> str:
        if self.whole_years:
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start.isoformat()}–{self.end.isoformat()}"

    @classmethod
    def parse(cls, data: Any, *, today: datetime.date) -> Period:
        """From ``fran``/``till`` (ISO dates); default the last full calendar year."""
        default = cls(datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))
        raw_start, raw_end = (data.get("fran") or "").strip(), (data.get("till") or "").strip()
        if not raw_start and not raw_end:
            return default
        try:
            start = datetime.date.fromisoformat(raw_start) if raw_start else default.start
            end = datetime.date.fromisoformat(raw_end) if raw_end else default.end
        except ValueError:
            raise InputError.single(
                "Ange datum som ÅÅÅÅ-MM-DD.", "Give dates as YYYY-MM-DD.", field="fran"
            ) from None
        if end < start:
            raise InputError.single(
                "Slutdatum ligger före startdatum.", "The end is before the start.", field="till"
            )
        if (end - start).days > MAX_PERIOD_DAYS:
            raise InputError.single(
                "Perioden får vara högst fem år.",
                "The period may be at most five years.",
                field="till",
            )
        return cls(start, end)
