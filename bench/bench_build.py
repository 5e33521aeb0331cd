"""Benchmark: a no-change rebuild of the seed project against a full build, in the same run.

Target (issue 5): the no-change rebuild takes under 5% of the full build's time.
Each is run as the user runs it (`brochure build`, a fresh process), best of 3.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BROCHURE = [sys.executable, "-m", "brochure", "-q", "build"]


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "seeds"
        shutil.copytree(
            REPO / "seeds", project, ignore=shutil.ignore_patterns("build", ".brochure")
        )
        full = min(timed([*BROCHURE, str(project), "--force"]) for _ in range(3))
        again = min(timed([*BROCHURE, str(project)]) for _ in range(3))
        print(f"full build of the seed project:   {full:7.2f} s")
        print(f"no-change rebuild:                {again:7.2f} s")
        ratio = again / full
        print(
            f"ratio: {ratio:.1%} of the full build (target: under 5%) -> {'OK' if ratio < 0.05 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
