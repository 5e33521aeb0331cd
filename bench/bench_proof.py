"""Benchmark: `brochure proof` over the ~200-page benchmark edition, and what line breaking costs.

1. `brochure proof` of the columns edition against its `brochure build`. Target: under 20 %.
2. The layout passes the build adds where a hyphen ladder is too long (layout/linebreak.py),
   counted in the timed builds' own log (they run with -v: the few debug lines cost nothing).
A build against WeasyPrint alone is bench_layout.py's to time (first builds, and a rebuild that
keeps its measurements, as the builds here do): not measured twice.

The project is bench_layout's: the seed texts repeated until the columns edition has about 200
pages. The warm-up build starts from the measurements the last run's builds kept (build/bench-cache/:
layout/measures.py checks them, row by row and against the layout's code, and measures again
whatever is not the same), so it costs a rebuild, not a first build. Fresh processes, warmed up (each command once), then timed 3 times in alternating turns (bench/common.py; the ratio is the median of the
turns' ratios), in the CPU time of the child
process (user + system: each is single-threaded, so on an idle machine that is its wall time, and
on a shared one the wait for a core does not count; the wall times are printed beside).

    .venv/bin/python bench/bench_proof.py [--copies 13] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_layout import make_project, pages  # noqa: E402
from common import STDERR, WALL, alternate, child_cpu, row, turn_ratios  # noqa: E402
from textgen import CACHE  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=13)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_project(Path(tmp) / "bench", options.copies)
        brochure = [sys.executable, "-m", "brochure"]

        def build(f: Path, verbose: str = "-q") -> list[str]:
            return [*brochure, verbose, "build", str(f), "--force", "--no-mt", "-e", "columns"]

        def proof(f: Path) -> list[str]:
            return [*brochure, "-q", "proof", str(f), "-e", "columns", "--json"]

        # the measurements the last run kept (only a start: see the module doc)
        kept = CACHE / f"proof-measures-{options.copies}.json"
        measures = folder / ".brochure" / "measures-columns-columns.json"
        if kept.exists():
            measures.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(kept, measures)
        times = alternate(
            {"build": lambda: child_cpu(build(folder, "-v"), "build", keep_stderr=True),
             "proof": lambda: child_cpu(proof(folder), "proof")},
            runs=options.runs,
            # the build's warm-up is a whole one: it leaves the measurements every timed build keeps
            # (.brochure/measures-*), and the PDF the proof's warm-up reads
            warmups={"build": lambda: child_cpu(build(folder)), "proof": lambda: child_cpu(proof(folder))},
        )  # fmt: skip
        if measures.exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(measures, kept)
        count = pages(folder / "build" / "bench.en-ru.pdf")
        b, p = times["build"].median, times["proof"].median
        for timing in times.values():
            walls = ", ".join(f"{x:.1f}" for x in WALL[timing.name])
            print(f"{timing.name:10} {timing.text()} CPU; wall times {walls} s")
        passes = sorted({err.count("hyphen ladder(s) too long") for err in STDERR["build"]})
        print(f"columns edition: {count} pages; extra layout passes for hyphen ladders: "
              f"{passes}; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        turns = turn_ratios(times["proof"], times["build"])
        ratio = statistics.median(turns)
        row(
            f"proof / build ({count} pages, CPU)",
            "< 20%",
            f"{ratio:.1%} (turns {min(turns):.1%}-{max(turns):.1%}; {p:.1f} s / {b:.1f} s, "
            f"medians of {options.runs})",
            ratio < 0.20,
        )
        row("layout passes for ladders", "0 extra", "/".join(map(str, passes)), None)


if __name__ == "__main__":
    main()
