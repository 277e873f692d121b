"""`fetch_kolada` against recorded responses in the shape Kolada's API v2 documents
(the opener is replaced; no test uses the network)."""

from __future__ import annotations

import io
import json
import urllib.error

import pytest
from django.core.management import CommandError, call_command

from tryggnav.official import kolada_api
from tryggnav.official.models import KoladaValue, OfficialImport

pytestmark = pytest.mark.django_db

BASE = "https://api.kolada.se/v2"
PAGE_1 = f"{BASE}/data/kpi/N07403/municipality/0126,0180/year/2023,2024?per_page=5000"
PAGE_2 = f"{BASE}/data/kpi/N07403/municipality/0126,0180/year/2023,2024?page=2&per_page=5000"


def _entry(municipality: str, year: int, value: float | None) -> dict:
    return {
        "kpi": "N07403",
        "municipality": municipality,
        "period": year,
        "values": [
            {"count": 1, "gender": "T", "status": "", "value": value},
            {"count": 1, "gender": "K", "status": "", "value": None},
        ],
    }


RECORDED = {
    PAGE_1: {
        "count": 2,
        "values": [_entry("0126", 2023, 9100.2), _entry("0126", 2024, 8900.0)],
        "next_page": PAGE_2,
    },
    PAGE_2: {"count": 2, "values": [_entry("0180", 2023, 13200.7), _entry("0180", 2024, None)]},
    f"{BASE}/kpi/N07403": {
        "count": 1,
        "values": [{"id": "N07403", "title": "Anmälda brott, antal/100 000 inv"}],
    },
}


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def recorded(monkeypatch):
    calls: list[tuple[str, float]] = []

    def opener(request, timeout):
        calls.append((request.full_url, timeout))
        if request.full_url not in RECORDED:
            raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, None)
        return _Response(json.dumps(RECORDED[request.full_url]).encode())

    monkeypatch.setattr(kolada_api.urllib.request, "urlopen", opener)
    return calls


def test_fetch_follows_next_page_and_imports(recorded):
    call_command(
        "fetch_kolada",
        "--kpi",
        "N07403",
        "--municipality",
        "0126,0180",
        "--year",
        "2023",
        "--year",
        "2024",
        stdout=io.StringIO(),
    )
    assert [url for url, _ in recorded] == [PAGE_1, PAGE_2, f"{BASE}/kpi/N07403"]
    assert all(timeout == kolada_api.TIMEOUT for _, timeout in recorded)
    total = KoladaValue.objects.filter(gender="T")
    assert total.count() == 4
    assert total.get(municipality_id="0180", year=2023).value == 13200.7
    assert total.get(municipality_id="0180", year=2024).value is None
    assert total.first().kpi_title == "Anmälda brott, antal/100 000 inv"
    assert KoladaValue.objects.filter(gender="K").count() == 4
    assert OfficialImport.objects.get().source == "kolada"


def test_network_failure_is_a_clear_bilingual_error(monkeypatch):
    def opener(request, timeout):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(kolada_api.urllib.request, "urlopen", opener)
    with pytest.raises(CommandError) as caught:
        call_command("fetch_kolada", "--kpi", "N07403", "--municipality", "0126")
    message = str(caught.value)
    assert "Kunde inte nå Kolada" in message and "Could not reach Kolada" in message
    assert caught.value.returncode == 2
    assert not KoladaValue.objects.exists() and not OfficialImport.objects.exists()


def test_http_error_and_endless_paging_change_nothing(monkeypatch, recorded):
    with pytest.raises(CommandError, match="HTTP 404"):
        call_command("fetch_kolada", "--kpi", "N99999", "--municipality", "0126")
    looping = {**RECORDED[PAGE_2], "next_page": PAGE_2}
    monkeypatch.setitem(RECORDED, PAGE_2, looping)
    with pytest.raises(CommandError, match="sidor tar inte slut"):
        call_command(
            "fetch_kolada", "--kpi", "N07403", "--municipality", "0126,0180", "--year", "2023,2024"
        )
    assert not KoladaValue.objects.exists()


def test_bad_ids_are_refused_before_any_request(recorded):
    with pytest.raises(CommandError, match="kommunkod"):
        call_command("fetch_kolada", "--kpi", "N07403", "--municipality", "../etc")
    assert recorded == []
