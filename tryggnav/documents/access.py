"""Who may see and do what with the statutory documents, one condition per line:

- the municipality's own organisation (kind "kommun") runs the cycle: its members read
  its documents, its coordinators create, edit, invite, record and decide;
- a party invited to contribute (an organisation with a contribution) reads the
  document and edits its own contribution only (reporter role or more);
- anyone else does not see the document at all (404); a member without the right gets 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tryggnav.documents.models import Contribution, LawDocument
from tryggnav.organisations.access import get_organisation, memberships_of, organisations_of
from tryggnav.organisations.models import Membership, Organisation, Role


def get_municipality(user: Any, slug: str, *, role: str = Role.READER) -> Membership:
    """The user's membership in municipality organisation ``slug`` with ``role``; 404 for
    outsiders and for an organisation that is not a municipality's, 403 if too weak."""
    membership = get_organisation(user, slug)
    organisation = membership.organisation
    if organisation.kind != Organisation.Kind.MUNICIPALITY or organisation.municipality_id is None:
        raise Http404
    if not membership.has_role(role):
        raise PermissionDenied
    return membership


def municipalities_of(user: Any, *, role: str = Role.READER) -> QuerySet[Organisation]:
    return organisations_of(user, role=role).filter(
        kind=Organisation.Kind.MUNICIPALITY, municipality__isnull=False
    )


def visible_documents(user: Any) -> QuerySet[LawDocument]:
    """The documents of the user's municipality organisations and those their
    organisations are invited to contribute to."""
    mine = organisations_of(user)
    return LawDocument.objects.filter(
        Q(organisation__in=mine) | Q(contributions__organisation__in=mine)
    ).distinct()


def can_coordinate(user: Any, document: LawDocument) -> bool:
    membership = memberships_of(user).filter(organisation_id=document.organisation_id).first()
    return membership is not None and membership.has_role(Role.COORDINATOR)


def get_document(user: Any, public_id: UUID | str, *, coordinate: bool = False) -> LawDocument:
    """A document the user sees; 404 if not, 403 when ``coordinate`` and the user is no
    coordinator of the municipality's organisation."""
    document = (
        visible_documents(user)
        .filter(public_id=public_id)
        .select_related("organisation__municipality", "based_on")
        .first()
    )
    if document is None:
        raise Http404
    if coordinate and not can_coordinate(user, document):
        raise PermissionDenied
    return document


def own_contributions(user: Any) -> QuerySet[Contribution]:
    """The contributions the user may write: of organisations where they report or more."""
    return Contribution.objects.filter(organisation__in=organisations_of(user, role=Role.REPORTER))


def get_contribution(user: Any, public_id: UUID | str) -> Contribution:
    """The user's own party's contribution; 404 if the user does not see its document,
    403 if they see it but the contribution is another party's."""
    contribution = (
        Contribution.objects.filter(public_id=public_id)
        .select_related("document", "organisation")
        .first()
    )
    if (
        contribution is None
        or not visible_documents(user).filter(pk=contribution.document_id).exists()
    ):
        raise Http404
    if not own_contributions(user).filter(pk=contribution.pk).exists():
        raise PermissionDenied
    return contribution
