"""Files that crashed an import command instead of being refused, one crafted file each.

Every import command must answer bad input with a bilingual message and exit code 2,
no traceback, and an unchanged database (tests/import_checks.py).
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.import_checks import run_import, snapshot
from tryggnav.incidents.models import Incident
from tryggnav.surveys.models import Result

FIXTURES = Path(__file__).parent / "incidents" / "fixtures"
EVENT = {
    "id": 500001,
    "datetime": "2024-05-06 9:05:12 +02:00",
    "name": "6 maj 08.40, Skadegörelse, Stockholm",
    "summary": "Polis kallas till Vasastaden där en bil har fått rutorna krossade.",
    "url": "/aktuellt/handelser/2024/maj/6/x/",
    "type": "Skadegörelse",
    "location": {"name": "Stockholm", "gps": "59.329324,18.068581"},
}
BPK_RECORD = {
    "id": 152077,
    "pubdate_iso8601": "2020-01-25T12:33:44+0100",
    "title_type": "Rattfylleri",
    "title_location": "Stockholm",
    "description": "Misstänkt rattfylleri i Vällingby.",
    "content": "<p>En fordonsförare stoppades.</p>",
    "lat": 59.36,
    "lng": 17.87,
}
SQUARE = [[[17.0, 59.0], [17.1, 59.0], [17.1, 59.1], [17.0, 59.1], [17.0, 59.0]]]
SURVEY_HEADER = ["survey", "provider", "year", "indicator", "unit_type", "unit_code", "estimate"]
SURVEY_ROW = ["Medborgarundersökningen", "scb", 2021, "Trygga", "municipality", "0126", 63]
DEEP = b"[" * 100_000 + b"]" * 100_000
# Python's json.dumps writes a lone surrogate as the escape "\ud800", as a broken
# exporter might; the file is then valid UTF-8 and valid JSON.
SURROGATE = "Krossad ruta \ud800"

AREA_ARGS = ("--municipality", "0126", "--kind", "kommundel", "--name-field", "name")
PARTNER_ARGS = ("--org", "testbostader", "--quiet")


def _json(data) -> bytes:
    return json.dumps(data).encode()


def _corrupt_gzip(data: bytes) -> bytes:
    """A gzip file with a valid header and a damaged deflate stream after it."""
    packed = bytearray(gzip.compress(data))
    for position in range(12, min(len(packed) - 8, 60)):
        packed[position] ^= 0xA5
    return bytes(packed)


def _feature(coordinates=SQUARE, name="Område"):
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": coordinates},
    }


def _areas(*features) -> bytes:
    return _json({"type": "FeatureCollection", "features": list(features)})


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def patch_sheet(raw: bytes, change) -> bytes:
    """The workbook with its first sheet's XML replaced by ``change(xml)``."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(info.filename, data)
    return out.getvalue()


def _entity(xml: bytes) -> bytes:
    return b'<!DOCTYPE worksheet [<!ENTITY e "Klotter">]>' + xml.replace(b"<t>", b"<t>&e;", 1)


def _external_entity(xml: bytes) -> bytes:
    declaration = b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    return declaration + xml.replace(b"<t>", b"<t>&e;", 1)


def _dimension(replacement: bytes):
    return lambda xml: re.sub(rb"<dimension [^>]*/>", replacement, xml)


PARTNER_XLSX = xlsx([["Id", "Datum", "Kategori"], ["A1", "2024-03-05 14:30", "Klotter"]])
SURVEY_XLSX = xlsx([SURVEY_HEADER, SURVEY_ROW])

CASES = [
    # (id, command, file name, content, extra arguments, words the message must have)
    ("police-deep", "import_police", "e.json", DEEP, ("--quiet",), "nested"),
    (
        "police-surrogate",
        "import_police",
        "e.json",
        _json([{**EVENT, "summary": SURROGATE}]),
        ("--quiet",),
        "surrogate",
    ),
    (
        "police-nul",
        "import_police",
        "e.json",
        _json([{**EVENT, "type": "Brand\u0000"}]),
        ("--quiet",),
        "NUL",
    ),
    (
        "police-gzip",
        "import_police",
        "e.json.gz",
        _corrupt_gzip(_json([EVENT] * 50)),
        ("--quiet",),
        "corrupt",
    ),
    (
        "police-huge-integer",
        "import_police",
        "e.json",
        b'[{"id": 1' + b"0" * 5000 + b"}]",
        ("--quiet",),
        "too large",
    ),
    (
        "police-summary-number",
        "import_police",
        "e.json",
        _json([{**EVENT, "summary": 5}]),
        ("--quiet",),
        "summary",
    ),
    (
        "police-url-list",
        "import_police",
        "e.json",
        _json([{**EVENT, "url": ["/x"]}]),
        ("--quiet",),
        "url",
    ),
    (
        "police-id-superscript",
        "import_police",
        "e.json",
        _json([{**EVENT, "id": "²"}]),
        ("--quiet",),
        "id",
    ),
    (
        "police-year-1",
        "import_police",
        "e.json",
        _json([{**EVENT, "datetime": "0001-01-01 0:30:00 +02:00"}]),
        ("--quiet",),
        "1900",
    ),
    (
        "bpk-year-1",
        "import_incidents",
        "b.json",
        _json([BPK_RECORD, {**BPK_RECORD, "id": 2, "pubdate_iso8601": "0001-01-01"}]),
        PARTNER_ARGS,
        "1900",
    ),
    (
        "partner-end-after-9999",
        "import_incidents",
        "p.csv",
        b"Id;Datum;Till;Kategori\nA1;2024-03-05 14:30;9999-12-31 23:00 -05:00;Klotter\n",
        PARTNER_ARGS,
        "2999",
    ),
    ("bpk-deep", "import_incidents", "b.json", DEEP, PARTNER_ARGS, "nested"),
    (
        "bpk-surrogate",
        "import_incidents",
        "b.json",
        _json([{**BPK_RECORD, "description": SURROGATE}]),
        PARTNER_ARGS,
        "surrogate",
    ),
    (
        "partner-gzip",
        "import_incidents",
        "p.csv.gz",
        _corrupt_gzip((FIXTURES / "partner_utf8_bom.csv").read_bytes() * 20),
        PARTNER_ARGS,
        "corrupt",
    ),
    (
        "partner-nul-late-in-file",
        "import_incidents",
        "p.csv",
        b"Id;Datum;Kategori;Beskrivning\n"
        + b"".join(b"A%d;2024-03-05 14:30;Klotter;Tags\n" % i for i in range(200))
        + b"B1;2024-03-05 14:30;Klotter;Tags\x00\n",
        PARTNER_ARGS,
        "NUL",
    ),
    (
        "partner-xlsx-entity",
        "import_incidents",
        "p.xlsx",
        patch_sheet(PARTNER_XLSX, _entity),
        PARTNER_ARGS,
        "entit",
    ),
    (
        "partner-xlsx-external-entity",
        "import_incidents",
        "p.xlsx",
        patch_sheet(PARTNER_XLSX, _external_entity),
        PARTNER_ARGS,
        "entit",
    ),
    (
        "partner-xlsx-dimension-without-ref",
        "import_incidents",
        "p.xlsx",
        patch_sheet(PARTNER_XLSX, _dimension(b"<dimension/>")),
        PARTNER_ARGS,
        "Excel",
    ),
    (
        "areas-feature-string",
        "import_areas",
        "a.geojson",
        _areas("Feature"),
        AREA_ARGS,
        "Feature",
    ),
    (
        "areas-properties-list",
        "import_areas",
        "a.geojson",
        _areas({**_feature(), "properties": ["name"]}),
        AREA_ARGS,
        "properties",
    ),
    (
        "areas-nan",
        "import_areas",
        "a.geojson",
        _areas(_feature([[[17.0, 59.0], [17.1, float("nan")], [17.1, 59.1], [17.0, 59.0]]])),
        AREA_ARGS,
        "finite",
    ),
    (
        "areas-unclosed-ring",
        "import_areas",
        "a.geojson",
        _areas(_feature([[[17.0, 59.0], [17.1, 59.0], [17.1, 59.1]]])),
        AREA_ARGS,
        "ring",
    ),
    (
        "areas-ring-of-strings",
        "import_areas",
        "a.geojson",
        _areas(_feature([["a", "b", "c", "d"]])),
        AREA_ARGS,
        "geometry",
    ),
    (
        "areas-hole-far-away",
        "import_areas",
        "a.geojson",
        _areas(_feature([SQUARE[0], [[17.0, 59.0], [17.1, 59.0], [-1e308, 59.1], [17.0, 59.0]]])),
        AREA_ARGS,
        "longitude/latitude",
    ),
    ("areas-deep", "import_areas", "a.geojson", DEEP, AREA_ARGS, "nested"),
    (
        "areas-nul",
        "import_areas",
        "a.geojson",
        _areas(_feature(name="Vårby\u0000")),
        AREA_ARGS,
        "NUL",
    ),
    (
        "areas-surrogate",
        "import_areas",
        "a.geojson",
        _areas(_feature(name=SURROGATE)),
        AREA_ARGS,
        "surrogate",
    ),
    (
        "areas-gzip",
        "import_areas",
        "a.geojson.gz",
        _corrupt_gzip(_areas(*[_feature(name=f"O{i}") for i in range(20)])),
        AREA_ARGS,
        "corrupt",
    ),
    (
        "survey-year-superscript",
        "import_survey",
        "s.csv",
        ";".join(SURVEY_HEADER).encode() + b"\n" + "M;scb;²;T;country;SE;63".encode(),
        ("--org", "sdf"),
        "year",
    ),
    (
        "survey-n-huge",
        "import_survey",
        "s.csv",
        ";".join([*SURVEY_HEADER, "n"]).encode()
        + b"\nM;scb;2021;T;country;SE;63;100000000000000000000",
        ("--org", "sdf"),
        "10,000,000",
    ),
    (
        "survey-xlsx-entity",
        "import_survey",
        "s.xlsx",
        patch_sheet(SURVEY_XLSX, _entity),
        ("--org", "sdf"),
        "entit",
    ),
    (
        "survey-xlsx-external-entity",
        "import_survey",
        "s.xlsx",
        patch_sheet(SURVEY_XLSX, _external_entity),
        ("--org", "sdf"),
        "entit",
    ),
]


@pytest.mark.parametrize(
    "command, name, content, args, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_file_that_crashed_is_refused(world, tmp_path, command, name, content, args, words):
    path = tmp_path / name
    path.write_bytes(content)
    message = run_import(command, path, *args)
    assert message is not None, f"{command} imported {name}"
    assert words.lower() in message.lower(), message
    assert name in message


def test_a_wrong_xlsx_dimension_loses_no_columns(world, tmp_path):
    """A sheet whose <dimension> says "A1:B2" has three columns all the same: the
    dimension is a hint some programs get wrong, so the cells decide."""
    narrow = _dimension(b'<dimension ref="A1:A2"/>')
    path = tmp_path / "p.xlsx"
    path.write_bytes(patch_sheet(PARTNER_XLSX, narrow))
    assert run_import("import_incidents", path, *PARTNER_ARGS) is None
    assert Incident.objects.get(external_id="A1").category.name == "Klotter"
    path = tmp_path / "s.xlsx"
    path.write_bytes(patch_sheet(SURVEY_XLSX, narrow))
    assert run_import("import_survey", path, "--org", "sdf") is None
    assert Result.objects.get(unit_code="0126").estimate == pytest.approx(0.63)


WEB_CASES = {c[0]: c for c in CASES}


@pytest.mark.parametrize(
    "case, words",
    [
        ("bpk-deep", "för djupt nästlat"),
        ("bpk-surrogate", "surrogat"),
        ("partner-gzip", "komprimerade filen är trasig"),
        ("partner-nul-late-in-file", "NUL-tecken på rad 202"),
        ("partner-xlsx-external-entity", "XML-entiteter"),
        ("partner-xlsx-dimension-without-ref", "Excel-filen är trasig"),
    ],
)
def test_the_partner_upload_page_refuses_a_file_that_crashed(
    world, settings, tmp_path, case, words
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _id, _command, name, content, _args, _english = WEB_CASES[case]
    name = name.removesuffix(".gz")  # the page takes .csv, .xlsx and .json (gzipped or not)
    url = reverse("incidents:import_upload", args=[world.partner.slug])
    before = snapshot()
    response = world.client("reporter").post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert words.lower() in response.content.decode().lower()
    assert snapshot() == before


@pytest.mark.parametrize(
    "case", ["survey-xlsx-external-entity", "survey-xlsx-entity", "survey-year-superscript"]
)
def test_the_survey_upload_page_refuses_a_file_that_crashed(world, case):
    _id, _command, name, content, _args, words = WEB_CASES[case]
    url = reverse("surveys:import", args=["sdf"])
    before = snapshot()
    response = world.client("coordinator").post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert snapshot() == before
