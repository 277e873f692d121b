"""Safety walks (trygghetsvandringar): a planned walk through a district with invited
organisations and residents, the points noted on it from a phone, and the link from
each point to the deficiency (and Brå-process problem) it became.

A walk's themes are its own list (``Theme``), independent of inspection checklists; each
theme maps to the deficiency category a point becomes (``THEME_CATEGORY``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tryggnav.inspections.models import Category, Deficiency, Severity
from tryggnav.organisations.models import Organisation


class Theme(models.TextChoices):
    LIGHTING = "belysning", _("Belysning")
    VEGETATION = "vegetation", _("Vegetation och buskage")
    GRAFFITI = "klotter", _("Klotter")
    LITTER = "skrap", _("Skräp och nedskräpning")
    VISIBILITY = "sikt", _("Sikt och överblick")
    HIDDEN = "dolda_horn", _("Dolda hörn och skrymslen")
    SIGNAGE = "skyltning", _("Skyltning")
    ACCESSIBILITY = "tillganglighet", _("Tillgänglighet")
    UNSAFE = "otrygg", _("Platser där man känner sig otrygg")
    OTHER = "annat", _("Annat")


# The deficiency category a point of each theme becomes.
THEME_CATEGORY = {
    Theme.LIGHTING: Category.LIGHTING,
    Theme.VEGETATION: Category.VEGETATION,
    Theme.GRAFFITI: Category.GRAFFITI,
    Theme.LITTER: Category.LITTER,
    Theme.VISIBILITY: Category.VISIBILITY,
    Theme.HIDDEN: Category.VISIBILITY,
    Theme.SIGNAGE: Category.SIGNAGE,
    Theme.ACCESSIBILITY: Category.ACCESSIBILITY,
    Theme.UNSAFE: Category.UNSAFE,
    Theme.OTHER: Category.OTHER,
}

# The themes a new walk starts with: every theme but "annat".
DEFAULT_THEMES = [t.value for t in Theme if t != Theme.OTHER]


def severity_for(unsafe: int | None) -> int:
    """How unsafe a place feels (1–5) as the severity of its deficiency."""
    if unsafe is None or unsafe == 3:
        return Severity.MEDIUM
    return Severity.LOW if unsafe < 3 else Severity.HIGH


class Walk(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    # The municipality's own organisation that convenes the walk.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="walks",
        verbose_name=_("sammankallande"),
    )  # fmt: skip
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("område")
    )
    date = models.DateField(_("datum"))
    title = models.CharField(_("rubrik"), max_length=200)
    # A GeoJSON LineString (WGS84), or None until the route is drawn.
    route = models.JSONField(_("rutt"), null=True, blank=True)
    themes = models.JSONField(_("teman"), default=list)
    invited = models.ManyToManyField(
        Organisation, blank=True, related_name="walks_invited",
        verbose_name=_("inbjudna organisationer"),
    )  # fmt: skip
    residents_count = models.PositiveSmallIntegerField(_("antal boende"), default=0)
    residents_note = models.TextField(_("om de boende"), blank=True)
    # The public protocol page exists only once the walk's protocol is published.
    published = models.DateTimeField(_("publicerad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demodata"), default=False)

    audit_masked_fields = ("residents_note",)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("trygghetsvandring")
        verbose_name_plural = _("trygghetsvandringar")
        indexes = [models.Index(fields=["municipality", "date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:walk", args=[self.public_id])

    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels[t]) for t in self.themes if t in labels]


def _point_photo_path(instance: models.Model, filename: str) -> str:
    return f"walks/{uuid.uuid4().hex}.jpg"


class WalkPoint(models.Model):
    """One thing noted on the walk. ``client_key`` is the phone's own id for it, so a
    point sent again after a lost answer is stored once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    walk = models.ForeignKey(Walk, on_delete=models.CASCADE, related_name="points")
    client_key = models.UUIDField()
    theme = models.CharField(_("tema"), max_length=20, choices=Theme.choices)
    note = models.CharField(_("anteckning"), max_length=500, blank=True)
    unsafe = models.PositiveSmallIntegerField(_("hur otryggt (1–5)"), null=True, blank=True)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    photo = models.ImageField(_("foto"), upload_to=_point_photo_path, blank=True)
    # A coordinator has looked at the photo (no faces, no plates): the public page may show it.
    photo_public = models.BooleanField(_("foto granskat för publicering"), default=False)
    deficiency = models.OneToOneField(
        Deficiency, on_delete=models.SET_NULL, null=True, blank=True, related_name="walk_point"
    )
    problem = models.ForeignKey(
        "steering.Problem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded = models.DateTimeField(_("noterad"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demodata"), default=False)

    audit_masked_fields = ("note",)

    class Meta:
        ordering = ["recorded", "pk"]
        verbose_name = _("vandringspunkt")
        verbose_name_plural = _("vandringspunkter")
        constraints = [
            models.UniqueConstraint(fields=["walk", "client_key"], name="walk_point_client_key"),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True)
                | Q(lat__isnull=False, lon__isnull=False),
                name="walk_point_whole",
            ),
            models.CheckConstraint(
                condition=Q(unsafe__isnull=True) | Q(unsafe__gte=1, unsafe__lte=5),
                name="walk_point_unsafe_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_theme_display()}: {self.note[:60]}".rstrip(": ")

    @property
    def category(self) -> str:
        return THEME_CATEGORY.get(Theme(self.theme), Category.OTHER)
