"""Counts on the deficiency pages, formatted in one place (lib/numbers.py)."""

from __future__ import annotations

from typing import Any

from django import template

from tryggnav.lib import numbers

register = template.Library()


@register.filter
def count(value: int | None) -> str:
    return numbers.number(value or 0)


@register.filter
def age(value: float | None) -> str:
    """A number of days (a median may be a half), or a dash for none."""
    return "–" if value is None else numbers.number(value, 1, trim=True)


@register.inclusion_tag("inspections/_problem_links.html", takes_context=True)
def problem_links(context: template.Context, deficiency: Any) -> dict[str, Any]:
    """The problems a deficiency started, and the form to start one for the groups the
    user coordinates whose areas hold it (group_views.py)."""
    from tryggnav.inspections.group_views import ProblemStartForm, coordinating_groups

    user = context["request"].user
    groups = coordinating_groups(user, deficiency)
    return {
        "deficiency": deficiency,
        "links": list(deficiency.problem_links.select_related("problem")),
        "form": ProblemStartForm(groups_=groups) if groups else None,
        "csrf_token": context.get("csrf_token"),
    }
