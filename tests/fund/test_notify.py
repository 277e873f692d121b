"""The applicant is told by e-mail when the fund decides or asks for completion, only
after the change has committed, in Swedish and English."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.fund import factories as f
from tryggnav.fund import services
from tryggnav.fund.models import Application
from tryggnav.lib.errors import InputError

pytestmark = pytest.mark.django_db(transaction=True)


def _decide(world, app, **kw):
    return services.decision_make(application=app, by=world.user("coordinator"), **kw)


def test_a_decision_mails_the_applicant_with_outcome_amount_and_link(world):
    app = f.application(world, Application.State.SUBMITTED)
    mail.outbox.clear()
    _decide(world, app, outcome="partial", amount=45_000, conditions="Rapport i juni.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [app.created_by.email]
    assert app.title in message.subject
    assert "Beviljas delvis, med villkor" in message.body
    assert "Granted in part, with conditions" in message.body
    assert "45\u00a0000\u00a0kr" in message.body
    assert "Rapport i juni." in message.body
    assert app.get_absolute_url() in message.body


def test_a_refused_decision_over_budget_sends_nothing(world):
    app = f.application(world, Application.State.SUBMITTED)
    mail.outbox.clear()
    with pytest.raises(InputError):
        _decide(world, app, outcome="full", amount=f.BUDGET + 1)
    assert mail.outbox == []


def test_a_completion_request_mails_the_note(world):
    app = f.application(world, Application.State.SUBMITTED)
    mail.outbox.clear()
    services.application_request_completion(
        application=app, by=world.user("coordinator"), note="Bifoga en tidplan."
    )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Bifoga en tidplan." in body
    assert "ber om komplettering" in body and "asks for" in body


def test_an_applicant_without_an_active_account_gets_no_mail(world):
    app = f.application(world, Application.State.SUBMITTED)
    app.created_by.is_active = False
    app.created_by.save()
    mail.outbox.clear()
    _decide(world, app, outcome="refused", reason="Ligger utanför utlysningen.")
    assert mail.outbox == []


def test_tell_false_records_the_decision_without_mail(world):
    app = f.application(world, Application.State.SUBMITTED)
    mail.outbox.clear()
    _decide(world, app, outcome="refused", reason="Utanför.", tell=False)
    assert mail.outbox == []
    assert app.decision.outcome == "refused"
