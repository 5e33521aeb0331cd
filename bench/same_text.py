"""Did a layout change alter what the PDFs say? `pdftotext -layout` of every PDF of every seed
edition, and of the layout bench's columns edition (the seed texts repeated: many pages, many cut
paragraphs), saved to a folder; with --against, compared with an earlier save, byte for byte.

Every build here is a first build (a fresh copy of the project: no .brochure/ measurements).

    .venv/bin/python bench/same_text.py SAVE_DIR                   # save the current text
    .venv/bin/python bench/same_text.py NEW_DIR --against OLD_DIR  # save, then compare: exit 1 on a difference
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))


def build(project: Path, *editions: str) -> None:
    args = [sys.executable, "-m", "brochure", "-q", "build", str(project), "--force", "--no-mt"]
    for edition in editions:
        args += ["--edition", edition]
    subprocess.run(args, check=True)


def save_text(project: Path, out: Path, prefix: str) -> list[str]:
    names = []
    for pdf in sorted((project / "build").glob("*.pdf")):
        name = f"{prefix}{pdf.stem}.txt"
        subprocess.run(["pdftotext", "-layout", str(pdf), str(out / name)], check=True)
        names.append(name)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to save the texts in")
    parser.add_argument("--against", type=Path, help="a folder saved before: compare with it")
    parser.add_argument("--copies", type=int, default=7, help="the bench edition's copies")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    from bench_layout import make_project

    names: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        shutil.copytree(REPO / "seeds", seeds, ignore=shutil.ignore_patterns("build", ".brochure"))
        build(seeds)
        names += save_text(seeds, options.out, "seeds.")
        bench = make_project(Path(tmp) / "bench", options.copies)
        build(bench, "columns", "facing")
        names += save_text(bench, options.out, "bench.")
    print(f"saved {len(names)} texts in {options.out}")
    if options.against is None:
        return
    differ = [n for n in names if not (options.against / n).exists()
              or not filecmp.cmp(options.out / n, options.against / n, shallow=False)]  # fmt: skip
    for name in differ:
        print(f"DIFFERS: {name}")
    print("same text" if not differ else f"{len(differ)} of {len(names)} texts differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
