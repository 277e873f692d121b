"""Programmes and their yearly follow-up, and snapshots of the reports built on them.

A programme (e.g. Huddinge's "Program för trygghet och säkerhet 2018–2021") has
responsibility areas, each with its goal and sub-goals (delmål). Each year's
follow-up has, per area, narrative sections, the linked steering activities,
measures and indicators, and an assessment per sub-goal with its justification.
A guideline that must be followed up yearly (riktlinjer) is a programme too, of
kind ``guideline``; ``parent_area`` places its follow-up under a responsibility
area of another programme, as the 2021 follow-up does with the guidelines on violent
extremism and graffiti.

Ownership: a programme belongs to an organisation (the municipality) and optionally
a collaboration group. Members of the organisation and of the group's member
organisations read it; coordinators of the owning organisation write it. The rule
lives in ``tryggnav.programmes.access``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "program", _("Program")
        GUIDELINE = "riktlinjer", _("Riktlinjer")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ägande organisation"),
    )
    group = models.ForeignKey(
        "organisations.CollaborationGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("samverkansgrupp"),
    )
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices, default=Kind.PROGRAMME)
    title = models.CharField(_("rubrik"), max_length=200)
    starts = models.DateField(_("gäller från"))
    ends = models.DateField(_("gäller till"), null=True, blank=True)  # empty: until further notice
    overall_goal = models.TextField(_("övergripande mål"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    decided_by = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decision_reference = models.CharField(_("diarienummer"), max_length=80, blank=True)
    decision_date = models.DateField(_("beslutsdatum"), null=True, blank=True)
    follow_up_by = models.CharField(_("följs upp av"), max_length=200, blank=True)
    parent_area = models.ForeignKey(
        "ResponsibilityArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guidelines",
        verbose_name=_("följs upp under ansvarsområde"),
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demodata"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "-starts", "title"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="programme_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme", args=[self.public_id])


class ResponsibilityArea(models.Model):
    """An ansvarsområde of a programme with its goal and what it covers."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="areas")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("ansvarsområde"), max_length=200)
    goal = models.TextField(_("mål"), blank=True)
    description = models.TextField(_("vad som ingår"), blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="area_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SubGoal(models.Model):
    """A delmål of a responsibility area; each year's follow-up assesses it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(ResponsibilityArea, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("delmål"))

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class FollowUp(models.Model):
    """The follow-up of a programme for one year."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="follow_ups")
    year = models.PositiveSmallIntegerField(_("år"))
    introduction = models.TextField(_("inledning"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="follow_up_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="follow_up_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:follow_up", args=[self.public_id])


class AreaFollowUp(models.Model):
    """One responsibility area in a year's follow-up: what was done, and what it is
    linked to in the steering module (activities, measures, indicators)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey(ResponsibilityArea, on_delete=models.CASCADE, related_name="+")
    narrative = models.TextField(_("vad som gjorts"), blank=True)
    activities = models.ManyToManyField(
        "steering.Activity", blank=True, related_name="+", verbose_name=_("aktiviteter")
    )
    measures = models.ManyToManyField(
        "steering.Measure", blank=True, related_name="+", verbose_name=_("åtgärder")
    )
    indicators = models.ManyToManyField(
        "steering.Indicator", blank=True, related_name="+", verbose_name=_("indikatorer")
    )

    class Meta:
        ordering = ["area__order", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "area"], name="area_follow_up_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.follow_up}: {self.area}"


class Section(models.Model):
    """A headed part of an area's narrative (e.g. "Medborgarundersökning")."""

    area_follow_up = models.ForeignKey(
        AreaFollowUp, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("rubrik"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.heading


class Assessment(models.Model):
    """How far a sub-goal was reached in a follow-up year. Anything but "uppfyllt"
    needs a justification; "ej bedömd" says the underlying material gives no assessment
    rather than inventing one."""

    class Status(models.TextChoices):
        MET = "uppfyllt", _("Uppfyllt")
        PARTLY = "delvis", _("Delvis uppfyllt")
        NOT_MET = "ej-uppfyllt", _("Ej uppfyllt")
        NOT_ASSESSED = "ej-bedomt", _("Ej bedömt")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="assessments")
    goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(_("bedömning"), max_length=12, choices=Status.choices)
    justification = models.TextField(_("motivering"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["goal__area__order", "goal__order", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "goal"], name="assessment_per_goal"),
            models.CheckConstraint(
                condition=Q(status="uppfyllt") | ~Q(justification=""),
                name="assessment_justified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.status != self.Status.MET and not self.justification.strip():
            raise ValidationError(
                {"justification": _("Motivera bedömningen när målet inte är uppfyllt.")}
            )


class ReportSnapshot(models.Model):
    """The figures of a report when it was filed, so the next report can say what
    changed since. Written when a coordinator records a steering-group status report
    as presented; the download itself never writes."""

    class Kind(models.TextChoices):
        STATUS = "styrgrupp", _("Statusrapport till styrgruppen")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    agreement = models.ForeignKey(
        "steering.Agreement", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    figures = models.JSONField(default=dict)
    note = models.TextField(_("kommentar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created:%Y-%m-%d}"
