"""Inflection: put an approved term into the case and number of the word it replaces.

Forms are named by tags: a case (nom gen dat acc loc abl ins), with `pl.` for the plural and, for
Kazakh, a possessive before the case (`poss3.dat`, `pl.poss3.gen`). A form stored in the glossary
always wins over the rules.

- Russian: pymorphy3 parses the replaced word for its case and number and inflects the approved
  term's head word (the first noun in the nominative), with the adjectives before it agreeing;
  words after the head («лидер нации») stay as they are; an `indeclinable` term never changes.
- Kazakh: no analyser exists offline (research/text.md), so suffix rules with vowel harmony and
  consonant assimilation, both ways: `kk_inflect` builds a form, `kk_analyses` recovers stem and
  tags by stripping a known suffix chain and checking that the rules rebuild the word.
- English: plural -s/-es/-ies and possessive ’s.

The `indeclinable` flag concerns Russian and English (Елбасы does not decline in Russian); every
Kazakh noun takes suffixes, so Kazakh forms come from the rules or the stored forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from brochure.core import languages
from brochure.glossary import keycache
from brochure.glossary.concepts import Concept, parse_tag

WORD = re.compile(r"\w+(?:[-‐‑'’ʼ]\w+)*")
RU_CASES = {
    "nom": "nomn",
    "gen": "gent",
    "dat": "datv",
    "acc": "accs",
    "ins": "ablt",
    "loc": "loct",
}
_RU_CASE_NAMES = {v: k for k, v in RU_CASES.items()} | {
    "gen2": "gen",
    "acc2": "acc",
    "loc2": "loc",
    "voct": "nom",
}


def make_tag(plural: bool, case: str, poss: str = "") -> str:
    """A form tag from its parts: (True, 'gen', 'poss3') -> 'pl.poss3.gen'."""
    return ".".join(x for x in ("pl" if plural else "", poss, case) if x)


def restore_case(model: str, word: str) -> str:
    """Give `word` the letter case of `model` (all caps, capitalised, or as is)."""
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# -- Russian --------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def ru_morph():  # type: ignore[no-untyped-def]
    """pymorphy3's Russian analyser, loaded once (its dictionary takes a while)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def ru_lemmas(word: str) -> frozenset[str]:
    """Every lemma pymorphy3 proposes for `word` (lower case, ё as е)."""
    low = word.lower().replace("ё", "е")
    return _ru_dictionary_lemmas(low) or frozenset(
        p.normal_form.replace("ё", "е") for p in ru_morph().parse(low)
    )


def _ru_dictionary_lemmas(low: str) -> frozenset[str] | None:
    """The lemmas of a word in pymorphy3's dictionary, read straight from it; None otherwise.

    A workaround for speed in this one place: parse() builds a tag, a score and a Parse object for
    every reading, and the lemmas are all we need (the first run over 10k segments analyses 67k
    word forms: 30% less time this way). For a dictionary word parse() returns exactly the
    dictionary's readings (its dictionary unit is terminal; tests/test_glossary_match.py checks
    the lemmas are the same); a one-letter word (an initial) and a word the dictionary lacks go
    through parse(), as does everything if pymorphy3's internals change.
    """
    if len(low) < 2:
        return None
    morph = ru_morph()
    try:
        words, build = morph.dictionary.words, morph.dictionary.build_normal_form
        found = words.similar_items(low, morph.char_substitutes)
        if not found:
            return None
        return frozenset(build(para, idx, fixed).replace("ё", "е")
                         for fixed, parses in found for para, idx in parses)  # fmt: skip
    except (AttributeError, TypeError, ValueError):
        return None


def _ru_head(words: list[str]) -> int:
    """Index of the head word of a Russian term in the nominative: its first noun that is not an
    adjective before another noun («рабочий класс»: класс; «лидер нации»: лидер)."""
    morph = ru_morph()
    parses = [morph.parse(w) for w in words]
    nouns = [
        i
        for i, ps in enumerate(parses)
        if any(p.tag.POS == "NOUN" and p.tag.case == "nomn" for p in ps)
    ]
    for k, i in enumerate(nouns):
        adjective = any(p.tag.POS in ("ADJF", "PRTF") and p.tag.case == "nomn" for p in parses[i])
        if adjective and k + 1 < len(nouns):
            continue
        return i
    for i, ps in enumerate(parses):
        if any(p.tag.POS == "NOUN" for p in ps):
            return i
    return len(words) - 1


def ru_features(occurrence: str, term: str) -> str:
    """The tag («pl.ins») of `occurrence`, an inflected use of the Russian `term`."""
    occ_words = WORD.findall(occurrence)
    term_words = WORD.findall(term)
    if not occ_words:
        return "nom"
    head = _ru_head(term_words) if term_words else 0
    word = occ_words[min(head, len(occ_words) - 1)]
    lemmas = ru_lemmas(term_words[min(head, len(term_words) - 1)]) if term_words else frozenset()
    parses = ru_morph().parse(word.lower())
    chosen = None
    for p in parses:  # the reading of the occurrence that belongs to the term's lemma
        if p.normal_form.replace("ё", "е") in lemmas and p.tag.case:
            if chosen is None or (p.tag.POS == "NOUN" and chosen.tag.POS != "NOUN"):
                chosen = p
    chosen = chosen or next((p for p in parses if p.tag.case), None)
    if chosen is None:
        return "nom"
    case = _RU_CASE_NAMES.get(chosen.tag.case or "nomn", "nom")
    return make_tag(chosen.tag.number == "plur", case)


def ru_inflect(term: str, tag: str, indeclinable: bool = False) -> str:
    """`term` (nominative singular) in the form `tag`: the head word and its adjectives change."""
    parsed = parse_tag(tag)
    if indeclinable or parsed is None:
        return term
    plural, _, case = parsed
    if case == "nom" and not plural:
        return term
    matches = list(WORD.finditer(term))
    words = [m.group() for m in matches]
    if not words:
        return term
    morph = ru_morph()
    head = _ru_head(words)
    grammemes = {RU_CASES[case], "plur" if plural else "sing"}
    head_parse = next(
        (p for p in morph.parse(words[head]) if p.tag.POS == "NOUN" and p.tag.case == "nomn"),
        morph.parse(words[head])[0],
    )
    if plural and "Sgtm" in head_parse.tag:
        grammemes = {RU_CASES[case], "sing"}
    new = list(words)
    inflected = head_parse.inflect(grammemes)
    if inflected:
        new[head] = restore_case(words[head], inflected.word)
    for i in range(head):
        parses = [
            p
            for p in morph.parse(words[i])
            if p.tag.POS in ("ADJF", "PRTF", "NUMR") and p.tag.case == "nomn"
        ]
        if not parses:
            continue
        extra = set(grammemes)
        if head_parse.tag.gender and "plur" not in grammemes:
            extra.add(head_parse.tag.gender)
        if RU_CASES[case] == "accs" and head_parse.tag.animacy:
            extra.add(head_parse.tag.animacy)
        form = parses[0].inflect(extra) or parses[0].inflect(grammemes)
        if form:
            new[i] = restore_case(words[i], form.word)
    out, pos = [], 0
    for m, w in zip(matches, new, strict=True):
        out.append(term[pos : m.start()])
        out.append(w)
        pos = m.end()
    out.append(term[pos:])
    return "".join(out)


# -- Kazakh ---------------------------------------------------------------------------------------
_BACK = set("аоұыяюуё")
_FRONT = set("әөүіеэи")
_VOWELS = set("аәеиоөұүыіэюяё")
_SONORANT = set("рлйуи")  # word-final у and и behave as consonants (су -> суы, судың)
_NASAL = set("мнң")
_VOICED_ZJ = set("зж")
_VOICING = {"к": "г", "қ": "ғ", "п": "б"}  # before a vowel: кітап -> кітабы
_DEVOICING = {v: k for k, v in _VOICING.items()}
KK_POSSESSIVES = ("", "poss3", "poss1pl", "poss1sg", "poss2sg")
KK_CASES = ("nom", "gen", "dat", "acc", "loc", "abl", "ins")


def _front(word: str) -> bool:
    low = word.lower()
    for i in range(len(low) - 1, -1, -1):
        ch = low[i]
        if ch == "е" and i and low[i - 1] in "аоыұя":
            continue  # е after a back vowel is [йе] (Назарбаев, Тоқаев): Назарбаевқа, Тоқаевтың
        if ch in _FRONT:
            return True
        if ch in _BACK:
            return False
    return False


def _last(word: str) -> str:
    """The sound class of the word's end: vowel, sonorant, nasal, zj or voiceless."""
    low = word.lower().rstrip("ьъ")
    ch = low[-1:] if low else ""
    if ch in ("у", "и") and len(low) > 1 and low[-2] in _VOWELS:
        return "sonorant"
    if ch in _VOWELS and ch not in ("у", "и"):
        return "vowel"
    if ch in _SONORANT:
        return "sonorant"
    if ch in _NASAL:
        return "nasal"
    if ch in _VOICED_ZJ:
        return "zj"
    return "voiceless"


def _h(word: str, back: str, front: str) -> str:
    return front if _front(word) else back


def _vowel_suffix(word: str, suffix: str) -> str:
    """Append a suffix that starts with a vowel, voicing a final к/қ/п after a vowel."""
    low = word.lower()
    if low[-1:] in _VOICING and len(low) > 1 and low[-2] in _VOWELS:
        word = word[:-1] + restore_case(word[-1], _VOICING[low[-1]])
    return word + suffix


def _plural(word: str) -> str:
    last = _last(word)
    final = word.lower().rstrip("ьъ")[-1:]
    if last == "vowel" or (last == "sonorant" and final != "л"):
        c = "л"
    elif final == "л" or last in ("nasal", "zj"):
        c = "д"
    else:
        c = "т"
    return word + c + _h(word, "ар", "ер")


def _possessive(word: str, poss: str) -> str:
    vowel_end = _last(word) == "vowel"
    if poss == "poss3":
        return word + _h(word, "сы", "сі") if vowel_end else _vowel_suffix(word, _h(word, "ы", "і"))
    if poss == "poss1sg":
        return word + "м" if vowel_end else _vowel_suffix(word, _h(word, "ым", "ім"))
    if poss == "poss2sg":
        return word + "ң" if vowel_end else _vowel_suffix(word, _h(word, "ың", "ің"))
    if poss == "poss1pl":
        return (
            word + _h(word, "мыз", "міз")
            if vowel_end
            else _vowel_suffix(word, _h(word, "ымыз", "іміз"))
        )
    return word


def _case(word: str, case: str, after: str = "") -> str:
    """Add a case ending; `after` is 'poss3' or 'poss12' when the word ends in a possessive."""
    if case == "nom":
        return word
    last = _last(word)
    if after == "poss3":
        ending = {
            "gen": _h(word, "ның", "нің"), "acc": "н", "dat": _h(word, "на", "не"),
            "loc": _h(word, "нда", "нде"), "abl": _h(word, "нан", "нен"), "ins": "мен",
        }[case]  # fmt: skip
        return word + ending
    if after == "poss12" and case == "dat":
        return word + _h(word, "а", "е")
    voiced = last in ("vowel", "sonorant", "nasal", "zj")
    if case == "gen":
        c = "н" if last in ("vowel", "nasal") else "д" if voiced else "т"
        return word + c + _h(word, "ың", "ің")
    if case == "acc":
        c = "н" if last == "vowel" else "д" if voiced else "т"
        return word + c + _h(word, "ы", "і")
    if case == "dat":
        return word + (_h(word, "ға", "ге") if voiced else _h(word, "қа", "ке"))
    if case == "loc":
        return word + ("д" if voiced else "т") + _h(word, "а", "е")
    if case == "abl":
        c = "н" if last == "nasal" else "д" if voiced else "т"
        return word + c + _h(word, "ан", "ен")
    if case == "ins":
        c = "м" if last in ("vowel", "sonorant", "nasal") else "б" if last == "zj" else "п"
        return word + c + "ен"
    raise ValueError(case)


def kk_inflect(word: str, tag: str, base_poss3: bool = False) -> str:
    """A Kazakh word in the form `tag` by the suffix rules.

    base_poss3: the word already ends in a third-person possessive (Елбасы, Республикасы), so case
    endings take their post-possessive shapes (Елбасына, not Елбасыға).
    """
    parsed = parse_tag(tag)
    if parsed is None:
        return word
    plural, poss, case = parsed
    out = word
    if plural:
        out = _plural(out)
    if poss:
        out = _possessive(out, poss)
    after = ""
    if poss == "poss3" or (base_poss3 and not plural and not poss):
        after = "poss3"
    elif poss in ("poss1sg", "poss2sg"):
        after = "poss12"
    return _case(out, case, after)


def _all_tags() -> list[tuple[str, bool]]:
    tags = []
    for plural in (False, True):
        for poss in KK_POSSESSIVES:
            for case in KK_CASES:
                tags.append((make_tag(plural, case, poss), False))
    tags.extend((case, True) for case in KK_CASES if case != "nom")
    return tags


@lru_cache(maxsize=1)
def _suffix_table() -> dict[str, list[tuple[str, bool]]]:
    """Every surface suffix chain the rules can produce -> the (tag, base_poss3) that make it."""
    samples = ("ата", "әке", "бар", "кел", "жол", "адам", "сен", "таң", "сөз", "қаз", "ат", "ет",
               "бау", "үй", "той", "кітап", "тілек", "халық", "ту", "кеңес")  # fmt: skip
    table: dict[str, list[tuple[str, bool]]] = {}
    for stem in samples:
        for tag, base_poss in _all_tags():
            form = kk_inflect(stem, tag, base_poss)
            # the part after the unchanged stem letters (a voiced final letter counts as suffix)
            keep = len(stem) - (1 if form[: len(stem)] != stem else 0)
            suffix = form[keep:]
            entry = (tag, base_poss)
            bucket = table.setdefault(suffix, [])
            if entry not in bucket:
                bucket.append(entry)
    return table


class KkAnalysis(NamedTuple):
    stem: str
    tag: str
    base_poss3: bool


@lru_cache(maxsize=200_000)
def kk_analyses(word: str) -> tuple[KkAnalysis, ...]:
    """Ways the rules can build `word` (lower case) from a stem: (stem, tag, base_poss3)."""
    low = word.lower()
    table = _suffix_table()
    out: list[KkAnalysis] = []
    max_len = min(len(low) - 2, 9)
    for k in range(1, max_len + 1):
        suffix = low[-k:]
        if suffix not in table:
            continue
        stem = low[:-k]
        candidates = {stem}
        if stem[-1:] in _DEVOICING:
            candidates.add(stem[:-1] + _DEVOICING[stem[-1]])
        # a voiced stem letter belongs to the suffix entry ("бы" of кітабы)
        for c in list(candidates):
            for tag, base_poss in table[suffix]:
                if kk_inflect(c, tag, base_poss) == low:
                    out.append(KkAnalysis(c, tag, base_poss))
        stem1 = low[: -k - 1] if k + 1 < len(low) else ""
        last = low[-k - 1] if k + 1 <= len(low) else ""
        if stem1 and last in _DEVOICING:  # кітабы = кітап + ы
            c = stem1 + _DEVOICING[last]
            for tag, base_poss in table.get(low[-k - 1 :], []) + table[suffix]:
                if (
                    kk_inflect(c, tag, base_poss) == low
                    and KkAnalysis(c, tag, base_poss) not in out
                ):
                    out.append(KkAnalysis(c, tag, base_poss))
    return tuple(out)


def kk_stems(word: str) -> frozenset[str]:
    """Every stem the Kazakh suffix rules can strip the word down to."""
    return frozenset(a.stem for a in kk_analyses(word))


def kk_is_poss3(term: str) -> bool:
    """Does a Kazakh term end in a third-person possessive (an izafet: Қазақстан Республикасы)?"""
    words = WORD.findall(term)
    return len(words) > 1 and words[-1].lower().endswith(("ы", "і"))


def kk_features(occurrence: str, term: str) -> str:
    """The tag of `occurrence`, an inflected use of the Kazakh `term` (its last word inflects)."""
    occ = WORD.findall(occurrence)
    words = WORD.findall(term)
    if not occ or not words:
        return "nom"
    last, base = occ[-1].lower(), words[-1].lower()
    if last == base:
        return "nom"
    poss_base = kk_is_poss3(term)
    found = [a for a in kk_analyses(last) if a.stem == base]
    if not found:
        return "nom"
    best = min(found, key=lambda a: (a.base_poss3 != poss_base, len(a.tag)))
    return best.tag


def kk_inflect_term(term: str, tag: str, indeclinable: bool = False) -> str:
    """A Kazakh term in the form `tag`: the last word takes the suffixes."""
    if indeclinable or tag == "nom":
        return term
    matches = list(WORD.finditer(term))
    if not matches:
        return term
    m = matches[-1]
    parsed = parse_tag(tag)
    base_poss = kk_is_poss3(term) and parsed is not None and not parsed[1]
    if base_poss and parsed is not None and parsed[0]:  # plural of an izafet: Республикалары
        base_poss = False
    word = kk_inflect(m.group(), tag, base_poss)
    return term[: m.start()] + word + term[m.end() :]


# -- English --------------------------------------------------------------------------------------
_IRREGULAR = {"men": "man", "women": "woman", "people": "person", "children": "child"}


def en_singulars(word: str) -> frozenset[str]:
    """Possible singulars of a lower-case English word (and the word itself)."""
    out = {word}
    if word in _IRREGULAR:
        out.add(_IRREGULAR[word])
    elif word.endswith("ies") and len(word) > 4:
        out.add(word[:-3] + "y")
    elif word.endswith(("ses", "xes", "zes", "ches", "shes")):
        out.add(word[:-2])
        out.add(word[:-1])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        out.add(word[:-1])
    return frozenset(out)


def strip_possessive(word: str) -> str:
    """An English word without its possessive ’s."""
    for tail in ("’s", "'s", "ʼs"):
        if word.lower().endswith(tail):
            return word[: -len(tail)]
    return word


def en_features(occurrence: str, term: str) -> str:
    """The form tag of an English occurrence of `term`: plural and/or possessive."""
    words = WORD.findall(occurrence)
    if not words:
        return "nom"
    last = words[-1]
    possessive = strip_possessive(last) != last or occurrence.rstrip().endswith(("s’", "s'"))
    base = strip_possessive(last).lower()
    term_last = (WORD.findall(term) or [""])[-1].lower()
    plural = base != term_last and term_last in en_singulars(base)
    return make_tag(plural, "gen" if possessive else "nom")


def en_inflect(term: str, tag: str) -> str:
    """An English term in the form `tag`: plural -s/-es/-ies, possessive ’s."""
    parsed = parse_tag(tag)
    if parsed is None:
        return term
    plural, _, case = parsed
    out = term
    if plural:
        low = out.lower()
        if low.endswith("y") and low[-2:-1] not in "aeiou":
            out = out[:-1] + "ies"
        elif low.endswith(("s", "x", "z", "ch", "sh")) and not (
            low.endswith("arch") and not low.endswith("march")
        ):
            out += "es"  # but oligarchs, monarchs: a hard ch
        else:
            out += "s"
    if case == "gen":
        out += "’" if plural else "’s"
    return out


# -- keys: the forms a word may be found under (brochure.glossary.match) --------------------------
def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def _en_keys(word: str) -> frozenset[str]:
    base = _norm(strip_possessive(word))
    return en_singulars(base) | {_norm(word)}


@lru_cache(maxsize=200_000)
def _ru_keys(word: str) -> frozenset[str]:
    low = _norm(word)
    if not any(ch.isalpha() for ch in low):
        return frozenset({low})
    return ru_lemmas(low) | {low}


# the attributive -ғы/-гі after a locative: Алматыдағы, Жаңаөзендегі, облысындағы ("the one in ...")
_KK_ATTRIBUTIVE = ("дағы", "дегі", "тағы", "тегі")


def _kk_form_keys(low: str) -> set[str]:
    """Stems of a Kazakh word form beyond the suffix rules' own: the noun a form is built on."""
    analyses = kk_analyses(low)
    keys = {a.stem for a in analyses}
    for a in analyses:
        # the plural of an izafet head: наразылық митингілері is the term наразылық митингісі
        if a.tag.startswith("pl.poss3"):
            keys.add(kk_inflect(a.stem, "poss3.nom"))
        # loanwords in -ст drop the т before a т-suffix: латифундистерге, коммунистер
        if len(a.stem) >= 5 and a.stem.endswith("с") and low.startswith(a.stem + "т"):
            keys.add(a.stem + "т")
        # and those in -зд drop the д before any suffix: съезд -> съезі, съезге, съезде
        if len(a.stem) >= 4 and a.stem.endswith("з"):
            keys.add(a.stem + "д")
    # loanwords in -нг take a linking і/ы: митингісі, митингіде, митингілері (митинг)
    keys |= {k[:-1] for k in keys | {low} if k.endswith(("нгі", "нгы"))}
    return keys


@lru_cache(maxsize=200_000)
def _kk_keys(word: str) -> frozenset[str]:
    low = _norm(word)
    keys = _kk_form_keys(low) | {low}
    if low.endswith(_KK_ATTRIBUTIVE) and len(low) > 6:  # a locative + -ғы/-гі
        loc = low[:-2]
        keys |= _kk_form_keys(loc) | {loc}
    head, dash, tail = low.rpartition("-")
    if dash and head and tail.isalpha() and len(tail) <= 6:  # an abbreviation's suffix: ҚСҚ-ның
        keys |= {head}
    return frozenset(keys)


@lru_cache(maxsize=200_000)
def exact_keys(word: str) -> frozenset[str]:
    """A language without morphology: the word itself (lower case), no other form."""
    return frozenset({_norm(word)})


# -- the registry: the language registry names one of these per language (`morphology`) ----------
@dataclass(frozen=True)
class Morphology:
    """How the glossary finds and inflects the terms of a language."""

    keys: Callable[[str], frozenset[str]]  # a word of a text -> its keys
    term_keys: Callable[[str], frozenset[str]]  # a word of a (declinable) term -> its keys
    features: Callable[[str, str], str]  # (occurrence, term) -> the occurrence's form tag
    inflect: Callable[[str, str, bool], str]  # (term, tag, indeclinable) -> the form
    tags: tuple[str, ...] = ()  # the forms its rules make, offered to a translator (workbench)


def _case_tags(cases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(make_tag(plural, case) for plural in (False, True) for case in cases)


MORPHOLOGIES: dict[str, Morphology] = {
    "en": Morphology(_en_keys, _en_keys, en_features,
                     lambda term, tag, indeclinable: term if indeclinable else en_inflect(term, tag),
                     ("nom", "pl", "gen", "pl.gen")),
    # the analysed languages' keys are kept between runs in the project's .brochure/ (keycache)
    "ru": Morphology(keycache.cached("ru", _ru_keys), keycache.cached("ru", _ru_keys), ru_features,
                     ru_inflect, _case_tags(tuple(RU_CASES))),
    # a Kazakh term is its base form (text tokens carry the stems); every Kazakh noun takes
    # suffixes: `indeclinable` is about ru and en
    "kk": Morphology(keycache.cached("kk", _kk_keys), exact_keys, kk_features,
                     lambda term, tag, indeclinable: kk_inflect_term(term, tag), _case_tags(KK_CASES)),
}  # fmt: skip
# No morphology: terms match as written (letter case aside) and are never re-inflected.
EXACT = Morphology(exact_keys, exact_keys, lambda occurrence, term: "",
                   lambda term, tag, indeclinable: term)  # fmt: skip


def morphology(lang: str) -> Morphology:
    """`lang`'s rules, as the language registry names them; EXACT for a language without."""
    name = languages.get(lang).morphology if languages.is_known(lang) else None
    return MORPHOLOGIES.get(name, EXACT) if name else EXACT


# -- one entry point ------------------------------------------------------------------------------
def features(lang: str, occurrence: str, term: str) -> str:
    """The form tag of `occurrence`, a use of `term` in a text in `lang`."""
    return morphology(lang).features(occurrence, term)


def inflect(concept: Concept, lang: str, tag: str, term: str | None = None) -> str:
    """The concept's preferred term in `lang` (or `term`) in the form `tag`; stored forms first."""
    base = term or concept.preferred.get(lang, "")
    if not base:
        return ""
    if term is None or term == concept.preferred.get(lang):
        forms = concept.forms.get(lang, {})
        stored = forms.get(tag)
        if stored:
            return stored
        if tag in ("", "nom"):
            return base
        # A stored singular nominative is the lemma of a preferred term that may be plural
        # ("жұмысшылар"): the rules inflect the lemma, or the plural suffix would come twice.
        base = forms.get("nom") or base
    elif tag in ("", "nom"):
        return base
    return morphology(lang).inflect(base, tag, concept.indeclinable)


def inflect_like(concept: Concept, lang: str, occurrence: str, replaced_term: str) -> str:
    """The concept's preferred term inflected like `occurrence` (a use of `replaced_term`)."""
    tag = features(lang, occurrence, replaced_term)
    return inflect(concept, lang, tag)


def inflect_as_source(
    concept: Concept, lang: str, src_lang: str, occurrence: str, source_term: str
) -> str:
    """The concept's preferred term in `lang` in the number and case of `occurrence`, its source
    term's use in a `src_lang` text (the rules' guess; the sentence may want another form)."""
    tag = features(src_lang, occurrence, source_term)
    if tag in ("", "nom"):  # the term as the glossary prefers it (a stored nom may be another)
        return concept.preferred.get(lang, "")
    return inflect(concept, lang, tag)


def paradigm(concept: Concept, lang: str) -> list[tuple[str, str]]:
    """The forms of the concept's preferred term in `lang` that the glossary stores or its rules
    make, as (tags, form): the preferred term first ("" tags), then one entry per form with the
    tags that make it ("gen, pl.nom")."""
    preferred = concept.preferred.get(lang, "")
    if not preferred:
        return []
    stored = concept.forms.get(lang, {})
    tags: dict[str, list[str]] = {preferred: []}
    for tag in dict.fromkeys(("nom", *morphology(lang).tags, *stored)):
        form = inflect(concept, lang, tag)
        if form:
            tags.setdefault(form, []).append(tag)
    return [(", ".join(t), form) for form, t in tags.items()]
