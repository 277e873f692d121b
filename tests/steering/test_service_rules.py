"""The steering services' rules beside the Brå steps: agreements, party mappings,
snapshots, measures, activities, evaluations, escalations and indicator values refuse
what does not belong (another municipality, another owner, a non-member, a bad period)
by field, write nothing then, and audit what they change."""

from __future__ import annotations

import datetime

import pytest

from tests.steering import factories as f
from tryggnav.areas.models import Area
from tryggnav.audit.models import AuditEntry
from tryggnav.lib.errors import InputError
from tryggnav.steering import services
from tryggnav.steering.models import (
    Activity,
    Agreement,
    Escalation,
    Indicator,
    IndicatorValue,
    Measure,
    PartyMapping,
    PreventionType,
    Problem,
    Step,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 1)


def _field(error: InputError) -> str:
    (problem,) = error.problems
    return problem.field


def _foreign_area() -> Area:
    model = Area.objects.filter(municipality_id="0180").first()
    return Area.objects.create(
        municipality_id="0126", name="Huddingeområdet", kind=Area.Kind.CUSTOM, code="h1",
        geometry=model.geometry, min_lon=model.min_lon, min_lat=model.min_lat,
        max_lon=model.max_lon, max_lat=model.max_lat,
    )  # fmt: skip


def _agreement(world, **overrides) -> Agreement:
    values = {"by": world.user("coordinator"), "group": world.group,
              "kind": Agreement.Kind.COLLABORATION, "title": "Överenskommelse",
              "starts": DAY, "ends": DAY + datetime.timedelta(days=365)}  # fmt: skip
    values.update(overrides)
    return services.agreement_create(**values)


def test_an_agreement_ending_before_it_starts_is_refused(world):
    with pytest.raises(InputError) as error:
        _agreement(world, ends=DAY - datetime.timedelta(days=1))
    assert _field(error.value) == "ends"
    assert not Agreement.objects.exists()


def test_an_agreements_parties_must_be_members_of_the_group(world):
    with pytest.raises(InputError) as error:
        _agreement(world, party_organisations=[world.lead, world.other])
    assert _field(error.value) == "party_organisations"
    assert world.other.name in error.value.problems[0].sv
    assert not Agreement.objects.exists()


def test_an_agreement_sits_only_under_a_declaration_of_intent(world):
    collaboration = _agreement(world, title="Första")
    with pytest.raises(InputError) as error:
        _agreement(world, title="Under", parent=collaboration)
    assert _field(error.value) == "parent"
    intent = _agreement(world, title="Avsikt", kind=Agreement.Kind.INTENT)
    child = _agreement(world, title="Under avsikten", parent=intent)
    assert child.parent == intent


def test_an_agreements_areas_lie_in_its_municipality(world):
    with pytest.raises(InputError) as error:
        _agreement(world, areas=[_foreign_area()])
    assert _field(error.value) == "areas"
    assert not Agreement.objects.exists()


def test_updating_parties_and_priorities_keeps_their_order_and_notes_the_change(world):
    agreement = f.agreement(world)
    services.agreement_update(agreement=agreement, by=world.user("coordinator"),
                              party_organisations=[world.partner], other_parties=["Polisen", " "],
                              priority_areas=["Narkotika", "", "Skadegörelse"])  # fmt: skip
    parties = [p.display_name for p in agreement.parties.order_by("order")]
    assert parties == [world.partner.name, "Polisen"]
    assert [p.name for p in agreement.priority_areas.order_by("order")] == [
        "Narkotika",
        "Skadegörelse",
    ]
    entry = AuditEntry.objects.filter(object_id=str(agreement.public_id), action="update").get()
    assert "Narkotika" in entry.note and "Polisen" in entry.note


def test_an_update_to_an_end_before_the_start_is_refused_and_not_saved(world):
    agreement = f.agreement(world)
    with pytest.raises(InputError):
        services.agreement_update(agreement=agreement, by=world.user("coordinator"),
                                  ends=agreement.starts - datetime.timedelta(days=1))  # fmt: skip
    assert Agreement.objects.get(pk=agreement.pk).ends == datetime.date(2026, 12, 31)
    with pytest.raises(TypeError):
        services.agreement_update(agreement=agreement, by=world.user("coordinator"), group=None)


def test_an_agreement_is_never_its_own_parent(world):
    intent = _agreement(world, kind=Agreement.Kind.INTENT)
    services.agreement_update(agreement=intent, by=world.user("coordinator"), parent=intent)
    assert Agreement.objects.get(pk=intent.pk).parent is None


def test_a_partys_commitments_are_saved_and_audited(world):
    party = f.agreement(world).parties.get(organisation=world.partner)
    services.party_commitments_update(party=party, by=world.user("coordinator"),
                                      commitments="Sanera inom ett dygn")  # fmt: skip
    party.refresh_from_db()
    assert party.commitments == "Sanera inom ett dygn"
    entry = AuditEntry.objects.filter(object_type="steering.agreementparty").get()
    assert entry.changes["commitments"] == ["", "Sanera inom ett dygn"]


def test_a_problems_priority_area_must_belong_to_its_agreement(world):
    agreement = f.agreement(world)
    other = _agreement(world, title="Annan", priority_areas=["Annat område"])
    foreign_priority = other.priority_areas.get()
    with pytest.raises(InputError) as error:
        services.problem_create(by=world.user("coordinator"), group=world.group, title="Fel",
                                agreement=agreement, priority_area=foreign_priority)  # fmt: skip
    assert _field(error.value) == "priority_area"
    assert not Problem.objects.filter(title="Fel").exists()
    problem = services.problem_create(by=world.user("coordinator"), group=world.group,
                                      title="Rätt", priority_area=foreign_priority)  # fmt: skip
    assert problem.agreement == other
    assert problem.steps.count() == len(Step)


def test_a_problem_has_exactly_one_owner(world):
    with pytest.raises(ValueError):
        services.problem_create(by=world.user("coordinator"), group=world.group,
                                organisation=world.lead, title="Två ägare")  # fmt: skip
    with pytest.raises(ValueError):
        services.problem_create(by=world.user("coordinator"), title="Ingen ägare")
    assert not Problem.objects.exists()


def test_a_mapping_is_made_by_a_party_and_replaced_when_saved_again(world):
    problem = f.problem(world)
    f.initiate(world, problem)
    by = world.user("coordinator")
    with pytest.raises(InputError) as error:
        services.mapping_save(problem=problem, by=by, organisation=world.other, summary="X")
    assert _field(error.value) == "organisation"
    first = services.mapping_save(problem=problem, by=by, organisation=world.partner,
                                  summary="Klotter på garagen")  # fmt: skip
    second = services.mapping_save(problem=problem, by=by, organisation=world.partner,
                                   summary="Klotter på garagen och i tunneln")  # fmt: skip
    assert first.pk == second.pk and PartyMapping.objects.count() == 1
    entries = AuditEntry.objects.filter(object_type="steering.partymapping").order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["summary"] == [
        "Klotter på garagen",
        "Klotter på garagen och i tunneln",
    ]


def test_figures_are_stored_only_in_steps_three_and_four_and_need_categories(world):
    problem = services.problem_create(by=world.user("coordinator"), group=world.group,
                                      title="Utan kategorier")  # fmt: skip
    with pytest.raises(InputError) as error:
        services.snapshot_take(problem=problem, by=world.user("coordinator"), step=1,
                               kind="weekly")  # fmt: skip
    assert _field(error.value) == "step"
    with pytest.raises(InputError) as error:
        services.snapshot_take(problem=problem, by=world.user("coordinator"),
                               step=Step.JOINT_MAPPING, kind="weekly")  # fmt: skip
    assert _field(error.value) == "kind"
    assert not problem.snapshots.exists()


def _measure_fields(world, **overrides):
    values = {"title": "Belysning", "specific": "Byta belysning vid entréerna",
              "indicator": f.indicator(world), "baseline_value": 40,
              "baseline_date": datetime.date(2025, 1, 1), "target_value": 20,
              "deadline": datetime.date(2026, 1, 1), "resources": "Budget",
              "responsible": world.partner, "prevention_type": PreventionType.SITUATIONAL,
              "perspective_children": "a", "perspective_gender": "b",
              "perspective_disability": "c", "perspective_hbtq": "d",
              "perspective_elderly": "e"}  # fmt: skip
    values.update(overrides)
    return values


def test_a_measures_deadline_must_follow_its_baseline(world):
    problem = f.problem(world)
    f.initiate(world, problem)
    with pytest.raises(InputError) as error:
        services.measure_create(problem=problem, by=world.user("coordinator"), agreed_by=[world.lead],
                                **_measure_fields(world, deadline=datetime.date(2024, 12, 31)))  # fmt: skip
    assert _field(error.value) == "deadline"
    assert not Measure.objects.exists()


def test_a_measures_indicator_and_parties_belong_to_its_owner(world):
    problem = f.problem(world)
    f.initiate(world, problem)
    foreign = services.indicator_create(by=world.user("outsider"), group=world.other_group,
                                        name="Annans", kind=Indicator.Kind.MANUAL)  # fmt: skip
    with pytest.raises(InputError) as error:
        services.measure_create(problem=problem, by=world.user("coordinator"), agreed_by=[world.lead],
                                **_measure_fields(world, indicator=foreign))  # fmt: skip
    assert _field(error.value) == "indicator"
    with pytest.raises(InputError) as error:
        services.measure_create(problem=problem, by=world.user("coordinator"),
                                agreed_by=[world.other], **_measure_fields(world))  # fmt: skip
    assert _field(error.value) == "agreed_by"
    assert not Measure.objects.exists()


def test_a_measures_status_change_is_audited(world):
    measure = f.measure(world)
    services.measure_status_update(measure=measure, by=world.user("coordinator"),
                                   status=Measure.Status.ONGOING)  # fmt: skip
    assert Measure.objects.get(pk=measure.pk).status == Measure.Status.ONGOING
    entry = AuditEntry.objects.filter(object_id=str(measure.public_id), action="update").get()
    assert entry.changes["status"] == [Measure.Status.PLANNED, Measure.Status.ONGOING]


def _activity(world, **overrides) -> Activity:
    values = {"by": world.user("coordinator"), "group": world.group, "title": "Nattvandring",
              "starts": DAY, "prevention_type": PreventionType.SOCIAL}  # fmt: skip
    values.update(overrides)
    return services.activity_create(**values)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"ends": DAY - datetime.timedelta(days=1)}, "ends"),
        ({"hours": -1}, "hours"),
    ],
)
def test_an_activity_with_a_bad_period_or_hours_is_refused(world, overrides, field):
    with pytest.raises(InputError) as error:
        _activity(world, **overrides)
    assert _field(error.value) == field
    assert not Activity.objects.exists()


def test_an_activitys_measure_and_responsible_belong_to_its_owner(world):
    measure = f.measure(world)
    with pytest.raises(InputError) as error:
        _activity(world, by=world.user("outsider"), group=world.other_group, measure=measure)
    assert _field(error.value) == "measure"
    with pytest.raises(InputError) as error:
        _activity(world, responsible=world.other)
    assert _field(error.value) == "responsible"
    with pytest.raises(InputError) as error:
        _activity(world, areas=[_foreign_area()])
    assert _field(error.value) == "areas"
    assert not Activity.objects.exists()
    activity = _activity(world, measure=measure, responsible=world.partner, hours=3)
    entry = AuditEntry.objects.get(object_id=str(activity.public_id))
    assert entry.note == f"Steg 6: {measure.problem}"


def test_a_comparison_area_is_neither_treated_nor_elsewhere(world):
    measure = f.measure(world)
    treated = list(measure.areas.all())
    for areas in (treated, [_foreign_area()]):
        with pytest.raises(InputError) as error:
            services.evaluation_create(measure=measure, by=world.user("coordinator"),
                                       evaluated_on=DAY, conclusion="-", comparison_areas=areas)  # fmt: skip
        assert _field(error.value) == "comparison_areas"
    assert not measure.evaluations.exists()


def test_an_escalation_is_raised_answered_and_audited(world):
    escalation = f.escalation(world)
    assert escalation.status == Escalation.Status.OPEN
    assert escalation.raised_by == world.user("coordinator")
    services.escalation_update(escalation=escalation, by=world.user("coordinator"),
                               status=Escalation.Status.ANSWERED, response="Budget beviljad")  # fmt: skip
    escalation.refresh_from_db()
    assert (escalation.status, escalation.response) == ("answered", "Budget beviljad")
    entry = AuditEntry.objects.filter(object_id=str(escalation.public_id), action="update").get()
    assert entry.changes["status"] == ["open", "answered"]


def test_an_incident_indicator_needs_categories_and_takes_no_values(world):
    with pytest.raises(InputError) as error:
        services.indicator_create(by=world.user("coordinator"), group=world.group,
                                  name="Klotter", kind=Indicator.Kind.INCIDENT)  # fmt: skip
    assert _field(error.value) == "categories"
    counted = services.indicator_create(by=world.user("coordinator"), group=world.group,
                                        name="Klotter", kind=Indicator.Kind.INCIDENT,
                                        categories=f.categories())  # fmt: skip
    with pytest.raises(InputError) as error:
        services.indicator_value_save(indicator=counted, by=world.user("coordinator"),
                                      period_start=DAY, label="2025", value=3)  # fmt: skip
    assert "computed" in error.value.problems[0].en
    assert not IndicatorValue.objects.exists()


def test_a_period_value_is_replaced_and_the_change_audited(world):
    indicator = f.indicator(world)
    by = world.user("coordinator")
    first = services.indicator_value_save(indicator=indicator, by=by, period_start=DAY,
                                          label="2025", value=12.0, low=10.0, high=14.0)  # fmt: skip
    second = services.indicator_value_save(indicator=indicator, by=by, period_start=DAY,
                                           label="2025", value=13.0)  # fmt: skip
    assert first.pk == second.pk and IndicatorValue.objects.count() == 1
    row = IndicatorValue.objects.get()
    assert (row.value, row.low, row.high) == (13.0, None, None)
    entries = AuditEntry.objects.filter(object_type="steering.indicatorvalue").order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    with pytest.raises(InputError) as error:
        services.indicator_value_save(indicator=indicator, by=by, period_start=DAY, label="2025",
                                      value=13.0, high=12.0)  # fmt: skip
    assert _field(error.value) == "low"
    assert IndicatorValue.objects.get().value == 13.0
