"""Survey results with their uncertainty: surveys, indicators, results and published claims.

Who may see and change what (the rules the access helpers in access.py follow):

- Survey results are public statistics. A survey belongs to the organisation that
  entered or imported it, and every logged-in user may read it, like geography.
- A survey marked internal (``is_internal``) is visible to the members of its
  organisation only; to anyone else it does not exist (404).
- Entering, importing, editing and deleting need the coordinator role in the owning
  organisation (a visible survey edited by a non-coordinator: 403).

A result keeps exactly what the source publishes: the estimate as a share 0–1 and,
when given, n, the standard error, the design effect, the published interval
bounds. analysis.py derives what is missing and always says what an interval is
based on.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    SCB = "scb", _("SCB:s medborgarundersökning")
    BRA_NTU = "bra_ntu", _("Brås nationella trygghetsundersökning (NTU)")
    POLICE = "polisen", _("Polisens trygghetsmätning")
    MUNICIPALITY = "kommun", _("Kommunens egen undersökning")
    OTHER = "annan", _("Annan")


class SurveyQuerySet(models.QuerySet["Survey"]):
    def visible_to(self, user) -> QuerySet[Survey]:
        """Public surveys for every logged-in user; internal ones for their organisation."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(is_internal=False) | Q(organisation__memberships__user=user)
        ).distinct()


class Survey(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("ägande organisation"),
    )
    provider = models.CharField(_("utgivare"), max_length=10, choices=Provider.choices)
    name = models.CharField(_("undersökning"), max_length=200)
    year = models.PositiveSmallIntegerField(_("år"))
    source = models.TextField(_("källa"), blank=True)
    is_internal = models.BooleanField(
        _("intern"),
        default=False,
        help_text=_("Interna undersökningar syns bara för den egna organisationens medlemmar."),
    )
    # True when the survey's figures are generated for the demo, not published ones.
    is_generated = models.BooleanField(_("genererade värden"), default=False)
    is_demo = models.BooleanField(_("demodata"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("undersökning")
        verbose_name_plural = _("undersökningar")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "provider", "name", "year"], name="survey_unique_name_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.public_id])


class Indicator(models.Model):
    """A question of a survey, reported as a share, e.g. "Andel som känner sig trygga…"."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("undersökning")
    )
    name = models.CharField(_("indikator"), max_length=300)
    question = models.TextField(_("frågans lydelse"), blank=True)
    # Whether a higher share is the better outcome ("trygga" yes, "otrygga" no); only
    # the wording of texts depends on it.
    higher_is_better = models.BooleanField(_("högre andel är bättre"), default=True)

    class Meta:
        ordering = ["survey", "name"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="indicator_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:indicator", args=[self.public_id])


class UnitType(models.TextChoices):
    COUNTRY = "country", _("Riket")
    COUNTY = "county", _("Län")
    MUNICIPALITY = "municipality", _("Kommun")
    AREA = "area", _("Område")


COUNTRY_CODE = "SE"


class Result(models.Model):
    """One published figure: an indicator for one unit and one group."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="results", verbose_name=_("indikator")
    )
    unit_type = models.CharField(_("enhetstyp"), max_length=12, choices=UnitType.choices)
    # Country "SE", county "01", municipality "0126", area: the source's own code.
    unit_code = models.CharField(_("enhetskod"), max_length=40)
    unit_name = models.CharField(_("enhet"), max_length=200)
    # The municipality of a municipality or an area, the county of all but the country:
    # they give each unit the whole it is part of.
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    county = models.ForeignKey(
        "areas.County", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.CharField(_("grupp"), max_length=60, default="alla")
    estimate = models.FloatField(_("andel"))
    n = models.PositiveIntegerField(_("antal svarande"), null=True, blank=True)
    se = models.FloatField(_("standardfel"), null=True, blank=True)
    deff = models.FloatField(_("designeffekt"), null=True, blank=True)
    ci_low = models.FloatField(_("intervall, nedre"), null=True, blank=True)
    ci_high = models.FloatField(_("intervall, övre"), null=True, blank=True)
    # Generated for the demo (never a published figure); shown with a label.
    is_generated = models.BooleanField(_("genererat värde"), default=False)
    note = models.CharField(_("anmärkning"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "unit_type", "unit_name", "group"]
        verbose_name = _("resultat")
        verbose_name_plural = _("resultat")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit_type", "unit_code", "group"],
                name="result_unique_unit_group",
            ),
            models.CheckConstraint(
                condition=Q(estimate__gte=0) & Q(estimate__lte=1), name="result_estimate_share"
            ),
            models.CheckConstraint(
                condition=(Q(ci_low__isnull=True) & Q(ci_high__isnull=True))
                | (Q(ci_low__lte=models.F("estimate")) & Q(ci_high__gte=models.F("estimate"))),
                name="result_interval_around_estimate",
            ),
            models.CheckConstraint(
                condition=Q(se__isnull=True) | Q(se__gt=0), name="result_se_positive"
            ),
            models.CheckConstraint(
                condition=Q(deff__isnull=True) | Q(deff__gt=0), name="result_deff_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} ({self.group}): {self.estimate:.0%}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:result", args=[self.public_id])

    @property
    def survey(self) -> Survey:
        return self.indicator.survey


class Claim(models.Model):
    """A statement in a published text about these results, checked against them.

    A municipality's report says "signifikant högre än Huddinge" or "plats 16 av 21";
    the claim records what was said, and analysis.check_claim says whether the
    published figures support it or cannot settle it.
    """

    class Kind(models.TextChoices):
        DIFFERENCE = "difference", _("Skillnad mellan två resultat")
        RANK = "rank", _("Placering i en rangordning")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("signifikant högre")
        LOWER = "lower", _("signifikant lägre")
        DIFFERENT = "different", _("signifikant skillnad")
        NO_DIFFERENCE = "none", _("ingen skillnad")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("påstående (citat)"))
    source = models.CharField(_("källa"), max_length=300, blank=True)
    subject = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="claims", verbose_name=_("resultat")
    )
    # For a difference: the other result; the claim is "subject is <direction> than other".
    other = models.ForeignKey(
        Result,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jämfört med"),
    )
    direction = models.CharField(
        _("påstådd skillnad"), max_length=10, choices=Direction.choices, blank=True
    )
    rank = models.PositiveSmallIntegerField(_("påstådd plats"), null=True, blank=True)
    rank_of = models.PositiveSmallIntegerField(_("antal i rangordningen"), null=True, blank=True)

    class Meta:
        ordering = ["indicator", "pk"]
        verbose_name = _("påstående")
        verbose_name_plural = _("påståenden")

    def __str__(self) -> str:
        return self.text[:80]
