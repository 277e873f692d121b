"""Access cases of deficiencies: the lead (the municipality's own organisation) sees
every deficiency of Stockholm, its coordinator manages them and its admin sets the
rules; the partner (a housing company) owns the deficiency and its reporter answers;
the outsider's organisation is another municipality's (404); the answer link needs no
login and works for whoever holds it."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import LOGIN_REDIRECT, MEMBERS_READ, Case
from tests.inspections import factories as f
from tryggnav.inspections import services
from tryggnav.inspections.models import (
    Deficiency,
    DeficiencyProblem,
    OwnerPolygon,
    OwnerToken,
    RoutingRule,
    ServiceLevel,
)

R = LOGIN_REDIRECT
READ = {**MEMBERS_READ, "reporter": 200, "coordinator": 200}
# The owner's answers: the partner's reporter; the municipality's reader may not.
ANSWER = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 302}
# The municipality's coordinator; the owner's reporter sees the deficiency but may not.
MANAGE = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 403, "coordinator": 302}
# Pages of the municipality's own organisation (the partner's reporter is no member).
MUNICIPALITY = {"anonymous": R, "outsider": 404, "reporter": 404}
ADMIN = {**MUNICIPALITY, "reader": 403, "coordinator": 403, "admin": 302}


def _assert(condition: bool) -> None:
    assert condition


def _status(title: str) -> str:
    return Deficiency.objects.get(title=title).status


def _d(status="ny", title="Trasig lampa"):
    return lambda w: [f.deficiency(w, status, title=title).public_id]


def _seen(status):
    return lambda w: {"seen": status}


def _token(w):
    d = f.deficiency(w, "ny", title="Via länk")
    return services.token_create(deficiency=d, by=w.user("coordinator"), email="a@b.example")


def _geojson():
    polygon = [[[17.86, 59.36], [17.88, 59.36], [17.88, 59.37], [17.86, 59.37], [17.86, 59.36]]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Kvarteret"},
         "geometry": {"type": "Polygon", "coordinates": polygon}}]}  # fmt: skip
    return SimpleUploadedFile("omraden.geojson", json.dumps(doc).encode(), "application/geo+json")


def _rule(w):
    return RoutingRule.objects.get_or_create(municipality_id="0180", category="klotter", area=None,
                                             defaults={"owner": w.partner})[0]  # fmt: skip


CASES = [
    Case("inspections:index", {"anonymous": R, "outsider": 200, "reader": 200, "reporter": 200}),
    Case(
        "inspections:index",
        {"anonymous": R, "reader": 200},
        query="status=alla&overdue=on",
        headers={"HX-Request": "true"},
        label="htmx",
    ),  # fmt: skip
    Case("inspections:deficiency", READ, args=_d()),
    Case(
        "inspections:photo",
        {"anonymous": R, "outsider": 404, "reader": 404},
        args=lambda w: [*_d()(w), "foto"],
        label="none",
    ),  # fmt: skip
    Case("inspections:owner", {**READ}, args=lambda w: [w.partner.slug]),
    Case("inspections:overview", {**MUNICIPALITY, "reader": 200}, args=lambda w: [w.lead.slug]),
    Case(
        "inspections:create",
        {**MUNICIPALITY, "reader": 403, "coordinator": 200},
        args=lambda w: [w.lead.slug],
        label="form",
    ),  # fmt: skip
    Case(
        "inspections:create",
        {**MUNICIPALITY, "reader": 403, "coordinator": 302},
        args=lambda w: [w.lead.slug],
        method="post",
        writes=True,
        data=lambda w: {
            "title": "Klotter på muren",
            "category": "klotter",
            "severity": 2,
            "lat": f.LAT,
            "lon": f.LON,
        },
        check=lambda w, b: _assert(Deficiency.objects.filter(title="Klotter på muren").exists()),
    ),  # fmt: skip
    Case(
        "inspections:receive",
        ANSWER,
        args=_d(),
        method="post",
        writes=True,
        data=_seen("ny"),
        check=lambda w, b: _assert(_status("Trasig lampa") == "mottagen"),
    ),  # fmt: skip
    Case(
        "inspections:plan",
        ANSWER,
        args=_d(),
        method="post",
        writes=True,
        data=lambda w: {"planned_for": "2100-01-01"},
        check=lambda w, b: _assert(_status("Trasig lampa") == "planerad"),
    ),  # fmt: skip
    Case(
        "inspections:fix",
        ANSWER,
        args=_d(),
        method="post",
        writes=True,
        data=lambda w: {"note": "Bytt lampa."},
        check=lambda w, b: _assert(_status("Trasig lampa") == "atgardad"),
    ),  # fmt: skip
    Case(
        "inspections:decline",
        ANSWER,
        args=_d(),
        method="post",
        writes=True,
        data=lambda w: {"reason": "Kommunens gata."},
        check=lambda w, b: _assert(_status("Trasig lampa") == "inte_var"),
    ),  # fmt: skip
    Case(
        "inspections:verify",
        MANAGE,
        args=_d("atgardad", "Fixad"),
        method="post",
        writes=True,
        check=lambda w, b: _assert(_status("Fixad") == "verifierad"),
    ),  # fmt: skip
    Case(
        "inspections:reopen",
        MANAGE,
        args=_d("verifierad", "Tillbaka"),
        method="post",
        writes=True,
        data=lambda w: {"reason": "Trasig igen."},
        check=lambda w, b: _assert(_status("Tillbaka") == "mottagen"),
    ),  # fmt: skip
    Case(
        "inspections:route",
        MANAGE,
        args=_d(),
        method="post",
        writes=True,
        data=lambda w: {"owner": w.lead.pk},
        check=lambda w, b: _assert(Deficiency.objects.get(title="Trasig lampa").owner == w.lead),
    ),
    # Given back by the owner: the owner no longer sees it.
    Case(
        "inspections:reroute",
        # The partner said "inte vår", yet sees it: it lies in a group the partner is in.
        {**MANAGE, "reporter": 403},
        args=_d("inte_var", "Omfördela"),
        method="post",
        writes=True,
        check=lambda w, b: _assert(_status("Omfördela") == "ny"),
    ),  # fmt: skip
    Case(
        "inspections:due",
        MANAGE,
        args=_d(),
        method="post",
        writes=True,
        data=lambda w: {"due": "2100-02-03"},
        check=lambda w, b: _assert(
            str(Deficiency.objects.get(title="Trasig lampa").due) == "2100-02-03"
        ),
    ),  # fmt: skip
    Case(
        "inspections:token_create",
        MANAGE,
        args=_d(),
        method="post",
        writes=True,
        data=lambda w: {"email": "agare@example.se"},
        check=lambda w, b: _assert(OwnerToken.objects.filter(email="agare@example.se").exists()),
    ),
    Case(
        "inspections:token_revoke",
        MANAGE,
        args=lambda w: [_token(w)[0].public_id],
        method="post",
        writes=True,
        check=lambda w, b: _assert(OwnerToken.objects.filter(revoked__isnull=False).exists()),
    ),
    # Whoever holds the link sees the one deficiency, logged in or not.
    Case(
        "inspections:answer",
        {"anonymous": 200, "outsider": 200, "reader": 200},
        args=lambda w: [_token(w)[1]],
    ),  # fmt: skip
    Case(
        "inspections:answer",
        {"anonymous": 404, "reader": 404},
        args=lambda w: ["x" * 43],
        label="unknown",
    ),  # fmt: skip
    Case(
        "inspections:answer",
        {"anonymous": 302},
        args=lambda w: [_token(w)[1]],
        method="post",
        data=lambda w: {"action": "receive"},
        label="post",
    ),  # fmt: skip
    Case(
        "inspections:settings",
        {**MUNICIPALITY, "reader": 403, "coordinator": 403, "admin": 200},
        args=lambda w: [w.lead.slug],
    ),  # fmt: skip
    Case(
        "inspections:rule_add",
        ADMIN,
        args=lambda w: [w.lead.slug],
        method="post",
        writes=True,
        data=lambda w: {"category": "belysning", "owner": w.partner.pk},
        check=lambda w, b: _assert(RoutingRule.objects.filter(category="belysning").exists()),
    ),
    Case(
        "inspections:rule_delete",
        ADMIN,
        args=lambda w: [w.lead.slug, _rule(w).pk],
        method="post",
        writes=True,
        check=lambda w, b: _assert(not RoutingRule.objects.filter(category="klotter").exists()),
    ),
    Case(
        "inspections:level_set",
        ADMIN,
        args=lambda w: [w.lead.slug],
        method="post",
        writes=True,
        data=lambda w: {"category": "klotter", "severity": 2, "days": 14},
        check=lambda w, b: _assert(ServiceLevel.objects.filter(days=14).exists()),
    ),  # fmt: skip
    Case(
        "inspections:polygons_upload",
        ADMIN,
        args=lambda w: [w.lead.slug],
        method="post",
        writes=True,
        data=lambda w: {"owner": w.partner.pk, "file": _geojson()},
        check=lambda w, b: _assert(OwnerPolygon.objects.filter(owner=w.partner).exists()),
    ),
    # A collaboration group's deficiencies (groups.py): its members read; its
    # coordinators start a problem in Brå's process from one.
    Case("inspections:group", READ, args=lambda w: [w.group.slug]),
    Case(
        "inspections:problem_start",
        {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 403, "coordinator": 302},
        args=_d(title="Mörk gångtunnel"),
        method="post",
        data=lambda w: {"group": w.group.slug},
        writes=True,
        check=lambda w, before: _assert(
            DeficiencyProblem.objects.filter(
                deficiency__title="Mörk gångtunnel", problem__group=w.group
            ).exists()
        ),
    ),
]

# The citizen channel and Open311 (tests/inspections/access_cases_citizen.py).
from tests.inspections.access_cases_citizen import CASES as _CITIZEN_CASES  # noqa: E402

CASES += _CITIZEN_CASES
