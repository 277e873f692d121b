"""A notification's sentence, written in the reader's language from its stored values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from tryggnav.lib import numbers
from tryggnav.notifications.models import Kind, Notification

_TEXTS: dict[str, Callable[[dict[str, Any]], str]] = {
    Kind.MISSING_REPORT: lambda p: (
        _("%(organisation)s har inte rapporterat något vecka %(week)s i %(group)s.") % p
    ),
    Kind.ACTION_ASSIGNED: lambda p: (
        _("Du är ansvarig för åtgärden ”%(what)s” i %(group)s, klar senast %(due)s.") % p
    ),
    Kind.ACTION_DUE: lambda p: (
        _("Åtgärden ”%(what)s” i %(group)s ska vara klar senast %(due)s.") % p
    ),
    Kind.ACTION_OVERDUE: lambda p: (
        _("Åtgärden ”%(what)s” i %(group)s skulle ha varit klar %(due)s.") % p
    ),
    Kind.REVIEW: lambda p: (
        _("Rapporter som väntar på granskning i %(group)s: %(count)s.")
        % {**p, "count": numbers.number(p["count"])}
    ),
    Kind.ESCALATION: lambda p: _("Ett hinder i ”%(problem)s” har lyfts till %(raised_to)s.") % p,
    Kind.FOLLOW_UP: lambda p: (
        _("Uppföljningen av ”%(programme)s” för %(year)s är inte påbörjad.") % p
    ),
    Kind.LAW_DOCUMENT_DUE: lambda p: (
        (
            _("%(document)s för %(organisation)s skulle ha beslutats %(due)s.")
            if p.get("overdue")
            else _("%(document)s för %(organisation)s ska beslutas senast %(due)s.")
        )
        % {**p, "document": _(p["document"])}
    ),  # fmt: skip
    Kind.LAW_CONTRIBUTION: lambda p: (
        _("%(organisation)s har inte lämnat sitt bidrag till ”%(document)s”, senast %(due)s.") % p
    ),
}


def text(notification: Notification) -> str:
    """The sentence in the active language; a kind this version does not know says so."""
    write = _TEXTS.get(notification.kind)
    try:
        return write(notification.params) if write else notification.get_kind_display()
    except (KeyError, TypeError, ValueError):
        return notification.get_kind_display()
