"""Benchmark: laying out a generated ~200-page edition, in the same run (not a test).

1. `brochure build` of a columns edition (en|ru, A5, bleed) against WeasyPrint alone rendering the
   same HTML (what brochure adds: reading, segmenting, the translation store, HTML, the glyph check,
   trim/bleed boxes and crop marks). Target: at most 1.15x.
2. Peak memory of that build (resource.getrusage in a child process). Target: under 400 MB.
3. The facing layout (two WeasyPrint passes: measure, then render) against columns.

The project is the seed texts repeated until the columns edition has about 200 pages, with the
seed's Russian translations. Every measurement is a fresh process, as the user runs it; best of 2.

    .venv/bin/python bench/bench_layout.py [--copies 13]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOML = """\
name = "bench"
title = {{ en = "Benchmark", ru = "Замер" }}
source_language = "en"
target_languages = ["ru"]
documents = [{documents}]

[[editions]]
name = "columns"
languages = ["en", "ru"]
layout = "columns"
formats = ["pdf"]

[[editions]]
name = "facing"
languages = ["en", "ru"]
layout = "facing"
formats = ["pdf"]
"""
CHILD = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
elapsed = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024}))
"""
WEASYPRINT_ALONE = """
import sys
from weasyprint import HTML
html = open(sys.argv[1], encoding="utf-8").read()
HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""


def make_project(folder: Path, copies: int) -> Path:
    """The seed sources repeated `copies` times as documents, with the seed's Russian translations."""
    from brochure.core.project import load_project
    from brochure.store.load import load_translations

    seeds = load_project(REPO / "seeds")
    segmented, stores = load_translations(seeds, ["ru"], sync=False)
    russian = {}
    for document in seeds.documents:
        for segment in segmented[document.name].segments:
            unit = stores[(document.name, "ru")].get(segment.id)
            if unit is not None and unit.has_target:
                russian[segment.text] = unit.target
    folder.mkdir(parents=True)
    names = []
    for n in range(copies):
        for document in seeds.documents:
            name = f"{document.name}-{n + 1:02d}.md"
            shutil.copy(document.path, folder / name)
            names.append(f'"{name}"')
    (folder / "brochure.toml").write_text(TOML.format(documents=", ".join(names)), encoding="utf-8")
    project = load_project(folder)
    segmented, stores = load_translations(project, ["ru"], sync=True)
    for document in project.documents:
        store = stores[(document.name, "ru")]
        for segment in segmented[document.name].segments:
            store.set_target(segment.id, russian[segment.text], "translated")
        store.save()
    return folder


def measure(args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def best(args: list[str], runs: int = 2) -> dict[str, float]:
    results = [measure(args) for _ in range(runs)]
    return {
        "seconds": min(r["seconds"] for r in results),
        "peak_mb": max(r["peak_mb"] for r in results),
    }


def pages(pdf: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(pdf).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--copies", type=int, default=13, help="how many times the seed texts are repeated"
    )
    options = parser.parse_args()
    from brochure.core.project import load_project
    from brochure.editions.assemble import make_edition
    from brochure.layout.html import render_html
    from brochure.store.load import load_translations

    with tempfile.TemporaryDirectory() as tmp:
        folder = make_project(Path(tmp) / "bench", options.copies)
        build = [
            sys.executable,
            "-m",
            "brochure",
            "-q",
            "build",
            str(folder),
            "--force",
            "--no-mt",
            "--edition",
        ]
        columns = best([*build, "columns"])
        columns_pdf = folder / "build" / "bench.en-ru.pdf"
        # the same HTML, rendered by WeasyPrint alone
        project = load_project(folder)
        spec = project.edition("columns")
        segmented, stores = load_translations(project, ["ru"], sync=False)
        html, base = render_html(make_edition(project, spec, segmented, stores, False, []))
        html_file = Path(tmp) / "columns.html"
        html_file.write_text(html, encoding="utf-8")
        alone = best(
            [
                sys.executable,
                "-c",
                WEASYPRINT_ALONE,
                str(html_file),
                base.as_uri() + "/",
                str(Path(tmp) / "alone.pdf"),
            ]
        )
        facing = best([*build, "facing"])
        facing_pdf = folder / "build" / "bench.en-ru.facing.pdf"

        print(
            f"columns edition: {pages(columns_pdf)} pages; facing edition: {pages(facing_pdf)} pages"
        )
        print(
            f"brochure build (columns):     {columns['seconds']:7.2f} s, peak {columns['peak_mb']:6.1f} MB"
        )
        print(
            f"WeasyPrint alone, same HTML:  {alone['seconds']:7.2f} s, peak {alone['peak_mb']:6.1f} MB"
        )
        print(
            f"brochure build (facing):      {facing['seconds']:7.2f} s, peak {facing['peak_mb']:6.1f} MB"
        )
        ratio = columns["seconds"] / alone["seconds"]
        print(
            f"build / WeasyPrint alone: {ratio:.2f}x (target: at most 1.15x) -> {'OK' if ratio <= 1.15 else 'MISSED'}"
        )
        peak = max(columns["peak_mb"], facing["peak_mb"])
        print(
            f"peak memory: {peak:.0f} MB (target: under 400 MB) -> {'OK' if peak < 400 else 'MISSED'}"
        )
        print(f"facing / columns: {facing['seconds'] / columns['seconds']:.2f}x "
              "(two WeasyPrint passes: measure, then render)")  # fmt: skip


if __name__ == "__main__":
    main()
