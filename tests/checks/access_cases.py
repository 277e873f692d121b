"""Access cases of scheduled checks: the lead (the municipality's own organisation) sees
every object and the overview, its coordinator registers objects, its admin edits the
templates; the partner is the unit whose reporter performs the checks; the outsider's
organisation is another municipality's (404)."""

from __future__ import annotations

from tests.access import LOGIN_REDIRECT, MEMBERS_READ, Case
from tests.checks import factories as f
from tryggnav.inspections import checks_services as services
from tryggnav.inspections.checks_models import (
    ChecklistQuestion,
    ChecklistTemplate,
    InspectedObject,
    Inspection,
    InspectionAnswer,
)

R = LOGIN_REDIRECT
READ = {**MEMBERS_READ, "reporter": 200, "coordinator": 200}
PERFORM = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 302}
MUNICIPALITY = {"anonymous": R, "outsider": 404, "reporter": 404}
ADMIN = {**MUNICIPALITY, "reader": 403, "coordinator": 403, "admin": 302}
MANAGE = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 403}


def _assert(condition: bool) -> None:
    assert condition


def _own(w) -> ChecklistTemplate:
    found = ChecklistTemplate.objects.filter(name="Egen SBA", superseded=False).first()
    return found or services.template_copy(by=w.user("admin"), template=f.sba(),
                                           municipality_id="0180", name="Egen SBA")  # fmt: skip


def _template_args(w):
    return [w.lead.slug, _own(w).public_id]


def _inspection(w) -> Inspection:
    return f.inspection(w)


def _all_yes(w):
    inspection = Inspection.objects.get()
    return {f"svar-{q.pk}": "ja" for q in inspection.template.questions.all()}


CASES = [
    Case("inspections:checks", {"anonymous": R, "outsider": 200, "reader": 200, "reporter": 200}),
    Case(
        "inspections:checks_overview", {**MUNICIPALITY, "reader": 200}, args=lambda w: [w.lead.slug]
    ),
    Case(
        "inspections:checks_overview_document",
        {**MUNICIPALITY, "reader": 200},
        args=lambda w: [w.lead.slug, "docx"],
    ),
    Case(
        "inspections:checks_overview_diarium",
        {**MUNICIPALITY, "reader": 200},
        args=lambda w: [w.lead.slug],
    ),
    Case(
        "inspections:checks_overview_diarium",
        {**MUNICIPALITY, "reader": 200},
        args=lambda w: [w.lead.slug],
        method="post",
        data=lambda w: {"diarienummer": "KS 2026/9", "format": "docx"},
        label="download",
    ),
    Case(
        "inspections:check_templates", {**MUNICIPALITY, "reader": 200}, args=lambda w: [w.lead.slug]
    ),
    Case(
        "inspections:check_template",
        {**MUNICIPALITY, "reader": 200},
        args=lambda w: [w.lead.slug, f.sba().public_id],
    ),
    Case(
        "inspections:check_template_copy",
        ADMIN,
        args=lambda w: [w.lead.slug, f.sba().public_id],
        method="post",
        writes=True,
        data=lambda w: {"name": "Kopierad SBA"},
        check=lambda w, b: _assert(ChecklistTemplate.objects.filter(name="Kopierad SBA").exists()),
    ),
    Case(
        "inspections:check_question_add",
        ADMIN,
        args=_template_args,
        method="post",
        writes=True,
        data=lambda w: {
            "text": "Finns det en ny fråga?",
            "answer_kind": "janej",
            "expected_yes": "ja",
            "category": "brandskydd",
            "severity": 2,
        },
        check=lambda w, b: _assert(
            ChecklistQuestion.objects.filter(text="Finns det en ny fråga?").exists()
        ),
    ),  # fmt: skip
    Case(
        "inspections:check_question_remove",
        ADMIN,
        args=lambda w: [*_template_args(w), _own(w).questions.first().pk],
        method="post",
        writes=True,
        state=lambda w: _own(w).questions.count(),
        check=lambda w, b: _assert(_own(w).questions.count() == b - 1),
    ),
    Case(
        "inspections:check_template_retire",
        ADMIN,
        args=_template_args,
        method="post",
        writes=True,
        check=lambda w, b: _assert(
            ChecklistTemplate.objects.filter(name="Egen SBA", retired__isnull=False).exists()
        ),
    ),
    Case(
        "inspections:check_object_create",
        {**MUNICIPALITY, "reader": 403, "coordinator": 200},
        args=lambda w: [w.lead.slug],
        label="form",
    ),
    Case(
        "inspections:check_object_create",
        {**MUNICIPALITY, "reader": 403, "coordinator": 302},
        args=lambda w: [w.lead.slug],
        method="post",
        writes=True,
        data=lambda w: {
            "name": "Brandstationen",
            "kind": "lokal",
            "department": w.lead.pk,
            "unit": w.partner.pk,
            "template": f.sba().pk,
            "interval_months": 3,
            "anchor": "2026-01-01",
        },
        check=lambda w, b: _assert(InspectedObject.objects.filter(name="Brandstationen").exists()),
    ),  # fmt: skip
    Case("inspections:check_object", READ, args=lambda w: [f.premises(w).public_id]),
    # The unit's reporter sees the object but does not manage it (403); another
    # municipality's admin does not see it (404).
    Case(
        "inspections:check_object_edit",
        {**MANAGE, "coordinator": 200},
        args=lambda w: [f.premises(w).public_id],
    ),
    Case(
        "inspections:check_object_edit",
        {**MANAGE, "coordinator": 302},
        args=lambda w: [f.premises(w).public_id],
        method="post",
        writes=True,
        label="post",
        data=lambda w: {
            "name": "Brandstationen Nord",
            "kind": "lokal",
            "department": w.lead.pk,
            "unit": w.partner.pk,
        },
        check=lambda w, b: _assert(
            InspectedObject.objects.filter(name="Brandstationen Nord").exists()
        ),
    ),  # fmt: skip
    Case(
        "inspections:check_schedule_create",
        {**MANAGE, "coordinator": 200},
        args=lambda w: [f.premises(w).public_id],
    ),
    Case(
        "inspections:check_schedule_create",
        {**MANAGE, "coordinator": 302},
        args=lambda w: [f.premises(w).public_id],
        method="post",
        writes=True,
        label="post",
        data=lambda w: {"template": f.sba().pk, "interval_months": 12, "anchor": "2026-01-01"},
        check=lambda w, b: _assert(f.premises(w).schedules.filter(interval_months=12).exists()),
    ),
    Case(
        "inspections:check_schedule_stop",
        {**MANAGE, "coordinator": 302},
        args=lambda w: [f.premises(w).public_id, f.premises(w).schedules.get().pk],
        method="post",
        writes=True,
        check=lambda w, b: _assert(not f.premises(w).schedules.filter(active=True).exists()),
    ),
    Case(
        "inspections:check_start",
        PERFORM,
        args=lambda w: [f.premises(w).public_id, f.premises(w).schedules.get().pk],
        method="post",
        writes=True,
        check=lambda w, b: _assert(Inspection.objects.exists()),
    ),
    Case("inspections:check", READ, args=lambda w: [_inspection(w).public_id]),
    Case(
        "inspections:check_save",
        PERFORM,
        args=lambda w: [_inspection(w).public_id],
        method="post",
        writes=True,
        data=_all_yes,
        check=lambda w, b: _assert(InspectionAnswer.objects.filter(answer="ja").exists()),
    ),
    Case(
        "inspections:check_sign",
        PERFORM,
        args=lambda w: [_inspection(w).public_id],
        method="post",
        writes=True,
        data=_all_yes,
        check=lambda w, b: _assert(Inspection.objects.filter(state="signerad").exists()),
    ),
]
