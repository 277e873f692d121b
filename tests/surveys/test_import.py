"""Importing survey results: good files in every accepted shape, and each kind of bad input."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tryggnav.audit.models import AuditEntry
from tryggnav.lib.errors import InputError
from tryggnav.surveys.importers import parse_results
from tryggnav.surveys.models import Result, Survey
from tryggnav.surveys.services import survey_results_import

HEADER = "survey;provider;year;indicator;unit_type;unit_code;unit_name;group;estimate;n;se;deff;ci_low;ci_high"
GOOD = "\n".join(
    [
        HEADER,
        "Medborgarundersökningen;scb;2021;Trygga utomhus när det är mörkt;municipality;0126;;alla;63;;;;59;68",
        "Medborgarundersökningen;scb;2021;Trygga utomhus när det är mörkt;county;01;;alla;70;;;;;",
        "Medborgarundersökningen;scb;2021;Trygga utomhus när det är mörkt;country;SE;;alla;73;;;;;",
        "Medborgarundersökningen;scb;2021;Trygga utomhus när det är mörkt;area;0126-mellersta;Mellersta Huddinge;alla;77;;;;;",
        "Medborgarundersökningen;scb;2021;Trygga utomhus när det är mörkt;municipality;187;;kvinnor;91,5;412;2,1;1,3;;",
    ]
)


def _write(tmp_path, content, name="resultat.csv", encoding="utf-8"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding)
    return path


def _import(world, path, **kwargs):
    return survey_results_import(
        path=path, organisation=world.lead, by=world.user("coordinator"), **kwargs
    )


def test_good_csv_in_percent_is_imported(world, tmp_path):
    summary = _import(world, _write(tmp_path, GOOD))
    assert (summary.created, summary.surveys, summary.percent) == (5, 1, True)
    assert "procent" in str(summary)
    huddinge = Result.objects.get(unit_code="0126")
    assert huddinge.estimate == pytest.approx(0.63)
    assert (huddinge.ci_low, huddinge.ci_high) == (pytest.approx(0.59), pytest.approx(0.68))
    assert huddinge.county_id == "01" and huddinge.unit_name == "Huddinge"
    vaxholm = Result.objects.get(unit_code="0187")
    assert (vaxholm.group, vaxholm.n, vaxholm.deff) == ("kvinnor", 412, 1.3)
    assert vaxholm.se == pytest.approx(0.021)
    area = Result.objects.get(unit_type="area")
    assert area.municipality_id == "0126"
    survey = Survey.objects.get()
    assert survey.organisation == world.lead
    assert AuditEntry.objects.filter(action="import", object_id=str(survey.public_id)).exists()
    # Importing the same file again changes nothing.
    again = _import(world, _write(tmp_path, GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_shares_windows_1252_commas_and_bom(world, tmp_path):
    content = (
        "survey,provider,year,indicator,unit_type,unit_code,unit_name,group,estimate,n\n"
        'Trygghetsmätning,polisen,2024,Otrygga i området,area,0180-vallingby,Vällingby,Män,"0,21",800\n'
        "Trygghetsmätning,polisen,2024,Otrygga i området,area,0180-vinsta,Vinsta,16-29 år,0.3,\n"
    )
    summary = _import(world, _write(tmp_path, content, encoding="cp1252"))
    assert summary.created == 2 and not summary.percent
    assert Result.objects.get(unit_code="0180-vallingby").unit_name == "Vällingby"
    assert Result.objects.get(unit_code="0180-vinsta").group == "16–29 år"
    bom = _write(tmp_path, "\ufeff" + GOOD, name="bom.csv")
    assert _import(world, bom).created == 5


def test_xlsx_is_imported(world, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            "NTU",
            "brå",
            2016,
            "Otrygga ute sent",
            "country",
            "SE",
            "",
            "alla",
            0.19,
            12000,
            None,
            None,
            None,
            None,
        ]
    )
    sheet.append(
        [
            "NTU",
            "brå",
            2016,
            "Otrygga ute sent",
            "country",
            "SE",
            "",
            "women",
            0.31,
            None,
            None,
            None,
            None,
            None,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    summary = _import(world, _write(tmp_path, buffer.getvalue(), name="ntu.xlsx"))
    assert summary.created == 2
    assert Result.objects.get(group="kvinnor").estimate == pytest.approx(0.31)


BAD_ROWS = [
    (
        "Medborgarundersökningen;scb;2021;Ind;municipality;9999;;alla;63;;;;;",
        "unit_code",
        "Okänd kommunkod",
    ),
    (
        "Medborgarundersökningen;scb;2021;Ind;municipality;0126;;alla;sextio;;;;;",
        "estimate",
        "inget tal",
    ),
    (
        "Medborgarundersökningen;scb;2021;Ind;municipality;0126;;alla;163;;;;;",
        "estimate",
        "utanför",
    ),
    (
        "Medborgarundersökningen;scb;2021;Ind;municipality;0126;;alla;63;;;;59;",
        "ci_high",
        "både nedre och övre",
    ),
    (
        "Medborgarundersökningen;scb;2021;Ind;municipality;0126;;alla;63;;;;64;68",
        "ci_low",
        "innehålla andelen",
    ),
    ("Medborgarundersökningen;scb;2021;Ind;municipality;0126;;alla;63;12,5;;;;", "n", "heltal"),
    ("Medborgarundersökningen;scb;2021;Ind;municipality;0126;;alla;63;;-1;;;", "se", "större än 0"),
    (
        "Medborgarundersökningen;okänd;2021;Ind;municipality;0126;;alla;63;;;;;",
        "provider",
        "Okänd utgivare",
    ),
    ("Medborgarundersökningen;scb;21;Ind;municipality;0126;;alla;63;;;;;", "year", "Ogiltigt år"),
    (
        "Medborgarundersökningen;scb;2021;Ind;stad;0126;;alla;63;;;;;",
        "unit_type",
        "Okänd enhetstyp",
    ),
    (
        "Medborgarundersökningen;scb;2021;Ind;area;mellersta;Mellersta;alla;63;;;;;",
        "parent_code",
        "kommun",
    ),
    (
        "Medborgarundersökningen;scb;2021;Ind;municipality;0126;;barn;63;;;;;",
        "group",
        "Okänd grupp",
    ),
    ("Medborgarundersökningen;scb;2021;;municipality;0126;;alla;63;;;;;", "indicator", "saknas"),
    (
        "Medborgarundersökningen;scb;2021;Trygga utomhus när det är mörkt;county;01;;alla;71;;;;;",
        "unit_code",
        "Samma undersökning",
    ),
]


@pytest.mark.parametrize(
    ("line", "field", "message"), BAD_ROWS, ids=[b[1] + "-" + b[2] for b in BAD_ROWS]
)
def test_each_bad_row_names_file_row_and_field_and_nothing_is_written(
    world, tmp_path, line, field, message
):
    path = _write(tmp_path, GOOD + "\n" + line)
    with pytest.raises(InputError) as caught:
        _import(world, path)
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.file, problem.row, problem.field) == ("resultat.csv", 7, field)
    assert message in problem.sv and problem.en
    assert not Survey.objects.exists() and not Result.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "tom"),
        (b"survey;year\nx;2021\n", "saknas"),
        ("\ufeff".encode("utf-16") + GOOD.encode("utf-16-le"), "teckenkodning"),
        (b"PK\x03\x04 not really a workbook", "Excel-filen"),
    ],
    ids=["empty", "missing-columns", "utf16", "broken-xlsx"],
)
def test_unreadable_files_are_refused(world, tmp_path, content, message):
    with pytest.raises(InputError) as caught:
        _import(world, _write(tmp_path, content))
    assert message in str(caught.value)
    assert not Survey.objects.exists()


def test_preview_lists_every_row_with_its_problems(world, tmp_path):
    parsed = parse_results(_write(tmp_path, GOOD + "\n" + BAD_ROWS[0][0] + "\n" + BAD_ROWS[1][0]))
    assert len(parsed.rows) == 7 and not parsed.ok
    assert [r.row for r in parsed.rows if r.problems] == [7, 8]
    assert parsed.percent
    assert "procent" in parsed.scale_note()[0]


def test_command_imports_and_reports_errors_with_exit_code_2(world, tmp_path, capsys):
    call_command("import_survey", str(_write(tmp_path, GOOD)), "--org", "sdf")
    assert "5 resultat skapade" in capsys.readouterr().out
    bad = _write(tmp_path, GOOD.replace("0126", "9999"), name="bad.csv")
    with pytest.raises(CommandError) as caught:
        call_command("import_survey", str(bad), "--org", "sdf")
    assert caught.value.returncode == 2
    assert "bad.csv, rad/row 2, fält/field 'unit_code'" in str(caught.value)
    with pytest.raises(CommandError):
        call_command("import_survey", str(bad), "--org", "finns-inte")
