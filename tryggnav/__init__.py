"""Tryggnav: local crime prevention and safety work, together."""

import os

__version__ = "0.1.0"

# One BLAS thread, set before anything imports numpy (OpenBLAS reads these when it
# loads). The statistics fit small matrices one request at a time: OpenBLAS's threads
# made a Farrington fit take 330-400 ms of CPU instead of 65-90 ms, and on a busy web
# server they compete with the other workers. An operator's own setting wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
