"""Notifications: what a person is told in the app (and by e-mail), and how they want it.

A notification is made once per recipient and *key* (the thing and its period, such
as an action's due date or a group's week): the unique constraint is what makes
``tryggnav send_notifications`` (and the "Påminn" button) idempotent.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MISSING_REPORT = "missing_report", _("Veckorapport saknas")
    ACTION_ASSIGNED = "action_assigned", _("Åtgärd tilldelad")
    ACTION_DUE = "action_due", _("Åtgärd snart ska vara klar")
    ACTION_OVERDUE = "action_overdue", _("Försenad åtgärd")
    REVIEW = "review", _("Rapporter väntar på granskning")
    ESCALATION = "escalation", _("Eskalering")
    FOLLOW_UP = "follow_up", _("Årlig uppföljning saknas")
    LAW_DOCUMENT_DUE = "law_document_due", _("Lägesbild eller åtgärdsplan ska beslutas")
    LAW_CONTRIBUTION = "law_contribution", _("Bidrag till lägesbilden saknas")


class Notification(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200)
    # The values the message is written from, in the reader's language (messages.py).
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-post direkt")
    DIGEST = "digest", _("E-post en gång om dagen (sammanfattning)")
    IN_APP = "in_app", _("Bara i Tryggnav, ingen e-post")


class Preference(models.Model):
    """A person's choice: which kinds they want, and whether by e-mail (at once or daily)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    muted_kinds = models.JSONField(_("avstängda typer"), default=list, blank=True)
    delivery = models.CharField(
        _("e-post"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    last_digest = models.DateField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.delivery}"

    def wants(self, kind: str) -> bool:
        return kind not in self.muted_kinds
