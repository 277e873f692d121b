"""Demo step: Huddinge's statutory documents of Lag (2023:196), GENERATED for the demo
(no real Huddinge document is quoted): the coordination function, a decided lägesbild
for 2025 with contributions from the police and Huge Bostäder and a recorded
consultation, a decided åtgärdsplan based on it, and a draft lägesbild for 2026 in
progress with Huge Bostäder's contribution still missing, so the coordinator's start
page shows it. The next lägesbild is due within the reminder days.

Everything goes through the services (audited); nothing sends mail. Idempotent: the
step does nothing when Huddinge's 2025 lägesbild exists.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tryggnav.documents import services
from tryggnav.documents.models import Kind, LawDocument
from tryggnav.organisations.admin_services import coordination_function_save
from tryggnav.organisations.models import CoordinationFunction, Organisation

ORGANISATION = "huddinge-kommun"
COORDINATOR = "eva.lindqvist@huddinge.example"
POLICE, POLICE_USER = "lpo-huddinge", "johan.berg@polisen.example"
HOUSING, HOUSING_USER = "huge-bostader", "omar.haddad@huge.example"
GENERATED = "(Genererad demotext, inte Huddinges verkliga lägesbild.)"

TEXTS = {
    "omfattning": "Polisens händelser och Brås anmälda brott visar var tyngdpunkten ligger; "
    "partnernas rapporter kompletterar med det som inte anmäls. " + GENERATED,
    "analys": "Skadegörelse och otrygghet kvällstid kring centrumområdena är de problem som "
    "flest parter beskriver; de prioriteras i åtgärdsplanen. " + GENERATED,
}
ASK_POLICE = "Polisens bild av brottsligheten i kommunen: utvecklingen, platserna och tiderna."
ASK_HOUSING = (
    "Bostadsbolagets bild: skadegörelse, otrygghet i bostadsområdena, trapphus och garage."
)


def _user(email: str) -> Any:
    return get_user_model().objects.filter(email=email).first()


def _function(organisation: Organisation, by: Any) -> None:
    if CoordinationFunction.objects.filter(organisation=organisation).exists():
        return
    coordination_function_save(
        organisation=organisation, holder=by, holder_title="Trygghetssamordnare",
        unit="Kommunstyrelsens förvaltning",
        mandate="Samordnar kommunens brottsförebyggande arbete enligt lag (2023:196): tar fram "
        "lägesbild och åtgärdsplan och leder samverkan med polisen. " + GENERATED,
        decided_on=datetime.date(2024, 3, 1), decision_reference="KS-2024/0001 (demo)", by=by,
    )  # fmt: skip


def _contribute(document: LawDocument, slug: str, email: str, asked: str, text: str) -> None:
    party = Organisation.objects.get(slug=slug)
    contribution = services.contribution_invite(
        document=document, organisation=party, asked=asked, by=document.created_by,
        due=document.period_end + datetime.timedelta(days=30),
    )  # fmt: skip
    if text:
        services.contribution_write(
            contribution=contribution, text=text, done=True, by=_user(email)
        )


def _decide(document: LawDocument, by: Any, day: datetime.date, paragraph: str, dnr: str) -> None:
    services.document_propose(
        document=document, by=by,
        proposal="Kommunstyrelsen föreslås fastställa dokumentet. " + GENERATED,
    )  # fmt: skip
    services.document_decide(
        document=document, body="Kommunstyrelsen", decided_on=day, paragraph=paragraph,
        registry_number=dnr, handler="Eva Lindqvist", by=by,
    )  # fmt: skip


def _lagesbild_2025(organisation: Organisation, by: Any) -> LawDocument:
    document = services.lagesbild_create(
        organisation=organisation, period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31), by=by, title="Lägesbild Huddinge 2025",
    )  # fmt: skip
    services.document_update_texts(document=document, texts=TEXTS, by=by)
    _contribute(document, POLICE, POLICE_USER, ASK_POLICE,
                "Ökning av skadegörelse vid pendeltågsstationerna kvällstid. " + GENERATED)  # fmt: skip
    _contribute(document, HOUSING, HOUSING_USER, ASK_HOUSING,
                "Klotter och inbrott i förråd i två bostadsområden. " + GENERATED)  # fmt: skip
    services.consultation_record(
        document=document, organisation=Organisation.objects.get(slug=POLICE),
        held_on=datetime.date(2026, 1, 20), participants="Kommunpolisen, trygghetssamordnaren",
        summary="Polisen delar bilden och vill prioritera centrumområdena kvällstid. " + GENERATED,
        by=by,
    )  # fmt: skip
    _decide(document, by, datetime.date(2026, 2, 16), "§ 23", "KS-2026/0123 (demo)")
    return document


def _plan(lagesbild: LawDocument, by: Any) -> None:
    plan = services.action_plan_create(
        lagesbild=lagesbild, period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31), by=by, title="Åtgärdsplan Huddinge 2026–2027",
    )  # fmt: skip
    _decide(plan, by, datetime.date(2026, 3, 16), "§ 41", "KS-2026/0124 (demo)")


def _draft_2026(organisation: Organisation, by: Any) -> None:
    document = services.lagesbild_create(
        organisation=organisation, period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31), by=by, title="Lägesbild Huddinge 2026",
    )  # fmt: skip
    _contribute(document, POLICE, POLICE_USER, ASK_POLICE,
                "Färre anmälda inbrott, fler rapporter om otrygghet vid centrum. " + GENERATED)  # fmt: skip
    _contribute(document, HOUSING, HOUSING_USER, ASK_HOUSING, "")  # still missing


def load() -> list[str]:
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    by = _user(COORDINATOR)
    if organisation is None or by is None:
        return ["Lagens dokument: demoorganisationen saknas, hoppar över."]
    if LawDocument.objects.filter(organisation=organisation, kind=Kind.LAGESBILD).exists():
        return ["Lagens dokument (demo): fanns redan."]
    with transaction.atomic():
        _function(organisation, by)
        lagesbild = _lagesbild_2025(organisation, by)
        _plan(lagesbild, by)
        _draft_2026(organisation, by)
        today = timezone.localdate()
        # Set after the decisions: the next lägesbild is due within the reminder days.
        services.cycle_save(
            organisation=organisation, next_lagesbild_due=today + datetime.timedelta(days=20),
            next_action_plan_due=today + datetime.timedelta(days=365), remind_days=30, by=by,
        )  # fmt: skip
    return ["Lagens dokument (demo, genererade): lägesbild 2025 och åtgärdsplan beslutade, "
            "utkast till lägesbild 2026 med ett bidrag som saknas."]  # fmt: skip
