"""Reporting coverage: who reported in a week, who did not, and the usual share."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.incidents.conftest import report
from tryggnav.incidents.coverage import group_week_coverage
from tryggnav.incidents.models import Incident
from tryggnav.organisations.models import GroupMembership, Organisation

pytestmark = pytest.mark.django_db

YEAR, WEEK = 2026, 40  # Monday 28 September 2026


def _filed(world, organisation, day: date, n=1):
    for _ in range(n):
        incident = report(
            world,
            persona="reporter" if organisation == world.partner else "coordinator",
            organisation=organisation,
        )
        moment = timezone.make_aware(datetime.combine(day, time(12)))
        Incident.objects.filter(pk=incident.pk).update(reported_at=moment, occurred_from=moment)


@pytest.fixture
def weekly(world, categories):
    security = Organisation.objects.create(name="Vakt AB", slug="vakt", kind="bevakningsforetag")
    school = Organisation.objects.create(name="Skolan", slug="skolan", kind="skola")
    GroupMembership.objects.create(group=world.group, organisation=security)
    GroupMembership.objects.create(group=world.group, organisation=school, reports_weekly=False)
    GroupMembership.objects.filter(group=world.group).update(joined=date(2025, 1, 1))
    monday = date.fromisocalendar(YEAR, WEEK, 1)
    # The previous 8 weeks: lead and partner reported every week, security half of them.
    for i in range(1, 9):
        week_day = monday - timedelta(weeks=i) + timedelta(days=2)
        _filed(world, world.lead, week_day)
        _filed(world, world.partner, week_day)
        if i % 2:
            _filed(world, security, week_day)
    # This week: only the partner reported (3 reports, one late on Sunday).
    _filed(world, world.partner, monday, n=2)
    _filed(world, world.partner, monday + timedelta(days=6))
    return security, school


def test_week_coverage_counts_and_missing(world, weekly):
    security, school = weekly
    coverage = group_week_coverage(group=world.group, year=YEAR, week=WEEK)
    by_slug = {r.organisation.slug: r for r in coverage.rows}
    assert by_slug["testbostader"].reports == 3
    assert {r.organisation.slug for r in coverage.missing} == {"sdf", "vakt"}
    assert not by_slug["skolan"].expected
    assert coverage.share_reporting == pytest.approx(1 / 3)
    # Previous weeks: 3 of 3 or 2 of 3 expected reported, alternating.
    assert len(coverage.previous_shares) == 8
    assert coverage.usual_share == pytest.approx((4 * 1 + 4 * 2 / 3) / 8)
    assert coverage.fewer_than_usual
    assert coverage.total_reports == 3


def test_organisations_that_joined_later_are_not_expected_earlier(world, weekly):
    security, _school = weekly
    GroupMembership.objects.filter(organisation=security).update(
        joined=date.fromisocalendar(YEAR, WEEK, 3)
    )
    coverage = group_week_coverage(group=world.group, year=YEAR, week=WEEK)
    assert coverage.previous_shares == [1.0] * 8


def test_coverage_page(world, weekly):
    response = world.client("reader").get(
        reverse("incidents:coverage", args=[world.group.slug]) + f"?vecka={YEAR}-W{WEEK}"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vakt AB" in body and "Ingen rapport" in body and "Färre rapportörer än vanligt" in body
    assert "33 %" in body
    assert "28 september–4 oktober 2026" in body  # Swedish month names, not "28 Sep"
    bad = world.client("reader").get(
        reverse("incidents:coverage", args=[world.group.slug]) + "?vecka=2026-W99"
    )
    assert bad.status_code == 200 and "Ogiltig vecka" in bad.content.decode()


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52", "2026-W00"])
def test_coverage_of_a_week_at_the_ends_of_the_calendar_shows_this_week(world, week):
    url = reverse("incidents:coverage", args=[world.group.slug])
    response = world.client("reader").get(url, {"vecka": week})
    assert response.status_code == 200 and "Ogiltig vecka" in response.content.decode()


def test_coverage_is_cached_until_a_report_is_filed(world, weekly):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = group_week_coverage(group=world.group, year=YEAR, week=WEEK)
    with CaptureQueriesContext(connection) as captured:
        again = group_week_coverage(group=world.group, year=YEAR, week=WEEK)
    assert not [q for q in captured if 'FROM "incidents_incident"' in q["sql"]]
    assert [r.reports for r in again.rows] == [r.reports for r in before.rows]
    # Filing a report through the service invalidates what was cached.
    report(world, persona="coordinator", organisation=world.lead)
    this_week = date.today().isocalendar()
    now = group_week_coverage(group=world.group, year=this_week[0], week=this_week[1])
    assert {r.organisation.slug: r.reports for r in now.rows}["sdf"] == 1
    _filed(world, world.lead, date.fromisocalendar(YEAR, WEEK, 3))
    after = group_week_coverage(group=world.group, year=YEAR, week=WEEK)
    assert {r.organisation.slug: r.reports for r in after.rows}["sdf"] == 1
