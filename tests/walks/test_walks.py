"""Safety walks through the pages: planning, points stored once per client key with
their photo's EXIF stripped, points becoming deficiencies routed by the rules or Brå
problems, the protocol in Word, PDF and on the public page without personal data, and
the figures for the law report."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.urls import reverse
from docx import Document as Docx
from PIL import Image

from tests.inspections.factories import LAT, LON, jpeg_with_exif
from tests.walks import factories as f
from tryggnav.audit.models import AuditEntry
from tryggnav.inspections import services, walks
from tryggnav.inspections.models import Deficiency, RoutingRule
from tryggnav.inspections.walk_figures import walk_figures
from tryggnav.inspections.walk_models import Walk, WalkPoint
from tryggnav.inspections.walk_protocol import protocol_document
from tryggnav.lib.documents import render_html
from tryggnav.lib.errors import InputError

FETCH = {"X-Requested-With": "fetch"}


def _plan(client, world, **extra):
    data = {"title": "Vandring runt torget", "area": f.vallingby().pk, "date": "2026-11-02",
            "themes": ["belysning", "dolda_horn"], "invited": [world.partner.pk],
            "residents_count": 4, "route": "[[17.87, 59.36], [17.872, 59.362], [17.88, 59.37]]",
            **extra}  # fmt: skip
    return client.post(reverse("inspections:walk_create", args=[world.lead.slug]), data)


def test_coordinator_plans_a_walk_with_route_themes_and_invited(world):
    response = _plan(world.client("coordinator"), world)
    walk = Walk.objects.get(title="Vandring runt torget")
    assert response.status_code == 302 and response.url == walk.get_absolute_url()
    assert walk.route == {"type": "LineString",
                          "coordinates": [[17.87, 59.36], [17.872, 59.362], [17.88, 59.37]]}  # fmt: skip
    assert walk.themes == ["belysning", "dolda_horn"] and walk.residents_count == 4
    assert list(walk.invited.all()) == [world.partner] and walk.organisation == world.lead
    assert AuditEntry.objects.filter(object_id=str(walk.public_id), action="create").exists()
    page = world.client("reporter").get(walk.get_absolute_url()).content.decode()
    assert "Vandring runt torget" in page and "Dolda hörn och skrymslen" in page


@pytest.mark.parametrize(
    ("route", "message"),
    [("[[17.87, 59.36]]", "mellan 2 och"), ("[[2.35, 48.85], [2.36, 48.86]]", "utanför Sverige"),
     ("inte json", "kunde inte läsas"), ('[["a", 1], [17, 59]]', "[lon, lat]")],
)  # fmt: skip
def test_a_bad_route_is_refused_with_a_message(world, route, message):
    response = _plan(world.client("coordinator"), world, route=route)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Walk.objects.exists()


def test_area_of_another_municipality_is_refused(world):
    from tryggnav.areas.models import Area

    square = [[[17.9, 59.2], [17.95, 59.2], [17.95, 59.25], [17.9, 59.2]]]
    other = Area.objects.create(municipality_id="0126", kind="kommundel", code="x", name="Annan",
                                geometry={"type": "Polygon", "coordinates": square},
                                min_lon=17.9, min_lat=59.2, max_lon=17.95, max_lat=59.25)  # fmt: skip
    with pytest.raises(InputError):
        walks.walk_create(by=world.user("coordinator"), organisation=world.lead, area=other,
                          date=datetime.date(2026, 1, 1), title="x", themes=["belysning"])  # fmt: skip


def _send(client, walk, key, **data):
    url = reverse("inspections:walk_point_add", args=[walk.public_id])
    return client.post(url, {"client_key": key, "theme": "klotter", **data}, headers=FETCH)


def test_a_point_sent_twice_is_stored_once(world):
    walk, key = f.walk(world), str(uuid.uuid4())
    client = world.client("reporter")
    first = _send(client, walk, key, note="Klotter på muren", unsafe="3", lat=LAT, lon=LON)
    again = _send(client, walk, key, note="Klotter på muren", unsafe="3", lat=LAT, lon=LON)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["point"] == again.json()["point"] and not again.json()["created"]
    assert WalkPoint.objects.filter(walk=walk).count() == 1
    point = WalkPoint.objects.get(client_key=key)
    assert (point.unsafe, point.lat, point.created_by) == (3, LAT, world.user("reporter"))
    assert AuditEntry.objects.filter(object_id=str(point.public_id), action="create").count() == 1
    # The same key on another walk is another point.
    other = f.walk(world, title="En annan vandring")
    assert _send(client, other, key).status_code == 201


def test_a_bad_point_gets_a_clear_answer(world):
    walk = f.walk(world)
    response = _send(world.client("reporter"), walk, str(uuid.uuid4()), theme="ingen", unsafe="9")
    assert response.status_code == 400
    fields = {d["field"] for d in response.json()["detail"]}
    assert fields == {"theme", "unsafe"} and not WalkPoint.objects.exists()
    half = _send(world.client("reporter"), walk, str(uuid.uuid4()), lat=LAT)
    assert half.status_code == 400 and not WalkPoint.objects.exists()


def test_without_the_script_the_form_posts_and_returns_to_the_page(world):
    walk = f.walk(world)
    url = reverse("inspections:walk_point_add", args=[walk.public_id])
    response = world.client("reporter").post(
        url, {"client_key": str(uuid.uuid4()), "theme": "skrap"}
    )
    assert response.status_code == 302
    assert response.url == reverse("inspections:walk_record", args=[walk.public_id])
    assert WalkPoint.objects.filter(theme="skrap").count() == 1


def test_the_photo_is_stored_without_exif(world):
    walk = f.walk(world)
    photo = jpeg_with_exif()
    assert b"PhoneMaker" in photo.getvalue()
    response = _send(world.client("reporter"), walk, str(uuid.uuid4()), photo=photo)
    assert response.status_code == 201
    point = WalkPoint.objects.get()
    data = point.photo.read()
    assert b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and not image.getexif()
    shown = world.client("reader").get(reverse("inspections:walk_point_photo",
                                                args=[walk.public_id, point.public_id]))  # fmt: skip
    assert shown.status_code == 200 and b"PhoneMaker" not in b"".join(shown.streaming_content)


def test_a_point_becomes_a_deficiency_routed_by_the_rules(world):
    RoutingRule.objects.create(municipality_id="0180", category="belysning", owner=world.partner)
    point = f.point(world, photo=True)
    url = reverse("inspections:walk_deficiencies", args=[point.walk.public_id])
    response = world.client("coordinator").post(url, {"points": [str(point.public_id)]})
    assert response.status_code == 302
    point.refresh_from_db()
    d = point.deficiency
    assert d is not None and (d.source, d.category, d.owner, d.routed_by) == (
        "vandring",
        "belysning",
        world.partner,
        "rule",
    )
    assert d.severity == 3 and d.lat == LAT and d.title.startswith("Belysning: Mörk gångväg")
    assert d.photo and b"PhoneMaker" not in d.photo.read()
    # Again: nothing new.
    world.client("coordinator").post(url, {"points": [str(point.public_id)]})
    assert Deficiency.objects.count() == 1


def test_points_become_deficiencies_in_bulk(world):
    walk = f.walk(world)
    points = [f.point(world, note=f"Punkt {n}", theme=t)
              for n, t in enumerate(["klotter", "dolda_horn", "skrap"])]  # fmt: skip
    url = reverse("inspections:walk_deficiencies", args=[walk.public_id])
    world.client("coordinator").post(url, {"points": [str(p.public_id) for p in points]})
    categories = sorted(Deficiency.objects.values_list("category", flat=True))
    assert categories == ["klotter", "sikt", "skrap"]
    assert WalkPoint.objects.filter(deficiency__isnull=True).count() == 0


def test_a_point_starts_a_bra_problem(world):
    point = f.point(world)
    url = reverse("inspections:walk_point_problem", args=[point.walk.public_id, point.public_id])
    response = world.client("coordinator").post(url)
    point.refresh_from_db()
    problem = point.problem
    assert response.status_code == 302 and response.url == problem.get_absolute_url()
    assert problem.organisation == world.lead and list(problem.areas.all()) == [f.vallingby()]
    assert "Mörk gångväg" in problem.title
    assert world.client("coordinator").get(response.url).status_code == 200


def _docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _fixed_point(world):
    point = f.point(world)
    d = walks.walk_point_to_deficiency(point=point, by=world.user("coordinator"))
    services.deficiency_route(deficiency=d, by=world.user("coordinator"), owner=world.partner)
    services.deficiency_fix(deficiency=d, by=world.user("reporter"), note="Ny lampa.")
    return point


def test_the_protocol_in_word_and_pdf_has_every_point_its_owner_and_status(world):
    _fixed_point(world)
    f.point(world, note="Skräp vid busshållplatsen", theme="skrap", unsafe=2)
    walk = f.walk(world)
    client = world.client("reader")
    word = client.get(reverse("inspections:walk_protocol", args=[walk.public_id, "docx"]))
    text = _docx_text(word.content)
    for expected in ("Protokoll från trygghetsvandring", "Mörk gångväg bakom skolan",
                     "Skräp vid busshållplatsen", "Testbostäder AB", "Åtgärdad", "Ingen brist",
                     "Vällingby", "2 punkter, varav 1 har blivit brister och 1 är åtgärdade."):  # fmt: skip
        assert expected in text, expected
    pdf = client.get(reverse("inspections:walk_protocol", args=[walk.public_id, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    html = render_html(protocol_document(walk))
    for expected in ("Mörk gångväg bakom skolan", "Testbostäder AB", "Åtgärdad"):
        assert expected in html
    assert (
        client.get(reverse("inspections:walk_protocol", args=[walk.public_id, "exe"])).status_code
        == 404
    )


def test_the_public_page_shows_no_personal_data(world):
    walk = f.walk(world, published=True)
    f.point(world, note="Ring Kalle på 070-123 45 67 eller kalle@example.se om lampan")
    f.point(world, note="Trasig lampa", photo=True)
    screened = f.point(world, note="Klotter vid porten", theme="klotter", photo=True,
                       public_photo=True)  # fmt: skip
    page = world.client("anonymous").get(reverse("inspections:walk_public", args=[walk.public_id]))
    text = page.content.decode()
    assert page.status_code == 200 and "Trasig lampa" in text and "Vällingby" in text
    assert "[telefon]" in text and "[e-post]" in text
    for personal in ("070-123", "kalle@example.se", "anna.berg@example.se", "Hyresgästföreningen",
                     "Cecilia", "Samordnare", "Rut", "Rapportör", "@"):  # fmt: skip
        assert personal not in text, personal
    # Only the screened photo is shown.
    assert text.count("<img") == 1
    assert str(screened.public_id) in text
    # The members' page keeps the note as written.
    inside = world.client("reader").get(walk.get_absolute_url()).content.decode()
    assert "070-123 45 67" in inside


def test_unpublished_and_foreign_walks_are_not_found(world):
    walk = f.walk(world)
    public = reverse("inspections:walk_public", args=[walk.public_id])
    assert world.client("anonymous").get(public).status_code == 404
    assert world.client("outsider").get(walk.get_absolute_url()).status_code == 404
    world.client("coordinator").post(reverse("inspections:walk_publish", args=[walk.public_id]),
                                     {"on": "on"})  # fmt: skip
    assert world.client("anonymous").get(public).status_code == 200
    world.client("coordinator").post(reverse("inspections:walk_publish", args=[walk.public_id]))
    assert world.client("anonymous").get(public).status_code == 404
    notes = AuditEntry.objects.filter(object_id=str(walk.public_id)).values_list("note", flat=True)
    assert {"publish", "unpublish"} <= set(notes)


def test_walk_figures_count_walks_points_by_theme_and_share_fixed(world):
    _fixed_point(world)
    f.point(world, note="Dolt hörn", theme="dolda_horn", unsafe=5)
    f.point(world, note="Mer mörker", unsafe=2)
    figures = walk_figures(municipality_id="0180", start=datetime.date(2026, 1, 1),
                           end=datetime.date(2026, 12, 31))  # fmt: skip
    assert (figures.walks, figures.points, figures.deficiencies, figures.fixed) == (1, 3, 1, 1)
    assert figures.share_fixed == 1.0
    by_theme = {t.theme: t for t in figures.by_theme}
    assert by_theme["belysning"].points == 2 and by_theme["belysning"].mean_unsafe == 3.0
    assert by_theme["dolda_horn"].points == 1 and by_theme["dolda_horn"].deficiencies == 0
    empty = walk_figures(municipality_id="0180", start=datetime.date(2025, 1, 1),
                         end=datetime.date(2025, 12, 31))  # fmt: skip
    assert (empty.walks, empty.points, empty.share_fixed) == (0, 0, None)
    other_area = walk_figures(municipality_id="0180", start=datetime.date(2026, 1, 1),
                              end=datetime.date(2026, 12, 31), area_ids=[0])  # fmt: skip
    assert other_area.walks == 0
