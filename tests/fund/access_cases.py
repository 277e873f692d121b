"""Access cases of the trygghetsfond: the fund is seen by members of organisations in
its municipality; the applicant's staff (the partner's reporter) edit their own
applications; the administering organisation's coordinator decides and pays; the
assigned assessor (the lead's admin) scores; anyone may read the public page and its
open data; outsiders get 404."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import API_MEMBERS_READ, LOGIN_REDIRECT, MEMBERS_READ, PUBLIC, Case
from tests.fund import factories as f
from tryggnav.fund import services
from tryggnav.fund.models import (
    Application,
    Assessment,
    Attachment,
    Call,
    Decision,
    FinalReport,
    Fund,
    FundRole,
)

R = LOGIN_REDIRECT
READ = {**MEMBERS_READ, "reporter": 200, "coordinator": 200}
# Writes by the fund's administrators (the lead's coordinator).
ADMIN_WRITE = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 403, "coordinator": 302}
# Writes by the applicant's staff (the partner's reporter); the fund's coordinator
# reads the application but may not edit it.
APPLICANT_WRITE = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 302}
ASSESSOR = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 403, "coordinator": 403}


def _assert(condition: bool) -> None:
    assert condition


def _app(state=Application.State.SUBMITTED, title=""):
    return lambda w: [f.application(w, state, title=title).public_id]


def _ready_draft(w):
    app = f.application(w, Application.State.DRAFT, title="Klar att skicka")
    if not app.attachments.exists():
        services.attachment_add(application=app, by=w.user("reporter"), label="Projektplan",
                                filename="plan.pdf", data=f.PDF)  # fmt: skip
    return [app.public_id]


def _form(w, **overrides):
    data = f.fields(w, **overrides)
    lines = data.pop("budget_lines")
    data["budget"] = "\n".join(f"{item}; {amount}" for item, amount in lines)
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    return data


def _state(title: str) -> str:
    return Application.objects.get(title=title).state


def _scores(w):
    return {f"score_{c.pk}": 3 for c in f.call(w).criteria.all()}


CASES = [
    Case("fund:index", {"anonymous": R, "outsider": 200, "reader": 200}),
    Case("fund:fund", READ, args=lambda w: [f.fund(w).public_id]),
    Case(
        "fund:fund",
        READ,
        args=lambda w: [f.fund(w).public_id],
        query="status=submitted&sida=2",
        headers={"HX-Request": "true"},
        label="htmx",
    ),
    Case(
        "fund:fund_budget",
        ADMIN_WRITE,
        args=lambda w: [f.fund(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"budget": 1_500_000},
        check=lambda w, b: _assert(Fund.objects.get(organisation=w.lead).budget == 1_500_000),
    ),
    Case(
        "fund:fund_report",
        {**MEMBERS_READ, "reporter": 403},
        args=lambda w: [f.application(w, "decided").fund.public_id, "docx"],
    ),
    Case(
        "fund:fund_report_diarium",
        {**MEMBERS_READ, "reporter": 403},
        args=lambda w: [f.application(w, "decided").fund.public_id],
    ),
    Case("fund:call", READ, args=lambda w: [f.call(w).public_id]),
    Case("fund:apply", {**READ, "reader": 403}, args=lambda w: [f.call(w).public_id], label="form"),
    Case(
        "fund:apply",
        APPLICANT_WRITE,
        args=lambda w: [f.call(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {**_form(w, title="Belysning"), "organisation": w.partner.pk},
        check=lambda w, b: _assert(Application.objects.filter(title="Belysning").exists()),
    ),
    Case("fund:application", READ, args=_app()),
    Case(
        "fund:application_update",
        {**READ, "reader": 403, "coordinator": 403},
        args=_app("draft"),
        label="form",
    ),
    Case(
        "fund:application_update",
        APPLICANT_WRITE,
        args=_app("draft"),
        method="post",
        writes=True,
        data=lambda w: _form(w, title="Nytt namn"),
        check=lambda w, b: _assert(Application.objects.filter(title="Nytt namn").exists()),
    ),
    Case(
        "fund:application_submit",
        APPLICANT_WRITE,
        args=_ready_draft,
        method="post",
        writes=True,
        check=lambda w, b: _assert(_state("Klar att skicka") == "submitted"),
    ),
    Case(
        "fund:application_withdraw",
        APPLICANT_WRITE,
        args=_app(),
        method="post",
        writes=True,
        check=lambda w, b: _assert(_state("Ansökan submitted") == "withdrawn"),
    ),
    Case(
        "fund:application_completion",
        ADMIN_WRITE,
        args=_app(),
        method="post",
        writes=True,
        data=lambda w: {"note": "Bifoga ritning."},
        check=lambda w, b: _assert(_state("Ansökan submitted") == "completion"),
    ),
    Case(
        "fund:attachment_upload",
        APPLICANT_WRITE,
        args=_app("draft"),
        method="post",
        writes=True,
        data=lambda w: {"label": "Projektplan", "file": SimpleUploadedFile("plan.pdf", f.PDF)},
        check=lambda w, b: _assert(Attachment.objects.filter(filename="plan.pdf").exists()),
    ),
    Case("fund:attachment", READ, args=lambda w: [f.application(w).attachments.get().public_id]),
    Case(
        "fund:assessment_assign",
        ADMIN_WRITE,
        args=_app(),
        method="post",
        writes=True,
        data=lambda w: {"assessor": "coordinator@sdf.example"},
        check=lambda w, b: _assert(
            Assessment.objects.filter(assessor=w.user("coordinator")).exists()
        ),
    ),
    Case(
        "fund:decision",
        ADMIN_WRITE,
        args=_app(),
        method="post",
        writes=True,
        data=lambda w: {"outcome": "full", "amount": 100_000},
        check=lambda w, b: _assert(Decision.objects.filter(amount=100_000).exists()),
    ),
    Case("fund:decision_letter", READ, args=lambda w: [*_app("decided")(w), "docx"]),
    Case("fund:decision_letter_diarium", READ, args=_app("decided")),
    Case(
        "fund:decision_letter_diarium",
        READ,
        args=_app("decided"),
        method="post",
        data=lambda w: {"diarienummer": "KS 2026/4", "format": "docx"},
        label="download",
    ),
    Case(
        "fund:payment",
        ADMIN_WRITE,
        args=_app("decided"),
        method="post",
        writes=True,
        data=lambda w: {"amount": 40_000, "paid_on": f.today().isoformat()},
        check=lambda w, b: _assert(Decision.objects.get().payments.filter(amount=40_000).exists()),
    ),
    Case(
        "fund:final_report",
        {**APPLICANT_WRITE, "coordinator": 403},
        args=_app("decided"),
        method="post",
        writes=True,
        data=lambda w: {
            "done": "Vandrat 40 kvällar.",
            "spent": 90_000,
            "indicator_value": 24,
            "indicator_date": f.today().isoformat(),
        },
        check=lambda w, b: _assert(FinalReport.objects.filter(spent=90_000).exists()),
    ),
    Case("fund:assessment", {**ASSESSOR, "admin": 200}, args=lambda w: [f.assessment(w).public_id]),
    Case(
        "fund:assessment",
        {**ASSESSOR, "admin": 302},
        args=lambda w: [f.assessment(w).public_id],
        method="post",
        writes=True,
        data=_scores,
        label="score",
        check=lambda w, b: _assert(f.assessment(w).scores.count() == 3),
    ),
    Case(
        "fund:assessment_conflict",
        {**ASSESSOR, "admin": 302},
        args=lambda w: [f.assessment(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"note": "Sitter i styrelsen."},
        check=lambda w, b: _assert(Assessment.objects.get(assessor=w.user("admin")).conflict),
    ),
    Case("fund:public", PUBLIC, args=lambda w: [f.application(w, "decided").fund.public_id]),
    Case("fund:public_data", PUBLIC, args=lambda w: [f.fund(w).public_id, "json"]),
    Case("fund:public_data", PUBLIC, args=lambda w: [f.fund(w).public_id, "csv"], label="csv"),
]

ADMIN_READ = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 403, "coordinator": 200}
# Starting a fund: the lead's coordinator; the reporter (another organisation) and the
# outsider are not members of the lead.
FOUNDER = {"anonymous": R, "outsider": 404, "reader": 403, "reporter": 404}


def _call_form(w):
    day = f.today()
    return {
        "title": "Utlysning 2", "opens": day.isoformat(), "closes": day.isoformat(),
        "project_starts": day.isoformat(), "project_ends": day.isoformat(),
        "eligible_kinds": ["kommun", "bostadsbolag"], "prevention_types": ["social"],
        "criteria": "Problemkoppling; 3; Kopplingen till lägesbilden\nGenomförbarhet; 2",
        "required_attachments": "Projektplan", "democracy_conditions": "Villkor.",
    }  # fmt: skip


CREATION_CASES = [
    Case(
        "fund:fund_create",
        {**FOUNDER, "coordinator": 200},
        args=lambda w: [w.lead.slug],
        label="form",
    ),  # fmt: skip
    Case(
        "fund:fund_create",
        {**FOUNDER, "coordinator": 302},
        args=lambda w: [w.lead.slug],
        method="post",
        writes=True,
        data=lambda w: {"name": "Trygghetsfonden", "year": 2031, "budget": 500_000},
        check=lambda w, b: _assert(Fund.objects.filter(organisation=w.lead, year=2031).exists()),
    ),
    Case("fund:call_create", ADMIN_READ, args=lambda w: [f.fund(w).public_id], label="form"),
    Case(
        "fund:call_create",
        ADMIN_WRITE,
        args=lambda w: [f.fund(w).public_id],
        method="post",
        writes=True,
        data=_call_form,
        check=lambda w, b: _assert(
            Call.objects.filter(title="Utlysning 2", criteria__name="Genomförbarhet").exists()
        ),
    ),
    Case("fund:fund_roles", ADMIN_READ, args=lambda w: [f.fund(w).public_id]),
    Case(
        "fund:fund_roles",
        ADMIN_WRITE,
        args=lambda w: [f.fund(w).public_id],
        method="post",
        writes=True,
        data=lambda w: {"email": "admin@sdf.example", "kind": "assessor"},
        label="add",
        check=lambda w, b: _assert(FundRole.objects.filter(kind="assessor").exists()),
    ),
]
CASES += CREATION_CASES


def _evaluation_data(w):
    return {"evaluated_on": f.today().isoformat(), "conclusion": "Bra."}


CASES.append(
    Case(
        "fund:project_evaluate",
        ADMIN_WRITE,
        args=_app("decided"),
        method="post",
        writes=True,
        data=_evaluation_data,
        check=lambda w, b: _assert(
            f.application(w, "decided").evaluations.filter(conclusion="Bra.").exists()
        ),
    )
)


CASES += [
    Case("api:fund_list", {"anonymous": 401, "outsider": 200, "reader": 200}),
    Case("api:fund_detail", API_MEMBERS_READ, args=lambda w: [f.fund(w).public_id]),
    Case(
        "api:fund_applications",
        API_MEMBERS_READ,
        args=lambda w: [f.application(w, "decided").fund.public_id],
    ),
]
