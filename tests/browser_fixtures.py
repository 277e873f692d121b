"""Fixtures for browser tests (registered in tests/conftest.py as a plugin, so every
browser test in any folder shares one server and one browser per session).

Browser tests: a real server on a fresh SQLite database with the demo data, driven by
Playwright in Debian's chromium (/usr/bin/chromium), as a new user would meet it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "tests/browser/vendor/axe-core-4.14.1/axe.min.js"
DEMO_PASSWORD = "tryggnav-demo"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not k.startswith("TRYGGNAV_")
    }
    env.update({"DEBUG": "1", "TRYGGNAV_VAR_DIR": str(var), "PYTHONUNBUFFERED": "1"})
    manage = [sys.executable, "-m", "tryggnav"]
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["createcachetable"],
        ["load_demo", "--quiet-logins"],
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
    # Up to about two minutes: on a loaded machine the server's system checks alone take
    # longer than twenty seconds.
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{base}/halsa/", timeout=1)  # noqa: S310 - loopback only
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        raise RuntimeError((var / "server.log").read_text())
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True
    )  # to inject axe-core
    page = context.new_page()
    yield page
    context.close()


def login(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return result
