"""Model rules and writes of programmes and their follow-ups."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.programmes import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.lib.errors import InputError
from tryggnav.programmes import services
from tryggnav.programmes.models import Assessment, Programme


def test_justification_required_unless_met(world):
    follow_up = f.follow_up(world)
    goal = f.goal(world, 2)
    by = world.user("coordinator")
    for status in (Assessment.Status.PARTLY, Assessment.Status.NOT_MET, "ej-bedomt"):
        with pytest.raises(InputError) as error:
            services.assessment_save(
                by=by, follow_up=follow_up, goal=goal, status=status, justification="  "
            )
        assert error.value.problems[0].field == "justification"
    assert not Assessment.objects.filter(goal=goal).exists()
    met = services.assessment_save(by=by, follow_up=follow_up, goal=goal, status="uppfyllt")
    assert met.justification == ""


def test_justification_rule_in_model_and_database(world):
    follow_up = f.follow_up(world)
    goal = f.goal(world, 2)
    unjustified = Assessment(follow_up=follow_up, goal=goal, status=Assessment.Status.NOT_MET)
    with pytest.raises(ValidationError):
        unjustified.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        unjustified.save()


def test_assessment_update_is_audited(world):
    follow_up = f.follow_up(world)
    goal = f.goal(world, 0)
    services.assessment_save(
        by=world.user("coordinator"),
        follow_up=follow_up,
        goal=goal,
        status=Assessment.Status.NOT_MET,
        justification="Målet nåddes inte.",
    )
    assessment = Assessment.objects.get(follow_up=follow_up, goal=goal)
    assert assessment.status == Assessment.Status.NOT_MET
    entry = AuditEntry.objects.filter(object_type="programmes.assessment").latest("at")
    assert entry.changes["status"] == ["uppfyllt", "ej-uppfyllt"]


def test_goal_of_another_programme_refused(world):
    other = services.programme_create(
        by=world.user("coordinator"),
        organisation=world.lead,
        title="Annat program",
        starts=datetime.date(2024, 1, 1),
        ends=None,
    )
    services.area_create(by=world.user("coordinator"), programme=other, name="A", goals=["X"])
    with pytest.raises(InputError):
        services.assessment_save(
            by=world.user("coordinator"),
            follow_up=f.follow_up(world),
            goal=other.areas.get().goals.get(),
            status="uppfyllt",
        )


def test_one_follow_up_per_year_with_every_area(world):
    follow_up = f.follow_up(world)
    assert follow_up.areas.count() == 2
    with pytest.raises(InputError):
        services.follow_up_create(
            by=world.user("coordinator"), programme=follow_up.programme, year=2025
        )


def test_links_must_belong_to_the_owner(world):
    from tryggnav.steering import services as steering_services

    item = f.follow_up(world).areas.first()
    foreign = steering_services.indicator_create(
        by=world.user("outsider"), group=world.other_group, name="Främmande", kind="manual"
    )
    with pytest.raises(InputError):
        services.area_follow_up_update(
            by=world.user("coordinator"), item=item, narrative="x", indicators=[foreign]
        )


def test_programme_period_and_group_membership(world):
    by = world.user("coordinator")
    with pytest.raises(InputError):
        services.programme_create(
            by=by,
            organisation=world.lead,
            title="Baklänges",
            starts=datetime.date(2025, 1, 1),
            ends=datetime.date(2024, 1, 1),
        )
    with pytest.raises(InputError):
        services.programme_create(
            by=by,
            organisation=world.lead,
            group=world.other_group,
            title="Fel grupp",
            starts=datetime.date(2025, 1, 1),
            ends=None,
        )
    assert not Programme.objects.filter(title__in=["Baklänges", "Fel grupp"]).exists()


def test_assessment_form_shows_error_and_writes_nothing(world):
    follow_up = f.follow_up(world)
    goal = f.goal(world, 2)
    response = world.client("coordinator").post(
        reverse("programmes:assessment_save", args=[follow_up.public_id, goal.public_id]),
        {f"g{goal.pk}-status": "delvis", f"g{goal.pk}-justification": ""},
    )
    assert response.status_code == 400
    assert "Motivera bedömningen" in response.content.decode()
    assert not Assessment.objects.filter(goal=goal).exists()


def test_bad_format_and_bad_period_do_not_crash(world):
    follow_up = f.follow_up(world)
    client = world.client("reader")
    bad = reverse("programmes:follow_up_report", args=[follow_up.public_id, "exe"])
    assert client.get(bad).status_code == 404
    url = reverse("programmes:lagesbild_report", args=[world.group.slug, "pdf"])
    response = client.get(url + "?fran=igår")
    assert response.status_code == 400
    assert "ÅÅÅÅ-MM-DD" in response.content.decode()
    response = client.get(url + "?fran=2025-01-01&till=2020-01-01")
    assert response.status_code == 400
