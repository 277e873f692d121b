"""Read functions: rates per 100,000 with exact Poisson intervals, checked against scipy."""

from __future__ import annotations

import pytest
from scipy import stats

from tryggnav.areas.models import Municipality
from tryggnav.official import figures
from tryggnav.official.models import CallOut, KoladaValue, OfficialImport, ReportedCrime

pytestmark = pytest.mark.django_db


def _garwood(count: int, population: int, per: float = 100_000):
    low = stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return low / population * per, high / population * per


@pytest.fixture
def huddinge():
    municipality = Municipality.objects.get(code="0126")
    municipality.population, municipality.population_year = 115_000, 2024
    municipality.save()
    record = OfficialImport.objects.create(source="bra")
    for year, quarter, offence, count in [
        (2023, 0, "Misshandel", 412),
        (2024, 0, "Misshandel", 0),
        (2024, 0, "Rån", None),
        (2024, 1, "Misshandel", 97),
    ]:
        ReportedCrime.objects.create(
            municipality=municipality,
            year=year,
            quarter=quarter,
            offence=offence,
            count=count,
            source_import=record,
        )
    return municipality


def test_reported_crimes_rates_and_intervals_match_scipy(huddinge):
    rows = figures.reported_crimes(huddinge)
    assert [(r.period, r.offence) for r in rows] == [
        ("2023", "Misshandel"),
        ("2024", "Misshandel"),
        ("2024", "Rån"),
    ]
    first = rows[0]
    assert first.rate == pytest.approx(412 / 115_000 * 100_000, rel=1e-12)
    low, high = _garwood(412, 115_000)
    assert first.low == pytest.approx(low, rel=1e-9)
    assert first.high == pytest.approx(high, rel=1e-9)
    zero = rows[1]
    assert zero.rate == 0 and zero.low == 0
    assert zero.high == pytest.approx(_garwood(0, 115_000)[1], rel=1e-9)
    assert rows[2].count is None and rows[2].rate is None
    assert first.population == 115_000 and first.population_year == 2024


def test_quarters_have_counts_but_no_yearly_rate(huddinge):
    rows = figures.reported_crimes(huddinge, years=[2024], quarters=True)
    quarter = [r for r in rows if r.quarter][0]
    assert quarter.period == "2024K1" and quarter.count == 97 and quarter.rate is None


def test_without_population_no_rate(huddinge):
    huddinge.population = None
    huddinge.save()
    assert all(r.rate is None for r in figures.reported_crimes(huddinge))


def test_kolada_and_call_outs(huddinge):
    record = OfficialImport.objects.create(source="ida")
    CallOut.objects.create(
        municipality=huddinge, year=2024, event_type="Brand", count=5, source_import=record
    )
    KoladaValue.objects.create(
        kpi="N07403", municipality=huddinge, year=2024, gender="T", value=1.5, source_import=record
    )
    KoladaValue.objects.create(
        kpi="N07403", municipality=huddinge, year=2024, gender="K", value=1.0, source_import=record
    )
    assert [(c.year, c.event_type, c.count) for c in figures.call_outs(huddinge)] == [
        (2024, "Brand", 5)
    ]
    assert [v.value for v in figures.kolada_values(huddinge, "N07403")] == [1.5]
    assert figures.kolada_values(huddinge, "N00000") == []
