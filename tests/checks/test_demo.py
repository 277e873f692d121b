"""The generated demo checks in Huddinge: ten premises over four quarters, some late,
some failed items as deficiencies; no mail; loading twice adds nothing."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone

from tryggnav.demo import checks as demo
from tryggnav.demo import foundation
from tryggnav.demo import inspections as deficiencies_demo
from tryggnav.inspections import checklists, checks_overview
from tryggnav.inspections.checks_models import InspectedObject, Inspection
from tryggnav.inspections.models import Deficiency


def test_demo_checks(db):
    foundation.load()
    deficiencies_demo.load()
    demo.load()
    objects = InspectedObject.objects.filter(municipality_id="0126")
    assert objects.count() == 12 and all(o.is_demo for o in objects)
    assert objects.filter(kind="lokal").count() == 10
    assert Inspection.objects.filter(is_demo=True, state="signerad").count() >= 30
    found = Deficiency.objects.filter(municipality_id="0126", source="checklista")
    assert found.exists() and all(d.is_demo for d in found)
    assert found.filter(owner__slug="huddinge-samhallsfastigheter").exists()
    today = timezone.localdate()
    year, quarter = checklists.quarter_of(today)
    start = checklists.add_months(checklists.quarter_bounds(year, quarter).start, -3)
    previous = checklists.quarter_bounds(*checklists.quarter_of(start))
    rows = checks_overview.overview(municipality_id="0126", quarter=previous)
    totals = checks_overview.totals(rows)
    assert totals["gjord"] > 0 and totals["sen"] + totals["gjord_sent"] > 0
    assert mail.outbox == []
    assert demo.load() == ["Kontroller (demo): Huddinges kontroller fanns redan."]
    assert InspectedObject.objects.filter(municipality_id="0126").count() == 12
