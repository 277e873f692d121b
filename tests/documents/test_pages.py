"""The pages and the API: the lock after decision holds in both, a party edits only its
own contribution, the coordinator sees who has contributed, the diff of versions."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from tests.documents import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.documents import services
from tryggnav.documents.models import Contribution, LawDocument, Status


def test_the_page_refuses_to_edit_a_decided_version(world):
    document = f.decided(world)
    client = world.client("coordinator")
    response = client.post(reverse("documents:texts", args=[document.public_id]), {"analys": "x"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.texts == {}
    page = client.get(document.get_absolute_url(), follow=True).content.decode()
    assert "är beslutad och låst" in page
    assert 'name="analys"' not in page  # no form for a locked version
    response = client.post(
        reverse("documents:invite", args=[document.public_id]),
        {"organisation": world.partner.pk, "asked": "a"},
    )
    assert not Contribution.objects.filter(document=document).exists()


def test_the_api_refuses_to_edit_a_decided_version(world):
    document = f.decided(world)
    url = reverse("api:document_texts", args=[document.public_id])
    response = world.client("coordinator").patch(
        url, {"texts": {"analys": "x"}}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "låst" in response.json()["detail"][0]["sv"]
    document.refresh_from_db()
    assert document.texts == {}
    detail = world.client("reader").get(reverse("api:document", args=[document.public_id]))
    assert (detail.json()["status"], detail.json()["version"]) == ("decided", 1)


def test_the_decision_through_the_page_is_audited_step_by_step(world):
    document = f.lagesbild(world)
    client = world.client("coordinator")
    client.post(reverse("documents:propose", args=[document.public_id]), {"proposal": "KS"})
    client.post(
        reverse("documents:decide", args=[document.public_id]),
        {"decided_body": "Kommunstyrelsen", "decided_on": "2026-02-01",
         "decision_paragraph": "§ 5", "registry_number": "KS-2026/9"},
    )  # fmt: skip
    document.refresh_from_db()
    assert (document.status, document.registry_number) == (Status.DECIDED, "KS-2026/9")
    entries = AuditEntry.objects.filter(object_id=str(document.public_id))
    statuses = [e.changes.get("status") for e in entries.order_by("at", "id")]
    assert entries.filter(action="create").count() == 1
    assert ["draft", "proposed"] in statuses and ["proposed", "decided"] in statuses


def test_a_party_sees_what_is_asked_writes_its_own_part_and_marks_it_done(world):
    contribution = f.invited(world)
    client = world.client("reporter")
    page = client.get(reverse("documents:contribution", args=[contribution.public_id]))
    assert "Er bild av otryggheten." in page.content.decode()
    client.post(
        reverse("documents:contribution", args=[contribution.public_id]),
        {"text": "Bostadsbolagets bild", "done": "on"},
    )
    contribution.refresh_from_db()
    assert contribution.is_done and contribution.text == "Bostadsbolagets bild"
    overview = world.client("coordinator").get(contribution.document.get_absolute_url())
    assert "Klart" in overview.content.decode()


def test_a_party_cannot_edit_another_partys_contribution(world):
    document = f.lagesbild(world)
    mine = f.invited(world, document)
    other = services.contribution_invite(
        document=document, organisation=world.lead, asked="Förvaltningens bild",
        by=world.user("coordinator"),
    )  # fmt: skip
    client = world.client("reporter")
    response = client.post(
        reverse("documents:contribution", args=[other.public_id]), {"text": "Intrång"}
    )
    assert response.status_code == 403
    assert client.get(reverse("documents:contribution", args=[mine.public_id])).status_code == 200
    outsider = world.client("outsider").get(
        reverse("documents:contribution", args=[mine.public_id])
    )
    assert outsider.status_code == 404
    other.refresh_from_db()
    assert other.text == ""


def test_the_coordinator_sees_who_has_not_contributed(world):
    contribution = f.invited(world)
    page = world.client("coordinator").get(contribution.document.get_absolute_url())
    html = page.content.decode()
    assert "Testbostäder AB" in html and "Saknas" in html


def test_a_consultation_is_recorded_with_who_when_and_what(world):
    document = f.lagesbild(world)
    world.client("coordinator").post(
        reverse("documents:consultation", args=[document.public_id]),
        {"party_name": "Lokalpolisområde Västerort", "held_on": "2026-01-15",
         "participants": "Kommunpolisen, samordnaren", "summary": "Polisen delar bilden."},
    )  # fmt: skip
    row = document.consultations.get()
    assert (row.party, row.held_on) == ("Lokalpolisområde Västerort", datetime.date(2026, 1, 15))
    assert (
        "Polisen delar bilden."
        in world.client("reader").get(document.get_absolute_url()).content.decode()
    )


def test_the_diff_page_shows_what_changed_between_versions(world):
    f.counts(world, police=10)
    first = f.lagesbild(world)
    f.counts(world, police=3, partner=0, week=datetime.date(2025, 6, 2))
    response = world.client("coordinator").post(
        reverse("documents:regenerate", args=[first.public_id]), follow=True
    )
    html = response.content.decode()
    assert "Polisen: Totalt" in html and ">13<" in html
    assert LawDocument.objects.filter(series=first.series).count() == 2


def test_word_and_pdf_of_a_decided_lagesbild(world):
    document = f.decided(world)
    for fmt in ("docx", "pdf"):
        response = world.client("reader").get(
            reverse("documents:export", args=[document.public_id, fmt])
        )
        assert response.status_code == 200 and len(response.content) > 1000


def test_a_bad_period_is_refused_with_a_message_naming_the_field(world):
    url = reverse("documents:lagesbild_create", args=[world.lead.slug])
    client = world.client("coordinator")
    for start, end in (("2025-12-31", "2025-01-01"), ("2000-01-01", "2025-12-31")):
        response = client.post(url, {"period_start": start, "period_end": end})
        assert response.status_code == 400
        assert "Perioden" in response.content.decode()
    assert not LawDocument.objects.exists()


def test_omfattning_shows_bra_police_and_partners_each_labelled_by_source(world):
    from tryggnav.areas.models import Municipality
    from tryggnav.official.models import OfficialImport, ReportedCrime

    municipality = Municipality.objects.get(code="0180")
    municipality.population, municipality.population_year = 980_000, 2025
    municipality.save()
    record = OfficialImport.objects.create(source="bra")
    ReportedCrime.objects.create(municipality=municipality, year=2025, quarter=0,
                                 offence="Rån", count=380, source_import=record)  # fmt: skip
    f.counts(world, police=10, partner=4)
    document = f.lagesbild(world)
    html = world.client("reader").get(document.get_absolute_url()).content.decode()
    for label in ("Källa: Brå, anmälda brott i Stockholm",
                  "Källa: polisens öppna händelser i kommunen",
                  "Källa: partnernas granskade rapporter i Tryggnav, per samverkansgrupp"):  # fmt: skip
        assert label in html
    assert "38,8 (" in html  # 380 per 980,000: 38.8 per 100,000 with its interval
    assert "De tre källorna räknar olika saker" in html


def test_an_invitation_or_a_consultation_sent_twice_is_recorded_once(world):
    document = f.lagesbild(world)
    client = world.client("coordinator")
    page = client.get(document.get_absolute_url()).content.decode()
    keys = re.findall(r'name="form_key" value="([^"]+)"', page)
    assert len(set(keys)) >= 2  # the invitation's and the consultation's forms
    posts = [
        ("documents:invite", {"organisation": world.partner.pk, "asked": "Er bild"}),
        ("documents:consultation", {"party_name": "Polisen", "held_on": "2026-01-10",
                                    "participants": "Kommunpolisen", "summary": "Samsyn"}),
    ]  # fmt: skip
    texts = []
    for (name, data), key in zip(posts, keys, strict=False):
        url = reverse(name, args=[document.public_id])
        assert client.post(url, {**data, "form_key": key}).status_code == 302
        texts.append(client.post(url, {**data, "form_key": key}, follow=True).content.decode())
    # The party invited once is no longer offered: the repeat is refused by the form.
    assert "Välj en part och skriv vad den ombeds bidra med." in texts[0]
    assert "Formuläret är redan inskickat" in texts[1]
    assert Contribution.objects.filter(document=document).count() == 1
    assert document.consultations.count() == 1
