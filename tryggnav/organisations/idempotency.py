"""Create forms that create once: a double submit gives one object.

A form that creates something inherits ``OnceForm``, which adds a hidden one-time key
(``form_key``, a fresh UUID each time the form is shown). The view wraps the create in
``once``::

    with once(user=request.user, key=form.cleaned_data["form_key"]) as submission:
        meeting = services.meeting_create(...)
        submission.created(meeting)

The key is recorded per user in the same transaction as the object. A second
submission with the same key waits for the first (the unique constraint) and then
raises ``AlreadySubmitted`` naming what the first created. If the create fails, the
key is not used and the form can be sent again. The API takes the same key in an
``Idempotency-Key`` header and answers a repeat with 409.

A page uses ``page_once`` in a view decorated with ``creates_once``, which sends the
user to what the first submission created, with a message::

    @creates_once
    def meeting_create(request, ...):
        ...
        with page_once(request, form.cleaned_data["form_key"]) as submission:
            ...
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from tryggnav.lib.errors import Conflict, InputError, Problem
from tryggnav.organisations.models import FormSubmission

KEY_FIELD = "form_key"
KEY_LENGTH = 64
# A one-time key is kept this long; a form left open longer creates again.
KEY_DAYS = 7


class AlreadySubmitted(Conflict):
    """The form was sent before; ``url`` is what it created then."""

    url: str = ""


class OnceForm:
    """Mixin for a create form (``class MeetingForm(OnceForm, forms.Form)``): adds the
    hidden one-time key, fresh each time the form is shown unbound."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, once: bool = True, **kwargs: Any) -> None:
        """``once=False`` where the same form edits an object: an edit sent twice
        gives the same result, it does not duplicate anything."""
        super().__init__(*args, **kwargs)
        if not once:
            return
        self.fields[KEY_FIELD] = forms.CharField(
            required=False, max_length=KEY_LENGTH, widget=forms.HiddenInput, initial=uuid.uuid4
        )


class Submission:
    def __init__(self, row: FormSubmission | None) -> None:
        self.row = row

    def created(self, obj: models.Model, *, url: str = "") -> None:
        """Record what the submission created (and where it is shown, when the object
        has no page of its own), for a second submission to find."""
        if self.row is None:
            return
        self.row.object_type = obj._meta.label_lower
        self.row.object_url = url or obj.get_absolute_url()  # type: ignore[attr-defined]
        self.row.save(update_fields=["object_type", "object_url"])


def already_submitted(row: FormSubmission) -> AlreadySubmitted:
    stamp = timezone.localtime(row.created).strftime("%Y-%m-%d %H:%M")
    error = AlreadySubmitted(
        [
            Problem(
                f"Formuläret är redan inskickat (kl. {stamp}); det skapades bara en gång.",
                f"The form was already sent (at {stamp}); it was created only once.",
                field=KEY_FIELD,
            )
        ]
    )
    error.url = row.object_url
    return error


@contextmanager
def once(*, user: Any, key: str | None) -> Iterator[Submission]:
    """Run the body (the create) at most once per user and key, in one transaction.

    Without a key (an old form, a client that sends none) the body simply runs."""
    key = (key or "").strip()
    if len(key) > KEY_LENGTH:
        raise InputError.single(
            f"Engångsnyckeln är för lång (högst {KEY_LENGTH} tecken).",
            f"The idempotency key is too long (at most {KEY_LENGTH} characters).",
            field=KEY_FIELD,
        )
    if not key or not getattr(user, "is_authenticated", False):
        with transaction.atomic():
            yield Submission(None)
        return
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = FormSubmission.objects.create(user=user, key=key)
        except IntegrityError:
            raise already_submitted(FormSubmission.objects.get(user=user, key=key)) from None
        yield Submission(row)


class SentBefore(Exception):
    """A page's create form was sent before (raised by ``page_once``); the view's
    ``creates_once`` turns it into a redirect to what the first submission created."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


@contextmanager
def page_once(request: HttpRequest, key: str | None, *, fallback: str = "") -> Iterator[Submission]:
    """``once`` for a page: a repeat raises ``SentBefore``, which is no ``InputError``,
    so the view's own error handling lets it through to ``creates_once``. ``fallback``
    (a URL or URL name) is where to go when the first submission recorded no page."""
    try:
        with once(user=request.user, key=key) as submission:
            yield submission
    except AlreadySubmitted as error:
        raise SentBefore(error.text(), error.url or fallback or request.get_full_path()) from None


def creates_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a create view that uses ``page_once``: a form sent twice shows what the
    first submission created, with a message saying so."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SentBefore as sent:
            messages.info(request, sent.message)
            return redirect(sent.url)

    return wrapper


def prune(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Forget one-time keys older than KEY_DAYS (run nightly by ``apply_retention``);
    returns how many were (or, with ``dry_run``, would be) removed."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEY_DAYS)
    old = FormSubmission.objects.filter(created__lt=cutoff)
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted
