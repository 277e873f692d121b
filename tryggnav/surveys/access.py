"""Who may see and change survey data (the rules are in models.py's docstring).

One condition per line: a survey is visible when it is public or the user is a member
of its organisation; changing it needs the coordinator role in that organisation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tryggnav.organisations.access import memberships_of
from tryggnav.organisations.models import Role
from tryggnav.surveys.models import Indicator, Result, Survey

User = Any


def can_edit(user: User, survey: Survey) -> bool:
    membership = memberships_of(user).filter(organisation=survey.organisation_id).first()
    return membership is not None and membership.has_role(Role.COORDINATOR)


def _checked(user: User, survey: Survey | None, edit: bool) -> Survey:
    if survey is None:
        raise Http404
    if not Survey.objects.visible_to(user).filter(pk=survey.pk).exists():
        raise Http404
    if edit and not can_edit(user, survey):
        raise PermissionDenied
    return survey


def get_survey(user: User, public_id: Any, *, edit: bool = False) -> Survey:
    """A survey the user may see (404 otherwise); with ``edit``, may change (403 otherwise)."""
    survey = Survey.objects.select_related("organisation").filter(public_id=public_id).first()
    return _checked(user, survey, edit)


def get_indicator(user: User, public_id: Any, *, edit: bool = False) -> Indicator:
    indicator = (
        Indicator.objects.select_related("survey__organisation").filter(public_id=public_id).first()
    )
    _checked(user, indicator.survey if indicator else None, edit)
    assert indicator is not None
    return indicator


def get_result(user: User, public_id: Any, *, edit: bool = False) -> Result:
    result = (
        Result.objects.select_related("indicator__survey__organisation")
        .filter(public_id=public_id)
        .first()
    )
    _checked(user, result.indicator.survey if result else None, edit)
    assert result is not None
    return result


def visible_results(user: User):
    return Result.objects.filter(indicator__survey__in=Survey.objects.visible_to(user))
