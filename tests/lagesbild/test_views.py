"""The lägesbild pages, the meeting loop and the exports, through HTTP."""

from __future__ import annotations

import datetime
import io
import json

import numpy as np
import pytest
from django.urls import reverse

from tests.lagesbild import factories
from tryggnav.audit.models import AuditEntry
from tryggnav.incidents import counts as rollup
from tryggnav.incidents.models import Incident
from tryggnav.lagesbild.models import Action, Meeting

pytestmark = pytest.mark.django_db
WEEK = "2025-W10"


@pytest.fixture
def spike(world):
    cats = factories.categories()
    factories.history(world, cats, year=2025, week=10, weeks=160, mean=2.0)
    for _ in range(14):
        factories.incident(
            world, category=cats["skadegorelse"], when=factories.at_week(2025, 10), window_hours=5
        )
    factories.incident(
        world,
        category=cats["brand"],
        when=factories.at_week(2025, 10),
        source=Incident.Source.POLICE_FEED,
        area_name=None,
        lat=59.33,
        lon=18.06,
        precision=Incident.Precision.MUNICIPALITY,
        external_id="p1",
        police_type="Brand",
    )
    rollup.rebuild()
    return cats


def test_page_shows_table_alert_summary_and_coverage(world, spike):
    response = world.client("reader").get(
        reverse("lagesbild:group", args=[world.group.slug]) + f"?vecka={WEEK}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lägesbild vecka 10 2025" in html
    assert "Skadegörelse i Vällingby: 14 händelser, över förväntat (övre gräns" in html
    assert 'class="badge badge--alert"' in html
    assert "Farrington (Noufaily 2013)" in html
    assert "Rapporteringstäckning" in html
    assert "Stockholm (hela kommunen)" in html
    # A reader cannot prepare the meeting.
    assert "Förbered veckomöte" not in html
    assert (
        "Förbered veckomöte"
        in world.client("coordinator")
        .get(reverse("lagesbild:group", args=[world.group.slug]) + f"?vecka={WEEK}")
        .content.decode()
    )


@pytest.mark.parametrize("query", ["vecka=2025-W60", "vecka=förra", "kalla=twitter"])
def test_bad_input_is_a_clear_message(world, query):
    response = world.client("reader").get(
        reverse("lagesbild:group", args=[world.group.slug]) + "?" + query
    )
    assert response.status_code == 400
    assert "Lägesbilden kunde inte visas" in response.content.decode()


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52"])
@pytest.mark.parametrize("name", ["lagesbild:group", "lagesbild:group_trend"])
def test_week_at_the_ends_of_the_calendar_is_a_clear_message(world, name, week):
    url = reverse(name, args=[world.group.slug])
    response = world.client("reader").get(url, {"vecka": week})
    assert response.status_code == 400
    assert "året ska vara mellan 1900 och 2100" in response.content.decode()


@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_export_of_a_week_at_the_ends_of_the_calendar_is_refused(world, fmt):
    url = reverse("lagesbild:municipality_export", args=["0180", fmt])
    assert world.client("reader").get(url, {"vecka": "0001-W01"}).status_code == 400


def test_meeting_of_a_week_at_the_ends_of_the_calendar_does_not_exist(world):
    url = reverse("lagesbild:meeting", args=[world.group.slug, "0001-W01"])
    assert world.client("coordinator").get(url).status_code == 404


def test_map_never_draws_imprecise_incidents_as_points(world, spike):
    data = (
        world.client("reader")
        .get(reverse("lagesbild:group_map", args=[world.group.slug]) + f"?vecka={WEEK}")
        .json()
    )
    layers = [f["properties"]["layer"] for f in data["features"]]
    assert layers.count("incident") == 14
    points = [f for f in data["features"] if f["properties"]["layer"] == "incident"]
    assert all(f["geometry"]["coordinates"] == [17.8717, 59.3632] for f in points)
    municipality = next(f for f in data["features"] if f["properties"]["layer"] == "municipality")
    assert municipality["properties"]["count"] == 1
    vallingby = next(f for f in data["features"] if f["properties"].get("name") == "Vällingby")
    assert vallingby["properties"]["count"] == 14


def test_group_map_frames_the_groups_areas_not_the_municipality(world, spike):
    from shapely.geometry import box, shape

    data = (
        world.client("reader")
        .get(reverse("lagesbild:group_map", args=[world.group.slug]) + f"?vecka={WEEK}")
        .json()
    )
    west, south, east, north = data["bbox"]
    frame = box(west, south, east, north)
    municipality = next(f for f in data["features"] if f["properties"]["layer"] == "municipality")
    areas = [shape(f["geometry"]) for f in data["features"] if f["properties"]["layer"] == "area"]
    assert areas and all(frame.buffer(1e-5).contains(a) for a in areas)
    assert frame.area < 0.5 * box(*shape(municipality["geometry"]).bounds).area
    whole = world.client("reader").get(
        reverse("lagesbild:municipality_map", args=["0180"]) + f"?vecka={WEEK}"
    )
    assert "bbox" not in whole.json()


def test_trend_page_draws_the_threshold(world, spike):
    url = reverse("lagesbild:group_trend", args=[world.group.slug])
    area = factories.area("Vällingby").pk
    response = world.client("reader").get(
        f"{url}?vecka={WEEK}&omrade={area}&kategori={spike['skadegorelse'].pk}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "övre gräns" in html and "data-vega-spec" in html


def test_municipality_page_and_json_export(world, spike):
    response = world.client("outsider").get(
        reverse("lagesbild:municipality_export", args=["0180", "json"]) + f"?vecka={WEEK}"
    )
    data = json.loads(response.content)
    assert data["week"] == WEEK
    assert data["municipality"]["code"] == "0180"
    assert data["group"] is None
    assert [(r["category"], r["count"]) for r in data["rows"]] == [("brand", 1)]
    assert data["police_types"][0]["police_type"] == "Brand"
    page = world.client("outsider").get(reverse("lagesbild:municipality", args=["0180"]))
    assert page.status_code == 200


def test_csv_and_xlsx_exports(world, spike):
    base = reverse("lagesbild:group_export", args=[world.group.slug, "csv"]) + f"?vecka={WEEK}"
    text = world.client("reader").get(base).content.decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.startswith("area_code;area_name;category")
    assert any(";14;" in row and ";True;" in row for row in rows)
    from openpyxl import load_workbook

    xlsx = world.client("reader").get(
        reverse("lagesbild:group_export", args=[world.group.slug, "xlsx"]) + f"?vecka={WEEK}"
    )
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.worksheets[0]["F1"].value == "count"


def test_word_and_pdf_exports_hold_the_table(world, spike):
    from docx import Document

    docx = world.client("reader").get(
        reverse("lagesbild:group_export", args=[world.group.slug, "docx"]) + f"?vecka={WEEK}"
    )
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Vällingby" in cells and "14" in cells and "Larm" in cells
    # The document leads with the signal, and the alert is the table's first row.
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs.index("Det viktigaste den här veckan") < paragraphs.index("Sammanfattning")
    assert any(p.startswith("Ovanligt många: Skadegörelse i Vällingby") for p in paragraphs)
    first_row = [c.text for c in document.tables[0].rows[1].cells]
    assert first_row[:3] == ["Vällingby", "Skadegörelse", "14"]
    pdf = world.client("reader").get(
        reverse("lagesbild:group_export", args=[world.group.slug, "pdf"]) + f"?vecka={WEEK}"
    )
    assert pdf.content.startswith(b"%PDF")


def _post(world, name, *args, data=None):
    return world.client("coordinator").post(
        reverse(f"lagesbild:{name}", args=[world.group.slug, *args]), data or {}
    )


def test_the_meeting_loop_carries_open_actions_over(world, spike):
    assert _post(world, "meeting_create", WEEK).status_code == 302
    meeting = Meeting.objects.get(group=world.group, iso_week=10)
    page = world.client("coordinator").get(meeting.get_absolute_url()).content.decode()
    assert "Skadegörelse" in page and "Ny åtgärd" in page
    _post(
        world,
        "action_create",
        WEEK,
        data={
            "what": "Extra rondering vid Vällingby torg",
            "organisation": world.partner.pk,
            "due": "2025-03-14",
            "area": factories.area("Vällingby").pk,
            "place_text": "",
        },
    )
    _post(
        world,
        "action_create",
        WEEK,
        data={
            "what": "Klottersanering",
            "organisation": world.lead.pk,
            "due": "2025-03-20",
            "area": "",
            "place_text": "Tunnelbanan",
        },
    )
    _post(
        world,
        "focus_create",
        WEEK,
        data={"kind": "hotspot", "area": "", "description": "Vällingby centrum"},
    )
    assert Action.objects.filter(meeting=meeting).count() == 2
    assert AuditEntry.objects.filter(object_type="lagesbild.action").count() == 2

    # Next week: both actions carry over; the first is overdue once its date has passed.
    _post(world, "meeting_create", "2025-W11")
    nxt = Meeting.objects.get(group=world.group, iso_week=11)
    html = world.client("reader").get(nxt.get_absolute_url()).content.decode()
    assert "Extra rondering vid Vällingby torg" in html and "Klottersanering" in html
    assert "Försenad" in html  # today is long after 2025-03-14
    assert "Vällingby centrum" in html  # last week's focus
    done = Action.objects.get(what="Klottersanering")
    _post(
        world,
        "action_update",
        "2025-W11",
        done.public_id,
        data={"status": "done", "outcome": "Sanerat"},
    )
    done.refresh_from_db()
    assert done.status == "done" and done.closed_meeting == nxt
    _post(world, "meeting_create", "2025-W12")
    html = (
        world.client("reader")
        .get(reverse("lagesbild:meeting", args=[world.group.slug, "2025-W12"]))
        .content.decode()
    )
    assert "Extra rondering" in html and "Klottersanering" not in html

    projector = world.client("reader").get(
        reverse("lagesbild:meeting_projector", args=[world.group.slug, "2025-W11"])
    )
    assert projector.status_code == 200 and b"projector" in projector.content


def test_minutes_as_word_and_pdf(world, spike):
    from docx import Document

    _post(world, "meeting_create", WEEK)
    _post(
        world,
        "action_create",
        WEEK,
        data={
            "what": "Belysning i gångtunneln",
            "organisation": world.lead.pk,
            "due": "2025-03-20",
            "area": "",
            "place_text": "Gångtunneln",
        },
    )
    docx = world.client("reader").get(
        reverse("lagesbild:meeting_minutes", args=[world.group.slug, WEEK, "docx"])
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    cells = [
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    ]
    assert "Minnesanteckningar" in text
    assert "Belysning i gångtunneln" in cells
    pdf = world.client("reader").get(
        reverse("lagesbild:meeting_minutes", args=[world.group.slug, WEEK, "pdf"])
    )
    assert pdf.content.startswith(b"%PDF")


def test_actions_need_a_member_organisation(world, spike):
    _post(world, "meeting_create", WEEK)
    response = _post(
        world,
        "action_create",
        WEEK,
        data={"what": "Något", "organisation": world.other.pk, "due": "2025-03-20"},
    )
    assert response.status_code == 302
    assert not Action.objects.exists()


def test_meeting_week_in_the_path_must_be_valid(world):
    response = world.client("reader").get(
        reverse("lagesbild:meeting", args=[world.group.slug, "2025-W99"])
    )
    assert response.status_code == 404


def test_default_week_is_the_last_completed(world):
    from tryggnav.incidents.weeks import IsoWeek

    response = world.client("reader").get(reverse("lagesbild:group", args=[world.group.slug]))
    last = IsoWeek.last_completed()
    assert f"Lägesbild vecka {last.week} {last.year}" in response.content.decode()
    assert datetime.date.today() > last.sunday


def test_weekday_hour_pattern_spreads_time_windows(world, spike):
    from tryggnav.incidents.weeks import IsoWeek
    from tryggnav.lagesbild import trends
    from tryggnav.lagesbild.picture import Filters, Scope

    result = trends.weekday_hour(
        scope=Scope.for_group(world.group), week=IsoWeek(2025, 10), filters=Filters()
    )
    wednesday = result.matrix[2]
    # 14 reports known only to lie within 12:00-17:00: 2.8 per hour. At 12:00 there are
    # also the police event and the history's reports (at noon) of the weeks before.
    before = Incident.objects.filter(
        occurred_from__date__gte=datetime.date(2025, 2, 10),
        occurred_from__date__lt=datetime.date(2025, 3, 3),
    ).count()
    assert wednesday[12] == pytest.approx(14 / 5 + 1 + before)
    assert wednesday[16] == pytest.approx(14 / 5)
    assert result.matrix.sum() == pytest.approx(result.n_events)
    assert wednesday[17] == pytest.approx(0)
    page = (
        world.client("reader")
        .get(reverse("lagesbild:group", args=[world.group.slug]) + f"?vecka={WEEK}")
        .content.decode()
    )
    assert "Veckodag och timme" in page and "aoristisk" in page


def _minutes_cells(world) -> list[str]:
    from docx import Document

    response = world.client("reader").get(
        reverse("lagesbild:meeting_minutes", args=[world.group.slug, "2025-W11", "docx"])
    )
    document = Document(io.BytesIO(response.content))
    return [c.text for t in document.tables for r in t.rows for c in r.cells]


def test_closing_a_meeting_freezes_its_minutes(world, spike):
    """The minutes of a closed meeting are the same at every download: an action that
    was on time on the meeting date is never 'FÖRSENAD' in them later, and actions
    changed or added after the closing do not alter them."""
    _post(world, "meeting_create", WEEK)
    _post(
        world,
        "action_create",
        WEEK,
        data={"what": "Belysning", "organisation": world.lead.pk, "due": "2025-03-20"},
    )
    _post(world, "meeting_create", "2025-W11")
    meeting = Meeting.objects.get(group=world.group, iso_week=11)
    closed = _post(
        world,
        "meeting_update",
        "2025-W11",
        data={"status": "held", "notes": "", "attendees": "", "held_on": "2025-03-17"},
    )
    assert closed.status_code == 302
    assert meeting.minutes.count() == 1
    first = _minutes_cells(world)
    # Today (long after 2025-03-20) the action is overdue, but not on the meeting date.
    assert "Pågår" in first and not any("FÖRSENAD" in c for c in first)

    Action.objects.filter(what="Belysning").update(what="Ändrad efteråt")
    _post(
        world,
        "action_create",
        "2025-W11",
        data={"what": "Tillagd efteråt", "organisation": world.lead.pk, "due": "2025-04-01"},
    )
    assert _minutes_cells(world) == first
    page = world.client("reader").get(meeting.get_absolute_url()).content.decode()
    assert "sparades när mötet stängdes (version 1" in page
    assert AuditEntry.objects.filter(object_type="lagesbild.minutesversion").count() == 1


def test_the_page_leads_with_the_signal_and_gives_a_verdict_per_row(world, spike):
    html = (
        world.client("reader")
        .get(reverse("lagesbild:group", args=[world.group.slug]) + f"?vecka={WEEK}")
        .content.decode()
    )
    signal = html.index("Det viktigaste den här veckan")
    line = html.index("Ovanligt många: Skadegörelse i Vällingby, 14 händelser (normalt")
    table = html.index('id="table-h"')
    assert signal < line < table
    rows = html[table:].split("<tr")[2:]
    # Alerts come first in the table, with a verdict rather than a method name per row.
    assert "badge--alert" in rows[0] and "Vällingby" in rows[0]
    assert "Farrington (Noufaily 2013)" not in html[table : html.index("</table>", table)]
    assert "Inget larm" in html[table:] or "För lite historik" in html[table:]


def test_the_english_document_has_english_numbers(world, spike):
    from docx import Document

    client = world.client("reader")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(
        reverse("lagesbild:group_export", args=[world.group.slug, "docx"]) + f"?vecka={WEEK}"
    )
    document = Document(io.BytesIO(response.content))
    first = [c.text for c in document.tables[0].rows[1].cells]
    # Mean of the four weeks before and the expected value: decimal points in English.
    assert "." in first[3] and "," not in first[3]
    assert "." in first[6] and "," not in first[6]


def test_local_wall_clock_matches_localtime_across_daylight_saving(db):
    from django.utils import timezone

    from tryggnav.lagesbild.trends import local_wall_clock

    # Around the spring and autumn changes of 2025 (30 March, 26 October), every
    # 20 minutes, with seconds and microseconds, and a moment in another zone.
    moments = [
        datetime.datetime(2025, month, day, 0, 0, 7, 900_000, tzinfo=datetime.UTC)
        + datetime.timedelta(minutes=20 * i)
        for month, day in ((3, 29), (10, 25))
        for i in range(3 * 72)
    ]
    moments.append(
        datetime.datetime(
            2025, 7, 1, 23, 59, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=3))
        )
    )
    expected = [np.datetime64(timezone.localtime(m).replace(tzinfo=None), "s") for m in moments]
    assert local_wall_clock(moments).tolist() == np.array(expected).tolist()


@pytest.mark.parametrize("week", [(2025, 13), (2025, 43)])
def test_weekday_hour_in_sql_equals_the_per_row_computation(world, week):
    """Counting moments per local weekday and hour in SQL gives the matrix of the
    old computation (every row's wall-clock time in Python), across the spring and
    autumn changes of 2025 (30 March, 26 October): moments every 37 minutes around
    the change, windows across it, a zero-length window and one longer than a week."""
    from django.utils import timezone

    from tryggnav.incidents.weeks import IsoWeek
    from tryggnav.lagesbild import trends
    from tryggnav.lagesbild.picture import Filters, Scope
    from tryggnav.stats.hotspots import aoristic_weekday_hour

    cats = factories.categories()
    iso = IsoWeek(*week)
    change = timezone.make_aware(datetime.datetime.combine(iso.sunday, datetime.time(0)))
    # From Friday 00:00 to Sunday 18:00, all in the judged week.
    for i in range(105):
        when = change - datetime.timedelta(hours=48) + datetime.timedelta(minutes=37 * i)
        factories.incident(world, category=cats["skadegorelse"], when=when)
    for hours in (0, 0.5, 3, 7, 30, 9 * 24):
        factories.incident(
            world,
            category=cats["skadegorelse"],
            when=change + datetime.timedelta(minutes=50),
            window_hours=hours or None,
        )
    factories.incident(world, category=cats["brand"], when=change, window_hours=0.0001)
    result = trends.weekday_hour(scope=Scope.for_group(world.group), week=iso, filters=Filters())

    rows = list(Incident.objects.values_list("occurred_from", "occurred_to"))
    expected = aoristic_weekday_hour(
        trends.local_wall_clock([a for a, _b in rows]),
        trends.local_wall_clock([b or a for a, b in rows]),
    )
    assert result.n_events == expected.n_events == len(rows)
    assert result.n_capped == expected.n_capped == 1
    np.testing.assert_allclose(result.matrix, expected.matrix, atol=1e-9)


def _body(html: str) -> str:
    return html[html.index('<section aria-labelledby="table-h">') : html.rindex("</section>")]


def test_a_repeated_page_renders_its_tables_from_the_cache_until_incidents_change(
    world, spike, monkeypatch
):
    from tryggnav.lagesbild import trends

    url = reverse("lagesbild:group", args=[world.group.slug]) + f"?vecka={WEEK}"
    client = world.client("reader")
    first = _body(client.get(url).content.decode())
    computed = []
    for name in ("overview_spec", "weekday_hour_spec"):
        real = getattr(trends, name)
        monkeypatch.setattr(
            trends, name, lambda *a, _real=real, **k: computed.append(1) or _real(*a, **k)
        )
    assert _body(client.get(url).content.decode()) == first and not computed
    # Another filter is another body.
    filtered = _body(client.get(url + "&kalla=police").content.decode())
    assert filtered != first and computed
    computed.clear()
    # A new incident changes the counts' version: the body is computed again.
    factories.incident(
        world, category=spike["skadegorelse"], when=factories.at_week(2025, 10), window_hours=5
    )
    rollup.rebuild()
    again = _body(client.get(url).content.decode())
    assert computed and again != first
    assert "<strong>15</strong>" in again and "<strong>15</strong>" not in first
