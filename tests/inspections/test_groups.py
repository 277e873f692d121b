"""Deficiencies in a collaboration group's work: the members' page, the lägesbild map
layer, the weekly agenda's item "Brister", and a problem started from a deficiency."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.inspections import factories as f
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.inspections import services
from tryggnav.inspections.models import Deficiency, DeficiencyProblem
from tryggnav.steering.models import Problem

pytestmark = pytest.mark.django_db

# Hässelby strand: a stadsdel of Stockholm outside the test group's areas.
OUTSIDE = (59.3610, 17.8330)


def _outside(world):
    return services.deficiency_create(
        by=world.user("coordinator"),
        municipality_id="0180",
        category="belysning",
        severity=2,
        title="Utanför gruppen",
        source="manuell",
        lat=OUTSIDE[0],
        lon=OUTSIDE[1],
        owner=world.partner,
    )


def _overdue(world, title="Försenad lampa"):
    d = f.deficiency(world, title=title)
    Deficiency.objects.filter(pk=d.pk).update(due=timezone.localdate() - datetime.timedelta(days=5))
    return d


def test_a_member_sees_the_deficiencies_in_the_groups_areas_only(world):
    inside = f.deficiency(world, title="Trasig lampa")
    outside = _outside(world)
    assert inside.area is not None and outside.area != inside.area
    page = world.client("reporter").get(reverse("inspections:group", args=[world.group.slug]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Trasig lampa" in body and "Utanför gruppen" not in body


def test_the_map_layer_has_open_and_overdue_deficiencies_without_their_text(world):
    f.deficiency(world, title="Trasig lampa", description="Kalle Andersson såg det")
    _overdue(world)
    _outside(world)
    week = IsoWeek.last_completed()
    answer = world.client("reader").get(
        reverse("lagesbild:group_map", args=[world.group.slug]), {"vecka": str(week)}
    )
    features = [x for x in answer.json()["features"] if x["properties"]["layer"] == "deficiency"]
    assert len(features) == 2
    assert sorted(x["properties"]["overdue"] for x in features) == [False, True]
    text = str(features)
    assert "Kalle" not in text and "Trasig lampa" not in text  # category and state only
    assert {x["properties"]["name"] for x in features} == {"Belysning"}


def test_the_lagesbild_page_offers_the_layer_with_a_legend(world):
    page = world.client("reader").get(reverse("lagesbild:group", args=[world.group.slug]))
    body = page.content.decode()
    assert 'data-layer-toggle="deficiency"' in body
    assert "Försenad brist" in body and "Öppen brist" in body
    assert reverse("inspections:group", args=[world.group.slug]) in body


def test_the_weekly_agenda_lists_new_and_overdue_deficiencies(world):
    _overdue(world, title="Gammal lampa")
    _outside(world)
    week = IsoWeek.of(timezone.localdate())
    url = reverse("lagesbild:meeting", args=[world.group.slug, str(week)])
    body = world.client("reader").get(url).content.decode()
    assert "<h3>Brister</h3>" in body
    assert "Gammal lampa" in body and "Försenad" in body
    assert "Utanför gruppen" not in body


def test_a_coordinator_starts_a_problem_linked_both_ways(world):
    d = f.deficiency(world, title="Mörk tunnel")
    client = world.client("coordinator")
    detail = client.get(d.get_absolute_url()).content.decode()
    assert "Starta ett problem från bristen" in detail
    answer = client.post(
        reverse("inspections:problem_start", args=[d.public_id]),
        {"group": world.group.slug, "form_key": "k-1"},
    )
    problem = Problem.objects.get(deficiency_links__deficiency=d)
    assert answer.status_code == 302 and answer["Location"] == problem.get_absolute_url()
    assert problem.group == world.group and problem.title == "Brist: Mörk tunnel"
    assert list(problem.areas.all()) == [d.area]
    # Sent twice: created once.
    client.post(
        reverse("inspections:problem_start", args=[d.public_id]),
        {"group": world.group.slug, "form_key": "k-1"},
    )
    assert DeficiencyProblem.objects.filter(deficiency=d).count() == 1
    assert "Mörk tunnel" in client.get(problem.get_absolute_url()).content.decode()
    assert problem.title in client.get(d.get_absolute_url()).content.decode()


def test_a_deficiency_outside_the_group_cannot_start_its_problem(world):
    d = _outside(world)
    answer = world.client("coordinator").post(
        reverse("inspections:problem_start", args=[d.public_id]), {"group": world.group.slug}
    )
    assert answer.status_code == 404
    assert not Problem.objects.exists()
