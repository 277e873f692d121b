"""The reader's notifications, their preferences, and the coordinator's "Påminn"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.incidents.weeks import IsoWeek
from tryggnav.lib.errors import InputError
from tryggnav.notifications import services
from tryggnav.notifications.forms import PreferenceForm
from tryggnav.notifications.messages import text
from tryggnav.notifications.models import Kind, Notification
from tryggnav.organisations.access import authenticated_user, get_group

PAGE = 50


def notification_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    items = list(Notification.objects.filter(recipient=user)[:PAGE])
    return render(
        request,
        "notifications/list.html",
        {"items": [(n, text(n)) for n in items]},
    )


@require_POST
def notification_open(request: HttpRequest, public_id: str) -> HttpResponse:
    user = authenticated_user(request)
    notification = get_object_or_404(Notification, recipient=user, public_id=public_id)
    services.notification_open(notification=notification)
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications:list")
    return redirect(target)


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_read_all(user=authenticated_user(request))
    messages.success(request, _("Alla notiser är markerade som lästa."))
    return redirect("notifications:list")


def preferences(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    preference = services.preference_of(user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            wanted = set(form.cleaned_data["wanted"])
            services.preference_update(
                user=user,
                delivery=form.cleaned_data["delivery"],
                muted_kinds=[k for k in Kind.values if k not in wanted],
            )
            messages.success(request, _("Dina val för notiser är sparade."))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(
            initial={
                "wanted": [k for k in Kind.values if preference.wants(k)],
                "delivery": preference.delivery,
            }
        )
    return render(request, "notifications/preferences.html", {"form": form})


@require_POST
def remind(request: HttpRequest, slug: str, organisation: str, week: str) -> HttpResponse:
    access = get_group(request.user, slug, coordinate=True)
    member = access.group.organisations.filter(slug=organisation).first()
    try:
        iso = IsoWeek.parse(week)
    except InputError:
        raise Http404 from None
    if member is None:
        raise Http404
    try:
        n = services.reminder_send(
            group=access.group, organisation=member, week=iso, by=request.user
        )
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(
            request,
            _("%(organisation)s är påmind om vecka %(week)s (%(n)s personer).")
            % {"organisation": member.name, "week": str(iso), "n": n},
        )
    return redirect("organisations:home")
