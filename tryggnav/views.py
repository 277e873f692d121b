"""Project-wide pages: about, health check, error pages and the municipality's overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tryggnav import overview
from tryggnav.organisations.access import get_organisation
from tryggnav.organisations.models import Organisation, Role


@login_not_required
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def municipality_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Kommunstyrelsen's view, for every member of the municipality's own organisation."""
    membership = get_organisation(request.user, slug)
    organisation = membership.organisation
    if organisation.kind != Organisation.Kind.MUNICIPALITY or organisation.municipality_id is None:
        raise PermissionDenied
    return render(
        request,
        "municipality_overview.html",
        {
            "organisation": organisation,
            "municipality": organisation.municipality,
            "overview": overview.municipality_overview(membership),
            "is_admin": membership.has_role(Role.ADMIN),
        },
    )
