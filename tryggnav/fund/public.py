"""The public face of a fund: granted projects only (amount, applicant, place,
status), as a page and as open data (CSV, JSON). Nothing else of an application is
public: not the problem text, the budget lines, the scores or refused applications."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.db.models import Q
from django.http import HttpResponse

from tryggnav.fund.models import Decision, Fund

COLUMNS = ("project", "applicant", "amount_sek", "place", "prevention_type", "status", "decided")


def rows(fund: Fund) -> list[dict[str, Any]]:
    decisions = (
        Decision.objects.filter(fund=fund)
        .exclude(outcome=Decision.Outcome.REFUSED)
        .select_related("application__organisation", "application__area", "application__place")
        .order_by("application__title")
    )
    out = []
    for decision in decisions:
        application = decision.application
        out.append({
            "project": application.title,
            "applicant": application.organisation.name,
            "amount_sek": decision.net,
            "place": application.place_label,
            "prevention_type": application.prevention_type,
            "prevention_type_label": application.get_prevention_type_display(),
            "status": application.state,
            "status_label": application.get_state_display(),
            "decided": decision.decided.date().isoformat(),
        })  # fmt: skip
    return out


def response(fund: Fund, fmt: str) -> HttpResponse:
    data = rows(fund)
    name = f"trygghetsfond-{fund.year}-{fund.public_id}"
    if fmt == "json":
        body = json.dumps({
            "fund": fund.name, "year": fund.year, "municipality": fund.municipality_id,
            "budget_sek": fund.budget, "is_demo": fund.is_demo,
            "projects": [{k: row[k] for k in COLUMNS} for row in data],
        }, ensure_ascii=False, indent=1)  # fmt: skip
        result = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for row in data:
            writer.writerow([_cell(row[k]) for k in COLUMNS])
        result = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    result["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    result["Access-Control-Allow-Origin"] = "*"
    return result


def _cell(value: Any) -> Any:
    # Spreadsheet formula injection: a cell starting with = + - @ is read as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def group_projects(group: Any) -> list[Decision]:
    """The granted projects of a collaboration group's åtgärdsplan: those carried out
    on one of its Brå-process problems (the group owns their activity) or placed in one
    of its areas. What is shown of them is public (the fund's open data)."""
    return list(
        Decision.objects.exclude(outcome=Decision.Outcome.REFUSED)
        .filter(
            Q(application__activity__group=group)
            | Q(application__area__in=group.areas.all(), fund__municipality=group.municipality)
        )
        .select_related("application__organisation", "application__area", "fund")
        .prefetch_related("application__evaluations")
        .distinct()
        .order_by("application__starts", "application__title")
    )
