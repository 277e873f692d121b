"""E-mail to an owner: a deficiency routed to it, or a link to answer without an account.
Bilingual (Swedish, then English), sent after the transaction commits. A mail server
that does not answer is logged and never undoes the change; generated demo
deficiencies mail no one."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from tryggnav.inspections.models import Deficiency
from tryggnav.organisations.models import Membership, Role

logger = logging.getLogger(__name__)


def _send_after_commit(subject: str, body: str, addresses: list[str]) -> None:
    def send() -> None:
        try:
            send_mail(subject, body, None, addresses)
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not e-mail the owner about a deficiency")

    transaction.on_commit(send)


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def owner_addresses(deficiency: Deficiency) -> list[str]:
    if deficiency.owner_id is None:
        return []
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id=deficiency.owner_id, deactivated__isnull=True,
                role__in=[r.value for r in Role if Role.at_least(r.value, Role.REPORTER)],
            ).exclude(user__email="").values_list("user__email", flat=True)
        )
    )  # fmt: skip


def _body(deficiency: Deficiency, link: str) -> str:
    return (
        f"En brist har förts till er: {deficiency.title} ({deficiency.get_category_display()}).\n"
        f"Åtgärdas senast {deficiency.due:%Y-%m-%d}.\n{link}\n\n"
        f"A deficiency has been routed to you: {deficiency.title} ({deficiency.category}).\n"
        f"Due {deficiency.due:%Y-%m-%d}.\n{link}\n"
    )


def routed(deficiency: Deficiency) -> None:
    """Tell the owner's reporters that a deficiency is theirs."""
    addresses = owner_addresses(deficiency)
    if not addresses or deficiency.is_demo:
        return
    body = _body(deficiency, _link(deficiency.get_absolute_url()))
    _send_after_commit("Ny brist att åtgärda / A new deficiency to fix", body, addresses)


def token_sent(deficiency: Deficiency, email: str, token: str) -> None:
    body = _body(deficiency, _link(reverse("inspections:answer", args=[token])))
    _send_after_commit("Brist att åtgärda / A deficiency to fix", body, [email])
