"""/api/v1/documents: the municipality's statutory documents (lägesbild, åtgärdsplan),
their status and version, and the coordinator's section texts.

Same rules as the pages (``tryggnav.documents.access``): the municipality's members and
the invited parties read; its coordinators write; anyone else gets 404. A write to a
decided (locked) version is refused with 409, by the same service as the page.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from ninja import Router, Schema, Status

from tryggnav.documents import access, services
from tryggnav.documents.models import LawDocument
from tryggnav.lib.api_errors import ErrorOut, input_error_payload
from tryggnav.lib.api_types import SectionText, Slug
from tryggnav.lib.errors import Conflict, InputError

PREFIX = "/documents"
router = Router(tags=["lagdokument"])


class DocumentOut(Schema):
    id: UUID
    kind: str
    title: str
    municipality: str
    period_start: datetime.date
    period_end: datetime.date
    version: int
    status: str
    based_on: UUID | None
    decided_body: str
    decided_on: datetime.date | None
    decision_paragraph: str
    registry_number: str
    is_demo: bool


class DocumentDetailOut(DocumentOut):
    figures: dict[str, Any]
    texts: dict[str, str]
    contributions: list[dict[str, Any]]


class TextsIn(Schema):
    texts: dict[Slug, SectionText]


def _out(d: LawDocument) -> dict[str, Any]:
    return {
        "id": d.public_id, "kind": d.kind, "title": d.title,
        "municipality": d.organisation.municipality.name if d.organisation.municipality else "",
        "period_start": d.period_start, "period_end": d.period_end, "version": d.number,
        "status": d.status, "based_on": d.based_on.public_id if d.based_on else None,
        "decided_body": d.decided_body, "decided_on": d.decided_on,
        "decision_paragraph": d.decision_paragraph, "registry_number": d.registry_number,
        "is_demo": d.is_demo,
    }  # fmt: skip


def _detail(d: LawDocument) -> dict[str, Any]:
    contributions = [
        {"party": c.organisation.name, "done": c.is_done, "text": c.text}
        for c in d.contributions.select_related("organisation")
    ]
    return {**_out(d), "figures": d.figures, "texts": d.texts, "contributions": contributions}


@router.get("", response=list[DocumentOut], url_name="documents", summary="Lagens dokument")
def document_list(request):
    documents = access.visible_documents(request.user).select_related(
        "organisation__municipality", "based_on"
    )
    return [_out(d) for d in documents.order_by("-period_end", "kind", "-number")]


@router.get(
    "/{uuid:document_id}", response=DocumentDetailOut, url_name="document",
    summary="Ett dokument med status, version, siffror och texter",
)  # fmt: skip
def document_detail(request, document_id: UUID):
    return _detail(access.get_document(request.user, document_id))


@router.patch(
    "/{uuid:document_id}/texts",
    response={200: DocumentDetailOut, 409: ErrorOut, 422: ErrorOut},
    url_name="document_texts",
    summary="Ändra avsnittens text (samordnare; ett beslutat dokument är låst: 409)",
)
def document_texts(request, document_id: UUID, payload: TextsIn):
    document = access.get_document(request.user, document_id, coordinate=True)
    try:
        document = services.document_update_texts(
            document=document, texts=payload.texts, by=request.user
        )
    except Conflict as error:
        return Status(409, input_error_payload(error))
    except InputError as error:
        return Status(422, input_error_payload(error))
    return Status(200, _detail(access.get_document(request.user, document.public_id)))
