"""Brå's steps: each step completes only with its required content, in order; reopening
is audited; the SMART form refuses goals that are not SMART."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.steering import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents.models import Category, Incident
from tryggnav.lib.errors import InputError
from tryggnav.steering import indicators, services, steps
from tryggnav.steering.models import Indicator, Measure, Step


def _complete(world, problem, step):
    return world.client("coordinator").post(
        reverse("steering:step_complete", args=[problem.public_id, step])
    )


def test_step_one_lists_what_is_missing_and_refuses_to_complete(world):
    problem = f.problem(world)
    missing = steps.missing(problem, Step.INITIATION)
    assert any("beslutade" in m for m in missing)
    assert any("två parter" in m for m in missing)
    response = world.client("coordinator").get(problem.get_absolute_url())
    assert "Saknas innan steget kan avslutas" in response.content.decode()
    _complete(world, problem, 1)
    assert problem.steps.get(number=1).completed is None


def test_steps_complete_in_order_and_audited(world):
    problem = f.problem(world)
    f.initiate(world, problem)
    # Step 2 cannot be completed before step 1.
    with pytest.raises(InputError):
        services.problem_step_complete(problem=problem, by=world.user("coordinator"), step=2)
    assert _complete(world, problem, 1).status_code == 302
    assert problem.steps.get(number=1).completed is not None
    assert AuditEntry.objects.filter(
        object_id=str(problem.public_id), note__contains="Steg 1 avslutat"
    ).exists()
    # Step 2 needs a mapping from every party.
    assert len(steps.missing(problem, Step.OWN_MAPPING)) == 2
    services.mapping_save(
        problem=problem, by=world.user("coordinator"), organisation=world.lead, summary="x"
    )
    assert [m for m in steps.missing(problem, Step.OWN_MAPPING)] == [
        f"Egen kartläggning från {world.partner.name}."
    ]


def test_completed_step_is_locked_until_reopened(world):
    problem = f.problem(world)
    f.initiate(world, problem)
    services.problem_step_complete(problem=problem, by=world.user("coordinator"), step=1)
    with pytest.raises(InputError):
        f.initiate(world, problem)
    response = world.client("coordinator").post(
        reverse("steering:step_reopen", args=[problem.public_id, 1]), {"reason": "Ny part"}
    )
    assert response.status_code == 302
    assert problem.steps.get(number=1).completed is None
    assert (
        AuditEntry.objects.filter(note__contains="öppnat igen")
        .filter(note__contains="Ny part")
        .exists()
    )
    f.initiate(world, problem)  # editable again


def test_joint_mapping_needs_rationale_and_stored_figures(world):
    problem = f.problem(world)
    missing = steps.missing(problem, Step.JOINT_MAPPING)
    assert any("prioriteras bort" in m for m in missing)
    assert any("Sparade siffror" in m for m in missing)
    services.snapshot_take(problem=problem, by=world.user("coordinator"), step=3, kind="weekly")
    assert not any("Sparade siffror" in m for m in steps.missing(problem, Step.JOINT_MAPPING))


def test_snapshot_counts_the_problem_incidents_and_keeps_them(world):
    problem = f.problem(world)
    area = f.areas(world)[0]
    klotter = Category.objects.get(slug="klotter", collaboration_group__isnull=True)
    other = Category.objects.exclude(pk__in=[c.pk for c in f.categories()]).first()
    when = timezone.now() - datetime.timedelta(days=20)
    for category in (klotter, klotter, other):
        Incident.objects.create(
            category=category,
            occurred_from=when,
            reported_at=when,
            precision=Incident.Precision.DISTRICT,
            area=area,
            municipality_id="0180",
            organisation=world.partner,
            source=Incident.Source.FORM,
            status=Incident.Status.REVIEWED,
        )
    shot = services.snapshot_take(
        problem=problem, by=world.user("coordinator"), step=3, kind="weekly"
    )
    assert sum(row["antal"] for row in shot.data) == 2
    pattern = services.snapshot_take(
        problem=problem, by=world.user("coordinator"), step=4, kind="weekday_hour"
    )
    assert round(sum(row["antal"] for row in pattern.data), 6) == 2
    Incident.objects.all().delete()
    shot.refresh_from_db()
    assert sum(row["antal"] for row in shot.data) == 2  # the snapshot keeps what was seen


MEASURE_DATA = {
    "title": "Belysning",
    "specific": "Färre skadegörelser vid gångtunneln",
    "place": "Gångtunneln",
    "baseline_value": "12",
    "baseline_date": "2025-01-01",
    "target_value": "6",
    "deadline": "2025-12-31",
    "resources": "50 000 kr",
    "prevention_type": "situationell",
    "perspective_children": "a",
    "perspective_gender": "b",
    "perspective_disability": "c",
    "perspective_hbtq": "d",
    "perspective_elderly": "e",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"specific": ""}, "specific"),
        ({"place": "", "areas": []}, "place"),
        ({"indicator": ""}, "indicator"),
        ({"baseline_date": ""}, "baseline_date"),
        ({"agreed_by": []}, "agreed_by"),
        ({"resources": ""}, "resources"),
        ({"deadline": "2024-06-01"}, "deadline"),
        ({"target_value": "12"}, "target_value"),
        ({"perspective_hbtq": ""}, "perspective_hbtq"),
        ({"prevention_type": "annat"}, "prevention_type"),
    ],
)
def test_smart_form_refuses_a_goal_that_is_not_smart(world, change, field):
    problem = f.problem(world)
    f.initiate(world, problem)
    data = {
        **MEASURE_DATA,
        "indicator": f.indicator(world).pk,
        "agreed_by": [world.lead.pk, world.partner.pk],
        "responsible": world.lead.pk,
        **change,
    }
    response = world.client("coordinator").post(
        reverse("steering:measure_create", args=[problem.public_id]), data
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not problem.measures.exists()


def test_smart_form_accepts_a_smart_goal(world):
    problem = f.problem(world)
    f.initiate(world, problem)
    data = {
        **MEASURE_DATA,
        "indicator": f.indicator(world).pk,
        "agreed_by": [world.lead.pk, world.partner.pk],
        "responsible": world.lead.pk,
    }
    response = world.client("coordinator").post(
        reverse("steering:measure_create", args=[problem.public_id]), data
    )
    assert response.status_code == 302
    measure = problem.measures.get()
    assert steps.measure_missing(measure) == []
    assert not any("Minst en åtgärd" in m for m in steps.missing(problem, Step.MEASURES))


def test_implementation_and_follow_up_need_activities_and_evaluations(world):
    measure = f.measure(world)
    problem = measure.problem
    assert steps.missing(problem, Step.IMPLEMENTATION)
    services.activity_create(
        by=world.user("coordinator"),
        group=world.group,
        title="Sanering",
        starts=datetime.date(2025, 2, 1),
        prevention_type="situationell",
        measure=measure,
        responsible=world.partner,
        hours=12,
    )
    assert steps.missing(problem, Step.IMPLEMENTATION) == []
    assert steps.missing(problem, Step.FOLLOW_UP)
    evaluation = services.evaluation_create(
        measure=measure,
        by=world.user("coordinator"),
        evaluated_on=datetime.date(2025, 6, 1),
        conclusion="Ok",
    )
    assert evaluation.figures["baseline"]["value"] == 40
    assert steps.missing(problem, Step.FOLLOW_UP) == []


def test_bad_step_and_foreign_party_do_not_crash(world):
    problem = f.problem(world)
    client = world.client("coordinator")
    assert (
        client.get(reverse("steering:problem_step", args=[problem.public_id, 9])).status_code == 404
    )
    assert (
        client.post(reverse("steering:step_complete", args=[problem.public_id, 0])).status_code
        == 404
    )
    response = client.post(
        reverse("steering:problem_step", args=[problem.public_id, 1]),
        {
            "decided_by": "x",
            "decided_on": "inte ett datum",
            "reason": "y",
            "parties": [world.other.pk],
        },
    )
    assert response.status_code == 400


def test_incident_indicator_counts_per_year(world):
    indicator = services.indicator_create(
        by=world.user("coordinator"),
        group=world.group,
        name="Klotter",
        kind=Indicator.Kind.INCIDENT,
        starts=datetime.date(2024, 1, 1),
        areas=f.areas(world),
        categories=f.categories(),
    )
    when = timezone.make_aware(datetime.datetime(2024, 5, 5, 22))
    Incident.objects.create(
        category=f.categories()[0],
        occurred_from=when,
        reported_at=when,
        precision=Incident.Precision.DISTRICT,
        area=f.areas(world)[0],
        municipality_id="0180",
        source=Incident.Source.POLICE_FEED,
        external_id="t-1",
    )
    points = indicators.series(indicator, today=datetime.date(2025, 3, 1))
    assert [(p.label, p.count, p.partial) for p in points] == [
        ("2024", 1, False),
        ("2025", 0, True),
    ]


def test_manual_value_interval_must_contain_the_value(world):
    indicator = f.indicator(world)
    response = world.client("coordinator").post(
        reverse("steering:indicator_value", args=[indicator.public_id]),
        {"period_start": "2021-01-01", "label": "2021", "value": "63", "low": "70", "high": "80"},
    )
    assert response.status_code == 302
    assert not indicator.values.exists()


def test_follow_up_estimates_the_effect_with_the_stats_wording(world):
    indicator = services.indicator_create(
        by=world.user("coordinator"),
        group=world.group,
        name="Klotter i Vällingby",
        kind=Indicator.Kind.INCIDENT,
        areas=f.areas(world),
        categories=f.categories(),
    )
    treated, control = f.areas(world, "Vällingby")[0], f.areas(world, "Vinsta")[0]
    counts = {(treated, 2024): 10, (treated, 2025): 4, (control, 2024): 10, (control, 2025): 10}
    for (area, year), n in counts.items():
        for i in range(n):
            when = timezone.make_aware(datetime.datetime(year, 3, 1 + i, 21))
            Incident.objects.create(
                category=f.categories()[0],
                occurred_from=when,
                reported_at=when,
                precision=Incident.Precision.DISTRICT,
                area=area,
                municipality_id="0180",
                source=Incident.Source.POLICE_FEED,
                external_id=f"e-{area.pk}-{year}-{i}",
            )
    problem = f.problem(world)
    f.initiate(world, problem)
    measure = services.measure_create(
        problem=problem,
        by=world.user("coordinator"),
        agreed_by=[world.lead, world.partner],
        areas=[treated],
        title="Sanering",
        specific="Mindre klotter",
        indicator=indicator,
        baseline_value=10,
        baseline_date=datetime.date(2025, 1, 1),
        target_value=5,
        deadline=datetime.date(2025, 12, 31),
        resources="Personal",
        responsible=world.lead,
        prevention_type="situationell",
        **{name: "ok" for name in Measure.PERSPECTIVES},
    )
    evaluation = services.evaluation_create(
        measure=measure,
        by=world.user("coordinator"),
        evaluated_on=datetime.date(2025, 12, 31),
        comparison_areas=[control],
        conclusion="Bedömning",
    )
    comparison = evaluation.figures["comparison"]
    assert (comparison["treated_before"], comparison["treated_after"]) == (10, 4)
    assert (comparison["control_before"], comparison["control_after"]) == (10, 10)
    effect = comparison["effect"]
    assert round(effect["estimate"], 2) == 2.5  # (10 * 10) / (4 * 10)
    assert effect["significant"] is None  # one treated area: the stats module refuses
    assert "bara ett insatsområde" in effect["message"]
    page = world.client("reader").get(problem.get_absolute_url()).content.decode()
    assert "bara ett insatsområde" in page


def test_a_later_step_before_the_earlier_ones_says_which_to_finish(world):
    problem = f.problem(world)
    client = world.client("coordinator")
    response = client.get(reverse("steering:problem_step", args=[problem.public_id, 5]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Slutför steg 1 först." in body
    assert reverse("steering:problem_step", args=[problem.public_id, 1]) in body


def test_a_step_worked_on_the_problem_page_leads_there_when_its_turn_comes(world):
    problem = f.problem(world)
    problem.steps.filter(number__lt=2).update(completed=timezone.now())
    response = world.client("coordinator").get(
        reverse("steering:problem_step", args=[problem.public_id, 2])
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"{problem.get_absolute_url()}#steg-2")
