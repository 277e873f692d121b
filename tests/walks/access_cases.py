"""Access cases of safety walks: the municipality's members see a walk, its
coordinator plans it and acts on its points; the invited partner's reporter sees it and
adds points; the outsider (another municipality) gets 404; the public sees only a
published walk's protocol page."""

from __future__ import annotations

from tests.access import LOGIN_REDIRECT, MEMBERS_READ, Case
from tests.walks import factories as f
from tryggnav.inspections.walk_models import Walk, WalkPoint

R = LOGIN_REDIRECT
READ = {**MEMBERS_READ, "reporter": 200, "coordinator": 200}
MANAGE = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 403, "coordinator": 302}
MUNICIPALITY = {"anonymous": R, "outsider": 404, "reporter": 404}
KEY = "6f1c1c3e-3a8e-4a43-9d7c-2b7f0b1d2e10"


def _assert(condition: bool) -> None:
    assert condition


def _w(w):
    return [f.walk(w).public_id]


def _p(**kw):
    return lambda w: [f.walk(w).public_id, f.point(w, **kw).public_id]


def _point() -> WalkPoint:
    return WalkPoint.objects.get(note="Mörk gångväg bakom skolan")


CASES = [
    Case("inspections:walks", {"anonymous": R, "outsider": 200, "reader": 200, "reporter": 200}),
    Case(
        "inspections:walk_create",
        {**MUNICIPALITY, "reader": 403, "coordinator": 200},
        args=lambda w: [w.lead.slug],
        label="form",
    ),  # fmt: skip
    Case(
        "inspections:walk_create",
        {**MUNICIPALITY, "reader": 403, "coordinator": 302},
        args=lambda w: [w.lead.slug],
        method="post",
        writes=True,
        data=lambda w: {
            "title": "Vandring i Vinsta",
            "area": f.vallingby().pk,
            "date": "2026-11-02",
            "themes": ["belysning", "klotter"],
            "residents_count": 3,
            "route": "[[17.87, 59.36], [17.88, 59.37]]",
        },
        check=lambda w, b: _assert(Walk.objects.filter(title="Vandring i Vinsta").exists()),
    ),
    Case("inspections:walk", READ, args=_w),
    Case("inspections:walk_geojson", READ, args=_w),
    Case("inspections:walk_protocol", READ, args=lambda w: [*_w(w), "docx"], label="docx"),
    Case("inspections:walk_protocol_diarium", READ, args=_w),
    Case(
        "inspections:walk_protocol_diarium",
        READ,
        args=_w,
        method="post",
        data=lambda w: {"diarienummer": "KS 2026/9", "format": "docx"},
        label="download",
    ),
    Case(
        "inspections:walk_protocol",
        {"anonymous": R, "outsider": 404, "reader": 200},
        args=lambda w: [*_w(w), "pdf"],
        label="pdf",
    ),  # fmt: skip
    Case("inspections:walk_point_photo", READ, args=_p(photo=True)),
    Case(
        "inspections:walk_record",
        {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 200, "coordinator": 200},
        args=_w,
    ),  # fmt: skip
    Case(
        "inspections:walk_point_add",
        {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 201},
        args=_w,
        method="post",
        writes=True,
        headers={"X-Requested-With": "fetch"},
        data=lambda w: {"client_key": KEY, "theme": "klotter", "note": "Klotter på muren"},
        check=lambda w, b: _assert(WalkPoint.objects.filter(client_key=KEY).exists()),
    ),
    Case(
        "inspections:walk_deficiencies",
        MANAGE,
        args=_w,
        method="post",
        writes=True,
        data=lambda w: {"points": [str(f.point(w).public_id)]},
        check=lambda w, b: _assert(_point().deficiency_id is not None),
    ),
    Case(
        "inspections:walk_point_problem",
        MANAGE,
        args=_p(),
        method="post",
        writes=True,
        check=lambda w, b: _assert(_point().problem_id is not None),
    ),
    Case(
        "inspections:walk_point_photo_public",
        MANAGE,
        args=_p(photo=True),
        method="post",
        writes=True,
        data=lambda w: {"on": "on"},
        check=lambda w, b: _assert(_point().photo_public),
    ),
    Case(
        "inspections:walk_publish",
        MANAGE,
        args=_w,
        method="post",
        writes=True,
        data=lambda w: {"on": "on"},
        check=lambda w, b: _assert(Walk.objects.filter(published__isnull=False).exists()),
    ),
    # The public page of a published walk, for anyone; an unpublished walk has none.
    Case(
        "inspections:walk_public",
        {"anonymous": 200, "outsider": 200, "reader": 200},
        args=lambda w: [f.walk(w, published=True).public_id],
    ),
    Case(
        "inspections:walk_public",
        {"anonymous": 404, "outsider": 404, "reader": 404},
        args=_w,
        label="unpublished",
    ),
    Case(
        "inspections:walk_public_photo",
        {"anonymous": 200, "outsider": 200},
        args=lambda w: [
            f.walk(w, published=True).public_id,
            f.point(w, photo=True, public_photo=True).public_id,
        ],
    ),  # fmt: skip
    Case(
        "inspections:walk_public_photo",
        {"anonymous": 404, "reader": 404},
        args=lambda w: [f.walk(w, published=True).public_id, f.point(w, photo=True).public_id],
        label="unscreened",
    ),  # fmt: skip
]
