"""Text for the benchmarks: Russian, Kazakh or English words with realistic frequencies and forms.

Words are drawn by Zipf's law (rank r has weight 1/r) from a vocabulary whose most frequent part is
the seed project's and the built-in glossary's own words and whose tail is dictionary words, each
occurrence in an inflected form:
- ru: lemmas from pymorphy3's dictionary (a few thousand per common prefix), nouns and adjectives
  in a random case and number, verbs in a random person or tense;
- kk: the seed translations' and the glossary's Kazakh words as stems, inflected by the suffix
  rules with a tag drawn as in running text (nominative most often, then genitive, accusative,
  dative, locative ...; possessive and plural forms now and then);
- en: the seed translations' English sources and the glossary's English terms, plural now and then.
Each language's words come from its own texts only (a translation's target, the glossary's column).
The Russian vocabulary takes pymorphy3 half a minute to list, and inflecting 100k sentences takes
minutes: both are kept in build/bench-cache/ (`cached`), keyed by everything that makes them (the
generator's code, the seed and glossary words it draws from, pymorphy3's version, the sizes and
seed), so a rerun of a benchmark reads the same text it would have made.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from importlib import metadata
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar

from brochure.glossary import morph

HERE = Path(__file__).resolve().parent
CACHE = HERE.parent / "build" / "bench-cache"

LETTERS = {"ru": "а-яё", "kk": "а-яёәғқңөұүһі", "en": "a-z"}
RU_PREFIXES = ("по", "пр", "ра", "со", "на", "за", "от", "ст", "ко", "ме", "вы", "де")
KK_TAGS = [("nom", 40), ("gen", 12), ("acc", 10), ("dat", 9), ("loc", 8), ("abl", 5), ("ins", 5),
           ("poss3", 4), ("poss3.gen", 2), ("poss3.dat", 1), ("poss3.loc", 1), ("pl", 3),
           ("pl.gen", 2), ("pl.acc", 1), ("pl.dat", 1), ("pl.poss3", 1), ("poss1pl", 1)]  # fmt: skip


T = TypeVar("T")
# Part of every cache key (with this file's bytes): raised when the text it makes changes for a
# reason outside the hashed files. 2: each language's words from its own texts only.
GENERATOR = 2


def _inputs(lang: str) -> list[Path]:
    """The files own_words(lang) reads: the seed translations (their targets in `lang`, or their
    English sources)."""
    return sorted(p for p in (HERE.parent / "seeds").rglob("*.xlf")
                  if p.is_file() and (lang == "en" or p.name.endswith(f".{lang}.xlf")))  # fmt: skip


def cached(
    name: str, params: dict[str, Any], make: Callable[[], T],
    code: Iterable[str | Callable[..., Any]] = (),
) -> T:  # fmt: skip
    """`make()` (JSON data), kept in build/bench-cache/<name>-<slot>-<key>.json. The slot hashes
    `params` (sizes, seed, language); the key also this generator's code and the morphology's
    (morph.py, pymorphy3's versions), the files its words come from, and `code`: the caller's own
    generating code, as files or as the functions that make the data (their source text: an edit
    elsewhere in the caller's file keeps the data). A new key makes the text again and replaces
    its slot's old file."""
    slot = hashlib.sha1(json.dumps([name, params], sort_keys=True).encode()).hexdigest()[:8]
    h = hashlib.sha1(f"{slot}-{GENERATOR}".encode())
    for dist in ("pymorphy3", "pymorphy3-dicts-ru"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(dist.encode())
    files = [Path(__file__), Path(morph.__file__), HERE.parent / "glossary" / "political.tsv",
             *_inputs(str(params.get("lang", ""))), *(Path(c) for c in code if not callable(c))]  # fmt: skip
    for path in files:
        h.update(path.read_bytes())
    for function in (c for c in code if callable(c)):
        h.update(inspect.getsource(function).encode())
    path = CACHE / f"{name}-{slot}-{h.hexdigest()[:12]}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    data = make()
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"{name}-{slot}-*.json"):  # the same text by older code
        old.unlink()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return data


def own_words(lang: str) -> list[str]:
    """The seed project's and the built-in glossary's words in `lang`, most frequent first: the
    translations' targets in `lang` (the English sources for en) and the glossary's `lang` terms,
    nothing of another language (the whole glossary file once gave Russian text Kazakh fragments
    such as «аза», «стан», «мысшы»: Kazakh words cut at the letters Russian lacks)."""
    from brochure.glossary.load import load_files

    texts: dict[str, str] = {}  # a document's text in `lang` (once, if several files hold it)
    for path in _inputs(lang):
        text = path.read_text(encoding="utf-8")
        if lang == "en":  # the English sources (each document's once)
            if 'srcLang="en"' in text:
                texts.setdefault(path.name.split(".")[0], "\n".join(_elements("source", text)))
        else:  # the targets: the sources are in another language
            texts[path.name] = "\n".join(_elements("target", text))
    glossary = HERE.parent / "glossary" / "political.tsv"
    termbase = load_files([(str(glossary), glossary.read_bytes())])
    terms = [term.text for concept in termbase for term in concept.terms(lang) if not term.form]
    counts: Counter[str] = Counter()
    word = re.compile(rf"(?<![^\W\d_])[{LETTERS[lang]}]{{3,}}(?![^\W\d_])", re.I)
    # whole words only: a word with a letter of another alphabet is not one (no «стан» of «Қазақстан»)
    for text in [*texts.values(), *terms]:
        counts.update(w.lower() for w in word.findall(text))
    return [w for w, _ in counts.most_common()]


def _elements(name: str, xliff: str) -> list[str]:
    """The text of every <name> element of an XLIFF file, its inline tags removed."""
    found = re.findall(rf"<{name}\b[^>]*>(.*?)</{name}>", xliff, re.S)
    return [re.sub(r"<[^>]+>", " ", text) for text in found]


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
    options = forms.get(lemma)
    if options is None:
        # every form of the lemma at once, from its lexeme (the first form with the grammemes):
        # pymorphy3's inflect() builds the lexeme again for each form, most of 100k sentences' time
        parse = morph.ru_morph().parse(lemma)[0]
        wanted = RU_GRAMMEMES.get(parse.tag.POS, [])
        lexeme = parse.lexeme if wanted else []
        options = forms[lemma] = [
            next((f.word for f in lexeme if grammemes <= f.tag.grammemes), lemma)
            for grammemes in wanted
        ]
    if not options:
        return lemma
    return options[rng.randrange(len(options))]  # type: ignore[no-any-return]


def kk_form(stem: str, rng: random.Random, weights: list[int]) -> str:
    tag = rng.choices([t for t, _ in KK_TAGS], weights)[0]
    return morph.kk_inflect(stem, tag)


KK_TAG_NAMES = [t for t, _ in KK_TAGS]


class Words:
    """Draws inflected words of `lang` with Zipf frequencies."""

    def __init__(self, lang: str, rng: random.Random, size: int = 20_000):
        self.lang, self.rng = lang, rng
        if lang == "ru":
            self.vocab = cached("ru-vocabulary", {"lang": "ru", "size": size},
                                lambda: ru_vocabulary(random.Random(7), size)[0])  # fmt: skip
        else:
            self.vocab = own_words(lang)
        self.weights = [1 / (rank + 1) for rank in range(len(self.vocab))]
        # random.choices(weights=) sums the 20k weights at every call: summed once, the same draws
        self.cum_weights = list(accumulate(self.weights))
        self.forms: dict = {}
        self.kk_weights = [w for _, w in KK_TAGS]

    def inflect(self, lemma: str) -> str:
        if self.lang == "ru":
            return ru_form(lemma, self.forms, self.rng)
        if self.lang == "kk":
            tag = self.rng.choices(KK_TAG_NAMES, self.kk_weights)[0]
            key = (lemma, tag)
            if key not in self.forms:
                self.forms[key] = morph.kk_inflect(lemma, tag)
            return self.forms[key]
        return lemma + ("s" if self.rng.random() < 0.2 else "")

    def lemmas(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum_weights, k=k)

    def sentence(self, low: int = 10, high: int = 30) -> str:
        words = [self.inflect(w) for w in self.lemmas(self.rng.randint(low, high))]
        return " ".join(words).capitalize() + "."
