"""Forms of checklists and scheduled checks (the answers of an inspection are read in
``checks_views`` from one field per question)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tryggnav.inspections import checklists
from tryggnav.inspections.checks_models import AnswerKind, ChecklistTemplate, ObjectKind
from tryggnav.inspections.forms import DATE, _any
from tryggnav.inspections.models import Category, Severity
from tryggnav.lib import dates
from tryggnav.organisations.idempotency import OnceForm
from tryggnav.organisations.models import Organisation

INTERVALS = [(1, _("Varje månad")), (3, _("Varje kvartal")), (6, _("Varje halvår")),
             (12, _("Varje år"))]  # fmt: skip


def current_templates(municipality_id: str) -> Any:
    return ChecklistTemplate.objects.filter(
        Q(builtin=True) | Q(municipality_id=municipality_id), superseded=False, retired__isnull=True
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Fråga"), max_length=300)
    answer_kind = forms.ChoiceField(label=_("Svarstyp"), choices=AnswerKind.choices)
    expected_yes = forms.TypedChoiceField(
        label=_("Godkänt svar (ja/nej)"), coerce=lambda v: v == "ja",
        choices=[("ja", _("Ja")), ("nej", _("Nej"))], initial="ja",
    )  # fmt: skip
    min_value = forms.FloatField(label=_("Lägsta godkända värde"), required=False)
    max_value = forms.FloatField(label=_("Högsta godkända värde"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    severity = forms.TypedChoiceField(label=_("Allvarlighet"), choices=Severity.choices,
                                      coerce=int, initial=Severity.MEDIUM)  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_value"), data.get("max_value")
        if data.get("answer_kind") == AnswerKind.VALUE and low is None and high is None:
            raise forms.ValidationError(_("Ange ett lägsta eller högsta godkänt värde."))
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("Det lägsta värdet är större än det högsta."))
        return data


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Namn på kopian"), max_length=200, required=False)


def _quarter_start(day: datetime.date) -> datetime.date:
    return checklists.quarter_bounds(*checklists.quarter_of(day)).start


class ObjectForm(OnceForm, forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ"), choices=ObjectKind.choices)
    address = forms.CharField(label=_("Adress"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitud"), required=False, min_value=55, max_value=70)
    lon = forms.FloatField(label=_("Longitud"), required=False, min_value=10, max_value=25)
    department = _any(
        forms.ModelChoiceField(label=_("Förvaltning"), queryset=Organisation.objects.none())
    )
    unit = _any(forms.ModelChoiceField(
        label=_("Ansvarig enhet"), queryset=Organisation.objects.none(),
        help_text=_("Organisationen som gör kontrollerna och får påminnelserna.")))  # fmt: skip
    template = _any(
        forms.ModelChoiceField(label=_("Checklista"), queryset=ChecklistTemplate.objects.none())
    )
    interval_months = forms.TypedChoiceField(label=_("Intervall"), choices=INTERVALS, coerce=int,
                                             initial=3)  # fmt: skip
    anchor = dates.DateField(label=_("Första periodens början"), **DATE)

    def __init__(self, *args: Any, municipality_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _organisation_choices(self, municipality_id)
        _schedule_choices(self, municipality_id)


def _organisation_choices(form: forms.Form, municipality_id: str) -> None:
    """The municipality's own organisations as departments, all of its as units."""
    orgs = Organisation.objects.filter(is_active=True, municipality_id=municipality_id)
    _any(form.fields["department"]).queryset = orgs.filter(kind=Organisation.Kind.MUNICIPALITY)
    _any(form.fields["unit"]).queryset = orgs


def _schedule_choices(form: forms.Form, municipality_id: str) -> None:
    """The checklists in use, and this quarter as the first period."""
    _any(form.fields["template"]).queryset = current_templates(municipality_id)
    form.fields["anchor"].initial = _quarter_start(timezone.localdate())


class ObjectEditForm(forms.Form):
    """The object's own fields (``ObjectForm`` without its first schedule)."""

    name = ObjectForm.base_fields["name"]
    kind = ObjectForm.base_fields["kind"]
    address = ObjectForm.base_fields["address"]
    lat = ObjectForm.base_fields["lat"]
    lon = ObjectForm.base_fields["lon"]
    department = ObjectForm.base_fields["department"]
    unit = ObjectForm.base_fields["unit"]

    def __init__(self, *args: Any, municipality_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _organisation_choices(self, municipality_id)


class ScheduleForm(OnceForm, forms.Form):
    template = ObjectForm.base_fields["template"]
    interval_months = ObjectForm.base_fields["interval_months"]
    anchor = ObjectForm.base_fields["anchor"]

    def __init__(self, *args: Any, municipality_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _schedule_choices(self, municipality_id)


def quarter_choices(today: datetime.date) -> list[tuple[str, str]]:
    year, quarter = checklists.quarter_of(today)
    out = []
    for _i in range(8):
        out.append((f"{year}-{quarter}", f"{year} kv {quarter}"))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return out


class OverviewFilter(forms.Form):
    kvartal = forms.ChoiceField(label=_("Kvartal"), required=False)
    forvaltning = _any(forms.ModelChoiceField(label=_("Förvaltning"), required=False,
                                              queryset=Organisation.objects.none(),
                                              empty_label=_("Alla förvaltningar")))  # fmt: skip

    def __init__(self, *args: Any, municipality_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kvartal"].choices = quarter_choices(timezone.localdate())  # type: ignore[attr-defined]
        _any(self.fields["forvaltning"]).queryset = Organisation.objects.filter(
            municipality_id=municipality_id, kind=Organisation.Kind.MUNICIPALITY
        )

    def quarter(self) -> tuple[int, int]:
        value = self.cleaned_data.get("kvartal") if self.is_valid() else ""
        if not value:
            return checklists.quarter_of(timezone.localdate())
        year, quarter = value.split("-")
        return int(year), int(quarter)

    def department_id(self) -> int | None:
        department = self.cleaned_data.get("forvaltning") if self.is_valid() else None
        return department.pk if department else None
