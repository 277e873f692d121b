"""The range of dates Tryggnav accepts from users.

Dates far outside it hold no data, and near year 1 or 9999 turning a date into
a moment in Stockholm time, or reaching a week or a period beyond it, leaves
the calendar (OverflowError).
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)


EARLIEST_MOMENT = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST_MOMENT = datetime.datetime(2101, 1, 1, tzinfo=datetime.UTC)


class DateField(forms.DateField):
    """A form date between EARLIEST and LATEST."""

    default_validators = [MinValueValidator(EARLIEST), MaxValueValidator(LATEST)]


class DateTimeField(forms.DateTimeField):
    """A form moment between EARLIEST and the end of LATEST."""

    default_validators = [
        MinValueValidator(EARLIEST_MOMENT),
        MaxValueValidator(LATEST_MOMENT),
    ]
