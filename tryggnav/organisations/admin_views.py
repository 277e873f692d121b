"""The municipality's administration pages (not Django's admin): organisations, people,
collaboration groups and the coordination function. Only an admin of the municipality's
own organisation gets here (``access.get_municipality_admin``); writes go through
``admin_services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.areas.models import Area
from tryggnav.lib.errors import InputError
from tryggnav.organisations import admin_services, services
from tryggnav.organisations.access import (
    administered_groups,
    administered_organisations,
    authenticated_user,
    get_municipality_admin,
)
from tryggnav.organisations.forms import (
    CoordinationFunctionForm,
    GroupAreasForm,
    GroupForm,
    GroupMemberForm,
    OrganisationForm,
    PersonInviteForm,
    PersonUpdateForm,
)
from tryggnav.organisations.models import (
    CoordinationFunction,
    GroupMembership,
    Invitation,
    Membership,
    Role,
)


def _render(request: HttpRequest, template: str, admin: Membership, **context: Any):
    context.update(
        {"admin_org": admin.organisation, "municipality": admin.organisation.municipality}
    )
    return render(request, f"organisations/{template}", context)


def index(request: HttpRequest, slug: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    organisations = administered_organisations(admin)
    return _render(
        request,
        "admin_index.html",
        admin,
        organisations=organisations.filter(is_active=True).count(),
        people=Membership.objects.filter(
            organisation__in=organisations, deactivated__isnull=True
        ).count(),
        groups=administered_groups(admin).count(),
        function=CoordinationFunction.objects.filter(organisation=admin.organisation).first(),
    )


# Organisations


def organisations(request: HttpRequest, slug: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    form = OrganisationForm(
        request.POST or None, initial={"municipality": admin.organisation.municipality_id}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                organisation = admin_services.organisation_create(
                    **form.cleaned_data, by=authenticated_user(request), admin_of=admin.organisation
                )
            except InputError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("%(org)s skapades.") % {"org": organisation.name})
                return redirect("organisations:admin_organisations", slug)
    rows = administered_organisations(admin).annotate(
        people=Count("memberships", filter=Q(memberships__deactivated__isnull=True))
    )
    return _render(
        request,
        "admin_organisations.html",
        admin,
        form=form,
        rows=rows.order_by("-is_active", "name"),
    )


def organisation_edit(request: HttpRequest, slug: str, org: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    organisation = get_object_or_404(administered_organisations(admin), slug=org)
    initial = {
        "name": organisation.name,
        "kind": organisation.kind,
        "municipality": organisation.municipality_id,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            admin_services.organisation_update(
                organisation=organisation,
                **form.cleaned_data,
                by=authenticated_user(request),
                admin_of=admin.organisation,
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Ändringarna sparades."))
            return redirect("organisations:admin_organisations", slug)
    return _render(
        request, "admin_organisation_edit.html", admin, form=form, organisation=organisation
    )


@require_POST
def organisation_active(request: HttpRequest, slug: str, org: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    organisation = get_object_or_404(administered_organisations(admin), slug=org)
    active = request.POST.get("active") == "1"
    try:
        admin_services.organisation_set_active(
            organisation=organisation,
            active=active,
            by=authenticated_user(request),
            admin_of=admin.organisation,
        )
    except InputError as error:
        messages.error(request, error.text())
    else:
        text = _("%(org)s är aktiv igen.") if active else _("%(org)s avaktiverades.")
        messages.success(request, text % {"org": organisation.name})
    return redirect("organisations:admin_organisations", slug)


# People


def people(request: HttpRequest, slug: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    organisations = administered_organisations(admin)
    active_orgs = organisations.filter(is_active=True)
    form = PersonInviteForm(
        request.POST or None,
        organisations=active_orgs,
        initial={"organisation": admin.organisation.pk},
    )
    link = ""
    if request.method == "POST" and form.is_valid():
        try:
            invitation = admin_services.person_invite(
                **form.cleaned_data, by=authenticated_user(request)
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            link = request.build_absolute_uri(invitation.get_absolute_url())
            messages.success(request, _("Inbjudan skapades för %(email)s.") % form.cleaned_data)
            form = PersonInviteForm(organisations=active_orgs)
    members = (
        Membership.objects.filter(organisation__in=organisations)
        .select_related("user", "organisation")
        .order_by("deactivated", "user__last_name", "user__first_name")
    )
    invitations = Invitation.objects.filter(
        organisation__in=organisations, accepted__isnull=True
    ).select_related("organisation")
    return _render(
        request,
        "admin_people.html",
        admin,
        form=form,
        link=link,
        members=members,
        invitations=[i for i in invitations if i.is_valid()],
        organisations=active_orgs,
        role_choices=Role.choices,
    )


@require_POST
def person_update(request: HttpRequest, slug: str, member: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    organisations = administered_organisations(admin)
    target = get_object_or_404(
        Membership.objects.filter(organisation__in=organisations).select_related("user"),
        public_id=member,
    )
    form = PersonUpdateForm(request.POST, organisations=organisations.filter(is_active=True))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
        return redirect("organisations:admin_people", slug)
    try:
        _person_apply(form.cleaned_data, target, authenticated_user(request))
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(
            request, _("Ändringen för %(user)s sparades.") % {"user": target.user.email}
        )
    return redirect("organisations:admin_people", slug)


def _person_apply(data: dict[str, Any], target: Membership, by: Any) -> None:
    action = data["action"]
    if action == "role":
        try:
            services.membership_set_role(membership=target, role=data["role"], by=by)
        except ValidationError as error:
            raise InputError.single(
                " ".join(error.messages),
                "The organisation must keep at least one admin.",
                field="role",
            ) from None
    elif action == "move":
        admin_services.membership_move(membership=target, organisation=data["organisation"], by=by)
    else:
        admin_services.membership_set_active(membership=target, active=action == "activate", by=by)


# Collaboration groups


def groups(request: HttpRequest, slug: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    form = GroupForm(
        request.POST or None,
        organisations=administered_organisations(admin),
        groups=administered_groups(admin),
        initial={"lead_organisation": admin.organisation.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = admin_services.group_create(
                **form.cleaned_data,
                municipality=admin.organisation.municipality,  # type: ignore[arg-type]
                by=authenticated_user(request),
                admin_of=admin.organisation,
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("%(group)s skapades.") % {"group": group.name})
            return redirect("organisations:admin_group", slug, group.slug)
    rows = (
        administered_groups(admin)
        .select_related("lead_organisation", "steering_group")
        .annotate(
            members=Count("organisations", distinct=True), area_count=Count("areas", distinct=True)
        )
    )
    return _render(request, "admin_groups.html", admin, form=form, rows=rows)


def group(request: HttpRequest, slug: str, group: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    found = get_object_or_404(administered_groups(admin), slug=group)
    organisations = administered_organisations(admin)
    initial = {
        "name": found.name,
        "lead_organisation": found.lead_organisation_id,
        "meeting_rhythm": found.meeting_rhythm,
        "report_weekday": found.report_weekday,
        "report_hour": found.report_hour,
        "steering_group": found.steering_group_id,
        "description": found.description,
    }
    form = GroupForm(
        request.POST or None,
        organisations=organisations,
        groups=administered_groups(admin).exclude(pk=found.pk),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            admin_services.group_update(
                group=found,
                **form.cleaned_data,
                by=authenticated_user(request),
                admin_of=admin.organisation,
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Ändringarna sparades."))
            return redirect("organisations:admin_group", slug, found.slug)
    return _group_page(request, admin, found, form)


def _group_page(request: HttpRequest, admin: Membership, found: Any, form: GroupForm):
    organisations = administered_organisations(admin).filter(is_active=True)
    members = GroupMembership.objects.filter(group=found).select_related("organisation")
    return _render(
        request,
        "admin_group.html",
        admin,
        group=found,
        form=form,
        members=members.order_by("organisation__name"),
        member_form=GroupMemberForm(
            organisations=organisations.exclude(groups=found), initial={"reports_weekly": True}
        ),
        areas_form=GroupAreasForm(
            areas=_offered_areas(found).order_by("kind", "name"),
            initial={"areas": list(found.areas.values_list("pk", flat=True))},
        ),
    )


@require_POST
def group_members(request: HttpRequest, slug: str, group: str) -> HttpResponse:
    """Add a member organisation, change its weekly reporting, or remove it (``remove``)."""
    admin = get_municipality_admin(request.user, slug)
    found = get_object_or_404(administered_groups(admin), slug=group)
    form = GroupMemberForm(request.POST, organisations=administered_organisations(admin))
    by = authenticated_user(request)
    if not form.is_valid():
        messages.error(request, _("Välj en organisation."))
        return redirect("organisations:admin_group", slug, found.slug)
    organisation = form.cleaned_data["organisation"]
    try:
        if request.POST.get("remove"):
            member = get_object_or_404(GroupMembership, group=found, organisation=organisation)
            admin_services.group_member_remove(member=member, by=by, admin_of=admin.organisation)
        else:
            admin_services.group_member_set(
                group=found,
                organisation=organisation,
                reports_weekly=form.cleaned_data["reports_weekly"],
                by=by,
                admin_of=admin.organisation,
            )
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Medlemmarna sparades."))
    return redirect("organisations:admin_group", slug, found.slug)


def _offered_areas(group: Any) -> Any:
    """The municipality's current areas, and the retired ones the group already has
    (kept unless unticked; a retired area is never added anew)."""
    return (
        Area.objects.filter(municipality_id=group.municipality_id)
        .filter(Q(retired__isnull=True) | Q(groups=group))
        .distinct()
    )


@require_POST
def group_areas(request: HttpRequest, slug: str, group: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    found = get_object_or_404(administered_groups(admin), slug=group)
    form = GroupAreasForm(request.POST, areas=_offered_areas(found))
    if not form.is_valid():
        messages.error(request, _("Välj områden i gruppens kommun."))
        return redirect("organisations:admin_group", slug, found.slug)
    try:
        admin_services.group_set_areas(
            group=found,
            areas=form.cleaned_data["areas"],
            by=authenticated_user(request),
            admin_of=admin.organisation,
        )
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Ansvarsområdena sparades."))
    return redirect(reverse("organisations:admin_group", args=[slug, found.slug]) + "#omraden")


# The coordination function


def coordination(request: HttpRequest, slug: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    function = CoordinationFunction.objects.filter(organisation=admin.organisation).first()
    people_qs = (
        Membership.objects.filter(
            organisation__in=administered_organisations(admin), deactivated__isnull=True
        )
        .select_related("user", "organisation")
        .order_by("user__last_name")
    )
    initial: dict[str, Any] = {}
    if function is not None:
        holder = people_qs.filter(user=function.holder_id).first()
        initial = {
            "holder_title": function.holder_title,
            "holder": holder.pk if holder else None,
            "unit": function.unit,
            "mandate": function.mandate,
            "decided_on": function.decided_on,
            "decision_reference": function.decision_reference,
        }
    form = CoordinationFunctionForm(request.POST or None, people=people_qs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        holder_membership = data.pop("holder")
        try:
            admin_services.coordination_function_save(
                organisation=admin.organisation,
                holder=holder_membership.user if holder_membership else None,
                **data,
                by=authenticated_user(request),
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Samordningsfunktionen sparades."))
            return redirect("organisations:admin_coordination", slug)
    return _render(request, "admin_coordination.html", admin, form=form, function=function)
