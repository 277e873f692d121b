"""Retention (anonymise old free text, delete old photos) and a person's data (export, erasure).

Retention is applied by ``tryggnav apply_retention`` (cron or a systemd timer,
docs/deployment.md); each organisation's run is recorded and audited with counts,
never with the text. Erasure anonymises the account and redacts the audit log
(``tryggnav.audit.services.audit_redact``); the person's reports stay with their
organisation. See docs/privacy.md.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_create, audit_record, audit_redact, audit_update, snapshot
from tryggnav.incidents.models import Incident, IncidentPhoto
from tryggnav.lib.errors import InputError
from tryggnav.organisations import throttle
from tryggnav.organisations.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from tryggnav.privacy.models import ANONYMISED, RetentionPolicy, RetentionRun

MAX_MONTHS = 1200


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _check_months(value: int | None, field: str) -> None:
    if value is not None and not 1 <= value <= MAX_MONTHS:
        raise InputError.single(
            f"Ange ett antal månader mellan 1 och {MAX_MONTHS}, eller lämna tomt.",
            f"Give a number of months between 1 and {MAX_MONTHS}, or leave it empty.",
            field=field,
        )


def retention_policy_update(
    *, organisation: Organisation, by: Any, text_months: int | None, photo_months: int | None
) -> RetentionPolicy:
    """Set the organisation's retention policy (empty: keep), audited."""
    _check_months(text_months, "text_months")
    _check_months(photo_months, "photo_months")
    with transaction.atomic():
        policy, created = RetentionPolicy.objects.get_or_create(organisation=organisation)
        before = snapshot(policy)
        policy.text_months, policy.photo_months = text_months, photo_months
        policy.save()
        if created:
            audit_create(actor=by, obj=policy, organisation=organisation)
        else:
            audit_update(actor=by, obj=policy, before=before, organisation=organisation)
    return policy


@dataclass(frozen=True)
class RetentionResult:
    organisation: Organisation
    texts: int
    photos: int
    dry_run: bool


def _texts_due(policy: RetentionPolicy, now: datetime) -> QuerySet[Incident]:
    if policy.text_months is None:
        return Incident.objects.none()
    cutoff = months_before(now, policy.text_months)
    has_text = (Q(text__gt="") & ~Q(text=ANONYMISED)) | (
        Q(rejection_reason__gt="") & ~Q(rejection_reason=ANONYMISED)
    )
    return Incident.objects.filter(
        has_text, organisation=policy.organisation, reported_at__lt=cutoff
    )


def _photos_due(policy: RetentionPolicy, now: datetime) -> QuerySet[IncidentPhoto]:
    if policy.photo_months is None:
        return IncidentPhoto.objects.none()
    cutoff = months_before(now, policy.photo_months)
    return IncidentPhoto.objects.filter(
        incident__organisation=policy.organisation, created__lt=cutoff
    )


def _anonymise_texts(incidents: QuerySet[Incident], now: datetime) -> int:
    ids = list(incidents.values_list("pk", flat=True))
    chosen = Incident.objects.filter(pk__in=ids)
    chosen.filter(text__gt="").update(
        text=ANONYMISED, text_masked=ANONYMISED, has_personal_data=False, updated=now
    )
    chosen.filter(rejection_reason__gt="").update(rejection_reason=ANONYMISED, updated=now)
    return len(ids)


def _delete_photos(photos: QuerySet[IncidentPhoto]) -> int:
    chosen = list(photos)
    names = [photo.image.name for photo in chosen if photo.image.name]
    storage = IncidentPhoto._meta.get_field("image").storage
    IncidentPhoto.objects.filter(pk__in=[p.pk for p in chosen]).delete()

    # Files go after the commit, so a rolled-back run never leaves rows without files.
    def remove_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return len(chosen)


def _apply_policy(policy: RetentionPolicy, now: datetime, dry_run: bool) -> RetentionResult:
    texts, photos = _texts_due(policy, now), _photos_due(policy, now)
    organisation = policy.organisation
    if dry_run:
        return RetentionResult(organisation, texts.count(), photos.count(), True)
    with transaction.atomic():
        n_texts = _anonymise_texts(texts, now)
        n_photos = _delete_photos(photos)
        run = RetentionRun.objects.create(
            organisation=organisation,
            text_months=policy.text_months,
            photo_months=policy.photo_months,
            texts_anonymised=n_texts,
            photos_deleted=n_photos,
        )
        if n_texts or n_photos:
            audit_record(
                actor=None,
                action=AuditEntry.Action.UPDATE,
                obj=run,
                organisation=organisation,
                changes={"texts_anonymised": [None, n_texts], "photos_deleted": [None, n_photos]},
                note="Gallring enligt organisationens policy",
            )
    return RetentionResult(organisation, n_texts, n_photos, False)


def retention_apply(
    *, dry_run: bool = False, organisation: Organisation | None = None, now: datetime | None = None
) -> list[RetentionResult]:
    """Apply every organisation's policy (or one's). Idempotent: what is done is not redone."""
    now = now or timezone.now()
    policies = RetentionPolicy.objects.select_related("organisation").order_by("organisation__name")
    if organisation is not None:
        policies = policies.filter(organisation=organisation)
    return [_apply_policy(p, now, dry_run) for p in policies if p.is_active]


# --- A person's data ---------------------------------------------------------------


def person_find(identifier: str) -> Any:
    """The user with this e-mail address, username or id; InputError if there is none."""
    identifier = (identifier or "").strip()
    match = Q(email__iexact=identifier) | Q(username=identifier)
    if identifier.isdigit():
        match |= Q(pk=int(identifier))
    users = get_user_model().objects.filter(match)
    user = users.first() if identifier else None
    if user is None:
        raise InputError.single(
            f"Ingen användare med e-postadressen eller användarnamnet {identifier!r}.",
            f"No user with the e-mail address or username {identifier!r}.",
            field="user",
        )
    return user


def _personal_terms(user: Any) -> list[str]:
    terms = {user.email, user.username, user.get_full_name()}
    return sorted((t for t in terms if t and t.strip()), key=len, reverse=True)


def _entries_about(user: Any) -> QuerySet[AuditEntry]:
    """Audit entries by the user or naming them (e-mail, username, full name) anywhere."""
    query = Q(actor_id=user.pk)
    for term in _personal_terms(user):
        # SQLite stores JSON with non-ASCII characters escaped; look for both forms.
        for form in {term, json.dumps(term)[1:-1]}:
            query |= Q(changes_text__icontains=form) | Q(actor_name__icontains=form)
        query |= Q(object_repr__icontains=term) | Q(note__icontains=term)
    return AuditEntry.objects.annotate(changes_text=Cast("changes", TextField())).filter(query)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _entry_json(entry: AuditEntry, user: Any) -> dict[str, Any]:
    return {
        "at": _iso(entry.at),
        "by_this_user": entry.actor_id == user.pk,
        "actor": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object": entry.object_repr,
        "changes": entry.changes,
        "note": entry.note,
    }


def _incident_json(incident: Incident) -> dict[str, Any]:
    return {
        "id": str(incident.public_id),
        "organisation": incident.organisation.slug if incident.organisation else None,
        "category": incident.category.slug,
        "occurred_from": _iso(incident.occurred_from),
        "reported_at": _iso(incident.reported_at),
        "status": incident.status,
        "text": incident.text,
        "text_masked": incident.text_masked,
        "photos": incident.photos.count(),
    }


def _account_json(user: Any) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def _token_json(token: ApiToken) -> dict[str, Any]:
    # Metadata only: the key itself is never stored, and its hash is not exported.
    return {
        "name": token.name,
        "prefix": token.prefix,
        "created": _iso(token.created),
        "last_used": _iso(token.last_used),
    }


def _invitation_json(invitation: Invitation, user: Any) -> dict[str, Any]:
    return {
        "organisation": invitation.organisation.slug,
        "email": invitation.email,
        "role": invitation.role,
        "created": _iso(invitation.created),
        "accepted": _iso(invitation.accepted),
        "sent_by_this_user": invitation.invited_by_id == user.pk,
    }


def person_export(
    *, user: Any, by: Any, organisation: Organisation | None = None
) -> dict[str, Any]:
    """What Tryggnav holds about ``user``, as JSON-ready data; audited as an export.

    With ``organisation`` (an administrator's export) memberships, reports,
    invitations and audit entries are those of that organisation; without it
    (the person's own export, or the command) everything.
    """
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    incidents = Incident.objects.filter(reported_by=user).select_related("organisation", "category")
    entries = _entries_about(user)
    to_them = Q(email__iexact=user.email) if user.email else Q(pk__in=[])
    invitations = Invitation.objects.filter(to_them | Q(invited_by=user))
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
        incidents = incidents.filter(organisation=organisation)
        entries = entries.filter(organisation_id=organisation.pk)
        invitations = invitations.filter(organisation=organisation)
    data = {
        "exported_at": _iso(timezone.now()),
        "scope": organisation.slug if organisation is not None else "all",
        "account": _account_json(user),
        "memberships": [
            {"organisation": m.organisation.slug, "role": m.role, "title": m.title}
            for m in memberships
        ],
        "incidents_reported": [_incident_json(i) for i in incidents],
        "audit_entries": [_entry_json(e, user) for e in entries],
        "api_tokens": [_token_json(t) for t in ApiToken.objects.filter(user=user)],
        "invitations": [
            _invitation_json(i, user) for i in invitations.select_related("organisation")
        ],
    }
    audit_record(
        actor=by,
        action=AuditEntry.Action.EXPORT,
        organisation=organisation,
        object_type="auth.user",
        object_id=str(user.pk),
        object_repr=f"Användare #{user.pk}",
        note="Export av personuppgifter",
    )
    return data


@dataclass(frozen=True)
class ErasureResult:
    user_id: int
    audit_entries_redacted: int
    reports_kept: int
    memberships_removed: int
    tokens_revoked: int
    invitations_cleared: int


def erased_label(user_id: int) -> str:
    """What an erased user is called from then on (in the account and the audit log)."""
    return f"Raderad användare #{user_id}"


def _check_erasable(user: Any, by: Any) -> None:
    # Erasing again would redact the erased name, which other erased users share.
    if user.username == f"raderad-{user.pk}":
        raise InputError.single(
            f"Användarens uppgifter är redan raderade ({erased_label(user.pk)}).",
            f"The user's data is already erased ({erased_label(user.pk)}).",
            field="user",
        )
    if by is not None and by.pk == user.pk:
        raise InputError.single(
            "Du kan inte radera dina egna uppgifter här; be en annan administratör.",
            "You cannot erase your own data here; ask another administrator.",
            field="user",
        )
    if by is None:
        return
    # An administrator erases only people whose every organisation they administer.
    administered = Membership.objects.filter(user=by, role=Role.ADMIN).values("organisation")
    others = Membership.objects.filter(user=user).exclude(organisation__in=administered)
    names = sorted(others.values_list("organisation__name", flat=True))
    if names:
        joined = ", ".join(names)
        raise InputError.single(
            f"Personen är också medlem i {joined}; en administratör där måste radera uppgifterna.",
            f"The person is also a member of {joined}; an administrator there must erase the data.",
            field="user",
        )


def _redactor(user: Any):
    label = erased_label(user.pk)
    patterns = [re.compile(re.escape(term), re.IGNORECASE) for term in _personal_terms(user)]

    def redact(text: str) -> str:
        for pattern in patterns:
            text = pattern.sub(label, text)
        return text

    return redact


def _anonymise_account(user: Any) -> None:
    user.first_name, user.last_name = "Raderad", "användare"
    user.email = ""
    user.username = f"raderad-{user.pk}"
    user.set_unusable_password()
    user.is_active = False
    user.save()


def person_erase(*, user: Any, by: Any, organisation: Organisation | None = None) -> ErasureResult:
    """Anonymise ``user``: account, memberships, tokens, invitations, audit log text.

    Their reports stay with their organisation, without the reporter. The audit
    entries keep the user id and lose the name, e-mail address and username.
    Raises InputError (and changes nothing) when ``by`` may not erase this user.
    """
    _check_erasable(user, by)
    old_terms = _personal_terms(user)
    with transaction.atomic():
        redacted = audit_redact(
            entries=list(_entries_about(user)),
            redact=_redactor(user),
            actor_label=(user.pk, erased_label(user.pk)),
        )
        reports = Incident.objects.filter(reported_by=user).update(reported_by=None)
        memberships = Membership.objects.filter(user=user).delete()[0]
        tokens = ApiToken.objects.filter(user=user).delete()[0]
        invitations = Invitation.objects.filter(email__iexact=user.email) if user.email else None
        cleared = 0
        if invitations is not None:
            cleared = invitations.filter(accepted__isnull=True).delete()[0]
            cleared += invitations.update(email="")
        for term in old_terms:  # the login counters keyed by their name
            throttle.account_forget(username=term)
        _anonymise_account(user)
        result = ErasureResult(user.pk, redacted, reports, memberships, tokens, cleared)
        audit_record(
            actor=by,
            action=AuditEntry.Action.DELETE,
            organisation=organisation,
            object_type="auth.user",
            object_id=str(user.pk),
            object_repr=erased_label(user.pk),
            changes={
                name: [None, value] for name, value in vars(result).items() if name != "user_id"
            },
            note="Personuppgifter raderade; rapporterna finns kvar hos organisationen.",
        )
    return result
