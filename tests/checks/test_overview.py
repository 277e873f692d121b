"""The quarterly overview's counts per department, against hand-made checks: done in
time, done late, late, coming, and the open deficiencies' median and maximum age."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.checks import factories as f
from tests.inspections.factories import advance
from tryggnav.inspections import checklists, checks_overview
from tryggnav.inspections import checks_services as services
from tryggnav.inspections.checks_models import Inspection
from tryggnav.inspections.models import Deficiency
from tryggnav.organisations.models import Organisation

D = datetime.date
TODAY = D(2026, 4, 10)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10))


def _signed(
    world, obj, *, started: datetime.date, signed: datetime.date, failed: int
) -> Inspection:
    inspection = f.answer_all(world, f.inspection(world, obj, today=started), failed=failed)
    return services.inspection_sign(
        by=world.user("reporter"), inspection=inspection, when=_at(signed)
    )


def _data(world):
    schools = Organisation.objects.create(name="Stockholm – Grundskola", slug="sthlm-grundskola",
                                          kind="kommun", municipality_id="0180", parent=world.lead)  # fmt: skip
    a, b, c = (f.premises(world, name) for name in ("A-skolan", "B-skolan", "C-skolan"))
    e = f.premises(world, "E-huset", department=schools)
    f.premises(world, "D-huset (årligen)", department=schools, interval=12)
    _signed(world, a, started=D(2026, 3, 1), signed=D(2026, 3, 20), failed=2)
    _signed(world, b, started=D(2026, 3, 30), signed=D(2026, 4, 5), failed=1)
    _signed(world, e, started=D(2026, 3, 1), signed=D(2026, 3, 10), failed=1)
    fixed = Deficiency.objects.filter(place_name__startswith="A-skolan").order_by("pk").first()
    advance(world, fixed, "atgardad")
    return schools, c


def _row(rows, department):
    return next(r for r in rows if r.department == department)


def test_first_quarter(world):
    schools, _c = _data(world)
    rows = checks_overview.overview(municipality_id="0180", quarter=checklists.quarter_bounds(2026, 1),
                                    today=TODAY)  # fmt: skip
    lead = _row(rows, world.lead)
    assert lead.counts == {"gjord": 1, "gjord_sent": 1, "sen": 1, "kommande": 0}
    # A's second deficiency is open (found 20 March); B's was found after the quarter.
    assert (lead.open_deficiencies, lead.median_age, lead.max_age) == (1, 21, 21)
    other = _row(rows, schools)
    # The yearly check has nothing due in the first quarter.
    assert other.counts == {"gjord": 1, "gjord_sent": 0, "sen": 0, "kommande": 0}
    assert (other.open_deficiencies, other.max_age) == (1, 31)
    assert checks_overview.totals(rows) == {"gjord": 2, "gjord_sent": 1, "sen": 1, "kommande": 0,
                                            "open": 2}  # fmt: skip


def test_second_quarter_and_the_department_filter(world):
    schools, _c = _data(world)
    q2 = checklists.quarter_bounds(2026, 2)
    rows = checks_overview.overview(municipality_id="0180", quarter=q2, today=TODAY)
    lead = _row(rows, world.lead)
    assert lead.counts == {"gjord": 0, "gjord_sent": 0, "sen": 0, "kommande": 3}
    assert (lead.open_deficiencies, lead.median_age, lead.max_age) == (2, 13, 21)
    only = checks_overview.overview(municipality_id="0180", quarter=q2, today=TODAY,
                                    department_id=schools.pk)  # fmt: skip
    assert [r.department for r in only] == [schools]
    assert only[0].counts["kommande"] == 1
    q4 = checks_overview.overview(municipality_id="0180", quarter=checklists.quarter_bounds(2026, 4),
                                  today=D(2027, 1, 5), department_id=schools.pk)  # fmt: skip
    assert q4[0].counts == {"gjord": 0, "gjord_sent": 0, "sen": 2, "kommande": 0}


def test_the_page_and_the_documents(world):
    _data(world)
    client = world.client("reader")
    page = client.get(f"/brister/kontroller/kommun/{world.lead.slug}/oversikt/?kvartal=2026-1")
    assert page.status_code == 200
    by_name = {r.department.name: r.counts["gjord_sent"] for r in page.context["rows"]}
    assert by_name == {"Stockholm – Grundskola": 0, world.lead.name: 1}
    word = client.get(f"/brister/kontroller/kommun/{world.lead.slug}/oversikt/docx/?kvartal=2026-1")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    bad = client.get(f"/brister/kontroller/kommun/{world.lead.slug}/oversikt/?kvartal=1999-9")
    assert bad.status_code == 200
