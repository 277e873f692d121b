"""Every change to the statutory documents: keyword-only, audited, and each state change
re-reads its row under a lock and checks the state again. A decided (or superseded)
version is locked: every service that would change it raises ``Locked`` (a
``Conflict``: pages show it, the API answers 409).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tryggnav.audit.services import audit_create, audit_update, snapshot
from tryggnav.documents import figures as figures_module
from tryggnav.documents import sections
from tryggnav.documents.measures import gather_measures
from tryggnav.documents.models import (
    Consultation,
    Contribution,
    Kind,
    LawCycle,
    LawDocument,
    Status,
)
from tryggnav.incidents.scope import MAX_PERIOD_DAYS, Period
from tryggnav.lib.errors import Conflict, InputError, person
from tryggnav.organisations.models import Organisation


class Locked(Conflict):
    """The version is decided (or superseded) and can no longer change."""


def _locked_error(document: LawDocument) -> Locked:
    return Locked.handled(
        f"Version {document.number} är {document.get_status_display().lower()} och låst; "
        "gör en ny version för att ändra",
        f"Version {document.number} is {document.status} and locked; make a new version "
        "to change it",
        who=person(document.decided_by),
        when=document.decided_at,
    )  # type: ignore[return-value]


def _lock(document: LawDocument, *, editable: bool = True) -> LawDocument:
    """The row re-read under a lock; ``Locked`` if it must be editable and is not."""
    row = LawDocument.objects.select_for_update().get(pk=document.pk)
    if editable and not row.is_editable:
        raise _locked_error(row)
    return row


def _period(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise InputError.single(
            "Perioden slutar före den börjar.", "The period ends before it starts.",
            field="period_end",
        )  # fmt: skip
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InputError.single(
            "Perioden får vara högst fem år.", "The period may be at most five years.",
            field="period_end",
        )  # fmt: skip
    return Period(start, end)


def _title(kind: str, organisation: Organisation, end: datetime.date) -> str:
    name = "Lägesbild" if kind == Kind.LAGESBILD else "Åtgärdsplan"
    municipality = organisation.municipality.short_name if organisation.municipality else ""
    return f"{name} {municipality} {end.year}".strip()


def _lagesbild_json(
    organisation: Organisation, start: datetime.date, end: datetime.date, by: Any
) -> dict[str, Any]:
    figures = figures_module.lagesbild_figures(
        organisation=organisation, period=_period(start, end), user=by,
        today=timezone.localdate(),
    )  # fmt: skip
    return figures_module.dump(figures)


def _action_plan_json(document: LawDocument, based_on: LawDocument, by: Any) -> dict[str, Any]:
    today = timezone.localdate()
    figures = figures_module.ActionPlanFigures(
        municipality=str(document.organisation.municipality),
        period_start=document.period_start,
        period_end=document.period_end,
        made=today,
        lagesbild=str(based_on),
        measures=gather_measures(
            organisation=document.organisation, user=by, period_start=document.period_start,
            as_of=today,
        ),
    )  # fmt: skip
    return figures_module.dump(figures)


@transaction.atomic
def lagesbild_create(
    *, organisation: Organisation, period_start: datetime.date, period_end: datetime.date,
    by: Any, title: str = "",
) -> LawDocument:  # fmt: skip
    """A new lägesbild of the whole municipality, its figures frozen now."""
    document = LawDocument.objects.create(
        organisation=organisation,
        kind=Kind.LAGESBILD,
        title=title or _title(Kind.LAGESBILD, organisation, period_end),
        period_start=period_start,
        period_end=period_end,
        figures=_lagesbild_json(organisation, period_start, period_end, by),
        is_demo=organisation.is_demo,
        created_by=by,
    )
    audit_create(actor=by, obj=document, organisation=organisation)
    return document


@transaction.atomic
def action_plan_create(
    *, lagesbild: LawDocument, period_start: datetime.date, period_end: datetime.date,
    by: Any, title: str = "",
) -> LawDocument:  # fmt: skip
    """A new åtgärdsplan decided on a named lägesbild version, its measures gathered now."""
    if lagesbild.kind != Kind.LAGESBILD:
        raise InputError.single(
            "Åtgärdsplanen måste bygga på en lägesbild.",
            "The action plan must be based on a lägesbild.", field="based_on",
        )  # fmt: skip
    _period(period_start, period_end)
    organisation = lagesbild.organisation
    document = LawDocument(
        organisation=organisation,
        kind=Kind.ACTION_PLAN,
        title=title or _title(Kind.ACTION_PLAN, organisation, period_end),
        period_start=period_start,
        period_end=period_end,
        based_on=lagesbild,
        is_demo=organisation.is_demo,
        created_by=by,
    )
    document.figures = _action_plan_json(document, lagesbild, by)
    document.save()
    audit_create(actor=by, obj=document, organisation=organisation)
    return document


def _latest(document: LawDocument) -> LawDocument:
    return (
        LawDocument.objects.select_for_update()
        .filter(series=document.series)
        .order_by("-number")
        .first()
    ) or document


@transaction.atomic
def document_regenerate(*, document: LawDocument, by: Any) -> LawDocument:
    """A new version with the figures read again, the texts, contributions and
    consultations carried over. A draft it replaces is superseded at once; a decided
    one stays in force until the new version is decided."""
    latest = _latest(document)
    if latest.pk != document.pk:
        raise Conflict.handled(
            f"Det finns redan en nyare version ({latest.number})",
            f"There is already a newer version ({latest.number})",
            who=person(latest.created_by), when=latest.created,
        )  # fmt: skip
    new = LawDocument(
        series=document.series, number=document.number + 1, organisation=document.organisation,
        kind=document.kind, title=document.title, period_start=document.period_start,
        period_end=document.period_end, based_on=document.based_on, texts=dict(document.texts),
        proposal=document.proposal, is_demo=document.is_demo, created_by=by,
    )  # fmt: skip
    if document.kind == Kind.LAGESBILD:
        new.figures = _lagesbild_json(document.organisation, new.period_start, new.period_end, by)
    else:
        new.figures = _action_plan_json(new, document.based_on or document, by)
    new.save()
    for c in document.contributions.all():
        Contribution.objects.create(
            document=new, organisation_id=c.organisation_id, asked=c.asked, due=c.due,
            text=c.text, done_at=c.done_at, done_by=c.done_by, invited_by=c.invited_by,
        )  # fmt: skip
    for held in document.consultations.all():
        Consultation.objects.create(
            document=new, organisation_id=held.organisation_id, party_name=held.party_name,
            held_on=held.held_on, participants=held.participants, summary=held.summary,
            recorded_by=held.recorded_by,
        )  # fmt: skip
    if document.is_editable:
        before = snapshot(document)
        document.status = Status.SUPERSEDED
        document.save(update_fields=["status", "updated"])
        audit_update(actor=by, obj=document, before=before, organisation=document.organisation)
    audit_create(
        actor=by, obj=new, organisation=new.organisation,
        note=f"Ny version {new.number} av {document.public_id}",
    )  # fmt: skip
    return new


@transaction.atomic
def document_update_texts(*, document: LawDocument, texts: dict[str, str], by: Any) -> LawDocument:
    """The coordinator's text of the sections named in ``texts``."""
    row = _lock(document)
    known = set(sections.keys(row.kind))
    unknown = set(texts) - known
    if unknown:
        raise InputError.single(
            f"Okänt avsnitt: {', '.join(sorted(unknown))}.",
            f"Unknown section: {', '.join(sorted(unknown))}.", field="texts",
        )  # fmt: skip
    before = snapshot(row)
    row.texts = {**row.texts, **{k: v.strip() for k, v in texts.items()}}
    row.save(update_fields=["texts", "updated"])
    audit_update(actor=by, obj=row, before=before, organisation=row.organisation)
    return row


@transaction.atomic
def document_propose(*, document: LawDocument, proposal: str, by: Any) -> LawDocument:
    """Draft → for decision, with the proposed decision (förslag till beslut)."""
    row = _lock(document)
    if row.status != Status.DRAFT:
        raise Conflict.handled(
            "Versionen är redan lämnad för beslut", "The version is already up for decision",
            who="", when=row.updated,
        )  # fmt: skip
    before = snapshot(row)
    row.status = Status.PROPOSED
    row.proposal = proposal.strip()
    row.save(update_fields=["status", "proposal", "updated"])
    audit_update(actor=by, obj=row, before=before, organisation=row.organisation)
    return row


@transaction.atomic
def document_return_to_draft(*, document: LawDocument, by: Any) -> LawDocument:
    row = _lock(document)
    if row.status != Status.PROPOSED:
        raise Conflict.handled(
            "Versionen är inte lämnad för beslut", "The version is not up for decision",
            who="", when=row.updated,
        )  # fmt: skip
    before = snapshot(row)
    row.status = Status.DRAFT
    row.save(update_fields=["status", "updated"])
    audit_update(actor=by, obj=row, before=before, organisation=row.organisation)
    return row


@transaction.atomic
def document_decide(
    *, document: LawDocument, body: str, decided_on: datetime.date, paragraph: str = "",
    registry_number: str = "", handler: str = "", by: Any,
) -> LawDocument:  # fmt: skip
    """For decision → decided (and locked). The version it replaces is superseded."""
    row = _lock(document)
    if row.status != Status.PROPOSED:
        raise Conflict.handled(
            "Versionen måste först lämnas för beslut", "The version must first be put up for decision",
            who="", when=row.updated,
        )  # fmt: skip
    if not body.strip():
        raise InputError.single(
            "Ange beslutande organ.", "Name the deciding body.", field="decided_body"
        )
    before = snapshot(row)
    row.status = Status.DECIDED
    row.decided_body = body.strip()
    row.decided_on = decided_on
    row.decision_paragraph = paragraph.strip()
    row.registry_number = registry_number.strip()
    row.handler = handler.strip()
    row.decided_by = by
    row.decided_at = timezone.now()
    row.save()
    audit_update(actor=by, obj=row, before=before, organisation=row.organisation, note="Beslutad")
    for older in LawDocument.objects.select_for_update().filter(
        series=row.series, number__lt=row.number, status=Status.DECIDED
    ):
        before = snapshot(older)
        older.status = Status.SUPERSEDED
        older.save(update_fields=["status", "updated"])
        audit_update(
            actor=by, obj=older, before=before, organisation=older.organisation,
            note=f"Ersatt av version {row.number}",
        )  # fmt: skip
    return row


# --- contributions and consultations -----------------------------------------------------


@transaction.atomic
def contribution_invite(
    *, document: LawDocument, organisation: Organisation, asked: str,
    due: datetime.date | None = None, by: Any,
) -> Contribution:  # fmt: skip
    """Ask a party to write its part of the document."""
    row = _lock(document)
    if organisation.municipality_id != row.organisation.municipality_id:
        raise InputError.single(
            "Parten hör inte till kommunen.", "The party does not belong to the municipality.",
            field="organisation",
        )  # fmt: skip
    if row.contributions.filter(organisation=organisation).exists():
        raise InputError.single(
            f"{organisation.name} är redan inbjuden.", f"{organisation.name} is already invited.",
            field="organisation",
        )  # fmt: skip
    contribution = Contribution.objects.create(
        document=row, organisation=organisation, asked=asked.strip(), due=due, invited_by=by
    )
    audit_create(actor=by, obj=contribution, organisation=row.organisation)
    return contribution


@transaction.atomic
def contribution_write(
    *, contribution: Contribution, text: str, done: bool, by: Any
) -> Contribution:
    """The party's text, and whether it marks its part done (marking again reopens)."""
    _lock(contribution.document)
    row = Contribution.objects.select_for_update().get(pk=contribution.pk)
    before = snapshot(row)
    row.text = text.strip()
    if done and row.done_at is None:
        row.done_at, row.done_by = timezone.now(), by
    elif not done:
        row.done_at, row.done_by = None, None
    row.save()
    audit_update(actor=by, obj=row, before=before, organisation=row.organisation)
    return row


@transaction.atomic
def consultation_record(
    *, document: LawDocument, held_on: datetime.date, participants: str, summary: str,
    organisation: Organisation | None = None, party_name: str = "", by: Any,
) -> Consultation:  # fmt: skip
    """Who was consulted, when, and what was said."""
    row = _lock(document)
    if organisation is None and not party_name.strip():
        raise InputError.single("Ange parten.", "Name the party.", field="organisation")
    consultation = Consultation.objects.create(
        document=row, organisation=organisation, party_name=party_name.strip(), held_on=held_on,
        participants=participants.strip(), summary=summary.strip(), recorded_by=by,
    )  # fmt: skip
    audit_create(actor=by, obj=consultation, organisation=row.organisation)
    return consultation


# --- the cycle ---------------------------------------------------------------------------


@transaction.atomic
def cycle_save(
    *, organisation: Organisation, next_lagesbild_due: datetime.date | None,
    next_action_plan_due: datetime.date | None, remind_days: int = 30, by: Any,
) -> LawCycle:  # fmt: skip
    cycle, created = LawCycle.objects.select_for_update().get_or_create(organisation=organisation)
    before = snapshot(cycle)
    now = timezone.now()
    if created or cycle.next_lagesbild_due != next_lagesbild_due:
        cycle.lagesbild_due_set = now
    if created or cycle.next_action_plan_due != next_action_plan_due:
        cycle.action_plan_due_set = now
    cycle.next_lagesbild_due = next_lagesbild_due
    cycle.next_action_plan_due = next_action_plan_due
    cycle.remind_days = remind_days
    cycle.save()
    if created:
        audit_create(actor=by, obj=cycle, organisation=organisation)
    else:
        audit_update(actor=by, obj=cycle, before=before, organisation=organisation)
    return cycle
