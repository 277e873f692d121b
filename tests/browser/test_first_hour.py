"""A new municipality's first hour, in the browser, on a fresh instance (no demo data):
`tryggnav migrate`, `tryggnav setup --municipality 0126 --admin …`, then the admin
accepts the printed invitation, creates two organisations and a collaboration group with
members and areas, invites a reporter who files a report, and the group's coordinator
(the admin of the lead organisation) sees it in review. The admin pages pass axe.

Huddinge's two areas are made up for the test (two squares) and imported with
`tryggnav import_areas`, as a municipality would import its own.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.browser_fixtures import ROOT, _free_port, axe_violations

ADMIN = "admin@huddinge.example"
REPORTER = "rapportor@huddingehem.example"
PASSWORD = "Trygg-Huddinge-2026"
HUDDINGE = (59.2367, 17.9817)


def _square(lat: float, lon: float, half: float) -> list[list[list[float]]]:
    return [
        [
            [lon - half, lat - half],
            [lon + half, lat - half],
            [lon + half, lat + half],
            [lon - half, lat + half],
            [lon - half, lat - half],
        ]
    ]


def _areas_file(path):
    features = [
        {
            "type": "Feature",
            "properties": {"namn": name, "kod": code},
            "geometry": {"type": "Polygon", "coordinates": _square(lat, lon, 0.01)},
        }
        for name, code, (lat, lon) in [
            ("Huddinge centrum", "HC", HUDDINGE),
            ("Flemingsberg", "FB", (59.2190, 17.9460)),
        ]
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh instance: migrate, setup, the areas, a server. Yields (base, link)."""
    var = tmp_path_factory.mktemp("fresh")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not k.startswith("TRYGGNAV_")
    }
    env.update({"DEBUG": "1", "TRYGGNAV_VAR_DIR": str(var), "PYTHONUNBUFFERED": "1"})
    manage = [sys.executable, "-m", "tryggnav"]

    def run(*args: str) -> str:
        done = subprocess.run(
            manage + list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run("migrate", "--no-input", "-v", "0")
    output = run("setup", "--municipality", "0126", "--admin", ADMIN)
    link = re.search(r"https?://\S+/konto/inbjudan/\S+/", output)
    assert link, output
    areas = _areas_file(var / "huddinge.geojson")
    run(
        "import_areas", str(areas), "--municipality", "0126", "--kind", "kommundel",
        "--name-field", "namn", "--code-field", "kod",
    )  # fmt: skip
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
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/halsa/", timeout=1)  # noqa: S310 - loopback only
            break
        except OSError:
            time.sleep(0.2)
    # The printed link names SITE_URL; the path is what the browser opens here.
    yield base, re.sub(r"^https?://[^/]+", base, link.group(0))
    process.terminate()
    process.wait(timeout=10)
    log.close()


def _register(page, link: str, first: str, last: str) -> None:
    page.goto(link)
    page.fill("#id_first_name", first)
    page.fill("#id_last_name", last)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _create_organisation(page, base: str, name: str, kind: str) -> None:
    page.goto(f"{base}organisationer/")
    page.fill("#id_name", name)
    page.select_option("#id_kind", kind)
    page.click("text=Skapa organisation")
    assert page.get_by_role("link", name=name, exact=True).is_visible()


def _create_group(page, base: str) -> None:
    page.goto(f"{base}grupper/")
    page.fill("#id_name", "EST Huddinge centrum")
    page.select_option("#id_meeting_rhythm", "weekly")
    page.click("text=Skapa grupp")
    page.wait_for_url(re.compile(r".*/grupper/est-huddinge-centrum/$"))
    for name, weekly in (("Huddingehem AB", True), ("Polisen i Huddinge", False)):
        page.select_option("#add-member #id_organisation", label=name)
        page.set_checked("#add-member #id_reports_weekly", weekly)
        page.click("#add-member button[type=submit]")
    page.check("label:has-text('Huddinge centrum') input")
    page.click("text=Spara ansvarsområden")
    assert page.locator("td", has_text="Huddingehem AB").first.is_visible()
    assert page.locator("label:has-text('Huddinge centrum') input").is_checked()


def _invite_reporter(page, base: str) -> str:
    root = base.split("/administration/")[0]
    page.goto(f"{base}personer/")
    page.fill("#id_email", REPORTER)
    page.select_option("#id_organisation", label="Huddingehem AB")
    page.select_option("#id_role", "reporter")
    page.click("text=Skapa inbjudan")
    link = page.input_value("[data-invitation-link]")
    return re.sub(r"^https?://[^/]+", root, link)


def _file_report(page, base: str) -> None:
    page.goto(f"{base}/handelser/rapportera/")
    page.click("label.tile:has-text('Klotter')")
    page.select_option("#id_area", label="Huddinge centrum")
    page.fill("#id_text", "Nytt klotter på busshållplatsen vid stationen")
    page.click("text=Skicka rapporten")
    page.wait_for_load_state()
    assert "rapportera" not in page.url


def test_a_new_municipality_gets_going_in_the_browser(fresh, browser):
    base, admin_link = fresh
    started = time.perf_counter()
    admin = browser.new_context(locale="sv-SE", bypass_csp=True).new_page()
    _register(admin, admin_link, "Anna", "Admin")
    admin.goto(f"{base}/")
    admin.click("text=Administrera Huddinge")
    administration = admin.url  # /administration/<the municipality's organisation>/
    assert not axe_violations(admin)
    _create_organisation(admin, administration, "Huddingehem AB", "bostadsbolag")
    _create_organisation(admin, administration, "Polisen i Huddinge", "polis")
    assert not axe_violations(admin)
    _create_group(admin, administration)
    assert not axe_violations(admin)
    reporter_link = _invite_reporter(admin, administration)
    assert not axe_violations(admin)

    reporter = browser.new_context(locale="sv-SE", bypass_csp=True).new_page()
    _register(reporter, reporter_link, "Rut", "Rapportör")
    reporter.goto(f"{base}/")
    assert reporter.locator("a.button--large >> text=Rapportera").is_visible()
    _file_report(reporter, base)

    admin.goto(f"{base}/")
    admin.click("text=1 rapport väntar på granskning")
    assert admin.locator("text=Klotter").first.is_visible()
    assert admin.locator("text=Huddingehem AB").first.is_visible()
    elapsed = time.perf_counter() - started
    print(f"\nfirst hour in the browser: {elapsed:.1f} s")
    admin.context.close()
    reporter.context.close()
