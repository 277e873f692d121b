from __future__ import annotations

import datetime as dt
from datetime import datetime, time
from itertools import groupby
from typing import Any

from django import forms
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tryggnav.areas.models import Area, Place
from tryggnav.incidents.models import Category, CategoryGroup, Incident
from tryggnav.incidents.taxonomy import POLICE_FEED_ONLY
from tryggnav.lib import dates
from tryggnav.organisations.access import GroupAccess, organisations_of
from tryggnav.organisations.idempotency import OnceForm
from tryggnav.organisations.models import CollaborationGroup, Role

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """``form.fields[name]``, a choice field (``fields`` is typed as plain Field)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """``form.fields[name]``, a model choice field (``fields`` is typed as plain Field)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class PlaceChoiceField(forms.ModelChoiceField):
    """A named place, labelled with its kind."""

    def label_from_instance(self, obj: Place) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


def categories_for_groups(groups) -> QuerySet[Category]:
    return (
        Category.objects.filter(
            Q(collaboration_group__isnull=True) | Q(collaboration_group__in=groups)
        )
        .filter(active=True)
        .order_by("group", "order", "name")
    )


def reporting_categories(groups) -> QuerySet[Category]:
    """The categories a reporter may choose: those of the groups, less the police feed's own."""

    return categories_for_groups(groups).exclude(
        collaboration_group__isnull=True, slug__in=POLICE_FEED_ONLY
    )


def grouped_categories(categories) -> list[tuple[str, list[Category]]]:
    """Categories grouped by their category group, in the taxonomy's order."""
    labels = dict(CategoryGroup.choices)
    order = list(labels)
    items = sorted(
        categories,
        key=lambda c: (order.index(c.group) if c.group in order else 99, c.order, c.name),
    )
    return [
        (str(labels.get(key, key)), list(cats)) for key, cats in groupby(items, lambda c: c.group)
    ]


class ReportForm(OnceForm, forms.Form):
    """The phone-first report: what, when, where, a few words, a photo."""

    NOW = "now"
    EARLIER = "earlier"

    group = forms.ChoiceField(label=_("Rapportera till"))
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        label=_("Vad har hänt?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en kategori.")},
    )
    when = forms.ChoiceField(
        label=_("När?"),
        choices=[(NOW, _("Nu")), (EARLIER, _("Tidigare"))],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    occurred_from = dates.DateTimeField(
        label=_("Tidpunkt (eller från)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    occurred_to = dates.DateTimeField(
        label=_("Till (om du inte vet exakt när)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    lat = forms.FloatField(label=_("Latitud"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitud"), required=False, min_value=-180, max_value=180)
    precision = forms.ChoiceField(
        label=_("Hur exakt är läget?"),
        choices=[
            (Incident.Precision.EXACT, _("Exakt")),
            (Incident.Precision.STREET, _("Ungefär (gata/kvarter)")),
        ],
        initial=Incident.Precision.EXACT,
    )
    place = PlaceChoiceField(
        queryset=Place.objects.none(),
        required=False,
        to_field_name="public_id",
        label=_("Eller välj en namngiven plats"),
        empty_label=_("– ingen –"),
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("Eller välj ett område"),
        empty_label=_("– inget –"),
    )
    text = forms.CharField(
        label=_("Kort beskrivning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Beskriv platsen och situationen, inte personer. Skriv inga personnummer, "
            "telefonnummer eller registreringsnummer."
        ),
    )
    photo = forms.FileField(
        label=_("Foto (valfritt)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("Platsinformation och annan metadata tas bort från bilden."),
    )
    sharing = forms.ChoiceField(
        label=_("Dela med"),
        choices=Incident.Sharing.choices,
        initial=Incident.Sharing.GROUP,
        widget=forms.RadioSelect,
    )
    confirm_personal_data = forms.BooleanField(
        label=_("Jag har läst varningen och vill spara ändå (uppgifterna maskeras för andra)"),
        required=False,
    )

    def __init__(self, *args, accesses, common=(), **kwargs):
        """``common``: the organisation's most used categories, offered first."""
        super().__init__(*args, **kwargs)
        self.common = list(common)
        self.accesses = {a.group.slug: a for a in accesses}
        groups = [a.group for a in accesses]
        self.map_municipality = groups[0].municipality_id
        _choice_field(self, "group").choices = [(a.group.slug, a.group.name) for a in accesses]
        if len(accesses) == 1:
            self.fields["group"].initial = accesses[0].group.slug
        _model_choice_field(self, "category").queryset = reporting_categories(groups)
        municipalities = {g.municipality_id for g in groups}
        _model_choice_field(self, "place").queryset = Place.objects.filter(
            municipality_id__in=municipalities
        ).order_by("name")
        _model_choice_field(self, "area").queryset = (
            Area.objects.current().filter(groups__in=groups).distinct().order_by("name")
        )

    def category_groups(self):
        """(group label, [(category, radio widget)]) for rendering large grouped radio buttons."""
        radios = {str(w.data["value"]): w for w in self["category"]}
        first = {c.pk for c in self.common}
        offered = _model_choice_field(self, "category").queryset or Category.objects.none()
        rest = [c for c in offered if c.pk not in first]
        groups = [
            (label, [(c, radios.get(str(c.pk))) for c in cats])
            for label, cats in grouped_categories(rest)
        ]
        if self.common:
            common = [(c, radios.get(str(c.pk))) for c in self.common]
            groups.insert(0, (str(_("Vanligast i din organisation")), common))
        return groups

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("when") == self.EARLIER and not data.get("occurred_from"):
            self.add_error("occurred_from", _("Ange när det hände."))
        if data.get("when") == self.NOW:
            data["occurred_from"] = timezone.now()
            data["occurred_to"] = None
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lat", _("Ange både latitud och longitud."))
        if data.get("lat") is None and not data.get("place") and not data.get("area"):
            self.add_error(
                None,
                _(
                    "Välj var det hände: tryck på kartan, använd din position eller välj en plats "
                    "eller ett område."
                ),
            )
        return data

    def location(self) -> dict:
        """Point, precision, place and area for incident_create from the cleaned data."""
        data = self.cleaned_data
        if data.get("lat") is not None:
            precision = data["precision"]
        elif data.get("place"):
            precision = Incident.Precision.STREET
        else:
            precision = Incident.Precision.DISTRICT
        return {
            "lat": data.get("lat"),
            "lon": data.get("lon"),
            "precision": precision,
            "place": data.get("place"),
            "area": data.get("area"),
        }


class CheckForm(forms.Form):
    """What the live check (personal data, duplicates) reads from the report being typed."""

    category = forms.ModelChoiceField(queryset=Category.objects.filter(active=True), required=False)
    text = forms.CharField(required=False, max_length=2000)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180)
    when = forms.CharField(required=False)
    occurred_from = dates.DateTimeField(
        required=False, input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
    )
    place = forms.ModelChoiceField(
        queryset=Place.objects.all(), required=False, to_field_name="public_id"
    )


class ReviewForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Kategori"))
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label=_("Område"), empty_label=_("– inget –")
    )
    occurred_from = dates.DateTimeField(
        label=_("Inträffade (från)"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    occurred_to = dates.DateTimeField(
        label=_("Inträffade (till)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    note = forms.CharField(label=_("Kommentar"), required=False, max_length=300)

    def __init__(self, *args, incident: Incident, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "category": incident.category_id,
                "area": incident.area_id,
                "occurred_from": timezone.localtime(incident.occurred_from),
                "occurred_to": timezone.localtime(incident.occurred_to)
                if incident.occurred_to
                else None,
            },
        )
        super().__init__(*args, **kwargs)
        group = incident.group
        _model_choice_field(self, "category").queryset = Category.objects.for_group(
            group
        ) | Category.objects.filter(pk=incident.category_id)
        areas = Area.objects.filter(groups=group) if group else Area.objects.none()
        if incident.municipality_id:
            areas = areas | Area.objects.filter(municipality_id=incident.municipality_id)
        _model_choice_field(self, "area").queryset = areas.distinct().order_by("name")


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), max_length=300)


class MergeForm(forms.Form):
    into = forms.UUIDField(label=_("Behåll rapporten"))


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=120)
    name_en = forms.CharField(
        label=_("Namn på engelska"),
        max_length=120,
        required=False,
        help_text=_("Visas när sidan är på engelska; tomt: det svenska namnet."),
    )
    group = forms.ChoiceField(label=_("Kategorigrupp"), choices=CategoryGroup.choices)
    description = forms.CharField(label=_("Beskrivning"), max_length=300, required=False)


class IncidentFilterForm(forms.Form):
    """Filters shared by the list, the map, the exports and (as query parameters) the API."""

    since = dates.DateField(label=_("Från"), required=False, widget=DateInput())
    until = dates.DateField(label=_("Till"), required=False, widget=DateInput())
    group = forms.ChoiceField(label=_("Samverkansgrupp"), required=False)
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label=_("Område"), empty_label=_("Alla")
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    source = forms.ChoiceField(
        label=_("Källa"), required=False, choices=[("", _("Alla")), *Incident.Source.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla")), *Incident.Status.choices]
    )
    precision = forms.ChoiceField(
        label=_("Lägesprecision"),
        required=False,
        choices=[("", _("Alla")), *Incident.Precision.choices],
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        _choice_field(self, "group").choices = [
            ("", _("Alla")),
            *[(g.slug, g.name) for g in groups],
        ]
        # Without the outlines: a choice needs the name alone.
        _model_choice_field(self, "area").queryset = (
            Area.objects.filter(groups__in=groups).defer("geometry").distinct().order_by("name")
        )
        choices: list = [("", _("Alla"))]
        for label, cats in grouped_categories(categories_for_groups(groups)):
            key = cats[0].group
            choices.append(
                (
                    label,
                    [(f"g:{key}", _("Alla i %(group)s") % {"group": label})]
                    + [(f"c:{c.slug}", c.display_name) for c in cats],
                )
            )
        _choice_field(self, "category").choices = choices

    def filter(self, queryset):
        """Apply the valid filters to ``queryset``; invalid ones are ignored (and shown)."""
        if not self.is_valid():
            return queryset
        return apply_filters(queryset, self.cleaned_data)


def apply_filters(queryset, data: dict):
    tz = timezone.get_current_timezone()
    if data.get("since"):
        queryset = queryset.filter(occurred_from__gte=datetime.combine(data["since"], time.min, tz))
    if data.get("until"):
        queryset = queryset.filter(occurred_from__lte=datetime.combine(data["until"], time.max, tz))
    if data.get("group"):
        # By the group's id, not a join on its slug: the join made PostgreSQL read and
        # sort every incident of the period before it kept the group's (issue 16).
        group_id = (
            CollaborationGroup.objects.filter(slug=data["group"])
            .values_list("pk", flat=True)
            .first()
        )
        queryset = queryset.filter(group_id=group_id) if group_id else queryset.none()
    if data.get("area"):
        queryset = queryset.filter(area=data["area"])
    category = data.get("category") or ""
    if category.startswith("g:"):
        queryset = queryset.filter(category__group=category[2:])
    elif category.startswith("c:"):
        queryset = queryset.filter(category__slug=category[2:])
    for name in ("source", "status", "precision"):
        if data.get(name):
            queryset = queryset.filter(**{name: data[name]})
    return queryset


# A reporter's most used categories come first (the start page and the report form).
RECENT_DAYS = 365
COMMON_CATEGORIES = 6


def common_categories(user: Any, accesses: list[GroupAccess]) -> list[Any]:
    """The categories the user's organisations reported most in the last year, among
    those a reporter may choose."""
    allowed = reporting_categories([a.group for a in accesses if a.can_report])
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    counts = (
        Incident.objects.filter(
            organisation__in=organisations_of(user, role=Role.REPORTER),
            reported_at__gte=since,
            category__in=allowed,
        )
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n")[:COMMON_CATEGORIES]
    )
    by_id = {c.pk: c for c in allowed}
    return [by_id[row["category"]] for row in counts if row["category"] in by_id]
