"""The start page ("Idag") per role."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.incidents.conftest import ensure_categories, report
from tryggnav.incidents.models import Category
from tryggnav.incidents.taxonomy import POLICE_FEED_ONLY
from tryggnav.lagesbild.models import Action, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(db):
    return ensure_categories()


def _home(world, persona):
    response = world.client(persona).get(reverse("organisations:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_coordinator_sees_the_review_queue_missing_reporters_and_late_actions(world, categories):
    from tryggnav.organisations.models import GroupMembership

    GroupMembership.objects.filter(group=world.group).update(joined=datetime.date(2025, 1, 1))
    report(world)
    report(world, text="Krossad ruta")
    meeting = Meeting.objects.create(group=world.group, iso_year=2026, iso_week=1)
    Action.objects.create(
        group=world.group,
        meeting=meeting,
        what="Laga belysningen i gångtunneln",
        organisation=world.partner,
        due=timezone.localdate() - datetime.timedelta(days=3),
    )
    html = _home(world, "coordinator")
    assert "2 rapporter väntar på granskning" in html
    assert reverse("incidents:review_queue", args=[world.group.slug]) in html
    assert "Laga belysningen i gångtunneln" in html
    assert "1 försenad åtgärd" in html
    # Neither organisation filed anything last week.
    assert "2 veckorapportörer saknas" in html


def test_reporter_gets_the_button_and_common_categories_but_no_coordination(world, categories):
    for _ in range(3):
        report(world, category=categories["klotter"], hours_ago=30)
    html = _home(world, "reporter")
    assert reverse("incidents:report") in html
    assert f"?kategori={categories['klotter'].pk}" in html
    assert "väntar på granskning" not in html
    assert "Dina senaste rapporter" in html


def test_reader_sees_the_latest_picture_and_decisions(world, categories):
    meeting = Meeting.objects.create(
        group=world.group, iso_year=2026, iso_week=2, status=Meeting.Status.HELD
    )
    Action.objects.create(
        group=world.group,
        meeting=meeting,
        what="Extra vandring fredag kväll",
        organisation=world.lead,
        due=timezone.localdate() + datetime.timedelta(days=3),
    )
    html = _home(world, "reader")
    assert "Extra vandring fredag kväll" in html
    assert "Beslut vid mötet vecka 2" in html
    assert reverse("incidents:report") not in html


def test_police_feed_categories_are_not_offered_to_reporters(world, categories):
    html = world.client("reporter").get(reverse("incidents:report")).content.decode()
    for slug in POLICE_FEED_ONLY:
        category = Category.objects.get(slug=slug, collaboration_group__isnull=True)
        assert f'value="{category.pk}"' not in html, category.name
    assert f'value="{categories["klotter"].pk}"' in html


def test_the_report_form_offers_the_common_categories_first_and_preselects_one(world, categories):
    theft = Category.objects.get(slug="stold", collaboration_group__isnull=True)
    report(world, category=theft, hours_ago=30)
    url = reverse("incidents:report") + f"?kategori={theft.pk}"
    html = world.client("reporter").get(url).content.decode()
    first_group = html.index("Vanligast i din organisation")
    assert html.index(f'value="{theft.pk}"') > first_group
    assert html.count(f'value="{theft.pk}"') == 1
    assert (
        f'value="{theft.pk}" id=' in html and "checked" in html.split(f'value="{theft.pk}"')[1][:80]
    )


def test_category_names_break_only_after_a_slash(world, categories):
    html = world.client("reporter").get(reverse("incidents:report")).content.decode()
    assert "Misshandel/<wbr>våld" in html
