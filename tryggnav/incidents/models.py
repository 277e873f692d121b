"""Incidents: what partners and the police report about places and situations.

An incident belongs to the organisation that reported it (or to no organisation,
for the police's public events feed). It is shared with a collaboration group only
when its ``sharing`` says so, and enters the group's lägesbild only once reviewed.
Who may see which incident is decided in ``IncidentQuerySet.visible_to`` and
nowhere else.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tryggnav.lib.names import localized_name
from tryggnav.organisations.access import groups_of, organisations_of
from tryggnav.organisations.models import CollaborationGroup, Role


class CategoryGroup(models.TextChoices):
    CRIME = "brott", _("Brott")
    DISORDER = "ordningsstorning", _("Ordningsstörning")
    VANDALISM = "skadegorelse", _("Skadegörelse/klotter")
    FIRE = "brand", _("Brand")
    DRUGS = "narkotika", _("Narkotika")
    UNSAFE_PLACE = "otrygg-plats", _("Otrygg plats")
    ENVIRONMENT = "miljo", _("Miljö/nedskräpning")
    TRAFFIC = "trafik", _("Trafik och olyckor")
    OTHER = "ovrigt", _("Övrigt")


class CategoryQuerySet(models.QuerySet["Category"]):
    def for_group(self, group) -> CategoryQuerySet:
        """The categories a group reports with: the active defaults and its own active ones."""
        own = Q(collaboration_group=group) if group is not None else Q(pk__in=[])
        return self.filter(Q(collaboration_group__isnull=True) | own, active=True)


class Category(models.Model):
    """A category of the taxonomy. ``collaboration_group`` empty: the national default list."""

    slug = models.SlugField(_("kortnamn"), max_length=80)
    name = models.CharField(_("namn"), max_length=120)
    name_en = models.CharField(
        _("namn på engelska"),
        max_length=120,
        blank=True,
        help_text=_("Visas när sidan är på engelska; tomt: det svenska namnet."),
    )
    group = models.CharField(_("kategorigrupp"), max_length=20, choices=CategoryGroup.choices)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    collaboration_group = models.ForeignKey(
        "organisations.CollaborationGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("samverkansgrupp"),
    )
    active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=100)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["group", "order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(collaboration_group__isnull=True),
                name="category_default_slug_unique",
            ),
            models.UniqueConstraint(
                fields=["collaboration_group", "slug"], name="category_group_slug_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (``tryggnav.lib.names``)."""
        return localized_name(self)


class PoliceTypeMapping(models.Model):
    """Which category a police event type ("Skadegörelse", "Brand", …) counts as. Editable."""

    police_type = models.CharField(_("händelsetyp hos polisen"), max_length=120, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["police_type"]

    def __str__(self) -> str:
        return f"{self.police_type} → {self.category}"


class PoliceFeed(models.Model):
    """Which municipalities' police events a municipality's organisation has the
    scheduled fetch bring in (set on its administration page). The fetch takes the
    union of all organisations' choices and TRYGGNAV_POLICE_LOCATIONS."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="police_feed"
    )
    municipalities = models.ManyToManyField(
        "areas.Municipality", blank=True, related_name="+", verbose_name=_("kommuner")
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("polisens flöde")
        verbose_name_plural = _("polisens flöden")

    def __str__(self) -> str:
        return str(self.organisation)


class IncidentQuerySet(models.QuerySet["Incident"]):
    def with_related(self) -> IncidentQuerySet:
        """With the category, places, reporter and group read in one small query each
        (``prefetch_related``) rather than joined, and without their outlines. Seven joins
        cost PostgreSQL 16 ms of planning for a list page whose execution took 0.5 ms
        (ten million incidents), and an export built a new object per row and relation
        where a prefetch shares one per distinct row."""
        from tryggnav.areas.models import Area, County, Municipality, Place

        def outline_free(name: str, model: Any) -> models.Prefetch:
            return models.Prefetch(name, queryset=model.objects.defer("geometry"))

        return self.prefetch_related(
            "category",
            "organisation",
            "group",
            outline_free("area", Area),
            outline_free("municipality", Municipality),
            outline_free("county", County),
            outline_free("place", Place),
        )

    def visible_to(self, user, *, public: bool = True) -> IncidentQuerySet:
        """Incidents the user may see. The one place where this rule lives:

        - incidents reported by one of the user's organisations, in any status;
        - reviewed incidents shared with a collaboration group the user belongs to;
        - incidents shared with a group the user coordinates, in any status (the
          coordinator reviews them);
        - the police's public events feed.
        Merged and rejected incidents of other organisations are shown only to the
        group's coordinators. ``public=False``: all but the police's events (the map
        counts those once for every user).
        """
        if not user.is_authenticated:
            return self.none()

        own = Q(organisation__in=organisations_of(user))
        shared = Q(
            sharing=Incident.Sharing.GROUP,
            status=Incident.Status.REVIEWED,
            group__in=groups_of(user),
        )
        # Same rule as GroupAccess.can_coordinate: a coordinator of the lead organisation.
        coordinated = Q(
            sharing=Incident.Sharing.GROUP,
            group__in=CollaborationGroup.objects.filter(
                lead_organisation__in=organisations_of(user, role=Role.COORDINATOR)
            ),
        )
        police = Q(source=Incident.Source.POLICE_FEED)
        if not public:
            return self._private(own, shared, coordinated).exclude(police)
        return self.filter(own | shared | coordinated | police)

    def _private(self, *rule: Q) -> IncidentQuerySet:
        """``rule`` with its subqueries read first: a list of ids lets PostgreSQL combine
        the organisation and group indexes (a bitmap OR) where subqueries made it read
        every row of the table (ten seconds at ten million incidents)."""
        narrowed = Q()
        for part in rule:
            literal = Q(
                *[
                    (name, list(value.values_list("pk", flat=True)))
                    if isinstance(value, models.QuerySet)
                    else (name, value)
                    for name, value in cast(list[tuple[str, Any]], part.children)
                ]
            )
            narrowed |= literal
        return self.filter(narrowed)

    def countable(self) -> IncidentQuerySet:
        """What counts in statistics: reviewed reports and police events, not summaries."""
        return self.filter(
            Q(status=Incident.Status.REVIEWED) | Q(source=Incident.Source.POLICE_FEED),
            is_summary=False,
        ).exclude(status__in=[Incident.Status.MERGED, Incident.Status.REJECTED])


class Incident(models.Model):
    class Precision(models.TextChoices):
        EXACT = "exact", _("Exakt")
        STREET = "street", _("Gata/kvarter")
        DISTRICT = "district", _("Område")
        MUNICIPALITY = "municipality", _("Kommun")
        COUNTY = "county", _("Län")

    class Source(models.TextChoices):
        FORM = "form", _("Rapport i Tryggnav")
        POLICE_FEED = "police", _("Polisens händelser")
        FILE_IMPORT = "file", _("Filimport")
        API = "api", _("API")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Inskickad")
        REVIEWED = "reviewed", _("Granskad")
        REJECTED = "rejected", _("Avvisad")
        MERGED = "merged", _("Sammanslagen")

    class Sharing(models.TextChoices):
        ORGANISATION = "organisation", _("Bara egen organisation")
        GROUP = "group", _("Samverkansgruppen")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("kategori")
    )
    # When it happened: a moment (occurred_to empty) or a window [from, to].
    occurred_from = models.DateTimeField(_("inträffade (från)"), db_index=True)
    occurred_to = models.DateTimeField(_("inträffade (till)"), null=True, blank=True)
    reported_at = models.DateTimeField(_("rapporterad"))
    # Where: a WGS84 point with a precision, and/or a named place.
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    precision = models.CharField(_("lägesprecision"), max_length=12, choices=Precision.choices)
    place = models.ForeignKey(
        "areas.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("plats"),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("område"),
    )
    # Municipality and county are the national reference geography, loaded once and
    # never deleted (PROTECT still guards them in Django). They carry no database
    # foreign key: each one is a row-level check per inserted incident at commit,
    # which made up a fifth of a million-row import on PostgreSQL.
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("kommun"),
        db_constraint=False,
    )
    county = models.ForeignKey(
        "areas.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("län"),
        db_constraint=False,
    )
    # Who: empty organisation for the police's public feed.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("rapporterande organisation"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapportör"),
    )
    group = models.ForeignKey(
        "organisations.CollaborationGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("samverkansgrupp"),
    )
    sharing = models.CharField(
        _("delas med"), max_length=12, choices=Sharing.choices, default=Sharing.GROUP
    )
    text = models.TextField(_("beskrivning"), blank=True)
    # The text with personal data masked; what everyone outside the reporting
    # organisation, every export and the API get.
    text_masked = models.TextField(blank=True)
    has_personal_data = models.BooleanField(default=False)
    source = models.CharField(_("källa"), max_length=8, choices=Source.choices)
    external_id = models.CharField(_("externt id"), max_length=100, blank=True)
    source_hash = models.CharField(max_length=64, blank=True)
    source_url = models.URLField(_("länk"), max_length=500, blank=True)
    police_type = models.CharField(_("händelsetyp hos polisen"), max_length=120, blank=True)
    is_summary = models.BooleanField(
        _("sammanfattning"),
        default=False,
        help_text=_("Polisens sammanfattningar (flera händelser); räknas inte i statistiken."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("sammanslagen med"),
    )
    rejection_reason = models.CharField(_("skäl för avvisning"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    is_generated = models.BooleanField(
        _("genererad (demo)"),
        default=False,
        help_text=_("Genererad demodata, inte en verklig händelse."),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()
    # Free text the audit log records masked (tryggnav.audit.services.snapshot).
    audit_masked_fields = ("text", "rejection_reason")

    class Meta:
        ordering = ["-occurred_from", "-id"]
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(source="police"),
                name="incident_police_external_id_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "source", "external_id"],
                condition=~Q(external_id="") & ~Q(source="police"),
                name="incident_org_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(occurred_to__isnull=True)
                | Q(occurred_to__gte=models.F("occurred_from")),
                name="incident_window_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__gte=-90) & Q(lat__lte=90) & Q(lon__gte=-180) & Q(lon__lte=180)),
                name="incident_coordinates_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "occurred_from"], name="incident_muni_time"),
            models.Index(fields=["area", "occurred_from"], name="incident_area_time"),
            models.Index(fields=["group", "status"], name="incident_group_status"),
            # A group's incidents of a period (exports, the list filtered by group).
            models.Index(fields=["group", "occurred_from"], name="incident_group_time"),
            # What a group's members filed in a week (reporting coverage).
            models.Index(fields=["group", "reported_at"], name="incident_group_reported"),
            # The newest first, the list's order: its first page without a sort.
            models.Index(fields=["occurred_from", "id"], name="incident_time"),
            models.Index(fields=["organisation", "reported_at"], name="incident_org_reported"),
            # The review queue: reports shared with a group, waiting for its coordinator.
            # Partial, so counting the queue reads the queue, not every report of the
            # group (83 ms at ten million incidents before).
            models.Index(
                fields=["group"],
                condition=Q(sharing="group", status="submitted"),
                name="incident_review_queue",
            ),
            # The police's events with a precise position (few: the feed places most at
            # the municipality): the map counts them apart for every user, and without
            # this index a frame over a city read every precise report in it (0.9 s).
            models.Index(
                fields=["lat", "lon"],
                condition=Q(source="police", precision__in=["exact", "street"]),
                name="incident_police_precise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.occurred_from:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.public_id])

    @property
    def state_token(self) -> str:
        """What a review page saw (status and last review); sent back with the
        coordinator's decision so that a decision on a report someone else has
        handled since is refused instead of overwriting theirs."""
        at = self.reviewed_at.isoformat() if self.reviewed_at else ""
        return f"{self.status}@{at}"

    @property
    def is_window(self) -> bool:
        return self.occurred_to is not None and self.occurred_to != self.occurred_from

    def text_for(self, organisation_ids) -> str:
        """The full text for members of the reporting organisation, the masked text otherwise."""
        if self.organisation_id is not None and self.organisation_id in organisation_ids:
            return self.text
        if self.text and not self.text_masked:
            # Never fall back to the raw text: mask it now if nobody stored the masked form.
            from tryggnav.lib.screening import screen

            return screen(self.text).masked
        return self.text_masked

    @property
    def location_label(self) -> str:
        """Where, as precisely as known: the area, else the municipality, else the county.
        A county-level police event has neither area nor municipality."""
        if self.area is not None:
            return self.area.display_name
        if self.municipality is not None:
            return self.municipality.short_name
        if self.county is not None:
            return self.county.name
        return ""

    @property
    def is_precise(self) -> bool:
        """Whether the point may be drawn as a point on a map."""
        return self.lat is not None and self.precision in (
            self.Precision.EXACT,
            self.Precision.STREET,
        )


def _photo_path(instance: IncidentPhoto, filename: str) -> str:
    return f"incidents/{instance.incident.public_id}/{uuid.uuid4().hex}.jpg"


class IncidentPhoto(models.Model):
    """A photo attached to an incident. Stored re-encoded, without EXIF metadata."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=_photo_path)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Foto {self.public_id}"


class ImportJob(models.Model):
    """A file import, run in the background with visible progress."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("Förhandsgranskning")
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20)  # "partner", "police", "brottsplatskartan"
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/", blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class ColumnMapping(models.Model):
    """An organisation's saved mapping from its spreadsheet columns to incident fields."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="column_mappings"
    )
    name = models.CharField(max_length=100, default="standard")
    mapping = models.JSONField(default=dict)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="column_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"


# The columns that identify a weekly count (its unique key; incidents.counts keys by them).
WEEKLY_COUNT_KEY = (
    "group_id",
    "municipality_code",
    "area_id",
    "category_id",
    "source",
    "precision",
    "police_type",
    "week",
)


class WeeklyCount(models.Model):
    """Countable incidents per group share × municipality × area × category × source × week.

    A derived table (tryggnav.incidents.counts keeps it current and can rebuild it
    from the incidents at any time).

    Plain integer columns with 0/"" sentinels instead of nullable foreign keys, so
    the key is a simple unique constraint that INSERT … ON CONFLICT can upsert on
    the same way on SQLite and PostgreSQL.
    """

    # The collaboration group the incident is shared with (0: not shared with a group).
    group_id = models.BigIntegerField(default=0)
    municipality_code = models.CharField(max_length=4, default="")
    area_id = models.BigIntegerField(default=0)
    category_id = models.BigIntegerField()
    source = models.CharField(max_length=8)
    precision = models.CharField(max_length=12)
    police_type = models.CharField(max_length=120, default="")
    # Monday of the ISO week (Europe/Stockholm local time of occurred_from).
    week = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        # The table keeps the name it had when the counts lived in the lägesbild app.
        db_table = "lagesbild_weeklycount"
        constraints = [
            models.UniqueConstraint(fields=list(WEEKLY_COUNT_KEY), name="weeklycount_key")
        ]
        indexes = [
            models.Index(fields=["group_id", "week"], name="weeklycount_group_week"),
            # The police feed of a municipality: every column an equality but the week,
            # so the planner prefers it to the group index for group_id = 0.
            models.Index(
                fields=["municipality_code", "source", "group_id", "week"],
                name="weeklycount_police_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.municipality_code}/{self.area_id}/{self.category_id}: {self.n}"
