"""The second factor: an admin who must have one is sent to enrolment and reaches no
other page; the QR page's key works in an authenticator (the codes here are computed
with RFC 6238 by the test itself); wrong codes are refused and throttled; recovery
codes work once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from datetime import timedelta

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tryggnav.audit.models import AuditEntry

ENROL = "/konto/tvastegs/ny/"
VERIFY = "/konto/tvastegs/"
SECRET = "3132333435363738393031323334353637383930"  # RFC 6238's test key


def totp(secret_hex: str, at: float | None = None) -> str:
    """RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits), written out for the test."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(secret_hex), struct.pack(">Q", counter), hashlib.sha1)
    raw = digest.digest()
    offset = raw[-1] & 0x0F
    code = (struct.unpack(">I", raw[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def test_totp_helper_matches_rfc_6238_test_vector():
    assert totp(SECRET, at=59) == "287082"  # RFC 6238 appendix B (8 digits: 94287082)


def log_in(email: str) -> Client:
    client = Client()
    answer = client.post("/konto/logga-in/", {"username": email, "password": PASSWORD})
    assert answer.status_code == 302
    return client


@pytest.fixture
def required(settings):
    settings.TRYGGNAV_OTP_REQUIRED_FOR_ADMINS = True


def test_a_required_admin_without_a_device_is_sent_to_enrolment(required, world):
    client = log_in("admin@sdf.example")
    for path in (f"/administration/{world.lead.slug}/", "/", f"/organisationer/{world.lead.slug}/"):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer["Location"].startswith(ENROL + "?next=")
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert "Som administratör behöver du tvåstegsverifiering" in page.content.decode()


def test_a_reader_is_not_asked_and_an_admin_is_not_when_the_setting_is_off(settings, world):
    settings.TRYGGNAV_OTP_REQUIRED_FOR_ADMINS = True
    assert log_in("reader@sdf.example").get("/").status_code == 200
    settings.TRYGGNAV_OTP_REQUIRED_FOR_ADMINS = False
    assert log_in("admin@sdf.example").get("/").status_code == 200


def _shown_secret(client: Client) -> str:
    html = client.get(ENROL).content.decode()
    shown = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1).replace(" ", "")
    return base64.b32decode(shown + "=" * (-len(shown) % 8)).hex()


def test_enrolment_with_the_shown_key_opens_the_admin_pages(required, world):
    client = log_in("admin@sdf.example")
    secret = _shown_secret(client)
    wrong = client.post(ENROL, {"code": "000000" if totp(secret) != "000000" else "111111"})
    assert wrong.status_code == 400 and "Koden stämmer inte" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=world.users["admin"]).exists()
    done = client.post(ENROL, {"code": totp(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=world.users["admin"], confirmed=True).key == secret
    assert client.get(f"/administration/{world.lead.slug}/").status_code == 200
    created = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, note="TOTP")
    assert secret not in str(created.changes)


def test_a_person_with_a_device_gives_a_code_at_login(world):
    admin = world.users["admin"]
    device = TOTPDevice.objects.create(user=admin, name="Tryggnav", key=SECRET, confirmed=True)
    client = log_in("admin@sdf.example")
    assert client.get("/")["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"code": "12345"})
    assert wrong.status_code == 400 and "Fel kod" in wrong.content.decode()
    # Right at once after a wrong one: the throttle holds it.
    throttled = client.post(VERIFY, {"code": totp(SECRET)})
    assert throttled.status_code == 429
    assert "För många felaktiga koder" in throttled.content.decode()
    assert client.get("/").status_code == 302
    # The throttle's second has passed.
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(seconds=5)
    device.save()
    passed = client.post(VERIFY + "?next=/organisationer/sdf/", {"code": totp(SECRET)})
    assert passed.status_code == 302 and passed["Location"] == "/organisationer/sdf/"
    assert client.get("/").status_code == 200
    failed = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, note="TOTP")
    assert failed.count() == 1


def test_a_recovery_code_works_once(required, world):
    client = log_in("admin@sdf.example")
    secret = _shown_secret(client)
    codes = re.findall(
        r"<code>([a-z2-7]+)</code>", client.post(ENROL, {"code": totp(secret)}).content.decode()
    )
    again = log_in("admin@sdf.example")
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert again.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    third = log_in("admin@sdf.example")
    assert third.post(VERIFY, {"code": codes[0]}).status_code == 400
