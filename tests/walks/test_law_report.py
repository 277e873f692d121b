"""The law report's "annan relevant information" carries the safety walks of the period
and the group's areas, and leaves the section out when there were none."""

from __future__ import annotations

import datetime

from tests.walks import factories as f
from tests.walks.test_walks import _fixed_point
from tryggnav.incidents.scope import Period
from tryggnav.lib.documents import Heading, Paragraph, Table
from tryggnav.programmes.reports import law
from tryggnav.programmes.reports.queries import Scope

YEAR = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def _walk_blocks(world, period):
    document = law.lagesbild_report(scope=Scope.for_group(world.group), period=period,
                                    user=world.user("reader"), today=datetime.date(2027, 1, 10))  # fmt: skip
    blocks = document.blocks
    start = next((i for i, b in enumerate(blocks)
                  if isinstance(b, Heading) and b.text == "Trygghetsvandringar"), None)  # fmt: skip
    return None if start is None else blocks[start : start + 3]


def test_the_law_report_counts_the_walks(world):
    _fixed_point(world)
    f.point(world, note="Dolt hörn", theme="dolda_horn", unsafe=5)
    heading, text, table = _walk_blocks(world, YEAR)
    assert isinstance(text, Paragraph) and isinstance(table, Table)
    assert text.text == ("1 trygghetsvandringar med 2 noterade punkter. 1 punkter har blivit "
                         "brister; 1 av dem är åtgärdade (100 %).")  # fmt: skip
    assert [row[:4] for row in table.rows] == [["Belysning", 1, 1, 1],
                                               ["Dolda hörn och skrymslen", 1, 0, 0]]  # fmt: skip
    earlier = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert _walk_blocks(world, earlier) is None
