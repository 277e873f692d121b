"""Sign-in with OpenID Connect against a real provider (tests/oidc_provider, started by
tests/oidc_fixtures.py): the code flow end to end through the test client, a wrong
issuer and an expired ID token refused, claim rules that grant nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.oidc_fixtures import CALLBACK, follow_to_callback, oidc_environment
from tryggnav.audit.models import AuditEntry
from tryggnav.organisations import oidc
from tryggnav.organisations.claims import parse_rules
from tryggnav.organisations.models import Membership, Role

BACKENDS = [
    "tryggnav.organisations.auth.EmailBackend",
    "tryggnav.organisations.oidc.OidcBackend",
]


@pytest.fixture
def configured(settings, oidc_provider, world):
    rules = "domain=sdf.example -> sdf; group=tryggnav-admin -> sdf:admin"
    environment = oidc_environment(oidc_provider, rules)
    settings.TRYGGNAV_OIDC_ISSUER = environment["TRYGGNAV_OIDC_ISSUER"]
    settings.TRYGGNAV_OIDC_NAME = environment["TRYGGNAV_OIDC_NAME"]
    settings.OIDC_RP_CLIENT_ID = environment["TRYGGNAV_OIDC_CLIENT_ID"]
    settings.OIDC_RP_CLIENT_SECRET = environment["TRYGGNAV_OIDC_CLIENT_SECRET"]
    settings.TRYGGNAV_OIDC_RULES = parse_rules(rules)
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    oidc.discovery_forget()
    oidc_provider.knobs()
    yield oidc_provider
    oidc_provider.knobs()
    oidc.discovery_forget()


def sign_in(provider, username: str, client: Client | None = None):
    """The code flow: Tryggnav sends the browser to the provider, the person (logged in
    there) is sent back with a code, Tryggnav exchanges it; the callback's answer."""
    client = client or Client()
    start = client.get("/konto/oidc/logga-in/")
    assert start.status_code == 302
    assert start["Location"].startswith(provider.issuer + "/authorize/")
    callback = follow_to_callback(provider.session(username), start["Location"])
    return client, client.get(callback)


def test_first_login_creates_a_reader_of_the_organisation_the_domain_maps_to(configured, world):
    client, answer = sign_in(configured, "vera")
    assert answer.status_code == 302 and answer["Location"] == "/"
    membership = Membership.objects.get(user__email="vera.vidh@sdf.example")
    assert (membership.organisation, membership.role) == (world.lead, Role.READER)
    assert membership.user.first_name == "Vera" and not membership.user.has_usable_password()
    assert client.get("/").status_code == 200  # logged in
    login = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, actor=membership.user)
    assert login.get().note == "OpenID Connect (Testkommunens inloggning)"
    # A second login finds the same person and changes nothing.
    sign_in(configured, "vera")
    assert Membership.objects.filter(user__email="vera.vidh@sdf.example").count() == 1


def test_a_group_rule_grants_more_than_the_domain_rule(configured, world):
    sign_in(configured, "adam")
    membership = Membership.objects.get(user__email="adam.adler@sdf.example")
    assert membership.role == Role.ADMIN


def test_an_existing_account_keeps_its_role_an_admin_set_higher(configured, world):
    Membership.objects.filter(user=world.users["coordinator"]).update(role=Role.COORDINATOR)
    world.users["coordinator"].email = "vera.vidh@sdf.example"
    world.users["coordinator"].save()
    sign_in(configured, "vera")
    assert Membership.objects.get(user=world.users["coordinator"]).role == Role.COORDINATOR


def test_claims_no_rule_grants_are_refused_with_a_message(configured, world):
    _client, answer = sign_in(configured, "nils")
    assert answer.status_code == 403
    assert "ger ingen behörighet i Tryggnav" in answer.content.decode()
    assert not Membership.objects.filter(user__email="nils@elsewhere.example").exists()
    refused = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert refused.changes["reason"] == "no_access"
    assert refused.actor_name == "nils@elsewhere.example"


def test_an_id_token_from_another_issuer_is_refused(configured, world):
    configured.knobs(issuer="http://127.0.0.1:1/not-the-issuer")
    client, answer = sign_in(configured, "vera")
    assert answer.status_code == 403
    assert "annan utfärdare (issuer)" in answer.content.decode()
    assert client.get("/").status_code == 302  # not logged in
    assert not Membership.objects.filter(user__email="vera.vidh@sdf.example").exists()
    assert AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED).changes["reason"] == (
        "issuer"
    )


def test_an_expired_id_token_is_refused(configured, world):
    configured.knobs(id_token_seconds=-3600)
    client, answer = sign_in(configured, "vera")
    assert answer.status_code == 403
    assert "hade gått ut" in answer.content.decode()
    assert client.get("/").status_code == 302
    assert not Membership.objects.filter(user__email="vera.vidh@sdf.example").exists()


def test_a_callback_this_browser_did_not_start_is_refused(configured, world):
    answer = Client().get(CALLBACK + "?code=made-up&state=made-up")
    assert answer.status_code == 403
    assert "avbröts" in answer.content.decode()


def test_the_login_page_offers_the_provider_only_when_configured(client, settings, configured):
    assert (
        "Logga in med Testkommunens inloggning" in client.get("/konto/logga-in/").content.decode()
    )
    settings.TRYGGNAV_OIDC_ISSUER = ""
    assert "Logga in med" not in client.get("/konto/logga-in/").content.decode()
    assert client.get("/konto/oidc/logga-in/").status_code == 404


def test_an_unreachable_provider_gives_a_message(configured, settings, world):
    settings.TRYGGNAV_OIDC_ISSUER = "http://127.0.0.1:9"
    answer = Client().get("/konto/oidc/logga-in/")
    assert answer.status_code == 403
    assert "svarar inte som väntat" in answer.content.decode()


def _provider_session_alive(provider, session) -> bool:
    """Whether the provider still knows the person: its authorize page asks for a login if not."""
    answer = session.get(
        f"{provider.base}/o/authorize/?response_type=code&client_id=x", allow_redirects=False
    )
    return not (answer.status_code == 302 and "/konto/logga-in/" in answer.headers["Location"])


def test_logout_ends_the_session_at_the_provider_too(configured, world):
    from urllib.parse import parse_qs, urlsplit

    from tests.oidc_fixtures import AFTER_LOGOUT

    provider_browser = configured.session("vera")
    start = Client()
    begin = start.get("/konto/oidc/logga-in/")
    callback = follow_to_callback(provider_browser, begin["Location"])
    assert start.get(callback).status_code == 302
    id_token = start.session["oidc_id_token"]
    assert _provider_session_alive(configured, provider_browser)

    answer = start.post("/konto/logga-ut/")
    assert answer.status_code == 302
    location = answer["Location"]
    end_session = oidc.discovery()["end_session_endpoint"]
    assert location.startswith(end_session + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [f"http://testserver{AFTER_LOGOUT}"]
    assert start.get("/").status_code == 302  # signed out of Tryggnav at once

    # The browser follows to the provider, which ends its session and sends it back.
    back = provider_browser.get(location, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:500]
    assert back.headers["Location"] == f"http://testserver{AFTER_LOGOUT}"
    assert not _provider_session_alive(configured, provider_browser)
    logout = AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGOUT, actor__email="vera.vidh@sdf.example"
    )
    assert logout.exists()


def test_a_password_login_logs_out_locally_only(configured, world):
    client = world.fresh_client("coordinator")
    answer = client.post("/konto/logga-ut/")
    assert answer.status_code == 302 and answer["Location"] == "/konto/logga-in/"


def test_an_unreachable_provider_does_not_stop_the_logout(configured, settings, world):
    client, answer = sign_in(configured, "vera")
    assert "oidc_id_token" in client.session
    oidc.discovery_forget()
    settings.TRYGGNAV_OIDC_ISSUER = "http://127.0.0.1:9/o"
    answer = client.post("/konto/logga-ut/")
    assert answer.status_code == 302 and answer["Location"] == "/konto/logga-in/"
    assert client.get("/").status_code == 302
