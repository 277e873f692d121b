"""The demo's official statistics: generated files read through the importers,
labelled as generated, loaded once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tryggnav.demo import official as demo
from tryggnav.official.models import CallOut, KoladaValue, OfficialImport, ReportedCrime

pytestmark = pytest.mark.django_db


def test_demo_files_load_once_and_are_labelled(world):
    demo.load()
    counts = (ReportedCrime.objects.count(), KoladaValue.objects.count(), CallOut.objects.count())
    assert all(counts)
    assert set(ReportedCrime.objects.values_list("municipality_id", flat=True)) == {"0126", "0180"}
    assert ReportedCrime.objects.get(municipality_id="0126", year=2025, offence="Rån").count is None
    demo.load()
    assert (
        ReportedCrime.objects.count(),
        KoladaValue.objects.count(),
        CallOut.objects.count(),
    ) == counts
    assert all(i.is_demo for i in OfficialImport.objects.all())
    for path in demo.DATA.iterdir():
        assert "GENERERADE DEMOVÄRDEN" in path.read_text(encoding="utf-8").splitlines()[0]
    # The outsider's organisation is in Huddinge (0126).
    html = world.client("outsider").get(reverse("official:municipality", args=["0126"]))
    text = html.content.decode()
    assert "badge--demo" in text and "inte verkliga uppgifter" in text
    assert "Räddningstjänstens insatser (MSB IDA)" in text
