"""Create forms carry a one-time key: sent twice (a double click, a reload), they create
one object, and the second sending is shown what the first created."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.steering import factories as f
from tryggnav.organisations.models import FormSubmission
from tryggnav.programmes.models import Programme
from tryggnav.steering.models import Agreement, Problem

pytestmark = pytest.mark.django_db


def _key(page) -> str:
    found = re.search(r'name="form_key" value="([^"]+)"', page.content.decode())
    assert found, "the form has no one-time key"
    return found.group(1)


FORMS = [
    (
        "steering:agreement_create",
        lambda w: [w.group.slug],
        lambda w: {
            "kind": "avsiktsforklaring",
            "title": "Avsiktsförklaring 2025–2028",
            "starts": "2025-01-01",
            "ends": "2028-12-31",
            "party_organisations": [w.lead.pk, w.partner.pk],
        },
        lambda: Agreement.objects.filter(title="Avsiktsförklaring 2025–2028"),
    ),
    (
        "steering:problem_create",
        lambda w: [w.group.slug],
        lambda w: {"title": "Bränder i soprum", "areas": [a.pk for a in f.areas(w)]},
        lambda: Problem.objects.filter(title="Bränder i soprum"),
    ),
    (
        "programmes:programme_create",
        lambda w: [w.lead.slug],
        lambda w: {
            "kind": "program",
            "title": "Program för trygghet 2027–2030",
            "starts": "2027-01-01",
            "ends": "2030-12-31",
        },
        lambda: Programme.objects.filter(title="Program för trygghet 2027–2030"),
    ),
]


@pytest.mark.parametrize(("name", "args", "data", "created"), FORMS, ids=[x[0] for x in FORMS])
def test_create_form_sent_twice_creates_once(world, name, args, data, created):
    client = world.client("coordinator")
    url = reverse(name, args=args(world))
    payload = {**data(world), "form_key": _key(client.get(url))}
    first = client.post(url, payload)
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(url, payload, follow=True)
    assert second.redirect_chain[0][0] == first["Location"]
    assert "Formuläret är redan inskickat" in second.content.decode()
    assert created().count() == 1
    # A new form (a new key) creates again.
    payload["form_key"] = _key(client.get(url))
    assert client.post(url, payload).status_code == 302
    assert created().count() == 2


def test_keys_are_per_user(world):
    """Another user's key is no key of yours: both create."""
    url = reverse("steering:problem_create", args=[world.group.slug])
    payload = {"title": "Bränder i soprum", "areas": [a.pk for a in f.areas(world)]}
    payload["form_key"] = "shared-key"
    assert world.client("coordinator").post(url, payload).status_code == 302
    assert world.client("admin").post(url, payload).status_code == 302
    assert Problem.objects.filter(title="Bränder i soprum").count() == 2
    assert FormSubmission.objects.filter(key="shared-key").count() == 2
