"""The `tryggnav lagesbild` command and /api/v1/lagesbild share the documented JSON."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.lagesbild import factories
from tryggnav.incidents import counts as rollup
from tryggnav.incidents.models import Incident

pytestmark = pytest.mark.django_db

ROW_KEYS = {
    "area_code",
    "area_name",
    "category",
    "count",
    "expected",
    "upper_bound",
    "alert",
    "method",
}


@pytest.fixture
def data(world):
    import datetime

    from tryggnav.organisations.models import GroupMembership

    GroupMembership.objects.update(joined=datetime.date(2020, 1, 1))
    cats = factories.categories()
    for _ in range(3):
        factories.incident(world, category=cats["klotter"], when=factories.at_week(2025, 10))
    for i, police_type in enumerate(["Brand", "Brand", "Brand automatlarm"]):
        factories.incident(
            world,
            category=cats["brand"],
            when=factories.at_week(2025, 10),
            source=Incident.Source.POLICE_FEED,
            area_name=None,
            lat=None,
            lon=None,
            precision=Incident.Precision.MUNICIPALITY,
            external_id=f"p{i}",
            police_type=police_type,
        )
    rollup.rebuild()


def _json(*args) -> dict:
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        call_command("lagesbild", *args)
    return json.loads(out.getvalue())


def test_group_json_has_the_documented_fields(world, data):
    payload = _json("--group", "est-test", "--week", "2025-W10", "--format", "json")
    assert payload["week"] == "2025-W10"
    assert payload["group"] == {"slug": "est-test", "name": "EST Test"}
    assert payload["coverage"]["expected_reporters"] == 2
    assert payload["coverage"]["reporting"] == ["Testbostäder AB"]
    for row in payload["rows"]:
        assert ROW_KEYS <= set(row)
    counts = {(r["area_name"], r["category"]): r["count"] for r in payload["rows"]}
    assert counts == {("Vällingby", "klotter"): 3, ("Stockholm (hela kommunen)", "brand"): 3}


def test_municipality_json_has_police_types(world, data):
    payload = _json("--municipality", "0180", "--week", "2025-W10")
    assert payload["scope"] == "municipality"
    assert {(t["police_type"], t["count"]) for t in payload["police_types"]} == {
        ("Brand", 2),
        ("Brand automatlarm", 1),
    }
    assert [r["count"] for r in payload["rows"]] == [3]


@pytest.mark.parametrize(
    "fmt, magic",
    [("docx", b"PK"), ("pdf", b"%PDF"), ("xlsx", b"PK"), ("csv", b"\xef\xbb\xbfarea_code")],
)
def test_files(world, data, tmp_path, fmt, magic):
    out = tmp_path / f"l.{fmt}"
    call_command(
        "lagesbild",
        "--group",
        "est-test",
        "--week",
        "2025-W10",
        "--format",
        fmt,
        "--out",
        str(out),
        stderr=io.StringIO(),
    )
    assert out.read_bytes().startswith(magic)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--group", "finns-inte", "--week", "2025-W10"], "Ingen samverkansgrupp"),
        (["--municipality", "9999"], "Ingen kommun"),
        (["--group", "est-test", "--week", "2025-10"], "Ogiltig vecka"),
        (["--group", "est-test", "--week", "0001-W01"], "mellan 1900 och 2100"),
        (["--group", "est-test", "--format", "pdf"], "--out"),
        (["--group", "est-test", "--source", "rykten"], "Okänt värde"),
    ],
)
def test_bad_input_exits_2_with_a_message(world, args, message):
    with pytest.raises(CommandError) as error:
        call_command("lagesbild", *args)
    assert error.value.returncode == 2
    assert message in str(error.value)


def test_api_matches_the_command(world, data):
    response = world.client("reader").get("/api/v1/lagesbild?group=est-test&week=2025-W10")
    assert response.status_code == 200
    api = response.json()
    cli = _json("--group", "est-test", "--week", "2025-W10")
    assert api["rows"] == cli["rows"]
    assert api["coverage"] == cli["coverage"]


@pytest.mark.parametrize(
    "query",
    [
        "group=est-test&week=2025-W99",
        "group=est-test&week=0001-W01",
        "municipality=0180&week=9999-W52",
        "",
        "group=est-test&source=x",
        "group=est-test&municipality=0180",
    ],
)
def test_api_bad_input_is_400(world, query):
    response = world.client("reader").get(f"/api/v1/lagesbild?{query}")
    assert response.status_code == 400


def test_rebuild_command(world, data):
    out = io.StringIO()
    call_command("rebuild_rollup", stdout=out)
    assert "celler" in out.getvalue()
    out = io.StringIO()
    call_command("rebuild_rollup", "--check", stdout=out)
    assert out.getvalue().startswith("0 celler")
