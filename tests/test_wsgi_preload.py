"""The web entry point loads the views and their statistics before any request (issue
16): the first lägesbild of a worker otherwise imported scipy for seconds."""

import os
import subprocess
import sys

PROBE = """
import sys
import tryggnav.wsgi
print(all(m in sys.modules for m in ("tryggnav.urls", "tryggnav.lagesbild.views",
                                      "scipy.signal", "scipy.stats")))
"""


def test_the_wsgi_module_imports_the_views_and_scipy_as_it_loads():
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "tests.settings"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
    ).stdout.split()[-1]
    assert out == "True"
