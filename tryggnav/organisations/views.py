from __future__ import annotations

import math
from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from tryggnav.audit.models import AuditEntry
from tryggnav.lib.http import client_address
from tryggnav.organisations import second_factor, services, throttle
from tryggnav.organisations.access import (
    ACTIVE_ORGANISATION_SESSION_KEY,
    get_group,
    get_organisation,
    groups_of,
    memberships_of,
)
from tryggnav.organisations.forms import (
    AuditFilterForm,
    InvitationForm,
    LoginForm,
    RegistrationForm,
    RoleForm,
    SecondFactorForm,
)
from tryggnav.organisations.models import (
    GroupMembership,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from tryggnav.organisations.throttle import Attempt
from tryggnav.today import today_for


@login_not_required
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("organisations:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method != "POST":
        return login_page(request, form)
    username = request.POST.get("username", "")
    device = throttle.known_device(request, username)
    attempt = services.login_attempt_start(
        username=username, address=client_address(request), device=device
    )
    if attempt.refused:
        response = login_page(request, LoginForm(request), attempt=attempt)
        response["Retry-After"] = str(attempt.retry_after)
        return response
    if not form.is_valid():
        services.login_failed(attempt=attempt)
        return login_page(request, form)
    user = form.get_user()
    services.login_succeeded(attempt=attempt, user=user)
    auth_login(request, user)
    next_url = request.POST.get("next") or request.GET.get("next")
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("organisations:home")
    response = redirect(next_url)
    throttle.remember_device(response, user=user, device=device)
    return response


def login_page(
    request: HttpRequest,
    form: LoginForm | None = None,
    attempt: Attempt | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The login page; with an ``attempt`` refused by the throttle, or an ``error`` from
    a refused OpenID Connect login."""
    wait = math.ceil(attempt.retry_after / 60) if attempt else 0
    return render(
        request,
        "organisations/login.html",
        {
            "form": form or LoginForm(request),
            "throttled": attempt is not None,
            "wait_minutes": wait,
            "next": request.GET.get("next", ""),
            "oidc_error": error,
            "oidc_name": settings.TRYGGNAV_OIDC_NAME if settings.TRYGGNAV_OIDC_ISSUER else "",
        },
        status=429 if attempt else status,
    )


@login_not_required
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    # oidc imports this module (the login page), so it is imported here.
    from tryggnav.organisations.oidc import end_session_url

    user = request.user
    id_token = request.session.get("oidc_id_token", "")
    auth_logout(request)
    if user.is_authenticated:
        services.logout_record(user=user, address=client_address(request))
    # Signed in with the provider: end its session too, which then sends the browser back.
    provider_logout = end_session_url(request, id_token)
    if provider_logout:
        return HttpResponseRedirect(provider_logout)
    return redirect(settings.LOGOUT_REDIRECT_URL)


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        response = super().form_valid(form)
        email = form.cleaned_data["email"]
        services.password_reset_requested(
            email=email, users=list(form.get_users(email)), address=client_address(self.request)
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.password_reset_completed(user=form.user, address=client_address(self.request))
        return response


def _next_url(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return next_url
    return reverse("organisations:home")


def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Replacing a device takes the code of the one there now.
    if user_has_device(user, confirmed=True) and not user.is_verified():  # type: ignore[union-attr]
        return redirect("organisations:second_factor_verify")
    secret = request.session.get(second_factor.PENDING_KEY) or second_factor.new_secret()
    request.session[second_factor.PENDING_KEY] = secret
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolled = services.second_factor_enrol(
            user=user,
            secret_hex=secret,
            token=form.cleaned_data["code"].replace(" ", ""),
            address=client_address(request),
        )
        if enrolled is not None:
            device, codes = enrolled
            otp_login(request, device)
            second_factor.settled(request)
            return render(
                request,
                "organisations/second_factor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "code",
            _(
                "Koden stämmer inte: skriv den kod appen visar nu, och kontrollera telefonens klocka."
            ),
        )
    url = second_factor.otpauth_url(secret_hex=secret, account=user.email)  # type: ignore[union-attr]
    return render(
        request,
        "organisations/second_factor_enrol.html",
        {
            "form": form,
            "qr": mark_safe(second_factor.qr_svg(url)),  # noqa: S308 - drawn by qrcode
            "secret": second_factor.base32(secret),
            "required": request.session.get(second_factor.SESSION_KEY) == second_factor.ENROL,
            "next": request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


def second_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified() or not user_has_device(user, confirmed=True):  # type: ignore[union-attr]
        return HttpResponseRedirect(_next_url(request))
    form = SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        check = services.second_factor_verify(
            user=user, token=form.cleaned_data["code"], address=client_address(request)
        )
        if check.device is not None:
            otp_login(request, check.device)
            second_factor.settled(request)
            return HttpResponseRedirect(_next_url(request))
        if check.locked_until is not None:
            seconds = max(1, math.ceil((check.locked_until - timezone.now()).total_seconds()))
            message = ngettext(
                "För många felaktiga koder: vänta %(seconds)d sekund och försök igen.",
                "För många felaktiga koder: vänta %(seconds)d sekunder och försök igen.",
                seconds,
            ) % {"seconds": seconds}
            status = 429
        else:
            message = _("Fel kod.")
            status = 400
        form.add_error("code", message)
    return render(
        request,
        "organisations/second_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


def home(request: HttpRequest) -> HttpResponse:
    memberships = memberships_of(request.user)
    groups = groups_of(request.user).select_related("municipality", "lead_organisation")
    administers = [
        m
        for m in memberships
        if m.role == Role.ADMIN
        and m.organisation.kind == Organisation.Kind.MUNICIPALITY
        and m.organisation.municipality_id
    ]
    return render(
        request,
        "organisations/home.html",
        {
            "memberships": memberships,
            "groups": groups,
            "administers": administers,
            "today": today_for(request.user),
        },
    )


@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    membership = get_organisation(request.user, request.POST.get("organisation", ""))
    previous = request.session.get(ACTIVE_ORGANISATION_SESSION_KEY)
    request.session[ACTIVE_ORGANISATION_SESSION_KEY] = membership.organisation.slug
    services.organisation_switch(user=request.user, membership=membership, previous=previous)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    return redirect(next_url or "organisations:home")


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_organisation(request.user, slug)
    organisation = membership.organisation
    members = organisation.memberships.select_related("user").order_by("user__last_name")
    is_admin = membership.has_role(Role.ADMIN)
    invitations = organisation.invitations.filter(accepted__isnull=True) if is_admin else []
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "membership": membership,
            "members": members,
            "is_admin": is_admin,
            "invitations": invitations,
            "invitation_form": InvitationForm(),
            "role_choices": Role.choices,
            "groups": organisation.groups.all(),
        },
    )


@require_POST
def organisation_invite(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_organisation(request.user, slug, role=Role.ADMIN)
    organisation = membership.organisation
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Inbjudan skickad till %(email)s.") % form.cleaned_data)
    else:
        messages.error(request, _("Ange en giltig e-postadress och roll."))
    return redirect(organisation)


@require_POST
def membership_update(request: HttpRequest, slug: str, member: str) -> HttpResponse:
    membership = get_organisation(request.user, slug, role=Role.ADMIN)
    target = get_object_or_404(Membership, organisation=membership.organisation, public_id=member)
    form = RoleForm(request.POST)
    try:
        if request.POST.get("remove"):
            services.membership_remove(membership=target, by=request.user)
            messages.success(request, _("%(user)s togs bort.") % {"user": target.user.email})
        elif form.is_valid():
            services.membership_set_role(
                membership=target, role=form.cleaned_data["role"], by=request.user
            )
            messages.success(request, _("Rollen ändrades."))
        else:
            messages.error(request, _("Ogiltig roll."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(membership.organisation)


@login_not_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if not invitation.is_valid():
        return render(
            request,
            "organisations/invitation_invalid.html",
            {"invitation": invitation},
            status=410,
        )
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            raise PermissionDenied(_("Inbjudan gäller en annan e-postadress."))
        if request.method == "POST":
            services.invitation_accept(invitation=invitation, user=request.user)
            request.session[ACTIVE_ORGANISATION_SESSION_KEY] = invitation.organisation.slug
            messages.success(
                request, _("Du är nu medlem i %(org)s.") % {"org": invitation.organisation.name}
            )
            return redirect(invitation.organisation)
        return render(request, "organisations/invitation_accept.html", {"invitation": invitation})

    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, _("Logga in för att ta emot inbjudan."))
        return redirect(f"{_login_url()}?next={request.path}")
    form = RegistrationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = services.user_create_from_invitation(
            invitation=invitation,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
        auth_login(request, user, backend="tryggnav.organisations.auth.EmailBackend")
        services.login_audit(user=user, address=client_address(request), note=_("Via inbjudan"))
        return redirect(invitation.organisation)
    return render(
        request,
        "organisations/invitation_register.html",
        {"invitation": invitation, "form": form},
    )


def _login_url() -> str:
    return reverse("organisations:login")


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_group(request.user, slug)
    group = access.group
    members = (
        GroupMembership.objects.filter(group=group)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(
        request,
        "organisations/group_detail.html",
        {
            "group": group,
            "access": access,
            "members": members,
            "areas": group.areas.order_by("name"),
        },
    )


def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_organisation(request.user, slug, role=Role.ADMIN)
    organisation = membership.organisation
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.for_organisation(organisation)
    if form.is_valid():
        data = form.cleaned_data
        if data["who"]:
            entries = entries.filter(actor_name__icontains=data["who"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["what"]:
            entries = entries.filter(
                Q(object_type__icontains=data["what"]) | Q(object_repr__icontains=data["what"])
            )
        tz = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(at__gte=datetime.combine(data["since"], time.min, tz))
        if data["until"]:
            entries = entries.filter(at__lte=datetime.combine(data["until"], time.max, tz))
    page = Paginator(entries, 50).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "audit/auditentry_list.html",
        {"organisation": organisation, "form": form, "page": page, "query": query.urlencode()},
    )
