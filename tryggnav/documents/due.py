"""What of the municipality's cycle is due: the next lägesbild and åtgärdsplan (by the
municipality's own setting, ``LawCycle``) and the parties' contributions not yet done.
The start page and the reminders read these, and nothing else decides what is due.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tryggnav.documents.models import Contribution, Kind, LawCycle, LawDocument, Status
from tryggnav.organisations.models import Organisation


@dataclass(frozen=True)
class DueDocument:
    organisation: Organisation
    kind: str  # Kind
    due: datetime.date
    overdue: bool
    draft: LawDocument | None  # the version in progress, if any

    @property
    def label(self) -> str:
        return str(Kind(self.kind).label)


def _met(cycle: LawCycle, kind: str) -> bool:
    """A version of the kind decided since the due date was set meets it."""
    since = cycle.due_set(kind)
    decided = LawDocument.objects.filter(
        organisation_id=cycle.organisation_id, kind=kind, status=Status.DECIDED
    )
    if since is not None:
        decided = decided.filter(decided_at__gte=since)
    return decided.exists()


def _draft(organisation_id: int, kind: str) -> LawDocument | None:
    return (
        LawDocument.objects.filter(
            organisation_id=organisation_id, kind=kind, status__in=[Status.DRAFT, Status.PROPOSED]
        )
        .order_by("-created")
        .first()
    )


def due_documents(organisation: Organisation, today: datetime.date) -> list[DueDocument]:
    """The statutory documents due within the cycle's reminder days, or overdue."""
    cycle = LawCycle.objects.filter(organisation=organisation).first()
    if cycle is None:
        return []
    items = []
    for kind in (Kind.LAGESBILD, Kind.ACTION_PLAN):
        due = cycle.due(kind)
        if due is None or due - datetime.timedelta(days=cycle.remind_days) > today:
            continue
        if _met(cycle, kind):
            continue
        items.append(
            DueDocument(organisation, kind, due, due < today, _draft(organisation.pk, kind))
        )
    return items


def missing_contributions(organisation: Organisation) -> list[Contribution]:
    """The parties' contributions not yet marked done, on versions still being written."""
    return list(
        Contribution.objects.filter(
            document__organisation=organisation,
            document__status__in=[Status.DRAFT, Status.PROPOSED],
            done_at__isnull=True,
        )
        .select_related("organisation", "document")
        .order_by("due", "organisation__name")
    )


def open_contributions(organisations: list[Organisation]) -> list[Contribution]:
    """What the parties are asked for and have not yet marked done."""
    return list(
        Contribution.objects.filter(
            organisation__in=organisations,
            document__status__in=[Status.DRAFT, Status.PROPOSED],
            done_at__isnull=True,
        )
        .select_related("organisation", "document")
        .order_by("due")
    )
