"""Template filters for values formatted in the reader's language (lib/numbers.py)."""

from __future__ import annotations

import datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tryggnav.lib import numbers

register = template.Library()


@register.filter
def date_range(start: datetime.date, end: datetime.date) -> str:
    """``{{ start|date_range:end }}``: "30 november–6 december 2026"."""
    return numbers.date_range(start, end)


@register.filter
def break_after_slash(name: str) -> SafeString:
    """A name that may break after a slash ("Misshandel/<wbr>våld") but inside no word."""
    return mark_safe(escape(name).replace("/", "/<wbr>"))  # noqa: S308 - escaped above
