"""An indicator whose data source is an official series (Brå's reported crimes, a
Kolada key figure, MSB IDA call-outs): values and exact intervals read live from the
imported statistics, shown where indicator values are shown."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from scipy import stats

from tryggnav.areas.models import Municipality
from tryggnav.lib.errors import InputError
from tryggnav.official.models import CallOut, KoladaValue, OfficialImport, ReportedCrime
from tryggnav.programmes import reports
from tryggnav.steering import indicators, services
from tryggnav.steering.models import Indicator

TODAY = datetime.date(2026, 6, 1)
POPULATION = 980_000


def _garwood(count: int, per: float) -> tuple[float, float]:
    low = stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return low * per, high * per


@pytest.fixture
def stockholm(world):
    municipality = Municipality.objects.get(code="0180")
    municipality.population = POPULATION
    municipality.save()
    record = OfficialImport.objects.create(source="bra", municipality=municipality)
    for year, quarter, offence, count in [
        (2022, 0, "Misshandel", 6100),
        (2023, 0, "Misshandel", 6400),
        (2024, 0, "Misshandel", 5900),
        (2024, 0, "Rån", 1200),
        (2025, 0, "Misshandel", None),  # ".." in the source: no point
        (2024, 1, "Misshandel", 1480),
        (2024, 4, "Misshandel", 1530),
    ]:
        ReportedCrime.objects.create(municipality=municipality, year=year, quarter=quarter,
                                     offence=offence, count=count, source_import=record)  # fmt: skip
    CallOut.objects.create(municipality=municipality, year=2024, event_type="Brand i byggnad",
                           count=812, source_import=record)  # fmt: skip
    for gender, value in (("T", 61.5), ("K", 55.0)):
        KoladaValue.objects.create(kpi="U07451", kpi_title="Trygghet i kvällsmiljön",
                                   municipality=municipality, year=2024, gender=gender,
                                   value=value, source_import=record)  # fmt: skip
    return municipality


def _indicator(world, source: str, series: str, **fields) -> Indicator:
    return services.indicator_create(
        by=world.user("coordinator"), group=world.group, name=f"{source} {series}",
        kind=Indicator.Kind.OFFICIAL, official_source=source, official_series=series, **fields,
    )  # fmt: skip


def test_bra_rate_per_100000_with_exact_intervals(world, stockholm):
    indicator = _indicator(world, "bra", "Misshandel", measure="rate100k")
    points = indicators.series(indicator, today=TODAY)
    assert [p.label for p in points] == ["2022", "2023", "2024"]
    per = 100_000 / POPULATION
    point = points[1]
    assert point.count == 6400
    assert point.value == pytest.approx(6400 * per, abs=1e-3)
    low, high = _garwood(6400, per)
    assert point.low == pytest.approx(low, abs=1e-3) and point.high == pytest.approx(high, abs=1e-3)
    assert indicator.source == "Brå, anmälda brott: Misshandel"
    assert not indicators.rate_unavailable(indicator)


def test_bra_quarters_and_start_year(world, stockholm):
    indicator = _indicator(world, "bra", "Misshandel", interval="quarter")
    points = indicators.series(indicator, today=TODAY)
    assert [(p.label, p.count, p.start, p.end) for p in points] == [
        ("2024 K1", 1480, datetime.date(2024, 1, 1), datetime.date(2024, 4, 1)),
        ("2024 K4", 1530, datetime.date(2024, 10, 1), datetime.date(2025, 1, 1)),
    ]
    later = _indicator(world, "bra", "Misshandel", starts=datetime.date(2024, 1, 1))
    assert [p.label for p in indicators.series(later, today=TODAY)] == ["2024"]


def test_kolada_values_as_published_and_ida_counts(world, stockholm):
    kolada = indicators.series(_indicator(world, "kolada", "U07451"), today=TODAY)
    assert [(p.label, p.value, p.low, p.count) for p in kolada] == [("2024", 61.5, None, None)]
    ida = indicators.series(_indicator(world, "ida", "Brand i byggnad"), today=TODAY)
    assert [(p.label, p.value, p.count) for p in ida] == [("2024", 812, 812)]
    assert (ida[0].low, ida[0].high) == pytest.approx(_garwood(812, 1.0))


def test_rate_without_population_shows_counts_and_says_so(world, stockholm):
    stockholm.population = None
    stockholm.save()
    indicator = _indicator(world, "bra", "Rån", measure="rate100k")
    assert indicators.rate_unavailable(indicator)
    assert [p.value for p in indicators.series(indicator, today=TODAY)] == [1200]


def test_an_official_indicator_must_name_its_series_and_takes_no_entered_values(world, stockholm):
    with pytest.raises(InputError):
        _indicator(world, "bra", "")
    indicator = _indicator(world, "ida", "Brand i byggnad")
    with pytest.raises(InputError):
        services.indicator_value_save(indicator=indicator, by=world.user("coordinator"),
                                      period_start=datetime.date(2024, 1, 1), label="2024", value=1)  # fmt: skip


def test_created_from_the_form_and_shown_with_intervals(world, stockholm):
    client = world.client("coordinator")
    url = reverse("steering:indicator_create", args=[world.group.slug])
    form = client.get(url).content.decode()
    assert 'value="bra|Misshandel"' in form and 'value="kolada|U07451"' in form
    assert "U07451 – Trygghet i kvällsmiljön" in form
    data = {"name": "Misshandel per 100 000", "kind": "official", "measure": "rate100k",
            "interval": "year"}  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Välj vilken officiell serie indikatorn följer." in refused.content.decode()
    response = client.post(url, {**data, "official": "bra|Misshandel"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Misshandel per 100 000")
    assert (indicator.official_source, indicator.official_series) == ("bra", "Misshandel")
    page = world.client("reader").get(indicator.get_absolute_url()).content.decode()
    point = indicators.series(indicator)[1]
    assert f"{point.low:.1f}".replace(".", ",") in page or f"{point.low:.1f}" in page
    assert "Brå, anmälda brott: Misshandel" in page


def test_the_status_report_shows_the_official_series(world, stockholm):
    from tests.programmes import factories as f

    indicator = _indicator(world, "bra", "Misshandel", measure="rate100k")
    figures = reports.status_figures(f.agreement(world), today=TODAY)
    latest = figures["indicators"][str(indicator.public_id)]
    point = indicators.series(indicator, today=TODAY)[-1]
    assert latest["latest"] == {"label": "2024", "value": point.value, "low": point.low,
                             "high": point.high}  # fmt: skip
