"""Who may see and do what in the fund. Built on ``tryggnav.organisations.access``;
views call these and nothing else.

- a fund and its calls are visible to members of organisations in the fund's
  municipality and to people with a role in the fund; others get 404;
- fund administrators: coordinators (and admins) of the administering organisation,
  and users with the named administrator role; they see every application and decide;
- members of the administering organisation read every application;
- an application is seen by its applicant organisation's members and edited by its
  reporters and up;
- an assessor sees the applications assigned to them (a declared conflict removes it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tryggnav.fund.models import Application, Assessment, Call, Fund, FundRole
from tryggnav.organisations.access import memberships_of, organisations_of
from tryggnav.organisations.models import Role


def visible_funds(user: Any) -> QuerySet[Fund]:
    if not user.is_authenticated:
        return Fund.objects.none()
    municipalities = organisations_of(user).values("municipality_id")
    return Fund.objects.filter(
        Q(municipality_id__in=municipalities) | Q(roles__user=user)
    ).distinct()


def is_administrator(user: Any, fund: Fund) -> bool:
    if not user.is_authenticated:
        return False
    if FundRole.objects.filter(fund=fund, user=user, kind=FundRole.Kind.ADMINISTRATOR).exists():
        return True
    membership = memberships_of(user).filter(organisation_id=fund.organisation_id).first()
    return membership is not None and membership.has_role(Role.COORDINATOR)


def reads_all(user: Any, fund: Fund) -> bool:
    """Members of the administering organisation and administrators see every application."""
    return (
        is_administrator(user, fund)
        or memberships_of(user).filter(organisation_id=fund.organisation_id).exists()
    )


def get_fund(user: Any, public_id: Any, *, admin: bool = False) -> Fund:
    fund = visible_funds(user).filter(public_id=public_id).select_related("organisation").first()
    if fund is None:
        raise Http404
    if admin and not is_administrator(user, fund):
        raise PermissionDenied
    return fund


def get_call(user: Any, public_id: Any) -> Call:
    call = Call.objects.filter(public_id=public_id).select_related("fund").first()
    if call is None or not visible_funds(user).filter(pk=call.fund_id).exists():
        raise Http404
    return call


def assigned(user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.filter(assessor=user, conflict=False)


def visible_applications(user: Any, fund: Fund) -> QuerySet[Application]:
    applications = Application.objects.filter(fund=fund)
    if reads_all(user, fund):
        return applications
    return applications.filter(
        Q(organisation__in=organisations_of(user))
        | Q(pk__in=assigned(user).values("application_id"))
    ).exclude(Q(state=Application.State.DRAFT) & ~Q(organisation__in=organisations_of(user)))


def can_edit(user: Any, application: Application) -> bool:
    membership = memberships_of(user).filter(organisation_id=application.organisation_id).first()
    return membership is not None and membership.has_role(Role.REPORTER)


def get_application(
    user: Any, public_id: Any, *, edit: bool = False, admin: bool = False
) -> Application:
    """404 for who may not see it; 403 for a reader who may not edit, or a
    non-administrator asking to decide."""
    application = (
        Application.objects.filter(public_id=public_id)
        .select_related("fund__organisation", "call", "organisation")
        .first()
    )
    if application is None or not user.is_authenticated:
        raise Http404
    if not visible_applications(user, application.fund).filter(pk=application.pk).exists():
        raise Http404
    if edit and not can_edit(user, application):
        raise PermissionDenied
    if admin and not is_administrator(user, application.fund):
        raise PermissionDenied
    return application


def get_assessment(user: Any, public_id: Any) -> Assessment:
    """The user's own assessment; 403 to others who may see the application."""
    assessment = (
        Assessment.objects.filter(public_id=public_id)
        .select_related("application__fund", "application__call")
        .first()
    )
    if assessment is None:
        raise Http404
    get_application(user, assessment.application.public_id)
    if assessment.assessor_id != user.pk:
        raise PermissionDenied
    return assessment


def founding_organisations(user: Any) -> QuerySet[Any]:
    """The organisations a user may start a fund for: those they coordinate that have a
    home municipality (a fund belongs to a municipality)."""
    if not user.is_authenticated:
        return organisations_of(user).none()
    return organisations_of(user, role=Role.COORDINATOR).filter(municipality__isnull=False)


def get_founding_organisation(user: Any, slug: str) -> Any:
    """404 unless the user belongs to the organisation; 403 unless they may start a
    fund for it."""
    organisation = organisations_of(user).filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if not founding_organisations(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    return organisation
