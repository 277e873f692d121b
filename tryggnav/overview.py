"""The municipality's overview (kommunstyrelsen's view): every collaboration group of
the municipality with last week's alerts and reporting coverage, the reports waiting
for review, the late actions and the open escalations.

At project level, since it composes the apps; each group's figures are the start
page's (``today.coordinator_panel``), read with the same read functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from tryggnav.lib import numbers
from tryggnav.organisations.access import administered_groups, administered_organisations
from tryggnav.organisations.models import Membership
from tryggnav.steering.models import Escalation
from tryggnav.today import CoordinatorPanel, coordinator_panel


@dataclass
class GroupRow:
    panel: CoordinatorPanel
    coverage: str  # the share of weekly reporters who reported, formatted; "–" if none

    @property
    def group(self) -> Any:
        return self.panel.group


@dataclass
class Overview:
    rows: list[GroupRow]
    escalations: list[Any]

    @property
    def late_actions(self) -> list[Any]:
        return [a for row in self.rows for a in row.panel.late_actions]


def _coverage(panel: CoordinatorPanel) -> str:
    coverage = panel.coverage
    share = coverage.share_reporting if coverage is not None else None
    return "–" if share is None else numbers.percent(100 * share)


def municipality_overview(membership: Membership) -> Overview:
    """The overview for a member of the municipality's own organisation."""
    groups = administered_groups(membership).select_related("lead_organisation")
    rows = []
    for group in groups.filter(lead_organisation__is_active=True).order_by("name"):
        panel = coordinator_panel(group)
        rows.append(GroupRow(panel=panel, coverage=_coverage(panel)))
    owners = Q(problem__group__in=groups) | Q(
        problem__organisation__in=administered_organisations(membership)
    )
    escalations = list(
        Escalation.objects.filter(owners, status=Escalation.Status.OPEN)
        .select_related("problem")
        .order_by("created")
    )
    return Overview(rows=rows, escalations=escalations)
