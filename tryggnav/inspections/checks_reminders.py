"""Reminders of scheduled checks to the unit that performs them: once when a check's
due date is ``BEFORE_DAYS`` days ahead or nearer and it is not signed, and once the day
after the due date passed unsigned. A ``CheckReminder`` row per schedule, period and
kind is claimed before the mail goes, under a unique constraint, so no reminder goes
twice (not even from two runs at once). Generated demo objects mail no one. Run
nightly by ``tryggnav run_scheduled`` (job ``check_reminders``)."""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from tryggnav.background.schedule import Job
from tryggnav.inspections import checklists
from tryggnav.inspections.checks_models import CheckReminder, CheckSchedule, Inspection
from tryggnav.organisations.models import Membership, Role

BEFORE_DAYS = 14
logger = logging.getLogger(__name__)


def reminders_job() -> Job | None:
    return Job("check_reminders", "remind_checks", nightly_hour=settings.TRYGGNAV_NIGHTLY_HOUR)


def _wanted(schedule: CheckSchedule, today: datetime.date) -> list[tuple[checklists.Period, str]]:
    anchor, interval = schedule.anchor, schedule.interval_months
    current = checklists.period_of(anchor, interval, today)
    previous = checklists.period_of(anchor, interval, current.start - datetime.timedelta(days=1))
    out = []
    if current.start >= anchor and current.due - datetime.timedelta(days=BEFORE_DAYS) <= today:
        out.append((current, "fore"))
    if previous.start >= anchor:
        out.append((previous, "efter"))
    return out


def _claim(schedule: CheckSchedule, period: checklists.Period, kind: str) -> bool:
    try:
        with transaction.atomic():
            CheckReminder.objects.create(schedule=schedule, period_start=period.start, kind=kind)
    except IntegrityError:
        return False
    return True


def unit_addresses(unit_id: int) -> list[str]:
    roles = [r.value for r in Role if Role.at_least(r.value, Role.REPORTER)]
    return sorted(set(
        Membership.objects.filter(organisation_id=unit_id, deactivated__isnull=True, role__in=roles)
        .exclude(user__email="").values_list("user__email", flat=True)
    ))  # fmt: skip


def _line(schedule: CheckSchedule, period: checklists.Period, kind: str) -> str:
    link = settings.SITE_URL.rstrip("/") + schedule.object.get_absolute_url()
    late = " (försenad / overdue)" if kind == "efter" else ""
    return (
        f"- {period.due:%Y-%m-%d}{late}: {schedule.object.name}, {schedule.template.name}\n  {link}"
    )


def due_reminders(today: datetime.date) -> dict[int, list[str]]:
    """Claim the reminders due today; unit id → the lines of its mail."""
    schedules = CheckSchedule.objects.filter(active=True, object__is_demo=False, anchor__lte=today)
    signed = set(
        Inspection.objects.filter(schedule__in=schedules, state=Inspection.State.SIGNED)
        .values_list("schedule_id", "period_start")
    )  # fmt: skip
    lines: dict[int, list[str]] = defaultdict(list)
    for schedule in schedules.select_related("object", "template"):
        for period, kind in _wanted(schedule, today):
            if (schedule.pk, period.start) in signed or not _claim(schedule, period, kind):
                continue
            lines[schedule.object.unit_id].append(_line(schedule, period, kind))
    return lines


def reminders_send(*, today: datetime.date) -> int:
    """Send the day's reminders, one mail per unit; the number of mails sent."""
    sent = 0
    for unit_id, lines in due_reminders(today).items():
        addresses = unit_addresses(unit_id)
        if not addresses:
            continue
        body = "Påminnelse: kontroller att göra / Reminder: checks to do\n\n" + "\n".join(lines)
        try:
            send_mail("Påminnelse om kontroller / Check reminder", body, None, addresses)
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not e-mail a unit about its checks")
            continue
        sent += 1
    return sent
