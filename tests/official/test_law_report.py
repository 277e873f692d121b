"""The law's lägesbild shows Brå's reported crimes for the municipality beside the police
feed: the period's year and the two before, with rates and exact intervals, and nothing
when no official statistics are imported."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from tests.official.test_figures import _garwood
from tryggnav.areas.models import Municipality
from tryggnav.lib.documents import Heading, Table
from tryggnav.official.models import OfficialImport, ReportedCrime
from tryggnav.programmes.reports import lagesbild_report
from tryggnav.programmes.reports.common import Period
from tryggnav.programmes.reports.queries import Scope

pytestmark = pytest.mark.django_db

YEAR_2024 = Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


def _section(document, heading: str) -> Table | None:
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.text == heading:
            return next(b for b in blocks[index:] if isinstance(b, Table))
    return None


@pytest.fixture
def stockholm():
    municipality = Municipality.objects.get(code="0180")
    municipality.population, municipality.population_year = 980_000, 2024
    municipality.save()
    record = OfficialImport.objects.create(source="bra")
    for year, offence, count in [(2020, "Rån", 5), (2022, "Rån", 410), (2024, "Rån", 380),
                                 (2024, "Misshandel", None), (2025, "Rån", 1)]:  # fmt: skip
        ReportedCrime.objects.create(municipality=municipality, year=year, quarter=0,
                                     offence=offence, count=count, source_import=record)  # fmt: skip
    return municipality


def test_the_group_report_has_its_municipalitys_reported_crimes(world, stockholm):
    document = lagesbild_report(scope=Scope.for_group(world.group), period=YEAR_2024,
                                user=world.user("reader"))  # fmt: skip
    table = _section(document, "Anmälda brott enligt Brå")
    assert table is not None
    rows = {(row[0], row[1]): row for row in table.rows}
    assert set(rows) == {("Rån", 2022), ("Rån", 2024), ("Misshandel", 2024)}
    low, high = _garwood(380, 980_000)

    def sv(value: float) -> str:
        return f"{value:.1f}".replace(".", ",")

    assert rows[("Rån", 2024)][3] == f"{sv(380 / 980_000 * 100_000)} ({sv(low)}–{sv(high)})"
    assert rows[("Misshandel", 2024)][2] == "uppgift saknas"


def test_english_and_no_section_without_official_statistics(world, stockholm):
    with translation.override("en"):
        document = lagesbild_report(scope=Scope.for_group(world.group), period=YEAR_2024,
                                    user=world.user("reader"))  # fmt: skip
        table = _section(document, translation.gettext("Anmälda brott enligt Brå"))
    assert table is not None and table.columns[0] == "Offence group"
    ReportedCrime.objects.all().delete()
    bare = lagesbild_report(scope=Scope.for_group(world.group), period=YEAR_2024,
                            user=world.user("reader"))  # fmt: skip
    assert _section(bare, "Anmälda brott enligt Brå") is None
