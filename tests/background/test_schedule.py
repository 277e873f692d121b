"""`tryggnav run_scheduled`: what is due is enqueued once, its outcome kept (immediate backend)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tryggnav.background import schedule
from tryggnav.background.models import ScheduledRun
from tryggnav.incidents.management.commands import fetch_police

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))  # winter time


def _at(hour: int, minute: int = 0, day: int = 7) -> datetime.datetime:
    # In the past: a run finishes (at the real time) after it was enqueued.
    return datetime.datetime(2025, 12, day, hour, minute, tzinfo=STOCKHOLM)


def _run_scheduled() -> str:
    out = io.StringIO()
    call_command("run_scheduled", stdout=out)
    return out.getvalue()


@pytest.fixture
def no_feed(monkeypatch, settings):
    settings.TRYGGNAV_POLICE_LOCATIONS = ["Stockholm"]
    settings.TRYGGNAV_POLICE_FETCH_MINUTES = 15
    calls = []

    def offline(url):
        calls.append(url)
        raise OSError("no network in tests")

    monkeypatch.setattr(fetch_police, "fetch_feed", offline)
    return calls


def test_each_due_job_runs_once_and_its_outcome_is_kept(db, no_feed):
    first = _run_scheduled()
    assert "fetch_police: köad / enqueued" in first
    assert "rollup_check: köad / enqueued" in first or timezone.localtime().hour < 3
    assert no_feed == ["https://polisen.se/api/events?locationname=Stockholm"]
    police = ScheduledRun.objects.get(name="fetch_police")
    assert police.succeeded is False and "no network in tests" in police.output
    assert police.task_id and police.finished >= police.enqueued
    # Run again at once: nothing is due, nothing is fetched again.
    second = _run_scheduled()
    assert "fetch_police: inte dags / not due" in second
    assert len(no_feed) == 1


def test_the_police_feed_is_fetched_every_n_minutes_only_when_configured(db, settings, no_feed):
    now = _at(10, 0)
    assert schedule.scheduled_enqueue_due(now)["fetch_police"] == "enqueued"
    assert schedule.scheduled_enqueue_due(now + datetime.timedelta(minutes=14))["fetch_police"] == (
        "not due"
    )
    # Cron is a few seconds early at the quarter: still due.
    later = now + datetime.timedelta(minutes=15, seconds=-3)
    assert schedule.scheduled_enqueue_due(later)["fetch_police"] == "enqueued"
    assert len(no_feed) == 2
    settings.TRYGGNAV_POLICE_FETCH_MINUTES = 0
    assert "fetch_police" not in schedule.scheduled_enqueue_due(now + datetime.timedelta(hours=1))
    settings.TRYGGNAV_POLICE_FETCH_MINUTES = 15
    settings.TRYGGNAV_POLICE_LOCATIONS = []
    assert "fetch_police" not in schedule.scheduled_enqueue_due(now + datetime.timedelta(hours=1))


def test_the_nightly_jobs_run_once_a_night_from_their_hour(db, settings):
    settings.TRYGGNAV_POLICE_LOCATIONS = []
    settings.TRYGGNAV_NOTIFY_MINUTES = 0
    settings.TRYGGNAV_NIGHTLY_HOUR = 3
    assert schedule.scheduled_enqueue_due(_at(2, 59)) == {
        "rollup_check": "not due",
        "retention": "not due",
        "deficiency_reminders": "not due",
        "citizen_followup": "not due",
        "check_reminders": "not due",
    }
    assert schedule.scheduled_enqueue_due(_at(3, 0))["rollup_check"] == "enqueued"
    check = ScheduledRun.objects.get(name="rollup_check")
    assert check.succeeded is True and "celler skiljer sig" in check.output
    assert ScheduledRun.objects.get(name="retention").succeeded is True
    assert schedule.scheduled_enqueue_due(_at(23, 59))["rollup_check"] == "not due"
    assert schedule.scheduled_enqueue_due(_at(3, 0, day=8))["rollup_check"] == "enqueued"


def test_a_run_not_yet_finished_is_not_enqueued_again_unless_lost(db, no_feed):
    now = _at(10, 0)
    ScheduledRun.objects.create(name="fetch_police", enqueued=now)  # the worker has not run it
    assert schedule.scheduled_enqueue_due(now + datetime.timedelta(minutes=15))["fetch_police"] == (
        "pending"
    )
    assert no_feed == []
    lost = now + schedule.STUCK
    assert schedule.scheduled_enqueue_due(lost)["fetch_police"] == "enqueued"
    assert ScheduledRun.objects.get(name="fetch_police").enqueued == lost
    assert len(no_feed) == 1


def test_the_notifications_job_is_enqueued_every_n_minutes_and_runs(db, settings):
    settings.TRYGGNAV_POLICE_LOCATIONS = []
    settings.TRYGGNAV_NOTIFY_MINUTES = 10
    now = _at(10, 0)
    assert schedule.scheduled_enqueue_due(now)["notifications"] == "enqueued"
    run = ScheduledRun.objects.get(name="notifications")
    assert run.succeeded is True and "created" in run.output
    later = now + datetime.timedelta(minutes=5)
    assert schedule.scheduled_enqueue_due(later)["notifications"] == "not due"
