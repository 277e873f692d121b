"""Numbers in the reader's language: one place for pages, exports, documents and charts.

Built on Django's localisation (the active language's DECIMAL_SEPARATOR and
THOUSAND_SEPARATOR): "1 234,5" in Swedish, "1,234.5" in English. Missing values are
an en dash. The separators are looked up once per call, so a table of hundreds of
numbers stays cheap.
"""

from __future__ import annotations

import datetime
import math

from django.utils import translation
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _

MISSING = "–"


def number(value: float | int | None, digits: int = 0, *, trim: bool = False) -> str:
    """``value`` with ``digits`` decimals and grouped thousands; ``trim`` drops
    trailing zeros of the decimals (2,50 → 2,5; 3,0 → 3)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    text = f"{value:,.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return _localise(text)


def number_in(language: str, value: float | int | None, digits: int = 0) -> str:
    """``number`` in ``language``, for a message that carries both languages at once
    (an ``InputError``'s Swedish and English text)."""
    with translation.override(language):
        return number(value, digits)


def significant(value: float | None, figures: int = 3) -> str:
    """``value`` with ``figures`` significant digits, trailing zeros dropped (0,0123;
    12,3; 123); from 10^figures on, whole and grouped (12 346)."""
    if value is None or not math.isfinite(value):
        return MISSING
    if value == 0:
        return number(0)
    digits = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    return number(value, digits, trim=True)


def _localise(text: str) -> str:
    decimal = str(get_format("DECIMAL_SEPARATOR"))
    thousands = str(get_format("THOUSAND_SEPARATOR"))
    if thousands in ("", " "):
        thousands = "\u00a0"  # never break a number across lines
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def interval(low: float | None, high: float | None, digits: int = 0) -> str:
    """A range or confidence interval, ``low–high``."""
    return f"{number(low, digits)}–{number(high, digits)}"


def p_value(p: float) -> str:
    """``p < 0,001`` or ``p = 0,043`` (three decimals)."""
    if p < 0.001:
        return f"p < {number(0.001, 3)}"
    return f"p = {number(p, 3)}"


def percent(value: float | None, digits: int = 0) -> str:
    """A percentage: ``63 %`` in Swedish, ``63%`` in English."""
    return percent_sign(number(value, digits))


def percent_sign(text: str) -> str:
    """An already formatted number or range (``59–68``) with the percent sign as the
    language writes it: after a space in Swedish, directly in English."""
    return _("%(number)s %%") % {"number": text}


def date_range(start: datetime.date, end: datetime.date) -> str:
    """A period in the reader's language, each month named once and the year once:
    "30 november–6 december 2026" in Swedish, "30 November–6 December 2026" in English
    (Django's translated month names; "M" would give the English-looking "Nov")."""
    if start.year != end.year:
        return f"{date_format(start, 'j F Y')}–{date_format(end, 'j F Y')}"
    if start.month != end.month:
        return f"{date_format(start, 'j F')}–{date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j')}–{date_format(end, 'j F Y')}"
