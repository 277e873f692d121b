"""Forms of the municipality's geography administration (areas, places, map background)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.areas.models import Area, Place
from tryggnav.organisations.idempotency import OnceForm


class AreaUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (GeoJSON eller GeoPackage)"),
        help_text=_(
            "Polygoner: GeoJSON i WGS84, GeoPackage i WGS84 eller SWEREF 99 TM. Du väljer sedan"
            " vilket fält som är namn och kod och ser områdena på kartan; inget sparas förrän du"
            " bekräftar."
        ),
    )


class AreaMappingForm(forms.Form):
    name_field = forms.ChoiceField(label=_("Fält med områdets namn"))
    code_field = forms.ChoiceField(
        label=_("Fält med områdets kod"),
        required=False,
        help_text=_("Utan kodfält blir koden namnet i gemener; samma kod uppdaterar ett område."),
    )
    kind = forms.ChoiceField(label=_("Områdestyp"), choices=Area.Kind.choices)

    def __init__(self, *args: Any, fields: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f, f) for f in fields]
        self.fields["name_field"].choices = choices  # type: ignore[attr-defined]
        self.fields["code_field"].choices = [("", _("– inget (av namnet) –")), *choices]  # type: ignore[attr-defined]


class AreaRenameForm(forms.Form):
    name = forms.CharField(label=_("Nytt namn"), max_length=120)


class PlaceClickForm(OnceForm, forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=120)
    kind = forms.ChoiceField(label=_("Typ"), choices=Place.Kind.choices, initial=Place.Kind.OTHER)
    lat = forms.FloatField(
        label=_("Latitud"),
        min_value=55.0,
        max_value=69.2,
        help_text=_("Klicka i kartan för att välja punkt."),
    )
    lon = forms.FloatField(label=_("Longitud"), min_value=10.5, max_value=24.2)


class PlaceCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil med platser"),
        help_text=_(
            "Kolumnerna namn, lat och lon (WGS84), och gärna område (namn eller kod)."
            " Om någon rad har fel sparas ingenting."
        ),
    )


class TilesForm(forms.Form):
    url = forms.CharField(
        label=_("Adressmall för kartbilder"),
        required=False,
        max_length=500,
        help_text=_(
            "https-adress med {z}, {x} och {y} (och {s} för underdomäner). Tomt: ingen"
            " bakgrundskarta, bara programmets egna områden och punkter."
        ),
    )
    attribution = forms.CharField(label=_("Upphovsangivelse"), required=False, max_length=500)
