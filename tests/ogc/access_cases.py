"""/ogc/: areas are public; the other collections need a login (401 for a client, the
login page for a browser); inside them each caller sees only what the access rules
allow, so an outsider's request for another organisation's incident is a 404."""

from tests.access import LOGIN_REDIRECT, Case
from tests.incidents.conftest import report

PUBLIC = {"anonymous": 200, "outsider": 200, "reader": 200}
MEMBERS = {"anonymous": 401, "outsider": 200, "reader": 200}
JSON = "f=json"


def _own_report(w):
    # Filed by the lead organisation, shared with the group: the reader (lead) sees it,
    # the outsider (another municipality's organisation) does not.
    return ["incidents", str(report(w, persona="coordinator", text="Klotter i porten").public_id)]


CASES = [
    Case("ogc:landing", PUBLIC),
    Case("ogc:landing", PUBLIC, query="f=html", label="html"),
    Case("ogc:conformance", PUBLIC),
    Case("ogc:api", PUBLIC),
    Case("ogc:export", PUBLIC),
    Case("ogc:collections", PUBLIC),
    Case("ogc:collection", PUBLIC, args=lambda w: ["areas"]),
    Case("ogc:queryables", PUBLIC, args=lambda w: ["areas"]),
    Case("ogc:items", PUBLIC, args=lambda w: ["areas"], query="limit=5"),
    Case("ogc:item", PUBLIC, args=lambda w: ["areas", "kommun-0180"]),
    Case("ogc:collection", MEMBERS, args=lambda w: ["incidents"], label="incidents"),
    Case(
        "ogc:collection",
        {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200},
        args=lambda w: ["incidents"],
        query="f=html",
        label="incidents-html",
    ),
    Case("ogc:queryables", MEMBERS, args=lambda w: ["incidents"], label="incidents"),
    Case("ogc:items", MEMBERS, args=lambda w: ["incidents"], label="incidents"),
    Case("ogc:items", MEMBERS, args=lambda w: ["weekly-counts"], label="weekly"),
    Case("ogc:items", MEMBERS, args=lambda w: ["hotspots"], label="hotspots"),
    Case(
        "ogc:item",
        {"anonymous": 401, "outsider": 404, "reader": 200},
        args=_own_report,
        label="incident",
    ),
]
