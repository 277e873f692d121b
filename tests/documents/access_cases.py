"""Access cases of the statutory documents: the municipality's organisation (the
lead) reads them, its coordinator writes; an invited party (the partner's reporter)
reads the document and writes its own contribution only; outsiders get 404."""

from __future__ import annotations

import datetime

from tests.access import LOGIN_REDIRECT, Case
from tests.documents import factories as f
from tryggnav.documents import services
from tryggnav.documents.models import Consultation, Contribution, LawCycle, LawDocument, Status

R = LOGIN_REDIRECT
READ = {"anonymous": R, "outsider": 404, "reader": 200, "reporter": 404, "coordinator": 200}
PARTY_READ = {**READ, "reporter": 200}
WRITE = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 404, "coordinator": 302}
FORM = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 404, "coordinator": 200}
API_READ = {"anonymous": 401, "outsider": 404, "reader": 200, "reporter": 404, "coordinator": 200}


def _assert(condition: bool) -> None:
    assert condition


def _doc(w) -> list:
    return [f.lagesbild(w).public_id]


def _proposed(w) -> list:
    document = f.lagesbild(w)
    services.document_propose(document=document, proposal="Förslag", by=w.user("coordinator"))
    return [document.public_id]


def _plan(w) -> list:
    """An åtgärdsplan: its page also gathers the measures today for the follow-up."""
    plan = services.action_plan_create(
        lagesbild=f.decided(w), period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31), by=w.user("coordinator"),
    )  # fmt: skip
    return [plan.public_id]


def _status(w, status: str) -> bool:
    return LawDocument.objects.filter(status=status).exists()


CASES = [
    Case("documents:index", {"anonymous": R, "outsider": 200, "reader": 200, "reporter": 200}),
    Case("documents:cycle", {**READ}, args=lambda w: [w.lead.slug]),
    Case(
        "documents:cycle",
        WRITE,
        args=lambda w: [w.lead.slug],
        method="post",
        label="save",
        data=lambda w: {
            "next_lagesbild_due": "2026-12-31",
            "next_action_plan_due": "",
            "remind_days": "30",
        },
        writes=True,
        check=lambda w, b: _assert(
            LawCycle.objects.filter(next_lagesbild_due=datetime.date(2026, 12, 31)).exists()
        ),
    ),  # fmt: skip
    Case("documents:lagesbild_create", FORM, args=lambda w: [w.lead.slug]),
    Case(
        "documents:lagesbild_create",
        WRITE,
        args=lambda w: [w.lead.slug],
        method="post",
        label="post",
        data=lambda w: {"period_start": "2025-01-01", "period_end": "2025-12-31"},
        writes=True,
        check=lambda w, b: _assert(LawDocument.objects.exists()),
    ),  # fmt: skip
    Case("documents:detail", READ, args=_doc),
    Case(
        "documents:detail",
        PARTY_READ,
        label="party",
        args=lambda w: [f.invited(w).document.public_id],
    ),  # fmt: skip
    Case("documents:detail", READ, label="plan", args=_plan),
    Case("documents:diff", READ, args=_doc),
    Case("documents:export", READ, args=lambda w: [*_doc(w), "docx"]),
    Case("documents:export_diarium", READ, args=_doc),
    Case(
        "documents:export_diarium",
        READ,
        args=_doc,
        method="post",
        data=lambda w: {"diarienummer": "KS 2026/9", "format": "docx"},
        label="download",
    ),
    Case("documents:action_plan_create", FORM, args=lambda w: [f.decided(w).public_id]),
    Case(
        "documents:action_plan_create",
        WRITE,
        args=lambda w: [f.decided(w).public_id],
        method="post",
        label="post",
        data=lambda w: {"period_start": "2026-01-01", "period_end": "2027-12-31"},
        writes=True,
        check=lambda w, b: _assert(LawDocument.objects.filter(kind="atgardsplan").exists()),
    ),  # fmt: skip
    Case(
        "documents:texts",
        WRITE,
        args=_doc,
        method="post",
        data=lambda w: {"analys": "Ny analys"},
        writes=True,
        check=lambda w, b: _assert(LawDocument.objects.filter(texts__analys="Ny analys").exists()),
    ),  # fmt: skip
    Case(
        "documents:propose",
        WRITE,
        args=_doc,
        method="post",
        data=lambda w: {"proposal": "KS"},
        writes=True,
        check=lambda w, b: _assert(_status(w, Status.PROPOSED)),
    ),  # fmt: skip
    Case(
        "documents:return_to_draft",
        WRITE,
        args=_proposed,
        method="post",
        writes=True,
        check=lambda w, b: _assert(_status(w, Status.DRAFT)),
    ),  # fmt: skip
    Case(
        "documents:decide",
        WRITE,
        args=_proposed,
        method="post",
        data=lambda w: {"decided_body": "Kommunstyrelsen", "decided_on": "2026-02-01"},
        writes=True,
        check=lambda w, b: _assert(_status(w, Status.DECIDED)),
    ),  # fmt: skip
    Case(
        "documents:regenerate",
        WRITE,
        args=_doc,
        method="post",
        writes=True,
        check=lambda w, b: _assert(LawDocument.objects.filter(number=2).exists()),
    ),  # fmt: skip
    Case(
        "documents:invite",
        WRITE,
        args=_doc,
        method="post",
        data=lambda w: {"organisation": w.partner.pk, "asked": "Er bild"},
        writes=True,
        check=lambda w, b: _assert(Contribution.objects.exists()),
    ),  # fmt: skip
    Case(
        "documents:consultation",
        WRITE,
        args=_doc,
        method="post",
        data=lambda w: {
            "party_name": "Polisen",
            "held_on": "2026-01-10",
            "participants": "Kommunpolisen",
            "summary": "Samsyn om bilden",
        },
        writes=True,
        check=lambda w, b: _assert(Consultation.objects.exists()),
    ),  # fmt: skip
    Case(
        "documents:contribution",
        {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 200, "coordinator": 403},
        args=lambda w: [f.invited(w).public_id],
    ),
    Case(
        "documents:contribution",
        {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 302, "coordinator": 403},
        args=lambda w: [f.invited(w).public_id],
        method="post",
        label="post",
        data=lambda w: {"text": "Vår bild", "done": "on"},
        writes=True,
        check=lambda w, b: _assert(
            Contribution.objects.filter(text="Vår bild", done_at__isnull=False).exists()
        ),
    ),  # fmt: skip
    Case("api:documents", {"anonymous": 401, "outsider": 200, "reader": 200}),
    Case("api:document", API_READ, args=_doc),
    Case(
        "api:document_texts",
        {"anonymous": 401, "outsider": 404, "reader": 403, "reporter": 404, "coordinator": 200},
        args=_doc,
        method="patch",
        content_type="application/json",
        data=lambda w: {"texts": {"analys": "Från API:t"}},
        writes=True,
        check=lambda w, b: _assert(LawDocument.objects.filter(texts__analys="Från API:t").exists()),
    ),  # fmt: skip
]
