"""How far tryggnav.stats is from the reference implementations (R, statsmodels).

Runs the tests in tests/stats and records, for every test that compares with a
committed reference fixture, the largest relative deviation its comparison helper
(``max_rel`` or ``_close``) saw, and how many values it compared. Usage, from the
repository root:

    .venv/bin/python tests/stats/agreement.py

The tests themselves only check a tolerance (mostly 1e-6); this prints the actual
figures, for the documentation and for noticing a drift before it fails a test.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent


class Recorder:
    def __init__(self) -> None:
        self.current = ""
        self.worst: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)
        self.outcome: dict[str, str] = {}

    def _note(self, deviation: float, values: int) -> None:
        name = self.current.split("[")[0]
        self.worst[name] = max(self.worst[name], deviation)
        self.count[name] += values

    def _wrap_max_rel(self, original: Any) -> Any:
        def max_rel(a, b, *args, **kwargs):
            value = original(a, b, *args, **kwargs)
            self._note(float(value), int(np.size(b)))
            return value

        return max_rel

    def _wrap_close(self, original: Any) -> Any:
        def close(expected, got, atol=0.0):
            result = original(expected, got, atol)
            # A test with an absolute tolerance compares a value near zero (a score
            # y - mu that cancels), where a relative deviation means nothing.
            if atol == 0.0 and math.isfinite(expected) and math.isfinite(got):
                self._note(abs(got - expected) / max(abs(expected), 1e-300), 1)
            return result

        return close

    def pytest_collection_modifyitems(self, items) -> None:
        for module in {item.module for item in items}:
            if hasattr(module, "max_rel"):
                module.max_rel = self._wrap_max_rel(module.max_rel)
            if hasattr(module, "_close"):
                module._close = self._wrap_close(module._close)

    def pytest_runtest_setup(self, item) -> None:
        self.current = f"{Path(item.fspath).stem}::{item.name}"

    def pytest_runtest_logreport(self, report) -> None:
        if report.when == "call":
            name = report.nodeid.split("::", 1)[1].split("[")[0]
            key = f"{Path(report.fspath).stem}::{name}"
            if report.outcome != "passed" or key not in self.outcome:
                self.outcome[key] = report.outcome


def main() -> int:
    recorder = Recorder()
    code = pytest.main(
        [str(HERE), "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--no-header"],
        plugins=[recorder],
    )
    print()
    print(f"{'test':78} {'values':>8} {'max rel. dev.':>14}")
    for name in sorted(recorder.worst):
        flag = "" if recorder.outcome.get(name) == "passed" else "  FAILED"
        print(f"{name:78} {recorder.count[name]:>8} {recorder.worst[name]:>14.2e}{flag}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
