"""Fuzzy translation-memory lookups on realistic text: recall of a full scan's best match, and speed.

For Russian and Kazakh (bench/textgen.py: Zipf-distributed, inflected words), a memory of N units
(100,000 by default; --units 1000000 is the opt-in large case: building its index takes minutes)
and queries that are near misses of a unit (1-3 words deleted, replaced by another form of the
same word or by another word, or two words swapped) or new sentences. The baseline is what a
memory without an index does: rapidfuzz's fuzz.ratio over every unit (process.extractOne).

- recall: for how many queries with a full-scan match >= 75% the index finds a match as good
  (the full scan's scores are kept in build/bench-cache/, keyed by the text and rapidfuzz's version);
- time: index lookups of all queries, and the full scan on a sample of them, in 3 alternating,
  warmed-up runs; median per query, in CPU time of the looking-up thread (SQLite and rapidfuzz
  run in it: on an idle machine this is the wall time, and on a shared one the wait for a core
  does not count; the wall-time median and the load average are printed beside it).
Goals: recall >= 99%, median < 20 ms at 100k units (< 50 ms at 1M).

    python bench/bench_memory.py [--units 100000] [--queries 200] [--lang ru --lang kk]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "cli"))
sys.path.insert(0, str(HERE))

from brochure.core.project import load_project  # noqa: E402
from brochure.memory.index import Memory  # noqa: E402
from brochure.memory.tmx import TranslationUnit, write_tmx  # noqa: E402
from common import row  # noqa: E402
from textgen import CACHE, Words, cached  # noqa: E402

THRESHOLD = 75


def mutate(rng: random.Random, text: str, words: Words) -> str:
    """A near miss: 1-3 edits of whole words."""
    tokens = text.rstrip(".").split()
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(tokens))
        kind = rng.random()
        if kind < 0.3 and len(tokens) > 4:
            del tokens[i]
        elif kind < 0.6:
            tokens[i] = words.inflect(words.lemmas(1)[0])
        elif kind < 0.8 and len(tokens) > 1:
            j = rng.randrange(len(tokens))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tokens.insert(i, words.inflect(words.lemmas(1)[0]))
    return " ".join(tokens) + "."


def make_text(lang: str, units: int, queries: int) -> tuple[list[str], list[str], int]:
    """The memory's source sentences, the queries (near misses first) and how many are near misses."""
    rng = random.Random(7)
    words = Words(lang, rng)
    sources = [words.sentence(6, 30) for _ in range(units)]
    near = [mutate(rng, rng.choice(sources), words) for _ in range(queries * 3 // 4)]
    return sources, near + [words.sentence(6, 30) for _ in range(queries - len(near))], len(near)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def open_index(project: Any, tmx: Path, slot: str) -> tuple[Memory, str]:
    """The memory of `project` opened, its index built from `tmx`, or copied from
    build/bench-cache/ where this TMX's index was built before by the same memory code and SQLite
    (building it takes 11 s at 100k units; the lookups are the same in a copy). The copy is
    only a start: Memory.open brings it up to date with the files (their size, time and digest)."""
    import hashlib
    import shutil
    import sqlite3

    from brochure.memory.index import INDEX_FILE

    h = hashlib.sha1(f"{sqlite3.sqlite_version}\0".encode())
    for path in [tmx, *sorted((HERE.parent / "cli" / "brochure" / "memory").glob("*.py"))]:
        h.update(path.read_bytes() + b"\0")
    kept = CACHE / f"memory-index-{slot}-{h.hexdigest()[:12]}.sqlite"
    index = project.cache_dir / INDEX_FILE
    if kept.exists():
        index.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept, index)
        return Memory.open(project), "copied from build/bench-cache/ and checked"
    memory = Memory.open(project)
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"memory-index-{slot}-*.sqlite"):  # of another TMX or code
        old.unlink()
    tmp = kept.with_suffix(".tmp")
    backup = sqlite3.connect(tmp)
    memory.db.backup(backup)
    backup.close()
    tmp.replace(kept)
    return memory, "built from the TMX"


def bench_lang(lang: str, args: argparse.Namespace) -> None:
    from rapidfuzz import fuzz, process

    t0 = time.perf_counter()
    params = {"lang": lang, "units": args.units, "queries": args.queries, "seed": 7}
    sources, queries, near = cached("memory", params, lambda: make_text(lang, args.units, args.queries),
                                    code=[make_text, mutate])  # fmt: skip
    print(f"== {lang}: {args.units} units, {len(queries)} queries ({near} near misses); "
          f"text made or read from build/bench-cache/ in {time.perf_counter() - t0:.0f} s")  # fmt: skip
    other = "en"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "a.md").write_text("# Text\n", encoding="utf-8")
        (root / "brochure.toml").write_text(
            f'title = "Bench"\nsource_language = "{lang}"\ntarget_languages = ["{other}"]\ndocuments = ["a.md"]\n',
            encoding="utf-8",
        )
        units = (TranslationUnit({lang: s, other: f"t {i}"}) for i, s in enumerate(sources))
        write_tmx(root / "memory" / "bench.tmx", units, lang)
        project = load_project(root)
        t0 = time.perf_counter()
        memory, how = open_index(project, root / "memory" / "bench.tmx", f"{lang}-{args.units}")
        print(f"  index {how} in {time.perf_counter() - t0:.1f} s")

        wall: list[float] = []

        def index_run() -> list[float]:
            out = []
            for q in queries:
                start, cpu = time.perf_counter(), time.thread_time()
                memory.lookup(q, lang, other, THRESHOLD, limit=1)
                out.append((time.thread_time() - cpu) * 1000)
                wall.append((time.perf_counter() - start) * 1000)
            return out

        sample = queries[:: max(1, len(queries) // args.scan_sample)][: args.scan_sample]

        def scan_run() -> list[float]:
            out = []
            for q in sample:
                start = time.thread_time()
                process.extractOne(q, sources, scorer=fuzz.ratio, score_cutoff=THRESHOLD)
                out.append((time.thread_time() - start) * 1000)
            return out

        # the full scan's best match of every query (for the recall): the same text and rapidfuzz
        # give the same scores, so they are kept in build/bench-cache/ beside the text
        def full_scan() -> list[int]:
            best = []
            for q in queries:
                result = process.extractOne(q, sources, scorer=fuzz.ratio, score_cutoff=THRESHOLD)
                best.append(min(99, round(result[1])) if result else 0)
            return best

        t0 = time.perf_counter()
        scan_params = {**params, "threshold": THRESHOLD, "rapidfuzz": metadata.version("rapidfuzz")}
        best = cached("memory-scan", scan_params, full_scan, code=[make_text, mutate, full_scan])
        print(f"  full scan's best matches made or read from build/bench-cache/ in "
              f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
        index_run()  # warm-ups
        scan_run()
        wall.clear()
        index_medians, scan_medians, all_index = [], [], []
        for r in range(args.runs):
            for name in ("index", "scan") if r % 2 == 0 else ("scan", "index"):
                if name == "index":
                    times = index_run()
                    all_index += times
                    index_medians.append(statistics.median(times))
                else:
                    scan_medians.append(statistics.median(scan_run()))
        found = []
        for q in queries:
            matches = memory.lookup(q, lang, other, THRESHOLD, limit=1)
            found.append(matches[0].score if matches else 0)
        memory.close()
    with_match = [i for i, b in enumerate(best) if b]
    hits = sum(1 for i in with_match if found[i] >= best[i])
    recall = hits / max(len(with_match), 1)
    med, p95 = statistics.median(index_medians), percentile(all_index, 95)
    scan = statistics.median(scan_medians)
    load = os.getloadavg()[0]
    print(f"  index lookup: median per query over runs {', '.join(f'{m:.2f}' for m in index_medians)} ms "
          f"CPU; p95 {p95:.2f} ms; wall-time median {statistics.median(wall):.2f} ms (load average {load:.1f})")  # fmt: skip
    print(
        f"  full scan ({len(sample)} queries): median per query {', '.join(f'{m:.1f}' for m in scan_medians)} ms CPU"
    )
    print(f"  recall of the full scan's best match: {hits}/{len(with_match)} = {recall:.1%}; "
          f"full scan / index: {scan / med:.0f}x")  # fmt: skip
    size = f"{args.units // 1000}k units"
    row(f"memory {lang}: recall of the full scan's best match ({size})", ">= 99%",
        f"{recall:.1%} ({hits}/{len(with_match)})", recall >= 0.99)  # fmt: skip
    goal = 20 if args.units <= 100_000 else 50
    row(f"memory {lang}: median lookup ({size}, CPU)", f"< {goal} ms",
        f"{med:.1f} ms (p95 {p95:.1f}; wall {statistics.median(wall):.1f} at load {load:.1f}; "
        f"full scan {scan:.0f} ms)", med < goal)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument(
        "--scan-sample", type=int, default=20, help="queries the full scan is timed on"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--lang", action="append", choices=["ru", "kk", "en"], help="default: ru and kk"
    )
    args = parser.parse_args()
    for lang in args.lang or ["ru", "kk"]:
        bench_lang(lang, args)


if __name__ == "__main__":
    main()
