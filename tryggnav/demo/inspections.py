"""Demo step: deficiencies in Huddinge routed to their owners, GENERATED.

Invented for demonstration, written through the services and flagged ``is_demo``
(the pages label them "Demo"): routing rules (streets and parks to the municipality,
fire safety to the premises company), a generated estate polygon for Huge Bostäder
around Skogås centrum, and 24 deficiencies in Flemingsberg, Skogås and Vårby found
over the past half year, in every state: fixed and verified, overdue, disputed ("inte
vår") and new. Idempotent: skipped when Huddinge has demo deficiencies.
"""

from __future__ import annotations

import datetime
import json

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tryggnav.inspections import services
from tryggnav.inspections.models import Deficiency, RoutingRule, Status
from tryggnav.organisations.models import Organisation

MUNICIPALITY = "0126"
ADMIN = "eva.lindqvist@huddinge.example"
OWNER_USER = "omar.haddad@huge.example"
NOTE = "Genererad demodata."

# Skogås centrum, a generated rectangle standing in for Huge Bostäder's estate there.
SKOGAS_ESTATE = [[18.145, 59.214], [18.162, 59.214], [18.162, 59.222], [18.145, 59.222],
                 [18.145, 59.214]]  # fmt: skip

# title, category, severity, lon, lat, place, days ago, final state
DEFICIENCIES = [
    ("Trasig gatlampa vid gångtunneln", "belysning", 3, 17.9452, 59.2195, "Flemingsbergs station", 40, "verifierad"),
    ("Släckt belysning på gångvägen", "belysning", 3, 17.9480, 59.2176, "Hälsovägen", 20, "ny"),
    ("Igenvuxet buskage vid busshållplatsen", "vegetation", 2, 17.9430, 59.2201, "Regulatorvägen", 75, "planerad"),
    ("Klotter på bullerplanket", "klotter", 2, 17.9500, 59.2180, "Flemingsbergsleden", 12, "mottagen"),
    ("Skräp och glas i lekparken", "skrap", 2, 17.9470, 59.2160, "Lekparken vid Alfred Nobels allé", 6, "atgardad"),
    ("Skymd hörna bakom garaget", "sikt", 2, 17.9440, 59.2170, "Garaget vid Grantorp", 120, "mottagen"),
    ("Trasig skylt mot stationen", "skyltning", 1, 17.9460, 59.2190, "Stationsvägen", 150, "verifierad"),
    ("Otrygg passage under bron", "otrygg", 3, 17.9490, 59.2200, "Bron över Huddingevägen", 30, "inte_var"),
    ("Nedsläckt trappbelysning", "belysning", 3, 18.1520, 59.2180, "Skogås centrum, trappan", 25, "ny"),
    ("Klotter på portarna", "klotter", 2, 18.1530, 59.2185, "Skogås centrum", 50, "atgardad"),
    ("Trasig port till soprummet", "skada", 2, 18.1550, 59.2190, "Skogås centrum", 65, "mottagen"),
    ("Buskage skymmer gångvägen", "vegetation", 2, 18.1600, 59.2250, "Gångvägen mot Ekdalen", 90, "planerad"),
    ("Glaskross vid pendeltåget", "skrap", 2, 18.1545, 59.2170, "Skogås station", 3, "ny"),
    ("Mörk parkering", "belysning", 3, 18.1480, 59.2230, "Parkeringen vid Skogås torg", 45, "verifierad"),
    ("Utrymningsväg blockerad i skolan", "brandskydd", 4, 18.1510, 59.2160, "Skogåsskolan", 10, "atgardad"),
    ("Brandlarm ur funktion i idrottshallen", "brandskydd", 4, 17.9455, 59.2205, "Flemingsbergs idrottshall", 8, "mottagen"),
    ("Trasig belysning längs Vårby allé", "belysning", 3, 17.8853, 59.2651, "Vårby allé", 35, "ny"),
    ("Klotter i gångtunneln", "klotter", 2, 17.8840, 59.2640, "Gångtunneln vid Vårby gård", 18, "planerad"),
    ("Igenvuxen stig vid stranden", "vegetation", 1, 17.8820, 59.2670, "Vårby strand", 100, "atgardad"),
    ("Skräp på bollplanen", "skrap", 1, 17.8860, 59.2655, "Bollplanen vid Vårby gård", 14, "verifierad"),
    ("Ingen belysning vid busshållplatsen", "belysning", 3, 17.8870, 59.2645, "Vårby gård, hållplatsen", 60, "mottagen"),
    ("Trasigt staket vid förskolan", "skada", 2, 17.8850, 59.2630, "Förskolan Vårbyhöjden", 28, "inte_var"),
    ("Dålig sikt i korsningen", "sikt", 2, 17.8830, 59.2660, "Vårby allé/Skebokvarnsvägen", 160, "verifierad"),
    ("Otillgänglig entré till centrum", "tillganglighet", 1, 17.8845, 59.2648, "Vårby centrum", 200, "planerad"),
]  # fmt: skip

RULES = [("", "huddinge-kommun"), ("brandskydd", "huddinge-samhallsfastigheter")]


def _advance(d: Deficiency, state: str, owner_by, admin) -> None:
    if state == Status.NOT_OURS:
        services.deficiency_decline(deficiency=d, by=owner_by, reason=f"Inte vår mark. {NOTE}")
        return
    if state == Status.NEW:
        return
    d = services.deficiency_receive(deficiency=d, by=owner_by)
    if state == Status.PLANNED:
        day = timezone.localdate() + datetime.timedelta(days=14)
        services.deficiency_plan(deficiency=d, by=owner_by, planned_for=day)
    if state in (Status.FIXED, Status.VERIFIED):
        d = services.deficiency_fix(deficiency=d, by=owner_by, note=f"Åtgärdat. {NOTE}")
    if state == Status.VERIFIED:
        services.deficiency_verify(deficiency=d, by=admin)


def load() -> list[str]:
    users = {u.email: u for u in get_user_model().objects.filter(email__in=[ADMIN, OWNER_USER])}
    admin = users.get(ADMIN)
    orgs = {o.slug: o for o in Organisation.objects.filter(municipality_id=MUNICIPALITY)}
    if admin is None or "huge-bostader" not in orgs:
        return ["Brister: demoorganisationerna saknas, hoppar över."]
    if Deficiency.objects.filter(municipality_id=MUNICIPALITY, is_demo=True).exists():
        return ["Brister (demo): Huddinges brister fanns redan."]
    now = timezone.now()
    with transaction.atomic():
        for category, slug in RULES:
            RoutingRule.objects.create(municipality_id=MUNICIPALITY, category=category,
                                       owner=orgs[slug])  # fmt: skip
        doc = {"type": "FeatureCollection", "features": [{"type": "Feature",
               "properties": {"name": "Skogås centrum (genererad)"},
               "geometry": {"type": "Polygon", "coordinates": [SKOGAS_ESTATE]}}]}  # fmt: skip
        services.polygons_import(by=admin, municipality_id=MUNICIPALITY, owner=orgs["huge-bostader"],
                                 data=json.dumps(doc).encode(), filename="huge-skogas.geojson")  # fmt: skip
        for title, category, severity, lon, lat, place, ago, state in DEFICIENCIES:
            d = services.deficiency_create(
                by=admin, municipality_id=MUNICIPALITY, category=category, severity=severity,
                title=title, source="manuell", description=NOTE, lat=lat, lon=lon,
                place_name=place, is_demo=True, created=now - datetime.timedelta(days=ago),
            )  # fmt: skip
            owner_by = users.get(OWNER_USER) if d.owner == orgs["huge-bostader"] else admin
            _advance(d, state, owner_by, admin)
    return [
        f"Brister (demo, genererade): {len(DEFICIENCIES)} i Huddinge, regler och ett ägarområde."
    ]
