"""The registry of import formats and the one writer (tryggnav/lib/imports.py).

Detection is tested on the real sample files (tests' fixtures, the demo data and
/work/shared/data where present); the writer with a format registered only here.
"""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pytest
from openpyxl import Workbook

from tryggnav.areas.services import AreaRecord, read_areas
from tryggnav.audit.models import AuditEntry
from tryggnav.audit.services import audit_record
from tryggnav.incidents.importers import partner, police
from tryggnav.incidents.models import ColumnMapping
from tryggnav.lib import imports
from tryggnav.lib.errors import InputError, Problem
from tryggnav.lib.imports import ImportFormat, Policy, Row, Sample, WriteReport, write_rows
from tryggnav.surveys.importers import SurveyResultRecord, parse_results

ROOT = Path(__file__).resolve().parent.parent.parent
INCIDENTS = ROOT / "tests" / "incidents" / "fixtures"
DEMO = ROOT / "tryggnav" / "demo" / "data"
SHARED = Path("/work/shared/data")
SURVEY_CSV = "\n".join(
    [
        "survey;provider;year;indicator;unit_type;unit_code;unit_name;group;estimate;n;se;deff;ci_low;ci_high",
        "Medborgarundersökningen;scb;2021;Trygga utomhus;municipality;0126;;alla;63;;;;59;68",
        "Medborgarundersökningen;scb;2021;Trygga utomhus;county;01;;kvinnor;70;412;2,1;;;",
    ]
)


def _detect(path: Path, target: str | None = None) -> str | None:
    fmt = imports.detect(Sample.of_path(path), target=target)
    return fmt.name if fmt else None


def _shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    return path


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    "path",
    [
        INCIDENTS / "police_quirks.json",
        INCIDENTS / "police_future.json",
        DEMO / "polisen_events_stockholms_lan.json.gz",
    ],
    ids=lambda p: p.name,
)
def test_police_feed_files_are_detected(path):
    assert _detect(path) == "police"
    assert _detect(path, "incidents") == "police"


def test_the_full_police_export_and_brottsplatskartan_are_detected():
    assert _detect(_shared("polisen-events/events_stockholms_lan.json")) == "police"
    bpk = _shared("brottsplatskartan-sample/brottsplatskartan_events_2020-02.json")
    assert _detect(bpk) == "brottsplatskartan"


@pytest.mark.parametrize(
    "name", ["partner_utf8_bom.csv", "partner_cp1252_semicolon.csv", "partner_bad_dates.csv"]
)
def test_partner_csv_files_are_detected(name):
    assert _detect(INCIDENTS / name, "incidents") == "partner-csv"
    assert _detect(INCIDENTS / name) == "partner-csv"


def test_partner_workbook_is_detected(tmp_path):
    path = _xlsx(
        tmp_path / "rapporter.xlsx", [["Id", "Datum", "Kategori"], ["A1", "2024-03-05", "Klotter"]]
    )
    assert _detect(path) == "partner-xlsx"


def test_survey_results_are_detected_by_their_header_in_csv_and_xlsx(tmp_path):
    csv_path = tmp_path / "resultat.csv"
    csv_path.write_text(SURVEY_CSV, encoding="utf-8")
    assert _detect(csv_path) == "survey-results"
    # Among the incidents' formats the same file is only a CSV table.
    assert _detect(csv_path, "incidents") == "partner-csv"
    rows = [line.split(";") for line in SURVEY_CSV.splitlines()]
    assert _detect(_xlsx(tmp_path / "resultat.xlsx", rows)) == "survey-results"
    swedish = tmp_path / "svenska.csv"
    swedish.write_text("undersökning;år;indikator;andel\nNTU;2020;Oro;0,3\n", encoding="utf-8")
    assert _detect(swedish, "surveys") == "survey-results"


@pytest.mark.parametrize(
    "path",
    [
        DEMO / "stockholm_stadsdelar.geojson",
        ROOT / "tests/areas/fixtures/RegSO_2025_sample.geojson",
    ],
    ids=lambda p: p.name,
)
def test_areas_geojson_is_detected(path):
    assert _detect(path) == "areas-geojson"
    assert _detect(path, "areas") == "areas-geojson"


def test_gzipped_files_are_detected_by_their_content(tmp_path):
    path = tmp_path / "rapporter.csv.gz"
    path.write_bytes(gzip.compress((INCIDENTS / "partner_utf8_bom.csv").read_bytes()))
    sample = Sample.of_path(path)
    assert sample.suffix == "csv"
    assert imports.detect(sample).name == "partner-csv"


def test_a_file_of_no_format_of_the_target_is_refused_naming_it(tmp_path):
    path = tmp_path / "rapport.csv"
    path.write_text("Id,Datum\n1,2024-03-05\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        imports.detect_or_refuse(Sample.of_path(path), target="areas")
    problem = raised.value.problems[0]
    assert problem.file == "rapport.csv"
    assert "GeoJSON" in problem.sv and "GeoJSON" in problem.en


def test_every_registered_format_declares_a_dataclass_record():
    names = {fmt.name for fmt in imports.formats()}
    assert {
        "police",
        "partner-csv",
        "partner-xlsx",
        "brottsplatskartan",
        "survey-results",
        "areas-geojson",
    } <= names
    for fmt in imports.formats():
        assert dataclasses.is_dataclass(fmt.record), fmt.name
        assert callable(fmt.detect) and callable(fmt.read)


# A format registered only here, written through the writer.


@dataclasses.dataclass(frozen=True)
class Setting:
    name: str
    value: int


def _read_settings(path: Path, *, filename: str | None = None) -> list[Row[Setting]]:
    filename = filename or path.name
    rows: list[Row[Setting]] = []
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    for number, line in enumerate(lines, start=2):
        name, _, value = line.partition("=")
        if not value.strip().isdigit():
            problem = Problem(
                f"{value!r} är inget heltal.",
                f"{value!r} is not a whole number.",
                file=filename,
                row=number,
                field="value",
            )
            rows.append(Row(number, errors=[problem]))
        else:
            rows.append(Row(number, Setting(name.strip(), int(value))))
    return rows


class _SettingSink:
    def __init__(self, organisation):
        self.organisation = organisation
        self.batches: list[int] = []
        self.finished = False

    def write(self, records: list[Setting]) -> None:
        self.batches.append(len(records))
        for record in records:
            ColumnMapping.objects.create(
                organisation=self.organisation, name=record.name, mapping={"value": record.value}
            )

    def finish(self) -> None:
        self.finished = True


@pytest.fixture
def settings_format():
    fmt = imports.register(
        ImportFormat(
            name="test-settings",
            target="test",
            record=Setting,
            detect=lambda sample: sample.head.startswith(b"# settings"),
            read=_read_settings,
        )
    )
    yield fmt
    imports.unregister("test-settings")


def _file(tmp_path, *lines: str) -> Path:
    path = tmp_path / "settings.txt"
    path.write_text("\n".join(["# settings", *lines]) + "\n", encoding="utf-8")
    return path


def _write(fmt, path, organisation, **kwargs) -> tuple[WriteReport, _SettingSink]:
    sink = _SettingSink(organisation)
    report = write_rows(fmt.read(path), sink=sink, **kwargs)
    return report, sink


def test_a_format_registered_in_a_test_is_detected(settings_format, tmp_path):
    path = _file(tmp_path, "a=1")
    assert imports.detect(Sample.of_path(path)) is settings_format
    assert imports.detect(Sample.of_path(path), target="areas") is None
    imports.unregister("test-settings")
    assert imports.detect(Sample.of_path(path), target="test") is None


def test_all_or_nothing_leaves_the_database_unchanged_on_a_bad_row(
    settings_format, tmp_path, world
):
    before = ColumnMapping.objects.count()
    path = _file(tmp_path, "a=1", "b=2", "c=x", "d=4", "e=y")
    with pytest.raises(InputError) as raised:
        # One record per batch: a and b were written before c was read, and are rolled back.
        _write(settings_format, path, world.lead, batch=1)
    assert ColumnMapping.objects.count() == before
    problems = raised.value.problems
    assert [(p.file, p.row, p.field) for p in problems] == [
        ("settings.txt", 4, "value"),
        ("settings.txt", 6, "value"),
    ]
    assert "heltal" in problems[0].sv and "whole number" in problems[0].en


def test_skip_invalid_writes_the_good_rows_and_reports_the_bad(settings_format, tmp_path, world):
    path = _file(tmp_path, "a=1", "b=x", "c=3")
    report, sink = _write(settings_format, path, world.lead, policy=Policy.SKIP_INVALID)
    written = ColumnMapping.objects.filter(organisation=world.lead)
    assert sorted(written.values_list("name", "mapping")) == [
        ("a", {"value": 1}),
        ("c", {"value": 3}),
    ]
    assert (report.processed, report.written, report.rejected) == (3, 2, 1)
    assert [(p.row, p.field) for p in report.errors] == [(3, "value")]
    assert sink.finished


def test_progress_is_reported_per_batch_and_at_the_end(settings_format, tmp_path, world):
    path = _file(tmp_path, "a=1", "b=2", "c=3", "d=4", "e=5")
    calls: list[tuple[int, int]] = []
    report, sink = _write(
        settings_format,
        path,
        world.lead,
        batch=2,
        total=5,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(2, 5), (4, 5), (5, 5)]
    assert sink.batches == [2, 2, 1]
    assert report.written == 5


def test_an_audit_entry_is_written_with_the_rows(settings_format, tmp_path, world):
    path = _file(tmp_path, "a=1", "b=2")
    before = AuditEntry.objects.count()

    def audit(report: WriteReport) -> None:
        audit_record(
            actor=world.user("admin"),
            action=AuditEntry.Action.IMPORT,
            object_type="incidents.columnmapping",
            object_repr="settings.txt",
            organisation=world.lead,
            changes={"written": report.written},
        )

    _write(settings_format, path, world.lead, audit=audit)
    entry = AuditEntry.objects.latest("pk")
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == AuditEntry.Action.IMPORT and entry.changes == {"written": 2}


def test_no_audit_entry_when_all_or_nothing_refuses(settings_format, tmp_path, world):
    path = _file(tmp_path, "a=1", "b=x")
    before = AuditEntry.objects.count()
    with pytest.raises(InputError):
        _write(settings_format, path, world.lead, audit=lambda report: pytest.fail("audited"))
    assert AuditEntry.objects.count() == before


# The typed records of the real formats.


@pytest.mark.django_db
def test_police_events_become_police_records(world):
    data = police.read_events(INCIDENTS / "police_quirks.json")
    checking = police._Checking(
        filename="police_quirks.json",
        fulltexts={},
        geography=police._Geography.load(),
        categories={},
        existing={},
        now=police.timezone.now(),
    )
    events = police._parse_events(data, checking=checking, progress=None)
    records = [row.record for row in events.rows if row.valid]
    assert records and all(isinstance(r, police.PoliceRecord) for r in records)
    assert all(isinstance(r.values(), dict) and "name" not in r.values() for r in records)
    assert {r.precision for r in records} <= {"municipality", "county"}


def test_partner_rows_become_partner_records(world, tmp_path):
    result = partner.partner_import(
        path=INCIDENTS / "partner_utf8_bom.csv", organisation=world.partner, commit=False
    )
    assert result.preview and not result.problems
    table = partner.open_table(INCIDENTS / "partner_utf8_bom.csv")
    reading = partner._Reading(
        reference=partner._Reference.load(world.partner),
        filename="partner_utf8_bom.csv",
        now=partner.timezone.now(),
        index={t: table.headers.index(h) for t, h in result.mapping.items()},
        mapping=result.mapping,
    )
    scratch = partner.PartnerResult(
        kind="partner", headers=table.headers, mapping=result.mapping, summary=result.summary
    )
    rows = list(partner._rows(table, scratch, reading))
    assert rows and all(isinstance(r.record, partner.PartnerRecord) for r in rows)
    assert rows[0].record.external_id == "A1" and len(rows[0].record.source_hash) == 64


def test_survey_rows_become_survey_result_records(world, tmp_path):
    path = tmp_path / "resultat.csv"
    path.write_text(SURVEY_CSV, encoding="utf-8")
    parsed = parse_results(path)
    records = [row.record for row in parsed.rows]
    assert all(isinstance(r, SurveyResultRecord) for r in records)
    assert records[0].estimate == pytest.approx(0.63) and records[0].municipality_code == "0126"
    assert records[1].n == 412 and records[1].group == "kvinnor"


def test_an_invalid_survey_row_has_no_record(world, tmp_path):
    path = tmp_path / "resultat.csv"
    path.write_text(SURVEY_CSV.replace(";63;", ";hög;"), encoding="utf-8")
    row = parse_results(path).rows[0]
    assert row.record is None
    assert row.as_row().errors[0].field == "estimate"


def test_area_features_become_area_records(db):
    rows = read_areas(DEMO / "stockholm_stadsdelar.geojson", name_field="name")
    assert rows and all(isinstance(r.record, AreaRecord) for r in rows if r.valid)
    first = rows[0].record
    assert first.code and first.geometry["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("bra_0126_demo.csv", "official-bra"),
        ("bra_0180_demo.csv", "official-bra"),
        ("ida_demo.csv", "official-ida"),
        ("kolada_demo.csv", "official-kolada"),
    ],
)
def test_official_statistics_files_are_detected_below_their_title_rows(name, expected):
    assert _detect(DEMO / "official" / name, "official") == expected


def test_a_kolada_api_answer_is_detected(tmp_path):
    path = tmp_path / "kolada.json"
    path.write_text('{"values": [{"kpi": "N07403", "municipality": "0180"}]}', encoding="utf-8")
    assert _detect(path, "official") == "official-kolada"


@pytest.mark.parametrize(
    "path",
    [
        DEMO / "stockholm_stadsdelar_folkmangd_genererad.csv",
        ROOT / "tests/areas/fixtures/folkmangd_deso_alder_kon.csv",
        ROOT / "tests/areas/fixtures/folkmangd_regso_lang.csv",
    ],
    ids=lambda p: p.name,
)
def test_area_populations_are_detected(path):
    assert _detect(path, "areas") == "area-population"
