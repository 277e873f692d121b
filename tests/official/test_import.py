"""Importing Brå's reported crimes, Kolada files and MSB IDA call-outs: good files,
and bad ones refused whole with the row and field named."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.official.conftest import FIXTURES
from tryggnav.areas.models import Municipality
from tryggnav.audit.models import AuditEntry
from tryggnav.lib.errors import InputError
from tryggnav.official.models import CallOut, KoladaValue, OfficialImport, ReportedCrime
from tryggnav.official.services import official_import

pytestmark = pytest.mark.django_db


def _state():
    return (
        ReportedCrime.objects.count(),
        KoladaValue.objects.count(),
        CallOut.objects.count(),
        OfficialImport.objects.count(),
        AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count(),
    )


def _refused(path, source, *, municipality=None) -> InputError:
    before = _state()
    with pytest.raises(InputError) as caught:
        official_import(source=source, path=path, by=None, municipality=municipality)
    assert _state() == before
    return caught.value


def test_bra_wide_export_with_title_notes_and_filled_down_region():
    result = official_import(source="bra", path=FIXTURES / "bra_wide.csv", by=None)
    assert result.created == 6
    rows = {(r.year, r.offence): r.count for r in ReportedCrime.objects.all()}
    assert rows[(2023, "Samtliga brott")] == 12345  # no-break space as thousands separator
    assert rows[(2024, "Samtliga brott")] == 11987
    assert rows[(2023, "Skadegörelse")] == 1020
    assert rows[(2024, "Skadegörelse")] is None  # ".." is missing, not 0
    assert {r.municipality_id for r in ReportedCrime.objects.all()} == {"0126"}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.changes["rows"] == 6


def test_bra_long_quarters_and_reimport_replaces(write_file):
    text = (
        "Kommun;Brottstyp;Period;Antal\n"
        "Huddinge kommun;Misshandel;2024K1;100\n"
        "Huddinge kommun;Misshandel;2024 kv 2;-\n"
        "0180;Misshandel;2024;3 001\n"
    )
    official_import(source="bra", path=write_file("a.csv", text), by=None)
    assert ReportedCrime.objects.get(municipality_id="0126", quarter=1).count == 100
    assert ReportedCrime.objects.get(municipality_id="0126", quarter=2).count is None
    assert ReportedCrime.objects.get(municipality_id="0180", year=2024, quarter=0).count == 3001
    again = official_import(
        source="bra",
        path=write_file("b.csv", "Kommun;Brottstyp;Period;Antal\nHuddinge;Misshandel;2024K1;101\n"),
        by=None,
    )
    assert again.replaced == 1
    assert ReportedCrime.objects.get(municipality_id="0126", quarter=1).count == 101
    assert ReportedCrime.objects.count() == 3


def test_bra_xlsx():
    book = Workbook()
    sheet = book.active
    sheet.append(["Anmälda brott efter brottstyp, region och kvartal"])
    sheet.append([])
    sheet.append(["Region", "Brottstyp", "2024K1", "2024K2"])
    sheet.append(["Stockholm", "Samtliga brott", 30123, "30 456"])
    out = io.BytesIO()
    book.save(out)
    path = FIXTURES.parent / "_tmp.xlsx"
    try:
        path.write_bytes(out.getvalue())
        official_import(source="bra", path=path, by=None)
    finally:
        path.unlink()
    assert sorted(ReportedCrime.objects.values_list("quarter", "count")) == [(1, 30123), (2, 30456)]


@pytest.mark.parametrize(
    ("text", "row", "field", "words"),
    [
        ("Kommun;Brott;Antal\nHuddinge;Misshandel;1\n", None, "", "rubrikrad"),
        ("Kommun;Brottstyp;År;Antal\nAtlantis;Misshandel;2024;1\n", 2, "kommun", "Okänd kommun"),
        (
            "Kommun;Brottstyp;År;Antal\nHuddinge;Rån;2024;1\n0126;rån;2024;2\n",
            3,
            "",
            "upprepar",
        ),
        ("Kommun;Brottstyp;År;Antal\nHuddinge;Rån;2024;12,5\n", 2, "antal", "inte ett antal"),
        ("Kommun;Brottstyp;År;Antal\nHuddinge;Rån;2024;-3\n", 2, "antal", "inte ett antal"),
        ("Kommun;Brottstyp;År;Antal\nHuddinge;Rån;förra året;3\n", 2, "period", "ingen period"),
    ],
    ids=["wrong-columns", "unknown-municipality", "duplicate", "decimal", "negative", "period"],
)
def test_bra_bad_input_changes_nothing(write_file, text, row, field, words):
    official_import(source="bra", path=FIXTURES / "bra_wide.csv", by=None)
    error = _refused(write_file("bad.csv", text), "bra")
    problem = error.problems[0]
    assert words in problem.sv
    assert problem.en
    assert problem.file == "bad.csv"
    assert problem.row == row
    assert problem.field == field


def test_import_for_one_municipality_refuses_others(write_file):
    text = "Kommun;Brottstyp;År;Antal\nHuddinge;Rån;2024;1\nStockholm;Rån;2024;9\n"
    error = _refused(
        write_file("two.csv", text), "bra", municipality=Municipality.objects.get(code="0126")
    )
    assert error.problems[0].row == 3
    assert "Stockholm" in error.problems[0].sv


def test_ida_call_outs(write_file):
    text = (
        "Räddningstjänstens insatser\n"
        "Kommun;År;Händelsetyp;Antal\n"
        "0126;2023;Brand i byggnad;96\n"
        "0126;2023;Trafikolycka;142\n"
        "0126;2024;Trafikolycka;1 130\n"
    )
    official_import(source="ida", path=write_file("ida.csv", text), by=None)
    assert CallOut.objects.get(year=2024, event_type="Trafikolycka").count == 1130
    assert CallOut.objects.count() == 3


@pytest.mark.parametrize(
    ("text", "row", "field"),
    [
        ("Kommun;År;Typ av händelse;Antal\n0126;2024;Brand;x1\n", 2, "antal"),
        ("Kommun;År;Typ av händelse;Antal\n9999;2024;Brand;1\n", 2, "kommun"),
        ("Kommun;År;Typ av händelse;Antal\n0126;2024K1;Brand;1\n", 2, "period"),
        ("Kommun;År;Typ av händelse;Antal\n0126;2024;Brand;1\n0126;2024;Brand;2\n", 3, ""),
        ("Kommun;År;Antal\n0126;2024;1\n", None, ""),
    ],
    ids=["bad-number", "unknown-municipality", "quarter", "duplicate", "wrong-columns"],
)
def test_ida_bad_input_changes_nothing(write_file, text, row, field):
    error = _refused(write_file("ida.csv", text), "ida")
    assert (error.problems[0].row, error.problems[0].field) == (row, field)


KOLADA_JSON = """{"count": 2, "values": [
 {"kpi": "N07403", "municipality": "0126", "period": 2023,
  "values": [{"count": 1, "gender": "T", "status": "", "value": 9876.5}]},
 {"kpi": "N07403", "municipality": "0126", "period": 2024,
  "values": [{"count": 1, "gender": "T", "status": "", "value": null}]}]}"""


def test_kolada_json_and_csv_files(write_file):
    official_import(source="kolada", path=write_file("k.json", KOLADA_JSON), by=None)
    assert KoladaValue.objects.get(year=2023).value == 9876.5
    assert KoladaValue.objects.get(year=2024).value is None
    csv_text = "kpi;municipality;period;gender;value\nN07403;0126;2022;T;9 001,25\nN07403;0126;2022;K;8,5\n"
    official_import(source="kolada", path=write_file("k.csv", csv_text), by=None)
    assert KoladaValue.objects.get(year=2022, gender="T").value == 9001.25
    assert KoladaValue.objects.count() == 4


@pytest.mark.parametrize(
    ("text", "row", "field"),
    [
        ("kpi;municipality;period;value\nN07403;0126;2022;abc\n", 2, "value"),
        ("kpi;municipality;period;value\nN07403;7777;2022;1\n", 2, "municipality"),
        ("kpi;municipality;period;value\nN07403;0126;2022;1\nN07403;0126;2022;2\n", 3, ""),
        ("kpi;kommun;value\nN07403;0126;1\n", None, ""),
        ('{"values": [{"kpi": "N1", "municipality": "0126", "period": 2020}]}', 1, "values"),
    ],
    ids=["bad-number", "unknown-municipality", "duplicate", "wrong-columns", "json-shape"],
)
def test_kolada_bad_input_changes_nothing(write_file, text, row, field):
    error = _refused(write_file("k.json" if text.startswith("{") else "k.csv", text), "kolada")
    assert (error.problems[0].row, error.problems[0].field) == (row, field)
