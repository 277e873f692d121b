"""The generated demo deficiencies in Huddinge: routed by the rules and the estate
polygon, in every state, some overdue; loading twice adds nothing."""

from __future__ import annotations

from django.db.models import Count

from tryggnav.demo import foundation
from tryggnav.demo import inspections as demo
from tryggnav.inspections.models import Deficiency


def test_demo_deficiencies(db):
    foundation.load()
    demo.load()
    deficiencies = Deficiency.objects.filter(municipality_id="0126")
    assert deficiencies.count() == len(demo.DEFICIENCIES) and all(d.is_demo for d in deficiencies)
    states = dict(deficiencies.values_list("status").annotate(n=Count("pk")))
    assert set(states) == {"ny", "mottagen", "planerad", "atgardad", "verifierad", "inte_var"}
    skogas = deficiencies.get(title="Klotter på portarna")
    assert (skogas.owner.slug, skogas.routed_by) == ("huge-bostader", "polygon")
    assert deficiencies.get(title="Brandlarm ur funktion i idrottshallen").owner.slug == (
        "huddinge-samhallsfastigheter"
    )
    assert deficiencies.overdue().exists()
    assert demo.load() == ["Brister (demo): Huddinges brister fanns redan."]
    assert Deficiency.objects.filter(municipality_id="0126").count() == len(demo.DEFICIENCIES)
