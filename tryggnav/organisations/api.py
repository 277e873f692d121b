from __future__ import annotations

from ninja import Router, Schema

from tryggnav.organisations.access import get_group, groups_of, memberships_of

PREFIX = "/"
router = Router(tags=["organisationer"])


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    kind: str
    role: str


class MeOut(Schema):
    email: str
    name: str
    memberships: list[MembershipOut]


class GroupOut(Schema):
    slug: str
    name: str
    municipality_code: str
    organisations: list[str]
    can_report: bool
    can_coordinate: bool


@router.get("/me", response=MeOut, summary="Den inloggade användaren och dess roller")
def me(request):
    return {
        "email": request.user.email,
        "name": request.user.get_full_name(),
        "memberships": [
            {
                "organisation": m.organisation.slug,
                "organisation_name": m.organisation.name,
                "kind": m.organisation.kind,
                "role": m.role,
            }
            for m in memberships_of(request.user)
        ],
    }


def _group_out(access) -> dict:
    group = access.group
    return {
        "slug": group.slug,
        "name": group.name,
        "municipality_code": group.municipality_id,
        "organisations": [o.slug for o in group.organisations.order_by("name")],
        "can_report": access.can_report,
        "can_coordinate": access.can_coordinate,
    }


@router.get("/groups", response=list[GroupOut], summary="Samverkansgrupper du tillhör")
def groups(request):
    return [_group_out(get_group(request.user, g.slug)) for g in groups_of(request.user)]


@router.get("/groups/{slug}", response=GroupOut, summary="En samverkansgrupp")
def group(request, slug: str):
    return _group_out(get_group(request.user, slug))
