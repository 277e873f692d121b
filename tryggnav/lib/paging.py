"""Paging without counting every row.

A ``COUNT(*)`` over ten million incidents took two seconds on every list page. The
count stops at ``COUNT_LIMIT`` (the page says "över 10 000"), and past it a page
knows whether another follows by fetching one row more than it shows. Long lists page
by key (``keyset_page``) instead of by number.
"""

from __future__ import annotations

from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet

COUNT_LIMIT = 10_000


def bounded_count(queryset: QuerySet, limit: int | None = None) -> tuple[int, bool]:
    """The number of rows, at most ``limit`` (``COUNT_LIMIT``), and whether it is exact."""
    limit = COUNT_LIMIT if limit is None else limit
    counted = queryset.order_by()[: limit + 1].count()
    return min(counted, limit), counted <= limit


class BoundedPage(Page):
    def __init__(self, object_list: Any, number: int, paginator: Paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class BoundedPaginator(Paginator):
    """A paginator whose count stops at ``limit``; beyond it the number of pages is
    unknown and each page looks one row ahead."""

    def __init__(self, object_list: QuerySet, per_page: int, *, limit: int | None = None):
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.limit = COUNT_LIMIT if limit is None else limit

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return bounded_count(self.queryset, self.limit)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def exact(self) -> bool:
        return self._counted[1]

    def validate_number(self, number: Any) -> int:
        if self.exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number: Any) -> Page:
        if self.exact:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return BoundedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number: Any) -> Page:
        try:
            return super().get_page(number)
        except EmptyPage:
            # Past the end when the number of pages is unknown: the last counted page.
            return self.page(self.num_pages)


# Keyset paging ------------------------------------------------------------------------
#
# A page is the rows after (or before) the last (first) row of the page the reader came
# from, in the order (-time, -id): the database starts reading the index where the page
# begins instead of skipping OFFSET rows, so page 10,000 costs what page 1 does. Rows
# with the same time are ordered by their id, so no row is shown twice or skipped.


class BadCursor(ValueError):
    """A cursor that is not one this module wrote (edited by hand, or truncated)."""


@dataclass(frozen=True)
class Cursor:
    at: datetime
    pk: int
    backward: bool = False

    def encode(self) -> str:
        text = f"{'b' if self.backward else 'f'}{self.at.isoformat()}|{self.pk}"
        return urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            at, pk = raw[1:].split("|")
            at_time = datetime.fromisoformat(at)
            number = int(pk)
        except (ValueError, UnicodeDecodeError):
            raise BadCursor(text) from None
        if raw[0] not in "bf" or at_time.tzinfo is None or not 0 < number < 2**63:
            raise BadCursor(text)
        return cls(at_time, number, raw[0] == "b")


@dataclass
class KeysetPage:
    rows: list
    next: Cursor | None
    previous: Cursor | None

    @property
    def has_next(self) -> bool:
        return self.next is not None

    @property
    def has_previous(self) -> bool:
        return self.previous is not None


def keyset_page(
    queryset: QuerySet, cursor: Cursor | None, size: int, *, field: str = "occurred_from"
) -> KeysetPage:
    """``size`` rows of ``queryset`` newest first (``-field``, ``-pk``) from ``cursor``
    (the first page without one), with the cursors of the pages on either side."""
    if cursor is None:
        rows = list(queryset.order_by(f"-{field}", "-pk")[: size + 1])
        return _page(rows, size, field, first=True)
    at, pk = cursor.at, cursor.pk
    if cursor.backward:
        # The plain bound is what the index can seek to; the OR settles the ties.
        newer = queryset.filter(Q(**{f"{field}__gte": at})).filter(
            Q(**{f"{field}__gt": at}) | Q(**{field: at, "pk__gt": pk})
        )
        rows = list(newer.order_by(field, "pk")[: size + 1])
        if len(rows) <= size:  # back at the start: the first page, full
            return keyset_page(queryset, None, size, field=field)
        rows = rows[:size][::-1]
        return KeysetPage(rows, Cursor(*_key(rows[-1], field)), _back(rows[0], field))
    older = queryset.filter(Q(**{f"{field}__lte": at})).filter(
        Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": pk})
    )
    return _page(list(older.order_by(f"-{field}", "-pk")[: size + 1]), size, field, first=False)


def _key(row: Any, field: str) -> tuple[datetime, int]:
    return getattr(row, field), row.pk


def _back(row: Any, field: str) -> Cursor:
    return Cursor(*_key(row, field), backward=True)


def _page(rows: list, size: int, field: str, *, first: bool) -> KeysetPage:
    shown = rows[:size]
    following = Cursor(*_key(shown[-1], field)) if len(rows) > size else None
    previous = None if first or not shown else _back(shown[0], field)
    return KeysetPage(shown, following, previous)
