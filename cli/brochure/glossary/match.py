"""Finding glossary terms in text: an index of terms by the keys of their words.

A key is a normalised word: lower case (unless the concept is case-sensitive, then the letter case
is checked separately), and what inflection reduces a word to: the English singular and the word
without ’s; every pymorphy3 lemma of a Russian word; every stem the Kazakh suffix rules can strip.
A term is indexed under the keys of its first word; a text token looks up its own keys and checks
the following words, so the cost grows with the text, not with the number of terms (no regular
expression per term). Overlapping matches are resolved longest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from brochure.core.errors import GlossaryError
from brochure.glossary.concepts import Concept, Term, langs
from brochure.glossary.morph import WORD, exact_keys, morphology

_STATUS_RANK = {"preferred": 0, "admitted": 1, "forbidden": 2}


class Token(NamedTuple):
    start: int
    end: int
    text: str


class Match(NamedTuple):
    """A term found in a text: text[start:end] is a use of `term` of concept `concept`."""

    start: int
    end: int
    text: str  # the text as it appears (inflected)
    concept: str
    term: Term

    @property
    def status(self) -> str:
        return self.term.status


# What a term may hold besides its words: white space and the punctuation of ordinary prose
# («Shal, ket!», "Council of Aksakals (Elders)", "workers' activist", "U.S.", «Постановление №5»,
# "и т. д…"). The matcher finds a term by its words and checks the punctuation between them
# literally (_gap); what stands before its first word or after its last is not looked for. Anything
# else (+ * $ ^ \ [ ] { } = < > # % ...: pattern or markup syntax) would be dropped silently and
# the term matched as something nobody wrote.
_PROSE_PUNCTUATION = frozenset(" .,;:!?'’ʼ\"«»“”„‘()-‐‑–—/&…№")
# marks a term's meaning hangs on, so they must stand between its words where the matcher checks
# them: «№12» would be found in every «12»
_INNER_ONLY = frozenset("№")
# what a gap between a term's words may differ in: white space and hyphens are the same gap
# (a line-break hyphen, a no-break space), an apostrophe is one whichever is typed, three dots
# are an ellipsis
_GAP_FREE = str.maketrans({c: None for c in " \t\u00a0\u202f\u2009-‐‑–"} | {"’": "'", "ʼ": "'"})
_PLAIN = re.compile(r"[^\W_]+(?:[ -][^\W_]+)*")


def _gap(text: str) -> str:
    """The punctuation between two words of a term or a text, as the matcher compares it."""
    return text.translate(_GAP_FREE).replace("...", "…") if text else text


def term_problem(text: str) -> str | None:
    """Why `text` cannot be a glossary term as written (None: it can): the matcher finds terms
    by their words, so a term with no word, with pattern syntax around its words, or whose
    punctuation hides a lone letter (`(a)`, `a.`) would match something its author did not write."""
    if _PLAIN.fullmatch(text):  # most terms: words and single spaces (checked at every load)
        return None
    words = list(WORD.finditer(text))
    if not words:
        return "it has no words (the glossary matches words)"
    odd = "".join(sorted({c for c in WORD.sub("", text) if c not in _PROSE_PUNCTUATION
                          and not c.isspace()}))  # fmt: skip
    seen = " ".join(m.group() for m in words)
    if odd:
        return (
            f"the glossary matches words and would drop {odd!r}, finding «{seen}» instead; "
            "write the term as plain text"
        )
    edges = "".join(sorted(set(text[: words[0].start()] + text[words[-1].end() :]) & _INNER_ONLY))
    if edges:
        return (
            f"the glossary matches words and checks {edges!r} only between them, finding "
            f"«{seen}» alone; write it between words («Постановление №5») or leave it out"
        )
    if len(words) == 1 and len(seen) == 1 and seen != text.strip():
        return (
            f"the glossary matches words and would find the single letter «{seen}» "
            "everywhere; write the term as plain text"
        )
    return None


def check_terms(concept: Concept, option: str = "--", at: str = "") -> None:
    """Refuse a term the matcher would find as something else (term_problem): raise a
    GlossaryError naming the option (`option` + column) or `at` (file:line) and the column."""
    for lang in langs():
        columns = [(lang, (concept.preferred.get(lang, ""),)),
                   (f"{lang}_admitted", concept.admitted.get(lang, ())),
                   (f"{lang}_forbidden", concept.forbidden.get(lang, ())),
                   (f"{lang}_forms", tuple(concept.forms.get(lang, {}).values()))]  # fmt: skip
        for column, texts in columns:
            for text in texts:
                problem = term_problem(text) if text else None
                if problem:
                    where = f"{at}: {column}" if at else option + column.replace("_", "-")
                    raise GlossaryError(f"{where}: «{text}» is not a term: {problem}")


@dataclass(frozen=True)
class _Entry:
    term: Term
    keys: tuple[frozenset[str], ...]  # per word: the keys any of which a token must have
    words: tuple[str, ...]  # the term's words as written (for the case check)
    gaps: tuple[str, ...]  # the punctuation between its words (_gap), checked literally
    case_sensitive: bool
    order: int  # the order terms were added in: matches of equal rank keep it


# a text word in a Matcher: its keys among the terms' keys, its one-word terms, and the tables of
# its longer terms by their second word's keys
_WordInfo = tuple[frozenset[str], tuple[_Entry, ...], tuple[dict[str, list[_Entry]], ...]]


@lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple[Token, ...]:
    """The words of `text` with their spans; memoised: choosing among hypotheses finds terms in
    the same text several times (both match modes, then the stem index)."""
    return tuple(Token(m.start(), m.end(), m.group()) for m in WORD.finditer(text))


@lru_cache(maxsize=16)
def _words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The words of `text` and their spans, as plain lists (Matcher.find's own, cheaper than
    Token tuples: building those was a fifth of matching 10k concepts against 10k segments)."""
    return WORD.findall(text), [m.span() for m in WORD.finditer(text)]


def _case_ok(term_word: str, token: str) -> bool:
    """For case-sensitive terms: SDK matches SDK’s, not sdk; Nur matches Nur, not nur."""
    if len(term_word) > 1 and term_word.isupper():
        head = token[: len(term_word)]
        return head.isupper() and head.lower() == term_word.lower()[: len(head)]
    return term_word[:1].isupper() == token[:1].isupper()


class Matcher:
    """Finds the termbase's terms in texts of one language."""

    def __init__(self, concepts: Iterable[Concept], lang: str, *, ignore_case: bool = False):
        self.lang = lang
        self.ignore_case = ignore_case
        self.keys = morphology(lang).keys
        self._term_keys = morphology(lang).term_keys
        self.index: dict[str, list[_Entry]] = {}
        # one _WordInfo per set of keys, shared by every word with those keys (fewer objects for
        # the garbage collector to scan: its full collections were a fifth of the matching time)
        self._candidates: dict[frozenset[str], _WordInfo] = {}
        self._added = 0
        self._per_key: dict[str, tuple[tuple[_Entry, ...], dict[str, list[_Entry]]]] = {}
        # every key of every term's words: a text word's keys are cut down to these (most words
        # of a text are in no term: they share the empty set, and one lookup per word remains)
        self._known: set[str] = set()
        # a text word -> (its keys among the terms', its one-word terms, its longer terms' tables)
        self._per_word: dict[str, _WordInfo] = {}
        for concept in concepts:
            for term in concept.terms(lang):
                self._add(concept, term)

    def _add(self, concept: Concept, term: Term) -> None:
        found = list(WORD.finditer(term.text))
        words = tuple(m.group() for m in found)
        if not words or term_problem(term.text):
            return  # never matched as something else (loading the file refuses it)
        gaps = tuple(_gap(term.text[a.end() : b.start()]) for a, b in zip(found, found[1:]))
        indecl = concept.indeclinable or bool(term.form)
        # the keys of a term's words: the forms they may be found under
        term_keys = exact_keys if indecl else self._term_keys
        keys = tuple(term_keys(w) for w in words)
        # Only the first word's keys go into the index; the other words are checked against the
        # text's tokens by intersecting key sets.
        entry = _Entry(term, keys, words, gaps, concept.case_sensitive and not self.ignore_case,
                       self._added)  # fmt: skip
        self._added += 1
        for word_keys in keys:
            self._known.update(word_keys)
        seen: set[str] = set()
        for key in keys[0]:
            if key not in seen:
                seen.add(key)
                self.index.setdefault(key, []).append(entry)

    def __len__(self) -> int:
        return sum(len(v) for v in self.index.values())

    def _split(
        self, keys: frozenset[str]
    ) -> tuple[tuple[_Entry, ...], tuple[dict[str, list[_Entry]], ...]]:
        """The terms a word's keys lead to: one-word terms, and longer ones by their second word's
        keys, one table per key (with Zipf-distributed words, many terms start with the same common
        word: checking each of them at every occurrence of that word was most of the matching time)."""
        parts = [p for p in (self._by_key(key) for key in keys) if p[0] or p[1]]
        if len(parts) == 1:
            return parts[0][0], (parts[0][1],) if parts[0][1] else ()
        singles = {id(e): e for p in parts for e in p[0]}
        return (tuple(sorted(singles.values(), key=lambda e: e.order)),
                tuple(p[1] for p in parts if p[1]))  # fmt: skip

    def _by_key(self, key: str) -> tuple[tuple[_Entry, ...], dict[str, list[_Entry]]]:
        split = self._per_key.get(key)
        if split is None:
            entries = self.index.get(key, ())
            by_second: dict[str, list[_Entry]] = {}
            for entry in entries:
                if len(entry.keys) > 1:
                    for second in entry.keys[1]:
                        by_second.setdefault(second, []).append(entry)
            split = self._per_key[key] = (tuple(e for e in entries if len(e.keys) == 1), by_second)
        return split

    def find(self, text: str, *, overlapping: bool = False) -> list[Match]:
        """Terms in `text`, longest first; a span used by one match is not reused by a shorter one.

        Several concepts matching exactly the same span are all returned.
        """
        words, spans = _words(text)
        per_word = self._per_word
        info = [per_word.get(w) or self._learn(w) for w in words]
        fits = self._fits
        count = len(words)
        found: list[tuple[int, int, _Entry]] = []  # (first token, token count, entry)
        for i, (_, singles, by_second) in enumerate(info):
            for entry in singles:
                if not entry.case_sensitive or fits(text, words, spans, info, i, entry):
                    found.append((i, 1, entry))
            if by_second and i + 1 < count:
                # terms of several words: only those whose second word the next token can be
                next_keys = info[i + 1][0]
                if not next_keys:
                    continue
                fitted = [entry for table in by_second for key in next_keys
                          for entry in table.get(key, ())
                          if i + len(entry.keys) <= count and fits(text, words, spans, info, i, entry)]  # fmt: skip
                if len(fitted) > 1:  # in the order the terms were added (once each)
                    fitted = sorted({id(e): e for e in fitted}.values(), key=lambda e: e.order)
                found += [(i, len(entry.keys), entry) for entry in fitted]
        if not found:
            return []
        end = -1
        for i, n, _ in found:  # found in text order: no two share a word (the usual case)?
            if i < end:
                break
            end = i + n
        else:  # then each is chosen as it is, and this is their order
            return [Match(spans[i][0], spans[i + n - 1][1], text[spans[i][0] : spans[i + n - 1][1]],
                          entry.term.concept, entry.term) for i, n, entry in found]  # fmt: skip
        found.sort(key=lambda f: (-f[1], -(spans[f[0] + f[1] - 1][1] - spans[f[0]][0]), f[0],
                                  _STATUS_RANK[f[2].term.status], f[2].term.form != ""))  # fmt: skip
        taken = [False] * count
        chosen: dict[tuple[int, int], list[_Entry]] = {}
        for i, n, entry in found:
            span = (i, n)
            if span in chosen:
                if all(e.term.concept != entry.term.concept for e in chosen[span]):
                    chosen[span].append(entry)
                continue
            if not overlapping and any(taken[i : i + n]):
                continue
            chosen[span] = [entry]
            for k in range(i, i + n):
                taken[k] = True
        out = []
        for (i, n), entries in chosen.items():
            start, end = spans[i][0], spans[i + n - 1][1]
            for entry in entries:
                out.append(Match(start, end, text[start:end], entry.term.concept, entry.term))
        out.sort(key=lambda m: (m.start, -m.end))
        return out

    def _learn(self, word: str) -> _WordInfo:
        """A text word's keys (those some term has) and the terms they lead to, once per word."""
        keys = self.keys(word) & self._known
        info = self._candidates.get(keys)
        if info is None:
            keys = frozenset(keys)
            info = self._candidates[keys] = (keys, *self._split(keys))
        self._per_word[word] = info
        return info

    def _fits(self, text: str, words: Sequence[str], spans: Sequence[tuple[int, int]],
              info: list[_WordInfo], i: int, entry: _Entry) -> bool:  # fmt: skip
        for j, keys in enumerate(entry.keys):
            if j and not keys & info[i + j][0]:
                return False
            if j:  # the punctuation between the words, if any, is the term's own
                gap, own = text[spans[i + j - 1][1] : spans[i + j][0]], entry.gaps[j - 1]
                if (own or gap.strip(" \u00a0-‐‑–")) and _gap(gap) != own:
                    return False
            if entry.case_sensitive and not _case_ok(entry.words[j], words[i + j]):
                return False
        return True
