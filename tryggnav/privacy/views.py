"""Pages: the retention policy and its runs, a person's data export and erasure."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import authenticated_user, get_organisation
from tryggnav.organisations.models import Membership, Role
from tryggnav.privacy import services
from tryggnav.privacy.forms import RetentionPolicyForm
from tryggnav.privacy.models import RetentionPolicy


def _json_download(data: dict[str, Any], filename: str) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def policy(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_organisation(request.user, slug, role=Role.ADMIN)
    organisation = membership.organisation
    current = RetentionPolicy.objects.filter(organisation=organisation).first()
    initial = (
        {"text_months": current.text_months, "photo_months": current.photo_months}
        if current is not None
        else None
    )
    form = RetentionPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_policy_update(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Gallringspolicyn sparades."))
            return redirect("privacy:policy", organisation.slug)
    return render(
        request,
        "privacy/retentionpolicy_form.html",
        {
            "organisation": organisation,
            "form": form,
            "runs": organisation.retention_runs.all()[:20],
            "members": organisation.memberships.select_related("user").order_by("user__email"),
        },
        status=400 if form.errors else 200,
    )


def _member(request: HttpRequest, slug: str, member: str) -> tuple[Membership, Membership]:
    membership = get_organisation(request.user, slug, role=Role.ADMIN)
    target = get_object_or_404(
        Membership.objects.select_related("user"),
        organisation=membership.organisation,
        public_id=member,
    )
    return membership, target


def person_export(request: HttpRequest, slug: str, member: str) -> HttpResponse:
    membership, target = _member(request, slug, member)
    data = services.person_export(
        user=target.user, by=request.user, organisation=membership.organisation
    )
    return _json_download(data, f"personuppgifter-{target.public_id}.json")


def person_erase(request: HttpRequest, slug: str, member: str) -> HttpResponse:
    membership, target = _member(request, slug, member)
    organisation = membership.organisation
    error = None
    if request.method == "POST":
        try:
            services.person_erase(user=target.user, by=request.user, organisation=organisation)
        except InputError as problem:
            error = problem.text()
        else:
            messages.success(request, _("Personens uppgifter raderades."))
            return redirect("privacy:policy", organisation.slug)
    return render(
        request,
        "privacy/person_erase.html",
        {"organisation": organisation, "target": target, "error": error},
        status=400 if error else 200,
    )


def my_export(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    data = services.person_export(user=user, by=user)
    return _json_download(data, "mina-uppgifter.json")
