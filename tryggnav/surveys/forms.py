from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.surveys.importers import parse_record
from tryggnav.surveys.models import Indicator, Provider, Survey, UnitType


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["provider", "name", "year", "source", "is_internal"]
        widgets = {"source": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["provider"].initial = Provider.SCB

    def clean(self):
        super().clean()
        data = self.cleaned_data
        duplicate = Survey.objects.filter(
            organisation=self.organisation,
            provider=data.get("provider"),
            name=data.get("name"),
            # None (an invalid year) matches nothing: Django turns it into IS NULL.
            year=data.get("year"),  # type: ignore[misc]  # django-stubs rejects None lookups
        )
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(_("Organisationen har redan den undersökningen det året."))
        return data


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "question", "higher_is_better"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}


class ResultForm(forms.Form):
    """A result by hand, in percent, checked by the importer's rules."""

    unit_type = forms.ChoiceField(label=_("Enhetstyp"), choices=UnitType.choices)
    unit_code = forms.CharField(
        label=_("Enhetskod"),
        required=False,
        help_text=_("Kommunkod (0126), länskod (01), SE för riket eller områdets egen kod."),
    )
    unit_name = forms.CharField(label=_("Enhetens namn"), required=False, max_length=200)
    parent_code = forms.CharField(
        label=_("Områdets kommunkod"), required=False, help_text=_("Bara för områden.")
    )
    group = forms.CharField(
        label=_("Grupp"), initial="alla", help_text=_("alla, kvinnor, män eller t.ex. 16–29 år")
    )
    estimate = forms.CharField(label=_("Andel (%)"))
    n = forms.CharField(label=_("Antal svarande (n)"), required=False)
    se = forms.CharField(label=_("Standardfel (procentenheter)"), required=False)
    deff = forms.CharField(label=_("Designeffekt"), required=False)
    ci_low = forms.CharField(label=_("Publicerat intervall, nedre (%)"), required=False)
    ci_high = forms.CharField(label=_("Publicerat intervall, övre (%)"), required=False)
    note = forms.CharField(label=_("Anmärkning"), required=False, max_length=300)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean(self):
        super().clean()
        data = self.cleaned_data
        survey = self.indicator.survey
        record = {
            **data,
            "survey": survey.name,
            "provider": survey.provider,
            "year": survey.year,
            "indicator": self.indicator.name,
        }
        row = parse_record(record, percent=True)
        for problem in row.problems:
            name = problem.field if problem.field in self.fields else None
            self.add_error(name, problem.sv)
        self.values = row.values
        return data

    def result_values(self) -> dict:
        v = self.values
        return {
            "unit_type": v["unit_type"],
            "unit_code": v["unit_code"],
            "unit_name": v["unit_name"],
            "municipality_id": v["municipality_code"],
            "county_id": v["county_code"],
            "group": v["group"],
            "estimate": v["estimate"],
            "n": v["n"],
            "se": v["se"],
            "deff": v["deff"],
            "ci_low": v["ci_low"],
            "ci_high": v["ci_high"],
            "note": v["note"],
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_("Kolumnerna beskrivs i dokumentationen av dataformaten."),
    )
    is_internal = forms.BooleanField(
        label=_("Nya undersökningar är interna (syns bara för organisationen)"), required=False
    )
