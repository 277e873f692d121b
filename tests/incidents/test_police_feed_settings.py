"""The police feed's municipalities chosen on the administration page are the ones the
scheduled fetch asks the police for."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tryggnav.areas.models import Municipality
from tryggnav.audit.models import AuditEntry
from tryggnav.background import schedule
from tryggnav.incidents.management.commands import fetch_police
from tryggnav.incidents.models import PoliceFeed
from tryggnav.incidents.police_feed import feed_locations

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch, settings):
    settings.TRYGGNAV_POLICE_LOCATIONS = []
    settings.TRYGGNAV_POLICE_FETCH_MINUTES = 15
    urls = []

    def offline(url):
        urls.append(url)
        raise OSError("no network in tests")

    monkeypatch.setattr(fetch_police, "fetch_feed", offline)
    return urls


def _codes(*codes):
    return [m.pk for m in Municipality.objects.filter(code__in=codes)]


def test_the_page_stores_the_choice_and_the_fetch_uses_it(world, asked):
    url = reverse("police_feed:settings", args=[world.lead.slug])
    assert "fetch_police" not in {job.name for job in schedule.scheduled_jobs()}
    page = world.client("admin").get(url)
    assert page.status_code == 200 and "Sigtuna" in page.content.decode()
    response = world.client("admin").post(url, {"municipalities": _codes("0180", "0191")})
    assert response.status_code == 302
    feed = PoliceFeed.objects.get(organisation=world.lead)
    assert sorted(feed.municipalities.values_list("code", flat=True)) == ["0180", "0191"]
    assert AuditEntry.objects.filter(object_type="incidents.policefeed").exists()
    assert feed_locations() == ["Sigtuna", "Stockholm"]
    # The scheduled job now exists and fetches these municipalities.
    assert "fetch_police" in {job.name for job in schedule.scheduled_jobs()}
    with pytest.raises(Exception, match="no network"):
        call_command("fetch_police", stdout=io.StringIO())
    assert asked == ["https://polisen.se/api/events?locationname=Sigtuna%3BStockholm"]


def test_settings_and_the_page_add_up_once_each(world, asked, settings):
    settings.TRYGGNAV_POLICE_LOCATIONS = ["Stockholm", "Huddinge"]
    feed = PoliceFeed.objects.create(organisation=world.lead)
    feed.municipalities.set(_codes("0180", "0191"))
    assert feed_locations() == ["Stockholm", "Huddinge", "Sigtuna"]
    # Nothing chosen: the feed is off again.
    settings.TRYGGNAV_POLICE_LOCATIONS = []
    world.client("admin").post(reverse("police_feed:settings", args=[world.lead.slug]), {})
    assert feed_locations() == []
    assert "fetch_police" not in {job.name for job in schedule.scheduled_jobs()}


def test_only_the_municipalitys_county_is_offered(world):
    url = reverse("police_feed:settings", args=[world.lead.slug])
    response = world.client("admin").post(url, {"municipalities": _codes("1480")})
    assert response.status_code == 200  # the form shows its error
    assert not PoliceFeed.objects.exists()
