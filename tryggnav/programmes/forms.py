"""Forms of the follow-up module."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tryggnav.lib import dates
from tryggnav.organisations.idempotency import OnceForm
from tryggnav.programmes.models import AreaFollowUp, Assessment, Programme
from tryggnav.steering.models import Activity, Indicator, Measure

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(OnceForm, forms.Form):
    """A new programme or guideline of an organisation (optionally shared with a group)."""

    kind = forms.ChoiceField(label=_("Typ"), choices=Programme.Kind.choices)
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    starts = dates.DateField(label=_("Gäller från"), widget=DATE_WIDGET)
    ends = dates.DateField(
        label=_("Gäller till"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Lämna tomt för riktlinjer som gäller tills vidare."),
    )
    overall_goal = forms.CharField(
        label=_("Övergripande mål"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decided_by = forms.CharField(label=_("Beslutande organ"), max_length=200, required=False)
    decision_reference = forms.CharField(label=_("Diarienummer"), max_length=80, required=False)
    decision_date = dates.DateField(label=_("Beslutsdatum"), required=False, widget=DATE_WIDGET)
    follow_up_by = forms.CharField(
        label=_("Följs upp av"),
        max_length=200,
        required=False,
        help_text=_("Till exempel kommunstyrelsen, årligen."),
    )

    def __init__(self, *args: Any, organisation: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["group"] = forms.ModelChoiceField(
            label=_("Samverkansgrupp"),
            required=False,
            queryset=organisation.groups.order_by("name"),
            help_text=_("Gruppens medlemmar kan läsa programmet; bara er organisation ändrar det."),
        )
        self.order_fields(["kind", "title", "group", "starts", "ends"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("Slutdatum ligger före startdatum."))
        return data


class AreaForm(OnceForm, forms.Form):
    """A responsibility area of a programme with its sub-goals, one per line."""

    name = forms.CharField(label=_("Ansvarsområde"), max_length=200)
    goal = forms.CharField(
        label=_("Mål för området"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    goals = forms.CharField(
        label=_("Delmål (ett per rad)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Varje delmål bedöms i den årliga uppföljningen."),
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_goals(self) -> list[str]:
        lines = (self.cleaned_data.get("goals") or "").splitlines()
        return [line.strip() for line in lines if line.strip()]


class FollowUpForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2100)
    introduction = forms.CharField(
        label=_("Inledning"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Bedömning"), choices=Assessment.Status.choices)
    justification = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när målet inte är uppfyllt."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") not in (None, Assessment.Status.MET)
            and not (data.get("justification") or "").strip()
        ):
            self.add_error("justification", _("Motivera bedömningen när målet inte är uppfyllt."))
        return data


def _owned(programme: Programme) -> Q:
    q = Q(organisation=programme.organisation)
    if programme.group_id:
        q |= Q(group=programme.group)
    return q


class AreaFollowUpForm(forms.Form):
    narrative = forms.CharField(
        label=_("Vad som gjorts under året"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Stycken skiljs åt med en tom rad."),
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Aktiviteter"), queryset=Activity.objects.none(), required=False
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Åtgärder"), queryset=Measure.objects.none(), required=False
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indikatorer"), queryset=Indicator.objects.none(), required=False
    )

    def __init__(self, *args: Any, item: AreaFollowUp, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = item.follow_up.programme
        owned = _owned(programme)
        fields = {
            name: cast(forms.ModelMultipleChoiceField, self.fields[name])
            for name in ("activities", "measures", "indicators")
        }
        fields["activities"].queryset = Activity.objects.filter(owned).order_by("-starts", "title")
        problem_owned = Q(problem__organisation=programme.organisation)
        if programme.group_id:
            problem_owned |= Q(problem__group=programme.group)
        fields["measures"].queryset = Measure.objects.filter(problem_owned)
        fields["indicators"].queryset = Indicator.objects.filter(owned)
        for name in ("activities", "measures", "indicators"):
            self.fields[name].widget.attrs["size"] = 8


class StatusRecordForm(forms.Form):
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PeriodForm(forms.Form):
    fran = dates.DateField(
        label=_("Från"), required=False, widget=forms.DateInput({"type": "date"})
    )
    till = dates.DateField(
        label=_("Till"), required=False, widget=forms.DateInput({"type": "date"})
    )
