"""A real OpenID provider for the tests: tests/oidc_provider (django-oauth-toolkit) in
its own process on 127.0.0.1, one per test process, with a few people and Tryggnav as
its client. Registered in tests/conftest.py as a plugin."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
CLIENT_ID = "tryggnav-test"
CLIENT_SECRET = "tryggnav-test-secret-" + "s" * 20
CALLBACK = "/konto/oidc/svar/"
AFTER_LOGOUT = "/konto/logga-in/"
PASSWORD = "leverantor-losen"
# People at the provider: an employee of the lead organisation's domain, an admin by
# group, and someone whose claims no rule grants.
PEOPLE = [
    {
        "username": "vera",
        "email": "vera.vidh@sdf.example",
        "first_name": "Vera",
        "last_name": "Vidh",
    },
    {
        "username": "adam",
        "email": "adam.adler@sdf.example",
        "first_name": "Adam",
        "last_name": "Adler",
        "groups": ["tryggnav-admin"],
    },
    {"username": "nils", "email": "nils@elsewhere.example", "groups": ["ekonomi"]},
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    base: str
    directory: Path

    @property
    def issuer(self) -> str:
        return f"{self.base}/o"

    def knobs(self, **values) -> None:
        """Make the provider misbehave (validator.py), or behave again with none."""
        (self.directory / "knobs.json").write_text(json.dumps(values))

    def session(self, username: str) -> requests.Session:
        """A browser-like session logged in at the provider as ``username``."""
        session = requests.Session()
        url = f"{self.base}/konto/logga-in/"
        page = session.get(url, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text
        answer = session.post(
            url,
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": PASSWORD,
                "next": "/o/.well-known/openid-configuration",
            },
            headers={"Referer": url},
            timeout=10,
        )
        assert answer.ok and "issuer" in answer.text, answer.text
        return session


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    directory = tmp_path_factory.mktemp("oidc-provider")
    (directory / "people.json").write_text(
        json.dumps([{**person, "password": PASSWORD} for person in PEOPLE])
    )
    (directory / "client.json").write_text(
        json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                # Any port on 127.0.0.1 (RFC 8252), and the test client's host.
                "redirect_uris": [f"http://127.0.0.1{CALLBACK}", f"http://testserver{CALLBACK}"],
                # Where the provider sends the browser after an RP-initiated logout.
                "post_logout_redirect_uris": [f"http://testserver{AFTER_LOGOUT}"],
            }
        )
    )
    port = _free_port()
    log = open(directory / "provider.log", "w")  # noqa: SIM115 - open for the provider's life
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(directory), str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    # Its start (migrations, a new RSA key) takes seconds, more on a busy machine.
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(f"{base}/o/.well-known/openid-configuration", timeout=2)  # noqa: S310
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.terminate()
                pytest.fail(
                    "the test OpenID provider did not start: "
                    + (directory / "provider.log").read_text()
                )
            time.sleep(0.3)
    yield Provider(base=base, directory=directory)
    process.terminate()
    process.wait(timeout=10)
    log.close()


def oidc_environment(provider: Provider, rules: str) -> dict[str, str]:
    """The environment that configures Tryggnav to sign in with ``provider``."""
    return {
        "TRYGGNAV_OIDC_ISSUER": provider.issuer,
        "TRYGGNAV_OIDC_CLIENT_ID": CLIENT_ID,
        "TRYGGNAV_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "TRYGGNAV_OIDC_NAME": "Testkommunens inloggning",
        "TRYGGNAV_OIDC_RULES": rules,
    }


def follow_to_callback(session: requests.Session, authorize_url: str) -> str:
    """Follow the provider's redirects for a logged-in person until it sends the browser
    back to Tryggnav; the path and query of that callback."""
    url = authorize_url
    for _ in range(5):
        answer = session.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:2000]
        url = urljoin(url, answer.headers["Location"])
        if CALLBACK in url:
            return url[url.index(CALLBACK) :]
    raise AssertionError(f"the provider never sent the browser back: {url}")
