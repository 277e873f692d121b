"""The citizen channel: a report from the public, counted against abuse, screened for
personal data, moderated, and only then a routed deficiency shown on the public map.

Decision (docs/inspections.md): a report is routed only when a moderator of the
municipality approves it, with the public title and text the moderator wrote; until
then it is neither routed nor public, and a rejected report goes no further. Reports
are counted per client address and per e-mail address in a window under a row lock
(as login attempts are, ``tryggnav.organisations.throttle``), so parallel requests can
never file more than the limit.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
import smtplib
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from tryggnav.areas.locator import locate_municipalities
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record, diff, snapshot
from tryggnav.incidents.photos import photo_clean
from tryggnav.inspections import services
from tryggnav.inspections.models import OPEN_STATUSES, Category, Severity, Source, Status
from tryggnav.inspections.models_citizen import CitizenReport, CitizenThrottle, Moderation
from tryggnav.lib.errors import Conflict, InputError, person
from tryggnav.lib.screening import screen
from tryggnav.organisations.models import Organisation
from tryggnav.organisations.throttle import _address_key

logger = logging.getLogger(__name__)

ADDRESS, EMAIL = "address", "email"
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
TEXT_MAX = 2000
ACTOR = "medborgare/citizen"
CLOSED = (Status.FIXED, Status.VERIFIED)


class TooMany(InputError):
    """The address or e-mail has filed its reports for the window."""


@dataclass(frozen=True)
class Submitted:
    report: CitizenReport
    token: str


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def channel_open(municipality_id: str) -> bool:
    """A municipality takes citizens' reports when it has an active organisation of its
    own in Tryggnav (its coordinators moderate)."""
    return Organisation.objects.filter(
        municipality_id=municipality_id, kind=Organisation.Kind.MUNICIPALITY, is_active=True
    ).exists()


# --- Counting -------------------------------------------------------------------------


def _limit(scope: str) -> int:
    if scope == EMAIL:
        return settings.CITIZEN_REPORTS_PER_EMAIL
    return settings.CITIZEN_REPORTS_PER_ADDRESS


def _keys(address: str | None, email: str) -> list[tuple[str, str]]:
    keys = []
    if address:
        keys.append((ADDRESS, str(_address_key(address))))
    if email:
        keys.append((EMAIL, digest(email.strip().lower())))
    return sorted(keys)  # one lock order for every request: no deadlock


def _too_many(scope: str) -> TooMany:
    hours = max(1, settings.CITIZEN_WINDOW_SECONDS // 3600)
    n = _limit(scope)
    who_sv, who_en = ("e-postadress", "e-mail address") if scope == EMAIL else ("adress", "address")
    refusal = InputError.single(
        f"Du har redan skickat {n} rapporter från samma {who_sv} de senaste {hours} "
        "timmarna. Försök igen senare, eller ring kommunen om det är bråttom.",
        f"You have already sent {n} reports from the same {who_en} in the last {hours} "
        "hours. Please try again later, or call the municipality if it is urgent.",
        field="text",
    )
    return TooMany(refusal.problems)


def throttle_count(*, address: str | None, email: str = "") -> None:
    """Count one report against its address and e-mail, or raise ``TooMany`` when one
    of them has reached its limit in the window (the refused report is not counted)."""
    keys = _keys(address, email)
    if not keys:
        return
    match = Q(pk__in=[])
    for scope, key in keys:
        match |= Q(scope=scope, key=key)
    CitizenThrottle.objects.bulk_create(
        [CitizenThrottle(scope=s, key=k) for s, k in keys], ignore_conflicts=True
    )
    window = datetime.timedelta(seconds=settings.CITIZEN_WINDOW_SECONDS)
    with transaction.atomic():
        rows = list(CitizenThrottle.objects.select_for_update().filter(match).order_by("scope"))
        now = timezone.now()
        for row in rows:
            if now - row.window_start >= window:
                row.count, row.window_start = 0, now
        for row in rows:
            if row.count >= _limit(row.scope):
                raise _too_many(row.scope)
        for row in rows:
            row.count += 1
            row.save(update_fields=["count", "window_start"])


def throttle_prune() -> int:
    horizon = timezone.now() - datetime.timedelta(seconds=settings.CITIZEN_WINDOW_SECONDS)
    return CitizenThrottle.objects.filter(window_start__lt=horizon).delete()[0]


# --- Submitting -----------------------------------------------------------------------


def photo_check(photo: IO[bytes]) -> None:
    """Stricter than staff uploads: 8 MB, and JPEG, PNG or WebP only."""
    name = getattr(photo, "name", "foto")
    if (getattr(photo, "size", 0) or 0) > PHOTO_MAX_BYTES:
        raise InputError.single("Bilden är för stor (högst 8 MB).",
                                "The image is too large (8 MB at most).", file=name, field="photo")  # fmt: skip
    try:
        with Image.open(photo) as image:
            kind = image.format
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        kind = None
    photo.seek(0)
    if kind not in PHOTO_FORMATS:
        raise InputError.single("Bilden ska vara JPEG, PNG eller WebP.",
                                "The image must be JPEG, PNG or WebP.", file=name, field="photo")  # fmt: skip


def point_check(*, municipality_id: str, lat: float, lon: float) -> None:
    if not (55.0 <= lat <= 69.5 and 10.5 <= lon <= 24.5):
        raise InputError.single("Välj en plats i Sverige på kartan.",
                                "Choose a place in Sweden on the map.", field="lat")  # fmt: skip
    found = locate_municipalities([lon], [lat])[0]
    if found is not None and found != municipality_id:
        raise InputError.single("Platsen ligger utanför kommunen. Välj en plats i kommunen.",
                                "The place is outside the municipality. Choose one inside it.",
                                field="lat")  # fmt: skip


def report_submit(
    *, municipality_id: str, category: str, text: str, lat: float, lon: float,
    address: str | None, email: str = "", photo: IO[bytes] | None = None,
    form_key: str | None = None, via: str = "webb", is_demo: bool = False,
) -> Submitted:  # fmt: skip
    """A citizen's report, waiting for moderation. The text is stored masked (the
    original never is); the status page's token is returned once."""
    if category not in Category.values:
        raise InputError.single("Okänd kategori.", "Unknown category.", field="category")
    text = text.strip()
    if not text or len(text) > TEXT_MAX:
        raise InputError.single(f"Beskriv platsen eller felet (högst {TEXT_MAX} tecken).",
                                f"Describe the place or fault ({TEXT_MAX} characters at most).",
                                field="text")  # fmt: skip
    point_check(municipality_id=municipality_id, lat=lat, lon=lon)
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InputError.single("Ogiltig e-postadress.", "Invalid e-mail address.",
                                    field="email") from None  # fmt: skip
    content = None
    if photo is not None:
        photo_check(photo)
        content = photo_clean(photo, name=getattr(photo, "name", "foto"))
    if not is_demo:
        throttle_count(address=address, email=email)
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            report = CitizenReport(
                municipality_id=municipality_id, category=category, text=screen(text).masked,
                lat=lat, lon=lon, email=email.strip(), token_digest=digest(token),
                form_key=form_key or None, via=via, is_demo=is_demo,
            )  # fmt: skip
            if content is not None:
                report.photo.save("foto.jpg", content, save=False)
            report.save()
            audit_record(actor=None, action=AuditEntry.Action.CREATE, obj=report,
                         organisation=_municipality_organisation(municipality_id),
                         actor_name=ACTOR)  # fmt: skip
    except IntegrityError:
        raise Conflict.single("Formuläret är redan inskickat; rapporten sparades en gång.",
                              "The form was already sent; the report was saved once.",
                              field="form_key") from None  # fmt: skip
    if email and not is_demo:
        _mail(email, *_receipt(token))
    return Submitted(report, token)


def _municipality_organisation(municipality_id: str) -> Organisation | None:
    return (
        Organisation.objects.filter(
            municipality_id=municipality_id, kind=Organisation.Kind.MUNICIPALITY, is_active=True
        )
        .order_by("pk")
        .first()
    )


def report_find(token: str) -> CitizenReport | None:
    if not token or len(token) > 100:
        return None
    return (
        CitizenReport.objects.filter(token_digest=digest(token))
        .select_related("deficiency").first()
    )  # fmt: skip


# --- Moderation -----------------------------------------------------------------------


def report_moderate(
    *, report: CitizenReport, by: Any, approve: bool, public_title: str = "",
    public_text: str = "", reject_reason: str = "", severity: int = Severity.MEDIUM,
    category: str = "",
) -> CitizenReport:  # fmt: skip
    """Approve (a routed deficiency with the moderator's public title and text) or
    reject a waiting report; audited. A report moderated since the page was shown is
    a ``Conflict``."""
    public_title, public_text = public_title.strip(), public_text.strip()
    if approve and not public_title:
        raise InputError.single("Skriv en publik rubrik.", "Write a public title.",
                                field="public_title")  # fmt: skip
    if not approve and not reject_reason.strip():
        raise InputError.single("Ange skälet att avvisa.", "Give the reason to reject.",
                                field="reject_reason")  # fmt: skip
    with transaction.atomic():
        locked = CitizenReport.objects.select_for_update().get(pk=report.pk)
        if locked.moderation != Moderation.PENDING:
            raise Conflict.handled("Rapporten är redan granskad", "The report is already moderated",
                                   who=person(locked.moderated_by), when=locked.moderated,
                                   field="moderation")  # fmt: skip
        before = snapshot(locked)
        locked.moderated, locked.moderated_by = timezone.now(), by
        if approve:
            _approve(locked, by, public_title, screen(public_text).masked, severity,
                     category or locked.category)  # fmt: skip
        else:
            locked.moderation, locked.reject_reason = Moderation.REJECTED, reject_reason.strip()
        locked.save()
        audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=locked,
                     changes=diff(before, snapshot(locked)),
                     note="approve" if approve else "reject",
                     organisation=_municipality_organisation(locked.municipality_id))  # fmt: skip
    if locked.email and not locked.is_demo:
        _mail(locked.email, *_moderated(locked))
    return locked


def _approve(report: CitizenReport, by: Any, title: str, text: str, severity: int,
             category: str) -> None:  # fmt: skip
    photo = report.photo.open("rb") if report.photo else None
    try:
        report.deficiency = services.deficiency_create(
            by=by, municipality_id=report.municipality_id, category=category,
            severity=severity, title=title, source=Source.CITIZEN, description=text,
            lat=report.lat, lon=report.lon, photo=photo, is_demo=report.is_demo,
        )  # fmt: skip
    finally:
        if photo is not None:
            photo.close()
    report.moderation, report.public_title, report.public_text = Moderation.APPROVED, title, text
    report.category = category


# --- What the public sees ---------------------------------------------------------------


def public_reports(municipality_id: str | None = None) -> QuerySet[CitizenReport]:
    """Approved reports whose deficiency still exists: the public map and Open311."""
    reports = CitizenReport.objects.filter(
        moderation=Moderation.APPROVED, deficiency__isnull=False
    ).select_related("deficiency")
    if municipality_id:
        reports = reports.filter(municipality_id=municipality_id)
    return reports


def is_open(report: CitizenReport) -> bool:
    if report.moderation == Moderation.REJECTED:
        return False
    return report.deficiency is None or report.deficiency.status in OPEN_STATUSES


def closed_at(report: CitizenReport) -> datetime.datetime | None:
    """When the case closed: rejected, or its deficiency fixed or verified."""
    if report.moderation == Moderation.REJECTED:
        return report.moderated
    if report.deficiency is not None and report.deficiency.status in CLOSED:
        return report.deficiency.status_changed
    return None


# --- Mail to the reporter and erasing the address ---------------------------------------


def _status_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("inspections:citizen_status", args=[token])


def _receipt(token: str) -> tuple[str, str]:
    link = _status_link(token)
    return ("Tack för din rapport / Thank you for your report",
            f"Vi har tagit emot din rapport. Följ den här:\n{link}\n\n"
            f"We have received your report. Follow it here:\n{link}\n")  # fmt: skip


def _moderated(report: CitizenReport) -> tuple[str, str]:
    if report.moderation == Moderation.APPROVED:
        return ("Din rapport är godkänd / Your report is approved",
                f"Din rapport \"{report.public_title}\" är skickad till den som ansvarar för "
                f"platsen.\n\nYour report \"{report.public_title}\" has been sent to the owner "
                "of the place.\n")  # fmt: skip
    return ("Din rapport är granskad / Your report has been reviewed",
            f"Din rapport gick inte vidare: {report.reject_reason}\n\n"
            f"Your report was not taken further: {report.reject_reason}\n")  # fmt: skip


def _mail(address: str, subject: str, body: str) -> None:
    def send() -> None:
        try:
            send_mail(subject, body, None, [address])
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not e-mail a citizen reporter")

    transaction.on_commit(send)


def followup(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Nightly: tell reporters whose case was fixed or verified (once per status), and
    erase the e-mail of cases closed more than ``CITIZEN_EMAIL_DAYS`` ago. Returns
    (mails, erased)."""
    now = now or timezone.now()
    mails = erased = 0
    horizon = now - datetime.timedelta(days=settings.CITIZEN_EMAIL_DAYS)
    with_email = CitizenReport.objects.exclude(email="").select_related("deficiency")
    for report in with_email.filter(is_demo=False, deficiency__status__in=CLOSED):
        deficiency = report.deficiency
        status = deficiency.status if deficiency else ""
        if deficiency and status != report.told_status:
            _mail(report.email, "Din rapport är åtgärdad / Your report has been fixed",
                  f"\"{report.public_title}\": {deficiency.get_status_display()}.\n\n"
                  f"\"{report.public_title}\": {status}.\n")  # fmt: skip
            CitizenReport.objects.filter(pk=report.pk).update(told_status=status)
            mails += 1
    for report in with_email:
        closed = closed_at(report)
        if closed is not None and closed < horizon:
            CitizenReport.objects.filter(pk=report.pk).update(email="")
            erased += 1
    throttle_prune()
    return mails, erased
