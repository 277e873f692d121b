"""Fuzz tests: every import command, fed a fixed set of mutated files.

For each case the command must import the file or refuse it (CommandError, exit
code 2, a bilingual message) with the database unchanged; any other exception fails
the test, naming the case and keeping its file. The mutations (tests/fuzzing.py)
start from small real-format seeds and come from a seeded ``random.Random``, so the
cases are the same on every run; CASES fixes the budget (under a minute for all
importers together on SQLite, on the two-core development machine).
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import fuzzing
from tests.import_checks import run_import

SEEDS = Path(__file__).parent / "fuzz_seeds"
FIXTURES = Path(__file__).parent / "incidents" / "fixtures"
CASES = {
    "police": 200,
    "partner": 200,
    "areas": 300,
    "survey": 200,
    "population": 150,
    "scb_areas": 150,
}
# For a longer search by hand: TRYGGNAV_FUZZ_SEED=other TRYGGNAV_FUZZ_SCALE=10 pytest …
SEED = os.environ.get("TRYGGNAV_FUZZ_SEED", "tryggnav-fuzz")
SCALE = float(os.environ.get("TRYGGNAV_FUZZ_SCALE", "1"))

POLICE = json.loads((FIXTURES / "police_quirks.json").read_text())
FULLTEXT = json.loads((FIXTURES / "police_fulltext.json").read_text())
BROTTSPLATSKARTAN = json.loads((SEEDS / "brottsplatskartan.json").read_text())
AREAS = json.loads((SEEDS / "kommundelar.geojson").read_text())
PARTNER_CSV = [
    (FIXTURES / "partner_utf8_bom.csv").read_bytes(),
    (FIXTURES / "partner_cp1252_semicolon.csv").read_bytes(),
]
SURVEY_CSV = "\n".join(
    [
        "survey;provider;year;indicator;unit_type;unit_code;unit_name;group;estimate;n;se;deff;ci_low;ci_high",
        "Medborgarundersökningen;scb;2021;Trygga när det är mörkt;municipality;0126;;alla;63;;;;59;68",
        "Medborgarundersökningen;scb;2021;Trygga när det är mörkt;county;01;;alla;70;;;;;",
        "Medborgarundersökningen;scb;2021;Trygga när det är mörkt;country;SE;;alla;73;;;;;",
        "Medborgarundersökningen;scb;2021;Trygga när det är mörkt;area;0126-mellersta;Mellersta;16-29;77;;;;;",
        "Medborgarundersökningen;scb;2021;Trygga när det är mörkt;municipality;187;;kvinnor;91,5;412;2,1;1,3;;",
    ]
).encode("utf-8-sig")

Case = tuple[str, bytes, tuple[str, ...]]


def _json_case(rng: random.Random, data) -> bytes:
    if rng.random() < 0.8:
        return fuzzing.mutate_json(rng, data)
    return fuzzing.mutate_bytes(rng, json.dumps(data, ensure_ascii=False).encode())


def _table_case(rng: random.Random, seed: bytes) -> tuple[str, bytes]:
    choice = rng.random()
    if choice < 0.45:
        return "table.csv", fuzzing.mutate_csv(rng, seed)
    if choice < 0.6:
        return "table.csv", fuzzing.mutate_bytes(rng, seed)
    return "table.xlsx", fuzzing.mutate_xlsx(rng, fuzzing.csv_rows(seed))


def police_case(rng: random.Random, tmp_path: Path) -> Case:
    args: tuple[str, ...] = ("--quiet",)
    if rng.random() < 0.25:
        fulltext = tmp_path / "fulltext.json"
        fulltext.write_bytes(_json_case(rng, FULLTEXT))
        args += ("--fulltext", str(fulltext))
    return "events.json", fuzzing.maybe_gzip(rng, _json_case(rng, POLICE)), args


def partner_case(rng: random.Random, tmp_path: Path) -> Case:
    args: tuple[str, ...] = ("--org", "testbostader", "--quiet")
    args += rng.choice([(), (), (), ("--skip-invalid",), ("--dry-run",)])
    if rng.random() < 0.3:
        return "bpk.json", fuzzing.maybe_gzip(rng, _json_case(rng, BROTTSPLATSKARTAN)), args
    name, content = _table_case(rng, rng.choice(PARTNER_CSV))
    return name, fuzzing.maybe_gzip(rng, content), args


def areas_case(rng: random.Random, tmp_path: Path) -> Case:
    args = ("--municipality", "0126", "--kind", "kommundel", "--name-field", "name")
    if rng.random() < 0.5:
        args += ("--code-field", "kod")
    args += ("--name-case", rng.choice(["keep", "capitalize", "title"]))
    return "areas.geojson", fuzzing.maybe_gzip(rng, _json_case(rng, AREAS)), args


def survey_case(rng: random.Random, tmp_path: Path) -> Case:
    name, content = _table_case(rng, SURVEY_CSV)
    return name, fuzzing.maybe_gzip(rng, content), ("--org", "sdf")


# With a BOM: the mutations read a file without one as Windows-1252.
POPULATION_CSV = (
    b"\xef\xbb\xbf"
    + (
        SEEDS.parent.parent / "tryggnav/demo/data/stockholm_stadsdelar_folkmangd_genererad.csv"
    ).read_bytes()
)
SCB_FIXTURES = SEEDS.parent / "areas/fixtures"
REGSO = json.loads((SCB_FIXTURES / "RegSO_2025_sample.geojson").read_text(encoding="utf-8"))


def population_case(rng: random.Random, tmp_path: Path) -> Case:
    name, content = _table_case(rng, POPULATION_CSV)
    return name, fuzzing.maybe_gzip(rng, content), ("--municipality", "0180")


def scb_areas_case(rng: random.Random, tmp_path: Path) -> Case:
    if rng.random() < 0.3:
        gpkg = (SCB_FIXTURES / "DeSO_2025_sample.gpkg").read_bytes()
        return "deso.gpkg", fuzzing.mutate_bytes(rng, gpkg), ()
    return "regso.geojson", _json_case(rng, REGSO), ()


IMPORTERS: dict[str, tuple[str, Callable[[random.Random, Path], Case]]] = {
    "police": ("import_police", police_case),
    "partner": ("import_incidents", partner_case),
    "areas": ("import_areas", areas_case),
    "survey": ("import_survey", survey_case),
    "population": ("import_area_population", population_case),
    "scb_areas": ("import_scb_areas", scb_areas_case),
}


@pytest.mark.parametrize("importer", list(IMPORTERS))
def test_an_import_command_imports_or_refuses_every_mutated_file(world, tmp_path, importer):
    command, make_case = IMPORTERS[importer]
    rng = random.Random(f"{SEED}-{importer}")
    count = int(CASES[importer] * SCALE)
    outcomes: Counter[str] = Counter()
    for number in range(count):
        name, content, args = make_case(rng, tmp_path)
        path = tmp_path / name
        path.write_bytes(content)
        try:
            message = run_import(command, path, *args)
        except Exception as error:
            kept = tmp_path / f"case-{number}-{name}"
            path.rename(kept)
            raise AssertionError(
                f"{command}, case {number}: {error!r} (file kept as {kept}, arguments {args})"
            ) from error
        outcomes["refused" if message else "imported"] += 1
    # The mutations must reach both sides: files that import and files that do not.
    assert outcomes["imported"] >= count // 20, outcomes
    assert outcomes["refused"] >= count // 4, outcomes
