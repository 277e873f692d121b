"""A fund of the test personas' organisation (``world.lead``, Stockholm), a call open
today, and applications from the partner (a housing company) in each state.

Roles: the lead's coordinator administers the fund (its organisation's coordinator);
the lead's admin is the assessor assigned to submitted applications; the partner's
reporter is the applicant."""

from __future__ import annotations

import datetime
import io
import zipfile

from django.utils import timezone

from tryggnav.fund import services
from tryggnav.fund.models import Application, Assessment, Call, Decision, Fund

BUDGET = 1_000_000
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today() -> datetime.date:
    return timezone.localdate()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def fund(world, budget: int = BUDGET) -> Fund:
    found = Fund.objects.filter(organisation=world.lead).first()
    if found:
        return found
    return services.fund_create(by=world.user("coordinator"), organisation=world.lead,
                                name="Trygghetsfonden", year=today().year, budget=budget)  # fmt: skip


def call(world) -> Call:
    f = fund(world)
    found = f.calls.first()
    if found:
        return found
    day = today()
    return services.call_create(
        fund=f, by=world.user("coordinator"), title="Utlysning 1",
        opens=day - datetime.timedelta(days=30), closes=day + datetime.timedelta(days=30),
        project_starts=day - datetime.timedelta(days=365),
        project_ends=day + datetime.timedelta(days=730),
        required_attachments=["Projektplan"],
        democracy_conditions="Organisationen respekterar demokratins idéer.",
        criteria=[("Problemkoppling", 3, ""), ("Genomförbarhet", 2, ""), ("Uppföljning", 1, "")],
    )  # fmt: skip


def fields(world, **overrides) -> dict:
    day = today()
    data = {
        "title": "Nattvandring i Vällingby",
        "problem": "Oro i centrum kvällstid.",
        "place_name": "Vällingby centrum",
        "prevention_type": "social",
        "perspective_children": "Unga möts av vuxna.",
        "perspective_gender": "Både kvinnor och män vandrar.",
        "perspective_disability": "Tillgängliga rutter.",
        "perspective_hbtq": "Utbildade vandrare.",
        "perspective_elderly": "Äldre känner sig tryggare.",
        "activities": "Vandring fredagar och lördagar.",
        "starts": day,
        "ends": day + datetime.timedelta(days=180),
        "co_financing": 10_000,
        "indicator": "Andel otrygga kvällstid (%)",
        "baseline_value": 30.0,
        "baseline_date": day - datetime.timedelta(days=60),
        "target_value": 20.0,
        "deadline": day + datetime.timedelta(days=365),
        "democracy_confirmed": True,
        "budget_lines": [("Västar och lampor", 20_000), ("Samordnare", 80_000)],
    }
    data.update(overrides)
    return data


def application(world, state: str = Application.State.SUBMITTED, title: str = "") -> Application:
    """An application in ``state``, made through the services."""
    title = title or f"Ansökan {state}"
    found = Application.objects.filter(title=title).first()
    if found:
        return found
    app = services.application_save(by=world.user("reporter"), call=call(world),
                                    organisation=world.partner, **fields(world, title=title))  # fmt: skip
    if state == Application.State.DRAFT:
        return app
    services.attachment_add(application=app, by=world.user("reporter"), label="Projektplan",
                            filename="plan.pdf", data=PDF)  # fmt: skip
    services.application_submit(application=app, by=world.user("reporter"))
    services.assessment_assign(application=app, by=world.user("coordinator"),
                               assessor=world.user("admin"))  # fmt: skip
    if state == Application.State.DECIDED:
        decide(world, app)
    return Application.objects.get(pk=app.pk)


def decide_as(world, app: Application, persona: str) -> Decision:
    return services.decision_make(application=app, by=world.user(persona), outcome="full",
                                  amount=app.requested)  # fmt: skip


def decide(world, app: Application, amount: int | None = None) -> Decision:
    requested = app.requested
    amount = requested if amount is None else amount
    outcome = Decision.Outcome.FULL if amount == requested else Decision.Outcome.PARTIAL
    return services.decision_make(application=app, by=world.user("coordinator"), outcome=outcome,
                                  amount=amount, conditions="Redovisa halvvägs.")  # fmt: skip


def assessment(world) -> Assessment:
    return Assessment.objects.get(application=application(world), assessor=world.user("admin"))
