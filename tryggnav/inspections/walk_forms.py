from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.areas.models import Area
from tryggnav.inspections.forms import PHOTO_TYPES, _any
from tryggnav.inspections.walk_models import DEFAULT_THEMES, Theme
from tryggnav.lib import dates
from tryggnav.organisations.idempotency import OnceForm
from tryggnav.organisations.models import Organisation

UNSAFE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class WalkForm(OnceForm, forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    area = _any(forms.ModelChoiceField(label=_("Område"), queryset=Area.objects.none()))
    date = dates.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    themes = forms.MultipleChoiceField(
        label=_("Teman att titta efter"), choices=Theme.choices, initial=DEFAULT_THEMES,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    invited = _any(forms.ModelMultipleChoiceField(
        label=_("Inbjudna organisationer"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Deras medlemmar ser vandringen och kan lägga till punkter."),
    ))  # fmt: skip
    residents_count = forms.IntegerField(label=_("Antal boende som deltar"), min_value=0,
                                         max_value=1000, initial=0)  # fmt: skip
    residents_note = forms.CharField(
        label=_("Om de boende (frivilligt)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Till exempel en förening. Skriv inga namn; anteckningen visas inte publikt."),
    )  # fmt: skip
    route = forms.CharField(
        label=_("Rutt"), required=False, max_length=40000,
        widget=forms.HiddenInput(attrs={"data-route-input": ""}),
    )  # fmt: skip

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_id = organisation.municipality_id
        _any(self.fields["area"]).queryset = Area.objects.filter(
            municipality_id=municipality_id
        ).order_by("name")
        _any(self.fields["invited"]).queryset = (
            Organisation.objects.filter(is_active=True, municipality_id=municipality_id)
            .exclude(pk=organisation.pk)
            .order_by("name")
        )


class PointForm(forms.Form):
    """A point sent by the phone page's script (or the page without script)."""

    client_key = forms.UUIDField(widget=forms.HiddenInput)
    theme = forms.ChoiceField(label=_("Tema"), choices=Theme.choices, widget=forms.RadioSelect)
    unsafe = forms.TypedChoiceField(
        label=_("Hur otryggt känns det? (1 = tryggt, 5 = mycket otryggt)"), choices=UNSAFE_CHOICES,
        coerce=int, required=False, empty_value=None, widget=forms.RadioSelect,
    )  # fmt: skip
    note = forms.CharField(label=_("Kort anteckning"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    photo = forms.ImageField(label=_("Foto"), required=False, widget=forms.ClearableFileInput(
        attrs={"accept": PHOTO_TYPES, "capture": "environment"}))  # fmt: skip
    lat = forms.FloatField(required=False, min_value=55, max_value=70, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=10, max_value=25, widget=forms.HiddenInput)
    recorded = dates.DateTimeField(required=False, widget=forms.HiddenInput)


class PointsForm(forms.Form):
    points = forms.MultipleChoiceField(choices=[])

    def __init__(self, *args: Any, walk: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"].choices = [  # type: ignore[attr-defined]
            (str(p), str(p)) for p in walk.points.values_list("public_id", flat=True)
        ]


class FlagForm(forms.Form):
    on = forms.BooleanField(required=False)
