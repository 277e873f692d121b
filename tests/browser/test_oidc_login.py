"""Sign in with the municipality's OpenID provider in a real browser: Tryggnav (a real
server, configured by the environment as in production) sends chromium to the test
provider (tests/oidc_provider), the person logs in there and comes back logged in as a
reader of the organisation the rules give their e-mail domain; an admin by the groups
claim must first set up two-step verification. The login page, with the provider's
button and with a refusal, and the enrolment pages pass axe."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.browser_fixtures import ROOT, _free_port, axe_violations
from tests.oidc_fixtures import PASSWORD, oidc_environment
from tests.organisations.test_second_factor import totp

RULES = "domain=sdf.example -> huddinge-kommun; group=tryggnav-admin -> huddinge-kommun:admin"


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory, oidc_provider):
    var = tmp_path_factory.mktemp("oidc-var")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not k.startswith("TRYGGNAV_")
    }
    env.update({"DEBUG": "1", "TRYGGNAV_VAR_DIR": str(var), "PYTHONUNBUFFERED": "1"})
    env.update(oidc_environment(oidc_provider, RULES))
    env["TRYGGNAV_OTP_REQUIRED_FOR_ADMINS"] = "1"
    manage = [sys.executable, "-m", "tryggnav"]
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["setup", "--municipality", "0126", "--admin", "admin@huddinge.example"],
    ):
        subprocess.run(
            manage + args, cwd=ROOT, env=env, check=True, timeout=600, stdout=subprocess.DEVNULL
        )
    port = _free_port()
    log = open(var / "server.log", "w")  # noqa: SIM115 - kept open for the server's life
    process = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # longer on a busy machine
    while True:
        try:
            urllib.request.urlopen(f"{base}/halsa/", timeout=2)  # noqa: S310 - loopback only
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.terminate()
                raise RuntimeError((var / "server.log").read_text()) from None
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()


def _provider_login(page, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("text=Logga in hos leverantören")


def test_sign_in_through_the_provider_end_to_end(oidc_server, oidc_provider, page):
    oidc_provider.knobs()
    page.goto(f"{oidc_server}/konto/logga-in/")
    assert axe_violations(page) == []
    page.click("text=Logga in med Testkommunens inloggning")
    page.wait_for_url(f"{oidc_provider.base}/konto/logga-in/**")
    _provider_login(page, "vera")
    page.wait_for_url(f"{oidc_server}/")
    assert page.locator("text=Huddinge").first.is_visible()
    assert page.locator("text=Läsare").first.is_visible()


def test_a_person_no_rule_grants_sees_why_on_an_accessible_page(oidc_server, oidc_provider, page):
    oidc_provider.knobs()
    page.goto(f"{oidc_server}/konto/logga-in/")
    page.click("text=Logga in med Testkommunens inloggning")
    _provider_login(page, "nils")
    page.wait_for_url(f"{oidc_server}/konto/oidc/svar/**")
    alert = page.locator("[role=alert]")
    assert "ger ingen behörighet i Tryggnav" in alert.inner_text()
    assert axe_violations(page) == []


def test_an_admin_by_group_sets_up_two_step_verification_first(oidc_server, oidc_provider, page):
    oidc_provider.knobs()
    page.goto(f"{oidc_server}/konto/logga-in/")
    page.click("text=Logga in med Testkommunens inloggning")
    _provider_login(page, "adam")
    page.wait_for_url(f"{oidc_server}/konto/tvastegs/ny/**")
    assert page.locator("figure.qr svg").is_visible()
    assert axe_violations(page) == []
    shown = page.inner_text("figure.qr code").replace(" ", "")
    secret = base64.b32decode(shown + "=" * (-len(shown) % 8)).hex()
    page.fill("#id_code", totp(secret))
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Tvåstegsverifiering är aktiverad")
    assert page.locator(".recovery-codes li").count() == 10
    assert axe_violations(page) == []
    page.click("text=Fortsätt")
    page.wait_for_url(f"{oidc_server}/")
    assert page.locator("text=Administrera").first.is_visible()
