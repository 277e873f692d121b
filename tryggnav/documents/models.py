"""The statutory documents of Lag (2023:196): the municipality's lägesbild and the
åtgärdsplan decided on it, their versions, the parties' contributions, the recorded
consultations, and the municipality's cycle (when the next ones are due).

A document is one version. Its figures are frozen when the version is made (JSON of
typed figures, ``tryggnav.documents.figures``); a new version is made only on request
and shows what changed against the one before. A version goes draft → for decision →
decided, and a decided version is never edited: a new version supersedes it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LAGESBILD = "lagesbild", _("Lägesbild")
    ACTION_PLAN = "atgardsplan", _("Åtgärdsplan")


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PROPOSED = "proposed", _("För beslut")
    DECIDED = "decided", _("Beslutad")
    SUPERSEDED = "superseded", _("Ersatt av en nyare version")


# States in which the text of a version can still change.
EDITABLE = (Status.DRAFT, Status.PROPOSED)


class LawDocument(models.Model):
    """One version of the municipality's lägesbild or åtgärdsplan for a period.

    Versions of the same document share ``series``; ``number`` counts them from 1.
    ``figures`` holds the frozen figures, ``texts`` the editable text per section key.
    The decision fields (body, date, paragraph, diarienummer, handläggare) are what a
    document's registry block shows.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    number = models.PositiveIntegerField(_("version"), default=1)
    # The municipality's own organisation (kind "kommun"): its coordinators run the cycle.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="law_documents"
    )
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    # For an åtgärdsplan: the lägesbild version it is decided on.
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("bygger på lägesbild"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    figures = models.JSONField(default=dict)
    texts = models.JSONField(default=dict)
    proposal = models.TextField(_("förslag till beslut"), blank=True)
    # The decision, filled in when the body has decided.
    decided_body = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_paragraph = models.CharField(_("paragraf"), max_length=40, blank=True)
    registry_number = models.CharField(_("diarienummer"), max_length=100, blank=True)
    handler = models.CharField(_("handläggare"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demodata"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    audit_masked_fields = ("proposal",)

    class Meta:
        ordering = ["-period_end", "kind", "-number"]
        verbose_name = _("dokument enligt lag (2023:196)")
        verbose_name_plural = _("dokument enligt lag (2023:196)")
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="lawdoc_version_once"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="lawdoc_period"
            ),
            models.CheckConstraint(
                condition=~Q(status="decided")
                | (Q(decided_on__isnull=False) & ~Q(decided_body="")),
                name="lawdoc_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.public_id])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_lagesbild(self) -> bool:
        return self.kind == Kind.LAGESBILD

    @property
    def period_label(self) -> str:
        return f"{self.period_start.isoformat()}–{self.period_end.isoformat()}"


class Contribution(models.Model):
    """A party's part of a lägesbild: what the coordinator asks of it, what it writes,
    and when it marked the part done. Only the party's own members edit it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(
        LawDocument, on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="law_contributions",
        verbose_name=_("part"),
    )
    asked = models.TextField(_("vad parten ombeds bidra med"))
    due = models.DateField(_("senast"), null=True, blank=True)
    text = models.TextField(_("partens bidrag"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("bidrag")
        verbose_name_plural = _("bidrag")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organisation"], name="contribution_one_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.document}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Consultation(models.Model):
    """A consultation with the police or another party on a document: who, when, and
    what was said (samråd)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(
        LawDocument, on_delete=models.CASCADE, related_name="consultations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("part"),
    )
    party_name = models.CharField(_("part (om inte i Tryggnav)"), max_length=200, blank=True)
    held_on = models.DateField(_("datum"))
    participants = models.CharField(_("deltagare"), max_length=500)
    summary = models.TextField(_("vad som sades"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "created"]
        verbose_name = _("samråd")
        verbose_name_plural = _("samråd")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(party_name=""),
                name="consultation_has_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.held_on}"

    @property
    def party(self) -> str:
        return self.organisation.name if self.organisation is not None else self.party_name


class LawCycle(models.Model):
    """When the municipality's next lägesbild and åtgärdsplan are due: a setting of the
    municipality, since the product does not guess the law's timetable."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="law_cycle"
    )
    next_lagesbild_due = models.DateField(_("nästa lägesbild senast"), null=True, blank=True)
    next_action_plan_due = models.DateField(_("nästa åtgärdsplan senast"), null=True, blank=True)
    # When each due date was last set: a version of the kind decided since then meets it.
    lagesbild_due_set = models.DateTimeField(null=True, blank=True)
    action_plan_due_set = models.DateTimeField(null=True, blank=True)
    # How many days before a due date the coordinators are reminded.
    remind_days = models.PositiveSmallIntegerField(_("påminn dagar före"), default=30)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lagens cykel")

    def __str__(self) -> str:
        return str(self.organisation)

    def due(self, kind: str) -> Any:
        return self.next_lagesbild_due if kind == Kind.LAGESBILD else self.next_action_plan_due

    def due_set(self, kind: str) -> Any:
        return self.lagesbild_due_set if kind == Kind.LAGESBILD else self.action_plan_due_set
