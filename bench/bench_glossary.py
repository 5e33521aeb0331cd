"""Glossary matching: 10,000 terms against 10,000 segments, beside a naive regex-per-term baseline.

Target: under 2 s for the indexed matcher (index build + matching), in CPU time (process_time,
so other work on the machine does not count). The baseline (one compiled
regular expression per term, each searched in every segment) is measured on a sample of the
segments in the same run and scaled up, since the full run would take minutes.

    python bench/bench_glossary.py [--terms 10000] [--segments 10000] [--lang en|ru]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "cli"))

from brochure.glossary.concepts import Concept  # noqa: E402
from brochure.glossary.match import Matcher  # noqa: E402


def words(rng: random.Random, n: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(letters) for _ in range(rng.randint(4, 10))))
    return sorted(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--terms", type=int, default=10_000)
    ap.add_argument("--segments", type=int, default=10_000)
    ap.add_argument("--baseline-sample", type=int, default=200)
    args = ap.parse_args()
    rng = random.Random(7)
    vocab = words(rng, 20_000)
    concepts = []
    for i in range(args.terms):
        n = rng.choice((1, 1, 2, 3))
        concepts.append(Concept(id=f"c{i}", preferred={"en": " ".join(rng.sample(vocab, n))}))
    segments = []
    for _ in range(args.segments):
        toks = [rng.choice(vocab) + rng.choice(("", "", "s")) for _ in range(rng.randint(12, 30))]
        segments.append(" ".join(toks) + ".")

    t0 = time.process_time()
    matcher = Matcher(concepts, "en")
    t1 = time.process_time()
    found = sum(len(matcher.find(s)) for s in segments)
    t2 = time.process_time()

    patterns = [
        re.compile(rf"\b{re.escape(c.preferred['en'])}(?:s|'s|’s)?\b", re.I) for c in concepts
    ]
    sample = segments[: args.baseline_sample]
    t3 = time.process_time()
    naive = sum(1 for s in sample for p in patterns if p.search(s))
    t4 = time.process_time()
    scaled = (t4 - t3) * len(segments) / len(sample)

    print(f"terms {args.terms}, segments {args.segments}, matches {found}")
    print(
        f"indexed matcher: build {t1 - t0:.2f} s + match {t2 - t1:.2f} s = {t2 - t0:.2f} s (target < 2 s)"
    )
    print(f"regex per term:  {t4 - t3:.2f} s for {len(sample)} segments ({naive} hits) "
          f"-> ~{scaled:.1f} s for {len(segments)}  (x{scaled / max(t2 - t0, 1e-9):.0f} slower)")  # fmt: skip


if __name__ == "__main__":
    main()
