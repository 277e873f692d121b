"""Due and overdue statutory documents and missing contributions: on the coordinator's
start page and in the reminders, by the municipality's own dates."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.documents import factories as f
from tryggnav.documents import due, services
from tryggnav.notifications.collect import law_contributions, law_documents
from tryggnav.notifications.models import Kind


def _cycle(world, lagesbild_due: datetime.date, action_plan_due=None):
    return services.cycle_save(
        organisation=world.lead, next_lagesbild_due=lagesbild_due,
        next_action_plan_due=action_plan_due, remind_days=30, by=world.user("coordinator"),
    )  # fmt: skip


def test_nothing_is_due_without_the_municipalitys_dates(world):
    assert due.due_documents(world.lead, timezone.localdate()) == []


def test_due_and_overdue_by_the_setting_and_met_by_a_decision(world):
    today = timezone.localdate()
    _cycle(world, today + datetime.timedelta(days=10), today - datetime.timedelta(days=1))
    items = {d.kind: d.overdue for d in due.due_documents(world.lead, today)}
    assert items == {"lagesbild": False, "atgardsplan": True}
    f.decided(world)  # a lägesbild decided after the date was set meets it
    assert [d.kind for d in due.due_documents(world.lead, today)] == ["atgardsplan"]


def test_far_dates_are_not_yet_due(world):
    today = timezone.localdate()
    _cycle(world, today + datetime.timedelta(days=200))
    assert due.due_documents(world.lead, today) == []


def test_the_start_page_shows_due_items_and_missing_contributions(world):
    today = timezone.localdate()
    _cycle(world, today - datetime.timedelta(days=3))
    f.invited(world)
    html = world.client("coordinator").get(reverse("organisations:home")).content.decode()
    assert "Lagens lägesbild och åtgärdsplan" in html
    assert "försenad" in html and "Bidrag saknas från Testbostäder AB" in html
    party = world.client("reporter").get(reverse("organisations:home")).content.decode()
    assert "Ert bidrag till lägesbilden" in party
    reader = world.client("reader").get(reverse("organisations:home")).content.decode()
    assert "Bidrag saknas från" not in reader


def test_reminders_of_due_documents_and_missing_contributions(world):
    now = timezone.now()
    today = timezone.localdate()
    _cycle(world, today - datetime.timedelta(days=3))
    contribution = f.invited(world)
    contribution.due = today - datetime.timedelta(days=1)
    contribution.save()
    documents = list(law_documents(now))
    assert {d.recipient for d in documents} == {world.user("coordinator"), world.user("admin")}
    assert all(d.kind == Kind.LAW_DOCUMENT_DUE and d.params["overdue"] for d in documents)
    reminders = list(law_contributions(now))
    assert [(d.recipient, d.kind) for d in reminders] == [
        (world.user("reporter"), Kind.LAW_CONTRIBUTION)
    ]
    services.contribution_write(
        contribution=contribution, text="Klart", done=True, by=world.user("reporter")
    )
    assert list(law_contributions(now)) == []


def test_the_reminders_read_in_swedish_and_english(world):
    from django.utils import translation

    from tryggnav.notifications.messages import text
    from tryggnav.notifications.models import Notification

    notice = Notification(
        kind=Kind.LAW_DOCUMENT_DUE,
        params={"document": "Lägesbild", "organisation": "Huddinge kommun",
                "due": "2026-12-31", "overdue": True},
    )  # fmt: skip
    assert text(notice) == "Lägesbild för Huddinge kommun skulle ha beslutats 2026-12-31."
    with translation.override("en"):
        assert "Huddinge kommun" in text(notice) and "skulle" not in text(notice)
