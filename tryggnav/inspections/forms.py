from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.areas.models import Area
from tryggnav.inspections.models import Category, Severity, Status
from tryggnav.lib import dates
from tryggnav.organisations.idempotency import OnceForm
from tryggnav.organisations.models import Organisation

DATE: dict[str, Any] = {"widget": forms.DateInput(attrs={"type": "date"})}
PHOTO_TYPES = "image/jpeg,image/png,image/webp"


def _any(field: forms.Field) -> Any:
    """A form field whose queryset is set per form (the stubs type Field)."""
    return field


def _photo(label):
    return forms.ImageField(label=label, required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": PHOTO_TYPES}))  # fmt: skip


class SeenForm(forms.Form):
    """The status the page showed, sent back so a change made since is refused."""

    seen = forms.ChoiceField(
        choices=Status.choices, required=False, widget=forms.HiddenInput(attrs={"id": False})
    )


class DeficiencyForm(OnceForm, forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    severity = forms.TypedChoiceField(label=_("Allvarlighet"), choices=Severity.choices,
                                      coerce=int, initial=Severity.MEDIUM)  # fmt: skip
    description = forms.CharField(label=_("Beskrivning"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    place_name = forms.CharField(label=_("Plats"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitud"), required=False, min_value=55, max_value=70)
    lon = forms.FloatField(label=_("Longitud"), required=False, min_value=10, max_value=25)
    area = _any(forms.ModelChoiceField(label=_("Område"), queryset=Area.objects.none(),
                                       required=False))  # fmt: skip
    photo = _photo(_("Foto"))
    owner = _any(forms.ModelChoiceField(
        label=_("Ägare"), queryset=Organisation.objects.none(), required=False,
        help_text=_("Lämna tomt för att välja ägare efter reglerna.")))  # fmt: skip

    def __init__(self, *args: Any, municipality_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _any(self.fields["area"]).queryset = Area.objects.filter(municipality_id=municipality_id)
        _any(self.fields["owner"]).queryset = owners(municipality_id)


def owners(municipality_id: str) -> Any:
    return Organisation.objects.filter(is_active=True, municipality_id=municipality_id)


class RouteForm(SeenForm):
    owner = _any(forms.ModelChoiceField(label=_("Ny ägare"), queryset=Organisation.objects.none()))

    def __init__(self, *args: Any, municipality_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _any(self.fields["owner"]).queryset = owners(municipality_id)


class PlanForm(SeenForm):
    planned_for = dates.DateField(label=_("Planerad till"), **DATE)


class FixForm(SeenForm):
    note = forms.CharField(label=_("Vad gjordes?"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    photo = _photo(_("Foto på åtgärden"))


class ReasonForm(SeenForm):
    reason = forms.CharField(label=_("Skäl"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class DueForm(SeenForm):
    due = dates.DateField(label=_("Åtgärdas senast"), **DATE)


class TokenForm(forms.Form):
    email = forms.EmailField(label=_("Ägarens e-postadress"))


class RuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"),
                                 choices=[("", _("Alla kategorier")), *Category.choices],
                                 required=False)  # fmt: skip
    area = _any(forms.ModelChoiceField(label=_("Område"), queryset=Area.objects.none(),
                                       required=False, empty_label=_("Hela kommunen")))  # fmt: skip
    owner = _any(forms.ModelChoiceField(label=_("Ägare"), queryset=Organisation.objects.none()))

    def __init__(self, *args: Any, municipality_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _any(self.fields["area"]).queryset = Area.objects.filter(municipality_id=municipality_id)
        _any(self.fields["owner"]).queryset = owners(municipality_id)


class ServiceLevelForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    severity = forms.TypedChoiceField(label=_("Allvarlighet"), choices=Severity.choices, coerce=int)
    days = forms.IntegerField(label=_("Dagar"), min_value=1, max_value=3650)


class PolygonForm(forms.Form):
    owner = _any(forms.ModelChoiceField(label=_("Ägare"), queryset=Organisation.objects.none()))
    file = forms.FileField(label=_("GeoJSON-fil"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json"}))  # fmt: skip

    def __init__(self, *args: Any, municipality_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _any(self.fields["owner"]).queryset = owners(municipality_id)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Alla öppna")), *Status.choices, ("alla", _("Alla"))])  # fmt: skip
    overdue = forms.BooleanField(label=_("Bara försenade"), required=False)
