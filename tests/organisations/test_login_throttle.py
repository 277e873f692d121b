"""Login throttling: counted atomically before the password is checked, per account and
address with growing delays, a known device let through, the owner told once."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, load_reference_data, make_user
from tryggnav.organisations.throttle import KNOWN_DEVICE_COOKIE

OWNER = "reader@sdf.example"
ATTACKER = "203.0.113.9"
HOME = "198.51.100.20"
WRONG = "Gissning-17!"


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves forward: the throttle reads timezone.now()."""

    class Clock:
        now = timezone.now()

        def advance(self, seconds: float) -> None:
            self.now += timedelta(seconds=seconds)

    current = Clock()
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


@pytest.fixture
def throttle_settings(settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 5
    settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS = 20
    settings.LOGIN_THROTTLE_ACCOUNT_ATTEMPTS = 20
    settings.LOGIN_THROTTLE_DELAY_SECONDS = 30
    settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS = 900
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
    return settings


def _login(client, username, password, address=ATTACKER):
    return client.post(
        reverse("organisations:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _known_device(world) -> Client:
    """The owner's own browser: logged in once from home, then logged out."""
    device = Client()
    assert _login(device, OWNER, PASSWORD, HOME).status_code == 302
    assert KNOWN_DEVICE_COOKIE in device.cookies
    device.post(reverse("organisations:logout"), REMOTE_ADDR=HOME)
    return device


def test_wrong_passwords_in_a_row_are_evaluated_up_to_the_limit(world, client, throttle_settings):
    statuses = [_login(client, OWNER, WRONG).status_code for _ in range(40)]
    assert statuses.count(200) == 5
    assert statuses[5:] == [429] * 35


@pytest.fixture
def reference_data_restored(django_db_blocker):
    """A test on committed data ends with a flush of every table; the reference
    geography the other tests on this worker expect is loaded again afterwards."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes the database write lock for each transaction, so parallel "
    "attempts run one at a time there; the sequential test covers SQLite",
)
def test_parallel_wrong_passwords_are_evaluated_at_most_up_to_the_limit(
    reference_data_restored, transactional_db, throttle_settings
):
    make_user(OWNER)
    parallel = 40
    barrier = threading.Barrier(parallel)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        client = Client()
        try:
            barrier.wait(timeout=60)
            statuses.append(_login(client, OWNER, WRONG).status_code)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=attempt) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(statuses) == parallel
    assert statuses.count(200) == 5, statuses
    assert statuses.count(429) == parallel - 5


def test_an_attacker_does_not_lock_the_owner_out(world, throttle_settings, clock):
    device = _known_device(world)
    attacker = Client()
    for _ in range(30):
        _login(attacker, OWNER, WRONG, ATTACKER)
    assert _login(attacker, OWNER, WRONG, ATTACKER).status_code == 429
    # From her own browser, even at the attacker's address (a shared office network).
    assert _login(device, OWNER, PASSWORD, ATTACKER).status_code == 302
    # And from a new browser at another address.
    assert _login(Client(), OWNER, PASSWORD, "192.0.2.44").status_code == 302


def test_a_known_device_does_not_help_with_a_wrong_password(world, throttle_settings, clock):
    device = _known_device(world)
    statuses = [_login(device, OWNER, WRONG, ATTACKER).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3


def test_a_known_device_counts_only_for_its_own_user(world, throttle_settings, clock):
    device = _known_device(world)
    for _ in range(5):
        _login(Client(), "admin@sdf.example", WRONG, ATTACKER)
    # The reader's device cookie does not let anyone past the admin's throttle.
    assert _login(device, "admin@sdf.example", PASSWORD, ATTACKER).status_code == 429


def test_an_address_trying_many_accounts_is_slowed(world, throttle_settings, clock):
    device = _known_device(world)
    attacker = Client()
    for number in range(20):
        assert _login(attacker, f"guess{number}@sdf.example", WRONG).status_code == 200
    # A fresh account name is held back too: the address has used up its attempts.
    assert _login(attacker, "coordinator@sdf.example", PASSWORD).status_code == 429
    # Slowed, not blocked: after the delay one more attempt is evaluated.
    clock.advance(31)
    assert _login(attacker, "guess-late@sdf.example", WRONG).status_code == 200
    assert _login(attacker, "guess-later@sdf.example", WRONG).status_code == 429
    # The colleague on her known device behind the same address gets in.
    assert _login(device, OWNER, PASSWORD, ATTACKER).status_code == 302


def test_delays_grow_per_failure_up_to_the_cap(world, client, throttle_settings, clock):
    for _ in range(5):
        assert _login(client, OWNER, WRONG).status_code == 200
    waits = []
    for _ in range(7):
        blocked = _login(client, OWNER, WRONG)
        assert blocked.status_code == 429
        waits.append(int(blocked["Retry-After"]))
        clock.advance(waits[-1] - 1)
        assert _login(client, OWNER, WRONG).status_code == 429
        clock.advance(1)
        assert _login(client, OWNER, WRONG).status_code == 200
    assert waits == [30, 60, 120, 240, 480, 900, 900]


def test_counters_start_over_after_a_quiet_window(world, client, throttle_settings, clock):
    for _ in range(5):
        _login(client, OWNER, WRONG)
    clock.advance(30 + 900)
    assert [_login(client, OWNER, WRONG).status_code for _ in range(6)] == [200] * 5 + [429]


def test_a_successful_login_clears_the_account_counters(world, throttle_settings, clock):
    for _ in range(4):
        _login(Client(), OWNER, WRONG)
    assert _login(Client(), OWNER, PASSWORD).status_code == 302
    assert [_login(Client(), OWNER, WRONG).status_code for _ in range(5)] == [200] * 5


def test_the_owner_is_mailed_once_per_episode_in_swedish_and_english(
    world, throttle_settings, clock
):
    for address in (ATTACKER, "203.0.113.10", "203.0.113.11"):
        for _ in range(8):
            _login(Client(), OWNER, WRONG, address)
            clock.advance(1)
    assert [message.to for message in mail.outbox] == [[OWNER]]
    body = mail.outbox[0].body
    assert "misslyckade inloggningar" in body and "failed logins" in body
    assert ATTACKER in body
    assert WRONG not in body
    # A new episode, after a quiet spell, is told again.
    clock.advance(2 * 900 + 60)
    for _ in range(5):
        _login(Client(), OWNER, WRONG, ATTACKER)
    assert len(mail.outbox) == 2


def test_an_unknown_account_is_throttled_the_same_and_nobody_is_mailed(
    world, client, throttle_settings
):
    statuses = [_login(client, "nobody@sdf.example", WRONG).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert mail.outbox == []


def test_the_client_address_comes_from_the_trusted_proxy(world, throttle_settings, settings):
    settings.TRYGGNAV_PROXY_COUNT = 1

    def attempt(forwarded_for):
        return Client().post(
            reverse("organisations:login"),
            {"username": OWNER, "password": WRONG},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for _ in range(5):
        attempt(f"10.9.9.9, {ATTACKER}")
    # The attacker cannot choose the address by sending a header of its own.
    assert attempt(f"10.1.1.1, {ATTACKER}").status_code == 429
    # Another client behind the same proxy is counted on its own.
    assert attempt(HOME).status_code == 200


def test_a_new_password_lets_the_owner_in_where_she_was_held_back(world, client, throttle_settings):
    for _ in range(5):
        _login(client, OWNER, WRONG)
    assert _login(client, OWNER, PASSWORD).status_code == 429
    client.post(reverse("organisations:password_reset"), {"email": OWNER})
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "helt-nytt-losen-77", "new_password2": "helt-nytt-losen-77"}
    )
    assert _login(client, OWNER, "helt-nytt-losen-77").status_code == 302


def test_an_ipv6_client_is_counted_by_its_64_network(world, throttle_settings):
    for host in range(5):
        _login(Client(), OWNER, WRONG, f"2001:db8:1:2::{host + 1}")
    assert _login(Client(), OWNER, PASSWORD, "2001:db8:1:2::ff").status_code == 429
    assert _login(Client(), OWNER, PASSWORD, "2001:db8:1:3::1").status_code == 302
