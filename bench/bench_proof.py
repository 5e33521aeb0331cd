"""Benchmark: `brochure proof` over the ~200-page benchmark edition, and what line breaking costs.

1. `brochure proof` of the columns edition against its `brochure build`. Target: under 20 %.
2. `brochure build --force` against WeasyPrint alone rendering the edition's HTML once (info: the
   row measurements of the first build are kept, so this is a rebuild; bench_layout.py holds the
   first build to the 1.15x goal). The build includes the typography stage, the hyphenation guard
   and, where a hyphen ladder is too long, another layout pass (layout/linebreak.py); the passes
   are counted.

The project is bench_layout's: the seed texts repeated until the columns edition has about 200
pages. Fresh processes, warmed up (each command once on a one-copy project: modules and fonts
read), then timed 3 times in alternating turns (bench/common.py), in the CPU time of the child
process (user + system: each is single-threaded, so on an idle machine that is its wall time, and
on a shared one the wait for a core does not count; the wall times are printed beside).

    .venv/bin/python bench/bench_proof.py [--copies 13] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_layout import WEASYPRINT_ALONE, make_project, pages  # noqa: E402
from common import WALL, alternate, child_cpu, row  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=13)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    from brochure.core.project import load_project
    from brochure.editions.assemble import make_edition
    from brochure.layout.html import render_html
    from brochure.layout.typography import typeset_edition
    from brochure.store.load import load_translations

    with tempfile.TemporaryDirectory() as tmp:
        folder = make_project(Path(tmp) / "bench", options.copies)
        small = make_project(Path(tmp) / "warm", 1)
        brochure = [sys.executable, "-m", "brochure"]

        def build(f: Path) -> list[str]:
            return [*brochure, "-q", "build", str(f), "--force", "--no-mt", "-e", "columns"]

        def proof(f: Path) -> list[str]:
            return [*brochure, "-q", "proof", str(f), "-e", "columns", "--json"]

        passes = subprocess.run(
            [*brochure, "-v", "build", str(folder), "--force", "--no-mt", "-e", "columns"],
            capture_output=True, text=True, check=True,
        ).stderr.count("hyphen ladder(s) too long")  # fmt: skip
        project = load_project(folder)
        spec = project.edition("columns")
        segmented, stores = load_translations(project, ["ru"], sync=False)
        edition = typeset_edition(make_edition(project, spec, segmented, stores, False, []))
        html, base = render_html(edition)
        html_file = Path(tmp) / "columns.html"
        html_file.write_text(html, encoding="utf-8")
        alone = [sys.executable, "-c", WEASYPRINT_ALONE, str(html_file), base.as_uri() + "/",
                 str(Path(tmp) / "alone.pdf"), str(Path(tmp) / "alone.print.pdf")]  # fmt: skip
        child_cpu(build(small))  # the small project's HTML for WeasyPrint's warm-up
        times = alternate(
            {"build": lambda: child_cpu(build(folder), "build"),
             "weasyprint": lambda: child_cpu(alone, "weasyprint"),
             "proof": lambda: child_cpu(proof(folder), "proof")},
            runs=options.runs,
            warmups={"build": lambda: child_cpu(build(small)), "proof": lambda: child_cpu(proof(small)),
                     "weasyprint": lambda: child_cpu(build(small))},  # imports WeasyPrint, reads the fonts
        )  # fmt: skip
        count = pages(folder / "build" / "bench.en-ru.pdf")
        b, w, p = times["build"].median, times["weasyprint"].median, times["proof"].median
        for timing in times.values():
            walls = ", ".join(f"{x:.1f}" for x in WALL[timing.name])
            print(f"{timing.name:10} {timing.text()} CPU; wall times {walls} s")
        print(f"columns edition: {count} pages; extra layout passes for hyphen ladders: {passes}; "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        row(
            f"proof / build ({count} pages, CPU)",
            "< 20%",
            f"{p / b:.1%} ({p:.1f} s / {b:.1f} s, medians of {options.runs})",
            p / b < 0.20,
        )
        # `build --force` keeps the row measurements of the warm-up build (.brochure/measures-*):
        # a rebuild, not a first build; bench_layout.py times first builds against the same goal
        row(
            "build --force, measurements kept / WeasyPrint alone (typeset, proofed; CPU)",
            "info (first build: bench_layout)",
            f"{b / w:.2f}x ({b:.1f} s / {w:.1f} s)",
            None,
        )
        row("layout passes for ladders", "0 extra", str(passes), None)


if __name__ == "__main__":
    main()
