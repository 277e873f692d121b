"""Formula neutralisation: every start a spreadsheet may read as a formula is made inert."""

import io
import zipfile

import pytest

from tryggnav.lib.tabular import csv_text, neutralise, xlsx_bytes

# Each of these starts a cell that Excel or LibreOffice may run or re-parse: a
# leading space, newline, CR, tab or non-breaking space is trimmed before the
# formula is read, the fullwidth signs are folded to their ASCII forms, and a
# leading double quote can close the quoting and start a new cell.
DANGEROUS = [
    " =1+1",
    "\n=1+1",
    "\r=1+1",
    "\t=1+1",
    "\u00a0=1+1",
    "\uff1d1+1",  # ＝
    "\uff0b1+1",  # ＋
    "\uff0d1+1",  # －
    "\uff20SUM(A1)",  # ＠
    '"=1+1',
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_each_dangerous_start_is_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", DANGEROUS)
def test_each_dangerous_start_is_neutralised_in_csv_and_xlsx(value):
    text = csv_text(["a"], [[value]])
    assert text.splitlines()[1].lstrip('"').startswith("'")
    data = xlsx_bytes([("Blad", ["a"], [[value]])])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert "&apos;" in sheet or "'" in sheet.split("<sheetData>")[1]


@pytest.mark.parametrize("value", ["Vällingby", "1+1", "", "a=b", "Ö-vik"])
def test_ordinary_text_is_left_alone(value):
    assert neutralise(value) == value


def test_numbers_stay_numbers():
    assert neutralise(-1) == -1
    assert neutralise(2.5) == 2.5
