"""The personal API token pages: a key is shown once and only its hash is kept, it
works at /api/v1/ until revoked, a name is required, a user has at most MAX_TOKENS,
and creation and revocation are audited without the key."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tryggnav.audit.models import AuditEntry
from tryggnav.organisations import token_views
from tryggnav.organisations.models import ApiToken

pytestmark = pytest.mark.django_db

KEY = re.compile(r"tn_[A-Za-z0-9_\-]{20,}")


def _create(world, persona: str, name: str):
    return world.client(persona).post(reverse("apitokens:create"), {"name": name})


def test_a_new_key_is_shown_once_kept_as_a_hash_and_works(world):
    response = _create(world, "reader", "Kartsystemet")
    assert response.status_code == 200
    keys = set(KEY.findall(response.content.decode()))
    assert len(keys) == 1
    key = keys.pop()
    token = ApiToken.objects.get(user=world.user("reader"))
    assert token.name == "Kartsystemet"
    assert token.key_hash == ApiToken.hash(key) and key not in token.key_hash
    assert token.prefix == key[3:11]
    listing = world.client("reader").get(reverse("apitokens:list")).content.decode()
    assert "Kartsystemet" in listing and key not in listing
    me = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == "reader@sdf.example"


def test_creation_is_audited_without_the_key_or_its_hash(world):
    response = _create(world, "reporter", "Fastighetssystem")
    key = KEY.search(response.content.decode()).group(0)
    token = ApiToken.objects.get(user=world.user("reporter"))
    entry = AuditEntry.objects.get(object_id=str(token.public_id), action="create")
    assert entry.changes == {"name": [None, "Fastighetssystem"], "prefix": [None, token.prefix]}
    dumped = repr(entry.changes) + entry.object_repr + entry.note
    assert key not in dumped and token.key_hash not in dumped


def test_a_key_needs_a_name(world):
    response = _create(world, "reader", "   ")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert not KEY.search(response.content.decode())


def test_no_more_than_max_tokens(world, monkeypatch):
    monkeypatch.setattr(token_views, "MAX_TOKENS", 2)
    assert _create(world, "reader", "Ett").status_code == 200
    assert _create(world, "reader", "Två").status_code == 200
    response = _create(world, "reader", "Tre")
    assert response.status_code == 400
    assert "Du har redan 2 nycklar" in response.content.decode()
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["Ett", "Två"]
    # Another user's tokens do not count.
    assert _create(world, "reporter", "Eget").status_code == 200


def test_the_limit_is_named_in_english(world, monkeypatch):
    monkeypatch.setattr(token_views, "MAX_TOKENS", 0)
    client = world.client("reader")
    client.post(reverse("set_language"), {"language": "en"})
    with translation.override("en"):
        response = client.post(reverse("apitokens:create"), {"name": "One"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "You already have 0 keys. Delete one first." in page


def test_a_revoked_key_no_longer_works_and_the_revocation_is_audited(world):
    key = KEY.search(_create(world, "reader", "Gammal").content.decode()).group(0)
    token = ApiToken.objects.get(user=world.user("reader"))
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/v1/me").status_code == 200
    response = world.client("reader").post(
        reverse("apitokens:revoke", args=[token.public_id]), follow=True
    )
    assert "Nyckeln Gammal togs bort." in response.content.decode()
    assert not ApiToken.objects.exists()
    assert api.get("/api/v1/me").status_code == 401
    entry = AuditEntry.objects.get(object_id=str(token.public_id), action="delete")
    assert entry.changes["name"] == ["Gammal", None]


def test_another_users_token_cannot_be_revoked(world):
    _create(world, "reporter", "Rapportörens")
    token = ApiToken.objects.get(user=world.user("reporter"))
    url = reverse("apitokens:revoke", args=[token.public_id])
    assert world.client("admin").post(url).status_code == 404
    assert world.client("reporter").get(url).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()
