"""Organisations, their members and roles, and the collaboration groups they form.

A collaboration group (samverkansgrupp: an OSG or an EST group) is the unit
within which reviewed data is shared. Everything a user may see follows from
their memberships; the rules live in access.py.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Membership roles, weakest first; a role includes every right of those before it."""

    READER = "reader", _("Läsare")
    REPORTER = "reporter", _("Rapportör")
    COORDINATOR = "coordinator", _("Samordnare")
    ADMIN = "admin", _("Administratör")

    @classmethod
    def rank(cls, role: str) -> int:
        return [c.value for c in cls].index(role)

    @classmethod
    def at_least(cls, role: str, required: str) -> bool:
        return cls.rank(role) >= cls.rank(required)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "kommun", _("Kommun/förvaltning")
        COMMITTEE = "namnd", _("Nämnd")
        POLICE = "polis", _("Polis")
        FIRE_RESCUE = "raddningstjanst", _("Räddningstjänst")
        HOUSING = "bostadsbolag", _("Bostadsbolag")
        PROPERTY_OWNER = "fastighetsagare", _("Fastighetsägare")
        SECURITY = "bevakningsforetag", _("Bevakningsföretag")
        SCHOOL = "skola", _("Skola")
        REGION = "region", _("Region")
        ASSOCIATION = "forening", _("Förening")
        PRISON_PROBATION = "kriminalvard", _("Kriminalvård")
        BUSINESS = "naringsliv", _("Näringsliv")
        OTHER = "annan", _("Annan")

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("hemkommun"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("ingår i"),
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    # A deactivated organisation keeps its reports and history; its members lose access.
    is_active = models.BooleanField(_("aktiv"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.slug])


class Membership(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    title = models.CharField(_("befattning"), max_length=120, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # Set when the person stops acting for the organisation: the membership (and all
    # the person's reports and history) stays, it just gives no access any more.
    deactivated = models.DateTimeField(_("avslutad"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def has_role(self, required: str) -> bool:
        return Role.at_least(self.role, required)


class MeetingRhythm(models.TextChoices):
    WEEKLY = "weekly", _("Varje vecka")
    FORTNIGHTLY = "fortnightly", _("Varannan vecka")
    MONTHLY = "monthly", _("Varje månad")
    QUARTERLY = "quarterly", _("Varje kvartal")
    AS_NEEDED = "as_needed", _("Vid behov")


class CollaborationGroup(models.Model):
    """A samverkansgrupp (OSG, EST group): member organisations sharing reviewed data."""

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        related_name="groups",
        verbose_name=_("hemkommun"),
    )
    # The convening organisation; its coordinators coordinate the group.
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_groups",
        verbose_name=_("sammankallande organisation"),
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="GroupMembership",
        related_name="groups",
        verbose_name=_("medlemsorganisationer"),
    )
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="groups", verbose_name=_("ansvarsområden")
    )
    meeting_rhythm = models.CharField(
        _("mötesrytm"), max_length=20, choices=MeetingRhythm.choices, default=MeetingRhythm.WEEKLY
    )
    # The group that steers this one (a styrgrupp above an EST group), if any.
    steering_group = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steered_groups",
        verbose_name=_("styrgrupp"),
    )
    # When the members' weekly reports are due: by this ISO weekday (1 Monday … 7
    # Sunday) and hour of the week itself; after it the silent ones are reminded.
    report_weekday = models.PositiveSmallIntegerField(
        _("rapportera senast veckodag"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    report_hour = models.PositiveSmallIntegerField(
        _("rapportera senast klockan"),
        default=12,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("samverkansgrupp")
        verbose_name_plural = _("samverkansgrupper")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:group", args=[self.slug])


class GroupMembership(models.Model):
    group = models.ForeignKey(CollaborationGroup, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    # EST's weekly rhythm: organisations expected to report every week.
    reports_weekly = models.BooleanField(_("rapporterar varje vecka"), default=True)
    joined = models.DateField(_("med sedan"), default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "organisation"], name="group_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} i {self.group}"


class CoordinationFunction(models.Model):
    """The municipality's coordination function (samordningsfunktion, lag 2023:196):
    who holds it and with what mandate, as decided."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="coordination_function"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig person"),
    )
    holder_title = models.CharField(_("befattning eller funktion"), max_length=200)
    unit = models.CharField(_("placering (förvaltning eller enhet)"), max_length=200, blank=True)
    mandate = models.TextField(_("mandat"))
    decided_on = models.DateField(_("beslutad"), null=True, blank=True)
    decision_reference = models.CharField(_("beslut (diarienummer)"), max_length=100, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("samordningsfunktion")

    def __str__(self) -> str:
        return f"{self.holder_title} ({self.organisation})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-postadress"))
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    accepted = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("organisations:accept_invitation", args=[self.token])

    @property
    def expires(self):
        return self.created + timedelta(days=settings.INVITATION_VALID_DAYS)

    def is_valid(self) -> bool:
        return self.accepted is None and timezone.now() < self.expires


class LoginThrottle(models.Model):
    """Login attempts counted for one account, one address, one account at one address,
    or one known device (``scope``). throttle.py counts them under a row lock before
    the password is checked, so parallel attempts cannot get past the limit."""

    scope = models.CharField(max_length=10)
    key = models.CharField(max_length=320)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt = models.DateTimeField(default=timezone.now, db_index=True)
    # The account's owner has been told of this throttle episode (scope "account").
    notified = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.attempts}"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once, at creation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("namn"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:

        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name: str) -> tuple[ApiToken, str]:
        key = "tn_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[3:11], key_hash=cls.hash(key))
        return token, key


class FormSubmission(models.Model):
    """A create form's one-time key, used: the same form sent twice (a double click,
    a reload, a retry on a slow phone connection) creates one object. The key is
    issued with the form (``tryggnav.organisations.idempotency``) and recorded in the
    transaction that creates the object; the unique constraint makes a second
    submission wait for the first and then find its object."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_url = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="form_submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
