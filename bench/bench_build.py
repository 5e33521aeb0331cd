"""Benchmark: incremental builds of the seed project's en|ru edition (PDF + DOCX), in the same run.

Each is run as the user runs it (`brochure build`, a fresh process), warmed up, then timed 3 times
in alternating turns (bench/common.py); ratios use the medians:
  full       `brochure build --force`: everything rendered
  no change  `brochure build` with nothing changed. Goal: under 5% of the full build.
  changed    one paragraph of a source edited (alternately two versions), then `brochure build`:
             builds are incremental per edition, so the editions holding that document are
             rendered again. Goal: no more than the full build of those editions (<= 1.05x).
A build keeps its layout's measurements in .brochure/ (layout/measures.py), so the edited build
measures only the rows that changed; the full build keeps them too (it is --force, not a first
build: bench_layout.py times first builds), which makes it the harder baseline for both ratios.

The package's bytecode is compiled first, as an installed brochure has it (pip compiles it at
install); an environment with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on
every run, a fixed cost that is a third of a no-change rebuild.

    .venv/bin/python bench/bench_build.py [--runs 3] [--edition en-ru]
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from common import alternate, row  # noqa: E402

BROCHURE = [sys.executable, "-m", "brochure", "-q", "build"]


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def first_edition(project: Path) -> tuple[str, Path]:
    """The project's first edition, and the source of the first document it holds."""
    from brochure.core.project import load_project

    loaded = load_project(project)
    return loaded.editions[0].name, loaded.documents[0].path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
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
        versions = [original, original.replace(paragraph, paragraph + " (Edited.)", 1)]
        turn = [0]

        def changed() -> float:
            turn[0] += 1
            source.write_text(versions[turn[0] % 2], encoding="utf-8")
            return timed(build)

        def no_change() -> float:
            timed(build)  # settle whatever the previous subject left changed (not timed)
            return timed(build)

        timings = alternate({
            "full build (--force)": lambda: timed([*build, "--force"]),
            "no-change rebuild": no_change,
            "one paragraph changed": changed,
        }, runs=options.runs)  # fmt: skip
        print(f"edition {edition} of the seed project (PDF + DOCX); changed: {source.name}")
        for name, t in timings.items():
            print(f"  {name:<24} {t.text()}")
        full = timings["full build (--force)"].median
        again = timings["no-change rebuild"].median / full
        row("build: no-change rebuild / full build", "< 5%", f"{again:.1%}", again < 0.05)
        edit = timings["one paragraph changed"].median / full
        row("build: one changed paragraph / full build", "<= 1.05x", f"{edit:.2f}x", edit <= 1.05)


if __name__ == "__main__":
    main()
