"""Exports of incidents as CSV, XLSX and GeoJSON: always with the masked text.

Coordinates are given only for precise incidents (exact, street): an imprecise
point (a municipality's centre from the police feed, a district) must never be
read as the place where something happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tryggnav.incidents.models import CategoryGroup, Incident


def header() -> list[str]:
    return [
        _("id"),
        _("inträffade från"),
        _("inträffade till"),
        _("rapporterad"),
        _("kategori"),
        _("kategorigrupp"),
        _("område"),
        _("kommun"),
        _("plats"),
        _("latitud"),
        _("longitud"),
        _("lägesprecision"),
        _("organisation"),
        _("samverkansgrupp"),
        _("källa"),
        _("externt id"),
        _("status"),
        _("beskrivning (maskerad)"),
        _("genererad (demo)"),
    ]


def _local(value):
    return timezone.localtime(value) if value is not None else None


@dataclass(frozen=True)
class Labels:
    """The display labels of the choice fields, translated once per export: Django's
    ``get_FOO_display`` rebuilds and hashes the lazy choices on every call, which was
    most of the time of an export (76 µs a call, four calls a row)."""

    category_group: dict[str, str]
    precision: dict[str, str]
    source: dict[str, str]
    status: dict[str, str]
    generated: str

    @classmethod
    def current(cls) -> Labels:
        def of(choices) -> dict[str, str]:
            return {value: str(label) for value, label in choices.choices}

        return cls(
            of(CategoryGroup),
            of(Incident.Precision),
            of(Incident.Source),
            of(Incident.Status),
            _("ja"),
        )


def row(
    incident: Incident, *, coordinates_as_text: bool = False, labels: Labels | None = None
) -> list[Any]:
    labels = labels or Labels.current()
    lat: float | str | None = incident.lat if incident.is_precise else None
    lon: float | str | None = incident.lon if incident.is_precise else None
    if coordinates_as_text:
        lat = f"{lat:.5f}" if lat is not None else ""
        lon = f"{lon:.5f}" if lon is not None else ""
    return [
        str(incident.public_id),
        _local(incident.occurred_from),
        _local(incident.occurred_to),
        _local(incident.reported_at),
        incident.category.display_name,
        labels.category_group.get(incident.category.group, incident.category.group),
        incident.area.display_name if incident.area else "",
        incident.municipality.short_name if incident.municipality else "",
        incident.place.name if incident.place else "",
        lat,
        lon,
        labels.precision.get(incident.precision, incident.precision),
        incident.organisation.name if incident.organisation else "",
        incident.group.name if incident.group else "",
        labels.source.get(incident.source, incident.source),
        incident.external_id,
        labels.status.get(incident.status, incident.status),
        # Exports always carry the masked text, whoever exports.
        incident.text_for(()),
        labels.generated if incident.is_generated else "",
    ]


def rows(incidents: Iterable[Incident], **kwargs: Any) -> Iterator[list[Any]]:
    labels = Labels.current()
    for incident in incidents:
        yield row(incident, labels=labels, **kwargs)


def geojson(incidents: Iterable[Incident]) -> dict[str, Any]:
    """A FeatureCollection; imprecise incidents have a null geometry."""
    features = []
    for incident in incidents:
        lat, lon = incident.lat, incident.lon
        geometry = (
            {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
            if incident.is_precise and lat is not None and lon is not None
            else None
        )
        features.append(
            {
                "type": "Feature",
                "id": str(incident.public_id),
                "geometry": geometry,
                "properties": {
                    "occurred_from": incident.occurred_from.isoformat(),
                    "occurred_to": incident.occurred_to.isoformat()
                    if incident.occurred_to
                    else None,
                    "category": incident.category.slug,
                    "category_name": incident.category.display_name,
                    "category_group": incident.category.group,
                    "area": incident.area.display_name if incident.area else None,
                    "municipality_code": incident.municipality_id,
                    "place": incident.place.name if incident.place else None,
                    "precision": incident.precision,
                    "organisation": incident.organisation.slug if incident.organisation else None,
                    "group": incident.group.slug if incident.group else None,
                    "source": incident.source,
                    "status": incident.status,
                    "text": incident.text_for(()),
                    "is_generated": incident.is_generated,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
