from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.inspections.citizen import TEXT_MAX
from tryggnav.inspections.models import Category, Severity
from tryggnav.organisations.idempotency import OnceForm

HONEYPOT = "webbplats"


class CitizenReportForm(OnceForm, forms.Form):
    category = forms.ChoiceField(label=_("Vad gäller det?"), choices=Category.choices)
    text = forms.CharField(
        label=_("Beskriv platsen eller felet"), max_length=TEXT_MAX,
        help_text=_("Skriv inte namn, telefonnummer eller personnummer."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    lat = forms.FloatField(label=_("Latitud"), min_value=55, max_value=69.5)
    lon = forms.FloatField(label=_("Longitud"), min_value=10.5, max_value=24.5)
    photo = forms.ImageField(
        label=_("Foto (valfritt)"), required=False,
        help_text=_("JPEG, PNG eller WebP, högst 8 MB. Platsinformation i bilden tas bort."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
    email = forms.EmailField(
        label=_("Din e-postadress (valfritt)"), required=False,
        help_text=_("Bara för att berätta vad som händer med rapporten. Ingen annan ser den."),
    )  # fmt: skip
    # Left empty by people (it is hidden); filled by bots that fill every field.
    webbplats = forms.CharField(
        label=_("Lämna det här fältet tomt"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )  # fmt: skip
    confirm_personal_data = forms.BooleanField(
        label=_("Jag har läst varningen och vill skicka ändå (uppgifterna maskeras)"),
        required=False,
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslut"), widget=forms.RadioSelect,
        choices=[("approve", _("Godkänn och fördela")), ("reject", _("Avvisa"))],
    )  # fmt: skip
    public_title = forms.CharField(label=_("Publik rubrik"), max_length=200, required=False)
    public_text = forms.CharField(label=_("Publik text"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    severity = forms.TypedChoiceField(label=_("Allvarlighet"), choices=Severity.choices,
                                      coerce=int, initial=Severity.MEDIUM)  # fmt: skip
    reject_reason = forms.CharField(label=_("Skäl att avvisa"), max_length=500, required=False)
