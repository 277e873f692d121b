"""The fund's rules through its services: states, SMART, budget, money figures, audit."""

from __future__ import annotations

import datetime

import pytest

from tests.fund import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.fund import services
from tryggnav.fund.models import Application, BudgetLine, Decision, Fund, fund_figures
from tryggnav.lib.errors import Conflict, InputError

pytestmark = pytest.mark.django_db


def _text(error: Exception) -> str:
    return str(error).replace("\xa0", " ")


def _fields(problem: InputError) -> set[str]:
    return {p.field for p in problem.problems}


def test_the_whole_way_keeps_the_figures_consistent(world):
    app = f.application(world, Application.State.DECIDED)
    fund = app.fund
    figures = fund_figures(fund)
    assert (figures.budget, figures.granted, figures.paid, figures.remaining) == (
        f.BUDGET,
        100_000,
        0,
        f.BUDGET - 100_000,
    )
    decision = app.decision
    services.payment_make(
        decision=decision, by=world.user("coordinator"), amount=60_000, paid_on=f.today()
    )
    services.payment_make(
        decision=decision, by=world.user("coordinator"), amount=40_000, paid_on=f.today()
    )
    with pytest.raises(InputError) as error:
        services.payment_make(
            decision=decision, by=world.user("coordinator"), amount=1, paid_on=f.today()
        )
    assert "återstår att betala ut (0 kr)" in _text(error.value)
    services.final_report_submit(
        application=app,
        by=world.user("reporter"),
        done="Vandrat.",
        spent=85_000,
        indicator_value=22.0,
        indicator_date=f.today(),
    )
    figures = fund_figures(fund)
    assert figures.granted == 85_000 and figures.returned == 15_000 and figures.paid == 100_000
    assert figures.remaining == f.BUDGET - 85_000
    assert Application.objects.get(pk=app.pk).state == Application.State.REPORTED


def test_every_state_change_is_audited_with_old_and_new(world):
    app = f.application(world, Application.State.SUBMITTED)
    entry = AuditEntry.objects.filter(object_id=str(app.public_id), note="Inskickad").get()
    assert entry.changes["state"] == ["draft", "submitted"]
    services.application_withdraw(application=app, by=world.user("reporter"))
    entry = AuditEntry.objects.filter(object_id=str(app.public_id), note="Återkallad").get()
    assert entry.changes["state"] == ["submitted", "withdrawn"]


def test_budget_change_is_audited_and_never_below_granted(world):
    app = f.application(world, Application.State.DECIDED)
    fund = app.fund
    services.fund_budget_update(fund=fund, by=world.user("coordinator"), budget=500_000)
    entry = AuditEntry.objects.filter(object_id=str(fund.public_id), action="update").get()
    assert entry.changes["budget"] == [f.BUDGET, 500_000]
    with pytest.raises(InputError) as error:
        services.fund_budget_update(fund=fund, by=world.user("coordinator"), budget=99_999)
    assert "redan är beviljat (100 000 kr)" in _text(error.value)
    assert Fund.objects.get(pk=fund.pk).budget == 500_000


def test_a_decision_beyond_the_remaining_budget_is_refused_with_the_reason(world):
    fund = f.fund(world, budget=150_000)
    first = f.application(world, title="Första")
    second = f.application(world, title="Andra")
    f.decide(world, first)
    with pytest.raises(InputError) as error:
        f.decide(world, second)
    assert _fields(error.value) == {"amount"}
    assert "återstår 50 000 kr" in _text(error.value)
    assert not Decision.objects.filter(application=second).exists()
    assert Application.objects.get(pk=second.pk).state == Application.State.SUBMITTED
    partial = f.decide(world, second, amount=50_000)
    assert partial.outcome == Decision.Outcome.PARTIAL and fund_figures(fund).remaining == 0


def test_deciding_twice_names_who_decided(world):
    app = f.application(world, Application.State.DECIDED)
    with pytest.raises(Conflict) as error:
        f.decide(world, app)
    assert "redan beslutad av Cecilia Samordnare kl." in _text(error.value)


def test_refusal_needs_a_reason_and_partial_needs_conditions(world):
    app = f.application(world)
    by = world.user("coordinator")
    with pytest.raises(InputError) as error:
        services.decision_make(application=app, by=by, outcome="refused")
    assert _fields(error.value) == {"reason"}
    with pytest.raises(InputError) as error:
        services.decision_make(application=app, by=by, outcome="partial", amount=5_000)
    assert _fields(error.value) == {"conditions"}
    with pytest.raises(InputError) as error:
        services.decision_make(application=app, by=by, outcome="full", amount=-5)
    assert _fields(error.value) == {"amount"}
    decision = services.decision_make(application=app, by=by, outcome="refused", reason="Utanför.")
    assert decision.amount == 0


def test_bad_application_is_refused_whole_and_nothing_is_saved(world):
    call = f.call(world)
    before = (Application.objects.count(), BudgetLine.objects.count())
    bad = f.fields(
        world,
        starts=call.project_starts - datetime.timedelta(days=1),
        target_value=30.0,
        budget_lines=[("Lampor", 0)],
        prevention_type="trygghet",
    )
    with pytest.raises(InputError) as error:
        services.application_save(
            by=world.user("reporter"), call=call, organisation=world.partner, **bad
        )
    assert {"starts", "target_value", "amount", "prevention_type"} <= _fields(error.value)
    assert "utanför utlysningens projektperiod" in _text(error.value)
    assert (Application.objects.count(), BudgetLine.objects.count()) == before


def test_applying_for_more_than_remains_is_refused(world):
    call = f.call(world)
    with pytest.raises(InputError) as error:
        services.application_save(
            by=world.user("reporter"),
            call=call,
            organisation=world.partner,
            **f.fields(world, budget_lines=[("Kameror", f.BUDGET + 1)]),
        )
    assert _fields(error.value) == {"budget"}


def test_submitting_needs_smart_goal_attachments_and_democracy(world):
    app = services.application_save(
        by=world.user("reporter"),
        call=f.call(world),
        organisation=world.partner,
        **f.fields(world, indicator="", democracy_confirmed=False, perspective_hbtq=""),
    )
    with pytest.raises(InputError) as error:
        services.application_submit(application=app, by=world.user("reporter"))
    assert {"indicator", "democracy_confirmed", "attachments", "perspective_hbtq"} == _fields(
        error.value
    )
    assert Application.objects.get(pk=app.pk).state == Application.State.DRAFT


def test_an_ineligible_kind_of_organisation_may_not_apply(world):
    world.partner.kind = "forening"
    world.partner.save()
    with pytest.raises(InputError) as error:
        f.application(world, Application.State.DRAFT)
    assert _fields(error.value) == {"organisation"}


def test_completion_request_lets_the_applicant_edit_and_resubmit(world):
    app = f.application(world)
    with pytest.raises(InputError):
        services.application_save(
            by=world.user("reporter"),
            call=app.call,
            organisation=world.partner,
            application=app,
            **f.fields(world),
        )
    services.application_request_completion(
        application=app, by=world.user("coordinator"), note="Bifoga ritning."
    )
    services.application_save(
        by=world.user("reporter"),
        call=app.call,
        organisation=world.partner,
        application=app,
        **f.fields(world, title="Ny titel"),
    )
    app = services.application_submit(application=app, by=world.user("reporter"))
    assert app.state == Application.State.SUBMITTED and app.title == "Ny titel"


def test_a_declared_conflict_removes_the_assessor_and_their_scores(world):
    item = f.assessment(world)
    criteria = list(item.application.call.criteria.all())
    services.assessment_score(
        assessment=item, by=world.user("admin"), scores={c.pk: (4, "Bra") for c in criteria}
    )
    assert item.scores.count() == 3
    services.assessment_declare_conflict(assessment=item, by=world.user("admin"), note="Styrelse")
    item.refresh_from_db()
    assert item.conflict and item.scores.count() == 0
    with pytest.raises(Conflict):
        services.assessment_score(
            assessment=item, by=world.user("admin"), scores={c.pk: (4, "") for c in criteria}
        )


def test_scores_out_of_range_name_the_criterion(world):
    item = f.assessment(world)
    criteria = list(item.application.call.criteria.all())
    with pytest.raises(InputError) as error:
        services.assessment_score(
            assessment=item, by=world.user("admin"), scores={c.pk: (6, "") for c in criteria}
        )
    assert f"score_{criteria[0].pk}" in _fields(error.value)
    assert item.scores.count() == 0


def test_an_administrator_who_declared_a_conflict_cannot_decide(world):
    app = f.application(world)
    item = services.assessment_assign(
        application=app, by=world.user("coordinator"), assessor=world.user("coordinator")
    )
    services.assessment_declare_conflict(assessment=item, by=world.user("coordinator"), note="Jäv")
    with pytest.raises(InputError) as error:
        f.decide(world, app)
    assert "anmält jäv" in _text(error.value)
    assert f.decide_as(world, app, "admin").amount == 100_000
