"""A safety walk on a phone (390 px) with a poor connection: points added while the
network is cut wait in the browser and are sent when it returns; none is lost and none
is stored twice, also when the server stored a point but its answer never arrived. The
rows are counted in the server's database. Every page passes axe-core."""

from __future__ import annotations

import io
import sqlite3

import pytest
from PIL import Image

from tests.browser_fixtures import axe_violations, login

pytestmark = pytest.mark.browser

COORDINATOR = "eva.lindqvist@huddinge.example"
WALK = "Kvällsvandring i Skogås centrum"
SKOGAS = {"latitude": 59.2183, "longitude": 18.1533}


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 40), "blue").save(out, format="JPEG")
    return out.getvalue()


def _count(tmp_path_factory) -> int:
    # The server's SQLite database, in the session's "var" directory.
    paths = sorted(
        {p.resolve() for p in tmp_path_factory.getbasetemp().glob("var*/tryggnav.sqlite3")}
    )
    assert len(paths) == 1, paths
    with sqlite3.connect(paths[0]) as db:
        sql = ("SELECT count(*) FROM inspections_walkpoint p JOIN inspections_walk w "
               "ON p.walk_id = w.id WHERE w.title = ?")  # fmt: skip
        return db.execute(sql, (WALK,)).fetchone()[0]


def _queued(page, n: int) -> None:
    page.wait_for_selector(f"#walk-queue-status[data-queued='{n}']", timeout=30000)


def _add(page, theme: str, note: str, *, here=False, tap=False, photo=False) -> None:
    page.check(f"input[name=theme][value={theme}]")
    page.check("input[name=unsafe][value='4']")
    page.fill("#id_note", note)
    if here:
        page.click("button:has-text('Här')")
        page.wait_for_function("document.getElementById('id_lat').value !== ''")
    if tap:
        page.click("#walk-record-map", position={"x": 120, "y": 90})
    if photo:
        page.set_input_files("#id_photo", {"name": "p.jpg", "mimeType": "image/jpeg",
                                           "buffer": _jpeg()})  # fmt: skip
    page.click("button:has-text('Spara punkt')")


def test_points_added_offline_are_sent_once_when_the_network_returns(server, browser,
                                                                    tmp_path_factory):  # fmt: skip
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE",
                                  bypass_csp=True, geolocation=SKOGAS,
                                  permissions=["geolocation"])  # fmt: skip
    page = context.new_page()
    login(page, server, COORDINATOR)
    page.goto(f"{server}/brister/vandringar/")
    assert axe_violations(page) == []
    page.click(f"a:has-text('{WALK}')")
    page.wait_for_selector(f"h1:has-text('{WALK}')")
    assert axe_violations(page) == []
    page.click("a:has-text('Lägg till punkter')")
    page.wait_for_selector("#walk-point-form[data-ready='1']")
    assert axe_violations(page) == []
    before = _count(tmp_path_factory)

    context.set_offline(True)
    _add(page, "klotter", "Nytt klotter på muren", here=True)
    _queued(page, 1)
    _add(page, "belysning", "Lampan vid trappan är släckt", tap=True)
    _queued(page, 2)
    _add(page, "dolda_horn", "Skrymsle bakom kiosken", photo=True)
    _queued(page, 3)
    assert page.locator("#walk-queue-list li").count() == 3
    assert _count(tmp_path_factory) == before
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    context.set_offline(False)
    _queued(page, 0)
    assert _count(tmp_path_factory) == before + 3
    # The queue is empty after a reload too, and a retry sends nothing again.
    page.reload()
    page.wait_for_selector("#walk-point-form[data-ready='1']")
    _queued(page, 0)
    page.wait_for_timeout(6000)
    assert _count(tmp_path_factory) == before + 3

    # The server stores a point but the answer is lost: the retry is stored once.
    lost = []

    def lose_first_answer(route):
        if not lost:
            lost.append(route.fetch().status)
            route.abort()
        else:
            route.continue_()

    page.route("**/punkter/", lose_first_answer)
    _add(page, "skrap", "Glas vid bänken", here=True)
    # The queue shows 0 before the point is queued too: wait for the lost answer first.
    for _ in range(60):
        if lost:
            break
        page.wait_for_timeout(500)
    _queued(page, 0)
    assert lost == [201]
    assert _count(tmp_path_factory) == before + 4
    context.close()


def test_coordinator_draws_a_route_and_plans_a_walk(server, browser, tmp_path_factory):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE",
                                  bypass_csp=True)  # fmt: skip
    page = context.new_page()
    login(page, server, COORDINATOR)
    page.goto(f"{server}/brister/vandringar/")
    page.click("a:has-text('Planera en vandring (Huddinge kommun)')")
    page.wait_for_selector("#walk-route-map[data-loaded]")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_title", "Vandring längs Huddingevägen")
    page.select_option("#id_area", label="Flemingsberg")
    page.fill("#id_date", "2026-12-10")
    page.check("label:has-text('Huge Bostäder AB') input")
    for x, y in ((60, 80), (120, 120), (200, 160)):
        page.click("#walk-route-map", position={"x": x, "y": y})
    page.click("[data-route-undo]")
    assert page.inner_text("[data-route-status]").startswith("2 ")
    page.click("button:has-text('Planera vandringen')")
    page.wait_for_selector("h1:has-text('Vandring längs Huddingevägen')")
    assert page.is_visible("text=Vandringen är planerad.")
    assert axe_violations(page) == []
    paths = {p.resolve() for p in tmp_path_factory.getbasetemp().glob("var*/tryggnav.sqlite3")}
    with sqlite3.connect(paths.pop()) as db:
        route = db.execute("SELECT route FROM inspections_walk WHERE title = ?",
                           ("Vandring längs Huddingevägen",)).fetchone()[0]  # fmt: skip
    assert '"LineString"' in route and route.count("[") == 3  # two points
    context.close()
