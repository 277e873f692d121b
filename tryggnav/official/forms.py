from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.official.models import OfficialImport


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("Källa"), choices=OfficialImport.Source.choices)
    file = forms.FileField(
        label=_("Fil (CSV eller Excel .xlsx; Kolada även JSON)"),
        help_text=_("Filen kontrolleras först; inget sparas förrän du bekräftar."),
    )
