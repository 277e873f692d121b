"""Partners' CSV/XLSX files and Brottsplatskartan: encodings, formats, mapping, bad input."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tryggnav.incidents import counts as rollup
from tryggnav.incidents.importers.common import parse_swedish_datetime
from tryggnav.incidents.importers.partner import partner_import
from tryggnav.incidents.models import ColumnMapping, ImportJob, Incident
from tryggnav.lib.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
BPK = Path("/work/shared/data/brottsplatskartan-sample/brottsplatskartan_events_2020-02.json")


def _own(world):
    return Incident.objects.filter(organisation=world.partner).order_by("external_id")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-03-05 14:30", "2024-03-05T14:30:00+01:00"),
        ("2024-03-05T14:30:00+02:00", "2024-03-05T14:30:00+02:00"),
        ("2024-03-05 kl. 14.30", "2024-03-05T14:30:00+01:00"),
        ("05.03.2024 14:30", "2024-03-05T14:30:00+01:00"),
        ("5/3/2024", "2024-03-05T00:00:00+01:00"),
        ("5 mars 2024 22.15", "2024-03-05T22:15:00+01:00"),
        ("20240305", "2024-03-05T00:00:00+01:00"),
        ("2020-01-25T12:33:44+0100", "2020-01-25T12:33:44+01:00"),
    ],
)
def test_swedish_date_formats(text, expected):
    moment, _ = parse_swedish_datetime(text)
    assert moment.isoformat() == expected


@pytest.mark.parametrize("text", ["35/13/2024", "igår", "2024-02-30", "5 marsipan 2024"])
def test_not_dates(text):
    assert parse_swedish_datetime(text) is None


def test_utf8_bom_comma_csv(world):
    result = partner_import(path=FIXTURES / "partner_utf8_bom.csv", organisation=world.partner)
    assert result.summary.created == 3
    a1, a2, a3 = _own(world)
    assert a1.text == "Tags på väggen, stora"
    assert a1.area.name == "Vällingby" and a1.precision == Incident.Precision.DISTRICT
    assert a1.category.slug == "klotter"
    assert a2.occurred_from.isoformat() == "2024-03-05T21:15:00+00:00"
    # A date without a time is a window over that day.
    assert a3.occurred_to - a3.occurred_from == datetime.timedelta(hours=23, minutes=59, seconds=59)
    assert a1.organisation == world.partner and a1.source == Incident.Source.FILE_IMPORT
    assert a1.group == world.group and a1.status == Incident.Status.SUBMITTED
    assert rollup.snapshot() == rollup.recount()


def test_windows_1252_semicolon_csv_with_separate_time(world):
    result = partner_import(
        path=FIXTURES / "partner_cp1252_semicolon.csv", organisation=world.partner
    )
    assert result.summary.created == 2
    b1, b2 = _own(world)
    assert b1.text == "Klotter på förrådsdörren"
    assert b1.occurred_from.isoformat() == "2024-03-05T13:30:00+00:00"
    assert b2.category.slug == "bilbrand" and b2.municipality_id == "0180"


def test_xlsx_with_excel_dates(world, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Id", "Datum", "Kategori", "Beskrivning", "Lat", "Lon"])
    sheet.append(
        [
            "X1",
            datetime.datetime(2024, 3, 5, 14, 30),
            "Klotter",
            "Ring 070-123 45 67",
            59.3632,
            17.8717,
        ]
    )
    sheet.append(["X2", datetime.date(2024, 3, 6), "Nedskräpning", "", None, None])
    path = tmp_path / "rapporter.xlsx"
    workbook.save(path)
    result = partner_import(path=path, organisation=world.partner)
    assert result.summary.created == 2
    x1, x2 = _own(world)
    assert x1.precision == Incident.Precision.EXACT and x1.area.name == "Vällingby"
    assert "[telefon]" in x1.text_masked and x1.has_personal_data
    assert x2.occurred_to is not None


def test_reimport_unchanged_and_changed_row_updates(world, tmp_path):
    partner_import(path=FIXTURES / "partner_utf8_bom.csv", organisation=world.partner)
    again = partner_import(path=FIXTURES / "partner_utf8_bom.csv", organisation=world.partner)
    assert (again.summary.created, again.summary.updated, again.summary.unchanged) == (0, 0, 3)
    changed = tmp_path / "changed.csv"
    changed.write_text(
        (FIXTURES / "partner_utf8_bom.csv").read_text("utf-8-sig").replace("Skräp", "Mycket skräp")
    )
    result = partner_import(path=changed, organisation=world.partner)
    assert (result.summary.created, result.summary.updated) == (0, 1)
    assert _own(world).get(external_id="A3").text == "Mycket skräp vid entrén"


def test_saved_column_mapping_is_used(world, tmp_path):
    path = tmp_path / "egna.csv"
    path.write_text("Nr;När;Vad;Info\nQ1;2024-03-05;Klotter;x\n")
    with pytest.raises(InputError):
        partner_import(path=path, organisation=world.partner)
    ColumnMapping.objects.create(
        organisation=world.partner,
        name="standard",
        mapping={"external_id": "Nr", "occurred": "När", "category": "Vad", "text": "Info"},
    )
    assert partner_import(path=path, organisation=world.partner).summary.created == 1


def test_preview_writes_nothing_and_lists_row_errors(world):
    result = partner_import(
        path=FIXTURES / "partner_bad_dates.csv", organisation=world.partner, commit=False
    )
    assert not Incident.objects.exists()
    assert result.preview[0]["row"] == 2
    rows = {p.row: p for p in result.problems}
    assert set(rows) == {3, 4, 5, 6, 7}
    assert rows[3].field == "Datum" and "35/13/2024" in rows[3].sv
    assert "framtiden" in rows[5].sv
    assert rows[6].field == "Kommun" and "Gotham" in rows[6].sv
    assert rows[7].field == "Kategori"


def test_bad_rows_refuse_the_whole_file(world):
    with pytest.raises(InputError) as caught:
        partner_import(path=FIXTURES / "partner_bad_dates.csv", organisation=world.partner)
    assert "partner_bad_dates.csv, rad/row 3, fält/field 'Datum'" in str(caught.value)
    assert not Incident.objects.exists()
    assert not ImportJob.objects.exists()


def test_skip_invalid_imports_the_rest_and_reports_reasons(world):
    result = partner_import(
        path=FIXTURES / "partner_bad_dates.csv", organisation=world.partner, skip_invalid=True
    )
    assert (result.summary.created, result.summary.rejected) == (1, 5)
    assert any("Gotham" in reason for reason in result.summary.reasons)
    assert ImportJob.objects.get().summary["rejected"] == 5


def test_missing_columns(world):
    with pytest.raises(InputError) as caught:
        partner_import(path=FIXTURES / "partner_missing_columns.csv", organisation=world.partner)
    message = str(caught.value)
    assert "partner_missing_columns.csv, rad/row 1" in message and "Kategori" in message


def test_wrong_encoding_utf16(world):
    with pytest.raises(InputError) as caught:
        partner_import(path=FIXTURES / "partner_utf16.csv", organisation=world.partner)
    assert "UTF-16" in str(caught.value) and "partner_utf16.csv" in str(caught.value)


def test_empty_and_huge_files(world, settings, tmp_path):
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="tom.csv: Filen är tom"):
        partner_import(path=empty, organisation=world.partner)
    settings.TRYGGNAV_MAX_IMPORT_BYTES = 100
    with pytest.raises(InputError, match="för stor"):
        partner_import(path=FIXTURES / "partner_bad_dates.csv", organisation=world.partner)
    assert not Incident.objects.exists()


def test_corrupt_xlsx(world, tmp_path):
    path = tmp_path / "trasig.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(InputError, match="trasig.xlsx"):
        partner_import(path=path, organisation=world.partner)


def test_brottsplatskartan_is_detected_and_read(world):
    result = partner_import(path=BPK, organisation=world.partner)
    assert result.kind == "brottsplatskartan"
    assert result.summary.created == 34
    vallingby = Incident.objects.get(external_id="bpk:152077")
    assert vallingby.precision == Incident.Precision.STREET
    assert vallingby.area.name == "Vällingby"
    assert vallingby.source_url.startswith("https://polisen.se/")
    county_only = Incident.objects.get(external_id="bpk:152070")
    assert county_only.precision == Incident.Precision.COUNTY and county_only.municipality is None
    # "Trafikolycka,  singel" (double space) maps like the police type.
    assert Incident.objects.get(external_id="bpk:152074").category.slug == "trafikolycka"
    assert partner_import(path=BPK, organisation=world.partner).summary.unchanged == 34


def test_command_imports_and_refuses_with_exit_2(world, capsys):
    call_command(
        "import_incidents",
        str(FIXTURES / "partner_utf8_bom.csv"),
        "--org",
        "testbostader",
        "--quiet",
    )
    assert "3 created" in capsys.readouterr().out
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_incidents",
            str(FIXTURES / "partner_bad_dates.csv"),
            "--org",
            "testbostader",
            "--quiet",
        )
    assert caught.value.returncode == 2
    assert Incident.objects.count() == 3


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Klotter på port 3",
        "Rond 12: noterat vid entrén",
        "Ring 070-123 45 67 eller 08-123 456 78",
        "Mejla rut@exempel.se",
        "Bil ABC 123 och abc12d stod kvar",
        "Född 19121212-1212, order 202401011234",
        "Tel +46 70 123 45 67",
    ],
)
def test_masking_filter_agrees_with_the_screening(text):
    from tryggnav.incidents.importers.common import mask_text
    from tryggnav.lib.screening import screen

    result = screen(text)
    assert mask_text(text) == (result.masked, result.has_personal_data)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_and_quoted_newlines(world, tmp_path, newline):
    path = tmp_path / "rader.csv"
    rows = [
        "Id;Datum;Kategori;Beskrivning",
        'L1;2024-03-05;Klotter;"två\nrader"',
        "L2;2024-03-06;Klotter;",
    ]
    path.write_bytes(newline.join(rows).encode())
    result = partner_import(path=path, organisation=world.partner)
    assert result.summary.created == 2
    assert _own(world).get(external_id="L1").text == "två\nrader"
