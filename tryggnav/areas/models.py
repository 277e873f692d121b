"""Counties, municipalities, areas below them, and named places.

Geometries are GeoJSON geometry objects in WGS84 (lon, lat) stored as JSON, so
SQLite and PostgreSQL behave alike without a spatial extension; shapely does
the geometry work in Python (see locator.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from tryggnav.lib.names import localized_name


class County(models.Model):
    code = models.CharField(_("länskod"), max_length=2, primary_key=True)
    name = models.CharField(_("namn"), max_length=100)
    short_name = models.CharField(_("kort namn"), max_length=100)
    geometry = models.JSONField(_("gräns"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("kommunkod"), max_length=4, primary_key=True)
    name = models.CharField(_("namn"), max_length=100)
    short_name = models.CharField(_("kort namn"), max_length=100, db_index=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    population = models.PositiveIntegerField(_("folkmängd"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("folkmängd år"), null=True, blank=True)
    geometry = models.JSONField(_("gräns"), null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("areas:municipality", args=[self.code])


class AreaQuerySet(models.QuerySet["Area"]):
    def current(self) -> AreaQuerySet:
        """The areas not retired: the ones new incidents and responsibilities may use."""
        return self.filter(retired__isnull=True)


class Area(models.Model):
    """A part of a municipality: kommundel, stadsdel, DeSO, RegSO or an own area."""

    class Kind(models.TextChoices):
        KOMMUNDEL = "kommundel", _("Kommundel")
        STADSDEL = "stadsdel", _("Stadsdel")
        DESO = "deso", _("DeSO")
        REGSO = "regso", _("RegSO")
        CUSTOM = "egen", _("Eget område")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="areas", verbose_name=_("kommun")
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("kod"), max_length=40)
    name = models.CharField(_("namn"), max_length=120)
    # Blank for most districts: a place name stays as it is in English.
    name_en = models.CharField(
        _("namn på engelska"),
        max_length=120,
        blank=True,
        help_text=_("Visas när sidan är på engelska; tomt: det svenska namnet."),
    )
    geometry = models.JSONField(_("gräns"))
    # Bounding box, for cheap pre-filtering in SQL.
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    # The latest imported population (AreaPopulation keeps every year); rates use
    # the figure for their period's year through tryggnav.areas.population.
    population = models.PositiveIntegerField(_("folkmängd"), null=True, blank=True)
    source = models.CharField(_("källa"), max_length=200, blank=True)
    # Boundaries drawn by the program (Voronoi cells around district centres), not
    # published ones: no population can belong to them, so they never get a rate.
    is_generated = models.BooleanField(_("genererade gränser"), default=False)
    # A retired area keeps its incidents and history, but is offered for nothing new:
    # not in report forms, not as a group's responsibility, not to the locator.
    retired = models.DateTimeField(_("avvecklat"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "kind", "name"]
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "code"], name="area_unique_code_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("areas:municipality", args=[self.municipality_id]) + f"#omrade-{self.pk}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language (``tryggnav.lib.names``)."""
        return localized_name(self)

    def set_geometry(self, geometry: dict[str, Any]) -> None:
        geom = shape(geometry)
        self.geometry = geometry
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geom.bounds


class AreaPopulation(models.Model):
    """An area's population in one year (SCB: 31 December of that year)."""

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="populations", verbose_name=_("område")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    population = models.PositiveIntegerField(_("folkmängd"))
    source = models.CharField(_("källa"), max_length=200, blank=True)
    # Figures made up for the demo (no published source), labelled wherever shown.
    is_generated = models.BooleanField(_("genererad"), default=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area", "year"]
        verbose_name = _("folkmängd för område")
        verbose_name_plural = _("folkmängder för områden")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="area_population_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.population}"


class PopulationUpload(models.Model):
    """A population file uploaded on the web, kept between its preview and its import."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/population/")
    kind = models.CharField(max_length=10, blank=True)
    source = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.filename


class AreaUpload(models.Model):
    """An areas file (GeoJSON or GeoPackage) uploaded on the web, kept between its
    preview with the field mapping and its import."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/areas/")
    imported = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.filename


class TileServer(models.Model):
    """The instance's map background, set on the web; without a row the settings'
    TRYGGNAV_TILE_URL applies. An empty URL switches the background off."""

    url = models.CharField(_("adressmall"), max_length=500, blank=True)
    attribution = models.CharField(_("upphovsangivelse"), max_length=500, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kartbakgrund")
        verbose_name_plural = _("kartbakgrunder")

    def __str__(self) -> str:
        return self.url or "–"


class Place(models.Model):
    """A named place: a square, a school yard, a subway entrance; a point or a polygon."""

    class Kind(models.TextChoices):
        SQUARE = "torg", _("Torg")
        SCHOOL = "skola", _("Skola/skolgård")
        PARK = "park", _("Park")
        STATION = "station", _("Station/hållplats")
        CENTRE = "centrum", _("Centrum/köpcentrum")
        STREET = "gata", _("Gata/gångväg")
        BUILDING = "byggnad", _("Byggnad/fastighet")
        OTHER = "annan", _("Annan plats")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="places", verbose_name=_("kommun")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("område"),
    )
    name = models.CharField(_("namn"), max_length=120)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    geometry = models.JSONField(_("geometri"))
    # A representative point inside the place, used to place incidents.
    lon = models.FloatField()
    lat = models.FloatField()
    created_by_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="place_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def set_geometry(self, geometry: dict[str, Any]) -> None:
        geom = shape(geometry)
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        self.geometry = geometry
        self.lon, self.lat = point.x, point.y
