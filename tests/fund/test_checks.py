"""An application's SMART goal (Brå step 5's rules) and an attachment's type, judged by
its content: each broken rule names its field."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from tests.fund import factories as f
from tryggnav.fund import checks
from tryggnav.lib.errors import InputError

DAY = datetime.date(2026, 1, 1)


def _smart(**overrides) -> dict:
    data = {"area": None, "place": None, "place_name": "Vällingby torg", "lat": None,
            "baseline_date": DAY, "deadline": DAY + datetime.timedelta(days=365),
            "baseline_value": 30.0, "target_value": 20.0}  # fmt: skip
    data.update(overrides)
    return data


def test_a_smart_goal_breaks_no_rule():
    assert checks.smart_problems(_smart()) == []
    assert checks.smart_problems(_smart(place_name="", lat=59.36)) == []


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"place_name": "  "}, "place_name"),
        ({"deadline": DAY}, "deadline"),
        ({"deadline": DAY - datetime.timedelta(days=1)}, "deadline"),
        ({"target_value": 30.0}, "target_value"),
    ],
)
def test_each_broken_smart_rule_names_its_field(overrides, field):
    assert [name for name, _text in checks.smart_problems(_smart(**overrides))] == [field]


def test_missing_values_are_left_to_the_submit_check():
    data = _smart(baseline_date=None, deadline=None, baseline_value=None, target_value=None)
    assert checks.smart_problems(data) == []


def test_all_broken_rules_are_named_at_once():
    data = _smart(place_name="", deadline=DAY, target_value=30.0)
    assert [name for name, _text in checks.smart_problems(data)] == [
        "place_name",
        "deadline",
        "target_value",
    ]


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in names:
            z.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, expected",
    [
        (f.PDF, checks.PDF),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, checks.PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 8, checks.JPEG),
        (_zip("[Content_Types].xml", "word/document.xml"), checks.DOCX),
        (_zip("[Content_Types].xml", "xl/workbook.xml"), checks.XLSX),
    ],
)
def test_allowed_types_are_told_by_their_content_whatever_the_name(data, expected):
    assert checks.attachment_type(data=data, filename="bilaga.txt") == expected


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "its name does not decide"),
        (_zip("payload.exe"), "its name does not decide"),
        (b"PK\x03\x04 broken zip", "its name does not decide"),
        (b"<html>", "its name does not decide"),
    ],
)
def test_other_content_is_refused_naming_the_file(data, words):
    with pytest.raises(InputError) as error:
        checks.attachment_type(data=data, filename="plan.pdf")
    (problem,) = error.value.problems
    assert (problem.file, problem.field) == ("plan.pdf", "file")
    assert words in problem.en


def test_a_file_over_the_limit_is_refused_before_its_content_is_read():
    data = f.PDF + b"\x00" * checks.MAX_ATTACHMENT_BYTES
    with pytest.raises(InputError) as error:
        checks.attachment_type(data=data, filename="stor.pdf")
    assert "larger than 5 MB" in error.value.problems[0].en
