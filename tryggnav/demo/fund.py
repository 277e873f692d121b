"""Demo step: Huddinge's trygghetsfond 2025 (budget 2 000 000 kr), GENERATED.

Seed 003 proposes the fund; its applications, assessments, decisions, payments and
final reports here are invented for demonstration, written through the services,
and flagged ``is_demo`` (the pages say "Demodata … genererade"). One call; eight
applications from the municipality's departments and companies; two assessors score,
a third declares a conflict of interest; six decisions (five grants, one refusal);
payments; two final reports with indicator values. The night walks in Flemingsberg
are linked to the steering demo's Brå-process case there. Idempotent: found by the
administering organisation and year.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tryggnav.areas.models import Area
from tryggnav.fund import services
from tryggnav.fund.models import Application, Decision, Fund, FundRole
from tryggnav.incidents.models import Category, CategoryGroup
from tryggnav.lib.documents import Document, Paragraph, render_pdf
from tryggnav.organisations.models import Organisation
from tryggnav.steering.models import Problem

ORGANISATION = "huddinge-kommun"
YEAR = 2025
BUDGET = 2_000_000
ADMIN = "eva.lindqvist@huddinge.example"
ASSESSORS = ("eva.lindqvist@huddinge.example", "johan.berg@polisen.example")
CONFLICTED = "sara.nilsson@huddinge.example"
APPLICANT_USER = "omar.haddad@huge.example"
D = datetime.date

PERSPECTIVES = {
    "perspective_children": "Unga under 18 nås genom skolorna och fritidsgårdarna (genererad).",
    "perspective_gender": "Flickors och kvinnors otrygghet kvällstid väger tungt (genererad).",
    "perspective_disability": "Tillgänglig belysning och framkomliga stråk (genererad).",
    "perspective_hbtq": "Personalen utbildas i bemötande av hbtq-personer (genererad).",
    "perspective_elderly": "Äldre som undviker att gå ut kvällstid (genererad).",
}

# title, applicant slug, district, prevention type, budget lines, indicator,
# baseline, target, decision (outcome, amount, text), payments, final report
APPLICATIONS: list[dict[str, Any]] = [
    {
        "title": "Nattvandring i Flemingsberg",
        "org": "huddinge-kultur-fritid", "area": "Flemingsberg", "type": "social",
        "place_name": "Flemingsbergs centrum och stationen",
        "lines": [("Samordnare 25 %", 120_000), ("Västar, lampor och fika", 30_000),
                  ("Utbildning av vandrare", 30_000)],
        "indicator": "Andel som känner sig otrygga kvällstid i Flemingsberg (%)",
        "baseline": 41.0, "target": 35.0,
        "decision": ("full", None, "Väl underbyggd i lägesbilden och Brå-processen."),
        "payments": [(D(2025, 4, 15), 90_000), (D(2025, 9, 1), 90_000)],
        "report": ("Vandring fredag och lördag kväll, 64 kvällar, 23 vuxna vandrare.",
                   171_500, 37.0),
        "problem": True,
    },
    {
        "title": "Belysning längs gångvägen i Skogås",
        "org": "huge-bostader", "area": "Skogås", "type": "situationell",
        "place_name": "Gångvägen mellan Skogås station och Ekdalen",
        "lines": [("Armaturer och stolpar", 310_000), ("Installation", 110_000)],
        "indicator": "Anmälda rån och misshandel längs stråket per halvår",
        "baseline": 14.0, "target": 8.0,
        "decision": ("full", None, "Situationell åtgärd på en utpekad otrygg plats."),
        "payments": [(D(2025, 5, 2), 420_000)],
        "report": ("32 nya armaturer längs 800 meter, tända september 2025.", 398_000, 9.0),
        "evaluation": (["Trångsund", "Sjödalen-Fullersta"],
                       "Målet (8) är inte nått men värdet sjönk från 14 till 9. Jämförelsen "
                       "med två liknande kommundelar kan med ett enda område inte visa en "
                       "effekt; följ upp igen efter ett helt år (genererad demotext)."),
    },
    {
        "title": "Kapa buskage längs gångvägen i Vårby",
        "org": "huddinge-samhallsfastigheter", "area": "Vårby", "type": "situationell",
        "place_name": "Gångvägen Vårby allé – Vårby gård", "lat": 59.2651, "lon": 17.8853,
        "lines": [("Röjning och beskärning", 75_000), ("Bortforsling", 20_000)],
        "indicator": "Andel som undviker gångvägen kvällstid (%)",
        "baseline": 38.0, "target": 25.0,
        "decision": ("full", None, "Enkel åtgärd med tydlig koppling till trygghetsvandringen."),
        "payments": [(D(2025, 5, 20), 95_000)],
    },
    {
        "title": "Trygghetsvärdar i Huddinge centrum",
        "org": "huge-bostader", "area": "Huddinge centrum", "type": "social",
        "place_name": "Huddinge centrum",
        "lines": [("Två trygghetsvärdar, halvtid", 560_000), ("Utbildning och utrustning",
                                                          90_000)],
        "indicator": "Ordningsstörningar rapporterade av fastighetsskötare per månad",
        "baseline": 22.0, "target": 15.0,
        "decision": ("partial", 400_000, "Beviljas för en trygghetsvärd på halvtid under "
                     "hösten 2025; rapportera veckovis i Tryggnav."),
        "payments": [(D(2025, 8, 25), 200_000)],
    },
    {
        "title": "Sommaraktiviteter för unga i Vårby",
        "org": "huddinge-kultur-fritid", "area": "Vårby", "type": "social",
        "place_name": "Vårby gård och Vårby strand",
        "lines": [("Feriejobb som aktivitetsledare", 180_000), ("Aktiviteter och utflykter",
                                                             70_000)],
        "indicator": "Anmälda skadegörelsebrott i Vårby juni–augusti",
        "baseline": 46.0, "target": 35.0,
        "decision": ("full", None, "Förebyggande insats för unga under sommarlovet."),
        "payments": [(D(2025, 6, 2), 250_000)],
    },
    {
        "title": "Trygghetskameror vid Flemingsbergs station",
        "org": "huge-bostader", "area": "Flemingsberg", "type": "situationell",
        "place_name": "Flemingsbergs station",
        "lines": [("Kameror och installation", 780_000), ("Drift första året", 120_000)],
        "indicator": "Anmälda rån vid stationen per år",
        "baseline": 12.0, "target": 6.0,
        "decision": ("refused", 0, "Kamerabevakning vid stationen kräver tillstånd och "
                     "samråd med polisen och SL; sök igen med tillståndet."),
    },
    {
        "title": "Belysning av skolgården i Stuvsta",
        "org": "huddinge-grundskola", "area": "Stuvsta-Snättringe", "type": "situationell",
        "place_name": "Stuvstaskolans skolgård",
        "lines": [("Belysning", 170_000), ("Installation", 40_000)],
        "indicator": "Skadegörelse på skolan kvällstid per termin",
        "baseline": 9.0, "target": 4.0,
    },
    {
        "title": "Trygghetsvandringar med hyresgäster i Segeltorp",
        "org": "huge-bostader", "area": "Segeltorp", "type": "social",
        "place_name": "Segeltorps centrum och bostadsområdet runt",
        "lines": [("Samordning och fika", 45_000), ("Västar och ficklampor", 15_000)],
        "indicator": "Antal hyresgäster som vandrar per månad",
        "baseline": 0.0, "target": 20.0,
        "completion": "Bifoga projektplanen igen med tidplanen för hösten.",
    },
]  # fmt: skip

CRITERIA = [
    ("Kopplingen till ett problem i lägesbilden", 3, "Bygger insatsen på lägesbilden?"),
    ("Genomförbarhet och budget", 2, "Är tidplan och budget rimliga?"),
    ("Uppföljning av effekt", 2, "Går målet att mäta, med utgångsvärde?"),
    ("Samverkan och medfinansiering", 1, "Står flera aktörer bakom, med egna medel?"),
]


def _users() -> dict[str, Any]:
    users = get_user_model().objects.filter(
        email__in=[ADMIN, *ASSESSORS, CONFLICTED, APPLICANT_USER]
    )
    return {u.email: u for u in users}  # fmt: skip


def _call(fund: Fund, by: Any):
    return services.call_create(
        fund=fund, by=by, title="Trygghetsfonden 2025: ansökan om medel",
        description="Nämnder och kommunala bolag kan söka medel för brottsförebyggande och "
        "trygghetsskapande insatser, sociala eller situationella (genererad demotext).",
        opens=D(2025, 1, 15), closes=D(2025, 3, 15),
        project_starts=D(2025, 4, 1), project_ends=D(2026, 6, 30),
        eligible_kinds=["kommun", "namnd", "bostadsbolag", "fastighetsagare"],
        required_attachments=["Projektplan"],
        democracy_conditions="Den sökande organisationen respekterar demokratins idéer, "
        "inklusive jämställdhet och förbud mot diskriminering, och verkar inte för våld.",
        criteria=CRITERIA,
    )  # fmt: skip


def _fields(spec: dict[str, Any], problem: Problem | None) -> dict[str, Any]:
    area = Area.objects.filter(municipality_id="0126", name=spec["area"]).first()
    return {
        "title": spec["title"], "area": area, "place_name": spec["place_name"],
        "lat": spec.get("lat"), "lon": spec.get("lon"), "prevention_type": spec["type"],
        "problem": f"{spec['title']}: otrygghet och brott på platsen enligt lägesbilden "
        "(genererad demotext).",
        "steering_problem": problem if spec.get("problem") else None,
        "activities": "April–juni: förberedelser. Juni–december: genomförande. "
        "Januari 2026: uppföljning (genererad).",
        "starts": D(2025, 4, 1), "ends": D(2025, 12, 31), "co_financing": 25_000,
        "indicator": spec["indicator"], "baseline_value": spec["baseline"],
        "baseline_date": D(2024, 12, 31), "target_value": spec["target"],
        "deadline": D(2026, 3, 31), "democracy_confirmed": True,
        "budget_lines": spec["lines"], **PERSPECTIVES,
    }  # fmt: skip


def _assess(app: Application, users: dict[str, Any], by: Any, index: int) -> None:
    criteria = list(app.call.criteria.all())
    for offset, email in enumerate(ASSESSORS):
        if email not in users:
            continue
        item = services.assessment_assign(application=app, by=by, assessor=users[email])
        # Generated scores: deterministic, differing between assessors by up to 2.
        scores = {c.pk: ((index * 3 + c.position * 2 + offset * (index % 3)) % 4 + 2, "")
                  for c in criteria}  # fmt: skip
        services.assessment_score(assessment=item, by=users[email], scores=scores)
    if index == 3 and CONFLICTED in users:
        item = services.assessment_assign(application=app, by=by, assessor=users[CONFLICTED])
        services.assessment_declare_conflict(assessment=item, by=users[CONFLICTED],
                                             note="Ledamot i Huge Bostäders styrelse (demo).")  # fmt: skip


def _decide(app: Application, spec: dict[str, Any], by: Any, index: int) -> None:
    outcome, amount, text = spec["decision"]
    amount = app.requested if amount is None else amount
    decision = services.decision_make(
        application=app, by=by, outcome=outcome, amount=amount,
        conditions=text if outcome == "partial" else "",
        reason=text if outcome != "partial" else "", tell=False)  # fmt: skip
    decided = timezone.make_aware(datetime.datetime(2025, 4, 2 + index, 10, 0))
    Decision.objects.filter(pk=decision.pk).update(decided=decided)
    decision.refresh_from_db()
    for day, paid in spec.get("payments", []):
        services.payment_make(decision=decision, by=by, amount=paid, paid_on=day)
    if "report" in spec:
        done, spent, value = spec["report"]
        services.final_report_submit(application=app, by=by, done=done, spent=spent,
                                     indicator_value=value, indicator_date=D(2026, 2, 28))  # fmt: skip
    if "evaluation" in spec:
        _evaluate(app, spec, by)


def _evaluate(app: Application, spec: dict[str, Any], by: Any) -> None:
    """The place-based project's follow-up against comparison districts, on the
    demo's incidents of the crime categories."""
    names, conclusion = spec["evaluation"]
    app.refresh_from_db()
    services.project_evaluate(
        application=app, by=by, evaluated_on=D(2026, 3, 31), conclusion=conclusion,
        comparison_areas=Area.objects.filter(municipality_id="0126", name__in=names),
        categories=Category.objects.filter(collaboration_group=None, group=CategoryGroup.CRIME))  # fmt: skip


def _application(call, spec, users, admin, problem) -> Application:
    organisation = Organisation.objects.get(slug=spec["org"])
    by = users.get(APPLICANT_USER) if spec["org"] == "huge-bostader" else admin
    app = services.application_save(by=by, call=call, organisation=organisation, is_demo=True,
                                    **_fields(spec, problem))  # fmt: skip
    services.attachment_add(application=app, by=by, label="Projektplan",
                            filename="projektplan.pdf", data=_pdf(spec["title"]))  # fmt: skip
    services.application_submit(application=app, by=by, today=D(2025, 3, 1))
    return app


def _handle(app: Application, spec, users, admin, index: int) -> None:
    """All applications are in before the first is decided, as in a real call."""
    if "completion" in spec:
        services.application_request_completion(application=app, by=admin,
                                                 note=spec["completion"], tell=False)  # fmt: skip
        return
    _assess(app, users, admin, index)
    if "decision" in spec:
        _decide(app, spec, admin, index)


def _pdf(title: str) -> bytes:

    doc = Document(title=title, subtitle="Projektplan (genererad demo)", is_demo=True)
    return render_pdf(doc.add(Paragraph("Genererad projektplan för demonstration.")))


def load() -> list[str]:
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    users = _users()
    admin = users.get(ADMIN)
    if organisation is None or admin is None:
        return ["Trygghetsfond: demoorganisationen saknas, hoppar över."]
    if Fund.objects.filter(organisation=organisation, year=YEAR).exists():
        return [f"Trygghetsfond (demo): Huddinge {YEAR} fanns redan."]
    problem = Problem.objects.filter(
        title__startswith="Skadegörelse och klotter i Flemingsberg"
    ).first()
    with transaction.atomic():
        fund = services.fund_create(by=admin, organisation=organisation, name="Trygghetsfonden",
                                    year=YEAR, budget=BUDGET, is_demo=True)  # fmt: skip
        for email in ASSESSORS[1:] + (CONFLICTED,):
            if email in users:
                services.fund_role_add(fund=fund, by=admin, user=users[email],
                                       kind=FundRole.Kind.ASSESSOR)  # fmt: skip
        call = _call(fund, admin)
        apps = [_application(call, spec, users, admin, problem) for spec in APPLICATIONS]
        for index, (app, spec) in enumerate(zip(apps, APPLICATIONS, strict=True)):
            _handle(app, spec, users, admin, index)
    return [f"Trygghetsfond (demo, genererad): Huddinge {YEAR}, {BUDGET} kr, "
            f"{len(APPLICATIONS)} ansökningar, 6 beslut."]  # fmt: skip
