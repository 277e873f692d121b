"""The web and worker processes run BLAS on one thread (issue 16): OpenBLAS's threads
made a Farrington fit cost four times the CPU and competed with the other workers.
Checked in a fresh interpreter that imports the entry point first, as gunicorn and
the ``tryggnav`` command do, by asking the OpenBLAS numpy loaded."""

import os
import subprocess
import sys

import pytest

PROBE = """
import ctypes, glob, os, sys
import {entry}
import numpy
libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__) + ".libs", "*openblas*"))
if not libs:
    print("no-openblas"); sys.exit()
lib = ctypes.CDLL(libs[0])
for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
             "openblas_get_num_threads"):
    if hasattr(lib, name):
        print(getattr(lib, name)()); sys.exit()
print("no-openblas")
"""


@pytest.mark.parametrize("entry", ["tryggnav.wsgi", "tryggnav.__main__"])
def test_blas_runs_on_one_thread_in_the_web_and_worker_processes(entry):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}
    }
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="tests.settings")
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(entry=entry)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()[-1]
    if out == "no-openblas":
        pytest.skip("numpy is not built with OpenBLAS here")
    assert out == "1"
