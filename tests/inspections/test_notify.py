"""Mail to a deficiency's owner never breaks the change that caused it, and generated
demo deficiencies mail no one."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.inspections import factories as f
from tryggnav.inspections import notify
from tryggnav.inspections.models import Deficiency

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mail_server_that_refuses_is_logged_and_the_deficiency_stays(world, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(notify, "send_mail", refuse)
    d = f.deficiency(world, title="Lampa vid porten")
    assert Deficiency.objects.filter(pk=d.pk).exists()
    assert "Could not e-mail the owner" in caplog.text


def test_generated_demo_deficiencies_mail_no_one(world):
    mail.outbox.clear()
    f.deficiency(world, title="Genererad brist", is_demo=True)
    assert mail.outbox == []
    f.deficiency(world, title="Riktig brist")
    assert [m.to for m in mail.outbox] == [["reporter@testbostader.example"]]
