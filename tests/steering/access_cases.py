"""Access cases of the steering pages: members of the group read, the lead
organisation's coordinators write, outsiders get 404."""

from __future__ import annotations

from tests.access import LOGIN_REDIRECT, MEMBERS_READ, Case
from tests.steering import factories as f
from tryggnav.steering.models import (
    Activity,
    Agreement,
    Escalation,
    IndicatorValue,
    PartyMapping,
    Problem,
)

WRITE = {
    "anonymous": LOGIN_REDIRECT,
    "outsider": 404,
    "reader": 403,
    "reporter": 403,
    "coordinator": 302,
}
FORM = {
    "anonymous": LOGIN_REDIRECT,
    "outsider": 404,
    "reader": 403,
    "reporter": 403,
    "coordinator": 200,
}


def _assert(condition: bool) -> None:
    assert condition


def _group(w):
    return [w.group.slug]


def _problem(w):
    return [f.problem(w).public_id]


CASES = [
    Case("steering:index", {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200}),
    Case("steering:group", MEMBERS_READ, args=_group),
    Case("steering:activities", MEMBERS_READ, args=_group),
    Case("steering:agreement_create", FORM, args=_group, label="form"),
    Case(
        "steering:agreement_create",
        WRITE,
        args=_group,
        method="post",
        writes=True,
        data=lambda w: {
            "kind": "avsiktsforklaring",
            "title": "Avsiktsförklaring 2025–2028",
            "starts": "2025-01-01",
            "ends": "2028-12-31",
            "party_organisations": [w.lead.pk, w.partner.pk],
        },
        check=lambda w, b: _assert(
            Agreement.objects.filter(title="Avsiktsförklaring 2025–2028").exists()
        ),
    ),
    Case("steering:agreement", MEMBERS_READ, args=lambda w: [f.agreement(w).public_id]),
    Case(
        "steering:agreement_update", FORM, args=lambda w: [f.agreement(w).public_id], label="form"
    ),
    Case(
        "steering:agreement_update",
        WRITE,
        args=lambda w: [f.agreement(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {
            "kind": "samverkansoverenskommelse",
            "title": "Ny rubrik",
            "starts": "2025-01-01",
            "ends": "2026-12-31",
            "party_organisations": [w.lead.pk],
            "priority_areas": "Skadegörelse",
        },
        check=lambda w, b: _assert(Agreement.objects.get(group=w.group).title == "Ny rubrik"),
    ),
    Case(
        "steering:commitments_update",
        WRITE,
        args=lambda w: [f.agreement(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {
            f"commitments-{p.pk}": "Sanera inom 24 h" for p in f.agreement(w).parties.all()
        },
        check=lambda w, b: _assert(
            f.agreement(w).parties.filter(commitments="Sanera inom 24 h").exists()
        ),
    ),
    Case("steering:problem_create", FORM, args=_group, label="form"),
    Case(
        "steering:problem_create",
        WRITE,
        args=_group,
        method="post",
        writes=True,
        data=lambda w: {"title": "Bränder i soprum", "areas": [a.pk for a in f.areas(w)]},
        check=lambda w, b: _assert(Problem.objects.filter(title="Bränder i soprum").exists()),
    ),
    Case("steering:problem", MEMBERS_READ, args=_problem),
    Case("steering:problem", MEMBERS_READ, args=_problem, query="siffror=1", label="live"),
    Case("steering:problem_step", FORM, args=lambda w: [f.problem(w).public_id, 3], label="form"),
    Case(
        "steering:problem_step",
        WRITE,
        args=lambda w: [f.problem(w).public_id, 3],
        method="post",
        writes=True,
        data=lambda w: {
            "joint_summary": "Gemensam bild",
            "prioritised": "Klotter",
            "left_out": "Bilbränder",
        },
        check=lambda w, b: _assert(
            Problem.objects.get(pk=f.problem(w).pk).prioritised == "Klotter"
        ),
    ),
    Case(
        "steering:step_complete",
        WRITE,
        args=lambda w: [f.measure(w).problem.public_id, 1],
        method="post",
        writes=True,
        check=lambda w, b: _assert(f.problem(w).steps.get(number=1).completed is not None),
    ),
    Case(
        "steering:step_reopen",
        WRITE,
        args=lambda w: [_completed_problem(w).public_id, 1],
        method="post",
        writes=True,
        data=lambda w: {"reason": "Ny part"},
        check=lambda w, b: _assert(f.problem(w).steps.get(number=1).completed is None),
    ),
    Case(
        "steering:mapping_save", FORM, args=lambda w: [f.measure(w).problem.public_id], label="form"
    ),
    Case(
        "steering:mapping_save",
        WRITE,
        args=lambda w: [f.measure(w).problem.public_id],
        method="post",
        writes=True,
        data=lambda w: {"organisation": w.partner.pk, "summary": "Klotter i trapphus"},
        check=lambda w, b: _assert(PartyMapping.objects.filter(organisation=w.partner).exists()),
    ),
    Case(
        "steering:snapshot_create",
        WRITE,
        args=_problem,
        method="post",
        writes=True,
        data=lambda w: {"step": 3, "kind": "weekly"},
        check=lambda w, b: _assert(f.problem(w).snapshots.filter(kind="weekly").exists()),
    ),
    Case("steering:measure_create", FORM, args=_problem, label="form"),
    Case(
        "steering:measure_create",
        WRITE,
        args=lambda w: [f.measure(w).problem.public_id],
        method="post",
        writes=True,
        data=lambda w: {
            "title": "Belysning",
            "specific": "Färre skadegörelser vid gångtunneln",
            "place": "Gångtunneln",
            "indicator": f.indicator(w).pk,
            "baseline_value": "12",
            "baseline_date": "2025-01-01",
            "target_value": "6",
            "deadline": "2025-12-31",
            "agreed_by": [w.lead.pk, w.partner.pk],
            "resources": "50 000 kr",
            "responsible": w.lead.pk,
            "prevention_type": "situationell",
            "perspective_children": "a",
            "perspective_gender": "b",
            "perspective_disability": "c",
            "perspective_hbtq": "d",
            "perspective_elderly": "e",
        },
        check=lambda w, b: _assert(f.problem(w).measures.filter(title="Belysning").exists()),
    ),
    Case(
        "steering:evaluation_create",
        FORM,
        args=lambda w: [f.measure(w).problem.public_id, f.measure(w).public_id],
        label="form",
    ),
    Case(
        "steering:evaluation_create",
        WRITE,
        args=lambda w: [f.measure(w).problem.public_id, f.measure(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"evaluated_on": "2025-06-30", "conclusion": "På väg"},
        check=lambda w, b: _assert(f.measure(w).evaluations.exists()),
    ),
    Case("steering:escalation_create", FORM, args=_problem, label="form"),
    Case(
        "steering:escalation_create",
        WRITE,
        args=_problem,
        method="post",
        writes=True,
        data=lambda w: {"step": 2, "obstacle": "Saknar data", "raised_to": "Kommunstyrelsen"},
        check=lambda w, b: _assert(Escalation.objects.filter(obstacle="Saknar data").exists()),
    ),
    Case(
        "steering:escalation_update",
        WRITE,
        args=lambda w: [f.escalation(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"status": "answered", "response": "Medel avsatta"},
        check=lambda w, b: _assert(
            Escalation.objects.get(pk=f.escalation(w).pk).status == "answered"
        ),
    ),
    Case("steering:activity_create", FORM, args=_group, label="form"),
    Case(
        "steering:activity_create",
        WRITE,
        args=_group,
        method="post",
        writes=True,
        data=lambda w: {
            "title": "Unga för Orten",
            "responsible": w.partner.pk,
            "starts": "2025-06-15",
            "ends": "2025-08-15",
            "prevention_type": "social",
            "hours": "2300",
        },
        check=lambda w, b: _assert(Activity.objects.filter(title="Unga för Orten").exists()),
    ),
    Case("steering:indicator_create", FORM, args=_group, label="form"),
    Case(
        "steering:indicator_create",
        WRITE,
        args=_group,
        method="post",
        writes=True,
        data=lambda w: {
            "name": "Skadegörelse per år",
            "kind": "incident",
            "measure": "count",
            "interval": "year",
            "categories": [c.pk for c in f.categories()],
        },
        check=lambda w, b: _assert(
            w.group and f.Indicator.objects.filter(name="Skadegörelse per år").exists()
        ),
    ),
    Case("steering:indicator", MEMBERS_READ, args=lambda w: [f.indicator(w).public_id]),
    Case(
        "steering:indicator_value",
        WRITE,
        args=lambda w: [f.indicator(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"period_start": "2021-01-01", "label": "2021", "value": "17"},
        check=lambda w, b: _assert(IndicatorValue.objects.filter(label="2021", value=17).exists()),
    ),
]


def _completed_problem(w):
    from tryggnav.steering import services

    m = f.measure(w)
    services.problem_step_complete(problem=m.problem, by=w.user("coordinator"), step=1)
    return m.problem
