"""Glossary matching: 10,000 concepts against 10,000 inflected segments, beside a regex baseline.

Goal: index build + matching of 10k concepts x 10k segments under 2 s, in Russian and in Kazakh.
Timed in CPU time of this process (process_time: the matcher is single-threaded Python, so on an
idle machine this is its wall time, and other work on a shared machine does not count), with the
morphology caches emptied before every run (a new process), twice: with the word keys (lemmas,
stems) an earlier run kept in .brochure/ (read from the file inside the timing), and the first run
ever, which analyses every distinct word form. The baseline, one regular expression
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
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "cli"))
sys.path.insert(0, str(HERE))

from brochure.glossary import keycache, morph  # noqa: E402
from brochure.glossary import match as match_module  # noqa: E402
from brochure.glossary.concepts import Concept  # noqa: E402
from brochure.glossary.match import Matcher  # noqa: E402
from common import Timing, row  # noqa: E402

LETTERS = {"ru": "а-яё", "kk": "а-яёәғқңөұүһі", "en": "a-z"}
RU_PREFIXES = ("по", "пр", "ра", "со", "на", "за", "от", "ст", "ко", "ме", "вы", "де")
KK_TAGS = [("nom", 40), ("gen", 12), ("acc", 10), ("dat", 9), ("loc", 8), ("abl", 5), ("ins", 5),
           ("poss3", 4), ("poss3.gen", 2), ("poss3.dat", 1), ("poss3.loc", 1), ("pl", 3),
           ("pl.gen", 2), ("pl.acc", 1), ("pl.dat", 1), ("pl.poss3", 1), ("poss1pl", 1)]  # fmt: skip


def own_words(lang: str) -> list[str]:
    """The seed project's and the built-in glossary's words in `lang`, most frequent first."""
    texts = [p.read_text(encoding="utf-8") for p in (HERE.parent / "seeds").rglob("*")
             if p.is_file() and (p.suffix == ".md" and lang == "en" or p.name.endswith(f".{lang}.xlf"))]  # fmt: skip
    texts.append((HERE.parent / "glossary" / "political.tsv").read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(
            w.lower()
            for w in re.findall(rf"[{LETTERS[lang]}]{{3,}}", re.sub(r"<[^>]+>", " ", text), re.I)
        )
    return [w for w, _ in counts.most_common()]


def ru_vocabulary(rng: random.Random, size: int) -> tuple[list[str], dict[str, list[str]]]:
    """Lemmas (most frequent first) and each one's forms."""
    m = morph.ru_morph()
    lemmas = [w for w in own_words("ru") if m.parse(w)[0].normal_form == w]
    seen = set(lemmas)
    tail: list[str] = []
    per_prefix = max(1, (size - len(lemmas)) // len(RU_PREFIXES))
    for prefix in RU_PREFIXES:
        found = 0
        for word, tag, _, _, idx in m.dictionary.iter_known_words(prefix):
            if (
                idx == 0
                and tag.POS in ("NOUN", "ADJF", "VERB", "INFN")
                and "-" not in word
                and word not in seen
            ):
                seen.add(word)
                tail.append(word)
                found += 1
                if found >= per_prefix:
                    break
    rng.shuffle(tail)
    vocab = (lemmas + tail)[:size]
    return vocab, {}


RU_GRAMMEMES = {
    "NOUN": [{c, n} for c in ("nomn", "gent", "datv", "accs", "ablt", "loct") for n in ("sing", "plur")],
    "ADJF": [{c, n} for c in ("nomn", "gent", "datv", "accs", "ablt", "loct") for n in ("sing", "plur")],
    "VERB": [{"3per", "sing"}, {"3per", "plur"}, {"past", "plur"}, {"past", "masc"}, {"1per", "plur"}],
}  # fmt: skip


def ru_form(lemma: str, forms: dict, rng: random.Random) -> str:
    """`lemma` in a random case and number (a noun or adjective) or person (a verb)."""
    parse = forms.get(lemma)
    if parse is None:
        parse = forms[lemma] = morph.ru_morph().parse(lemma)[0]
    options = RU_GRAMMEMES.get(parse.tag.POS)
    if not options:
        return lemma
    k = rng.randrange(len(options))
    key = (lemma, k)
    if key not in forms:
        inflected = parse.inflect(options[k])
        forms[key] = inflected.word if inflected else lemma
    return forms[key]


def kk_form(stem: str, rng: random.Random, weights: list[int]) -> str:
    tag = rng.choices([t for t, _ in KK_TAGS], weights)[0]
    return morph.kk_inflect(stem, tag)


def make_data(lang: str, concepts: int, segments: int, seed: int = 7):
    rng = random.Random(seed)
    if lang == "ru":
        vocab, forms = ru_vocabulary(rng, 20_000)
    else:
        vocab, forms = own_words(lang), {}
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    kk_weights = [w for _, w in KK_TAGS]
    distinct_terms: set[str] = set()
    out = []
    while len(out) < concepts:
        # terms: mostly content words of middling rank, as a glossary's are
        words = [
            vocab[min(len(vocab) - 1, int(rng.paretovariate(0.6)) + 30)]
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        term = " ".join(words)
        if term not in distinct_terms:
            distinct_terms.add(term)
            out.append(Concept(id=f"c{len(out)}", preferred={lang: term}))
    texts = []
    for _ in range(segments):
        lemmas = rng.choices(vocab, weights, k=rng.randint(10, 30))
        if lang == "ru":
            words = [ru_form(w, forms, rng) for w in lemmas]
        elif lang == "kk":
            words = [kk_form(w, rng, kk_weights) for w in lemmas]
        else:
            words = [w + ("s" if rng.random() < 0.2 else "") for w in lemmas]
        texts.append(" ".join(words).capitalize() + ".")
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
    print(f"== {lang}: {len(concepts)} concepts, {len(texts)} segments, {len(tokens)} words, "
          f"{len(set(tokens))} distinct word forms (made in {time.perf_counter() - t0:.0f} s)")  # fmt: skip
    patterns = [re.compile(rf"(?<!\w){re.escape(c.preferred[lang])}(?!\w)", re.I) for c in concepts]
    sample = texts[: args.baseline_sample]
    keep = Path(tempfile.mkdtemp(prefix="bench-glossary-"))  # a project's .brochure/
    times = {name: Timing(name, []) for name in ("cold", "kept", "regex")}
    found = naive = 0
    for run in range(args.runs + 1):  # run 0 is the warm-up of each (and fills the kept keys)
        names = list(times)
        for name in names[run % 3 :] + names[: run % 3]:
            keycache.attach(keep if name == "kept" else None)
            keycache.clear()
            clear_caches()
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
    row(f"glossary {lang}: {size}, first run ever (CPU)", "< 2 s", f"{cold.median:.2f} s (min {cold.min:.2f})",
        cold.median < 2)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--concepts", "--terms", type=int, default=10_000)
    ap.add_argument("--segments", type=int, default=10_000)
    ap.add_argument(
        "--lang", action="append", choices=["ru", "kk", "en"], help="default: ru and kk"
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline-sample", type=int, default=50)
    args = ap.parse_args()
    for lang in args.lang or ["ru", "kk"]:
        bench_lang(lang, args)


if __name__ == "__main__":
    main()
