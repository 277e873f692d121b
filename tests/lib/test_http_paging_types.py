"""Shared helpers without a domain: the client address behind proxies, paging whose
count stops at a limit, and the API's text types that the database can store."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.test import RequestFactory
from pydantic import TypeAdapter, ValidationError

from tryggnav.areas.models import Municipality
from tryggnav.lib.api_types import ExternalId, ReportText, Slug
from tryggnav.lib.http import client_address
from tryggnav.lib.paging import BoundedPaginator, bounded_count


def _request(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_connection_address_is_used(settings):
    settings.TRYGGNAV_PROXY_COUNT = 0
    assert client_address(_request(forwarded="198.51.100.1")) == "203.0.113.9"
    assert client_address(_request(remote="")) is None


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (2, "198.51.100.1", "203.0.113.9"),  # fewer entries than proxies
        (1, "", "203.0.113.9"),
        (1, "not-an-address", "203.0.113.9"),
        (1, "198.51.100.1, ", "203.0.113.9"),
    ],
)
def test_behind_proxies_the_address_is_taken_from_the_right(settings, proxies, forwarded, expected):
    settings.TRYGGNAV_PROXY_COUNT = proxies
    assert client_address(_request(forwarded=forwarded)) == expected


def test_a_missing_forwarded_header_falls_back_to_the_connection(settings):
    settings.TRYGGNAV_PROXY_COUNT = 1
    assert client_address(_request()) == "203.0.113.9"


@pytest.mark.django_db
def test_a_count_stops_at_the_limit():
    total = Municipality.objects.count()
    assert total > 20
    assert bounded_count(Municipality.objects.all(), limit=total) == (total, True)
    assert bounded_count(Municipality.objects.all(), limit=20) == (20, False)


@pytest.mark.django_db
def test_within_the_limit_paging_is_django_paging():
    queryset = Municipality.objects.order_by("code")
    total = queryset.count()
    paginator = BoundedPaginator(queryset, 100, limit=total + 1)
    assert paginator.exact and paginator.count == total
    last = paginator.get_page(999)
    assert last.number == paginator.num_pages and not last.has_next()


@pytest.mark.django_db
def test_past_the_limit_each_page_looks_one_row_ahead():
    queryset = Municipality.objects.order_by("code")
    codes = list(queryset.values_list("code", flat=True))
    paginator = BoundedPaginator(queryset, 10, limit=20)
    assert not paginator.exact and paginator.count == 20
    third = paginator.page(3)
    assert [m.code for m in third] == codes[20:30]
    assert third.has_next() == (len(codes) > 30)
    last_full = len(codes) // 10 + (1 if len(codes) % 10 else 0)
    final = paginator.page(last_full)
    assert not final.has_next()
    assert [m.code for m in final] == codes[(last_full - 1) * 10 :]


@pytest.mark.django_db
def test_past_the_limit_bad_page_numbers_are_refused_or_fall_back():
    paginator = BoundedPaginator(Municipality.objects.order_by("code"), 10, limit=20)
    with pytest.raises(PageNotAnInteger):
        paginator.page("två")
    with pytest.raises(EmptyPage):
        paginator.page(0)
    with pytest.raises(EmptyPage):
        paginator.page(10_000)
    assert paginator.get_page(10_000).number == paginator.num_pages == 2


@pytest.mark.parametrize("kind, limit", [(Slug, 120), (ExternalId, 100), (ReportText, 2000)])
def test_text_types_bound_the_length(kind, limit):
    adapter = TypeAdapter(kind)
    assert adapter.validate_python("a" * limit) == "a" * limit
    with pytest.raises(ValidationError) as error:
        adapter.validate_python("a" * (limit + 1))
    assert error.value.errors()[0]["type"] == "string_too_long"


@pytest.mark.parametrize("kind", [Slug, ExternalId])
@pytest.mark.parametrize("text", ["a\x00b", "rad\nbrytning", "tab\tb", "del\x7f"])
def test_single_line_types_refuse_every_control_character(kind, text):
    with pytest.raises(ValidationError) as error:
        TypeAdapter(kind).validate_python(text)
    assert error.value.errors()[0]["type"] == "control_character"


def test_free_text_keeps_line_breaks_and_tabs_but_refuses_other_controls():
    adapter = TypeAdapter(ReportText)
    text = "Första raden\r\nAndra\traden"
    assert adapter.validate_python(text) == text
    for bad in ("NUL\x00", "bell\x07", "esc\x1b[31m", "del\x7f"):
        with pytest.raises(ValidationError) as error:
            adapter.validate_python(bad)
        assert error.value.errors()[0]["type"] == "control_character"
