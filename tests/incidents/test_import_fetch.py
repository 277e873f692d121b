"""fetch_police against a recorded response of the live feed; the network is never used."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tryggnav.incidents.management.commands import fetch_police
from tryggnav.incidents.models import Incident

RECORDED = Path(__file__).parent / "fixtures" / "live_feed_response.json"

pytestmark = pytest.mark.django_db


def test_fetch_imports_the_recorded_response(monkeypatch, capsys):
    urls = []

    def fake_fetch(url):
        urls.append(url)
        return RECORDED.read_bytes()

    monkeypatch.setattr(fetch_police, "fetch_feed", fake_fetch)
    call_command("fetch_police", "--location", "Stockholm", "--location", "Sigtuna")
    assert urls == ["https://polisen.se/api/events?locationname=Stockholm%3BSigtuna"]
    assert Incident.objects.filter(source=Incident.Source.POLICE_FEED).count() == 5
    assert "5 created" in capsys.readouterr().out
    call_command("fetch_police")
    assert "5 unchanged" in capsys.readouterr().out


def test_no_network_is_a_message_and_exit_2(monkeypatch):
    def offline(url):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(fetch_police, "fetch_feed", offline)
    with pytest.raises(CommandError) as caught:
        call_command("fetch_police")
    assert caught.value.returncode == 2
    assert not Incident.objects.exists()


def test_garbage_response_is_refused(monkeypatch):
    monkeypatch.setattr(fetch_police, "fetch_feed", lambda url: b"<html>Service Unavailable")
    with pytest.raises(CommandError) as caught:
        call_command("fetch_police")
    assert caught.value.returncode == 2 and "polisen.se/api/events" in str(caught.value)


def test_locations_from_settings_and_unknown_names_refused(monkeypatch, settings):
    urls = []
    monkeypatch.setattr(fetch_police, "fetch_feed", lambda url: urls.append(url) or b"[]")
    settings.TRYGGNAV_POLICE_LOCATIONS = ["Huddinge", "Upplands väsby"]
    with pytest.raises(CommandError):  # an empty feed is refused, but the URL was asked
        call_command("fetch_police")
    assert urls == ["https://polisen.se/api/events?locationname=Huddinge%3BUpplands+v%C3%A4sby"]
    settings.TRYGGNAV_POLICE_LOCATIONS = ["Huddinge", "Gotham"]
    with pytest.raises(CommandError) as caught:
        call_command("fetch_police")
    assert caught.value.returncode == 2 and "Gotham" in str(caught.value)
    assert len(urls) == 1  # nothing fetched for a misspelt configuration
