"""Deficiencies (brister) in the physical environment, routed to the organisation that
owns the place until they are fixed and verified.

A deficiency belongs to a municipality, has a category, a severity, a place (a point,
an area or both), an optional photo and a source (a checklist item, a walk point, a
citizen's report or entered by hand). Its owner is found from the municipality's
routing rules (``routing.py``): a property owner's polygon that holds the point, else
a rule on category × area. The due date comes from the municipality's service levels
(``ServiceLevel``, category × severity), else from ``DEFAULT_DAYS``.
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

from tryggnav.organisations.models import Organisation


class Category(models.TextChoices):
    LIGHTING = "belysning", _("Belysning")
    VEGETATION = "vegetation", _("Vegetation och buskage")
    GRAFFITI = "klotter", _("Klotter")
    LITTER = "skrap", _("Skräp och nedskräpning")
    VISIBILITY = "sikt", _("Skymda platser och sikt")
    SIGNAGE = "skyltning", _("Skyltning")
    ACCESSIBILITY = "tillganglighet", _("Tillgänglighet")
    DAMAGE = "skada", _("Skadegörelse och trasigt")
    FIRE = "brandskydd", _("Brandskydd")
    UNSAFE = "otrygg", _("Otrygg plats")
    OTHER = "annat", _("Annat")


class Severity(models.IntegerChoices):
    LOW = 1, _("Låg")
    MEDIUM = 2, _("Medel")
    HIGH = 3, _("Hög")
    CRITICAL = 4, _("Akut")


# Days to fix when the municipality has set no service level for the pair.
DEFAULT_DAYS = {Severity.LOW: 90, Severity.MEDIUM: 30, Severity.HIGH: 7, Severity.CRITICAL: 1}


class Status(models.TextChoices):
    NEW = "ny", _("Ny")
    RECEIVED = "mottagen", _("Mottagen")
    PLANNED = "planerad", _("Planerad")
    FIXED = "atgardad", _("Åtgärdad")
    VERIFIED = "verifierad", _("Verifierad")
    NOT_OURS = "inte_var", _("Inte vår")


OPEN_STATUSES = (Status.NEW, Status.RECEIVED, Status.PLANNED, Status.NOT_OURS)


class Source(models.TextChoices):
    CHECKLIST = "checklista", _("Checklista")
    WALK = "vandring", _("Trygghetsvandring")
    CITIZEN = "medborgare", _("Medborgare")
    MANUAL = "manuell", _("Manuellt")


class DeficiencyQuerySet(models.QuerySet):
    def open(self) -> DeficiencyQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> DeficiencyQuerySet:
        return self.open().filter(due__lt=today or timezone.localdate())


def _photo_path(instance: models.Model, filename: str) -> str:
    return f"deficiencies/{uuid.uuid4().hex}.jpg"


class Deficiency(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    severity = models.PositiveSmallIntegerField(
        _("allvarlighet"), choices=Severity.choices, default=Severity.MEDIUM
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("område"),
    )  # fmt: skip
    place_name = models.CharField(_("plats"), max_length=200, blank=True)
    photo = models.ImageField(_("foto"), upload_to=_photo_path, blank=True)
    source = models.CharField(_("källa"), max_length=12, choices=Source.choices)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="deficiencies", verbose_name=_("ansvarig ägare"),
    )  # fmt: skip
    # How the owner was found: "polygon", "rule", "hand" or "" (none found).
    routed_by = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    due = models.DateField(_("åtgärdas senast"))
    planned_for = models.DateField(_("planerad till"), null=True, blank=True)
    fix_note = models.TextField(_("åtgärd"), blank=True)
    fix_photo = models.ImageField(_("foto på åtgärden"), upload_to=_photo_path, blank=True)
    declined_reason = models.TextField(_("skäl"), blank=True)
    # The day the owner was last reminded (before the due date, then weekly after it).
    reminded = models.DateField(null=True, blank=True)
    status_changed = models.DateTimeField(default=timezone.now)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = DeficiencyQuerySet.as_manager()
    # Free text that may name people: the audit log keeps it masked.
    audit_masked_fields = ("description", "fix_note", "declined_reason")

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("brist")
        verbose_name_plural = _("brister")
        indexes = [
            models.Index(fields=["owner", "status", "due"]),
            models.Index(fields=["municipality", "status", "due"]),
            # A collaboration group's deficiencies: by its areas (groups.py, the map layer).
            models.Index(fields=["area", "status", "due"], name="deficiency_area_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__isnull=False, lon__isnull=False),
                name="deficiency_point_whole",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:deficiency", args=[self.public_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due < (today or timezone.localdate())

    def age_days(self, today: datetime.date | None = None) -> int:
        return ((today or timezone.localdate()) - timezone.localdate(self.created)).days


class ServiceLevel(models.Model):
    """The municipality's promise: a deficiency of this category and severity is fixed
    within so many days."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    severity = models.PositiveSmallIntegerField(_("allvarlighet"), choices=Severity.choices)
    days = models.PositiveSmallIntegerField(_("dagar"))

    class Meta:
        ordering = ["category", "severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "category", "severity"], name="service_level_unique"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="service_level_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.get_severity_display()}: {self.days}"


class RoutingRule(models.Model):
    """Deficiencies of a category (blank: any) in an area (none: the whole
    municipality) go to an owner. The most specific rule wins."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices, blank=True)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("område"),
    )  # fmt: skip
    owner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("ägare")
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "area__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "category", "area"], name="routing_rule_unique",
                condition=Q(area__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["municipality", "category"], name="routing_rule_unique_anywhere",
                condition=Q(area__isnull=True),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.category or '*'} × {self.area or '*'} → {self.owner}"


class OwnerPolygon(models.Model):
    """A property owner's estate (a housing company's blocks, a state road), uploaded
    as GeoJSON: a deficiency whose point lies inside goes to the owner."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("namn"), max_length=200)
    geometry = models.JSONField()
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner__name", "name"]
        indexes = [models.Index(fields=["municipality", "min_lon", "max_lon"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.owner})"


class OwnerToken(models.Model):
    """A link that lets an owner without accounts answer on one deficiency. Only the
    token's SHA-256 is stored; it expires and can be revoked."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    deficiency = models.ForeignKey(Deficiency, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("e-post"))
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.email} ({self.deficiency})"

    def is_valid(self, now: datetime.datetime | None = None) -> bool:
        return self.revoked is None and self.expires > (now or timezone.now())


# The citizen channel's models live in their own module; imported here so Django finds them.
# Checklists and scheduled checks live in their own module; importing it here registers them.
from tryggnav.inspections.checks_models import *  # noqa: E402, F403
from tryggnav.inspections.models_citizen import CitizenReport, CitizenThrottle  # noqa: E402, F401

# Safety walks live in their own module; imported here so Django finds the models.
from tryggnav.inspections.walk_models import Walk, WalkPoint  # noqa: E402, F401


class DeficiencyProblem(models.Model):
    """A deficiency that started a problem in Brå's process (``tryggnav.steering``):
    the link both pages show (``deficiency.problem_links``, ``problem.deficiency_links``)."""

    deficiency = models.ForeignKey(
        Deficiency, on_delete=models.CASCADE, related_name="problem_links"
    )
    problem = models.ForeignKey(
        "steering.Problem", on_delete=models.CASCADE, related_name="deficiency_links"
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deficiency", "problem"], name="deficiency_problem_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deficiency} → {self.problem}"
