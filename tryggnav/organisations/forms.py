from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tryggnav.areas.models import Area, Municipality
from tryggnav.audit.models import AuditEntry
from tryggnav.lib import dates
from tryggnav.organisations.models import (
    CollaborationGroup,
    MeetingRhythm,
    Membership,
    Organisation,
    Role,
)


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-postadress"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _("Fel e-postadress eller lösenord."),
        "inactive": _("Kontot är avstängt."),
    }


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Kod"),
        max_length=20,
        help_text=_("Sex siffror från appen, eller en av dina reservkoder."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices, initial=Role.REPORTER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    password1 = forms.CharField(
        label=_("Lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Lösenord igen"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        if data and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Lösenorden är inte lika."))
        elif data and data.get("password1"):
            probe = get_user_model()(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(data["password1"], probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=_("Vem"), required=False)
    action = forms.ChoiceField(
        label=_("Händelse"),
        required=False,
        choices=[("", _("Alla"))] + list(AuditEntry.Action.choices),
    )
    what = forms.CharField(label=_("Vad (objekttyp eller namn)"), required=False)
    since = dates.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = dates.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


# The municipality's administration pages (admin_views.py). Choices are limited to
# what the admin administers: the municipality's organisations, groups and areas.


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ"), choices=Organisation.Kind.choices)
    municipality = forms.ModelChoiceField(
        label=_("Hemkommun"), queryset=Municipality.objects.order_by("name"), empty_label=None
    )


class PersonInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices, initial=Role.REPORTER)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PersonUpdateForm(forms.Form):
    ACTIONS = ["role", "move", "deactivate", "activate"]
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Flytta till"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("action") == "role" and not data.get("role"):
            self.add_error("role", _("Välj en roll."))
        if data.get("action") == "move" and not data.get("organisation"):
            self.add_error("organisation", _("Välj en organisation."))
        return data


WEEKDAYS = [
    (1, _("måndag")),
    (2, _("tisdag")),
    (3, _("onsdag")),
    (4, _("torsdag")),
    (5, _("fredag")),
    (6, _("lördag")),
    (7, _("söndag")),
]


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    lead_organisation = forms.ModelChoiceField(
        label=_("Sammankallande organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
    )
    meeting_rhythm = forms.ChoiceField(label=_("Mötesrytm"), choices=MeetingRhythm.choices)
    report_weekday = forms.TypedChoiceField(
        label=_("Veckorapporten senast (veckodag)"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        empty_value=None,
        initial=5,
        help_text=_("Den som inte har rapporterat då får en påminnelse."),
    )
    report_hour = forms.TypedChoiceField(
        label=_("Veckorapporten senast (klockan)"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        required=False,
        empty_value=None,
        initial=12,
    )
    steering_group = forms.ModelChoiceField(
        label=_("Styrgrupp"),
        queryset=CollaborationGroup.objects.none(),
        required=False,
        empty_label=_("Ingen"),
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = organisations.filter(  # type: ignore[attr-defined]
            is_active=True
        )
        self.fields["steering_group"].queryset = groups  # type: ignore[attr-defined]


class GroupMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    reports_weekly = forms.BooleanField(label=_("Rapporterar varje vecka"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class GroupAreasForm(forms.Form):
    areas = forms.ModelMultipleChoiceField(
        label=_("Ansvarsområden"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas  # type: ignore[attr-defined]
        self.fields["areas"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.name} ({a.get_kind_display()})"
        )


class CoordinationFunctionForm(forms.Form):
    holder_title = forms.CharField(label=_("Befattning eller funktion"), max_length=200)
    holder = forms.ModelChoiceField(
        label=_("Ansvarig person"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Ingen vald"),
    )
    unit = forms.CharField(
        label=_("Placering (förvaltning eller enhet)"), max_length=200, required=False
    )
    mandate = forms.CharField(
        label=_("Mandat"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vad funktionen får besluta och samordna, och vem den rapporterar till."),
    )
    decided_on = dates.DateField(
        label=_("Beslutad"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decision_reference = forms.CharField(
        label=_("Beslut (diarienummer)"), max_length=100, required=False
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["holder"]
        field.queryset = people  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda m: f"{m.user.get_full_name() or m.user.email} ({m.organisation})"
        )
