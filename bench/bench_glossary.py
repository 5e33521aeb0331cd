"""Glossary matching: 10,000 concepts against 10,000 inflected segments, beside a regex baseline.

Goal: index build + matching of 10k concepts x 10k segments under 2 s, in Russian and in Kazakh.
Timed in CPU time of this process (process_time: the matcher is single-threaded Python, so on an
idle machine this is its wall time, and other work on a shared machine does not count), with the
morphology caches emptied before every run (a new process), twice: with the word keys (lemmas,
stems) an earlier run kept in .brochure/ (read from the file inside the timing), and the first run
ever, which analyses every distinct word form (the goal applies to the kept run: issue 16 proposes keys that outlive the process; the
first run's cost is once per word form the project has never seen, and is reported without a
goal). The baseline, one regular expression
per term (exact forms only: it finds less), runs on a sample of the segments in alternating turns
with the matcher and is scaled up.

Text with realistic word frequencies: words are drawn by Zipf's law (rank r has weight 1/r) from a
vocabulary whose most frequent part is the seed project's and the built-in glossary's own words
and whose tail is dictionary words, each drawn in an inflected form:
- ru: lemmas from pymorphy3's dictionary (a few thousand per common prefix), each occurrence one
  of its lexeme's forms (cases, numbers, persons);
- kk: the seed translations' and the glossary's Kazakh words as stems, each occurrence inflected
  by the suffix rules with a tag drawn as in running text (nominative most often, then the
  genitive, accusative, dative, locative ...; possessive and plural forms now and then);
- en: the seed texts' English words, plural now and then.
Concepts are 1-3 word terms of the same vocabulary in the base form.

    python bench/bench_glossary.py [--concepts 10000] [--segments 10000] [--lang ru --lang kk]
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "cli"))
sys.path.insert(0, str(HERE))

from brochure.glossary import keycache, morph  # noqa: E402
from brochure.glossary import match as match_module  # noqa: E402
from brochure.glossary.concepts import Concept  # noqa: E402
from brochure.glossary.match import Matcher  # noqa: E402
from common import Timing, row  # noqa: E402
from textgen import Words, cached  # noqa: E402


def make_data(lang: str, concepts: int, segments: int, seed: int = 7):
    """The concepts and the segments, made once and kept in build/bench-cache/ (textgen.cached)."""
    params = {"lang": lang, "concepts": concepts, "segments": segments, "seed": seed}
    terms, texts = cached("glossary", params, lambda: _make_data(lang, concepts, segments, seed),
                          code=[_make_data])  # fmt: skip
    return [Concept(id=f"c{i}", preferred={lang: term}) for i, term in enumerate(terms)], texts


def _make_data(lang: str, concepts: int, segments: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    words_of = Words(lang, rng)
    vocab = words_of.vocab
    distinct_terms: set[str] = set()
    out: list[str] = []
    while len(out) < concepts:
        # terms: mostly content words of middling rank, as a glossary's are
        words = [
            vocab[min(len(vocab) - 1, int(rng.paretovariate(0.6)) + 30)]
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        term = " ".join(words)
        if term not in distinct_terms:
            distinct_terms.add(term)
            out.append(term)
    texts = [words_of.sentence() for _ in range(segments)]
    return out, texts


def clear_caches() -> None:
    """Empty every memo of the morphology and the matcher: each run is a cold process."""
    for module in (morph, match_module):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()
    morph.ru_morph()  # the dictionary itself stays loaded (its load is not matching)


def bench_lang(lang: str, args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    concepts, texts = make_data(lang, args.concepts, args.segments)
    tokens = [w.lower() for t in texts for w in re.findall(r"\w+", t)]
    forms = len(set(tokens))
    print(f"== {lang}: {len(concepts)} concepts, {len(texts)} segments, {len(tokens)} words, "
          f"{forms} distinct word forms (made or read from build/bench-cache/ in "
          f"{time.perf_counter() - t0:.0f} s)")  # fmt: skip
    del tokens  # the bench's own data, not the matcher's: the garbage collector would scan it
    patterns = [re.compile(rf"(?<!\w){re.escape(c.preferred[lang])}(?!\w)", re.I) for c in concepts]
    sample = texts[: args.baseline_sample]
    keep = Path(tempfile.mkdtemp(prefix="bench-glossary-"))  # a project's .brochure/
    times = {name: Timing(name, []) for name in ("cold", "kept", "regex")}
    found = naive = 0
    matcher = None
    # run 0 is the warm-up: the kept keys' first run, which is a cold run too (no keys yet: the
    # cold subject's code, all of it) and fills them; the regex baseline's patterns are compiled
    # above, its loop needs no warming
    for run in range(args.runs + 1):
        names = list(times)
        for name in names[run % 3 :] + names[: run % 3] if run else ["kept"]:
            keycache.attach(keep if name == "kept" else None)
            keycache.clear()
            clear_caches()
            matcher = (
                None  # the last run's matcher is gone before this one starts, as in a new process
            )
            gc.collect()
            start = time.process_time()
            if name == "regex":
                naive = sum(1 for t in sample for p in patterns if p.search(t))
            else:
                matcher = Matcher(concepts, lang)
                found = sum(len(matcher.find(t)) for t in texts)
            elapsed = time.process_time() - start
            if name == "kept":
                keycache.save()  # at exit, as the CLI does: not part of the matching
            if run:
                times[name].seconds.append(elapsed)
    keycache.attach(None)
    shutil.rmtree(keep, ignore_errors=True)
    scale = len(texts) / len(sample)
    cold, kept, regex = times["cold"], times["kept"], times["regex"]
    print(f"  indexed matcher, cold process, no kept keys: {cold.text()} CPU; {found} matches")
    print(f"  indexed matcher, word keys kept in .brochure/ by an earlier run: {kept.text()} CPU")
    print(f"  regex per term:  {regex.text()} CPU for {len(sample)} segments ({naive} exact-form hits) "
          f"-> ~{regex.median * scale:.0f} s for {len(texts)}")  # fmt: skip
    size = f"{len(concepts) // 1000}k concepts x {len(texts) // 1000}k segments"
    row(f"glossary {lang}: {size}, keys kept from an earlier run (CPU)", "< 2 s",
        f"{kept.median:.2f} s (min {kept.min:.2f}; regex/term ~{regex.median * scale / kept.median:.0f}x slower)",
        kept.median < 2)  # fmt: skip
    row(f"glossary {lang}: {size}, first run ever (CPU)", "none: once per new word form",
        f"{cold.median:.2f} s (min {cold.min:.2f}; {(cold.median - kept.median) / forms * 1e6:.0f} µs per "
        f"new form x {forms} forms)", None)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--concepts", "--terms", type=int, default=10_000)
    ap.add_argument("--segments", type=int, default=10_000)
    ap.add_argument(
        "--lang", action="append", choices=["ru", "kk", "en"], help="default: ru and kk"
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline-sample", type=int, default=20)
    args = ap.parse_args()
    for lang in args.lang or ["ru", "kk"]:
        bench_lang(lang, args)


if __name__ == "__main__":
    main()
