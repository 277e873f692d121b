from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from tryggnav.areas.models import Area, Municipality

PREFIX = "/"
router = Router(tags=["områden"])


class MunicipalityOut(Schema):
    code: str
    name: str
    county_code: str
    population: int | None


class AreaOut(Schema):
    id: int
    municipality_code: str
    kind: str
    code: str
    name: str


@router.get("/municipalities", response=list[MunicipalityOut], summary="Sveriges kommuner")
def municipalities(request):
    return [
        {
            "code": m.code,
            "name": m.short_name,
            "county_code": m.county_id,
            "population": m.population,
        }
        for m in Municipality.objects.order_by("code")
    ]


@router.get("/municipalities/{code}/areas", response=list[AreaOut], summary="Områden i en kommun")
def areas(request, code: str):
    municipality = get_object_or_404(Municipality, code=code)
    return [
        {
            "id": a.pk,
            "municipality_code": a.municipality_id,
            "kind": a.kind,
            "code": a.code,
            "name": a.display_name,
        }
        for a in Area.objects.filter(municipality=municipality).order_by("kind", "name")
    ]
