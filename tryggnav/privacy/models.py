"""Retention policies per organisation and the record of each retention run.

Tryggnav keeps no register of persons, but incident texts and photos can still
hold personal data. Each organisation decides how long its reports keep their
free text and photos; ``tryggnav apply_retention`` (run by cron or a systemd
timer) applies every policy and records a ``RetentionRun`` per organisation.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# What anonymised free text is replaced by. Stored, so not translated.
ANONYMISED = "[anonymiserad]"


class RetentionPolicy(models.Model):
    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="retention_policy",
        verbose_name=_("organisation"),
    )
    text_months = models.PositiveSmallIntegerField(
        _("anonymisera fritext efter (månader)"),
        null=True,
        blank=True,
        help_text=_("Räknat från när rapporten kom in. Tomt: fritexten behålls."),
    )
    photo_months = models.PositiveSmallIntegerField(
        _("radera foton efter (månader)"),
        null=True,
        blank=True,
        help_text=_("Räknat från när fotot laddades upp. Tomt: fotona behålls."),
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gallringspolicy")
        verbose_name_plural = _("gallringspolicyer")
        constraints = [
            models.CheckConstraint(
                condition=(Q(text_months__isnull=True) | Q(text_months__gte=1))
                & (Q(photo_months__isnull=True) | Q(photo_months__gte=1)),
                name="retention_months_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Gallring {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.text_months is not None or self.photo_months is not None


class RetentionRun(models.Model):
    """One organisation's part of one run of ``apply_retention``: the policy then, the counts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="retention_runs",
        verbose_name=_("organisation"),
    )
    at = models.DateTimeField(_("tid"), auto_now_add=True, db_index=True)
    text_months = models.PositiveSmallIntegerField(null=True, blank=True)
    photo_months = models.PositiveSmallIntegerField(null=True, blank=True)
    texts_anonymised = models.PositiveIntegerField(_("anonymiserade texter"), default=0)
    photos_deleted = models.PositiveIntegerField(_("raderade foton"), default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("gallringskörning")
        verbose_name_plural = _("gallringskörningar")

    def __str__(self) -> str:
        return f"Gallring {self.organisation} {self.at:%Y-%m-%d %H:%M}"
