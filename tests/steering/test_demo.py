"""The demo step: the seed agreements as published and a case through all seven steps."""

from __future__ import annotations

from django.utils import timezone

from tryggnav.demo import foundation
from tryggnav.demo import steering as demo
from tryggnav.steering.models import Activity, Agreement, Indicator, Problem


def test_demo_loads_the_seed_agreements_and_a_complete_case(db):
    foundation.load()
    demo.load()
    demo.load()  # idempotent
    intent = Agreement.objects.get(kind=Agreement.Kind.INTENT)
    assert intent.decision_reference == "KS-2022/941.142"
    assert intent.parties.count() == 6
    assert all("förbinder sig" in p.commitments for p in intent.parties.all())
    assert (intent.starts.year, intent.ends.year) == (2023, 2026)
    sok = Agreement.objects.get(title="Samverkansöverenskommelse 2023–2024")
    assert sok.parent == intent
    assert list(sok.priority_areas.values_list("name", flat=True))[0] == "gängkriminalitet"
    assert sorted(sok.areas.values_list("name", flat=True)) == [
        "Flemingsberg",
        "Huddinge centrum",
        "Skogås",
        "Vårby",
    ]
    assert Agreement.objects.filter(title="Samverkansöverenskommelse 2021–2022").count() == 1
    unga = Activity.objects.get(title="Unga för Orten 2021")
    assert unga.hours == 23000
    assert Activity.objects.filter(title="Unga för Orten 2021").count() == 1
    safe = Indicator.objects.get(kind=Indicator.Kind.SURVEY)
    assert [(v.value, v.low, v.high) for v in safe.values.all()] == [(63, 59, 68)]
    problem = Problem.objects.get(is_demo=True)
    # The case runs now, so it belongs to the agreement in force now (while one is).
    today = timezone.localdate()
    if Agreement.objects.filter(starts__lte=today, ends__gte=today).exists():
        assert problem.agreement.starts <= today <= problem.agreement.ends
    assert problem.steps.filter(completed__isnull=False).count() == 7
    assert problem.snapshots.count() == 3
    assert problem.measures.get().evaluations.count() == 1
    assert problem.escalations.count() == 1
