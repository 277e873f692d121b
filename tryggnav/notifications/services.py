"""Writes of notifications: making them (once per recipient and key), mailing them at
once or as a daily digest, the coordinator's reminder, reading, and preferences."""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_create, audit_record, audit_update, snapshot
from tryggnav.incidents.coverage import group_week_coverage
from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lib.errors import InputError
from tryggnav.notifications.collect import Due, due_notifications, missing_report_notices
from tryggnav.notifications.messages import text
from tryggnav.notifications.models import Delivery, Kind, Notification, Preference
from tryggnav.organisations.models import CollaborationGroup, Organisation

log = logging.getLogger(__name__)


def preference_of(user: Any) -> Preference:
    """The user's preference, unsaved defaults when they never chose."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def notifications_create(dues: Iterable[Due]) -> list[Notification]:
    """Make the notifications not made before (per recipient and key), leaving out the
    kinds a recipient turned off. Running it again with the same dues makes nothing."""
    dues = list(dues)
    if not dues:
        return []
    recipients = {due.recipient.pk for due in dues}
    muted = {
        p.user_id: set(p.muted_kinds)
        for p in Preference.objects.filter(user_id__in=recipients).exclude(muted_kinds=[])
    }
    made = set(
        Notification.objects.filter(
            recipient_id__in=recipients, key__in={due.key for due in dues}
        ).values_list("recipient_id", "key")
    )
    new = []
    for due in dues:
        pair = (due.recipient.pk, due.key)
        if pair in made or due.kind in muted.get(due.recipient.pk, ()):
            continue
        made.add(pair)
        new.append(
            Notification(
                recipient=due.recipient,
                kind=due.kind,
                key=due.key,
                params=due.params,
                url=due.url,
            )
        )
    # A parallel run may have made one since: the unique constraint keeps it once.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return new


def _mail(user: Any, notifications: list[Notification]) -> None:
    site = settings.SITE_URL.rstrip("/")
    subjects, bodies = [], []
    # The reader's language is not known: the message is in Swedish, then English.
    for language in ("sv", "en"):
        with translation.override(language):
            subjects.append(_("Tryggnav: %(n)s nya notiser") % {"n": len(notifications)})
            lines = [
                f"- {text(n)}\n  {site}{n.url or reverse('notifications:list')}"
                for n in notifications
            ]
            lines.append(
                _("Välj vilka notiser du får och hur: %(url)s")
                % {"url": site + reverse("notifications:preferences")}
            )
            bodies.append("\n".join(lines))
    send_mail(" / ".join(subjects), "\n\n".join(bodies), None, [user.email])


def _mail_user(user: Any, now: datetime.datetime) -> bool:
    """Mail the user's unread, unmailed notifications in one message; marks them mailed
    in the same transaction, so a second run finds nothing and a failed send is retried."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(recipient=user, emailed_at__isnull=True, read_at__isnull=True)
            .order_by("created", "pk")
        )
        if not pending:
            return False
        try:
            _mail(user, pending)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("notification mail to user %s failed: %s", user.pk, error)
            return False
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
    return True


def _recipients(delivery_q: Q) -> list[Any]:
    from django.contrib.auth import get_user_model  # only here: the user model is swappable

    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            notifications__emailed_at__isnull=True,
            notifications__read_at__isnull=True,
        )
        .exclude(email="")
        .filter(delivery_q)
        .distinct()
        .order_by("pk")
    )


def mail_pending(now: datetime.datetime, *, users: Iterable[Any] | None = None) -> int:
    """E-mail people who want mail at once their new notifications; how many were mailed."""
    immediate = Q(notification_preference__isnull=True) | Q(
        notification_preference__delivery=Delivery.IMMEDIATE
    )
    if users is not None:
        immediate &= Q(pk__in=[u.pk for u in users])
    return sum(_mail_user(user, now) for user in _recipients(immediate))


def send_digests(now: datetime.datetime) -> int:
    """From the digest hour, once a day: one message with each digest reader's new notifications."""
    local = timezone.localtime(now)
    if local.hour < settings.TRYGGNAV_DIGEST_HOUR:
        return 0
    today = local.date()
    due = Q(notification_preference__delivery=Delivery.DIGEST) & (
        Q(notification_preference__last_digest__isnull=True)
        | Q(notification_preference__last_digest__lt=today)
    )
    sent = 0
    for user in _recipients(due):
        if _mail_user(user, now):
            Preference.objects.filter(user=user).update(last_digest=today)
            sent += 1
    return sent


def notifications_run(now: datetime.datetime | None = None) -> dict[str, int]:
    """What ``tryggnav send_notifications`` does: make what is due, then mail it."""
    now = now or timezone.now()
    made = notifications_create(due_notifications(now))
    return {
        "created": len(made),
        "mailed": mail_pending(now),
        "digests": send_digests(now),
    }


def reminder_send(
    *, group: CollaborationGroup, organisation: Organisation, week: IsoWeek, by: Any
) -> int:
    """The coordinator's "Påminn": remind ``organisation``'s reporters that nothing came
    from them in ``week``. Once per reporter and week (the scheduled reminder of the same
    week counts); audited. Returns how many were reminded."""
    coverage = group_week_coverage(group=group, year=week.year, week=week.week)
    if organisation.pk not in {row.organisation.pk for row in coverage.missing}:
        raise InputError.single(
            f"{organisation} saknas inte bland veckans rapportörer i {group} vecka {week}.",
            f"{organisation} is not missing among the weekly reporters of {group} in week {week}.",
            field="organisation",
        )
    dues = missing_report_notices(group, organisation, week)
    if not dues:
        raise InputError.single(
            f"Ingen i {organisation} har rollen rapportör.",
            f"Nobody in {organisation} has the reporter role.",
            field="organisation",
        )
    with transaction.atomic():
        made = notifications_create(dues)
        if not made:
            raise InputError.single(
                f"{organisation} är redan påmind om vecka {week}.",
                f"{organisation} has already been reminded about week {week}.",
                field="organisation",
            )
        audit_record(
            actor=by,
            action=AuditEntry.Action.OTHER,
            obj=group,
            organisation=group.lead_organisation,
            changes={"organisation": organisation.name, "week": str(week), "reminded": len(made)},
            note="Påminnelse om veckorapport",
        )
    mail_pending(timezone.now(), users=[n.recipient for n in made])
    return len(made)


def notification_open(*, notification: Notification) -> None:
    """Mark one of the reader's own notifications read (their view state, not audited)."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def notifications_read_all(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_update(*, user: Any, delivery: str, muted_kinds: list[str]) -> Preference:
    """Save which kinds the user wants and how; audited."""
    unknown = [k for k in muted_kinds if k not in Kind.values]
    if delivery not in Delivery.values or unknown:
        raise InputError.single(
            f"Okänt val: {delivery!r} {unknown}.",
            f"Unknown choice: {delivery!r} {unknown}.",
            field="delivery" if delivery not in Delivery.values else "muted_kinds",
        )
    with transaction.atomic():
        preference, created = Preference.objects.select_for_update().get_or_create(user=user)
        before = snapshot(preference)
        preference.delivery = delivery
        preference.muted_kinds = sorted(set(muted_kinds))
        preference.save()
        if created:
            audit_create(actor=user, obj=preference)
        else:
            audit_update(actor=user, obj=preference, before=before)
    return preference
