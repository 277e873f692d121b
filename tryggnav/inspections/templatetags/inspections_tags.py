"""Counts on the deficiency pages, formatted in one place (lib/numbers.py)."""

from __future__ import annotations

from django import template

from tryggnav.lib import numbers

register = template.Library()


@register.filter
def count(value: int | None) -> str:
    return numbers.number(value or 0)
