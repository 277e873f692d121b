"""The steering loop: agreements, problems worked through Brå's steps, measures with
SMART goals, activities, indicators and escalations.

The chain the module links: incident → problem → cause analysis → measure →
goal → indicator → follow-up. The programmes app builds its yearly follow-up and
reports on these models, so each one documents what it holds.

Ownership: an agreement, problem, indicator or activity belongs to a collaboration
group (or, without a group, to one organisation). Members of the owner read it;
coordinators of the group's lead organisation (or of the organisation) write it.
The rule lives in ``tryggnav.steering.access`` and nowhere else.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tryggnav.steering.targets import evaluation_status_text

OWNER_CONSTRAINT = Q(group__isnull=False, organisation__isnull=True) | Q(
    group__isnull=True, organisation__isnull=False
)


class PreventionType(models.TextChoices):
    """Seed 002's classes of prevention, plus measures that aim at perceived safety."""

    SOCIAL = "social", _("Social prevention")
    SITUATIONAL = "situationell", _("Situationell prevention")
    SAFETY = "trygghet", _("Trygghetsskapande åtgärd")


class Owned(models.Model):
    """Owner fields shared by the steering models: a group or, failing that, an organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        "organisations.CollaborationGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("samverkansgrupp"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def owner(self):
        return self.group or self.organisation

    @property
    def audit_organisation(self):
        """The organisation whose audit log records changes to this object."""
        if self.group is not None:
            return self.group.lead_organisation
        return self.organisation

    @property
    def municipality_id(self) -> str | None:
        owner = self.group if self.group is not None else self.organisation
        return owner.municipality_id if owner is not None else None


class Agreement(Owned):
    """An avsiktsförklaring (parties commit to collaborate for some years) or a
    samverkansöverenskommelse (usually two years, under an avsiktsförklaring or on its
    own) with prioritised problem areas and districts, each party's commitments, and
    the steering group that follows it up."""

    class Kind(models.TextChoices):
        INTENT = "avsiktsforklaring", _("Avsiktsförklaring")
        COLLABORATION = "samverkansoverenskommelse", _("Samverkansöverenskommelse")

    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("under avsiktsförklaring"),
    )
    starts = models.DateField(_("gäller från"))
    ends = models.DateField(_("gäller till"))
    purpose = models.TextField(_("syfte"), blank=True)
    decided_by = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decision_reference = models.CharField(_("diarienummer"), max_length=80, blank=True)
    decision_date = models.DateField(_("beslutsdatum"), null=True, blank=True)
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("prioriterade områden")
    )
    steering_group = models.TextField(_("styrgrupp"), blank=True)
    meeting_rhythm = models.CharField(_("mötesrytm"), max_length=200, blank=True)
    # Where the text comes from (a seed document, a decision): shown with the agreement.
    source = models.CharField(_("källa"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts", "title"]
        verbose_name = _("överenskommelse")
        verbose_name_plural = _("överenskommelser")
        constraints = [
            models.CheckConstraint(condition=OWNER_CONSTRAINT, name="agreement_one_owner"),
            models.CheckConstraint(
                condition=Q(ends__gte=models.F("starts")), name="agreement_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("steering:agreement", args=[self.public_id])


class AgreementParty(models.Model):
    """A party to an agreement: an organisation in Tryggnav, or just a name for a party
    that does not use Tryggnav. ``commitments`` is what the party undertakes."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("namn"), max_length=200, blank=True)
    commitments = models.TextField(_("åtaganden"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""), name="party_named"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or str(self.organisation)


class PriorityArea(models.Model):
    """A prioritised problem area of an agreement (gängkriminalitet, ANDTS, …)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="priority_areas"
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Step(models.IntegerChoices):
    """Brå's problem-solving steps as the Stockholm trygghetsprogram (seed 002) lays them out."""

    INITIATION = 1, _("Arbetet initieras")
    OWN_MAPPING = 2, _("Egen kartläggning")
    JOINT_MAPPING = 3, _("Gemensam kartläggning och prioritering")
    CAUSE_ANALYSIS = 4, _("Orsaksanalys")
    MEASURES = 5, _("Mål och åtgärder (SMART)")
    IMPLEMENTATION = 6, _("Genomförande")
    FOLLOW_UP = 7, _("Uppföljning och utvärdering")


class Problem(Owned):
    """A problem (ärende) worked through Brå's steps. The step content lives here (steps
    1, 3 and 4), in PartyMapping (2), Measure (5), Activity (6) and Evaluation (7);
    completion of each step in ProblemStep. ``tryggnav.steering.steps`` says what each
    step requires."""

    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("överenskommelse"),
    )
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("prioriterat område"),
    )
    # Where and what: the scope of the live figures of steps 3, 4 and 7.
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("områden")
    )
    categories = models.ManyToManyField(
        "incidents.Category", blank=True, related_name="+", verbose_name=_("kategorier")
    )
    # Step 1: initiation.
    decided_by = models.CharField(_("vem beslutade"), max_length=200, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    reason = models.TextField(_("varför"), blank=True)
    parties = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name=_("parter")
    )
    # Step 3: joint mapping and prioritisation.
    joint_summary = models.TextField(_("gemensam lägesbild"), blank=True)
    prioritised = models.TextField(_("vad som prioriteras"), blank=True)
    left_out = models.TextField(_("vad som prioriteras bort, och varför"), blank=True)
    # Step 4: cause analysis – why here, why now (the problem analysis triangle).
    cause_place = models.TextField(_("platsen"), blank=True)
    cause_time = models.TextField(_("tiden"), blank=True)
    cause_offenders = models.TextField(_("gärningspersoner"), blank=True)
    cause_victims = models.TextField(_("utsatta/mål"), blank=True)
    cause_guardians = models.TextField(
        _("väktare, platsansvariga och andra som kan ingripa"), blank=True
    )
    cause_summary = models.TextField(_("varför här, varför nu"), blank=True)
    closed = models.DateField(_("avslutat"), null=True, blank=True)

    # Free text the audit log records masked (tryggnav.audit.services.snapshot).
    audit_masked_fields = ("cause_offenders", "cause_victims", "cause_summary")

    class Meta:
        ordering = ["-created"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        constraints = [models.CheckConstraint(condition=OWNER_CONSTRAINT, name="problem_one_owner")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("steering:problem", args=[self.public_id])


class ProblemStep(models.Model):
    """Whether a step of a problem is completed. Reopening clears ``completed``."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(choices=Step.choices)
    completed = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "number"], name="problem_step_unique"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=7), name="step_number"),
        ]

    def __str__(self) -> str:
        return f"{self.problem}: {self.get_number_display()}"


class PartyMapping(models.Model):
    """Step 2: one party's own mapping (lokal lägesbild): current problems, local
    conditions, needs and resources, and the data it draws on."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="mappings")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("part"),
    )
    summary = models.TextField(_("egen lägesbild"))
    resources = models.TextField(_("behov och resurser"), blank=True)
    sources = models.TextField(_("underlag"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "organisation"], name="mapping_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.problem}"


class FigureSnapshot(models.Model):
    """Figures as the group saw them on ``taken``: computed live from the incidents at
    step 3 or 4 and stored, so a later report shows what the decision rested on.
    ``parameters`` holds the scope (areas, categories, period); ``data`` the rows."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Antal per vecka med trend")
        WEEKDAY_HOUR = "weekday_hour", _("Veckodag × timme (aoristisk)")
        AREAS = "areas", _("Antal per område")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="snapshots")
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=300)
    parameters = models.JSONField(default=dict)
    data = models.JSONField(default=list)
    note = models.TextField(_("kommentar"), blank=True)
    taken = models.DateTimeField(_("hämtad"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["step", "taken"]

    def __str__(self) -> str:
        return self.title


class Indicator(Owned):
    """What a goal is measured with. Three kinds:

    - ``incident``: counted live from the countable incidents of ``areas`` (or the
      owner's municipality) and ``categories``, per year or quarter from ``starts``;
      ``measure`` count or rate per 1,000 inhabitants;
    - ``survey``: a survey result; ``survey_ref`` names the survey indicator by public
      id (no foreign key, so this app does not depend on the surveys app), values are
      kept as IndicatorValue rows;
    - ``manual``: a series entered by hand as IndicatorValue rows;
    - ``official``: an imported official series of the owner's municipality, read live
      (``official_source`` and ``official_series``: a Brå offence group, a Kolada KPI
      id, an MSB IDA event type); counts and rates per 100,000 carry exact intervals.
    """

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Beräknad från händelser")
        SURVEY = "survey", _("Enkätresultat")
        MANUAL = "manual", _("Inmatad serie")
        OFFICIAL = "official", _("Officiell statistik")

    class Measure(models.TextChoices):
        COUNT = "count", _("Antal")
        RATE = "rate", _("Per 1 000 invånare")
        RATE_100K = "rate100k", _("Per 100 000 invånare")

    class OfficialSource(models.TextChoices):
        # The values of tryggnav.official.models.OfficialImport.Source.
        BRA = "bra", _("Brå, anmälda brott")
        KOLADA = "kolada", _("Kolada, nyckeltal")
        IDA = "ida", _("MSB IDA, räddningstjänstens insatser")

    class Interval(models.TextChoices):
        YEAR = "year", _("År")
        QUARTER = "quarter", _("Kvartal")

    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    unit = models.CharField(_("enhet"), max_length=60, blank=True)
    measure = models.CharField(
        _("mått"), max_length=10, choices=Measure.choices, default=Measure.COUNT
    )
    interval = models.CharField(
        _("period"), max_length=10, choices=Interval.choices, default=Interval.YEAR
    )
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("områden")
    )
    categories = models.ManyToManyField(
        "incidents.Category", blank=True, related_name="+", verbose_name=_("kategorier")
    )
    starts = models.DateField(_("från"), null=True, blank=True)
    survey_ref = models.CharField(_("enkätindikator (id)"), max_length=80, blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    official_source = models.CharField(
        _("officiell källa"), max_length=10, choices=OfficialSource.choices, blank=True
    )
    official_series = models.CharField(_("officiell serie"), max_length=200, blank=True)
    # Whether a lower value is better (crime counts) or a higher one (share feeling safe).
    lower_is_better = models.BooleanField(_("lägre är bättre"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            models.CheckConstraint(condition=OWNER_CONSTRAINT, name="indicator_one_owner"),
            models.CheckConstraint(
                condition=~Q(kind="official") | (~Q(official_source="") & ~Q(official_series="")),
                name="indicator_official_names_its_series",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("steering:indicator", args=[self.public_id])


class IndicatorValue(models.Model):
    """One value of a survey or manual indicator: a period, the value and, where known,
    its interval (low, high)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("period från"))
    label = models.CharField(_("period"), max_length=40)
    value = models.FloatField(_("värde"))
    low = models.FloatField(_("nedre gräns"), null=True, blank=True)
    high = models.FloatField(_("övre gräns"), null=True, blank=True)
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        ordering = ["period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start"], name="indicator_period"),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(low__lte=models.F("value")), name="value_low"
            ),
            models.CheckConstraint(
                condition=Q(high__isnull=True) | Q(high__gte=models.F("value")), name="value_high"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.label}: {self.value}"


class Measure(models.Model):
    """Step 5: a measure with a SMART goal.

    - Specific: ``specific`` (the problem and how it should change) and the place
      (``areas``/``place``);
    - Measurable: ``indicator`` with ``baseline_value`` on ``baseline_date``;
    - Accepted: ``agreed_by`` (the parties that agreed);
    - Realistic: ``resources``;
    - Time-bound: ``target_value`` by ``deadline``.
    Each measure is classed (``prevention_type``) and checked against the five
    perspectives of seed 002 (``perspective_*``).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        STOPPED = "stopped", _("Avbruten")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("åtgärd"), max_length=200)
    specific = models.TextField(_("specifikt: vilket problem ska förändras, och hur"))
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("områden")
    )
    place = models.CharField(_("plats"), max_length=200, blank=True)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="measures", verbose_name=_("indikator")
    )
    baseline_value = models.FloatField(_("utgångsvärde"))
    baseline_date = models.DateField(_("utgångsvärdet avser"))
    target_value = models.FloatField(_("målvärde"))
    deadline = models.DateField(_("klart senast"))
    agreed_by = models.ManyToManyField(
        "organisations.Organisation", related_name="+", verbose_name=_("parter som står bakom")
    )
    resources = models.TextField(_("resurser"))
    responsible = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarig organisation"),
    )
    prevention_type = models.CharField(
        _("typ av åtgärd"), max_length=20, choices=PreventionType.choices
    )
    perspective_children = models.TextField(_("barnperspektiv"))
    perspective_gender = models.TextField(_("jämställdhetsperspektiv"))
    perspective_disability = models.TextField(_("funktionshindersperspektiv"))
    perspective_hbtq = models.TextField(_("hbtq-perspektiv"))
    perspective_elderly = models.TextField(_("äldreperspektiv"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    PERSPECTIVES = (
        "perspective_children",
        "perspective_gender",
        "perspective_disability",
        "perspective_hbtq",
        "perspective_elderly",
    )

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("baseline_date")),
                name="measure_deadline_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.problem.get_absolute_url() + f"#atgard-{self.public_id}"


class Activity(Owned):
    """An activity in the register: who, where, when, what kind of prevention and what it
    produced (e.g. "Unga för Orten: 23 000 arbetstimmar …"). Linked to a measure when
    it carries one out (step 6 of a problem)."""

    title = models.CharField(_("aktivitet"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("åtgärd"),
    )
    responsible = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig organisation"),
    )
    responsible_name = models.CharField(_("ansvarig (annan)"), max_length=200, blank=True)
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("områden")
    )
    place = models.CharField(_("plats"), max_length=300, blank=True)
    starts = models.DateField(_("från"))
    ends = models.DateField(_("till"), null=True, blank=True)
    prevention_type = models.CharField(
        _("typ av åtgärd"), max_length=20, choices=PreventionType.choices
    )
    outputs = models.TextField(_("resultat/prestationer"), blank=True)
    hours = models.DecimalField(_("timmar"), max_digits=9, decimal_places=1, null=True, blank=True)
    resources = models.TextField(_("resurser"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts", "title"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            models.CheckConstraint(condition=OWNER_CONSTRAINT, name="activity_one_owner"),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="activity_period",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="activity_hours"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def responsible_display(self) -> str:
        return self.responsible_name or (str(self.responsible) if self.responsible_id else "")


class Evaluation(models.Model):
    """Step 7: the follow-up of a measure on a date. ``figures`` stores what was computed
    (the indicator now, baseline and target, intervals, the effect against comparison
    areas and the statistics module's own wording) so the report shows what was seen."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evaluations")
    evaluated_on = models.DateField(_("uppföljningsdatum"))
    comparison_areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("jämförelseområden")
    )
    figures = models.JSONField(default=dict)
    conclusion = models.TextField(_("bedömning"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-evaluated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.measure} {self.evaluated_on}"

    def target_status_text(self) -> str:
        return evaluation_status_text(self.figures or {})


class Escalation(models.Model):
    """An obstacle in the local work raised to the central level (seed 002: "Om det
    uppstår hinder i arbete lokalt ska det lyftas till central nivå"). Visible to the
    steering group, i.e. every member of the owner."""

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        ANSWERED = "answered", _("Besvarad")
        CLOSED = "closed", _("Avslutad")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="escalations")
    step = models.PositiveSmallIntegerField(_("steg"), choices=Step.choices)
    obstacle = models.TextField(_("hinder"))
    raised_to = models.CharField(_("lyfts till"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    response = models.TextField(_("svar"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("eskalering")
        verbose_name_plural = _("eskaleringar")

    def __str__(self) -> str:
        return f"{self.problem}: {self.obstacle[:60]}"
