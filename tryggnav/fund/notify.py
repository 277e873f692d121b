"""Telling the applicant: an e-mail when the fund decides or asks for completion.

The message goes to the person who wrote the application, after the transaction that
made the change has committed (a rolled-back decision sends nothing). The recipient's
language is not stored, so the message is in Swedish, then English. A mail server that
does not answer never undoes the decision: the failure is logged.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tryggnav.fund.models import Application, Decision

logger = logging.getLogger(__name__)

DECISION_SUBJECT = gettext_noop("Beslut om din ansökan till trygghetsfonden: %(title)s")
COMPLETION_SUBJECT = gettext_noop("Trygghetsfonden ber om komplettering: %(title)s")


def _recipient(application: Application) -> str | None:
    user = application.created_by
    if user is None or not user.is_active or not user.email:
        return None
    return user.email


def _send(application: Application, subject: str, template: str, context: dict) -> None:
    address = _recipient(application)
    if address is None:
        return
    context = {
        **context,
        "application": application,
        "link": settings.SITE_URL.rstrip("/") + application.get_absolute_url(),
    }
    subjects, bodies = [], []
    for language in ("sv", "en"):
        with translation.override(language):
            subjects.append(_(subject) % {"title": application.title})
            bodies.append(render_to_string(template, context))

    def send() -> None:
        try:
            send_mail(" / ".join(subjects), "\n\n".join(bodies), None, [address])
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not e-mail the applicant of %s", application.public_id)

    transaction.on_commit(send)


def decision_made(decision: Decision) -> None:
    _send(
        decision.application,
        DECISION_SUBJECT,
        "fund/email_decision.txt",
        {"decision": decision},
    )


def completion_requested(application: Application) -> None:
    _send(
        application,
        COMPLETION_SUBJECT,
        "fund/email_completion.txt",
        {},
    )
