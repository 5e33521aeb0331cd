"""Benchmark: incremental builds of the seed project's en|ru edition (PDF + DOCX), in the same run.

Each is run as the user runs it (`brochure build`, a fresh process, the same options), warmed up,
and timed in the CPU time of its process (user + system: a build is single-threaded, so on an
idle machine that is its wall time, and on a shared one the wait for a core does not count); the
wall times are printed beside.
  full       `brochure build --force`: everything rendered
  no change  `brochure build` with nothing changed. Goal: under 5% of the full build. Timed 5
             times in alternating turns with the full build (bench/common.py); the ratio is the
             median of the turns' ratios, the range over the turns beside.
  changed    one paragraph of a source edited (a new text each time), then `brochure build`:
             builds are incremental per edition, so the editions holding that document are
             rendered again. Goal: no more than the full build of those editions (<= 1.05x).
             Timed side by side with a full build (bench/common.side_by_side: the two start at
             the same moment, on two copies of the project, the one started first alternating):
             a pair meets the same load, so its ratio is about 3x less noisy than that of two
             runs one after the other (the CPU time of one build varied 3.3-4.5 s at load 1, so
             the turns' ratios of the sequential runs read 0.74-1.23x around a 1.03x that
             valgrind's instruction counts gave). What decides is the median of the pairs'
             ratios and its distribution-free 90% interval (common.median_interval): met when
             the whole interval is within the goal, MISSED when it is all beyond it, else more
             pairs, two at a time, up to --max-pairs; if the interval still spans the goal,
             the instructions each build executes decide (valgrind, when installed: two full
             builds and an edited one, deterministic to a few tenths of a percent where the CPU
             time of the pairs varied 0.71-1.33x; the two full builds' difference is the
             margin), else "undecided". On the seed project: 1.02x (12.82 and 12.86 billion
             instructions for the full builds, 13.10 for the edited one).
A build keeps its layout's measurements in .brochure/ (layout/measures.py), so the edited build
measures only the rows that changed; the full build keeps them too (it is --force, not a first
build: bench_layout.py times first builds), which makes it the harder baseline for both ratios.

The package's bytecode is compiled first, as an installed brochure has it (pip compiles it at
install); an environment with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on
every run, a fixed cost that is a third of a no-change rebuild.

    .venv/bin/python bench/bench_build.py [--runs 5] [--pairs 9] [--max-pairs 15] [--edition en-ru]
                                          [--no-instructions]
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

from common import (  # noqa: E402
    WALL,
    alternate,
    child_cpu,
    interval_verdict,
    median_interval,
    row,
    side_by_side,
    turn_ratios,
)

BROCHURE = [sys.executable, "-m", "brochure", "-q", "build"]


def first_edition(project: Path) -> tuple[str, Path]:
    """The project's first edition, and the source of the first document it holds."""
    from brochure.core.project import load_project

    loaded = load_project(project)
    return loaded.editions[0].name, loaded.documents[0].path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="turns of full and no-change builds")
    parser.add_argument("--pairs", type=int, default=9, help="side-by-side pairs, at least")
    parser.add_argument("--max-pairs", type=int, default=15, help="while undecided, at most")
    parser.add_argument("--edition", help="default: the seed project's first edition")
    parser.add_argument("--no-instructions", action="store_true",
                        help="never decide the changed paragraph by instruction counts")  # fmt: skip
    options = parser.parse_args()
    import brochure

    compileall.compile_dir(Path(brochure.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        # two copies: the full builds run in one while the edited builds run in the other
        projects = [Path(tmp) / name / "seeds" for name in ("full", "edited")]
        for project in projects:
            shutil.copytree(
                REPO / "seeds", project, ignore=shutil.ignore_patterns("build", ".brochure")
            )
        edition, source = first_edition(projects[1])
        edition = options.edition or edition
        full_build, edit_build = (
            [*BROCHURE, str(p), "--edition", edition, "--draft", "--no-mt"] for p in projects
        )
        original = source.read_text(encoding="utf-8")
        paragraph = next(p for p in original.split("\n\n") if len(p) > 80 and not p.startswith("#"))
        turn = [0]

        def edit() -> None:
            # a new text every time: the layout has never measured it (two versions in turn would
            # both be in the measurement cache after the warm-up, and the edit would measure nothing)
            turn[0] += 1
            edited = original.replace(paragraph, f"{paragraph} (Edited {turn[0]}.)", 1)
            source.write_text(edited, encoding="utf-8")

        def no_change(name: str = "") -> float:
            child_cpu(full_build)  # settle whatever the previous subject left changed (not timed)
            return child_cpu(full_build, name)

        # warm-ups: the two copies' first builds (they measure every row), side by side, and an
        # edited build
        side_by_side([full_build, edit_build])
        edit()
        child_cpu(edit_build)
        full, again = "full build (--force)", "no-change rebuild"
        timings = alternate(
            {full: lambda: child_cpu([*full_build, "--force"], full), again: lambda: no_change(again)},
            runs=options.runs, warmups={full: lambda: None, again: no_change},
        )  # fmt: skip
        # one paragraph changed, side by side with a full build
        pairs: list[tuple[float, float, float, float]] = []  # (full CPU, edited CPU, walls)

        def pair() -> None:
            edit()
            commands = [[*full_build, "--force"], edit_build]
            first = len(pairs) % 2  # which of the two starts first, alternating
            got = side_by_side(commands[first:] + commands[:first])
            (f_cpu, f_wall), (e_cpu, e_wall) = got if first == 0 else got[::-1]
            pairs.append((f_cpu, e_cpu, f_wall, e_wall))

        limit = 1.05
        for _ in range(options.pairs):
            pair()
        while True:
            ratios = [e / f for f, e, *_ in pairs]
            ratio, low, high = median_interval(ratios)
            if high <= limit or low > limit or len(pairs) + 2 > options.max_pairs:
                break
            pair()
            pair()
        print(f"edition {edition} of the seed project (PDF + DOCX); changed: {source.name}; "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        for name, t in timings.items():
            walls = ", ".join(f"{x:.2f}" for x in WALL[name])
            cpus = ", ".join(f"{x:.2f}" for x in t.seconds)
            print(f"  {name:<24} {t.text()} CPU ({cpus}); wall times {walls} s")
        base = timings[full]
        turns = turn_ratios(timings[again], base)
        print(f"  {again}: turns' ratios {', '.join(f'{r:.1%}' for r in turns)}")
        t = timings[again]
        ratio_again = statistics.median(turns)
        row("build: no-change rebuild / full build (CPU)", "< 5%",
            f"{ratio_again:.1%} (turns {min(turns):.1%}-{max(turns):.1%}; of medians "
            f"{t.median / base.median:.1%}, of minima {t.min / base.min:.1%}; "
            f"{t.median:.2f} s / {base.median:.2f} s)", ratio_again < 0.05)  # fmt: skip
        fulls, edits = [p[0] for p in pairs], [p[1] for p in pairs]
        print(f"  side by side, {len(pairs)} pairs (CPU s, full / edited): "
              + ", ".join(f"{f:.2f}/{e:.2f}" for f, e, *_ in pairs))  # fmt: skip
        print("  their wall times: " + ", ".join(f"{p[2]:.1f}/{p[3]:.1f}" for p in pairs))
        print(f"  one paragraph changed: pairs' ratios {', '.join(f'{r:.3f}' for r in ratios)}")
        verdict, why = interval_verdict(low, high, limit, f"{len(pairs)} pairs", len(ratios))
        measured = (
            f"{ratio:.2f}x (median of {len(pairs)} side-by-side pairs; its 90% interval "
            f"{low:.2f}-{high:.2f}x, {why}; of medians "
            f"{statistics.median(edits) / statistics.median(fulls):.2f}x, of minima "
            f"{min(edits) / min(fulls):.2f}x; {statistics.median(edits):.2f} s / "
            f"{statistics.median(fulls):.2f} s)"
        )
        if verdict == "undecided" and shutil.which("valgrind") and not options.no_instructions:
            # the CPU time's noise cannot decide: count the instructions each build executes
            full_i = [instructions([*full_build, "--force"]) for _ in range(2)]
            edit()
            edit_i = instructions(edit_build)
            spread = abs(full_i[0] - full_i[1]) / statistics.mean(full_i)
            by_count = edit_i / statistics.mean(full_i)
            print(f"  instructions (valgrind): full {full_i[0]:,} and {full_i[1]:,}, edited "
                  f"{edit_i:,}: {by_count:.3f}x, the full builds {spread:.2%} apart")  # fmt: skip
            verdict = (
                "met"
                if by_count + spread <= limit
                else "MISSED"
                if by_count - spread > limit
                else "undecided"
            )
            measured = (f"{by_count:.3f}x by instructions executed (valgrind; two full builds "
                        f"{spread:.2%} apart), decides; CPU time: {measured}")  # fmt: skip
        row("build: one changed paragraph / full build (CPU)", f"<= {limit:.2f}x", measured,
            verdict == "met", verdict)  # fmt: skip


def instructions(args: list[str]) -> int:
    """The instructions a command's process executes (valgrind's cachegrind without its cache
    simulation, "I refs": the same count for the same work within a few tenths of a percent,
    whatever the load; about 30x slower than the command). PYTHONHASHSEED fixed: the same sets
    and dicts in the same order from run to run."""
    import re
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no",
             f"--cachegrind-out-file={tmp}/out", *args],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )  # fmt: skip
    found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"valgrind {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


if __name__ == "__main__":
    main()
