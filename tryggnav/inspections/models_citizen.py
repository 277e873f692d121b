"""Citizens' reports of unsafe places and faults, before and after moderation.

A report comes in through the public form or Open311 without an account. It waits
for the municipality's moderator; approved, it becomes a routed ``Deficiency`` and
its moderated public text is what the public map and Open311 show; rejected, it goes
no further. The reporter follows it on a status page whose token only its SHA-256 is
kept of. An e-mail address, when given, is used for nothing but telling the reporter
what happened, and is erased ``CITIZEN_EMAIL_DAYS`` after the case closed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tryggnav.inspections.models import Category, Deficiency


def _photo_path(instance: models.Model, filename: str) -> str:
    return f"citizen/{uuid.uuid4().hex}.jpg"


class Moderation(models.TextChoices):
    PENDING = "vantar", _("Väntar på granskning")
    APPROVED = "godkand", _("Godkänd")
    REJECTED = "avvisad", _("Avvisad")


class CitizenReport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    # The reporter's text with personal data masked; the original is never stored.
    text = models.TextField(_("beskrivning"))
    lat = models.FloatField(_("latitud"))
    lon = models.FloatField(_("longitud"))
    photo = models.ImageField(_("foto"), upload_to=_photo_path, blank=True)
    # Only for telling the reporter what happened; erased after the case closed.
    email = models.EmailField(_("e-post"), blank=True)
    token_digest = models.CharField(max_length=64, unique=True)
    # The form's one-time key: the same form sent twice is one report.
    form_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    via = models.CharField(max_length=10, default="webb")  # "webb" or "open311"
    moderation = models.CharField(
        _("granskning"), max_length=8, choices=Moderation.choices, default=Moderation.PENDING
    )
    public_title = models.CharField(_("publik rubrik"), max_length=200, blank=True)
    public_text = models.TextField(_("publik text"), blank=True)
    reject_reason = models.CharField(_("skäl"), max_length=500, blank=True)
    moderated = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deficiency = models.OneToOneField(
        Deficiency, on_delete=models.SET_NULL, null=True, blank=True, related_name="citizen_report"
    )
    # The last status the reporter was told of by e-mail.
    told_status = models.CharField(max_length=10, blank=True)
    created = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demodata"), default=False)

    audit_masked_fields = ("text", "public_text", "email")

    class Meta:
        ordering = ["-created", "pk"]
        verbose_name = _("medborgarrapport")
        verbose_name_plural = _("medborgarrapporter")
        indexes = [models.Index(fields=["municipality", "moderation", "created"])]

    def __str__(self) -> str:
        return self.public_title or self.get_category_display()


class CitizenThrottle(models.Model):
    """Reports counted per client address or per e-mail (its SHA-256) in a window;
    ``citizen.throttle_count`` raises the count under a row lock."""

    scope = models.CharField(max_length=10)
    key = models.CharField(max_length=100)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="citizen_throttle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.count}"
