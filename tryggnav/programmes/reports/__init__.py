"""The four reports of the follow-up module, as ``tryggnav.lib.documents.Document``
objects rendered to Word and PDF by the download views, one module each:

1. ``follow_up``: a programme's yearly follow-up (``follow_up_report``).
2. ``law``: the strategic lägesbild that Lag (2023:196) requires (``lagesbild_report``).
3. ``action_plan``: the åtgärdsplan (``action_plan_report``).
4. ``status``: a steering-group status report for an agreement, with what changed since
   the report last recorded as presented (``status_report``, ``status_figures``).

Each report reads its figures first (typed dataclasses; a change's significance is a
``law.Verdict``, never read back from text) and then runs its ordered list of sections,
``SECTIONS``, each a short function from the figures to document blocks. To add a
section, write one such function and list it where it belongs. ``queries`` holds the
reads of counts and the imports of the counting code; ``common`` the shared pieces.

Wording follows DESIGN.md's "honest numbers": "fler"/"färre" only when the test
says so, intervals beside shares and rates, incomplete reporting stated.
"""

from tryggnav.programmes.reports.action_plan import action_plan_report
from tryggnav.programmes.reports.common import MAX_PERIOD_DAYS, Period, num
from tryggnav.programmes.reports.follow_up import follow_up_report
from tryggnav.programmes.reports.law import (
    SIGNIFICANCE,
    Change,
    Verdict,
    change_text,
    lagesbild_report,
)
from tryggnav.programmes.reports.status import (
    _measure_state,
    status_changes,
    status_figures,
    status_report,
)

__all__ = [
    "MAX_PERIOD_DAYS",
    "SIGNIFICANCE",
    "Change",
    "Period",
    "Verdict",
    "_measure_state",
    "action_plan_report",
    "change_text",
    "follow_up_report",
    "lagesbild_report",
    "num",
    "status_changes",
    "status_figures",
    "status_report",
]
