"""Counts on the deficiency pages, formatted in one place (lib/numbers.py)."""

from __future__ import annotations

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
