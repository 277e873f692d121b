"""Forms of the statutory documents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tryggnav.documents import sections
from tryggnav.documents.models import LawDocument
from tryggnav.lib import dates
from tryggnav.organisations.idempotency import OnceForm
from tryggnav.organisations.models import Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 4})


class CreateForm(OnceForm, forms.Form):
    """A new lägesbild (or åtgärdsplan) for a period."""

    title = forms.CharField(label=_("Rubrik"), max_length=200, required=False,
                            help_text=_("Lämna tomt för ”Lägesbild Kommun år”."))  # fmt: skip
    period_start = dates.DateField(label=_("Period från"), widget=DATE_WIDGET)
    period_end = dates.DateField(label=_("Period till"), widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden slutar före den börjar."))
        return data


class TextsForm(forms.Form):
    """The coordinator's text of each section."""

    def __init__(self, *args: Any, document: LawDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for definition in sections.definitions(document.kind):
            self.fields[definition.key] = forms.CharField(
                label=_(definition.title), required=False, widget=TEXT,
                initial=document.texts.get(definition.key, ""), max_length=20000,
            )  # fmt: skip


class ProposeForm(forms.Form):
    proposal = forms.CharField(label=_("Förslag till beslut"), widget=TEXT, max_length=5000)


class DecideForm(forms.Form):
    decided_body = forms.CharField(label=_("Beslutande organ"), max_length=200)
    decided_on = dates.DateField(label=_("Beslutsdatum"), widget=DATE_WIDGET)
    decision_paragraph = forms.CharField(label=_("Paragraf"), max_length=40, required=False)
    registry_number = forms.CharField(label=_("Diarienummer"), max_length=100, required=False)
    handler = forms.CharField(label=_("Handläggare"), max_length=200, required=False)


class InviteForm(OnceForm, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Part"), queryset=Organisation.objects.none())
    asked = forms.CharField(label=_("Vad parten ombeds bidra med"), widget=TEXT, max_length=5000)
    due = dates.DateField(label=_("Senast"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, document: LawDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Organisation.objects.filter(
                municipality_id=document.organisation.municipality_id, is_active=True
            )
            .exclude(pk=document.organisation_id)
            .exclude(law_contributions__document=document)
            .order_by("name")
        )


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("Ert bidrag"), widget=forms.Textarea(attrs={"rows": 8}),
                           required=False, max_length=20000)  # fmt: skip
    done = forms.BooleanField(label=_("Vårt bidrag är klart"), required=False)


class ConsultationForm(OnceForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Part"), queryset=Organisation.objects.none(), required=False
    )
    party_name = forms.CharField(label=_("Annan part"), max_length=200, required=False,
                                 help_text=_("Om parten inte finns i Tryggnav."))  # fmt: skip
    held_on = dates.DateField(label=_("Datum"), widget=DATE_WIDGET)
    participants = forms.CharField(label=_("Deltagare"), max_length=500)
    summary = forms.CharField(label=_("Vad som sades"), widget=TEXT, max_length=10000)

    def __init__(self, *args: Any, document: LawDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(
            municipality_id=document.organisation.municipality_id, is_active=True
        ).order_by("name")


class CycleForm(forms.Form):
    next_lagesbild_due = dates.DateField(
        label=_("Nästa lägesbild senast"), widget=DATE_WIDGET, required=False
    )
    next_action_plan_due = dates.DateField(
        label=_("Nästa åtgärdsplan senast"), widget=DATE_WIDGET, required=False
    )
    remind_days = forms.IntegerField(label=_("Påminn dagar före"), min_value=0, max_value=365,
                                     initial=30)  # fmt: skip
