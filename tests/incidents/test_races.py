"""Two coordinators at once: review, reject, merge and delete give one winner and a clear
"already handled by X at T" to the other; a report form sent twice creates one report.

The ``test_race_*`` tests run the requests in threads on PostgreSQL (tests/races.py);
the others check the same behaviour one request after the other, on any database.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.incidents.conftest import VALLINGBY, report
from tests.races import assert_rollup_consistent, race
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents import services
from tryggnav.incidents.models import Incident
from tryggnav.lib.errors import InputError
from tryggnav.organisations.models import ApiToken

DECISIONS = ["review", "reject", "merge", "delete"]


def _reviewed(world, **kwargs) -> Incident:
    """A report reviewed through the service, so that it counts in the rollup."""
    return services.incident_review(incident=report(world, **kwargs), by=world.user("admin"))


def _url(name: str, world, incident: Incident) -> str:
    return reverse(f"incidents:{name}", args=[world.group.slug, incident.public_id])


def _accept_data(incident: Incident) -> dict[str, str]:
    return {
        "category": str(incident.category_id),
        "occurred_from": timezone.localtime(incident.occurred_from).strftime("%Y-%m-%dT%H:%M"),
        "seen": incident.state_token,
    }


def _poster(client: Client, url: str, data: dict, **extra):
    return lambda: client.post(url, data, **extra)


def _decisions(incident: Incident):
    return AuditEntry.objects.filter(object_id=str(incident.public_id), action__in=DECISIONS)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# Races on PostgreSQL -------------------------------------------------------------------


def test_race_accept_and_reject_one_wins(pg_race, transactional_db, world, categories):
    incident = report(world)
    accept = _poster(
        world.fresh_client("coordinator"), _url("review_accept", world, incident),
        _accept_data(incident),
    )  # fmt: skip
    reject = _poster(
        world.fresh_client("admin"), _url("review_reject", world, incident),
        {"reason": "Gäller privat tomt", "seen": incident.state_token},
    )  # fmt: skip
    responses = race(accept, reject)
    assert sorted(r.status_code for r in responses) == [302, 409]
    incident.refresh_from_db()
    winner = _decisions(incident).get()
    assert incident.status == {"review": "reviewed", "reject": "rejected"}[winner.action]
    assert incident.reviewed_by_id == winner.actor_id
    loser = next(r for r in responses if r.status_code == 409)
    assert f"av {winner.actor.get_full_name()} kl." in _text(loser)
    assert_rollup_consistent()


def test_race_cross_merge_leaves_one_kept_report(pg_race, transactional_db, world, categories):
    x = _reviewed(world, text="Klotter på skolan", hours_ago=3)
    y = _reviewed(world, text="Klotter på skolans vägg", hours_ago=2)
    x_into_y = _poster(
        world.fresh_client("coordinator"), _url("review_merge", world, x),
        {"into": str(y.public_id), "seen": x.state_token},
    )  # fmt: skip
    y_into_x = _poster(
        world.fresh_client("admin"), _url("review_merge", world, y),
        {"into": str(x.public_id), "seen": y.state_token},
    )  # fmt: skip
    responses = race(x_into_y, y_into_x)
    assert sorted(r.status_code for r in responses) == [302, 409]
    x.refresh_from_db()
    y.refresh_from_db()
    merged, kept = (x, y) if x.status == "merged" else (y, x)
    assert merged.status == "merged" and merged.merged_into_id == kept.pk
    assert kept.status == "reviewed" and kept.merged_into_id is None
    assert AuditEntry.objects.filter(action="merge").count() == 1
    assert_rollup_consistent()


def test_race_four_identical_merges_one_entry(pg_race, transactional_db, world, categories):
    duplicate = _reviewed(world, hours_ago=3)
    kept = _reviewed(world, hours_ago=2)
    data = {"into": str(kept.public_id), "seen": duplicate.state_token}
    url = _url("review_merge", world, duplicate)
    personas = ["coordinator", "coordinator", "admin", "admin"]
    responses = race(*[_poster(world.fresh_client(p), url, data) for p in personas])
    assert sorted(r.status_code for r in responses) == [302, 409, 409, 409]
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into_id == kept.pk
    assert AuditEntry.objects.filter(action="merge").count() == 1
    assert_rollup_consistent()


def test_race_delete_and_accept_one_wins(pg_race, transactional_db, world, categories):
    incident = report(world)
    delete = _poster(
        world.fresh_client("reporter"), reverse("incidents:delete", args=[incident.public_id]), {}
    )
    accept = _poster(
        world.fresh_client("coordinator"), _url("review_accept", world, incident),
        _accept_data(incident),
    )  # fmt: skip
    race(delete, accept)
    assert _decisions(incident).count() == 1
    still = Incident.objects.filter(pk=incident.pk).first()
    winner = _decisions(incident).get().action
    assert (still is None) == (winner == "delete")
    assert still is None or still.status == "reviewed"
    assert_rollup_consistent()


def test_race_report_form_sent_three_times_creates_one(
    pg_race, transactional_db, world, categories
):
    data = {
        "group": world.group.slug,
        "category": str(categories["klotter"].pk),
        "when": "now",
        "lat": str(VALLINGBY[0]),
        "lon": str(VALLINGBY[1]),
        "precision": "exact",
        "text": "Nytt klotter på garageporten",
        "sharing": "group",
        "form_key": str(uuid.uuid4()),
    }
    client = world.fresh_client("reporter")
    responses = race(*[_poster(client, reverse("incidents:report"), data) for _ in range(3)])
    incident = Incident.objects.get()
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert {r["Location"] for r in responses} == {incident.get_absolute_url()}
    assert (
        AuditEntry.objects.filter(action="create", object_id=str(incident.public_id)).count() == 1
    )
    assert_rollup_consistent()


def test_race_api_same_idempotency_key_creates_one(pg_race, transactional_db, world, categories):
    _token, key = ApiToken.issue(user=world.users["reporter"], name="test")
    payload = {
        "group": world.group.slug,
        "category": "klotter",
        "occurred_from": "2026-01-02T21:30:00+01:00",
        "lat": VALLINGBY[0],
        "lon": VALLINGBY[1],
    }
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "phone-retry-1"}
    post = _poster(
        Client(headers=headers), "/api/v1/incidents", payload, content_type="application/json"
    )
    responses = race(post, post, post)
    assert sorted(r.status_code for r in responses) == [201, 409, 409]
    assert Incident.objects.count() == 1
    conflict = next(r for r in responses if r.status_code == 409).json()
    assert conflict["detail"][0]["field"] == "form_key"
    assert "redan" in conflict["detail"][0]["sv"] and "already" in conflict["detail"][0]["en"]


# One after the other, on any database ---------------------------------------------------


@pytest.mark.django_db
def test_second_decision_names_who_handled_it_and_when(world, categories):
    incident = report(world)
    seen = incident.state_token
    coordinator, admin = world.client("coordinator"), world.client("admin")
    data = {**_accept_data(incident), "seen": seen}
    assert coordinator.post(_url("review_accept", world, incident), data).status_code == 302
    incident.refresh_from_db()
    stamp = timezone.localtime(incident.reviewed_at).strftime("%Y-%m-%d %H:%M")
    late = admin.post(_url("review_reject", world, incident), {"reason": "Fel", "seen": seen})
    assert late.status_code == 409
    assert f"Rapporten är redan granskad av Cecilia Samordnare kl. {stamp}." in _text(late)
    in_english = admin.post(
        _url("review_reject", world, incident),
        {"reason": "Fel", "seen": seen},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert f"The report was already reviewed by Cecilia Samordnare at {stamp}." in _text(in_english)
    incident.refresh_from_db()
    assert incident.status == "reviewed" and _decisions(incident).count() == 1
    # Seen as reviewed, the report can still be rejected on purpose.
    fresh = {"reason": "Fel", "seen": incident.state_token}
    assert admin.post(_url("review_reject", world, incident), fresh).status_code == 302


@pytest.mark.django_db
def test_the_same_decision_twice_is_one_decision(world, categories):
    incident = report(world)
    data = _accept_data(incident)
    client = world.client("coordinator")
    assert client.post(_url("review_accept", world, incident), data).status_code == 302
    assert client.post(_url("review_accept", world, incident), data).status_code == 409
    assert _decisions(incident).count() == 1
    assert_rollup_consistent()


@pytest.mark.django_db
def test_merge_refuses_itself_chains_and_cycles(world, categories):
    x = _reviewed(world, hours_ago=3)
    y = _reviewed(world, hours_ago=2)
    z = _reviewed(world, hours_ago=1)
    client = world.client("coordinator")

    def merge(incident, into):
        return client.post(_url("review_merge", world, incident), {"into": str(into.public_id)})

    itself = merge(x, x)
    assert itself.status_code == 400 and "inte slås ihop med sig själv" in _text(itself)
    assert merge(x, y).status_code == 302
    cycle = merge(y, x)
    assert cycle.status_code == 409
    assert "Rapporten som behålls är redan sammanslagen med en annan av Cecilia" in _text(cycle)
    assert merge(z, x).status_code == 409  # no chain through a merged report
    again = merge(x, z)
    assert again.status_code == 409 and "Rapporten är redan sammanslagen" in _text(again)
    for incident in (x, y, z):
        incident.refresh_from_db()
    assert (x.status, x.merged_into_id) == ("merged", y.pk)
    assert (y.status, y.merged_into_id) == ("reviewed", None)
    assert (z.status, z.merged_into_id) == ("reviewed", None)
    assert AuditEntry.objects.filter(action="merge").count() == 1
    assert_rollup_consistent()


@pytest.mark.django_db
def test_delete_after_review_or_delete_names_who(world, categories):
    reviewed = report(world)
    services.incident_review(incident=reviewed, by=world.user("coordinator"))
    client = world.client("reporter")
    response = client.post(reverse("incidents:delete", args=[reviewed.public_id]), follow=True)
    assert "Rapporten är redan granskad av Cecilia Samordnare kl." in _text(response)
    assert Incident.objects.filter(pk=reviewed.pk).exists()
    gone = report(world)
    stale = Incident.objects.get(pk=gone.pk)
    services.incident_delete(incident=gone, by=world.user("reporter"))
    with pytest.raises(InputError) as raised:
        services.incident_review(incident=stale, by=world.user("coordinator"))
    assert "Rapporten är redan borttagen av Rut Rapportör kl." in str(raised.value)
    assert_rollup_consistent()


def _report_data(world, categories, **extra) -> dict[str, str]:
    data = {
        "group": world.group.slug,
        "category": str(categories["klotter"].pk),
        "when": "now",
        "lat": str(VALLINGBY[0]),
        "lon": str(VALLINGBY[1]),
        "precision": "exact",
        "text": "Nytt klotter på garageporten",
        "sharing": "group",
    }
    return {**data, **extra}


@pytest.mark.django_db
def test_report_form_carries_a_fresh_key_and_a_second_send_finds_the_first(world, categories):
    client = world.client("reporter")
    keys = [
        re.search(
            r'name="form_key" value="([^"]+)"', _text(client.get(reverse("incidents:report")))
        )
        for _ in range(2)
    ]
    assert keys[0] and keys[1] and keys[0].group(1) != keys[1].group(1)
    data = _report_data(world, categories, form_key=keys[0].group(1))
    first = client.post(reverse("incidents:report"), data)
    second = client.post(reverse("incidents:report"), data, follow=True)
    incident = Incident.objects.get()
    assert first["Location"] == incident.get_absolute_url()
    assert second.redirect_chain[-1][0] == incident.get_absolute_url()
    assert "Formuläret är redan inskickat" in _text(second)
    # Another form (another key) is another report.
    other = _report_data(world, categories, form_key=keys[1].group(1))
    assert client.post(reverse("incidents:report"), other).status_code == 302
    assert Incident.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_report_does_not_use_up_its_key(world, categories):
    client = world.client("reporter")
    key = str(uuid.uuid4())
    refused = _report_data(world, categories, form_key=key, lat="", lon="")
    assert client.post(reverse("incidents:report"), refused).status_code == 200
    assert not Incident.objects.exists()
    assert client.post(reverse("incidents:report"), _report_data(world, categories, form_key=key))
    assert Incident.objects.count() == 1


@pytest.mark.django_db
def test_api_idempotency_key_second_request_is_409(world, categories):
    _token, key = ApiToken.issue(user=world.users["reporter"], name="test")
    payload = {
        "group": world.group.slug,
        "category": "klotter",
        "occurred_from": "2026-01-02T21:30:00+01:00",
        "lat": VALLINGBY[0],
        "lon": VALLINGBY[1],
    }

    def post(**headers):
        client = Client(headers={"Authorization": f"Bearer {key}", **headers})
        return client.post("/api/v1/incidents", payload, content_type="application/json")

    assert post(**{"Idempotency-Key": "retry-7"}).status_code == 201
    again = post(**{"Idempotency-Key": "retry-7"})
    assert again.status_code == 409
    assert again.json()["detail"][0]["en"].startswith("The form was already sent")
    assert post(**{"Idempotency-Key": "x" * 65}).status_code == 422
    # Without a key every request creates (clients that do not send one are unchanged).
    assert post().status_code == 201 and post().status_code == 201
    assert Incident.objects.count() == 3
