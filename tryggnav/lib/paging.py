"""Paging without counting every row.

A ``COUNT(*)`` over ten million incidents took two seconds on every list page. The
count stops at ``COUNT_LIMIT`` (the page says "över 10 000"), and past it a page
knows whether another follows by fetching one row more than it shows.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet

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
