"""The retention policy's bounds and audit, calendar months back from a moment, and
finding a person by e-mail, username or id."""

from __future__ import annotations

import datetime

import pytest

from tryggnav.audit.models import AuditEntry
from tryggnav.lib.errors import InputError
from tryggnav.privacy import services
from tryggnav.privacy.models import RetentionPolicy


@pytest.mark.parametrize(
    "moment, months, expected",
    [
        (datetime.datetime(2026, 3, 15, 8, 30), 1, datetime.datetime(2026, 2, 15, 8, 30)),
        (datetime.datetime(2026, 3, 31, 23, 59), 1, datetime.datetime(2026, 2, 28, 23, 59)),
        (datetime.datetime(2024, 3, 31), 1, datetime.datetime(2024, 2, 29)),
        (datetime.datetime(2026, 1, 10), 1, datetime.datetime(2025, 12, 10)),
        (datetime.datetime(2026, 1, 10), 13, datetime.datetime(2024, 12, 10)),
        (datetime.datetime(2026, 5, 31), 24, datetime.datetime(2024, 5, 31)),
    ],
)
def test_months_before_counts_calendar_months_and_clamps_to_the_months_end(
    moment, months, expected
):
    assert services.months_before(moment, months) == expected


def test_months_before_keeps_the_time_zone():
    moment = datetime.datetime(2026, 3, 29, 12, tzinfo=datetime.UTC)
    assert services.months_before(moment, 1).tzinfo is datetime.UTC


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("text_months", 0), ("text_months", -3),
                                          ("photo_months", services.MAX_MONTHS + 1)])  # fmt: skip
def test_a_policy_outside_the_bounds_names_its_field(world, field, value):
    kwargs = {"text_months": 12, "photo_months": 6, field: value}
    with pytest.raises(InputError) as error:
        services.retention_policy_update(organisation=world.lead, by=world.user("admin"), **kwargs)
    (problem,) = error.value.problems
    assert problem.field == field and str(services.MAX_MONTHS) in problem.en
    assert not RetentionPolicy.objects.exists()


@pytest.mark.django_db
def test_a_policy_is_created_then_changed_and_both_are_audited(world):
    by = world.user("admin")
    policy = services.retention_policy_update(organisation=world.lead, by=by, text_months=24,
                                              photo_months=None)  # fmt: skip
    again = services.retention_policy_update(organisation=world.lead, by=by, text_months=12,
                                             photo_months=services.MAX_MONTHS)  # fmt: skip
    assert again.pk == policy.pk
    stored = RetentionPolicy.objects.get()
    assert (stored.text_months, stored.photo_months) == (12, services.MAX_MONTHS)
    entries = AuditEntry.objects.filter(object_type="privacy.retentionpolicy").order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["text_months"] == [24, 12]
    assert all(e.organisation == world.lead for e in entries)


@pytest.mark.django_db
def test_a_person_is_found_by_email_in_any_case_by_username_or_by_id(world):
    reader = world.user("reader")
    assert services.person_find(" READER@sdf.example ") == reader
    assert services.person_find(reader.username) == reader
    assert services.person_find(str(reader.pk)) == reader


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", ["", "   ", "nobody@example.org", "999999"])
def test_an_unknown_person_is_named_in_both_languages(world, identifier):
    with pytest.raises(InputError) as error:
        services.person_find(identifier)
    (problem,) = error.value.problems
    assert problem.field == "user"
    assert repr(identifier.strip()) in problem.sv and repr(identifier.strip()) in problem.en
