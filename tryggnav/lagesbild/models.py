"""The weekly meeting about the lägesbild, with its actions, focus and minutes.

Meetings, actions and focus areas are what the collaboration group decides, and
are audited (see services.py). The weekly counts (``WeeklyCount``) live with the
incidents (tryggnav.incidents.counts).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    """The group's weekly meeting (EST-veckomöte, OSG) about one ISO week's lägesbild."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        HELD = "held", _("Genomfört")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        "organisations.CollaborationGroup",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("samverkansgrupp"),
    )
    iso_year = models.PositiveSmallIntegerField(_("år"))
    iso_week = models.PositiveSmallIntegerField(_("vecka"))
    held_on = models.DateField(_("mötesdatum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    attendees = models.TextField(_("deltagare"), blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    is_generated = models.BooleanField(_("genererad (demo)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # Free text the audit log records masked (tryggnav.audit.services.snapshot).
    audit_masked_fields = ("attendees", "notes")

    class Meta:
        ordering = ["-iso_year", "-iso_week"]
        verbose_name = _("veckomöte")
        verbose_name_plural = _("veckomöten")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "iso_year", "iso_week"], name="meeting_one_per_group_week"
            ),
            models.CheckConstraint(
                condition=models.Q(iso_week__gte=1) & models.Q(iso_week__lte=53),
                name="meeting_week_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} v. {self.iso_week} {self.iso_year}"

    def get_absolute_url(self) -> str:
        return reverse("lagesbild:meeting", args=[self.group.slug, self.week_label])

    @property
    def week_label(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.iso_year, self.iso_week, 1)


class Action(models.Model):
    """A decision of a meeting: what, where, who and until when. Open until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Struken")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        "organisations.CollaborationGroup", on_delete=models.CASCADE, related_name="actions"
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("beslutad vid"),
    )
    what = models.CharField(_("vad"), max_length=300)
    # The decision's paragraph in the minutes: numbered through the meeting's year per
    # group ("§ 12"), given when the decision is recorded and never reused.
    paragraph = models.PositiveIntegerField(_("paragraf"), null=True, blank=True)
    paragraph_year = models.PositiveSmallIntegerField(null=True, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("område"),
    )
    place_text = models.CharField(_("plats"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="lagesbild_actions",
        verbose_name=_("ansvarig organisation"),
    )
    # A named person of the organisation, when the meeting names one.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig person"),
    )
    due = models.DateField(_("klart senast"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("utfall"), blank=True)
    closed_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_actions",
        verbose_name=_("avslutad vid"),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    # Free text the audit log records masked (tryggnav.audit.services.snapshot).
    audit_masked_fields = ("what", "outcome")

    class Meta:
        ordering = ["due", "created"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "paragraph_year", "paragraph"],
                condition=models.Q(paragraph__isnull=False),
                name="action_one_per_paragraph",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def paragraph_label(self) -> str:
        """The label "§ 12"; empty for a decision recorded before paragraphs were numbered."""
        return f"§ {self.paragraph}" if self.paragraph else ""

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due < (today or timezone.localdate())


class Focus(models.Model):
    """A focus area or hot-spot the meeting chooses for the next week."""

    class Kind(models.TextChoices):
        AREA = "area", _("Fokusområde")
        HOTSPOT = "hotspot", _("Hot-spot")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="focuses")
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.AREA)
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("område"),
    )
    description = models.CharField(_("beskrivning"), max_length=300)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "created"]
        verbose_name = _("fokus")
        verbose_name_plural = _("fokus")

    def __str__(self) -> str:
        return self.description


class MinutesVersion(models.Model):
    """The minutes of a meeting as they stood when it was closed (status held).

    ``figures`` holds what the minutes show (summary, alerts, the actions followed up
    with their status and whether they were overdue on the meeting date, decisions,
    focus, notes), so a later download gives the same content however the actions and
    the incidents change afterwards. Closing the meeting again adds a new version.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveIntegerField(_("version"))
    figures = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("minnesanteckningar (version)")
        verbose_name_plural = _("minnesanteckningar (versioner)")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_one_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number}"
