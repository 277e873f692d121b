"""Notifications: made once per thing, mailed at once or as a digest, preferences,
the coordinator's reminder, and the scheduled job."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.incidents.conftest import ensure_categories, report
from tryggnav.audit.models import AuditEntry
from tryggnav.background.schedule import scheduled_jobs
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lagesbild import services as lagesbild_services
from tryggnav.lagesbild.models import Action, Meeting
from tryggnav.lib.errors import InputError
from tryggnav.notifications import services
from tryggnav.notifications.collect import report_deadline
from tryggnav.notifications.models import Delivery, Kind, Notification, Preference
from tryggnav.organisations.models import GroupMembership
from tryggnav.steering.models import Escalation, Problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet(world):
    """No weekly reporters: the tests of other kinds see no missing-report reminders."""
    GroupMembership.objects.update(reports_weekly=False)
    return world


def _kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def _meeting(world) -> Meeting:
    return Meeting.objects.create(group=world.group, iso_year=2026, iso_week=1)


def _action(world, *, due_in: int, assignee=None, organisation=None) -> Action:
    return lagesbild_services.action_create(
        meeting=_meeting(world) if not Meeting.objects.exists() else Meeting.objects.get(),
        by=world.users["coordinator"],
        what="Laga belysningen, ring 070-123 45 67",
        organisation=organisation or world.partner,
        due=timezone.localdate() + datetime.timedelta(days=due_in),
        assignee=assignee,
    )


def test_an_assigned_action_due_soon_is_told_once_and_mailed_once(quiet):
    world = quiet
    reporter = world.users["reporter"]
    _action(world, due_in=2, assignee=reporter)
    first = services.notifications_run()
    second = services.notifications_run()
    assert _kinds(reporter) == [Kind.ACTION_ASSIGNED, Kind.ACTION_DUE]
    assert first["created"] == 2 and second["created"] == 0
    assert first["mailed"] >= 1 and second["mailed"] == 0
    to_reporter = [m for m in mail.outbox if m.to == [reporter.email]]
    assert len(to_reporter) == 1
    body = to_reporter[0].body
    # Swedish, then English; the phone number in the action's text is masked.
    assert "ska vara klar senast" in body and "is due by" in body
    assert "070-123 45 67" not in body


def test_the_assignee_must_belong_to_the_responsible_organisation(quiet):
    world = quiet
    with pytest.raises(InputError) as error:
        _action(world, due_in=2, assignee=world.users["coordinator"])
    assert error.value.problems[0].field == "assignee"


def test_an_overdue_action_without_a_person_goes_to_the_organisations_coordinators(quiet):
    world = quiet
    _action(world, due_in=-1, organisation=world.lead)
    services.notifications_run()
    assert _kinds(world.users["coordinator"]) == [Kind.ACTION_OVERDUE]
    assert _kinds(world.users["admin"]) == [Kind.ACTION_OVERDUE]
    assert _kinds(world.users["reader"]) == []


def test_reports_waiting_for_review_and_escalations_reach_the_coordinators(quiet):
    world = quiet
    ensure_categories()
    report(world)
    problem = Problem.objects.create(group=world.group, title="Otrygg gångtunnel")
    Escalation.objects.create(problem=problem, step=3, obstacle="Ingen budget", raised_to="KS")
    services.notifications_run()
    assert _kinds(world.users["coordinator"]) == [Kind.ESCALATION, Kind.REVIEW]
    assert _kinds(world.users["reporter"]) == []
    review = Notification.objects.get(recipient=world.users["coordinator"], kind=Kind.REVIEW)
    assert review.params["count"] == 1


def test_missing_weekly_reporters_are_reminded_only_after_the_groups_deadline(world):
    GroupMembership.objects.filter(group=world.group).update(joined=datetime.date(2025, 1, 1))
    week = IsoWeek.of(timezone.localdate())
    deadline = report_deadline(world.group, week)
    services.notifications_run(deadline - datetime.timedelta(minutes=1))
    assert _kinds(world.users["reporter"]) == []
    services.notifications_run(deadline + datetime.timedelta(minutes=1))
    assert _kinds(world.users["reporter"]) == [Kind.MISSING_REPORT]


def test_muted_kinds_are_not_made_and_in_app_only_gets_no_mail(quiet):
    world = quiet
    reporter = world.users["reporter"]
    services.preference_update(
        user=reporter, delivery=Delivery.IN_APP, muted_kinds=[Kind.ACTION_DUE]
    )
    _action(world, due_in=1, assignee=reporter)
    services.notifications_run()
    assert _kinds(reporter) == [Kind.ACTION_ASSIGNED]
    assert not [m for m in mail.outbox if m.to == [reporter.email]]
    assert AuditEntry.objects.filter(object_type="notifications.preference").exists()


def test_the_daily_digest_comes_once_a_day_from_its_hour(quiet, settings):
    world = quiet
    settings.TRYGGNAV_DIGEST_HOUR = 7
    reporter = world.users["reporter"]
    services.preference_update(user=reporter, delivery=Delivery.DIGEST, muted_kinds=[])
    _action(world, due_in=1, assignee=reporter)
    day = timezone.localdate()
    early = timezone.make_aware(datetime.datetime.combine(day, datetime.time(6)))
    assert services.notifications_run(early)["digests"] == 0
    later = early + datetime.timedelta(hours=2)
    assert services.notifications_run(later)["digests"] == 1
    _action(world, due_in=-2, assignee=reporter)
    assert services.notifications_run(later + datetime.timedelta(hours=1))["digests"] == 0
    assert len([m for m in mail.outbox if m.to == [reporter.email]]) == 1
    assert Preference.objects.get(user=reporter).last_digest == day


def test_the_coordinators_reminder_goes_once_per_reporter_and_week_and_is_audited(world):
    GroupMembership.objects.filter(group=world.group).update(joined=datetime.date(2025, 1, 1))
    week = IsoWeek.last_completed()
    url = reverse("notifications:remind", args=[world.group.slug, world.partner.slug, str(week)])
    client = world.client("coordinator")
    assert client.post(url).status_code == 302
    assert _kinds(world.users["reporter"]) == [Kind.MISSING_REPORT]
    assert AuditEntry.objects.filter(note="Påminnelse om veckorapport").count() == 1
    response = client.post(url, follow=True)
    assert "redan påmind" in response.content.decode()
    assert Notification.objects.filter(recipient=world.users["reporter"]).count() == 1
    assert AuditEntry.objects.filter(note="Påminnelse om veckorapport").count() == 1
    home = client.get(reverse("organisations:home")).content.decode()
    assert "(påmind)" in home


def test_an_organisation_that_reported_cannot_be_reminded(world):
    GroupMembership.objects.filter(group=world.group).update(joined=datetime.date(2025, 1, 1))
    ensure_categories()
    report(world)
    week = IsoWeek.of(timezone.localdate())
    with pytest.raises(InputError):
        services.reminder_send(
            group=world.group, organisation=world.partner, week=week, by=world.users["admin"]
        )


def test_the_header_counts_unread_and_opening_marks_read(quiet):
    world = quiet
    reporter = world.users["reporter"]
    _action(world, due_in=1, assignee=reporter)
    services.notifications_run()
    client = world.client("reporter")
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<span class="badge">2<' in page
    notification = Notification.objects.filter(recipient=reporter).first()
    response = client.post(reverse("notifications:open", args=[notification.public_id]))
    assert response.status_code == 302 and response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=reporter, read_at__isnull=True).exists()


def test_the_english_interface_writes_the_notification_in_english(quiet):
    world = quiet
    reporter = world.users["reporter"]
    _action(world, due_in=1, assignee=reporter)
    services.notifications_run()
    client = world.client("reporter")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("notifications:list")).content.decode()
    assert "You are responsible for the action" in page


def test_run_scheduled_knows_the_notifications_job(settings):
    settings.TRYGGNAV_NOTIFY_MINUTES = 10
    assert "notifications" in [job.name for job in scheduled_jobs()]
    settings.TRYGGNAV_NOTIFY_MINUTES = 0
    assert "notifications" not in [job.name for job in scheduled_jobs()]
