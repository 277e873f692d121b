"""Forms of the steering module. MeasureForm enforces SMART and the perspectives."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.areas.models import Area
from tryggnav.incidents.models import Category
from tryggnav.lib import dates
from tryggnav.organisations.idempotency import OnceForm
from tryggnav.organisations.models import CollaborationGroup, Organisation
from tryggnav.steering.indicators import official_choices, split_official
from tryggnav.steering.models import (
    Agreement,
    Escalation,
    FigureSnapshot,
    Indicator,
    Measure,
    PreventionType,
    PriorityArea,
    Problem,
    Step,
)

DATE: dict[str, Any] = {"widget": forms.DateInput(attrs={"type": "date"})}


def _text(label, required=True, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _areas(municipality_id: str | None, label, required=False) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        required=required,
        queryset=Area.objects.filter(municipality_id=municipality_id).order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Håll ned Ctrl (Cmd på Mac) för att välja flera."),
    )


def _members(
    group: CollaborationGroup | None, label, required=True, municipality_id: str | None = None
) -> forms.ModelMultipleChoiceField:
    """The group's member organisations; without a group, the organisations of the
    owner's municipality (an organisation's own problem may still have partners)."""
    if group is not None:
        queryset = Organisation.objects.filter(groups=group)
    else:
        queryset = Organisation.objects.filter(municipality_id=municipality_id)
    return forms.ModelMultipleChoiceField(
        label=label,
        required=required,
        queryset=queryset.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )


def _categories(group: CollaborationGroup | None, required=False) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Händelsekategorier"),
        required=required,
        queryset=Category.objects.for_group(group).order_by("group", "order", "name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class AgreementForm(OnceForm, forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=Agreement.Kind.choices)
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    starts = dates.DateField(label=_("Gäller från"), **DATE)
    ends = dates.DateField(label=_("Gäller till"), **DATE)
    purpose = _text(_("Syfte"), required=False)
    decided_by = forms.CharField(label=_("Beslutande organ"), max_length=200, required=False)
    decision_reference = forms.CharField(label=_("Diarienummer"), max_length=80, required=False)
    decision_date = dates.DateField(label=_("Beslutsdatum"), required=False, **DATE)
    other_parties = _text(
        _("Andra parter (en per rad)"),
        required=False,
        help_text=_("Parter som inte finns i samverkansgruppen."),
    )
    priority_areas = _text(_("Prioriterade problemområden (ett per rad)"), required=False, rows=4)
    steering_group = _text(_("Styrgrupp"), required=False, rows=2)
    meeting_rhythm = forms.CharField(label=_("Mötesrytm"), max_length=200, required=False)
    source = forms.CharField(label=_("Källa"), max_length=300, required=False)

    def __init__(self, *args, group: CollaborationGroup, agreement: Agreement | None = None, **kw):
        super().__init__(*args, **kw)
        parents = Agreement.objects.filter(group=group, kind=Agreement.Kind.INTENT)
        if agreement is not None:
            parents = parents.exclude(pk=agreement.pk)
        self.fields["parent"] = forms.ModelChoiceField(
            label=_("Under avsiktsförklaring"), queryset=parents, required=False
        )
        self.fields["party_organisations"] = _members(group, _("Parter i gruppen"), required=False)
        self.fields["areas"] = _areas(group.municipality_id, _("Prioriterade områden (geografi)"))
        self.order_fields(
            ["kind", "title", "parent", "starts", "ends", "purpose", "party_organisations"]
        )

    def clean(self):
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("Slutdatum ligger före startdatum."))
        if not data.get("party_organisations") and not _lines(data.get("other_parties", "")):
            self.add_error("party_organisations", _("Ange minst en part."))
        if data.get("parent") and data.get("kind") != Agreement.Kind.COLLABORATION:
            self.add_error("parent", _("Bara en samverkansöverenskommelse ligger under en annan."))
        data["other_parties"] = _lines(data.get("other_parties", ""))
        data["priority_areas"] = _lines(data.get("priority_areas", ""))
        return data


class ProblemForm(OnceForm, forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = _text(_("Beskrivning"), required=False)

    def __init__(self, *args, group: CollaborationGroup, **kw):
        super().__init__(*args, **kw)
        priority_area = forms.ModelChoiceField(
            label=_("Prioriterat område i en överenskommelse"),
            queryset=PriorityArea.objects.filter(agreement__group=group).select_related(
                "agreement"
            ),
            required=False,
        )
        priority_area.label_from_instance = lambda obj: f"{obj.agreement}: {obj.name}"  # type: ignore[method-assign]
        self.fields["priority_area"] = priority_area
        self.fields["areas"] = _areas(group.municipality_id, _("Områden"))
        self.fields["categories"] = _categories(group)


class InitiationForm(forms.Form):
    decided_by = forms.CharField(label=_("Vem beslutade att samverka"), max_length=200)
    decided_on = dates.DateField(label=_("Beslutsdatum"), **DATE)
    reason = _text(_("Varför ska problemet bearbetas"))

    def __init__(self, *args, problem: Problem, **kw):
        super().__init__(*args, **kw)
        self.fields["parties"] = _members(
            problem.group, _("Parter"), municipality_id=problem.municipality_id
        )
        self.fields["areas"] = _areas(problem.municipality_id, _("Områden"), required=True)
        self.fields["categories"] = _categories(problem.group, required=True)

    def clean_parties(self):
        parties = self.cleaned_data["parties"]
        if len(parties) < 2:
            raise forms.ValidationError(_("Samverkan kräver minst två parter."))
        return parties


class JointMappingForm(forms.Form):
    joint_summary = _text(_("Gemensam lägesbild"), rows=5)
    prioritised = _text(_("Vad som prioriteras"))
    left_out = _text(_("Vad som prioriteras bort, och varför"))


class CauseAnalysisForm(forms.Form):
    cause_place = _text(_("Platsen: varför här?"))
    cause_time = _text(_("Tiden: varför nu, vilka tider?"))
    cause_offenders = _text(_("Gärningspersoner (som grupp, aldrig enskilda personer)"))
    cause_victims = _text(_("Utsatta eller mål"))
    cause_guardians = _text(_("Väktare, platsansvariga och andra som kan ingripa"))
    cause_summary = _text(_("Sammanfattning: varför här, varför nu"), rows=4)


STEP_FORMS = {
    Step.INITIATION: InitiationForm,
    Step.JOINT_MAPPING: JointMappingForm,
    Step.CAUSE_ANALYSIS: CauseAnalysisForm,
}


class MappingForm(forms.Form):
    summary = _text(_("Egen lägesbild: aktuella problem och lokala förhållanden"), rows=5)
    resources = _text(_("Behov och resurser"), required=False)
    sources = _text(_("Underlag (data, medarbetares kunskap)"), required=False, rows=2)

    def __init__(self, *args, problem: Problem, **kw):
        super().__init__(*args, **kw)
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("Part"), queryset=problem.parties.order_by("name")
        )
        self.order_fields(["organisation"])


class SnapshotForm(forms.Form):
    step = forms.TypedChoiceField(
        label=_("Steg"),
        coerce=int,
        choices=[
            (Step.JOINT_MAPPING.value, Step.JOINT_MAPPING.label),
            (Step.CAUSE_ANALYSIS.value, Step.CAUSE_ANALYSIS.label),
        ],
    )
    kind = forms.ChoiceField(label=_("Siffror"), choices=FigureSnapshot.Kind.choices)
    note = forms.CharField(label=_("Kommentar"), max_length=2000, required=False)


class MeasureForm(OnceForm, forms.Form):
    """A measure with a SMART goal. Every part is required; the clean method checks that
    the goal is specific (problem and place), measurable (an indicator with a baseline
    value and date), accepted (parties), realistic (resources) and time-bound."""

    title = forms.CharField(label=_("Åtgärd"), max_length=200)
    specific = _text(
        _("Specifikt: vilket problem ska förändras, och hur"),
        help_text=_("Brottstypen eller det avgränsade problemet och förändringen."),
    )
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    baseline_value = forms.FloatField(label=_("Mätbart: utgångsvärde"))
    baseline_date = dates.DateField(label=_("Utgångsvärdet avser datum"), **DATE)
    target_value = forms.FloatField(label=_("Målvärde"))
    deadline = dates.DateField(label=_("Tidsatt: klart senast"), **DATE)
    resources = _text(_("Realistiskt: resurser (personal, timmar, pengar)"))
    prevention_type = forms.ChoiceField(label=_("Typ av åtgärd"), choices=PreventionType.choices)
    perspective_children = _text(_("Barnperspektiv"), rows=2)
    perspective_gender = _text(_("Jämställdhetsperspektiv"), rows=2)
    perspective_disability = _text(_("Funktionshindersperspektiv"), rows=2)
    perspective_hbtq = _text(_("Hbtq-perspektiv"), rows=2)
    perspective_elderly = _text(_("Äldreperspektiv"), rows=2)

    def __init__(self, *args, problem: Problem, **kw):
        super().__init__(*args, **kw)
        owner = (
            {"group": problem.group} if problem.group_id else {"organisation": problem.organisation}
        )
        self.fields["indicator"] = forms.ModelChoiceField(
            label=_("Mätbart: indikator"), queryset=Indicator.objects.filter(**owner)
        )
        self.fields["areas"] = _areas(problem.municipality_id, _("Specifikt: områden"))
        self.fields["areas"].initial = list(problem.areas.values_list("pk", flat=True))
        parties = problem.parties.order_by("name")
        self.fields["agreed_by"] = forms.ModelMultipleChoiceField(
            label=_("Accepterat: parter som står bakom"),
            queryset=parties,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["responsible"] = forms.ModelChoiceField(
            label=_("Ansvarig organisation"), queryset=parties
        )
        self.order_fields(
            ["title", "specific", "areas", "place", "indicator", "baseline_value", "baseline_date",
             "target_value", "deadline", "agreed_by", "resources", "responsible", "prevention_type"]
        )  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        if "areas" in data and "place" in data and not data["areas"] and not data["place"].strip():
            self.add_error("place", _("Specifikt: ange områden eller en plats."))
        baseline, deadline = data.get("baseline_date"), data.get("deadline")
        if baseline and deadline and deadline <= baseline:
            self.add_error(
                "deadline", _("Tidsatt: slutdatum måste ligga efter utgångsvärdets datum.")
            )
        if (
            data.get("baseline_value") is not None
            and data.get("target_value") is not None
            and data["baseline_value"] == data["target_value"]
        ):
            self.add_error(
                "target_value", _("Mätbart: målvärdet ska skilja sig från utgångsvärdet.")
            )
        return data


class ActivityForm(OnceForm, forms.Form):
    title = forms.CharField(label=_("Aktivitet"), max_length=200)
    description = _text(_("Beskrivning"), required=False)
    responsible_name = forms.CharField(
        label=_("Ansvarig (om inte en organisation i gruppen)"), max_length=200, required=False
    )
    place = forms.CharField(label=_("Plats"), max_length=300, required=False)
    starts = dates.DateField(label=_("Från"), **DATE)
    ends = dates.DateField(label=_("Till"), required=False, **DATE)
    prevention_type = forms.ChoiceField(label=_("Typ av åtgärd"), choices=PreventionType.choices)
    outputs = _text(_("Resultat/prestationer"), required=False)
    hours = forms.DecimalField(label=_("Timmar"), required=False, min_value=0, decimal_places=1)
    resources = _text(_("Resurser"), required=False, rows=2)

    def __init__(self, *args, group: CollaborationGroup, **kw):
        super().__init__(*args, **kw)
        measure = forms.ModelChoiceField(
            label=_("Genomför åtgärden"),
            required=False,
            queryset=Measure.objects.filter(problem__group=group).select_related("problem"),
            to_field_name="public_id",
        )
        measure.label_from_instance = lambda obj: f"{obj.problem}: {obj}"  # type: ignore[method-assign]
        self.fields["measure"] = measure
        self.fields["responsible"] = forms.ModelChoiceField(
            label=_("Ansvarig organisation"),
            required=False,
            queryset=Organisation.objects.filter(groups=group).order_by("name"),
        )
        self.fields["areas"] = _areas(group.municipality_id, _("Områden"))
        self.order_fields(["title", "description", "measure", "responsible"])

    def clean(self):
        data = super().clean() or {}
        if not data.get("responsible") and not (data.get("responsible_name") or "").strip():
            self.add_error("responsible", _("Ange vem som ansvarar."))
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("Slutdatum ligger före startdatum."))
        return data


class EvaluationForm(OnceForm, forms.Form):
    evaluated_on = dates.DateField(label=_("Uppföljningsdatum"), **DATE)
    conclusion = _text(_("Bedömning"), rows=4)

    def __init__(self, *args, measure: Measure, **kw):
        super().__init__(*args, **kw)
        self.fields["comparison_areas"] = forms.ModelMultipleChoiceField(
            label=_("Jämförelseområden"),
            required=False,
            queryset=Area.objects.filter(municipality_id=measure.problem.municipality_id)
            .exclude(pk__in=measure.areas.all())
            .order_by("name"),
            widget=forms.SelectMultiple(attrs={"size": 8}),
            help_text=_("Områden utan åtgärden, att jämföra utvecklingen med."),
        )
        self.order_fields(["evaluated_on", "comparison_areas"])


class EscalationForm(OnceForm, forms.Form):
    step = forms.TypedChoiceField(label=_("Steg"), coerce=int, choices=Step.choices)
    obstacle = _text(_("Hinder"))
    raised_to = forms.CharField(
        label=_("Lyfts till"), max_length=200, initial=_("Central nivå (kommunstyrelsen)")
    )


class EscalationUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Escalation.Status.choices)
    response = _text(_("Svar"), required=False, rows=2)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Varför öppnas steget igen"), max_length=500, required=False)


class IndicatorForm(OnceForm, forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    description = _text(_("Beskrivning"), required=False)
    kind = forms.ChoiceField(label=_("Typ"), choices=Indicator.Kind.choices)
    unit = forms.CharField(label=_("Enhet"), max_length=60, required=False)
    measure = forms.ChoiceField(label=_("Mått"), choices=Indicator.Measure.choices)
    interval = forms.ChoiceField(label=_("Period"), choices=Indicator.Interval.choices)
    starts = dates.DateField(label=_("Serien börjar"), required=False, **DATE)
    survey_ref = forms.CharField(label=_("Enkätindikator (id)"), max_length=80, required=False)
    official = forms.ChoiceField(
        label=_("Officiell serie"),
        required=False,
        help_text=_(
            "För typen Officiell statistik: en serie som har importerats för "
            "kommunen (Brå, Kolada, MSB IDA). Brås antal och IDA:s insatser visas "
            "som antal eller per 100 000 invånare med exakta intervall."
        ),  # fmt: skip
    )
    source = forms.CharField(label=_("Källa"), max_length=300, required=False)
    lower_is_better = forms.BooleanField(
        label=_("Lägre värde är bättre"), required=False, initial=True
    )

    def __init__(self, *args, group: CollaborationGroup, **kw):
        super().__init__(*args, **kw)
        self.fields["areas"] = _areas(group.municipality_id, _("Områden (tomt: hela kommunen)"))
        self.fields["categories"] = _categories(group)
        choices = official_choices(group.municipality_id)
        self.fields["official"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        self.order_fields(["name", "description", "kind", "areas", "categories"])

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == Indicator.Kind.INCIDENT and not data.get("categories"):
            self.add_error("categories", _("En indikator från händelser behöver kategorier."))
        official = data.pop("official", "")
        if data.get("kind") == Indicator.Kind.OFFICIAL and not official:
            self.add_error("official", _("Välj vilken officiell serie indikatorn följer."))
        if data.get("kind") == Indicator.Kind.OFFICIAL:
            data["official_source"], data["official_series"] = split_official(official)
        return data


class IndicatorValueForm(forms.Form):
    period_start = dates.DateField(label=_("Period från"), **DATE)
    label = forms.CharField(label=_("Period (t.ex. 2021)"), max_length=40)
    value = forms.FloatField(label=_("Värde"))
    low = forms.FloatField(label=_("Nedre gräns"), required=False)
    high = forms.FloatField(label=_("Övre gräns"), required=False)
    note = forms.CharField(label=_("Kommentar"), max_length=300, required=False)

    def clean(self):
        data = super().clean() or {}
        value, low, high = data.get("value"), data.get("low"), data.get("high")
        if value is not None and (
            (low is not None and low > value) or (high is not None and high < value)
        ):
            self.add_error("low", _("Intervallet måste omsluta värdet."))
        return data
