"""Real GIS clients against a live server: GDAL's OAPIF driver (ogrinfo, ogr2ogr) and
OWSLib's ogcapi.features. The GDAL tests skip when ogrinfo is not installed; .ci/run
installs Debian's gdal-bin so that they run in CI."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess

import pytest
from django.utils import timezone

from tests.conftest import load_reference_data
from tests.incidents.conftest import HUDDINGE, ensure_categories, report
from tryggnav.incidents.models import Incident
from tryggnav.organisations.models import ApiToken

needs_gdal = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL (gdal-bin) saknas")


@pytest.fixture
def reference_back(django_db_blocker):
    """A live server needs committed data, which the test empties afterwards: put the
    reference geography back for the next test on this database."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def served(reference_back, live_server, world):
    cats = ensure_categories()
    mine = [
        report(world, persona="coordinator", category=cats["klotter"], hours_ago=3),
        report(world, persona="coordinator", category=cats["anlagd-brand"], hours_ago=5),
        report(
            world,
            persona="coordinator",
            category=cats["klotter"],
            hours_ago=7,
            precision=Incident.Precision.MUNICIPALITY,
        ),
    ]
    theirs = Incident.objects.create(
        category=cats["klotter"],
        occurred_from=timezone.now(),
        reported_at=timezone.now(),
        lat=HUDDINGE[0],
        lon=HUDDINGE[1],
        precision="exact",
        municipality_id="0126",
        organisation=world.other,
        group=world.other_group,
        sharing="group",
        status="reviewed",
        source="form",
        text="Annan kommuns rapport",
    )
    keys = {p: ApiToken.issue(user=world.users[p], name="GIS")[1] for p in ("reader", "outsider")}
    return {"url": f"{live_server.url}/ogc/", "keys": keys, "mine": mine, "theirs": theirs}


def _gdal(tool: str, key: str, *args: str) -> str:
    env = {
        **os.environ,
        "GDAL_HTTP_HEADERS": f"Authorization: Bearer {key}",
        "NO_PROXY": "*",
        "CPL_DEBUG": "OFF",
    }
    result = subprocess.run(
        [tool, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _api_count(client, key: str, **params) -> int:
    from django.urls import reverse

    response = client.get(
        reverse("ogc:items", args=["incidents"]), params, headers={"Authorization": f"Bearer {key}"}
    )
    return response.json()["numberMatched"]


@needs_gdal
def test_ogrinfo_and_ogr2ogr_read_through_the_token(served, client, tmp_path):
    url, reader = f"OAPIF:{served['url']}", served["keys"]["reader"]
    listing = _gdal("ogrinfo", reader, "-ro", "-q", url)
    for name in ("areas", "incidents", "weekly-counts", "hotspots"):
        assert name in listing
    box = ["-spat", "17.80", "59.33", "17.95", "59.39"]
    filtered = _gdal(
        "ogrinfo",
        reader,
        "-ro",
        "-oo",
        "PAGE_SIZE=1000",
        url,
        "incidents",
        *box,
        "-where",
        "category_group = 'skadegorelse'",
    )
    ids = {
        line.split("=", 1)[1].strip()
        for line in filtered.splitlines()
        if line.strip().startswith("id (String) =")
    }
    # The exact graffiti report only: the fire is filtered out, and the imprecise one
    # has no point, so no bbox holds it.
    assert ids == {str(served["mine"][0].public_id)}
    assert (
        _api_count(
            client, reader, bbox="17.80,59.33,17.95,59.39", filter="category_group = 'skadegorelse'"
        )
        == 1
    )
    # The outsider's token sees its own organisation's report and none of the others'.
    outsider = _gdal(
        "ogrinfo", served["keys"]["outsider"], "-ro", "-oo", "PAGE_SIZE=1000", url, "incidents"
    )
    assert str(served["theirs"].public_id) in outsider
    assert not any(str(m.public_id) in outsider for m in served["mine"])
    target = tmp_path / "incidents.gpkg"
    _gdal("ogr2ogr", reader, "-f", "GPKG", str(target), url, "incidents", "-oo", "PAGE_SIZE=2")
    with sqlite3.connect(target) as db:
        copied = db.execute("SELECT count(*) FROM incidents").fetchone()[0]
    assert copied == _api_count(client, reader) == 3


def test_owslib_reads_landing_collections_queryables_items(served, monkeypatch):
    import owslib.ogcapi
    from owslib.ogcapi.features import Features

    # OWSLib 0.36 adds the headers given to its module-wide default headers: give it a
    # copy, so the token does not stay in the next client (or the next test).
    anonymous = Features(served["url"])
    assert [c["id"] for c in anonymous.collections()["collections"]] == ["areas"]
    monkeypatch.setattr(owslib.ogcapi, "REQUEST_HEADERS", dict(owslib.ogcapi.REQUEST_HEADERS))
    headers = {"Authorization": f"Bearer {served['keys']['reader']}"}
    api = Features(served["url"], headers=headers)
    assert api.links
    conforms = api.conformance()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in conforms
    assert [c["id"] for c in api.collections()["collections"]] == [
        "areas",
        "incidents",
        "weekly-counts",
        "hotspots",
    ]
    queryables = api.collection_queryables("incidents")
    assert queryables["properties"]["category_group"]["enum"][0] == "brott"
    items = api.collection_items("incidents", limit=2)
    assert items["numberMatched"] == 3 and items["numberReturned"] == 2
