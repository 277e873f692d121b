from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.areas.models import Area, Place


class PlaceForm(forms.ModelForm):
    lat = forms.FloatField(
        label=_("Latitud"),
        min_value=55.0,
        max_value=69.2,
        help_text=_("Klicka i kartan för att välja punkt."),
    )
    lon = forms.FloatField(label=_("Longitud"), min_value=10.5, max_value=24.2)

    class Meta:
        model = Place
        fields = ["name", "kind"]


class AreaNameForm(forms.ModelForm):
    """The area's English name; the Swedish one comes from the imported boundaries."""

    class Meta:
        model = Area
        fields = ["name_en"]
