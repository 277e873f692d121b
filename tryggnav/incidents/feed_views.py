"""The police feed's page in the municipality's administration: which municipalities'
events the scheduled fetch brings in (``police_feed.py``). For an admin of the
municipality's own organisation, like the other administration pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tryggnav.areas.models import Municipality
from tryggnav.incidents.models import PoliceFeed
from tryggnav.incidents.police_feed import feed_locations, police_feed_set
from tryggnav.organisations.access import authenticated_user, get_municipality_admin


class PoliceFeedForm(forms.Form):
    municipalities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Kommuner vars händelser hämtas"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, county: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            county_id=county
        ).order_by("short_name")


def police_feed(request: HttpRequest, slug: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    municipality = admin.organisation.municipality
    assert municipality is not None  # get_municipality_admin checked it
    feed = PoliceFeed.objects.filter(organisation=admin.organisation).first()
    initial = {"municipalities": list(feed.municipalities.all()) if feed else [municipality]}
    data = request.POST if request.method == "POST" else None
    form = PoliceFeedForm(data, initial=initial, county=municipality.county_id)
    if request.method == "POST" and form.is_valid():
        police_feed_set(
            organisation=admin.organisation,
            municipalities=form.cleaned_data["municipalities"],
            by=authenticated_user(request),
        )
        messages.success(request, _("Inställningen för polisens flöde sparades."))
        return redirect("police_feed:settings", slug)
    context = {
        "admin_org": admin.organisation,
        "municipality": municipality,
        "form": form,
        "feed": feed,
        "locations": feed_locations(),
    }
    return render(request, "incidents/police_feed.html", context)
