"""Set up a municipality on a fresh instance: its organisation and its first admin.

Used by `tryggnav setup --municipality 0126 --admin name@kommun.se`. Idempotent: the
organisation is created once, and while the admin has not accepted, the same valid
invitation is given again instead of a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.forms import ValidationError
from django.utils.text import slugify

from tryggnav.areas.models import Municipality
from tryggnav.audit.services import audit_create
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import Invitation, Membership, Organisation, Role
from tryggnav.organisations.services import invitation_create

QUIET_MAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


@dataclass(frozen=True)
class SetupResult:
    organisation: Organisation
    organisation_created: bool
    invitation: Invitation | None  # None: the admin is already a member
    invitation_created: bool
    mailed: bool

    @property
    def link(self) -> str:
        if self.invitation is None:
            return ""
        return settings.SITE_URL.rstrip("/") + self.invitation.get_absolute_url()


def municipality_setup(*, municipality_code: str, admin_email: str) -> SetupResult:
    municipality = _municipality(municipality_code)
    email = _email(admin_email)
    with transaction.atomic():
        organisation, created = _organisation(municipality)
        if Membership.objects.filter(
            organisation=organisation, user__email__iexact=email, role=Role.ADMIN
        ).exists():
            return SetupResult(organisation, created, None, False, False)
        pending = next(
            (
                i
                for i in Invitation.objects.filter(
                    organisation=organisation, email=email, role=Role.ADMIN
                )
                if i.is_valid()
            ),
            None,
        )
        if pending is not None:
            return SetupResult(organisation, created, pending, False, False)
        mail = settings.MAILERS["default"]["BACKEND"] not in QUIET_MAIL_BACKENDS
        invitation = invitation_create(
            organisation=organisation, email=email, role=Role.ADMIN, by=None, send=mail
        )
    return SetupResult(organisation, created, invitation, True, mail)


def _municipality(code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=code.strip()).first()
    if municipality is None:
        raise InputError.single(
            f"Okänd kommunkod {code!r}: ange SCB:s fyrsiffriga kod, t.ex. 0126 för Huddinge.",
            f"Unknown municipality code {code!r}: give SCB's four-digit code, e.g. 0126 "
            "for Huddinge.",
            field="municipality",
        )
    return municipality


def _email(value: str) -> str:
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InputError.single(
            f"Ogiltig e-postadress {value!r}.", f"Invalid e-mail address {value!r}.", field="admin"
        ) from None
    return email


def _organisation(municipality: Municipality) -> tuple[Organisation, bool]:
    found = Organisation.objects.filter(
        municipality=municipality, kind=Organisation.Kind.MUNICIPALITY, parent__isnull=True
    ).first()
    if found is not None:
        return found, False
    slug = slugify(municipality.name)
    if Organisation.objects.filter(slug=slug).exists():
        slug = f"{slug}-{municipality.code}"
    organisation = Organisation.objects.create(
        name=municipality.name,
        slug=slug,
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=municipality,
    )
    audit_create(actor=None, obj=organisation, organisation=organisation, note="tryggnav setup")
    return organisation, True
