"""The lägesbild's figures, versions and diff, the lock after decision and its audit."""

from __future__ import annotations

import datetime

import pytest

from tests.documents import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.documents import render, services
from tryggnav.documents.figures import load_lagesbild
from tryggnav.documents.models import LawDocument, Status


def test_lagesbild_freezes_the_whole_municipalitys_figures_by_source(world):
    f.counts(world, police=10, partner=4)
    document = f.lagesbild(world)
    figures = load_lagesbild(document.figures)
    assert figures.police[-1].now == 10  # the total of the police feed
    assert [(p.group, p.now) for p in figures.partners] == [("EST Test", 4)]
    f.counts(world, police=5, partner=1, week=datetime.date(2025, 4, 7))
    document.refresh_from_db()
    assert load_lagesbild(document.figures).police[-1].now == 10  # frozen


def test_new_version_reads_again_and_the_diff_names_the_change(world):
    f.counts(world, police=10, partner=4)
    first = f.lagesbild(world)
    services.document_update_texts(
        document=first, texts={"analys": "Skadegörelsen ökar."}, by=world.user("coordinator")
    )
    first.refresh_from_db()
    f.counts(world, police=7, partner=0, week=datetime.date(2025, 5, 5))
    second = services.document_regenerate(document=first, by=world.user("coordinator"))
    first.refresh_from_db()
    assert (second.number, second.series) == (2, first.series)
    assert first.status == Status.SUPERSEDED  # a draft is replaced at once
    assert second.texts["analys"] == "Skadegörelsen ökar."
    changes = {(c.label, c.old, c.new) for c in render.diff_versions(first, second)}
    assert ("Polisen: Totalt", "10", "17") in changes
    assert not any(c.label == "Text" for c in render.diff_versions(first, second))


def test_only_the_latest_version_makes_a_new_one(world):
    first = f.lagesbild(world)
    services.document_regenerate(document=first, by=world.user("coordinator"))
    with pytest.raises(services.Conflict):
        services.document_regenerate(document=first, by=world.user("coordinator"))


def test_decided_version_is_locked_in_the_service_and_audited(world):
    document = f.decided(world)
    by = world.user("coordinator")
    assert document.status == Status.DECIDED
    for change in (
        lambda: services.document_update_texts(document=document, texts={"analys": "x"}, by=by),
        lambda: services.document_propose(document=document, proposal="y", by=by),
        lambda: services.contribution_invite(
            document=document, organisation=world.partner, asked="z", by=by
        ),
        lambda: services.consultation_record(
            document=document, held_on=datetime.date(2026, 1, 1), participants="p",
            summary="s", party_name="Polisen", by=by,
        ),
    ):  # fmt: skip
        with pytest.raises(services.Locked):
            change()
    document.refresh_from_db()
    assert document.texts == {} and document.contributions.count() == 0
    notes = list(
        AuditEntry.objects.filter(object_id=str(document.public_id)).values_list("action", "note")
    )
    assert ("create", "") in notes and ("update", "Beslutad") in notes


def test_decision_of_a_new_version_supersedes_the_decided_one(world):
    first = f.decided(world)
    by = world.user("coordinator")
    second = services.document_regenerate(document=first, by=by)
    first.refresh_from_db()
    assert first.status == Status.DECIDED  # in force until the new one is decided
    services.document_propose(document=second, proposal="Ny", by=by)
    services.document_decide(
        document=second, body="Kommunstyrelsen", decided_on=datetime.date(2026, 6, 1), by=by
    )
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert LawDocument.objects.filter(series=first.series, status=Status.DECIDED).count() == 1


def test_a_contribution_of_a_decided_version_is_locked(world):
    contribution = f.invited(world)
    by = world.user("coordinator")
    services.document_propose(document=contribution.document, proposal="p", by=by)
    services.document_decide(
        document=contribution.document, body="KS", decided_on=datetime.date(2026, 1, 1), by=by
    )
    with pytest.raises(services.Locked):
        services.contribution_write(
            contribution=contribution, text="sent", done=True, by=world.user("reporter")
        )
    contribution.refresh_from_db()
    assert contribution.text == ""


def test_the_document_renders_to_word_and_pdf_with_its_sections(world):
    f.counts(world)
    document = f.decided(world)
    result = render.as_document(document)
    headings = [b.text for b in result.blocks if type(b).__name__ == "Heading"]
    for title in ("Omfattning", "Utveckling över tid", "Platser och tider", "Konsekvenser",
                  "Annan relevant information", "Analys", "Källor och begränsningar"):  # fmt: skip
        assert title in headings
    assert "Beslutad av Kommunstyrelsen 2026-02-01, § 12, dnr KS-2026/1." in [
        getattr(b, "text", "") for b in result.blocks
    ]
