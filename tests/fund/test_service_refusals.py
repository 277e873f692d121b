"""The fund's services refuse what breaks its rules, name the field in Swedish and
English, and leave the database as it was: amounts, periods, states, payments and the
final report."""

from __future__ import annotations

import datetime

import pytest

from tests.fund import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.fund import services
from tryggnav.fund.models import (
    Application,
    Attachment,
    Call,
    Decision,
    FinalReport,
    Fund,
    FundRole,
    Payment,
    fund_figures,
)
from tryggnav.lib.errors import Conflict, InputError

pytestmark = pytest.mark.django_db


def _only_field(error: InputError) -> str:
    (problem,) = error.problems
    return problem.field


@pytest.mark.parametrize("budget", [0, -1, None, True, 12.5, "1000"])
def test_a_fund_needs_a_positive_whole_budget(world, budget):
    with pytest.raises(InputError) as error:
        services.fund_create(by=world.user("coordinator"), organisation=world.lead,
                             name="Fonden", year=2026, budget=budget)  # fmt: skip
    assert _only_field(error.value) == "budget"
    problem = error.value.problems[0]
    assert problem.sv.startswith("Budgeten") and problem.en.startswith("The budget")
    assert not Fund.objects.exists()


def test_an_organisation_without_a_home_municipality_has_no_fund(world):
    world.partner.municipality = None
    world.partner.save()
    with pytest.raises(InputError) as error:
        services.fund_create(by=world.user("coordinator"), organisation=world.partner,
                             name="Fonden", year=2026, budget=1000)  # fmt: skip
    assert _only_field(error.value) == "organisation"
    assert "home municipality" in error.value.problems[0].en
    assert not Fund.objects.exists()


def test_a_fund_is_created_in_its_organisations_municipality_and_audited(world):
    fund = services.fund_create(by=world.user("coordinator"), organisation=world.lead,
                                name="Fonden", year=2026, budget=5000)  # fmt: skip
    assert fund.municipality_id == world.lead.municipality_id
    entry = AuditEntry.objects.get(object_id=str(fund.public_id))
    assert entry.action == AuditEntry.Action.CREATE and entry.organisation == world.lead


def test_a_fund_role_is_added_once_and_audited_once(world):
    fund = f.fund(world)
    user = world.user("reader")
    first = services.fund_role_add(fund=fund, by=world.user("coordinator"), user=user,
                                   kind=FundRole.Kind.ASSESSOR)  # fmt: skip
    again = services.fund_role_add(fund=fund, by=world.user("coordinator"), user=user,
                                   kind=FundRole.Kind.ASSESSOR)  # fmt: skip
    assert first.pk == again.pk
    assert FundRole.objects.filter(fund=fund, user=user).count() == 1
    entries = AuditEntry.objects.filter(object_type="fund.fundrole", object_id=str(first.pk))
    assert entries.count() == 1


def test_a_call_whose_period_ends_before_it_starts_is_refused(world):
    fund = f.fund(world)
    day = f.today()
    with pytest.raises(InputError) as error:
        services.call_create(
            fund=fund, by=world.user("coordinator"), title="Baklänges", criteria=[("K", 1, "")],
            opens=day, closes=day - datetime.timedelta(days=1),
            project_starts=day, project_ends=day + datetime.timedelta(days=10),
        )  # fmt: skip
    assert _only_field(error.value) == "closes"
    with pytest.raises(InputError):
        services.call_create(
            fund=fund, by=world.user("coordinator"), title="Projekt baklänges", criteria=[("K", 1, "")],
            opens=day, closes=day, project_starts=day,
            project_ends=day - datetime.timedelta(days=1),
        )  # fmt: skip
    assert not Call.objects.filter(fund=fund).exists()


def test_a_call_with_a_criterion_of_weight_zero_is_not_half_written(world):
    fund = f.fund(world)
    day = f.today()
    with pytest.raises(InputError) as error:
        services.call_create(
            fund=fund, by=world.user("coordinator"), title="Noll", opens=day, closes=day,
            project_starts=day, project_ends=day,
            criteria=[("Bra", 2, ""), ("Ingen vikt", 0, "")],
        )  # fmt: skip
    assert _only_field(error.value) == "weight"
    assert not Call.objects.filter(fund=fund).exists()


def test_an_organisation_of_another_municipality_may_not_apply(world):
    world.other.kind = world.partner.kind
    world.other.save()
    with pytest.raises(InputError) as error:
        services.application_save(by=world.user("outsider"), call=f.call(world),
                                  organisation=world.other, **f.fields(world))  # fmt: skip
    assert _only_field(error.value) == "organisation"
    assert "another municipality" in error.value.problems[0].en


def test_end_before_start_and_negative_co_financing_are_both_named(world):
    day = f.today()
    data = f.fields(world, starts=day + datetime.timedelta(days=10), ends=day, co_financing=-1)
    with pytest.raises(InputError) as error:
        services.application_save(by=world.user("reporter"), call=f.call(world),
                                  organisation=world.partner, **data)  # fmt: skip
    fields = {p.field for p in error.value.problems}
    assert {"ends", "co_financing"} <= fields
    assert not Application.objects.exists()


def test_a_budget_line_without_a_description_names_its_row(world):
    data = f.fields(world, budget_lines=[("Lampor", 100), ("  ", 200)])
    with pytest.raises(InputError) as error:
        services.application_save(by=world.user("reporter"), call=f.call(world),
                                  organisation=world.partner, **data)  # fmt: skip
    (problem,) = error.value.problems
    assert (problem.row, problem.field) == (2, "item")


def test_changing_the_budget_lines_is_audited_with_old_and_new(world):
    app = f.application(world, Application.State.DRAFT)
    old = [(b.item, b.amount) for b in app.budget_lines.all()]
    new = [("Västar", 5_000)]
    services.application_save(by=world.user("reporter"), call=app.call, application=app,
                              organisation=world.partner,
                              **f.fields(world, title=app.title, budget_lines=new))  # fmt: skip
    app.refresh_from_db()
    assert app.requested == 5_000
    entry = AuditEntry.objects.filter(object_id=str(app.public_id), changes__has_key="budget_lines")
    assert [[list(x) for x in side] for side in entry.get().changes["budget_lines"]] == [
        [list(x) for x in old],
        [list(x) for x in new],
    ]


def test_a_draft_cannot_be_submitted_after_the_call_closed(world):
    app = f.application(world, Application.State.DRAFT)
    services.attachment_add(application=app, by=world.user("reporter"), label="Projektplan",
                            filename="plan.pdf", data=f.PDF)  # fmt: skip
    late = app.call.closes + datetime.timedelta(days=1)
    with pytest.raises(InputError) as error:
        services.application_submit(application=app, by=world.user("reporter"), today=late)
    assert str(app.call.closes) in error.value.problems[0].en
    assert Application.objects.get(pk=app.pk).state == Application.State.DRAFT
    submitted = services.application_submit(application=app, by=world.user("reporter"),
                                            today=app.call.closes)  # fmt: skip
    assert submitted.state == Application.State.SUBMITTED


def test_a_withdrawn_application_cannot_be_withdrawn_again_or_changed(world):
    app = f.application(world)
    services.application_withdraw(application=app, by=world.user("reporter"))
    with pytest.raises(Conflict) as error:
        services.application_withdraw(application=app, by=world.user("reporter"))
    assert error.value.problems[0].field == "state"
    with pytest.raises(Conflict):
        services.attachment_add(application=app, by=world.user("reporter"), label="Mer",
                                filename="mer.pdf", data=f.PDF)  # fmt: skip
    assert Application.objects.get(pk=app.pk).state == Application.State.WITHDRAWN


def test_a_completion_request_needs_a_note_and_a_submitted_application(world):
    app = f.application(world)
    with pytest.raises(InputError) as error:
        services.application_request_completion(application=app, by=world.user("coordinator"),
                                                note="   ")  # fmt: skip
    assert _only_field(error.value) == "note"
    draft = f.application(world, Application.State.DRAFT, title="Ett utkast")
    with pytest.raises(Conflict):
        services.application_request_completion(application=draft, by=world.user("coordinator"),
                                                note="Mer underlag")  # fmt: skip
    assert Application.objects.get(pk=app.pk).state == Application.State.SUBMITTED


def test_an_attachment_needs_a_label_and_an_allowed_type(world):
    app = f.application(world, Application.State.DRAFT)
    with pytest.raises(InputError) as error:
        services.attachment_add(application=app, by=world.user("reporter"), label=" ",
                                filename="plan.pdf", data=f.PDF)  # fmt: skip
    assert _only_field(error.value) == "label"
    with pytest.raises(InputError) as error:
        services.attachment_add(application=app, by=world.user("reporter"), label="Program",
                                filename="virus.pdf", data=b"MZ\x90\x00")  # fmt: skip
    assert error.value.problems[0].file == "virus.pdf"
    with pytest.raises(InputError):
        services.attachment_add(application=app, by=world.user("reporter"), label="Tom",
                                filename="tom.pdf", data=b"")  # fmt: skip
    docx = services.attachment_add(application=app, by=world.user("reporter"), label="Plan",
                                   filename="plan.docx", data=f.docx_bytes())  # fmt: skip
    assert docx.content_type.endswith("wordprocessingml.document")
    assert list(Attachment.objects.filter(application=app).values_list("label", flat=True)) == [
        "Plan"
    ]


def test_an_unknown_outcome_is_refused(world):
    app = f.application(world)
    with pytest.raises(InputError) as error:
        services.decision_make(application=app, by=world.user("coordinator"), outcome="maybe")
    assert _only_field(error.value) == "outcome"
    assert not Decision.objects.exists()


def test_a_refusal_with_an_amount_and_a_full_grant_of_another_amount_are_refused(world):
    app = f.application(world)
    by = world.user("coordinator")
    with pytest.raises(InputError) as error:
        services.decision_make(application=app, by=by, outcome="refused", amount=10, reason="Nej")
    assert _only_field(error.value) == "amount"
    with pytest.raises(InputError) as error:
        services.decision_make(application=app, by=by, outcome="full", amount=app.requested - 1)
    assert f"{app.requested:,}".replace(",", " ") in error.value.problems[0].en.replace("\xa0", " ")
    with pytest.raises(InputError):
        services.decision_make(application=app, by=by, outcome="partial",
                               amount=app.requested, conditions="Villkor")  # fmt: skip
    assert Application.objects.get(pk=app.pk).state == Application.State.SUBMITTED


def test_a_draft_cannot_be_decided(world):
    app = f.application(world, Application.State.DRAFT)
    with pytest.raises(Conflict):
        f.decide(world, app)
    assert not Decision.objects.exists()


def test_nothing_is_paid_on_a_refusal_nor_before_the_decision(world):
    app = f.application(world)
    refusal = services.decision_make(application=app, by=world.user("coordinator"),
                                     outcome="refused", reason="Utanför syftet")  # fmt: skip
    with pytest.raises(InputError) as error:
        services.payment_make(decision=refusal, by=world.user("coordinator"), amount=1,
                              paid_on=f.today())  # fmt: skip
    assert "refused" in error.value.problems[0].en
    granted = f.decide(world, f.application(world, title="Beviljad"))
    with pytest.raises(InputError) as error:
        services.payment_make(decision=granted, by=world.user("coordinator"), amount=1,
                              paid_on=granted.decided.date() - datetime.timedelta(days=1))  # fmt: skip
    assert _only_field(error.value) == "paid_on"
    with pytest.raises(InputError) as error:
        services.payment_make(decision=granted, by=world.user("coordinator"), amount=0,
                              paid_on=f.today())  # fmt: skip
    assert _only_field(error.value) == "amount"
    assert not Payment.objects.exists()


def test_a_final_report_is_refused_for_overspending_an_empty_text_or_a_refusal(world):
    app = f.application(world, Application.State.DECIDED)
    granted = app.decision.amount
    kwargs = {"by": world.user("reporter"), "indicator_value": 25.0, "indicator_date": f.today()}
    with pytest.raises(InputError) as error:
        services.final_report_submit(application=app, done="Klart", spent=granted + 1, **kwargs)
    assert _only_field(error.value) == "spent"
    with pytest.raises(InputError) as error:
        services.final_report_submit(application=app, done=" ", spent=1, **kwargs)
    assert _only_field(error.value) == "done"
    with pytest.raises(InputError):
        services.final_report_submit(application=app, done="Klart", spent=-1, **kwargs)
    refused = f.application(world, title="Avslagen")
    services.decision_make(application=refused, by=world.user("coordinator"), outcome="refused",
                           reason="Nej")  # fmt: skip
    with pytest.raises(InputError):
        services.final_report_submit(application=refused, done="Klart", spent=0, **kwargs)
    assert not FinalReport.objects.exists()
    assert Decision.objects.get(pk=app.decision.pk).returned == 0


def test_a_report_spending_nothing_returns_the_whole_grant(world):
    app = f.application(world, Application.State.DECIDED)
    fund = app.fund
    before = fund_figures(fund).remaining
    services.final_report_submit(application=app, by=world.user("reporter"), done="Inställt",
                                 spent=0, indicator_value=30.0, indicator_date=f.today())  # fmt: skip
    assert fund_figures(fund).remaining == before + app.decision.amount
    with pytest.raises(Conflict):
        services.final_report_submit(application=app, by=world.user("reporter"), done="Igen",
                                     spent=0, indicator_value=30.0, indicator_date=f.today())  # fmt: skip
    assert FinalReport.objects.filter(application=app).count() == 1
