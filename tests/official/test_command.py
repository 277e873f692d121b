"""`import_official`: broken files are refused with exit code 2 and a bilingual
message, the database unchanged."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.official.conftest import FIXTURES
from tryggnav.official.models import OfficialImport, ReportedCrime

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "tom"),
        (b"\xff\xfeK\x00o\x00", "UTF-16"),
        (b"PK\x03\x04broken", "Excel"),
        (b'{"values": [', "JSON"),
        (b"a;b\n" * 3, "rubrikrad"),
    ],
    ids=["empty", "utf16", "broken-xlsx", "broken-json", "no-header"],
)
@pytest.mark.parametrize("source", ["bra", "ida", "kolada"])
def test_broken_files_are_refused(tmp_path, source, content, words):
    if words == "JSON" and source != "kolada":
        words = "rubrikrad"
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        call_command("import_official", str(path), "--source", source)
    assert caught.value.returncode == 2
    assert words in str(caught.value) and "/" in str(caught.value)
    assert not OfficialImport.objects.exists()


def test_good_file_and_unknown_municipality_option():
    out = io.StringIO()
    call_command("import_official", str(FIXTURES / "bra_wide.csv"), "--source", "bra", stdout=out)
    assert "6 nya" in out.getvalue() and ReportedCrime.objects.count() == 6
    with pytest.raises(CommandError, match="Okänd kommun"):
        call_command(
            "import_official",
            str(FIXTURES / "bra_wide.csv"),
            "--source",
            "bra",
            "--municipality",
            "9999",
        )
