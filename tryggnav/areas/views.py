from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tryggnav.areas import access
from tryggnav.areas.forms import AreaNameForm, PlaceForm
from tryggnav.areas.locator import locate_area
from tryggnav.areas.models import Area, Municipality, Place
from tryggnav.audit.services import audit_create, audit_delete, audit_update, snapshot


def _place_editor_organisation(user, municipality: Municipality):
    """An organisation of the user's, in this municipality, with at least the coordinator role."""
    return access.editor_organisation(user, municipality)


def index(request: HttpRequest) -> HttpResponse:
    # Geography is public reference data; the page lists municipalities with areas
    # first, then those of the user's groups and organisations.
    with_areas = Municipality.objects.annotate(n_areas=Count("areas")).filter(n_areas__gt=0)
    own_codes = access.own_municipality_codes(request.user)
    own = Municipality.objects.filter(code__in=own_codes).annotate(n_areas=Count("areas"))
    municipalities = Municipality.objects.select_related("county").order_by("code")
    return render(
        request,
        "areas/area_index.html",
        {"with_areas": with_areas, "own": own, "municipalities": municipalities},
    )


def _municipality(code: str) -> Municipality:
    municipality = Municipality.objects.select_related("county").filter(code=code).first()
    if municipality is None:
        raise Http404
    return municipality


def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    areas = municipality.areas.order_by("kind", "name")
    places = municipality.places.select_related("area").order_by("name")
    return render(
        request,
        "areas/municipality_detail.html",
        {
            "municipality": municipality,
            "areas": areas,
            "places": places,
            "kinds": areas.values_list("kind", flat=True).distinct(),
            "can_add_place": _place_editor_organisation(request.user, municipality) is not None,
        },
    )


def municipality_geojson(request: HttpRequest, code: str) -> JsonResponse:
    """The municipality's boundary, its areas and its places as one FeatureCollection."""
    municipality = _municipality(code)
    features = []
    if municipality.geometry:
        features.append(
            {
                "type": "Feature",
                "geometry": municipality.geometry,
                "properties": {
                    "layer": "municipality",
                    "name": municipality.short_name,
                    "code": municipality.code,
                },
            }
        )
    for area in municipality.areas.all():
        features.append(
            {
                "type": "Feature",
                "geometry": area.geometry,
                "properties": {
                    "layer": "area",
                    "id": area.pk,
                    "name": area.display_name,
                    "kind": area.kind,
                    "code": area.code,
                },
            }
        )
    for place in municipality.places.all():
        features.append(
            {
                "type": "Feature",
                "geometry": place.geometry,
                "properties": {
                    "layer": "place",
                    "id": str(place.public_id),
                    "name": place.name,
                    "kind": place.get_kind_display(),
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def sweden_geojson(request: HttpRequest) -> JsonResponse:
    q = request.GET.get("lan", "")
    municipalities = Municipality.objects.exclude(geometry__isnull=True)
    if q:
        municipalities = municipalities.filter(county_id=q)
    features = [
        {
            "type": "Feature",
            "geometry": m.geometry,
            "properties": {
                "layer": "municipality",
                "code": m.code,
                "name": m.short_name,
                "url": m.get_absolute_url(),
            },
        }
        for m in municipalities
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "private, max-age=3600"
    return response


def place_create(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    organisation = _place_editor_organisation(request.user, municipality)
    if organisation is None:
        # Geography is public, so the municipality exists for everyone: 403, not 404.
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        place = form.save(commit=False)
        place.municipality = municipality
        place.created_by_organisation = organisation
        lon, lat = form.cleaned_data["lon"], form.cleaned_data["lat"]
        place.set_geometry({"type": "Point", "coordinates": [lon, lat]})
        place.area = locate_area(lon, lat, municipality_code=municipality.code)
        try:
            with transaction.atomic():
                place.save()
                audit_create(actor=request.user, obj=place, organisation=organisation)
        except IntegrityError:
            form.add_error("name", _("Det finns redan en plats med det namnet i kommunen."))
        else:
            messages.success(request, _("Platsen %(name)s sparades.") % {"name": place.name})
            return redirect(municipality)
    return render(request, "areas/place_form.html", {"municipality": municipality, "form": form})


def area_name(request: HttpRequest, code: str, area: int) -> HttpResponse:
    """Edit an area's English name (shown when the page is in English)."""
    municipality = _municipality(code)
    organisation = _place_editor_organisation(request.user, municipality)
    if not Area.objects.filter(municipality=municipality, pk=area).exists():
        raise Http404
    if organisation is None:
        raise PermissionDenied
    with transaction.atomic():
        target = Area.objects.select_for_update().get(municipality=municipality, pk=area)
        before = snapshot(target, exclude=["geometry"])
        form = AreaNameForm(request.POST or None, instance=target)
        if request.method == "POST" and form.is_valid():
            form.save()
            audit_update(actor=request.user, obj=target, before=before, organisation=organisation)
            messages.success(request, _("Områdets namn sparades."))
            return redirect(municipality)
    return render(
        request,
        "areas/area_name_form.html",
        {"municipality": municipality, "area": target, "form": form},
    )


@require_POST
def place_delete(request: HttpRequest, code: str, place: str) -> HttpResponse:
    municipality = _municipality(code)
    organisation = _place_editor_organisation(request.user, municipality)
    target = Place.objects.filter(municipality=municipality, public_id=place).first()
    if target is None:
        raise Http404
    if organisation is None:
        raise PermissionDenied
    with transaction.atomic():
        audit_delete(actor=request.user, obj=target, organisation=organisation)
        target.delete()
    messages.success(request, _("Platsen togs bort."))
    return redirect(municipality)


def area_search(request: HttpRequest) -> JsonResponse:
    """Areas and places matching a name, for pickers in forms."""
    q = request.GET.get("q", "").strip()
    if len(q) < 2:
        return JsonResponse({"results": []})
    areas = Area.objects.filter(name__icontains=q).select_related("municipality")[:10]
    places = Place.objects.filter(Q(name__icontains=q)).select_related("municipality")[:10]
    return JsonResponse(
        {
            "results": [
                {
                    "type": "area",
                    "id": a.pk,
                    "name": a.display_name,
                    "municipality": a.municipality.short_name,
                }
                for a in areas
            ]
            + [
                {
                    "type": "place",
                    "id": str(p.public_id),
                    "name": p.name,
                    "lat": p.lat,
                    "lon": p.lon,
                    "municipality": p.municipality.short_name,
                }
                for p in places
            ]
        }
    )
