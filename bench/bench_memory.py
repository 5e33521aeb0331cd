"""Fuzzy translation-memory lookups against 100,000 units: median and p95 per query.

Target: median under 20 ms. Baseline measured in the same run: rapidfuzz's fuzz.ratio over every
unit (what a memory without an index does). Also prints the recall of the index: for how many
queries it finds the baseline's best match (score >= threshold).

    python bench/bench_memory.py [--units 100000] [--queries 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "cli"))

from brochure.core.project import load_project
from brochure.memory.index import Memory
from brochure.memory.tmx import TranslationUnit, write_tmx

THRESHOLD = 75


def vocabulary(rng: random.Random, size: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(2, 11))))
    return sorted(words)


def sentence(rng: random.Random, vocab: list[str], weights: list[float]) -> str:
    words = rng.choices(vocab, weights, k=rng.randint(6, 30))
    return " ".join(words).capitalize() + "."


def mutate(rng: random.Random, text: str, vocab: list[str]) -> str:
    words = text.rstrip(".").split()
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(words))
        if rng.random() < 0.5 and len(words) > 4:
            del words[i]
        else:
            words[i] = rng.choice(vocab)
    return " ".join(words) + "."


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    from rapidfuzz import fuzz, process

    rng = random.Random(7)
    vocab = vocabulary(rng, 20_000)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]  # Zipf: a few words are everywhere
    sources = [sentence(rng, vocab, weights) for _ in range(args.units)]
    queries = [mutate(rng, rng.choice(sources), vocab) for _ in range(args.queries * 3 // 4)]
    queries += [sentence(rng, vocab, weights) for _ in range(args.queries - len(queries))]

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "a.md").write_text("# Text\n", encoding="utf-8")
        (root / "brochure.toml").write_text(
            'title = "Bench"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n',
            encoding="utf-8",
        )
        units = (TranslationUnit({"en": s, "ru": f"ru {i}"}) for i, s in enumerate(sources))
        write_tmx(root / "memory" / "bench.tmx", units, "en")
        project = load_project(root)
        t0 = time.perf_counter()
        memory = Memory.open(project)
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        Memory.open(project).close()
        reopen = time.perf_counter() - t0

        memory.lookup(queries[0], "en", "ru", THRESHOLD)  # warm up (imports, page cache)
        indexed, found = [], []
        for q in queries:
            t0 = time.perf_counter()
            matches = memory.lookup(q, "en", "ru", THRESHOLD)
            indexed.append((time.perf_counter() - t0) * 1000)
            found.append(matches[0].score if matches else 0)
        memory.close()

    baseline, best = [], []
    for q in queries:
        t0 = time.perf_counter()
        result = process.extract(q, sources, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=10)
        baseline.append((time.perf_counter() - t0) * 1000)
        best.append(min(99, round(result[0][1])) if result else 0)

    with_match = [i for i, b in enumerate(best) if b]
    recall = sum(1 for i in with_match if found[i] >= best[i]) / max(len(with_match), 1)
    med, p95 = statistics.median(indexed), percentile(indexed, 95)
    bmed, bp95 = statistics.median(baseline), percentile(baseline, 95)
    print(
        f"units: {args.units}, queries: {len(queries)} ({len(with_match)} with a match >= {THRESHOLD}%)"
    )
    print(f"index build from TMX: {build:.1f} s; reopen with no change: {reopen * 1000:.0f} ms")
    print(f"index (FTS5 rare words + rapidfuzz): median {med:.2f} ms, p95 {p95:.2f} ms")
    print(f"baseline (rapidfuzz over all units):  median {bmed:.2f} ms, p95 {bp95:.2f} ms")
    print(f"ratio baseline/index: median {bmed / med:.1f}x, p95 {bp95 / p95:.1f}x")
    print(f"recall of the baseline's best match: {recall:.1%}")
    print(f"target median < 20 ms: {'met' if med < 20 else 'MISSED'}")


if __name__ == "__main__":
    main()
