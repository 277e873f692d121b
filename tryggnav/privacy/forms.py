from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.privacy.services import MAX_MONTHS


class RetentionPolicyForm(forms.Form):
    text_months = forms.IntegerField(
        label=_("Anonymisera fritext efter (månader)"),
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text=_("Räknat från när rapporten kom in. Tomt: fritexten behålls."),
    )
    photo_months = forms.IntegerField(
        label=_("Radera foton efter (månader)"),
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text=_("Räknat från när fotot laddades upp. Tomt: fotona behålls."),
    )
