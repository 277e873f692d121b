"""Reminders to owners: a deficiency due within ``BEFORE_DAYS`` days is reminded once;
an overdue one every ``AFTER_DAYS`` days until it is fixed. One mail per owner and run,
listing its deficiencies. Run nightly by ``tryggnav run_scheduled``
(``remind_deficiencies``); running twice a day sends nothing twice."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q

from tryggnav.inspections.models import Deficiency
from tryggnav.inspections.notify import owner_addresses

BEFORE_DAYS = 3
AFTER_DAYS = 7


def due_for_reminder(today: datetime.date) -> list[Deficiency]:
    soon = Q(due__gt=today, due__lte=today + datetime.timedelta(days=BEFORE_DAYS)) & Q(
        reminded__isnull=True
    )
    # Overdue: the first time on the due date (a reminder before it does not count),
    # then every AFTER_DAYS days.
    late = Q(due__lte=today) & (
        Q(reminded__isnull=True)
        | Q(reminded__lt=F("due"))
        | Q(reminded__lte=today - datetime.timedelta(days=AFTER_DAYS))
    )
    return list(
        Deficiency.objects.open().filter(owner__isnull=False).filter(soon | late)
        .select_related("owner").order_by("owner_id", "due", "pk")
    )  # fmt: skip


def _line(d: Deficiency, today: datetime.date) -> str:
    late = " (försenad / overdue)" if d.due <= today else ""
    link = settings.SITE_URL.rstrip("/") + d.get_absolute_url()
    return f"- {d.due:%Y-%m-%d}{late}: {d.title}\n  {link}"


def reminders_send(*, today: datetime.date) -> int:
    """Send the day's reminders; the number of mails sent."""
    by_owner: dict[int, list[Deficiency]] = defaultdict(list)
    for d in due_for_reminder(today):
        by_owner[d.owner_id].append(d)  # type: ignore[index]
    sent = 0
    for deficiencies in by_owner.values():
        addresses = owner_addresses(deficiencies[0])
        if addresses:
            body = (
                "Påminnelse: brister att åtgärda / Reminder: deficiencies to fix\n\n"
                + "\n".join(_line(d, today) for d in deficiencies)
            )
            send_mail("Påminnelse om brister / Deficiency reminder", body, None, addresses)
            sent += 1
        Deficiency.objects.filter(pk__in=[d.pk for d in deficiencies]).update(reminded=today)
    return sent
