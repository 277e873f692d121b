"""The weekly rollup now lives in ``tryggnav.incidents.counts``.

compatibility re-export, removed once programmes/reports uses tryggnav.incidents.counts

This name is the same module object as the new one (so a test that patches
``rollup.BATCH`` patches the counts), not a copy of its names.
"""

import sys

from tryggnav.incidents import counts
from tryggnav.incidents.counts import *  # noqa: F403  (names for type checkers)

sys.modules[__name__] = counts
