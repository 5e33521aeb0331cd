"""Benchmark: incremental builds of the seed project's en|ru edition (PDF + DOCX), in the same run.

Each is run as the user runs it (`brochure build`, a fresh process, the same options), warmed up,
then timed 5 times in alternating turns (bench/common.py), in the CPU time of the child process
(user + system: a build is single-threaded, so on an idle machine that is its wall time, and on a
shared one the wait for a core does not count; on a busy one a process's CPU time still varies by
10%, hence 5 runs, not 3); the wall times are printed beside. A ratio is the median of the turns'
ratios (in each turn the subjects ran one after the other, so a burst of load touches both sides
alike); the range over the turns, the ratios of the medians and of the minima, and the wall-time
ratio are printed beside:
  full       `brochure build --force`: everything rendered
  no change  `brochure build` with nothing changed. Goal: under 5% of the full build.
  changed    one paragraph of a source edited (a new text each time), then `brochure build`:
             builds are incremental per edition, so the editions holding that document are
             rendered again. Goal: no more than the full build of those editions (<= 1.05x).
A build keeps its layout's measurements in .brochure/ (layout/measures.py), so the edited build
measures only the rows that changed; the full build keeps them too (it is --force, not a first
build: bench_layout.py times first builds), which makes it the harder baseline for both ratios.

The package's bytecode is compiled first, as an installed brochure has it (pip compiles it at
install); an environment with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on
every run, a fixed cost that is a third of a no-change rebuild.

    .venv/bin/python bench/bench_build.py [--runs 5] [--edition en-ru]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from common import WALL, alternate, child_cpu, row, turn_ratios  # noqa: E402

BROCHURE = [sys.executable, "-m", "brochure", "-q", "build"]


def first_edition(project: Path) -> tuple[str, Path]:
    """The project's first edition, and the source of the first document it holds."""
    from brochure.core.project import load_project

    loaded = load_project(project)
    return loaded.editions[0].name, loaded.documents[0].path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edition", help="default: the seed project's first edition")
    options = parser.parse_args()
    import brochure

    compileall.compile_dir(Path(brochure.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "seeds"
        shutil.copytree(
            REPO / "seeds", project, ignore=shutil.ignore_patterns("build", ".brochure")
        )
        edition, source = first_edition(project)
        edition = options.edition or edition
        build = [*BROCHURE, str(project), "--edition", edition, "--draft", "--no-mt"]
        original = source.read_text(encoding="utf-8")
        paragraph = next(p for p in original.split("\n\n") if len(p) > 80 and not p.startswith("#"))
        turn = [0]

        def changed(name: str = "") -> float:
            # a new text every time: the layout has never measured it (two versions in turn would
            # both be in the measurement cache after the warm-up, and the edit would measure nothing)
            turn[0] += 1
            edited = original.replace(paragraph, f"{paragraph} (Edited {turn[0]}.)", 1)
            source.write_text(edited, encoding="utf-8")
            return child_cpu(build, name)

        def no_change(name: str = "") -> float:
            child_cpu(build)  # settle whatever the previous subject left changed (not timed)
            return child_cpu(build, name)

        full, again, edit = "full build (--force)", "no-change rebuild", "one paragraph changed"
        timings = alternate(
            {full: lambda: child_cpu([*build, "--force"], full), again: lambda: no_change(again),
             edit: lambda: changed(edit)},
            runs=options.runs,
            warmups={full: lambda: child_cpu([*build, "--force"]), again: no_change, edit: changed},
        )  # fmt: skip
        print(f"edition {edition} of the seed project (PDF + DOCX); changed: {source.name}; "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        for name, t in timings.items():
            walls = ", ".join(f"{x:.2f}" for x in WALL[name])
            cpus = ", ".join(f"{x:.2f}" for x in t.seconds)
            print(f"  {name:<24} {t.text()} CPU ({cpus}); wall times {walls} s")
        base = timings[full]
        for name, metric, goal, limit, percent in (
            (again, "build: no-change rebuild / full build (CPU)", "< 5%", 0.05, True),
            (edit, "build: one changed paragraph / full build (CPU)", "<= 1.05x", 1.05, False),
        ):  # fmt: skip
            t = timings[name]
            # each turn ran the subjects one after the other: its ratio compares runs that met the
            # same load on the shared machine; the median over the turns decides
            turns = turn_ratios(t, base)
            ratio = statistics.median(turns)
            wall = statistics.median(w / b for w, b in zip(WALL[name], WALL[full], strict=True))

            def shown(r: float, percent: bool = percent) -> str:
                return f"{r:.1%}" if percent else f"{r:.2f}x"

            print(f"  {name}: turns' ratios {', '.join(shown(r) for r in turns)}")
            row(metric, goal,
                f"{shown(ratio)} (turns {shown(min(turns))}-{shown(max(turns))}; of medians "
                f"{shown(t.median / base.median)}, of minima {shown(t.min / base.min)}; wall "
                f"{shown(wall)}; {t.median:.2f} s / {base.median:.2f} s)",
                ratio < limit if percent else ratio <= limit)  # fmt: skip


if __name__ == "__main__":
    main()
