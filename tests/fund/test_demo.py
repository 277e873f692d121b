"""The generated demo fund: Huddinge 2025 with its call, eight applications, six
decisions within the budget, payments and two final reports; loading twice adds nothing."""

from __future__ import annotations

from tryggnav.demo import foundation, steering
from tryggnav.demo import fund as demo
from tryggnav.fund.models import Application, Decision, FinalReport, Fund, fund_figures


def test_demo_fund_end_to_end(db):
    foundation.load()
    steering.load()
    demo.load()
    fund = Fund.objects.get(year=2025, organisation__slug="huddinge-kommun")
    assert fund.is_demo and fund.budget == 2_000_000
    applications = Application.objects.filter(fund=fund)
    assert applications.count() == 8 and all(a.is_demo for a in applications)
    assert Decision.objects.filter(fund=fund).count() == 6
    assert Decision.objects.filter(fund=fund, outcome="refused").count() == 1
    figures = fund_figures(fund)
    # 180 000 + 420 000 + 95 000 + 400 000 + 250 000 granted; 8 500 + 22 000 returned.
    assert figures.granted == 1_345_000 - 30_500 and figures.returned == 30_500
    assert figures.paid == 1_145_000 and figures.remaining == 2_000_000 - figures.granted
    assert FinalReport.objects.filter(application__fund=fund).count() == 2
    night_walks = applications.get(title="Nattvandring i Flemingsberg")
    assert night_walks.steering_problem is not None
    assert night_walks.assessments.filter(conflict=False, completed__isnull=False).count() == 2
    assert applications.get(title__startswith="Trygghetsvärdar").assessments.filter(
        conflict=True).count() == 1  # fmt: skip
    # Five granted projects are in the activity register; the lighting in Skogås is
    # followed up against two comparison districts.
    granted = applications.filter(decision__outcome__in=["full", "partial"])
    assert granted.count() == 5 and all(a.activity and a.activity.is_demo for a in granted)
    lighting = applications.get(title="Belysning längs gångvägen i Skogås").evaluations.get()
    assert sorted(lighting.figures["comparison"]["areas"]) == ["Sjödalen-Fullersta", "Trångsund"]
    assert lighting.figures["goal"]["target_reached"] is False
    assert demo.load() == ["Trygghetsfond (demo): Huddinge 2025 fanns redan."]
    assert Application.objects.filter(fund=fund).count() == 8
