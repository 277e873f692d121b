"""Every write of checklists and scheduled checks: one function per action, audited.

An inspection is answered while it is a draft and locked once signed: every write
re-reads the row under ``select_for_update`` and refuses a signed one. Signing turns
each failed answer into a deficiency (source "checklista") routed by the
municipality's rules, or to the unit that owns the premises when no rule matches.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tryggnav.areas.locator import locate_area
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_create, audit_record, audit_update, mask, snapshot
from tryggnav.incidents.photos import photo_clean
from tryggnav.inspections import checklists, routing, services
from tryggnav.inspections.checks_models import (
    AnswerKind,
    ChecklistQuestion,
    ChecklistTemplate,
    CheckSchedule,
    InspectedObject,
    Inspection,
    InspectionAnswer,
)
from tryggnav.inspections.models import Source
from tryggnav.lib.errors import Conflict, InputError, person
from tryggnav.organisations.models import Organisation


def templates_builtin() -> list[ChecklistTemplate]:
    """The built-in templates, created the first time they are asked for."""
    out = []
    for name, kind, questions in checklists.BUILTIN:
        template = ChecklistTemplate.objects.filter(builtin=True, name=name).first()
        if template is None:
            with transaction.atomic():
                template = ChecklistTemplate.objects.create(name=name, kind=kind, builtin=True)
                ChecklistQuestion.objects.bulk_create(
                    ChecklistQuestion(template=template, order=i, text=text, category=category,
                                      severity=severity)
                    for i, (text, category, severity) in enumerate(questions, start=1)
                )  # fmt: skip
        out.append(template)
    return out


def _copy_questions(source: ChecklistTemplate, target: ChecklistTemplate,
                    skip: int | None = None) -> None:  # fmt: skip
    rows = []
    for q in source.questions.all():
        if q.pk == skip:
            continue
        q.pk, q.template = None, target
        rows.append(q)
    ChecklistQuestion.objects.bulk_create(rows)


def template_copy(*, by: Any, template: ChecklistTemplate, municipality_id: str,
                  name: str = "") -> ChecklistTemplate:  # fmt: skip
    """A new template of the municipality's own, starting from ``template``'s questions."""
    with transaction.atomic():
        copy = ChecklistTemplate.objects.create(
            municipality_id=municipality_id, kind=template.kind, created_by=by,
            name=(name or template.name)[:200],
        )  # fmt: skip
        _copy_questions(template, copy)
        audit_create(actor=by, obj=copy, note=f"kopia av/copy of {template.public_id}")
    return copy


def _locked_current(template: ChecklistTemplate) -> ChecklistTemplate:
    locked = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    if locked.builtin or not locked.is_current:
        raise InputError.single(
            "Mallen kan inte ändras: den är inbyggd, ersatt av en ny version eller avvecklad.",
            "The template cannot be changed: it is built in, superseded or retired.",
            field="template",
        )
    return locked


def _new_version(locked: ChecklistTemplate, by: Any) -> ChecklistTemplate:
    locked.superseded = True
    locked.save(update_fields=["superseded"])
    return ChecklistTemplate.objects.create(
        family=locked.family, version=locked.version + 1, municipality_id=locked.municipality_id,
        name=locked.name, kind=locked.kind, created_by=by,
    )  # fmt: skip


def template_revise(*, by: Any, template: ChecklistTemplate, add: dict | None = None,
                    remove: int | None = None) -> ChecklistTemplate:  # fmt: skip
    """Add or remove a question. A template some inspection used is never changed: the
    change makes a new version, and the schedules move to it."""
    with transaction.atomic():
        locked = _locked_current(template)
        if remove is not None and not locked.questions.filter(pk=remove).exists():
            raise InputError.single("Frågan finns inte i mallen.",
                                    "The question is not in the template.", field="question")  # fmt: skip
        target = locked
        if Inspection.objects.filter(template=locked).exists():
            target = _new_version(locked, by)
            _copy_questions(locked, target, skip=remove)
            CheckSchedule.objects.filter(template=locked).update(template=target)
        elif remove is not None:
            locked.questions.filter(pk=remove).delete()
        if add:
            last = target.questions.order_by("-order").values_list("order", flat=True).first()
            ChecklistQuestion.objects.create(template=target, order=(last or 0) + 1, **add)
        audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=target,
                     changes={"version": [locked.version, target.version],
                              "added": [None, (add or {}).get("text")], "removed": [remove, None]},
                     note="revise")  # fmt: skip
    return target


def template_retire(*, by: Any, template: ChecklistTemplate) -> ChecklistTemplate:
    """No longer offered for new schedules; inspections and schedules keep it."""
    with transaction.atomic():
        locked = _locked_current(template)
        before = snapshot(locked)
        locked.retired = timezone.now()
        locked.save(update_fields=["retired"])
        audit_update(actor=by, obj=locked, before=before, note="retire")
    return locked


def object_create(
    *, by: Any, municipality_id: str, name: str, kind: str, department: Organisation,
    unit: Organisation, template: ChecklistTemplate, interval_months: int,
    anchor: datetime.date, address: str = "", lat: float | None = None,
    lon: float | None = None, is_demo: bool = False,
) -> InspectedObject:  # fmt: skip
    """A place or premises and its schedule of checks."""
    _point_checked(lat, lon)
    area = (
        locate_area(lon, lat, municipality_code=municipality_id)
        if lat is not None and lon is not None
        else None
    )
    with transaction.atomic():
        obj = InspectedObject.objects.create(
            municipality_id=municipality_id, name=name, kind=kind, department=department,
            unit=unit, address=address, lat=lat, lon=lon, area=area, is_demo=is_demo,
        )  # fmt: skip
        schedule = CheckSchedule.objects.create(object=obj, template=template, anchor=anchor,
                                                interval_months=interval_months)  # fmt: skip
        audit_create(actor=by, obj=obj, organisation=unit)
        audit_create(actor=by, obj=schedule, organisation=unit)
    return obj


def _point_checked(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise InputError.single("Ange både latitud och longitud, eller ingen av dem.",
                                "Give both latitude and longitude, or neither.", field="lat")  # fmt: skip


OBJECT_FIELDS = ("name", "kind", "address", "lat", "lon", "department", "unit")


def object_update(*, by: Any, obj: InspectedObject, **fields: Any) -> InspectedObject:
    """Name, kind, address, point, department and unit of an object; its area follows
    the point. Schedules and past inspections are left as they are."""
    _point_checked(fields.get("lat"), fields.get("lon"))
    with transaction.atomic():
        locked = InspectedObject.objects.select_for_update().get(pk=obj.pk)
        before = snapshot(locked)
        for name in OBJECT_FIELDS:
            setattr(locked, name, fields[name])
        if locked.lat is not None and locked.lon is not None:
            locked.area = locate_area(
                locked.lon, locked.lat, municipality_code=locked.municipality_id
            )
        else:
            locked.area = None
        locked.save()
        audit_update(actor=by, obj=locked, before=before, organisation=locked.unit)
    return locked


def schedule_create(
    *, by: Any, obj: InspectedObject, template: ChecklistTemplate, interval_months: int,
    anchor: datetime.date,
) -> CheckSchedule:  # fmt: skip
    """Another schedule of checks for ``obj`` (a changed interval or checklist is a new
    schedule, the old one stopped: the periods already checked keep theirs)."""
    with transaction.atomic():
        schedule = CheckSchedule.objects.create(
            object=obj, template=template, interval_months=interval_months, anchor=anchor
        )
        audit_create(actor=by, obj=schedule, organisation=obj.unit)
    return schedule


def schedule_stop(*, by: Any, schedule: CheckSchedule) -> CheckSchedule:
    """No more periods due; its inspections stay. Stopping a stopped schedule is refused."""
    with transaction.atomic():
        locked = CheckSchedule.objects.select_for_update().get(pk=schedule.pk)
        if not locked.active:
            who, when = _stopped_by(locked)
            raise Conflict.handled("Schemat är redan avslutat", "The schedule was already stopped",
                                   who=who, when=when)  # fmt: skip
        before = snapshot(locked)
        locked.active = False
        locked.save(update_fields=["active"])
        audit_update(actor=by, obj=locked, before=before, note="stop",
                     organisation=locked.object.unit)  # fmt: skip
    return locked


def _stopped_by(schedule: CheckSchedule) -> tuple[str, Any]:
    entry = (
        AuditEntry.objects.filter(object_type=schedule._meta.label_lower,
                                  object_id=str(schedule.pk), note="stop")
        .order_by("-at", "-pk").first()
    )  # fmt: skip
    return (entry.actor_name, entry.at) if entry else ("", None)


def inspection_start(*, by: Any, schedule: CheckSchedule, today: datetime.date | None = None,
                     is_demo: bool = False) -> Inspection:  # fmt: skip
    """The inspection of the period holding today: the one begun, or a new one."""
    today = today or timezone.localdate()
    period = checklists.current_period(schedule.anchor, schedule.interval_months, today)
    found = Inspection.objects.filter(schedule=schedule, period_start=period.start).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                object=schedule.object, schedule=schedule, template=schedule.template,
                period_start=period.start, due=period.due, started_by=by, is_demo=is_demo,
                started=timezone.now(),
            )  # fmt: skip
            audit_create(actor=by, obj=inspection, organisation=schedule.object.unit)
    except IntegrityError:  # begun at the same moment by someone else
        return Inspection.objects.get(schedule=schedule, period_start=period.start)
    return inspection


@dataclass
class Reply:
    answer: str = ""
    value: float | None = None
    note: str = ""
    photo: IO[bytes] | None = None


def _locked_draft(inspection: Inspection) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.is_signed:
        raise Conflict.handled("Kontrollen är redan signerad och kan inte ändras.",
                               "The check is already signed and cannot be changed.",
                               who=person(locked.signed_by), when=locked.signed, field="state")  # fmt: skip
    return locked


def _save_reply(inspection: Inspection, question: ChecklistQuestion, reply: Reply) -> dict:
    row, _ = InspectionAnswer.objects.get_or_create(inspection=inspection, question=question)
    # Notes may name people: the audit log keeps them masked.
    before = (row.answer, row.value, mask(row.note))
    value = reply.value if question.answer_kind == AnswerKind.VALUE else None
    row.answer, row.value, row.note = reply.answer, value, reply.note.strip()[:1000]
    row.passed = question.passes(answer=row.answer, value=row.value)
    if reply.photo is not None:
        row.photo.save("foto.jpg", photo_clean(reply.photo, name=getattr(reply.photo, "name", "foto")),
                       save=False)  # fmt: skip
    row.save()
    after = (row.answer, row.value, mask(row.note))
    return {str(question.pk): [list(before), list(after)]} if before != after else {}


def inspection_save(*, by: Any, inspection: Inspection, replies: dict[int, Reply],
                    note: str | None = None) -> Inspection:  # fmt: skip
    """Save the answers given (question pk → reply); a signed inspection refuses."""
    with transaction.atomic():
        locked = _locked_draft(inspection)
        questions = {q.pk: q for q in locked.template.questions.all()}
        changes: dict[str, Any] = {}
        for pk, reply in replies.items():
            if pk in questions:
                changes.update(_save_reply(locked, questions[pk], reply))
        if note is not None and note.strip() != locked.note:
            changes["note"] = [mask(locked.note), mask(note.strip())]
            locked.note = note.strip()
            locked.save(update_fields=["note"])
        if changes:
            audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=locked, changes=changes,
                         note="answers", organisation=locked.object.unit)  # fmt: skip
    return locked


def _deficiency_for(answer: InspectionAnswer, inspection: Inspection, by: Any) -> Any:
    obj, question = inspection.object, answer.question
    route = routing.find_owner(municipality_id=obj.municipality_id, category=question.category,
                               area_id=obj.area_id, lat=obj.lat, lon=obj.lon)  # fmt: skip
    photo = answer.photo.open("rb") if answer.photo else None
    try:
        return services.deficiency_create(
            by=by, municipality_id=obj.municipality_id, category=question.category,
            severity=question.severity, title=question.text[:200], source=Source.CHECKLIST,
            description=answer.note, lat=obj.lat, lon=obj.lon, area=obj.area,
            place_name=f"{obj.name}, {obj.address}".strip(", ")[:200], photo=photo,
            owner=None if route.owner else obj.unit, is_demo=inspection.is_demo,
            created=inspection.signed,
        )  # fmt: skip
    finally:
        if photo is not None:
            photo.close()


def inspection_sign(*, by: Any, inspection: Inspection,
                    when: datetime.datetime | None = None) -> Inspection:  # fmt: skip
    """Sign off: every question must be answered; failed answers become deficiencies;
    the inspection is locked from here on."""
    with transaction.atomic():
        locked = _locked_draft(inspection)
        answers = {a.question_id: a for a in locked.answers.select_related("question")}
        missing = [q.text for q in locked.template.questions.all()
                   if answers.get(q.pk) is None or answers[q.pk].passed is None]  # fmt: skip
        if missing:
            raise InputError.single(
                "Besvara alla frågor innan kontrollen signeras: " + "; ".join(missing),
                "Answer every question before signing the check: " + "; ".join(missing),
                field="answers",
            )
        before = snapshot(locked)
        locked.state, locked.signed_by = Inspection.State.SIGNED, by
        locked.signed = when or timezone.now()
        locked.save(update_fields=["state", "signed_by", "signed"])
        for answer in answers.values():
            if answer.passed is False:
                answer.deficiency = _deficiency_for(answer, locked, by)
                answer.save(update_fields=["deficiency"])
        audit_update(actor=by, obj=locked, before=before, note="sign",
                     organisation=locked.object.unit)  # fmt: skip
    return locked
