"""The generated demo walks: three walks, 30 points, some deficiencies in several
states, no mail, the Flemingsberg protocol public; loading twice adds nothing."""

from __future__ import annotations

from django.core import mail

from tryggnav.demo import foundation
from tryggnav.demo import inspections as demo_deficiencies
from tryggnav.demo import walks as demo
from tryggnav.inspections.walk_models import Walk, WalkPoint


def test_demo_walks(db, django_capture_on_commit_callbacks):
    foundation.load()
    demo_deficiencies.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    walks = Walk.objects.filter(is_demo=True)
    assert sorted(walks.values_list("area__name", flat=True)) == [
        "Flemingsberg",
        "Skogås",
        "Vällingby",
    ]
    points = WalkPoint.objects.filter(walk__in=walks)
    assert points.count() == 30 and all(p.is_demo for p in points)
    states = set(
        points.filter(deficiency__isnull=False).values_list("deficiency__status", flat=True)
    )
    assert {"ny", "mottagen", "planerad", "atgardad", "verifierad", "inte_var"} <= states
    assert all(d.is_demo and d.source == "vandring"
               for d in (p.deficiency for p in points if p.deficiency))  # fmt: skip
    skogas = points.get(note="Klotter på porten till garaget").deficiency
    assert skogas.owner.slug == "huge-bostader"
    assert walks.get(area__name="Vällingby").points.exclude(
        deficiency=None
    ).first().deficiency.owner.slug == ("vasterort-bostader")
    assert list(walks.filter(published__isnull=False).values_list("area__name", flat=True)) == [
        "Flemingsberg"
    ]
    assert mail.outbox == []
    assert demo.load() == ["Trygghetsvandringar (demo): fanns redan."]
    assert WalkPoint.objects.count() == 30
