"""Who may change a municipality's geography (add and delete its named places, import
its areas' populations) and which municipalities are the user's own.

Geography sits below the organisations (an organisation belongs to a municipality), so
this app does not import their access rules: the organisations app registers them here
from its ``AppConfig.ready()`` (``tryggnav.organisations.access.GeographyRules``), as the
incidents app registers its recovery with the background app.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from tryggnav.areas.models import Municipality


class Rules(Protocol):
    def editor(self, user: Any, municipality: Municipality) -> models.Model | None:
        """An organisation of the user's in the municipality in which the user is at
        least a coordinator, else None."""
        ...

    def municipality_codes(self, user: Any) -> set[str]:
        """The municipalities of the user's organisations and collaboration groups."""
        ...

    def is_member(self, user: Any, organisation_id: int, *, coordinator: bool = False) -> bool:
        """Whether the user is a member of the organisation (with ``coordinator``: at
        least a coordinator)."""
        ...


_rules: Rules | None = None


def register(rules: Rules) -> None:
    global _rules
    _rules = rules


def rules() -> Rules:
    if _rules is None:
        raise ImproperlyConfigured("tryggnav.organisations registers the geography's access")
    return _rules


def editor_organisation(user: Any, municipality: Municipality) -> Any:
    return rules().editor(user, municipality)


def own_municipality_codes(user: Any) -> set[str]:
    return rules().municipality_codes(user)


def is_member(user: Any, organisation_id: int, *, coordinator: bool = False) -> bool:
    return rules().is_member(user, organisation_id, coordinator=coordinator)
