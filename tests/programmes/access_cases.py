"""Access cases of the follow-up pages and report downloads: members of the owning
organisation (and of the programme's group) read, the organisation's coordinators
write, outsiders get 404."""

from __future__ import annotations

from tests.access import LOGIN_REDIRECT, MEMBERS_READ, Case
from tests.programmes import factories as f
from tryggnav.programmes.models import Assessment, FollowUp, Programme, ReportSnapshot, SubGoal

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
# Creating a programme of an organisation: its coordinators; the partner's reporter
# is not a member of it.
CREATE = {**WRITE, "reporter": 404}
CREATE_FORM = {**FORM, "reporter": 404}
# The partner's reporter reads through the programme's collaboration group.
GROUP_READ = {**MEMBERS_READ, "reporter": 200}


def _assert(condition: bool) -> None:
    assert condition


def _follow_up(w):
    return [f.follow_up(w).public_id]


CASES = [
    Case("programmes:index", {"anonymous": LOGIN_REDIRECT, "outsider": 200, "reader": 200}),
    Case("programmes:programme", GROUP_READ, args=lambda w: [f.programme(w).public_id]),
    Case(
        "programmes:programme_update",
        FORM,
        args=lambda w: [f.programme(w).public_id],
        label="form",
    ),
    Case(
        "programmes:programme_update",
        WRITE,
        args=lambda w: [f.programme(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {
            "kind": "program",
            "title": f.TITLE,
            "group": w.group.pk,
            "starts": "2024-01-01",
            "ends": "2028-12-31",
            "decision_reference": "KS-2024/77",
        },
        check=lambda w, b: _assert(
            str(f.programme(w).ends) == "2028-12-31"
            and f.programme(w).decision_reference == "KS-2024/77"
        ),
    ),
    Case("programmes:programme_create", CREATE_FORM, args=lambda w: [w.lead.slug], label="form"),
    Case(
        "programmes:programme_create",
        CREATE,
        args=lambda w: [w.lead.slug],
        method="post",
        writes=True,
        data=lambda w: {
            "kind": "program",
            "title": "Program för trygghet 2027–2030",
            "starts": "2027-01-01",
            "ends": "2030-12-31",
        },
        check=lambda w, b: _assert(
            Programme.objects.filter(
                organisation=w.lead, title="Program för trygghet 2027–2030"
            ).exists()
        ),
    ),
    Case(
        "programmes:area_create",
        WRITE,
        args=lambda w: [f.programme(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"name": "Trafiksäkerhet", "goals": "Färre olyckor.\nSäkra skolvägar."},
        check=lambda w, b: _assert(
            [
                g.text
                for g in SubGoal.objects.filter(
                    area__programme=f.programme(w), area__name="Trafiksäkerhet"
                ).order_by("order")
            ]
            == ["Färre olyckor.", "Säkra skolvägar."]
        ),
    ),
    Case(
        "programmes:follow_up_create",
        WRITE,
        args=lambda w: [f.programme(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"year": "2026", "introduction": "Inledning 2026"},
        check=lambda w, b: _assert(
            FollowUp.objects.filter(programme=f.programme(w), year=2026).exists()
        ),
    ),
    Case("programmes:follow_up", GROUP_READ, args=_follow_up),
    Case(
        "programmes:follow_up_report",
        GROUP_READ,
        args=lambda w: [f.follow_up(w).public_id, "docx"],
    ),
    Case(
        "programmes:assessment_save",
        WRITE,
        args=lambda w: [f.follow_up(w).public_id, f.goal(w, 2).public_id],
        method="post",
        writes=True,
        data=lambda w: {
            f"g{f.goal(w, 2).pk}-status": "ej-uppfyllt",
            f"g{f.goal(w, 2).pk}-justification": "Brandtillsynen hann inte med.",
        },
        check=lambda w, b: _assert(
            Assessment.objects.filter(
                goal=f.goal(w, 2), status="ej-uppfyllt", justification__startswith="Brand"
            ).exists()
        ),
    ),
    Case(
        "programmes:area_update",
        FORM,
        args=lambda w: [f.follow_up(w).areas.first().public_id],
        label="form",
    ),
    Case(
        "programmes:area_update",
        WRITE,
        args=lambda w: [f.follow_up(w).areas.first().public_id],
        method="post",
        writes=True,
        data=lambda w: {"narrative": "Ny text om året."},
        check=lambda w, b: _assert(f.follow_up(w).areas.first().narrative == "Ny text om året."),
    ),
    Case("programmes:group", MEMBERS_READ, args=lambda w: [w.group.slug]),
    Case(
        "programmes:lagesbild_report",
        MEMBERS_READ,
        args=lambda w: [w.group.slug, "pdf"],
        query="fran=2025-01-01&till=2025-06-30",
    ),
    Case("programmes:action_plan_report", MEMBERS_READ, args=lambda w: [w.group.slug, "docx"]),
    Case(
        "programmes:status_report",
        MEMBERS_READ,
        args=lambda w: [f.agreement(w).public_id, "docx"],
    ),
    # Ready for the diarium: the form (GET) and the download with a header (POST, a read).
    Case(
        "programmes:follow_up_report_diarium", GROUP_READ, args=lambda w: [f.follow_up(w).public_id]
    ),
    Case(
        "programmes:follow_up_report_diarium",
        GROUP_READ,
        args=lambda w: [f.follow_up(w).public_id],
        method="post",
        data=lambda w: {"diarienummer": "KS 2026/1", "format": "docx"},
        label="download",
    ),
    Case(
        "programmes:lagesbild_report_diarium",
        MEMBERS_READ,
        args=lambda w: [w.group.slug],
        query="fran=2025-01-01&till=2025-06-30",
    ),
    Case(
        "programmes:action_plan_report_diarium",
        MEMBERS_READ,
        args=lambda w: [w.group.slug],
        method="post",
        data=lambda w: {"diarienummer": "KS 2026/2", "format": "docx"},
    ),
    Case(
        "programmes:status_report_diarium", MEMBERS_READ, args=lambda w: [f.agreement(w).public_id]
    ),
    Case(
        "programmes:status_record",
        WRITE,
        args=lambda w: [f.agreement(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"note": "Styrgruppsmöte"},
        check=lambda w, b: _assert(
            ReportSnapshot.objects.filter(agreement=f.agreement(w), note="Styrgruppsmöte").exists()
        ),
    ),
]
