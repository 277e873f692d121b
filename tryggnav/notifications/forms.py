from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.notifications.models import Delivery, Kind


class PreferenceForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label=_("Notiser jag vill få"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    delivery = forms.ChoiceField(
        label=_("E-post"), choices=Delivery.choices, widget=forms.RadioSelect
    )
