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


def test_coordinator_creates_a_programme_with_areas_and_follows_it_up(world):
    client = world.client("coordinator")
    index = client.get(reverse("programmes:index")).content.decode()
    create_url = reverse("programmes:programme_create", args=[world.lead.slug])
    assert create_url in index
    response = client.post(
        create_url,
        {
            "kind": "program",
            "title": "Program för trygghet och säkerhet 2027–2030",
            "group": world.group.pk,
            "starts": "2027-01-01",
            "ends": "2030-12-31",
            "overall_goal": "Tryggt för alla.",
            "decided_by": "Kommunfullmäktige",
            "decision_reference": "KS-2026/123",
        },
    )
    programme = Programme.objects.get(title="Program för trygghet och säkerhet 2027–2030")
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    assert programme.organisation == world.lead and programme.group == world.group
    assert AuditEntry.objects.filter(
        object_type="programmes.programme", object_id=str(programme.public_id), action="create"
    ).exists()

    area_url = reverse("programmes:area_create", args=[programme.public_id])
    response = client.post(
        area_url,
        {"name": "Skydd mot olyckor", "goals": "Färre bränder.\n\n  Säkra skolvägar.  \n"},
    )
    assert response.status_code == 302
    area = programme.areas.get(name="Skydd mot olyckor")
    assert [g.text for g in area.goals.order_by("order")] == ["Färre bränder.", "Säkra skolvägar."]
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Säkra skolvägar." in page

    # The same area twice: a message, nothing added.
    response = client.post(area_url, {"name": "Skydd mot olyckor", "goals": "Annat."})
    assert response.status_code == 400
    assert "Ansvarsområdet finns redan i programmet." in response.content.decode()
    assert programme.areas.count() == 1

    # The yearly follow-up of the new programme covers the new area and its goals.
    response = client.post(
        reverse("programmes:follow_up_create", args=[programme.public_id]), {"year": "2027"}
    )
    follow_up = programme.follow_ups.get(year=2027)
    assert response.status_code == 302
    assert [item.area for item in follow_up.areas.all()] == [area]


def test_programme_form_refuses_bad_input_and_writes_nothing(world):
    client = world.client("coordinator")
    url = reverse("programmes:programme_create", args=[world.lead.slug])
    before = Programme.objects.count()
    bad_period = client.post(
        url, {"kind": "program", "title": "X", "starts": "2027-01-01", "ends": "2026-01-01"}
    )
    assert bad_period.status_code == 400
    assert "Slutdatum ligger före startdatum." in bad_period.content.decode()
    # A group the organisation is not a member of is not offered and not accepted.
    foreign_group = client.post(
        url,
        {"kind": "program", "title": "Y", "starts": "2027-01-01", "group": world.other_group.pk},
    )
    assert foreign_group.status_code == 400
    assert str(world.other_group) not in foreign_group.content.decode().split("<form")[1]
    no_title = client.post(url, {"kind": "program", "title": " ", "starts": "2027-01-01"})
    assert no_title.status_code == 400
    assert Programme.objects.count() == before


def test_coordinator_edits_the_programme_header_audited(world):
    programme = f.programme(world)
    client = world.client("coordinator")
    url = reverse("programmes:programme_update", args=[programme.public_id])
    page = client.get(url).content.decode()
    assert f'value="{programme.title}"' in page
    response = client.post(
        url,
        {
            "kind": "program",
            "title": "Trygghetsprogram 2024–2028",
            "group": world.group.pk,
            "starts": "2024-01-01",
            "ends": "2028-12-31",
            "overall_goal": programme.overall_goal,
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "Trygghetsprogram 2024–2028"
    assert str(programme.ends) == "2028-12-31"
    assert programme.areas.count() == 2  # the areas and their goals are untouched
    entry = AuditEntry.objects.filter(
        object_type="programmes.programme", object_id=str(programme.public_id), action="update"
    ).latest("at")
    assert entry.changes["ends"] == ["2027-12-31", "2028-12-31"]
    bad = client.post(
        url, {"kind": "program", "title": "X", "starts": "2024-01-01", "ends": "2020-01-01"}
    )
    assert bad.status_code == 400
    programme.refresh_from_db()
    assert programme.title == "Trygghetsprogram 2024–2028"


def test_service_errors_are_shown_in_the_users_language(world):
    programme = f.programme(world)
    client = world.client("coordinator")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    url = reverse("programmes:area_create", args=[programme.public_id])
    response = client.post(url, {"name": "Skydd mot olyckor"})  # exists already
    assert response.status_code == 400
    page = response.content.decode()
    assert "The programme already has this area." in page
    assert "Ansvarsområdet finns redan i programmet." not in page
