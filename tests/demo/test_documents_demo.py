"""The demo's statutory documents of Huddinge: decided lägesbild 2025 with contributions
and a consultation, a decided åtgärdsplan on it, a 2026 draft with a missing
contribution on the coordinator's start page; idempotent, labelled, and no mail."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from tryggnav.demo import documents, foundation
from tryggnav.documents.models import Contribution, Kind, LawDocument, Status


def test_huddinges_documents_in_the_demo(db, client):
    foundation.load()
    documents.load()
    assert documents.load() == ["Lagens dokument (demo): fanns redan."]
    lagesbild = LawDocument.objects.get(title="Lägesbild Huddinge 2025")
    assert (lagesbild.status, lagesbild.is_demo) == (Status.DECIDED, True)
    parties = {c.organisation.slug: c.is_done for c in lagesbild.contributions.all()}
    assert parties == {"lpo-huddinge": True, "huge-bostader": True}
    assert lagesbild.consultations.get().organisation.slug == "lpo-huddinge"
    plan = LawDocument.objects.get(kind=Kind.ACTION_PLAN)
    assert (plan.based_on, plan.status) == (lagesbild, Status.DECIDED)
    draft = LawDocument.objects.get(title="Lägesbild Huddinge 2026")
    missing = Contribution.objects.filter(document=draft, done_at__isnull=True)
    assert [c.organisation.slug for c in missing] == ["huge-bostader"]
    assert mail.outbox == []
    client.force_login(lagesbild.created_by)
    home = client.get(reverse("organisations:home")).content.decode()
    assert "Bidrag saknas från Huge Bostäder AB" in home
    assert "ska beslutas senast" in home
    page = client.get(lagesbild.get_absolute_url()).content.decode()
    assert "Demo" in page and "Genererad demotext" in page
