"""Queries that stay bounded on a large table: the group filter by id, a bounded count
and pages past it (issue 16). What they return is checked, and the SQL they send."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.incidents.conftest import report
from tests.incidents.test_api import _token_client
from tryggnav.incidents import counts, map_layers
from tryggnav.incidents.models import Incident
from tryggnav.lib import paging
from tryggnav.organisations.models import ApiToken, CollaborationGroup, GroupMembership, Membership

pytestmark = pytest.mark.django_db

GROUP_TABLE = CollaborationGroup._meta.db_table


def _incident_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "incidents_incident"' in q["sql"]]


def test_export_of_a_group_filters_by_its_id_without_joining_groups(world, categories):
    mine = report(world, text="Gruppens", status="reviewed")
    # The lead organisation's own report in another group: visible to the coordinator.
    GroupMembership.objects.create(group=world.other_group, organisation=world.lead)
    report(world, persona="coordinator", group=world.other_group, text="Annan grupp")
    client = world.client("coordinator")
    url = reverse("incidents:export", args=["csv"]) + f"?group={world.group.slug}"
    with CaptureQueriesContext(connection) as captured:
        body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    assert "Gruppens" in body and "Annan grupp" not in body
    assert str(mine.public_id) in body
    exported = [sql for sql in _incident_queries(captured) if "LIMIT" not in sql]
    assert exported and all(f'"{GROUP_TABLE}"."slug" =' not in sql for sql in exported)


def test_unknown_group_slug_lists_nothing_in_the_api(world, categories):
    report(world, text="Gruppens", status="reviewed")
    client = _token_client(world, "reader")
    assert client.get(f"/api/v1/incidents?group={world.group.slug}").json()["count"] == 1
    assert client.get("/api/v1/incidents?group=finns-inte").json()["count"] == 0


def _tied(world, n: int) -> list[int]:
    """``n`` incidents, three at a time at the same moment: the ids newest first."""
    moment = timezone.now().replace(microsecond=0)
    for i in range(n):
        incident = report(world, text=f"Rapport nummer {i}", status="reviewed")
        Incident.objects.filter(pk=incident.pk).update(
            occurred_from=moment - timedelta(hours=i // 3)
        )
    return list(Incident.objects.order_by("-occurred_from", "-id").values_list("pk", flat=True))


def _next_link(body: str, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', body)
    return html.unescape(found.group(1)) if found else None


def test_list_pages_by_key_through_ties_both_ways(world, categories, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 3)
    monkeypatch.setattr("tryggnav.incidents.views.PAGE_SIZE", 2)
    order = _tied(world, 7)
    client = world.client("reader")
    url = reverse("incidents:list")
    seen, pages, query = [], [], ""
    while query is not None:
        response = client.get(f"{url}?{query}")
        page = [i.pk for i, _text in response.context["rows"]]
        seen += page
        pages.append((query, page))
        query = _next_link(response.content.decode(), "next")
    assert seen == order and len(pages) == 4
    assert "Över 3 händelser" in response.content.decode()
    # Back from the last page: the same pages in reverse, down to the first.
    query = _next_link(response.content.decode(), "prev")
    for _query, expected in reversed(pages[:-1]):
        response = client.get(f"{url}?{query}")
        assert [i.pk for i, _text in response.context["rows"]] == expected
        query = _next_link(response.content.decode(), "prev")
    assert query is None  # the first page has no previous one


def test_list_page_far_in_reads_no_offset_and_counts_bounded(world, categories, monkeypatch):
    monkeypatch.setattr("tryggnav.incidents.views.PAGE_SIZE", 2)
    order = _tied(world, 5)
    client = world.client("reader")
    second = _next_link(client.get(reverse("incidents:list")).content.decode(), "next")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{reverse('incidents:list')}?{second}")
    assert [i.pk for i, _text in response.context["rows"]] == order[2:4]
    sql = _incident_queries(captured)
    assert sql and all("OFFSET" not in q for q in sql)
    counts = [q for q in sql if "COUNT(" in q]
    assert counts and all("LIMIT" in q for q in counts)


@pytest.mark.parametrize("page", ["3", "99", "bm90IGEgY3Vyc29y", "%ZZ"])
def test_list_page_number_of_an_old_link_or_a_broken_cursor_is_the_first_page(
    world, categories, page
):
    order = _tied(world, 2)
    response = world.client("reader").get(reverse("incidents:list") + f"?sida={page}")
    assert response.status_code == 200
    assert [i.pk for i, _text in response.context["rows"]] == order


def test_list_count_is_exact_below_the_limit(world, categories):
    for i in range(2):
        report(world, text=f"Rapport nummer {i}", status="reviewed", hours_ago=i + 1)
    body = world.client("reader").get(reverse("incidents:list")).content.decode()
    assert "2 händelser" in body and "Över 2" not in body


def test_list_count_query_is_limited(world, categories):
    report(world, status="reviewed")
    with CaptureQueriesContext(connection) as captured:
        world.client("reader").get(reverse("incidents:list"))
    counts = [sql for sql in _incident_queries(captured) if "COUNT(" in sql]
    assert counts and all("LIMIT" in sql for sql in counts)


def test_api_count_is_bounded_and_says_so(world, categories, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 2)
    for i in range(3):
        report(world, text=f"Rapport {i}", status="reviewed", hours_ago=i + 1)
    client = _token_client(world, "reader")
    data = client.get("/api/v1/incidents?page_size=2").json()
    assert (data["count"], data["count_exact"], data["has_next"]) == (2, False, True)
    last = client.get("/api/v1/incidents?page_size=2&page=2").json()
    assert len(last["results"]) == 1 and last["has_next"] is False
    assert last["next_cursor"] is None
    monkeypatch.setattr(paging, "COUNT_LIMIT", 10)
    data = client.get("/api/v1/incidents?page_size=2").json()
    assert (data["count"], data["count_exact"]) == (3, True)


def test_api_pages_by_cursor_through_ties_without_offset(world, categories):
    order = _tied(world, 7)
    public = dict(Incident.objects.values_list("pk", "public_id"))
    client = _token_client(world, "reader")
    data = client.get("/api/v1/incidents?page_size=3").json()
    assert data["previous_cursor"] is None
    seen, pages = [r["id"] for r in data["results"]], [data]
    while data["next_cursor"]:
        with CaptureQueriesContext(connection) as captured:
            data = client.get(f"/api/v1/incidents?page_size=3&cursor={data['next_cursor']}").json()
        assert all("OFFSET" not in q for q in _incident_queries(captured))
        seen += [r["id"] for r in data["results"]]
        pages.append(data)
    assert seen == [str(public[pk]) for pk in order] and len(pages) == 3
    back = client.get(f"/api/v1/incidents?page_size=3&cursor={pages[2]['previous_cursor']}")
    assert back.json()["results"] == pages[1]["results"]
    # The old page numbers give the same pages, and a cursor to go on from.
    numbered = client.get("/api/v1/incidents?page_size=3&page=2").json()
    assert numbered["results"] == pages[1]["results"]
    assert numbered["next_cursor"] == pages[1]["next_cursor"]


def test_api_refuses_a_cursor_it_did_not_write(world, categories):
    response = _token_client(world, "reader").get("/api/v1/incidents?cursor=3")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "cursor"


# A frame around Vällingby and Vinsta, about 3 km across: cells of about 100 m.
FRAME = "17.82,59.34,17.90,59.39"


def _layer(data, name):
    return [f for f in data["features"] if f["properties"]["layer"] == name]


def test_map_counts_points_per_grid_cell_beyond_the_limit(world, categories, monkeypatch):
    from tests.incidents.conftest import VALLINGBY, VINSTA

    monkeypatch.setattr(map_layers, "POINTS_LIMIT", 2)
    for point in (VALLINGBY, VALLINGBY, VINSTA):
        report(world, status="reviewed", point=point)
    report(world, text="Kommunnivå", status="reviewed", precision="municipality")
    client = world.client("reader")
    brand = report(world, status="reviewed", category=categories["anlagd-brand"])
    url = reverse("incidents:map_geojson") + "?category=c:klotter"
    data = client.get(f"{url}&bbox={FRAME}").json()
    assert data["clustered"] is True and data["precise"] == 3
    clusters = _layer(data, "cluster")
    assert sorted(f["properties"]["count"] for f in clusters) == [1, 2]
    assert {f["properties"]["name"] for f in clusters} == {"1 händelse", "2 händelser"}
    assert not [f for f in data["features"] if "url" in f["properties"]]
    biggest = max(clusters, key=lambda f: f["properties"]["count"])
    assert biggest["geometry"]["coordinates"] == pytest.approx([VALLINGBY[1], VALLINGBY[0]])
    # Without a frame the cells are as for all of Sweden: the two places share one.
    whole = client.get(url).json()
    assert [f["properties"]["count"] for f in _layer(whole, "cluster")] == [3]
    # The imprecise incident is counted at its municipality's centre, never as a point.
    (place,) = _layer(data, "place")
    assert place["properties"]["count"] == 1
    assert "1 händelser utan exakt läge" in place["properties"]["label"]
    # Under the limit (a filter narrows it), single incidents with their links again.
    narrowed = client.get(reverse("incidents:map_geojson") + "?category=c:anlagd-brand").json()
    assert [f["properties"]["url"] for f in narrowed["features"]] == [brand.get_absolute_url()]


@pytest.mark.parametrize("limit", [3, 100])
def test_map_counts_every_visible_incident_once(world, categories, monkeypatch, limit):
    """Points, cells and places add up to the incidents the user may see, clustered
    or not; a frame leaves out only the precise incidents outside it."""
    from tests.incidents.conftest import HUDDINGE, VALLINGBY, VINSTA

    monkeypatch.setattr(map_layers, "POINTS_LIMIT", limit)
    for i, point in enumerate([VALLINGBY, VINSTA, HUDDINGE] * 3):
        report(world, status="reviewed", point=point, text=f"Rapport {i}")
    report(world, status="reviewed", precision="municipality")
    report(world, status="reviewed", precision="district")
    report(world, status="submitted", sharing="organisation", persona="coordinator")
    visible = Incident.objects.visible_to(world.users["coordinator"]).count()
    client = world.client("coordinator")
    # Huddinge's three lie outside FRAME.
    for query, outside in (("", 0), ("bbox=-180,-90,180,90", 0), (f"bbox={FRAME}", 3)):
        data = client.get(reverse("incidents:map_geojson") + "?" + query).json()
        counted = sum(f["properties"].get("count", 1) for f in data["features"])
        assert counted + data["unplaced"] + outside == visible, query
        assert data["clustered"] is (data["precise"] > limit)


def test_map_payload_stays_bounded(world, categories, monkeypatch):
    """More precise incidents than the limit give at most a grid's cells."""
    from tests.incidents.conftest import VALLINGBY

    monkeypatch.setattr(map_layers, "POINTS_LIMIT", 5)
    monkeypatch.setattr(map_layers, "GRID_CELLS", 4)
    for i in range(40):
        point = (VALLINGBY[0] + (i % 7) * 0.3, VALLINGBY[1] + (i // 7) * 0.4)
        report(world, status="reviewed", point=point, precision="exact")
    data = world.client("reader").get(reverse("incidents:map_geojson")).json()
    clusters = _layer(data, "cluster")
    assert data["clustered"] and 2 <= len(clusters) <= (4 + 1) ** 2
    assert sum(f["properties"]["count"] for f in clusters) == data["precise"] == 40


@pytest.mark.parametrize("bbox", ["", "x", "1,2,3", "5,5,1,1", "nan,1,2,3", "1e400,0,1,1"])
def test_a_bad_frame_means_the_whole_map(world, categories, bbox):
    report(world, status="reviewed")
    data = world.client("reader").get(reverse("incidents:map_geojson") + f"?bbox={bbox}").json()
    assert data["precise"] == 1 and len(_layer(data, "incident")) == 1


def test_map_cache_follows_writes_and_memberships(world, categories):
    """The cached map changes with a new report and with the user's memberships."""
    report(world, status="reviewed", text="Första")
    client = world.client("reader")
    url = reverse("incidents:map_geojson")
    assert client.get(url).json()["precise"] == 1
    report(world, status="reviewed", text="Andra")
    assert client.get(url).json()["precise"] == 2
    Membership.objects.filter(user=world.users["reader"]).update(deactivated=timezone.now())
    assert client.get(url).json()["precise"] == 0


def _police_event(world, categories, n: int) -> Incident:
    from tests.lagesbild import factories
    from tryggnav.incidents import counts

    incident = factories.incident(
        world,
        category=categories["klotter"],
        when=timezone.now() - timedelta(days=1),
        source=Incident.Source.POLICE_FEED,
        area_name=None,
        precision=Incident.Precision.MUNICIPALITY,
        external_id=f"polis-{n}",
        police_type="Skadegörelse",
    )
    # As the feed's importer does: the counts follow, and the police's version changes.
    counts.incidents_changed(before=[None], after=[counts.key_for(incident)])
    return incident


def test_map_after_a_partner_report_counts_no_police_event_again(world, categories, monkeypatch):
    """The police's events are counted apart, once for every user, under a version only
    their writes change; a partner's report recounts only the rest (issue 16)."""
    for n in range(3):
        _police_event(world, categories, n)
    counted = []
    real = map_layers._count_places

    def spy(queryset):
        counted.append(queryset.filter(source=Incident.Source.POLICE_FEED).count())
        return real(queryset)

    monkeypatch.setattr(map_layers, "_count_places", spy)
    url = reverse("incidents:map_geojson")

    def stockholm(persona: str) -> int:
        """The incidents without a precise position on the map of Stockholm."""
        data = world.client(persona).get(url).json()
        return sum(f["properties"]["count"] for f in _layer(data, "place"))

    assert stockholm("reader") == 3 and max(counted) == 3
    counted.clear()
    # Another user: the police's part is read from the cache.
    assert stockholm("coordinator") == 3 and counted and max(counted) == 0
    counted.clear()
    # The partner files a report (a write: the counts' version changes).
    report(world, text="Kommunnivå", precision="municipality")
    assert stockholm("reporter") == 4 and counted and max(counted) == 0
    counted.clear()
    _police_event(world, categories, 3)
    assert stockholm("reader") == 4 and max(counted) == 4  # the report is not reviewed


def test_list_and_export_read_no_outline(world, categories):
    """The area's, municipality's and county's outlines (large JSON) are not read for a
    list page, its filter's area choices or an export (issue 16)."""
    report(world, status="reviewed")
    client = world.client("coordinator")
    for url in (
        reverse("incidents:list"),
        reverse("incidents:export", args=["csv"]) + f"?group={world.group.slug}",
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        # The incidents and the filter's area choices (a user's few groups aside).
        read = [
            q["sql"] for q in captured if 'FROM "organisations_collaborationgroup" ' not in q["sql"]
        ]
        if url == reverse("incidents:list"):  # the rows' areas and the area choices
            assert any('"areas_area"' in sql for sql in read)
        outlines = [f'"areas_{t}"."geometry"' for t in ("area", "municipality", "county")]
        assert not [sql for sql in read if any(o in sql for o in outlines)], url


def test_what_is_not_the_polices_is_read_with_ids_not_subqueries(world, categories):
    """Lists of ids let PostgreSQL combine the organisation and group indexes; with
    subqueries it read every row. The parts add up to what the user may see."""
    for n in range(2):
        _police_event(world, categories, n)
    report(world, text="Egen", precision="municipality")
    report(world, text="Delad", status="reviewed")
    for persona in ("reader", "reporter", "coordinator"):
        user = world.users[persona]
        private = Incident.objects.visible_to(user, public=False)
        assert "SELECT" not in str(private.query).split("WHERE", 1)[1]
        police = Incident.objects.filter(source=Incident.Source.POLICE_FEED)
        both = set(private.values_list("pk", flat=True)) | set(police.values_list("pk", flat=True))
        assert both == set(Incident.objects.visible_to(user).values_list("pk", flat=True))


def _selects_from(queries, table: str) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
    ]


def test_list_reads_related_rows_apart_and_memberships_once(world, categories):
    """The page's incidents are read without joins (seven joins cost PostgreSQL more
    planning than the page's execution) and its related rows in one query each; the
    header, the active organisation and the view share one read of the memberships."""
    mine = report(world, text="Listad", status="reviewed")
    client = world.client("coordinator")
    client.get(reverse("incidents:list"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("incidents:list"))
    assert any(i.pk == mine.pk for i, _text in response.context["rows"])
    listed = [sql for sql in _incident_queries(captured) if "ORDER BY" in sql and "LIMIT" in sql]
    assert listed and all("LEFT OUTER JOIN" not in sql for sql in listed)
    assert len(_selects_from(captured, "areas_area")) <= 2  # the rows' areas, the filter's
    groups = list(world.group.organisations.all())
    memberships = _selects_from(captured, Membership._meta.db_table)
    # One for the request, one per group for the group's rights.
    assert len(memberships) <= 1 + len(groups)


def test_export_shares_related_rows_between_incidents(world, categories):
    for i in range(5):
        report(world, text=f"Export {i}", status="reviewed")
    client = world.client("coordinator")
    url = reverse("incidents:export", args=["csv"]) + f"?group={world.group.slug}"
    with CaptureQueriesContext(connection) as captured:
        body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    assert body.count("Export ") == 5
    # The categories of five incidents in one query, not one join per row.
    prefetched = [
        sql for sql in _selects_from(captured, "incidents_category") if '"id") IN (' in sql
    ]
    assert len(prefetched) == 1
    assert "Granskad" in body  # the status label, translated once per export


def test_api_token_use_writes_at_most_once_a_minute(world, categories):
    client = _token_client(world, "reader")
    assert client.get("/api/v1/incidents").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/incidents").status_code == 200
    assert not [q for q in captured if q["sql"].startswith('UPDATE "organisations_apitoken"')]
    token = ApiToken.objects.get(user=world.users["reader"])
    token.last_used = timezone.now() - timedelta(minutes=2)
    token.save(update_fields=["last_used"])
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/incidents")
    assert [q for q in captured if q["sql"].startswith('UPDATE "organisations_apitoken"')]
    token.refresh_from_db()
    assert token.last_used > timezone.now() - timedelta(minutes=1)


def test_repeated_map_is_served_from_the_process_without_the_shared_cache(
    world, categories, monkeypatch
):
    report(world, text="På kartan", status="reviewed")
    counts.police_version()  # made once: making it changes the counts' version too
    client = world.client("coordinator")
    url = reverse("incidents:map_geojson")
    first = client.get(url).json()
    asked: list[str] = []
    real_get = map_layers.cache.get
    monkeypatch.setattr(
        map_layers.cache, "get", lambda key, *a: asked.append(key) or real_get(key, *a)
    )
    assert client.get(url).json() == first
    assert not [key for key in asked if key.startswith("incidents:map:")]


def test_police_import_counts_the_police_places_before_the_map_is_asked(world, categories):
    from django.core.management import call_command

    from tests.incidents.test_import_police import FULLTEXT, QUIRKS

    client = world.client("coordinator")
    client.get(reverse("incidents:map_geojson"))
    call_command("import_police", str(QUIRKS), "--fulltext", str(FULLTEXT), "--quiet")
    with CaptureQueriesContext(connection) as captured:
        body = client.get(reverse("incidents:map_geojson")).json()
    police = '"incidents_incident"."source" = \'police\''
    recounted = [
        sql
        for sql in _incident_queries(captured)
        if "GROUP BY" in sql and sql.count(police) > sql.count(f"NOT ({police})")
    ]
    assert not recounted
    placed = sum(f["properties"].get("count", 0) for f in body["features"])
    assert placed + body["unplaced"] >= Incident.objects.filter(source="police").count() - 1
