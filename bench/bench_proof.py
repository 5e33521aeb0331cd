"""Benchmark: `brochure proof` over the ~200-page benchmark edition, and what line breaking costs.

1. `brochure proof` of the columns edition against its `brochure build`. Target: under 20 %.
2. `brochure build` against WeasyPrint alone rendering the edition's HTML once. Target: at most
   1.15x. The build now includes the typography stage, the hyphenation guard and, where a hyphen
   ladder is too long, another layout pass (layout/linebreak.py); the passes are counted.

The project is bench_layout's: the seed texts repeated until the columns edition has about 200
pages. Fresh processes, timed in alternating turns (bench/common.py).

    .venv/bin/python bench/bench_proof.py [--copies 13] [--runs 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_layout import WEASYPRINT_ALONE, make_project, pages  # noqa: E402
from common import alternate, row  # noqa: E402


def run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=13)
    parser.add_argument("--runs", type=int, default=2)
    options = parser.parse_args()
    from brochure.core.project import load_project
    from brochure.editions.assemble import make_edition
    from brochure.layout.html import render_html
    from brochure.layout.typography import typeset_edition
    from brochure.store.load import load_translations

    with tempfile.TemporaryDirectory() as tmp:
        folder = make_project(Path(tmp) / "bench", options.copies)
        brochure = [sys.executable, "-m", "brochure"]
        build = [*brochure, "-q", "build", str(folder), "--force", "--no-mt", "-e", "columns"]
        proof = [*brochure, "-q", "proof", str(folder), "-e", "columns", "--json"]
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
                 str(Path(tmp) / "alone.pdf")]  # fmt: skip
        times = alternate(
            {"build": lambda: run(build), "weasyprint": lambda: run(alone),
             "proof": lambda: run(proof)},
            runs=options.runs, warmup=False,
        )  # fmt: skip
        count = pages(folder / "build" / "bench.en-ru.pdf")
        b, w, p = times["build"].min, times["weasyprint"].min, times["proof"].min
        for timing in times.values():
            print(f"{timing.name:10} {timing.text()}")
        print(f"columns edition: {count} pages; extra layout passes for hyphen ladders: {passes}")
        row(
            "proof / build (200 pages)",
            "< 20%",
            f"{p / b:.1%} ({p:.1f} s / {b:.1f} s)",
            p / b < 0.20,
        )
        row(
            "build / WeasyPrint alone (typeset, proofed)",
            "<= 1.15x",
            f"{b / w:.2f}x",
            b / w <= 1.15,
        )
        row("layout passes for ladders", "0 extra", str(passes), None)


if __name__ == "__main__":
    main()
