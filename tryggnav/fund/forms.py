from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from tryggnav.areas.models import Area, Place
from tryggnav.fund.models import FUNDED_TYPES, Application, Call, Decision, FundRole
from tryggnav.fund.services import APPLICATION_FIELDS
from tryggnav.incidents.models import Category
from tryggnav.lib import dates
from tryggnav.organisations.idempotency import OnceForm
from tryggnav.organisations.models import Organisation
from tryggnav.steering.models import PreventionType, Problem

DATE: dict[str, Any] = {"widget": forms.DateInput(attrs={"type": "date"})}
KRONOR: dict[str, Any] = {"min_value": 1, "max_value": 10**12}


def _text(label, required=True, rows=3, help_text=""):
    return forms.CharField(
        label=label, required=required, help_text=help_text, max_length=10000,
        widget=forms.Textarea(attrs={"rows": rows}))  # fmt: skip


def _any(field: forms.Field) -> Any:
    """A form field whose queryset or choices are set per form (the stubs type Field)."""
    return field


def parse_budget(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """Lines "cost; amount" (amount in whole kronor, spaces allowed) and the errors,
    each naming its line."""
    lines, errors = [], []
    for row, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        item, sep, amount = raw.rpartition(";")
        digits = amount.replace(" ", "").replace("\u00a0", "").removesuffix("kr")
        if not sep or not item.strip() or not digits.isdigit() or int(digits) <= 0:
            errors.append(
                _t("Rad %(row)s: skriv \"kostnad; belopp\" med ett positivt belopp i kronor.")
                % {"row": row})  # fmt: skip
            continue
        lines.append((item.strip()[:200], int(digits)))
    return lines, errors


class ApplicationForm(OnceForm, forms.Form):
    title = forms.CharField(label=_("Projektnamn"), max_length=200)
    problem = _text(_("Problemet som insatsen riktar sig mot"))
    steering_problem = forms.ModelChoiceField(
        label=_("Problem i Brå-processen (valfritt)"), queryset=Problem.objects.none(),
        required=False)  # fmt: skip
    area = forms.ModelChoiceField(label=_("Område"), queryset=Area.objects.none(), required=False)
    place = forms.ModelChoiceField(
        label=_("Namngiven plats"), queryset=Place.objects.none(), required=False
    )
    place_name = forms.CharField(label=_("Platsens namn"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitud"), required=False, min_value=55, max_value=70)
    lon = forms.FloatField(label=_("Longitud"), required=False, min_value=10, max_value=25)
    prevention_type = forms.ChoiceField(label=_("Typ av prevention"), choices=())
    perspective_children = _text(_("Barnperspektiv"), required=False, rows=2)
    perspective_gender = _text(_("Jämställdhetsperspektiv"), required=False, rows=2)
    perspective_disability = _text(_("Funktionshindersperspektiv"), required=False, rows=2)
    perspective_hbtq = _text(_("Hbtq-perspektiv"), required=False, rows=2)
    perspective_elderly = _text(_("Äldreperspektiv"), required=False, rows=2)
    activities = _text(_("Aktiviteter och tidplan"), required=False, rows=4)
    starts = dates.DateField(label=_("Projektet startar"), **DATE)
    ends = dates.DateField(label=_("Projektet slutar"), **DATE)
    budget = _text(_("Budget"), rows=4,
                   help_text=_("En kostnad per rad: \"kostnad; belopp i kronor\"."))  # fmt: skip
    co_financing = forms.IntegerField(label=_("Medfinansiering (kr)"), min_value=0, initial=0)
    indicator = forms.CharField(label=_("Mätbart: indikator"), max_length=200, required=False)
    baseline_value = forms.FloatField(label=_("Mätbart: utgångsvärde"), required=False)
    baseline_date = dates.DateField(label=_("Utgångsvärdet avser datum"), required=False, **DATE)
    target_value = forms.FloatField(label=_("Målvärde"), required=False)
    deadline = dates.DateField(label=_("Tidsatt: klart senast"), required=False, **DATE)
    democracy_confirmed = forms.BooleanField(label=_("Vi bekräftar demokrativillkoren"),
                                             required=False)  # fmt: skip

    def __init__(self, *args, call: Call, problems=None, organisations=None, **kw):
        super().__init__(*args, **kw)
        municipality = call.fund.municipality_id
        _any(self.fields["area"]).queryset = Area.objects.filter(municipality_id=municipality)
        _any(self.fields["place"]).queryset = Place.objects.filter(municipality_id=municipality)
        if problems is not None:
            _any(self.fields["steering_problem"]).queryset = problems
        labels = dict(PreventionType.choices)
        _any(self.fields["prevention_type"]).choices = [
            (t, labels[t]) for t in call.prevention_types
        ]
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Sökande organisation"), queryset=organisations, empty_label=None
            )
            self.order_fields(["organisation"])

    def clean_budget(self):
        lines, errors = parse_budget(self.cleaned_data["budget"])
        if errors:
            raise forms.ValidationError(errors)
        if not lines:
            raise forms.ValidationError(_("Ange minst en kostnad."))
        return lines

    def clean(self):
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lon", _("Ange både latitud och longitud, eller ingen av dem."))
        return data


def application_initial(application: Application) -> dict[str, Any]:

    initial = {name: getattr(application, name) for name in APPLICATION_FIELDS}
    initial["budget"] = "\n".join(f"{b.item}; {b.amount}" for b in application.budget_lines.all())
    return initial


class AttachmentForm(forms.Form):
    label = forms.ChoiceField(label=_("Bilaga"), choices=())
    file = forms.FileField(label=_("Fil (PDF, Word, Excel, PNG eller JPEG, högst 5 MB)"))

    def __init__(self, *args, call: Call, **kw):
        super().__init__(*args, **kw)
        labels = list(call.required_attachments) + [_t("Övrig bilaga")]
        _any(self.fields["label"]).choices = [(label, label) for label in labels]


class CompletionForm(forms.Form):
    note = _text(_("Vad ska kompletteras?"))


class ConflictForm(forms.Form):
    note = forms.CharField(label=_("Jävsgrund"), max_length=300)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Beslut"), choices=Decision.Outcome.choices,
                                widget=forms.RadioSelect)  # fmt: skip
    amount = forms.IntegerField(label=_("Beviljat belopp (kr)"), min_value=0, initial=0)
    conditions = _text(_("Villkor"), required=False)
    reason = _text(_("Motivering"), required=False)


class PaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Belopp (kr)"), **KRONOR)
    paid_on = dates.DateField(label=_("Utbetalningsdag"), **DATE)


class FinalReportForm(forms.Form):
    done = _text(_("Vad gjordes?"), rows=4)
    spent = forms.IntegerField(label=_("Använda medel (kr)"), min_value=0)
    indicator_value = forms.FloatField(label=_("Indikatorns värde"))
    indicator_date = dates.DateField(label=_("Värdet avser datum"), **DATE)


class BudgetForm(forms.Form):
    budget = forms.IntegerField(label=_("Budget (kr)"), **KRONOR)


class AssignForm(forms.Form):
    assessor = forms.EmailField(label=_("Bedömarens e-postadress"))


class FundForm(OnceForm, forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200, initial=_("Trygghetsfonden"))
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    budget = forms.IntegerField(label=_("Budget (kr)"), **KRONOR)


def parse_criteria(text: str) -> tuple[list[tuple[str, int, str]], list[str]]:
    """Lines "criterion; weight; description (optional)" and the errors, each naming
    its line."""
    criteria, errors = [], []
    for row, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split(";", 2)]
        weight = parts[1] if len(parts) > 1 else ""
        if not parts[0] or not weight.isdigit() or not 1 <= int(weight) <= 100:
            errors.append(
                _t("Rad %(row)s: skriv \"kriterium; vikt\" med en vikt från 1 till 100.")
                % {"row": row})  # fmt: skip
            continue
        description = parts[2] if len(parts) > 2 else ""
        criteria.append((parts[0][:200], int(weight), description[:2000]))
    return criteria, errors


def _lines(text: str) -> list[str]:
    return [line.strip()[:200] for line in text.splitlines() if line.strip()]


class CallForm(OnceForm, forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = _text(_("Beskrivning"), required=False, rows=4)
    opens = dates.DateField(label=_("Öppnar"), **DATE)
    closes = dates.DateField(label=_("Sista ansökningsdag"), **DATE)
    project_starts = dates.DateField(label=_("Projekt tidigast från"), **DATE)
    project_ends = dates.DateField(label=_("Projekt senast till"), **DATE)
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Vilka som får söka"), choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple)  # fmt: skip
    prevention_types = forms.MultipleChoiceField(
        label=_("Typer av prevention"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    criteria = _text(_("Bedömningskriterier"), rows=4, help_text=_(
        "Ett kriterium per rad: \"kriterium; vikt; beskrivning\" (beskrivningen kan utelämnas)."))  # fmt: skip
    required_attachments = _text(_("Bilagor som krävs"), required=False, rows=2,
                                 help_text=_("En bilaga per rad, t.ex. Projektplan."))  # fmt: skip
    democracy_conditions = _text(_("Demokrativillkor"), rows=3)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        labels = dict(PreventionType.choices)
        _any(self.fields["prevention_types"]).choices = [(t, labels[t]) for t in FUNDED_TYPES]

    def clean_criteria(self):
        criteria, errors = parse_criteria(self.cleaned_data["criteria"])
        if errors:
            raise forms.ValidationError(errors)
        if not criteria:
            raise forms.ValidationError(_("Ange minst ett bedömningskriterium."))
        return criteria

    def clean_required_attachments(self):
        return _lines(self.cleaned_data["required_attachments"])


class RoleForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    kind = forms.ChoiceField(label=_("Roll"), choices=FundRole.Kind.choices)


class EvaluationForm(forms.Form):
    evaluated_on = dates.DateField(label=_("Uppföljningsdatum"), **DATE)
    comparison_areas = forms.ModelMultipleChoiceField(
        label=_("Jämförelseområden"), queryset=Area.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Liknande områden utan insatsen. Utan jämförelseområden visas bara "
                    "projektets egna mätningar."))  # fmt: skip
    categories = forms.ModelMultipleChoiceField(
        label=_("Händelsekategorier"), required=False,
        queryset=Category.objects.filter(collaboration_group__isnull=True, active=True)
        .order_by("group", "order", "name"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Vilka händelser projektet vill minska. Inga valda: alla som räknas."))  # fmt: skip
    conclusion = _text(_("Fondens bedömning"), rows=3)

    def __init__(self, *args, application: Application, **kw):
        super().__init__(*args, **kw)
        areas = Area.objects.filter(municipality_id=application.fund.municipality_id)
        if application.area_id is not None:
            areas = areas.exclude(pk=application.area_id)
        _any(self.fields["comparison_areas"]).queryset = areas.order_by("name")
