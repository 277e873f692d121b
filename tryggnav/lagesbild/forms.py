from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tryggnav.areas.models import Area
from tryggnav.lagesbild.models import Action, Focus, Meeting
from tryggnav.lib import dates
from tryggnav.organisations.idempotency import OnceForm
from tryggnav.organisations.models import CollaborationGroup, Organisation


class MeetingForm(forms.Form):
    held_on = dates.DateField(
        label=_("Mötesdatum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Meeting.Status.choices)
    attendees = forms.CharField(
        label=_("Deltagare"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


def _area_field(group: CollaborationGroup) -> forms.ModelChoiceField:
    areas = Area.objects.filter(municipality_id=group.municipality_id)
    chosen = group.areas.all()
    return forms.ModelChoiceField(
        label=_("Område"),
        required=False,
        queryset=chosen if chosen.exists() else areas,
        empty_label=_("– hela gruppens område –"),
    )


class ActionForm(OnceForm, forms.Form):
    what = forms.CharField(label=_("Vad ska göras"), max_length=300)
    place_text = forms.CharField(label=_("Plats (valfritt)"), max_length=200, required=False)
    due = dates.DateField(label=_("Klart senast"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, group: CollaborationGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("Ansvarig organisation"),
            queryset=Organisation.objects.filter(groups=group).order_by("name"),
        )
        self.fields["assignee"] = forms.ModelChoiceField(
            label=_("Ansvarig person (valfritt)"),
            required=False,
            queryset=get_user_model()
            .objects.filter(
                is_active=True,
                memberships__organisation__groups=group,
                memberships__deactivated__isnull=True,
            )
            .distinct()
            .order_by("first_name", "last_name", "email"),
            empty_label=_("– ingen namngiven –"),
        )
        self.fields["area"] = _area_field(group)
        self.order_fields(["what", "area", "place_text", "organisation", "assignee", "due"])


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    outcome = forms.CharField(label=_("Utfall"), required=False, max_length=2000)


class FocusForm(OnceForm, forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=Focus.Kind.choices)
    description = forms.CharField(label=_("Beskrivning"), max_length=300, required=False)

    def __init__(self, *args, group: CollaborationGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = _area_field(group)
        self.order_fields(["kind", "area", "description"])
