"""The municipality's overview across its groups (kommunstyrelsen's view)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.incidents.conftest import ensure_categories, report
from tryggnav.lagesbild.models import Action, Meeting
from tryggnav.organisations.models import CollaborationGroup, GroupMembership
from tryggnav.steering.models import Escalation, Problem

pytestmark = pytest.mark.django_db


def test_the_overview_shows_every_group_of_the_municipality_with_its_figures(world):
    GroupMembership.objects.filter(group=world.group).update(joined=datetime.date(2025, 1, 1))
    ensure_categories()
    report(world)
    second = CollaborationGroup.objects.create(
        name="OSG Söder", slug="osg-soder", municipality_id="0180", lead_organisation=world.lead
    )
    meeting = Meeting.objects.create(group=world.group, iso_year=2026, iso_week=1)
    Action.objects.create(
        group=world.group,
        meeting=meeting,
        what="Röj buskaget vid busshållplatsen",
        organisation=world.partner,
        due=timezone.localdate() - datetime.timedelta(days=5),
    )
    problem = Problem.objects.create(group=second, title="Otrygg gångtunnel")
    Escalation.objects.create(problem=problem, step=3, obstacle="Ingen budget", raised_to="KS")
    other = Problem.objects.create(group=world.other_group, title="Annan kommuns ärende")
    Escalation.objects.create(problem=other, step=3, obstacle="x", raised_to="KS")

    response = world.client("reader").get(reverse("municipality_overview", args=[world.lead.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "EST Test" in html and "OSG Söder" in html
    assert "OSG Annan" not in html
    assert "Röj buskaget vid busshållplatsen" in html
    assert "Otrygg gångtunnel" in html and "Annan kommuns ärende" not in html
    # Neither organisation reported last week: 0 % coverage; one report waits for review.
    assert "0 %" in html
    rows = response.context["overview"].rows
    est = next(r for r in rows if r.group == world.group)
    assert est.panel.review_count == 1 and len(est.panel.late_actions) == 1


def test_a_partner_organisations_member_cannot_open_it(world):
    response = world.client("reporter").get(
        reverse("municipality_overview", args=[world.partner.slug])
    )
    assert response.status_code == 403
