"""The statistics core of Tryggnav.

Plain numpy/scipy: nothing here imports Django, so the methods can be tested
against reference implementations on their own. The reference values live in
tests/stats/fixtures/, beside the R and Python scripts that made them
(make_*_fixtures.R, make_*.py), so the tests need no R.

Modules: multiple (Holm, Benjamini–Hochberg), proportions and counts (intervals
and tests), surveillance (Farrington, EARS, CUSUM), hotspots (Gi*, local Moran,
KDE, PAI, aoristic patterns), nearrepeat (Knox), evaluation (effects of measures).
"""
