"""Reminders of checks: once before the due date, once after it passed unsigned, never
twice; none for a signed period or a generated demo object; run by run_scheduled."""

from __future__ import annotations

import datetime

from django.core import mail

from tests.checks import factories as f
from tryggnav.background.schedule import scheduled_jobs
from tryggnav.inspections import checks_services as services
from tryggnav.inspections.checks_models import CheckReminder
from tryggnav.inspections.checks_reminders import reminders_send

D = datetime.date


def test_before_and_after_once_each(world):
    f.premises(world)
    assert reminders_send(today=D(2026, 3, 10)) == 0  # 21 days ahead: not yet
    assert reminders_send(today=D(2026, 3, 20)) == 1
    assert mail.outbox[-1].to == [world.user("reporter").email]
    assert "2026-03-31" in mail.outbox[-1].body and "Vällingbyskolan" in mail.outbox[-1].body
    assert reminders_send(today=D(2026, 3, 20)) == 0
    assert reminders_send(today=D(2026, 3, 31)) == 0
    assert reminders_send(today=D(2026, 4, 1)) == 1
    assert "overdue" in mail.outbox[-1].body
    assert reminders_send(today=D(2026, 4, 2)) == 0
    assert reminders_send(today=D(2026, 5, 1)) == 0
    assert len(mail.outbox) == 2
    assert sorted(CheckReminder.objects.values_list("kind", flat=True)) == ["efter", "fore"]


def test_a_signed_period_and_a_demo_object_are_not_reminded(world):
    obj = f.premises(world)
    inspection = f.answer_all(world, f.inspection(world, obj, today=D(2026, 3, 1)))
    services.inspection_sign(by=world.user("reporter"), inspection=inspection)
    assert reminders_send(today=D(2026, 3, 20)) == 0
    assert reminders_send(today=D(2026, 4, 1)) == 0
    demo = f.premises(world, "Demohuset")
    demo.is_demo = True
    demo.save()
    assert reminders_send(today=D(2026, 6, 20)) == 1  # the real object only
    assert "Demohuset" not in mail.outbox[-1].body


def test_the_job_is_scheduled(world):
    assert "remind_checks" in [job.command for job in scheduled_jobs()]
