"""Areas' populations: the importer (plain tables and SCB's exports), SCB's DeSO and RegSO
boundaries, and the rates with exact Poisson intervals that use them."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tryggnav.areas import population
from tryggnav.areas.models import Area, AreaPopulation
from tryggnav.areas.population_import import area_population_import
from tryggnav.areas.scb import gpkg_geometry, scb_areas_import, sweref99tm_to_wgs84
from tryggnav.audit.models import AuditEntry
from tryggnav.lib.errors import InputError

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
R_FIXTURES = Path(__file__).parent.parent / "stats" / "fixtures"


def _file(tmp_path: Path, text: str, name: str = "folkmangd.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(path: Path, **kwargs):
    return area_population_import(path=path, municipality_code="0180", **kwargs)


def _problems(error: InputError) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.field, p.en) for p in error.problems]


# The importer: a plain table ------------------------------------------------------------


def test_a_good_table_is_imported_with_an_audit_entry(tmp_path):
    path = _file(
        tmp_path,
        "område;år;folkmängd\nVällingby;2024;8 050\nVällingby;2025;8110\nvinsta;2025;8700\n",
    )
    result = _import(path, source="Stadsledningskontoret")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    vallingby = Area.objects.get(municipality_id="0180", name="Vällingby")
    assert dict(vallingby.populations.values_list("year", "population")) == {2024: 8050, 2025: 8110}
    assert vallingby.population == 8110  # the latest year
    entry = AuditEntry.objects.get(object_type="areas.areapopulation")
    assert entry.action == AuditEntry.Action.IMPORT and entry.changes["rows"] == 3
    again = _import(path, source="Stadsledningskontoret")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_an_xlsx_file_with_codes_is_imported(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kod", "Year", "Population"])
    sheet.append(["vallingby", 2024, 8050])
    sheet.append(["vinsta", 2024.0, 8640.0])
    path = tmp_path / "befolkning.xlsx"
    workbook.save(path)
    result = _import(path)
    assert result.created == 2
    assert Area.objects.get(municipality_id="0180", name="Vinsta").population == 8640


def test_wrong_columns_name_what_is_missing(tmp_path):
    path = _file(tmp_path, "stadsdel;invånare\nVällingby;8050\n")
    with pytest.raises(InputError) as caught:
        _import(path)
    (problem,) = caught.value.problems
    assert problem.file == "folkmangd.csv"
    assert "year and population" in problem.en and "år och folkmängd" in problem.sv
    assert not AreaPopulation.objects.exists()


def test_bad_rows_are_named_and_nothing_is_written(tmp_path):
    path = _file(
        tmp_path,
        "område,år,folkmängd\n"
        "Vällingby,2024,8050\n"
        "Atlantis,2024,100\n"
        "Vinsta,20x4,8640\n"
        'Vinsta,2024,"12,5"\n'
        "Vinsta,2025,-3\n"
        "Vällingby,2024,8051\n",
    )
    with pytest.raises(InputError) as caught:
        _import(path)
    problems = _problems(caught.value)
    assert (3, "område", "Unknown area 'Atlantis'.") in problems
    assert any(row == 4 and field == "år" and "not a year" in en for row, field, en in problems)
    assert any(row == 5 and field == "folkmängd" and "'12,5'" in en for row, field, en in problems)
    # The value is quoted as it was; only the bound is formatted, in each language.
    (bad,) = [p for p in caught.value.problems if p.row == 5]
    assert "'12,5'" in bad.sv and "20\u00a0000\u00a0000" in bad.sv and "20,000,000" in bad.en
    assert any(row == 6 and field == "folkmängd" and "'-3'" in en for row, field, en in problems)
    assert (7, "område", "Vällingby 2024 already occurs on row 2.") in problems
    assert all(p.sv and p.en and p.file == "folkmangd.csv" for p in caught.value.problems)
    assert not AreaPopulation.objects.exists()
    assert Area.objects.get(municipality_id="0180", name="Vällingby").population is None


def test_the_preview_writes_nothing_and_lists_the_problems(tmp_path):
    path = _file(tmp_path, "område;år;folkmängd\nVällingby;2024;8050\nAtlantis;2024;1\n")
    result = _import(path, commit=False)
    assert [r.area_name for r in result.rows] == ["Vällingby"]
    assert [p.row for p in result.problems] == [3]
    assert not AreaPopulation.objects.exists()
    assert not AuditEntry.objects.filter(object_type="areas.areapopulation").exists()


def test_a_generated_area_gets_no_population(tmp_path):
    _generated_area()
    path = _file(tmp_path, "område;år;folkmängd\nGenererad by;2024;500\n")
    with pytest.raises(InputError) as caught:
        area_population_import(path=path, municipality_code="0126")
    assert "generated boundaries" in caught.value.problems[0].en
    assert not AreaPopulation.objects.exists()


def test_the_command_imports_and_refuses_with_exit_code_2(tmp_path):
    good = _file(tmp_path, "område;år;folkmängd\nVällingby;2024;8050\n", "good.csv")
    out = io.StringIO()
    call_command("import_area_population", str(good), "--municipality", "0180", stdout=out)
    assert "1 skapade" in out.getvalue()
    bad = _file(tmp_path, "område;år;folkmängd\nVällingby;2024;åtta\n", "bad.csv")
    with pytest.raises(CommandError) as caught:
        call_command("import_area_population", str(bad), "--municipality", "0180")
    assert caught.value.returncode == 2
    assert "bad.csv, rad/row 2, fält/field 'folkmängd'" in str(caught.value)
    assert AreaPopulation.objects.get().population == 8050


# SCB's DeSO and RegSO -------------------------------------------------------------------


def test_sweref99tm_to_wgs84_matches_proj():
    # Reference values from PROJ (make_sweref_fixture.py).
    with (FIXTURES / "sweref99tm_wgs84.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        lat, lon = sweref99tm_to_wgs84(float(row["northing"]), float(row["easting"]))
        assert float(lat) == pytest.approx(float(row["lat"]), abs=1e-9)
        assert float(lon) == pytest.approx(float(row["lon"]), abs=1e-9)


def test_deso_geopackage_is_imported_in_wgs84():
    kind, results = scb_areas_import(
        path=FIXTURES / "DeSO_2025_sample.gpkg", municipality_codes=["0180"]
    )
    assert kind == Area.Kind.DESO and list(results) == ["0180"]
    assert results["0180"].created == 3
    deso = Area.objects.get(kind=Area.Kind.DESO, code="0180C3560")
    assert deso.municipality_id == "0180" and deso.name == "0180C3560"
    # The square was drawn around Vällingby (17.8717, 59.3632) in WGS84.
    assert deso.min_lon == pytest.approx(17.8677, abs=1e-4)
    assert deso.max_lat == pytest.approx(59.3652, abs=1e-4)
    assert not Area.objects.filter(code="0126C1010").exists()
    assert AuditEntry.objects.filter(object_type="areas.area").count() == 1


def test_regso_geojson_in_sweref_is_imported_with_names():
    kind, results = scb_areas_import(path=FIXTURES / "RegSO_2025_sample.geojson")
    assert kind == Area.Kind.REGSO and results["0180"].created == 2
    regso = Area.objects.get(kind=Area.Kind.REGSO, code="0180R101")
    assert regso.name == "Vällingby centrum"
    assert 17.86 < regso.min_lon < regso.max_lon < 17.89


def test_a_broken_geopackage_geometry_header_is_refused():
    with pytest.raises(ValueError):
        gpkg_geometry(b"XX\x00\x01\x00\x00\x00\x00")


def test_a_file_without_scb_fields_is_refused(tmp_path):
    path = _file(
        tmp_path,
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties":'
        ' {"namn": "x"}, "geometry": null}]}',
        "x.geojson",
    )
    with pytest.raises(InputError) as caught:
        scb_areas_import(path=path)
    assert "desokod" in caught.value.problems[0].en
    assert not Area.objects.filter(kind=Area.Kind.DESO).exists()


def test_scb_population_export_wide_with_age_and_sex():
    scb_areas_import(path=FIXTURES / "DeSO_2025_sample.gpkg")
    result = area_population_import(
        path=FIXTURES / "folkmangd_deso_alder_kon.csv", municipality_code="0180"
    )
    assert result.layout == "scb"
    # Only the "totalt" rows; two years each; Huddinge's DeSO left out and counted.
    assert result.created == 6 and result.other_municipalities == 1
    figures = dict(
        AreaPopulation.objects.filter(area__code="0180C3570").values_list("year", "population")
    )
    assert figures == {2023: 2210, 2024: 2250}


def test_scb_population_export_long_layout_for_regso():
    scb_areas_import(path=FIXTURES / "RegSO_2025_sample.geojson")
    result = area_population_import(path=FIXTURES / "folkmangd_regso_lang.csv")
    assert result.created == 2 and result.not_areas == 1
    assert Area.objects.get(kind=Area.Kind.REGSO, code="0180R102").population == 1811


def test_scb_population_export_with_unknown_deso_is_refused():
    with pytest.raises(InputError) as caught:
        area_population_import(
            path=FIXTURES / "folkmangd_deso_alder_kon.csv", municipality_code="0180"
        )
    problem = caught.value.problems[0]
    assert (problem.row, problem.field) == (4, "region")
    assert "import_scb_areas" in problem.en
    assert not AreaPopulation.objects.exists()


# Rates ----------------------------------------------------------------------------------


def _generated_area() -> Area:
    area = Area(
        municipality_id="0126",
        kind=Area.Kind.KOMMUNDEL,
        code="genererad-by",
        name="Genererad by",
        is_generated=True,
    )
    area.set_geometry(
        {
            "type": "Polygon",
            "coordinates": [[[17.9, 59.2], [18.0, 59.2], [18.0, 59.3], [17.9, 59.2]]],
        }
    )
    area.save()
    return area


def test_the_period_uses_its_own_year_or_the_nearest_earlier():
    area = Area.objects.get(municipality_id="0180", name="Vällingby")
    AreaPopulation.objects.create(area=area, year=2022, population=7900)
    AreaPopulation.objects.create(area=area, year=2024, population=8050)
    pick = lambda year: population.area_populations([area.pk], year)[area.pk]  # noqa: E731
    assert (pick(2024).population, pick(2024).year) == (8050, 2024)
    assert (pick(2023).population, pick(2023).year) == (7900, 2022)
    assert (pick(2030).population, pick(2030).year) == (8050, 2024)
    assert (pick(2010).population, pick(2010).year) == (7900, 2022)
    vinsta = Area.objects.get(municipality_id="0180", name="Vinsta")
    assert population.area_populations([vinsta.pk], 2024)[vinsta.pk] == population.MISSING


def test_a_generated_area_is_never_rated_even_with_a_population():
    area = _generated_area()
    AreaPopulation.objects.create(area=area, year=2024, population=5000)  # bypassing the importer
    figure = population.area_populations([area.pk], 2024)[area.pk]
    assert figure.status == population.Status.GENERATED_AREA
    assert population.rate_figure(10, figure) is None
    assert population.rate_text(10, figure) == "ingen folkmängd för genererade områden"


def test_rate_intervals_match_r_poisson_test():
    # R: poisson.test(x, 113.9)$conf.int, i.e. per 1,000 among 113,900 inhabitants
    # (tests/stats/fixtures/counts_poisson.csv, made by make_proportions_fixtures.R).
    with (R_FIXTURES / "counts_poisson.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["t"] == "113.9"]
    assert len(rows) == 6
    known = population.Population(population.Status.KNOWN, 113_900, 2024)
    for row in rows:
        figure = population.rate_figure(int(row["x"]), known)
        assert figure is not None
        assert figure.rate == pytest.approx(int(row["x"]) / 113.9, rel=1e-12)
        assert figure.low == pytest.approx(float(row["low"]), rel=1e-6, abs=1e-12)
        assert figure.high == pytest.approx(float(row["high"]), rel=1e-6)
    assert population.rate_text(57, known) == "0,50 (0,38–0,65)"
    assert population.rate_text(57, population.MISSING) == "folkmängd saknas"


# Where rates are shown ------------------------------------------------------------------


@pytest.fixture
def week_with_events(world):
    from tests.lagesbild import factories
    from tryggnav.incidents import counts as rollup

    cats = factories.categories()
    for _ in range(4):
        factories.incident(world, category=cats["klotter"], when=factories.at_week(2025, 10))
    factories.incident(
        world, category=cats["klotter"], when=factories.at_week(2025, 10), area_name="Vinsta"
    )
    rollup.rebuild()
    return cats


def test_lagesbild_shows_rates_with_intervals_or_says_the_population_is_missing(
    world, week_with_events
):
    from django.urls import reverse

    vallingby = Area.objects.get(municipality_id="0180", name="Vällingby")
    AreaPopulation.objects.create(area=vallingby, year=2024, population=8050, is_generated=True)
    url = reverse("lagesbild:group", args=[world.group.slug]) + "?vecka=2025-W10&alla=1"
    html = world.client("reader").get(url).content.decode()
    # 4 events among 8,050 (2024, the nearest earlier year): R poisson.test(4, 8.05).
    expected = population.rate_text(4, population.Population(population.Status.KNOWN, 8050, 2024))
    assert expected.startswith("0,50 (0,14–1,27)")
    rates = re.findall(r'<td class="num" data-value="([^"]*)">([^<]*)</td>', html)
    assert any(text == expected and abs(float(v) - 0.5) < 0.01 for v, text in rates if v)
    assert ("", "folkmängd saknas") in rates  # Vinsta: no rate, sorts last
    assert "–</td>\n  </tr>" not in html
    assert "genererade ungefärliga folkmängder (demo)" in html
    map_url = reverse("lagesbild:group_map", args=[world.group.slug]) + "?vecka=2025-W10"
    features = world.client("reader").get(map_url).json()["features"]
    by_name = {
        f["properties"]["name"]: f["properties"]
        for f in features
        if f["properties"]["layer"] == "area"
    }
    assert by_name["Vällingby"]["rate"] == pytest.approx(1000 * 4 / 8050, abs=1e-3)
    assert (
        by_name["Vällingby"]["rateLow"]
        < by_name["Vällingby"]["rate"]
        < by_name["Vällingby"]["rateHigh"]
    )
    assert by_name["Vinsta"]["rate"] is None
    assert "folkmängd saknas" in by_name["Vinsta"]["label"]


# The page ------------------------------------------------------------------------------


def _upload(world, text: str, name: str = "folkmangd.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return world.client("coordinator").post(
        reverse("areas:population_upload", args=["0180"]),
        {"file": SimpleUploadedFile(name, text.encode()), "kind": "", "source": "SCB 2024"},
    )


def test_the_page_previews_then_imports(world):
    from django.urls import reverse

    response = _upload(world, "område;år;folkmängd\nVällingby;2024;8050\nVinsta;2024;8640\n")
    assert response.status_code == 302
    preview = world.client("coordinator").get(response["Location"])
    html = preview.content.decode()
    assert "2 folkmängder utan fel" in html
    assert '<th scope="row">Vinsta</th>' in html
    assert not AreaPopulation.objects.exists()
    done = world.client("coordinator").post(response["Location"] + "spara/")
    assert done.status_code == 302
    assert AreaPopulation.objects.get(area__name="Vinsta").source == "SCB 2024"
    listing = world.client("reader").get(reverse("areas:population", args=["0180"]))
    assert "Vinsta" in listing.content.decode()
    assert "Importera folkmängd" not in listing.content.decode()  # a reader cannot import


def test_the_page_shows_row_errors_and_refuses_to_import(world):
    response = _upload(world, "område;år;folkmängd\nVällingby;2024;8050\nAtlantis;2024;tio\n")
    preview = world.client("coordinator").get(response["Location"])
    html = preview.content.decode()
    assert "rad 3, område: Okänt område" in html
    assert "rad 3, folkmängd: Folkmängden" in html
    assert 'action="' + response["Location"] + 'spara/"' not in html  # no import button
    refused = world.client("coordinator").post(response["Location"] + "spara/", follow=True)
    assert "Inget importerades" in refused.content.decode()
    assert not AreaPopulation.objects.exists()


def test_the_page_refuses_a_file_without_the_columns(world):
    response = _upload(world, "a;b\n1;2\n")
    assert response.status_code == 400
    assert "Kolumner saknas" in response.content.decode()


def test_the_demo_gives_hasselby_vallingby_generated_populations_and_huddinge_none():
    from tryggnav.demo import foundation

    foundation.load()
    vallingby = Area.objects.get(municipality_id="0180", name="Vällingby")
    figure = population.area_populations([vallingby.pk], 2026)[vallingby.pk]
    assert figure.known and figure.year == 2025 and figure.is_generated
    huddinge = Area.objects.filter(municipality_id="0126", kind=Area.Kind.KOMMUNDEL)
    assert huddinge.count() == 10 and all(a.is_generated for a in huddinge)
    figures = population.area_populations(huddinge.values_list("pk", flat=True), 2026)
    assert {f.status for f in figures.values()} == {population.Status.GENERATED_AREA}
    foundation.load()  # again: nothing changes
    assert AreaPopulation.objects.filter(area__municipality_id="0180").count() == 18


def test_the_json_export_carries_the_interval_and_the_population_status(world, week_with_events):
    from django.urls import reverse

    vallingby = Area.objects.get(municipality_id="0180", name="Vällingby")
    AreaPopulation.objects.create(area=vallingby, year=2025, population=8050)
    url = reverse("lagesbild:group_export", args=[world.group.slug, "json"]) + "?vecka=2025-W10"
    rows = world.client("reader").get(url).json()["rows"]
    by_area = {r["area_name"]: r for r in rows if r["category"] == "klotter"}
    assert by_area["Vällingby"]["population_status"] == "known"
    assert by_area["Vällingby"]["population_year"] == 2025
    low, high = by_area["Vällingby"]["rate_per_1000_ci95"]
    assert (low, high) == (
        pytest.approx(1.0899 / 8.05, abs=1e-4),
        pytest.approx(10.2416 / 8.05, abs=1e-4),
    )
    assert by_area["Vinsta"]["population_status"] == "missing"
    assert by_area["Vinsta"]["rate_per_1000_ci95"] is None
