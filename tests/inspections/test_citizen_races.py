"""Reports from one address at the same moment, on PostgreSQL: the count is raised under
a row lock, so no more than the limit get through."""

from __future__ import annotations

from tests.inspections import factories as f
from tests.races import race
from tryggnav.inspections import citizen
from tryggnav.inspections.models_citizen import CitizenReport, CitizenThrottle


def test_parallel_reports_from_one_address_never_pass_the_limit(
    pg_race, transactional_db, world, settings
):
    settings.CITIZEN_REPORTS_PER_ADDRESS = 4

    def submit(i: int):
        return citizen.report_submit(municipality_id="0180", category="klotter", text=f"Klotter {i}",
                                     lat=f.LAT, lon=f.LON, address="198.51.100.99")  # fmt: skip

    results = race(*[lambda i=i: submit(i) for i in range(8)])
    passed = [r for r in results if isinstance(r, citizen.Submitted)]
    refused = [r for r in results if isinstance(r, citizen.TooMany)]
    assert (len(passed), len(refused)) == (4, 4), results
    assert CitizenReport.objects.count() == 4
    assert CitizenThrottle.objects.get(scope="address").count == 4
