"""Run every benchmark in bench/ (bench_*.py) and summarise: `make bench`.

Each benchmark is a standalone script that prints `name: value (target …)` lines and
exits non-zero when a target is missed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        print(f"   ({time.perf_counter() - start:.1f} s)", flush=True)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"Targets missed in: {', '.join(failed)}")
        return 1
    print("All benchmark targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
