"""Demo step: three safety walks, GENERATED.

Invented for demonstration, written through the services and flagged ``is_demo`` (the
pages label them "Demo"): walks in Flemingsberg and Skogås (Huddinge) and Vällingby
(Stockholm) with 30 points in all; some points have become deficiencies, routed by
Huddinge's demo rules (and Huge Bostäder's estate in Skogås) or by hand in Stockholm,
and stand in every state from new to verified. The Flemingsberg protocol is published.
No mail is sent (demo deficiencies mail no one). Idempotent: skipped when demo walks exist.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tryggnav.areas.models import Area
from tryggnav.demo.inspections import _advance
from tryggnav.inspections import services, walks
from tryggnav.inspections.walk_models import DEFAULT_THEMES, Walk
from tryggnav.organisations.models import Organisation

NOTE = "Genererad demodata."
USERS = {
    "0126": ("eva.lindqvist@huddinge.example", "omar.haddad@huge.example"),
    "0180": ("maria.svensson@stockholm.example", "ahmed.ali@vasterortshem.example"),
}

# theme, note, unsafe, lon, lat, the deficiency's state (None: not a deficiency)
FLEMINGSBERG = [
    ("belysning", "Gångtunneln under spåren är mörk, två lampor släckta", 5, 17.9452, 59.2193, "verifierad"),
    ("vegetation", "Höga buskar skymmer gångvägen mot Grantorp", 4, 17.9438, 59.2180, "planerad"),
    ("klotter", "Klotter på väggen vid cykelparkeringen", 2, 17.9470, 59.2196, "atgardad"),
    ("dolda_horn", "Skrymsle bakom återvinningsstationen", 4, 17.9461, 59.2172, "mottagen"),
    ("skrap", "Mycket skräp och glas vid bänkarna", 3, 17.9475, 59.2186, "ny"),
    ("skyltning", "Ingen skylt mot stationen från Hälsovägen", 2, 17.9490, 59.2178, None),
    ("tillganglighet", "Trasig ramp vid entrén till torget", 3, 17.9467, 59.2190, "inte_var"),
    ("otrygg", "Många känner sig otrygga på parkeringen kvällstid", 5, 17.9448, 59.2168, None),
    ("sikt", "Dålig överblick vid busshållplatsen", 3, 17.9432, 59.2199, None),
    ("belysning", "Lampa blinkar vid lekplatsen", 3, 17.9480, 59.2162, "ny"),
]  # fmt: skip
SKOGAS = [
    ("belysning", "Trappan till centrum är nedsläckt", 5, 18.1522, 59.2181, "mottagen"),
    ("klotter", "Klotter på porten till garaget", 2, 18.1535, 59.2186, "verifierad"),
    ("vegetation", "Buskage mot Ekdalen har vuxit igen", 4, 18.1598, 59.2246, "planerad"),
    ("dolda_horn", "Nisch vid lastkajen där man inte syns", 4, 18.1551, 59.2189, "ny"),
    ("skrap", "Nedskräpat vid pendeltågsuppgången", 2, 18.1546, 59.2171, "atgardad"),
    ("otrygg", "Gångvägen mot stationen känns otrygg", 5, 18.1560, 59.2176, None),
    ("sikt", "Parkerade bilar skymmer övergångsstället", 3, 18.1510, 59.2190, None),
    ("tillganglighet", "Hissen till perrongen ofta ur funktion", 3, 18.1541, 59.2168, None),
    ("skyltning", "Skylten till vårdcentralen saknas", 1, 18.1528, 59.2195, None),
    ("belysning", "Mörkt bakom skolan", 4, 18.1505, 59.2160, None),
]  # fmt: skip
VALLINGBY = [
    ("belysning", "Gångvägen bakom Vällingby centrum är mörk", 4, 17.8705, 59.3627, "mottagen"),
    ("klotter", "Klotter i tunnelbanans uppgång", 2, 17.8722, 59.3634, "atgardad"),
    ("dolda_horn", "Skymd passage vid lastgatan", 4, 17.8731, 59.3640, "ny"),
    ("vegetation", "Buskar vid parken skymmer sikten", 3, 17.8698, 59.3619, None),
    ("otrygg", "Torget känns otryggt sent på kvällen", 4, 17.8717, 59.3630, None),
    ("skrap", "Skräp vid bänkarna på torget", 2, 17.8713, 59.3636, None),
    ("tillganglighet", "Kantsten utan nedfart", 2, 17.8740, 59.3625, None),
    ("sikt", "Dålig överblick vid cykelgaraget", 3, 17.8727, 59.3622, None),
    ("skyltning", "Vägvisning mot Råcksta saknas", 1, 17.8745, 59.3633, None),
    ("belysning", "Lampa trasig vid lekplatsen", 3, 17.8690, 59.3638, None),
]  # fmt: skip

# municipality, convening organisation, invited, area, days ago, title, points, published
WALKS = [
    ("0126", "huddinge-kommun", ["lpo-huddinge", "huge-bostader", "sodertorn-bevakning"],
     "Flemingsberg", 70, "Trygghetsvandring i Flemingsbergs centrum", FLEMINGSBERG, True),
    ("0126", "huddinge-kommun", ["huge-bostader", "lpo-huddinge"],
     "Skogås", 21, "Kvällsvandring i Skogås centrum", SKOGAS, False),
    ("0180", "hasselby-vallingby-sdf", ["lpo-vasterort", "vasterort-bostader"],
     "Vällingby", 7, "Trygghetsvandring i Vällingby centrum", VALLINGBY, False),
]  # fmt: skip
ROUTES = {
    "Flemingsberg": [[17.9432, 59.2199], [17.9452, 59.2193], [17.9470, 59.2190], [17.9480, 59.2162]],
    "Skogås": [[18.1505, 59.2160], [18.1535, 59.2186], [18.1560, 59.2176], [18.1598, 59.2246]],
    "Vällingby": [[17.8690, 59.3638], [17.8717, 59.3630], [17.8740, 59.3625]],
}  # fmt: skip
STOCKHOLM_OWNER = "vasterort-bostader"


def _points(walk: Walk, points: list, admin, owner_user, orgs: dict) -> None:
    start = timezone.make_aware(datetime.datetime.combine(walk.date, datetime.time(18, 30)))
    for n, (theme, note, unsafe, lon, lat, state) in enumerate(points):
        point, _ = walks.walk_point_add(
            walk=walk, by=admin, client_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo:{walk.title}:{n}"),
            theme=theme, note=note, unsafe=unsafe, lat=lat, lon=lon,
            recorded=start + datetime.timedelta(minutes=6 * n), is_demo=True,
        )  # fmt: skip
        if state is None:
            continue
        d = walks.walk_point_to_deficiency(point=point, by=admin)
        if walk.municipality_id == "0180" and state != "inte_var":
            d = services.deficiency_route(deficiency=d, by=admin, owner=orgs[STOCKHOLM_OWNER])
        by = owner_user if d.owner and owner_user and d.owner.slug in (
            "huge-bostader", STOCKHOLM_OWNER) else admin  # fmt: skip
        _advance(d, state, by, admin)


def load() -> list[str]:
    if Walk.objects.filter(is_demo=True).exists():
        return ["Trygghetsvandringar (demo): fanns redan."]
    emails = [e for pair in USERS.values() for e in pair]
    users = {u.email: u for u in get_user_model().objects.filter(email__in=emails)}
    orgs = {o.slug: o for o in Organisation.objects.filter(municipality_id__in=USERS)}
    if any(USERS[m][0] not in users for m in USERS) or STOCKHOLM_OWNER not in orgs:
        return ["Trygghetsvandringar: demoorganisationerna saknas, hoppar över."]
    today = timezone.localdate()
    with transaction.atomic():
        for municipality, convener, invited, area, ago, title, points, published in WALKS:
            admin, owner_user = users[USERS[municipality][0]], users.get(USERS[municipality][1])
            walk = walks.walk_create(
                by=admin, organisation=orgs[convener], title=title,
                area=Area.objects.get(municipality_id=municipality, name=area),
                date=today - datetime.timedelta(days=ago), themes=DEFAULT_THEMES,
                invited=[orgs[s] for s in invited if s in orgs], residents_count=8,
                residents_note=NOTE, is_demo=True,
                route={"type": "LineString", "coordinates": ROUTES[area]},
            )  # fmt: skip
            _points(walk, points, admin, owner_user, orgs)
            if published:
                walks.walk_publish(walk=walk, by=admin, publish=True)
    total = sum(len(w[6]) for w in WALKS)
    return [f"Trygghetsvandringar (demo, genererade): {len(WALKS)} vandringar, {total} punkter."]
