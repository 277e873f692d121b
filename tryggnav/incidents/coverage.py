"""Reporting coverage: for a group and an ISO week, who reported and who did not.

EST's weekly rhythm: each member organisation marked ``reports_weekly`` is
expected to report every week, if only to say nothing happened. A week where
several of them are silent is a week with incomplete data, not a quiet week, so
the lägesbild compares ``share_reporting`` with the usual share of the previous
weeks and warns when fewer reported than usual.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone

from tryggnav.incidents.counts import version as counts_version
from tryggnav.incidents.models import Incident
from tryggnav.organisations.models import CollaborationGroup, GroupMembership, Organisation

PREVIOUS_WEEKS = 8
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class OrganisationCoverage:
    organisation: Organisation
    expected: bool
    reports: int

    @property
    def reported(self) -> bool:
        return self.reports > 0


@dataclass
class Coverage:
    group: CollaborationGroup
    year: int
    week: int
    start: date
    end: date
    rows: list[OrganisationCoverage] = field(default_factory=list)
    # Share of expected organisations that reported, per previous week (oldest first).
    previous_shares: list[float] = field(default_factory=list)

    @property
    def expected(self) -> list[OrganisationCoverage]:
        return [r for r in self.rows if r.expected]

    @property
    def reporting(self) -> list[OrganisationCoverage]:
        return [r for r in self.rows if r.reported]

    @property
    def missing(self) -> list[OrganisationCoverage]:
        """Organisations expected to report weekly that filed nothing this week."""
        return [r for r in self.rows if r.expected and not r.reported]

    @property
    def total_reports(self) -> int:
        return sum(r.reports for r in self.rows)

    @property
    def share_reporting(self) -> float | None:
        expected = self.expected
        if not expected:
            return None
        return sum(1 for r in expected if r.reported) / len(expected)

    @property
    def usual_share(self) -> float | None:
        """The mean share over the previous weeks (None without history)."""
        if not self.previous_shares:
            return None
        return sum(self.previous_shares) / len(self.previous_shares)

    @property
    def fewer_than_usual(self) -> bool:
        """At least one expected reporter fewer than in a usual week."""
        share, usual = self.share_reporting, self.usual_share
        if share is None or usual is None:
            return False
        return (usual - share) * len(self.expected) >= 1 - 1e-9


def week_bounds(year: int, week: int) -> tuple[date, date]:
    """Monday and Sunday of ISO week ``week`` of ``year`` (ValueError if there is none)."""
    start = date.fromisocalendar(year, week, 1)
    return start, start + timedelta(days=6)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filed_per_week(
    *, group: CollaborationGroup, first: date, end: date
) -> dict[tuple[int, date], int]:
    """Reports per (organisation id, Monday) filed from ``first`` to ``end``.

    Cached under the counts' version, which every write of incidents changes
    (``counts.tracking``): the lägesbild asked for it on every request.
    """
    key = f"coverage:filed:v1:{counts_version()}:{group.pk}:{first}:{end}"
    cached = cache.get(key)
    if cached is not None:
        return {(org, date.fromordinal(day)): n for org, day, n in cached}
    counts: dict[tuple[int, date], int] = defaultdict(int)
    filed = Incident.objects.filter(
        group=group,
        organisation__isnull=False,
        reported_at__gte=_aware(first),
        reported_at__lt=_aware(end + timedelta(days=1)),
    ).values_list("organisation_id", "reported_at")
    for organisation_id, reported_at in filed:
        local = timezone.localtime(reported_at).date()
        monday = local - timedelta(days=local.weekday())
        counts[(organisation_id, monday)] += 1
    cache.set(key, [(org, day.toordinal(), n) for (org, day), n in counts.items()], CACHE_SECONDS)
    return counts


def group_week_coverage(*, group: CollaborationGroup, year: int, week: int) -> Coverage:
    """Who of the group reported in ISO week ``year``-W``week``, and the usual share before it.

    A report counts for the week in which it was filed (``reported_at``, local
    time), whatever its status, since coverage is about reporting, not content.
    """
    start, end = week_bounds(year, week)
    first = start - timedelta(weeks=PREVIOUS_WEEKS)
    memberships = list(
        GroupMembership.objects.filter(group=group)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    counts = _filed_per_week(group=group, first=first, end=end)

    rows = [
        OrganisationCoverage(
            organisation=m.organisation,
            expected=m.reports_weekly and m.joined <= end,
            reports=counts.get((m.organisation_id, start), 0),
        )
        for m in memberships
    ]
    previous = []
    for i in range(PREVIOUS_WEEKS, 0, -1):
        monday = start - timedelta(weeks=i)
        sunday = monday + timedelta(days=6)
        expected = [m for m in memberships if m.reports_weekly and m.joined <= sunday]
        if not expected:
            continue
        reported = sum(1 for m in expected if counts.get((m.organisation_id, monday), 0))
        previous.append(reported / len(expected))
    return Coverage(
        group=group,
        year=year,
        week=week,
        start=start,
        end=end,
        rows=rows,
        previous_shares=previous,
    )
