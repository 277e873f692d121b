"""ISO weeks now live in ``tryggnav.incidents.weeks``.

compatibility re-export, removed once programmes/reports uses tryggnav.incidents.counts
"""

from tryggnav.incidents.weeks import MAX_YEAR, MIN_YEAR, IsoWeek

__all__ = ["MAX_YEAR", "MIN_YEAR", "IsoWeek"]
