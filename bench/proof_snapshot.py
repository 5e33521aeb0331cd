"""Keep `brochure proof` honest while making it faster: snapshot its reports, then check against them.

A change that should not change what the proof reports (a faster reading of the PDF) is checked on
built projects: save the reports of every edition with the code before the change, check them with
the code after it. The reports compared are those of `brochure proof --json`, field by field; the
pages that differ are named.

    python bench/proof_snapshot.py save build/proof.json seeds /tmp/bench:columns
    python bench/proof_snapshot.py check build/proof.json seeds /tmp/bench:columns

PROJECT[:EDITION] names a built project folder and, optionally, one of its editions (the 200-page
benchmark project of bench_proof.py builds only its columns edition).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def reports(targets: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The proof reports of each PROJECT[:EDITION], as `brochure proof --json` prints them."""
    from brochure.core.project import load_project
    from brochure.pipeline.proof import proof_project

    found = {}
    for target in targets:
        folder, _, edition = target.partition(":")
        results = proof_project(load_project(Path(folder)), [edition] if edition else ())
        found[target] = [{"edition": r.edition, **r.report.as_dict()} for r in results]
    return found


def differences(saved: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What differs between two sets of reports, one line per field or page."""
    out = []
    for target, before in saved.items():
        after = now.get(target, [])
        if [r["edition"] for r in before] != [r["edition"] for r in after]:
            out.append(f"{target}: editions {[r['edition'] for r in after]}")
            continue
        for a, b in zip(before, after):
            for key in a:
                if key != "pages" and a[key] != b.get(key):
                    out.append(f"{target} {a['edition']}: {key}: {a[key]!r} -> {b.get(key)!r}")
            for pa, pb in zip(a["pages"], b["pages"]):
                changed = {k: (pa[k], pb.get(k)) for k in pa if pa[k] != pb.get(k)}
                if changed:
                    out.append(f"{target} {a['edition']}: page {pa['number']}: {changed}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["save", "check"])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("targets", nargs="+", metavar="PROJECT[:EDITION]")
    options = parser.parse_args()
    start = time.process_time()
    now = reports(options.targets)
    print(f"proofed in {time.process_time() - start:.2f} s CPU", file=sys.stderr)
    if options.mode == "save":
        options.snapshot.write_text(json.dumps(now, ensure_ascii=False, indent=1), "utf-8")
        return
    found = differences(json.loads(options.snapshot.read_text("utf-8")), now)
    print("\n".join(found) if found else "identical")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
