"""The municipality's administration of its geography and maps: areas (upload with a
preview and a field mapping, rename, retire), named places (a click on the map or a CSV
file) and the instance's map background. Only an admin
of the municipality's own organisation gets here (``get_municipality_admin``); the
writes are the areas app's audited services. The police feed's page is the incidents
app's (``incidents/feed_views.py``), which sits above this one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.areas import admin_services, tiles, uploads
from tryggnav.areas.models import Area, AreaUpload, Municipality
from tryggnav.lib.errors import InputError
from tryggnav.organisations.access import authenticated_user, get_municipality_admin
from tryggnav.organisations.geography_forms import (
    AreaMappingForm,
    AreaRenameForm,
    AreaUploadForm,
    PlaceClickForm,
    PlaceCsvForm,
    TilesForm,
)
from tryggnav.organisations.idempotency import KEY_FIELD, creates_once, page_once
from tryggnav.organisations.models import Membership

PREVIEW_SHOWN_ROWS = 200


def _render(
    request: HttpRequest, template: str, admin: Membership, status: int = 200, **context: Any
):
    context.update(
        {"admin_org": admin.organisation, "municipality": admin.organisation.municipality}
    )
    return render(request, f"organisations/{template}", context, status=status)


def _municipality(admin: Membership) -> Municipality:
    return admin.organisation.municipality  # type: ignore[return-value]


# Areas


def areas(request: HttpRequest, slug: str) -> HttpResponse:
    """The municipality's areas, current and retired, and the upload of a new file."""
    admin = get_municipality_admin(request.user, slug)
    municipality = _municipality(admin)
    form = AreaUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = uploads.area_upload_create(
                municipality=municipality,
                organisation=admin.organisation,
                by=authenticated_user(request),
                filename=upload.name or "",
                content=upload,
            )
        except InputError as error:
            error.add_to_form(form, field="file")
        else:
            return redirect("organisations:admin_area_preview", slug, stored.public_id)
    rows = Area.objects.filter(municipality=municipality).order_by("retired", "kind", "name")
    return _render(
        request,
        "admin_areas.html",
        admin,
        status=400 if request.method == "POST" else 200,
        form=form,
        rows=rows,
    )


def _upload(admin: Membership, public_id: UUID) -> AreaUpload:
    upload = AreaUpload.objects.filter(organisation=admin.organisation, public_id=public_id).first()
    if upload is None:
        raise Http404
    return upload


def _mapping(data: Any, fields: list[str]) -> tuple[AreaMappingForm, uploads.Mapping | None]:
    """The mapping form (bound when the request chose a mapping) and its mapping; a
    first guess is a field called name/namn and one called code/kod."""
    if "name_field" in data:
        form = AreaMappingForm(data, fields=fields)
    else:
        lowered = {f.lower(): f for f in fields}
        guess = {
            "name_field": next((lowered[n] for n in ("namn", "name") if n in lowered), fields[0]),
            "code_field": next((lowered[n] for n in ("kod", "code", "id") if n in lowered), ""),
            "kind": Area.Kind.CUSTOM,
        }
        form = AreaMappingForm(guess, fields=fields)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, uploads.Mapping(data["name_field"], data["code_field"] or None, data["kind"])


def _fields(features: list[dict[str, Any]]) -> list[str]:
    return uploads.property_names(features) or ["-"]


def area_preview(request: HttpRequest, slug: str, upload: UUID) -> HttpResponse:
    """The upload's features with their mapped names, on a map and in a table."""
    admin = get_municipality_admin(request.user, slug)
    stored = _upload(admin, upload)
    context: dict[str, Any] = {"upload": stored}
    try:
        features = uploads.upload_features(stored)
        form, mapping = _mapping(request.GET, _fields(features))
        context["form"] = form
        if mapping is not None:
            preview = uploads.area_upload_preview(upload=stored, mapping=mapping, features=features)
            context.update(
                preview=preview,
                mapping=mapping,
                rows=preview.rows[:PREVIEW_SHOWN_ROWS],
                more_rows=max(len(preview.rows) - PREVIEW_SHOWN_ROWS, 0),
                query=form.data.urlencode() if hasattr(form.data, "urlencode") else "",
            )
    except InputError as error:
        context["file_errors"] = error.problems
    return _render(request, "admin_area_preview.html", admin, **context)


def area_preview_geojson(request: HttpRequest, slug: str, upload: UUID) -> JsonResponse:
    admin = get_municipality_admin(request.user, slug)
    stored = _upload(admin, upload)
    try:
        features = uploads.upload_features(stored)
        _form, mapping = _mapping(request.GET, _fields(features))
        if mapping is None:
            return JsonResponse({"type": "FeatureCollection", "features": []})
        preview = uploads.area_upload_preview(upload=stored, mapping=mapping, features=features)
    except InputError:
        return JsonResponse({"type": "FeatureCollection", "features": []})
    return JsonResponse(uploads.preview_geojson(preview))


@require_POST
def area_confirm(request: HttpRequest, slug: str, upload: UUID) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    stored = _upload(admin, upload)
    back = reverse("organisations:admin_area_preview", args=[slug, stored.public_id])
    try:
        _form, mapping = _mapping(request.POST, _fields(uploads.upload_features(stored)))
        if mapping is None:
            messages.error(request, _("Välj vilket fält som är namn och vilken typ områdena har."))
            return redirect(back)
        result = uploads.area_upload_commit(
            upload=stored,
            mapping=mapping,
            by=authenticated_user(request),
            organisation=admin.organisation,
        )
    except InputError as error:
        messages.error(request, _("Inget importerades: %(problems)s") % {"problems": error.text()})
        return redirect(back)
    messages.success(
        request,
        _(
            "Områdena är importerade: %(created)s nya, %(updated)s ändrade, %(unchanged)s oförändrade."
        )
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("organisations:admin_areas", slug)


def _area(admin: Membership, pk: int) -> Area:
    return get_object_or_404(Area, municipality_id=admin.organisation.municipality_id, pk=pk)


@require_POST
def area_rename(request: HttpRequest, slug: str, area: int) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    found = _area(admin, area)
    form = AreaRenameForm(request.POST)
    try:
        if not form.is_valid():
            raise InputError.single("Ange ett namn.", "Give a name.", field="name")
        renamed = admin_services.area_rename(
            area=found,
            name=form.cleaned_data["name"],
            by=authenticated_user(request),
            organisation=admin.organisation,
        )
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Området heter nu %(name)s.") % {"name": renamed.name})
    return redirect("organisations:admin_areas", slug)


@require_POST
def area_retire(request: HttpRequest, slug: str, area: int) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    found = _area(admin, area)
    try:
        admin_services.area_retire(
            area=found, by=authenticated_user(request), organisation=admin.organisation
        )
    except InputError as error:
        messages.error(request, error.text())
    else:
        messages.success(
            request,
            _("%(name)s är avvecklat: gamla händelser behåller området, nya får det inte.")
            % {"name": found.name},
        )
    return redirect("organisations:admin_areas", slug)


# Named places


@creates_once
def places(request: HttpRequest, slug: str) -> HttpResponse:
    """The municipality's named places; a new one by a click on the map."""
    admin = get_municipality_admin(request.user, slug)
    municipality = _municipality(admin)
    form = PlaceClickForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with page_once(request, data.get(KEY_FIELD)) as submission:
                place = admin_services.place_create(
                    municipality=municipality,
                    name=data["name"],
                    kind=data["kind"],
                    lon=data["lon"],
                    lat=data["lat"],
                    by=authenticated_user(request),
                    organisation=admin.organisation,
                )
                submission.created(place, url=reverse("organisations:admin_places", args=[slug]))
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Platsen %(name)s sparades.") % {"name": place.name})
            return redirect("organisations:admin_places", slug)
    return _places_page(request, admin, form=form, status=400 if request.method == "POST" else 200)


def _places_page(request: HttpRequest, admin: Membership, *, status: int = 200, **forms: Any):
    forms.setdefault("form", PlaceClickForm())
    forms.setdefault("csv_form", PlaceCsvForm())
    rows = _municipality(admin).places.select_related("area").order_by("name")
    return _render(request, "admin_places.html", admin, status=status, rows=rows, **forms)


@require_POST
def places_import(request: HttpRequest, slug: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    form = PlaceCsvForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = admin_services.places_csv_import(
                municipality=_municipality(admin),
                filename=upload.name or "",
                raw=upload.read(),
                by=authenticated_user(request),
                organisation=admin.organisation,
            )
        except InputError as error:
            return _places_page(
                request, admin, status=400, csv_form=form, csv_errors=error.problems
            )
        messages.success(request, _("%(n)s platser sparades.") % {"n": created})
        return redirect("organisations:admin_places", slug)
    return _places_page(request, admin, status=400, csv_form=form)


# The map background


def map_tiles(request: HttpRequest, slug: str) -> HttpResponse:
    admin = get_municipality_admin(request.user, slug)
    current = tiles.tiles()
    form = TilesForm(
        request.POST or None, initial={"url": current.url, "attribution": current.attribution}
    )
    if request.method == "POST" and request.POST.get("action") == "reset":
        tiles.tiles_reset(by=authenticated_user(request), organisation=admin.organisation)
        messages.success(request, _("Kartbakgrunden följer nu inställningarna."))
        return redirect("organisations:admin_map_tiles", slug)
    if request.method == "POST" and form.is_valid():
        try:
            tiles.tiles_set(
                url=form.cleaned_data["url"],
                attribution=form.cleaned_data["attribution"],
                by=authenticated_user(request),
                organisation=admin.organisation,
            )
        except InputError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Kartbakgrunden sparades."))
            return redirect("organisations:admin_map_tiles", slug)
    return _render(
        request,
        "admin_map_tiles.html",
        admin,
        status=400 if request.method == "POST" else 200,
        form=form,
        current=current,
    )
