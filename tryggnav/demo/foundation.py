"""Demo foundation: geography, Stockholm's districts, the two demo collaboration groups,
their organisations and users with fictional names.

Organisations modelled on the seed documents carry their real names where they
are public bodies; companies that are not named in the seeds are fictional and
say so. Everything created here is flagged ``is_demo`` and labelled "Demo".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import shapely
from django.contrib.auth import get_user_model
from django.db import transaction
from shapely.geometry import shape

from tryggnav.areas.models import Area, Municipality
from tryggnav.areas.population_import import area_population_import
from tryggnav.areas.services import areas_import, geography_load
from tryggnav.organisations.models import (
    CollaborationGroup,
    GroupMembership,
    Membership,
    Organisation,
    Role,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "tryggnav-demo"  # noqa: S105 - printed by `make demo`; demo only

HASSELBY_VALLINGBY = [
    "Grimsta",
    "Hässelby gård",
    "Hässelby strand",
    "Hässelby villastad",
    "Kälvesta",
    "Nälsta",
    "Råcksta",
    "Vinsta",
    "Vällingby",
]

# Approximate centres of Huddinge's kommundelar. No open boundary file exists for
# them, so the demo draws generated areas (Voronoi cells around these points,
# clipped to the municipality) and labels them as generated.
HUDDINGE_DISTRICT_CENTRES = {
    "Huddinge centrum": (17.9817, 59.2367),
    "Flemingsberg": (17.9466, 59.2189),
    "Vårby": (17.8847, 59.2647),
    "Skogås": (18.1533, 59.2183),
    "Trångsund": (18.1294, 59.2278),
    "Stuvsta-Snättringe": (18.0010, 59.2540),
    "Segeltorp": (17.9400, 59.2800),
    "Sjödalen-Fullersta": (17.9650, 59.2440),
    "Glömsta-Vidja": (18.0500, 59.2000),
    "Länna": (18.1200, 59.1900),
}
GENERATED_AREA_SOURCE = "Genererad ungefärlig indelning (demo) / generated approximate areas (demo)"
# No open source gives the population of Stockholm's stadsdelar, so the demo's figures
# for the Hässelby-Vällingby districts are made up, flagged and labelled as such.
GENERATED_POPULATION_FILE = "stockholm_stadsdelar_folkmangd_genererad.csv"
GENERATED_POPULATION_SOURCE = (
    "Genererade ungefärliga folkmängder (demo) / generated approximate populations (demo)"
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    organisation: str
    role: str
    title: str


ORGANISATIONS = [
    # slug, name, kind, municipality, parent slug
    ("huddinge-kommun", "Huddinge kommun", Organisation.Kind.MUNICIPALITY, "0126", None),
    (
        "huddinge-kultur-fritid",
        "Huddinge kommun – Kultur- och fritidsförvaltningen",
        Organisation.Kind.MUNICIPALITY,
        "0126",
        "huddinge-kommun",
    ),
    (
        "huddinge-socialforvaltningen",
        "Huddinge kommun – Socialförvaltningen",
        Organisation.Kind.MUNICIPALITY,
        "0126",
        "huddinge-kommun",
    ),
    (
        "huddinge-grundskola",
        "Huddinge kommun – Grundskoleförvaltningen",
        Organisation.Kind.MUNICIPALITY,
        "0126",
        "huddinge-kommun",
    ),
    ("lpo-huddinge", "Lokalpolisområde Huddinge", Organisation.Kind.POLICE, "0126", None),
    ("sbff", "Södertörns brandförsvarsförbund", Organisation.Kind.FIRE_RESCUE, "0126", None),
    ("huge-bostader", "Huge Bostäder AB", Organisation.Kind.HOUSING, "0126", None),
    (
        "huddinge-samhallsfastigheter",
        "Huddinge Samhällsfastigheter AB",
        Organisation.Kind.PROPERTY_OWNER,
        "0126",
        None,
    ),
    (
        "kriminalvarden-huddinge",
        "Kriminalvården, frivården Huddinge",
        Organisation.Kind.PRISON_PROBATION,
        "0126",
        None,
    ),
    (
        "sodertorn-bevakning",
        "Södertörn Bevakning AB (fiktivt)",
        Organisation.Kind.SECURITY,
        "0126",
        None,
    ),
    (
        "hasselby-vallingby-sdf",
        "Hässelby-Vällingby stadsdelsförvaltning",
        Organisation.Kind.MUNICIPALITY,
        "0180",
        None,
    ),
    ("lpo-vasterort", "Lokalpolisområde Västerort", Organisation.Kind.POLICE, "0180", None),
    ("vasterort-bostader", "Västerortshem AB (fiktivt)", Organisation.Kind.HOUSING, "0180", None),
    (
        "vasterort-bevakning",
        "Västerort Vakt AB (fiktivt)",
        Organisation.Kind.SECURITY,
        "0180",
        None,
    ),
]


class GroupSpec(TypedDict):
    slug: str
    name: str
    description: str
    municipality: str
    lead: str
    members: list[str]
    not_weekly: list[str]
    # Municipality code, area kind and the area names (None: all of that kind).
    areas: tuple[str, Area.Kind, list[str] | None]


GROUPS: list[GroupSpec] = [
    {
        "slug": "osg-huddinge",
        "name": "OSG Huddinge",
        "description": (
            "Operativ samverkansgrupp i Huddinge: kommunen, polisen, räddningstjänsten, "
            "bostads- och fastighetsbolag, Kriminalvården och bevakningsföretag (demo)."
        ),
        "municipality": "0126",
        "lead": "huddinge-kommun",
        "members": [
            "huddinge-kommun",
            "huddinge-kultur-fritid",
            "huddinge-socialforvaltningen",
            "huddinge-grundskola",
            "lpo-huddinge",
            "sbff",
            "huge-bostader",
            "huddinge-samhallsfastigheter",
            "kriminalvarden-huddinge",
            "sodertorn-bevakning",
        ],
        # Organisations not expected to file weekly reports.
        "not_weekly": ["huddinge-grundskola", "kriminalvarden-huddinge"],
        "areas": ("0126", Area.Kind.KOMMUNDEL, None),
    },
    {
        "slug": "est-hasselby-vallingby",
        "name": "EST Hässelby-Vällingby",
        "description": (
            "Effektiv samordning för trygghet i Hässelby-Vällingby: stadsdelsförvaltningen, "
            "lokalpolisen, ett bostadsbolag och ett bevakningsföretag (demo)."
        ),
        "municipality": "0180",
        "lead": "hasselby-vallingby-sdf",
        "members": [
            "hasselby-vallingby-sdf",
            "lpo-vasterort",
            "vasterort-bostader",
            "vasterort-bevakning",
        ],
        "not_weekly": [],
        "areas": ("0180", Area.Kind.STADSDEL, HASSELBY_VALLINGBY),
    },
]

USERS = [
    DemoUser(
        "eva.lindqvist@huddinge.example",
        "Eva",
        "Lindqvist",
        "huddinge-kommun",
        Role.ADMIN,
        "Trygghetssamordnare",
    ),
    DemoUser(
        "sara.nilsson@huddinge.example",
        "Sara",
        "Nilsson",
        "huddinge-kommun",
        Role.READER,
        "Ledamot i styrgruppen",
    ),
    DemoUser(
        "johan.berg@polisen.example",
        "Johan",
        "Berg",
        "lpo-huddinge",
        Role.COORDINATOR,
        "Kommunpolis",
    ),
    DemoUser(
        "omar.haddad@huge.example",
        "Omar",
        "Haddad",
        "huge-bostader",
        Role.REPORTER,
        "Fastighetsskötare",
    ),
    DemoUser(
        "lina.karlsson@bevakning.example",
        "Lina",
        "Karlsson",
        "sodertorn-bevakning",
        Role.REPORTER,
        "Väktare",
    ),
    DemoUser("mikael.ek@sbff.example", "Mikael", "Ek", "sbff", Role.REPORTER, "Brandinspektör"),
    DemoUser(
        "maria.svensson@stockholm.example",
        "Maria",
        "Svensson",
        "hasselby-vallingby-sdf",
        Role.ADMIN,
        "Trygghetssamordnare",
    ),
    DemoUser(
        "ahmed.ali@vasterortshem.example",
        "Ahmed",
        "Ali",
        "vasterort-bostader",
        Role.REPORTER,
        "Trygghetsvärd",
    ),
    DemoUser(
        "peter.holm@stockholm.example",
        "Peter",
        "Holm",
        "hasselby-vallingby-sdf",
        Role.READER,
        "Enhetschef",
    ),
    DemoUser(
        "anna.lund@polisen.example",
        "Anna",
        "Lund",
        "lpo-vasterort",
        Role.COORDINATOR,
        "Kommunpolis",
    ),
]
# A second membership: the Huddinge coordinator also reads in the Stockholm group's
# lead organisation, to show switching between organisations.
EXTRA_MEMBERSHIPS = [("eva.lindqvist@huddinge.example", "hasselby-vallingby-sdf", Role.READER)]


def _huddinge_generated_areas() -> None:
    municipality = Municipality.objects.get(code="0126")
    existing = Area.objects.filter(municipality=municipality, kind=Area.Kind.KOMMUNDEL)
    if existing.exists():
        existing.filter(source=GENERATED_AREA_SOURCE).update(is_generated=True)
        return
    boundary = shape(municipality.geometry)
    names = list(HUDDINGE_DISTRICT_CENTRES)
    points = shapely.MultiPoint([HUDDINGE_DISTRICT_CENTRES[n] for n in names])
    cells = shapely.voronoi_polygons(points, extend_to=boundary.envelope.buffer(0.1))
    for cell in cells.geoms:
        name = next(n for n in names if cell.contains(shapely.Point(HUDDINGE_DISTRICT_CENTRES[n])))
        clipped = cell.intersection(boundary)
        if clipped.is_empty:
            continue
        area = Area(
            municipality=municipality,
            kind=Area.Kind.KOMMUNDEL,
            code=name.lower().replace(" ", "-"),
            name=name,
            source=GENERATED_AREA_SOURCE,
            is_generated=True,
        )
        area.set_geometry(shapely.geometry.mapping(clipped))
        area.geometry = _plain(area.geometry)
        area.save()


def _plain(value):
    """Tuples from shapely's mapping() to lists, so the JSON compares equal after a reload."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@transaction.atomic
def load() -> list[str]:
    """Create or update the demo foundation. Safe to run again: nothing is duplicated."""
    lines = _geography()
    orgs = _organisations()
    _groups(orgs)
    _users(orgs)
    lines.append(
        f"{len(ORGANISATIONS)} organisationer, {len(GROUPS)} samverkansgrupper, "
        f"{len(USERS)} användare (demo)"
    )
    return lines


def _geography() -> list[str]:
    """Counties and municipalities, Stockholm's districts with generated populations,
    and Huddinge's generated areas."""
    geography_load()
    result = areas_import(
        path=DATA_DIR / "stockholm_stadsdelar.geojson",
        municipality_code="0180",
        kind=Area.Kind.STADSDEL,
        name_field="name",
        name_case="capitalize",
        source="Stockholms stad, Stadskarta (CC0)",
    )
    populations = area_population_import(
        path=DATA_DIR / GENERATED_POPULATION_FILE,
        municipality_code="0180",
        kind=Area.Kind.STADSDEL,
        source=GENERATED_POPULATION_SOURCE,
        is_generated=True,
    )
    _huddinge_generated_areas()
    return [
        f"Stockholms stadsdelar: {result}",
        f"Folkmängd (genererad) för Hässelby-Vällingbys stadsdelar: {populations}",
    ]


def _organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for slug, name, kind, municipality, parent in ORGANISATIONS:
        org, _created = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "municipality_id": municipality,
                "parent": orgs.get(parent) if parent else None,
                "is_demo": True,
            },
        )
        orgs[slug] = org
    return orgs


def _groups(orgs: dict[str, Organisation]) -> None:
    for spec in GROUPS:
        group, _created = CollaborationGroup.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "municipality_id": spec["municipality"],
                "lead_organisation": orgs[spec["lead"]],
                "is_demo": True,
            },
        )
        for slug in spec["members"]:
            GroupMembership.objects.update_or_create(
                group=group,
                organisation=orgs[slug],
                defaults={"reports_weekly": slug not in spec["not_weekly"]},
            )
        code, area_kind, names = spec["areas"]
        areas = Area.objects.filter(municipality_id=code, kind=area_kind)
        if names:
            areas = areas.filter(name__in=names)
        group.areas.set(areas)


def _users(orgs: dict[str, Organisation]) -> None:
    user_model = get_user_model()
    for demo in USERS:
        user = user_model.objects.filter(email=demo.email).first()
        if user is None:
            user = user_model.objects.create_user(
                username=demo.email,
                email=demo.email,
                password=DEMO_PASSWORD,
                first_name=demo.first_name,
                last_name=demo.last_name,
            )
        Membership.objects.update_or_create(
            user=user,
            organisation=orgs[demo.organisation],
            defaults={"role": demo.role, "title": demo.title},
        )
    for email, slug, role in EXTRA_MEMBERSHIPS:
        Membership.objects.update_or_create(
            user=user_model.objects.get(email=email),
            organisation=orgs[slug],
            defaults={"role": role},
        )


def logins() -> list[tuple[str, str, str]]:
    """(e-mail, organisation, role) of every demo login, for `make demo` to print."""
    names = {slug: name for slug, name, *_ in ORGANISATIONS}
    return [(u.email, names[u.organisation], f"{Role(u.role).label} ({u.title})") for u in USERS]
