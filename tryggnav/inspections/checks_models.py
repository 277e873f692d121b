"""Checklists and scheduled checks: the templates of questions, the places and premises
inspected on a schedule (SBA quarterly per premises, a trygghetsbesiktning of a park),
each inspection with its answers, and the reminders sent.

A template in use is never changed: revising it makes a new version (same ``family``)
and moves the schedules to it, so a signed inspection always shows the questions it
answered. Imported at the end of ``models.py`` so Django registers these models.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tryggnav.inspections.models import Category, Deficiency, Severity
from tryggnav.organisations.models import Organisation

__all__ = [
    "Answer", "AnswerKind", "CheckReminder", "CheckSchedule", "ChecklistQuestion",
    "ChecklistTemplate", "InspectedObject", "Inspection", "InspectionAnswer", "ObjectKind",
    "TemplateKind",
]  # fmt: skip


class TemplateKind(models.TextChoices):
    SAFETY = "trygghet", _("Trygghetsbesiktning")
    FIRE = "sba", _("Systematiskt brandskyddsarbete (SBA)")
    OTHER = "annan", _("Annan kontroll")


class AnswerKind(models.TextChoices):
    YES_NO = "janej", _("Ja/nej")
    VALUE = "varde", _("Värde")


class ChecklistTemplate(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The versions of one template share a family; built-in templates have no municipality.
    family = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(default=1)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=10, choices=TemplateKind.choices)
    builtin = models.BooleanField(default=False)
    # The newer version that replaced this one, or the day the template was retired.
    superseded = models.BooleanField(default=False)
    retired = models.DateTimeField(_("avvecklad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="checklist_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_current(self) -> bool:
        return not self.superseded and self.retired is None


class ChecklistQuestion(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("fråga"), max_length=300)
    answer_kind = models.CharField(
        _("svarstyp"), max_length=6, choices=AnswerKind.choices, default=AnswerKind.YES_NO
    )
    # Yes/no: the answer that passes. A value: the range that passes (either end open).
    expected_yes = models.BooleanField(_("förväntat ja"), default=True)
    min_value = models.FloatField(_("lägsta godkända värde"), null=True, blank=True)
    max_value = models.FloatField(_("högsta godkända värde"), null=True, blank=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    severity = models.PositiveSmallIntegerField(
        _("allvarlighet"), choices=Severity.choices, default=Severity.MEDIUM
    )

    class Meta:
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    def passes(self, *, answer: str, value: float | None) -> bool | None:
        """Whether the answer passes; None when not answered (or "ej aktuellt": True)."""
        if answer == Answer.NOT_APPLICABLE:
            return True
        if self.answer_kind == AnswerKind.VALUE:
            if value is None:
                return None
            low_ok = self.min_value is None or value >= self.min_value
            return low_ok and (self.max_value is None or value <= self.max_value)
        if answer not in (Answer.YES, Answer.NO):
            return None
        return (answer == Answer.YES) == self.expected_yes


class ObjectKind(models.TextChoices):
    PARK = "park", _("Park")
    PATH = "gangvag", _("Gång- och cykelväg")
    GARAGE = "garage", _("Garage")
    SCHOOL_YARD = "skolgard", _("Skolgård")
    PREMISES = "lokal", _("Byggnad/lokal")
    OTHER = "annat", _("Annat")


class InspectedObject(models.Model):
    """A place or premises checked on a schedule; the unit performs the checks and the
    department (an organisation of the municipality) is what the overview counts by."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=10, choices=ObjectKind.choices)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("område"),
    )  # fmt: skip
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("förvaltning")
    )
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inspected_objects",
        verbose_name=_("ansvarig enhet"),
    )  # fmt: skip
    is_demo = models.BooleanField(_("demodata"), default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__isnull=False, lon__isnull=False),
                name="inspected_object_point_whole",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:check_object", args=[self.public_id])


class CheckSchedule(models.Model):
    """Checks every ``interval_months`` months from ``anchor``: period k runs from
    anchor + k·interval to the day before the next, and is due on its last day."""

    object = models.ForeignKey(InspectedObject, on_delete=models.CASCADE, related_name="schedules")
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="schedules"
    )
    interval_months = models.PositiveSmallIntegerField(_("intervall (månader)"), default=3)
    anchor = models.DateField(_("första periodens början"))
    active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["object__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_months__gte=1, interval_months__lte=36),
                name="check_schedule_interval",
            )
        ]

    def __str__(self) -> str:
        return f"{self.object} / {self.template}"


class Answer(models.TextChoices):
    YES = "ja", _("Ja")
    NO = "nej", _("Nej")
    NOT_APPLICABLE = "ej", _("Ej aktuellt")


class Inspection(models.Model):
    class State(models.TextChoices):
        DRAFT = "utkast", _("Påbörjad")
        SIGNED = "signerad", _("Signerad")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    object = models.ForeignKey(
        InspectedObject, on_delete=models.PROTECT, related_name="inspections"
    )
    schedule = models.ForeignKey(
        CheckSchedule, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections"
    )
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(null=True, blank=True)
    due = models.DateField(_("ska vara gjord senast"), null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    note = models.TextField(_("anteckning"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed = models.DateTimeField(_("signerad"), null=True, blank=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    audit_masked_fields = ("note",)

    class Meta:
        ordering = ["-started", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_start"], name="inspection_once_per_period",
                condition=Q(schedule__isnull=False),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.object} {self.period_start or timezone.localdate(self.started)}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:check", args=[self.public_id])

    @property
    def is_signed(self) -> bool:
        return self.state == self.State.SIGNED

    def signed_day(self) -> datetime.date | None:
        return timezone.localdate(self.signed) if self.signed else None


class InspectionAnswer(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ChecklistQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=3, choices=Answer.choices, blank=True)
    value = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True)
    note = models.CharField(_("anteckning"), max_length=1000, blank=True)
    photo = models.ImageField(upload_to="checks/", blank=True)
    deficiency = models.ForeignKey(
        Deficiency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    audit_masked_fields = ("note",)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "question"], name="answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer or self.value}"


class CheckReminder(models.Model):
    """One reminder sent for one period of a schedule: "fore" (before the due date) or
    "efter" (after it). The constraint is what makes a reminder never go twice."""

    schedule = models.ForeignKey(CheckSchedule, on_delete=models.CASCADE, related_name="reminders")
    period_start = models.DateField()
    kind = models.CharField(max_length=5)
    sent = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_start", "kind"], name="check_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.period_start} {self.kind}"
