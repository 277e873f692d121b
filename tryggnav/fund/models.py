"""The trygghetsfond: a municipality's yearly fund, its calls, the applications to
them, their assessment, decision, payments and final report.

Amounts are whole kronor (SEK). The fund's figures are never stored: budget is a
column, granted, paid and returned are sums over the decision and payment rows
(``FundFigures``), so they cannot drift apart. The budget rule (granted less
returned never above the budget) is enforced by ``services.decision_make`` under a
row lock on the fund and, on PostgreSQL, by a trigger (migration 0002).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tryggnav.organisations.models import Organisation
from tryggnav.steering.models import PreventionType

# Who may apply by default: the municipality's own committees and departments and its
# companies (seed 003); associations only when the call allows them.
DEFAULT_ELIGIBLE_KINDS = [
    Organisation.Kind.MUNICIPALITY.value,
    Organisation.Kind.COMMITTEE.value,
    Organisation.Kind.HOUSING.value,
]
FUNDED_TYPES = [PreventionType.SOCIAL.value, PreventionType.SITUATIONAL.value]


class Fund(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    # The administering organisation: its coordinators administer the fund.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="funds", verbose_name=_("förvaltare")
    )
    name = models.CharField(_("namn"), max_length=200)
    year = models.PositiveSmallIntegerField(_("år"))
    budget = models.BigIntegerField(_("budget (kr)"))
    is_demo = models.BooleanField(_("demodata"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("trygghetsfond")
        verbose_name_plural = _("trygghetsfonder")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="fund_budget_not_negative"),
            models.UniqueConstraint(fields=["organisation", "year"], name="fund_one_per_year"),
        ]
        indexes = [models.Index(fields=["municipality", "year"])]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("fund:fund", args=[self.public_id])


class FundRole(models.Model):
    """A named role in one fund, beside the administering organisation's coordinators."""

    class Kind(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Fondadministratör")
        ASSESSOR = "assessor", _("Bedömare")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("roll"), max_length=20, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "user", "kind"], name="fund_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"


class Call(models.Model):
    """An utlysning: who may apply for what, when, judged by which criteria."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    opens = models.DateField(_("öppnar"))
    closes = models.DateField(_("sista ansökningsdag"))
    project_starts = models.DateField(_("projekt tidigast från"))
    project_ends = models.DateField(_("projekt senast till"))
    eligible_kinds = models.JSONField(_("vilka som får söka"), default=list)
    prevention_types = models.JSONField(_("typer av prevention"), default=list)
    required_attachments = models.JSONField(_("bilagor som krävs"), default=list)
    democracy_conditions = models.TextField(_("demokrativillkor"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens"]
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysningar")
        constraints = [
            models.CheckConstraint(condition=Q(closes__gte=models.F("opens")), name="call_period"),
            models.CheckConstraint(
                condition=Q(project_ends__gte=models.F("project_starts")),
                name="call_project_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("fund:call", args=[self.public_id])


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("kriterium"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    weight = models.PositiveSmallIntegerField(_("vikt"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight")]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad")
        COMPLETION = "completion", _("Komplettering begärd")
        WITHDRAWN = "withdrawn", _("Återkallad")
        DECIDED = "decided", _("Beslutad")
        REPORTED = "reported", _("Slutredovisad")

    EDITABLE_STATES = (State.DRAFT, State.COMPLETION)
    OPEN_STATES = (State.SUBMITTED, State.COMPLETION)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("sökande")
    )
    title = models.CharField(_("projektnamn"), max_length=200)
    problem = models.TextField(_("problemet som insatsen riktar sig mot"))
    steering_problem = models.ForeignKey(
        "steering.Problem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("problem i Brå-processen"),
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("område")
    )
    place = models.ForeignKey(
        "areas.Place", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("plats")
    )
    place_name = models.CharField(_("platsens namn"), max_length=200, blank=True)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    prevention_type = models.CharField(
        _("typ av prevention"), max_length=20, choices=PreventionType.choices
    )
    perspective_children = models.TextField(_("barnperspektiv"), blank=True)
    perspective_gender = models.TextField(_("jämställdhetsperspektiv"), blank=True)
    perspective_disability = models.TextField(_("funktionshindersperspektiv"), blank=True)
    perspective_hbtq = models.TextField(_("hbtq-perspektiv"), blank=True)
    perspective_elderly = models.TextField(_("äldreperspektiv"), blank=True)
    activities = models.TextField(_("aktiviteter och tidplan"), blank=True)
    starts = models.DateField(_("projektet startar"))
    ends = models.DateField(_("projektet slutar"))
    co_financing = models.BigIntegerField(_("medfinansiering (kr)"), default=0)
    indicator = models.CharField(_("indikator"), max_length=200, blank=True)
    baseline_value = models.FloatField(_("utgångsvärde"), null=True, blank=True)
    baseline_date = models.DateField(_("utgångsvärdet avser"), null=True, blank=True)
    target_value = models.FloatField(_("målvärde"), null=True, blank=True)
    deadline = models.DateField(_("målet nås senast"), null=True, blank=True)
    democracy_confirmed = models.BooleanField(_("demokrativillkoren bekräftade"), default=False)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default="draft")
    submitted = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(_("begärd komplettering"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    # The granted project in the activity register of the steering loop.
    activity = models.OneToOneField(
        "steering.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_application",
        verbose_name=_("aktivitet"),
    )

    PERSPECTIVES = (
        "perspective_children",
        "perspective_gender",
        "perspective_disability",
        "perspective_hbtq",
        "perspective_elderly",
    )
    audit_masked_fields = ("problem", "activities", "completion_note")

    class Meta:
        ordering = ["-created"]
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="app_period"),
            models.CheckConstraint(condition=Q(co_financing__gte=0), name="app_cofinancing"),
        ]
        indexes = [models.Index(fields=["fund", "state"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("fund:application", args=[self.public_id])

    @property
    def requested(self) -> int:
        return sum(line.amount for line in self.budget_lines.all())

    @property
    def place_label(self) -> str:
        parts = [p for p in (self.place_name, str(self.place or ""), str(self.area or "")) if p]
        if not parts and self.lat is not None:
            parts.append(f"{self.lat:.4f}, {self.lon:.4f}")
        return ", ".join(dict.fromkeys(parts))


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    item = models.CharField(_("kostnad"), max_length=200)
    amount = models.BigIntegerField(_("belopp (kr)"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount")]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    label = models.CharField(_("bilaga"), max_length=200)
    filename = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class Assessment(models.Model):
    """One assessor's assignment to an application: a declared conflict of interest
    removes them from it; otherwise they score each criterion."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fund_assessments"
    )
    conflict = models.BooleanField(_("jäv"), default=False)
    conflict_note = models.CharField(_("jävsgrund"), max_length=300, blank=True)
    completed = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.assessor}"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("poäng"))
    comment = models.TextField(_("kommentar"), blank=True)

    MAX = 5

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(score__lte=5), name="score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        FULL = "full", _("Beviljas i sin helhet")
        PARTIAL = "partial", _("Beviljas delvis, med villkor")
        REFUSED = "refused", _("Avslås")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    # Repeated from the application so that the budget trigger sums one table.
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("beslut"), max_length=10, choices=Outcome.choices)
    amount = models.BigIntegerField(_("beviljat belopp (kr)"), default=0)
    conditions = models.TextField(_("villkor"), blank=True)
    reason = models.TextField(_("motivering"), blank=True)
    returned = models.BigIntegerField(_("återbetalt till fonden (kr)"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="decision_amount"),
            models.CheckConstraint(
                condition=Q(returned__gte=0) & Q(returned__lte=models.F("amount")),
                name="decision_returned",
            ),
            models.CheckConstraint(
                condition=Q(outcome="refused", amount=0)
                | (~Q(outcome="refused") & Q(amount__gt=0)),
                name="decision_outcome_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def net(self) -> int:
        return self.amount - self.returned


class Payment(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payments")
    amount = models.BigIntegerField(_("belopp (kr)"))
    paid_on = models.DateField(_("utbetalt"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount")]

    def __str__(self) -> str:
        return f"{self.decision.application}: {self.amount}"


class FinalReport(models.Model):
    """The slutredovisning: what was done, what it cost, the indicator's value."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="final_report"
    )
    done = models.TextField(_("vad som gjordes"))
    spent = models.BigIntegerField(_("använda medel (kr)"))
    indicator_value = models.FloatField(_("indikatorns värde"))
    indicator_date = models.DateField(_("värdet avser"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    audit_masked_fields = ("done",)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(spent__gte=0), name="report_spent")]

    def __str__(self) -> str:
        return f"{self.application}"


class ProjectEvaluation(models.Model):
    """The effect follow-up of a granted project on a date. ``figures`` stores what was
    computed (the indicator against baseline and target; for a place-based project the
    incidents before and after in its area and in comparison areas, with the effect
    estimate and the statistics core's own wording) so the page shows what was seen."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("uppföljningsdatum"))
    comparison_areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("jämförelseområden")
    )
    categories = models.ManyToManyField(
        "incidents.Category", blank=True, related_name="+", verbose_name=_("kategorier")
    )
    figures = models.JSONField(default=dict)
    conclusion = models.TextField(_("bedömning"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    audit_masked_fields = ("conclusion",)

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("effektuppföljning")
        verbose_name_plural = _("effektuppföljningar")

    def __str__(self) -> str:
        return f"{self.application} {self.evaluated_on}"


@dataclass(frozen=True)
class FundFigures:
    """The fund's money, from the rows: granted is net of returned money."""

    budget: int
    reserved: int  # asked for by applications submitted and not yet decided
    granted: int
    paid: int
    returned: int

    @property
    def remaining(self) -> int:
        return self.budget - self.granted


def funds_figures(funds: list[Fund]) -> dict[int, FundFigures]:
    """The figures of several funds in three grouped queries (the fund index)."""

    ids = [f.pk for f in funds]
    decisions = {
        row["fund_id"]: row
        for row in Decision.objects.filter(fund_id__in=ids)
        .values("fund_id")
        .annotate(amount=Sum("amount"), returned=Sum("returned"))
    }
    paid = dict(
        Payment.objects.filter(decision__fund_id__in=ids)
        .values("decision__fund_id")
        .annotate(s=Sum("amount"))
        .values_list("decision__fund_id", "s")
    )
    reserved = dict(
        BudgetLine.objects.filter(
            application__fund_id__in=ids, application__state__in=Application.OPEN_STATES
        )
        .values("application__fund_id")
        .annotate(s=Sum("amount"))
        .values_list("application__fund_id", "s")
    )
    out = {}
    for fund in funds:
        row: Any = decisions.get(fund.pk) or {}
        amount, returned = row.get("amount") or 0, row.get("returned") or 0
        out[fund.pk] = FundFigures(
            budget=fund.budget,
            reserved=reserved.get(fund.pk) or 0,
            granted=amount - returned,
            paid=paid.get(fund.pk) or 0,
            returned=returned,
        )
    return out


def fund_figures(fund: Fund) -> FundFigures:
    return funds_figures([fund])[fund.pk]
