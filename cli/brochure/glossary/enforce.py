"""Enforcing the glossary on machine translation, without a model trained for it.

Of the engine's N-best hypotheses, take the one with the fewest glossary violations (an approved
term missing, a forbidden one used, a do-not-translate term changed), the engine's score breaking
ties; then repair what can be repaired in it: a forbidden or wrongly cased term is replaced by the
approved one inflected like the word it replaces; a do-not-translate term's source form is put
back. Every repair, and every problem left, becomes a note for the unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from brochure.glossary.concepts import Concept
from brochure.glossary.load import load_termbase
from brochure.glossary.match import Match, tokenize
from brochure.glossary.morph import inflect_like, morphology
from brochure.glossary.termbase import Termbase

if TYPE_CHECKING:
    from brochure.core.project import Project


@dataclass
class Evaluation:
    """How well one target text follows the glossary, given the terms found in its source."""

    text: str
    matches: list[Match]
    missing: list[Concept] = field(default_factory=list)  # approved term absent
    forbidden: list[Match] = field(default_factory=list)  # deprecated rendering used
    miscased: list[Match] = field(default_factory=list)  # case-sensitive term in the wrong case
    dnt_missing: list[tuple[Concept, str]] = field(default_factory=list)  # (concept, source form)
    derived: list[tuple[Concept, str]] = field(default_factory=list)  # only a word of the same stem

    @property
    def violations(self) -> int:
        return len(self.missing) + len(self.forbidden) + len(self.dnt_missing) + len(self.miscased)


# English words after which a word is a verb, not a noun: a subject pronoun, "to", a modal.
# "We demand a raise" uses the verb, "our demand" the noun concept `demand`; `check` must not ask
# for the noun's rendering («требование») where the sentence has the verb («требуем»).
_EN_VERB_BEFORE = frozenset(
    "i we you they to will would shall should must can could may might cannot also not "
    "never still".split()
)
_NOUN_POS = ("noun", "noun-phrase")


def source_concepts(termbase: Termbase, source_text: str, src_lang: str) -> dict[str, Match]:
    """Concepts whose terms occur in the source text: concept id -> first match.

    An English one-word noun term used as a verb (after a subject pronoun, "to" or a modal) is
    not the noun concept, and is left out."""
    out: dict[str, Match] = {}
    for m in termbase.matcher(src_lang).find(source_text):
        if src_lang == "en" and _used_as_verb(termbase, m, source_text):
            continue
        out.setdefault(m.concept, m)
    return out


def _used_as_verb(termbase: Termbase, m: Match, text: str) -> bool:
    concept = termbase.get(m.concept)
    if concept is None or concept.pos not in _NOUN_POS or " " in m.text.strip():
        return False
    before = re.search(r"([A-Za-z’']+)\W*$", text[max(0, m.start - 40) : m.start])
    return before is not None and before.group(1).lower() in _EN_VERB_BEFORE


def _verbatim(form: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) is not None


def _dnt_form(match: Match) -> str:
    """The form a do-not-translate term must keep: the term as written in the glossary."""
    return match.term.text if match.term.status != "forbidden" else match.text


def evaluate(termbase: Termbase, found: dict[str, Match], text: str, tgt_lang: str) -> Evaluation:
    """Check `text` (a translation) against the concepts `found` in its source."""
    matcher = termbase.matcher(tgt_lang, target=True)
    matches = matcher.find(text)
    ev = Evaluation(text, matches)
    approved_spans: list[tuple[int, int]] = []
    present: set[str] = set()
    stem_index: dict[str, list[tuple[int, str, str]]] | None = None  # built when first needed
    # presence counts terms nested in longer ones too: «рабочий» in «рабочего движения»
    for m in matcher.find(text, overlapping=True):
        concept = termbase.get(m.concept)
        if m.status == "forbidden" or concept is None:
            continue
        if concept.case_sensitive and not _case_matches(m):
            if m.concept not in found:
                # «ауылдардан» (from the villages) is not the party «Ауыл» when the source does
                # not name the party: an ordinary word, neither present nor miscased
                continue
            if m in matches:
                ev.miscased.append(m)
        present.add(m.concept)
        if m.concept in found:
            approved_spans.append((m.start, m.end))
    for m in matches:
        if m.status != "forbidden":
            continue
        overlaps = [(a, b) for a, b in approved_spans if a < m.end and m.start < b]
        if any(a <= m.start and m.end <= b for a, b in overlaps):
            continue  # the same words are an approved term of a concept in the source
        if overlaps and m.concept not in found:
            continue  # partly another source concept's approved term, and not this concept's text
        if m.concept in found or not _approved_elsewhere(m, matches):
            ev.forbidden.append(m)
    for cid, src in found.items():
        concept = termbase.get(cid)
        if concept is None:
            continue
        if concept.do_not_translate:
            form = _dnt_form(src)
            if not _verbatim(form, text) and not _verbatim(src.text, text):
                ev.dnt_missing.append((concept, form))
            continue
        if concept.approved(tgt_lang) and cid not in present:
            if _surname_used(concept, tgt_lang, text):
                continue  # «Назарбаевқа» for Nursultan Nazarbayev: the person, by the surname
            if stem_index is None:
                stem_index = _stem_index(tgt_lang, text, ev.forbidden)
            word = _derived_word(concept, tgt_lang, stem_index)
            if word:
                ev.derived.append((concept, word))
            else:
                ev.missing.append(concept)
    return ev


@lru_cache(maxsize=65536)
def _stems(lang: str, word: str) -> frozenset[str]:
    """Stem keys of a word (a morphological parse for Russian): memoised, since every missing
    concept of every hypothesis asks again for the same words."""
    return morphology(lang).keys(word)


def _shares_stem(term_key: str, word_key: str) -> bool:
    """полиция ~ полицейский, забастовка ~ забастовать, класс ~ классовый, нефть ~ нефтяник."""
    n = 0
    for a, b in zip(term_key, word_key, strict=False):
        if a != b:
            break
        n += 1
    if n == len(term_key) >= 3:  # the whole word and a suffix: тап -> таптық
        return True
    return n >= 4 and n >= len(term_key) - 4


def _stem_index(
    lang: str, text: str, forbidden: list[Match]
) -> dict[str, list[tuple[int, str, str]]]:
    """The text's words by the first 3 and 4 letters of their stem keys (words of a forbidden
    rendering left out): _shares_stem needs a common prefix of at least min(4, len(key))."""
    index: dict[str, list[tuple[int, str, str]]] = {}
    for order, t in enumerate(tokenize(text)):
        if any(f.start <= t.start < f.end for f in forbidden):
            continue
        for k in _stems(lang, t.text):
            for n in (3, 4):
                if len(k) >= n:
                    index.setdefault(k[:n], []).append((order, t.text, k))
    return index


@lru_cache(maxsize=16384)
def _term_words(term: str) -> tuple[str, ...]:
    return tuple(
        sorted((t.text for t in tokenize(term) if len(t.text) >= 3), key=len, reverse=True)
    )


def _derived_word(
    concept: Concept, lang: str, index: dict[str, list[tuple[int, str, str]]]
) -> str | None:
    """A word of the text derived from a word of an approved term (a human translator's adjective
    or verb for the source's noun): not the term, but not a wrong term either."""
    for term in concept.approved(lang):
        for word in _term_words(term):
            for key in _stems(lang, word):
                hits = [(order, surface) for order, surface, k in index.get(key[: min(4, len(key))], ())
                        if _shares_stem(key, k)]  # fmt: skip
                if hits:
                    return min(hits)[1]  # the first such word in the text
    return None


def _surname_used(concept: Concept, lang: str, text: str) -> bool:
    """A person's concept (domain `people`, a proper noun of two words or more) named in `text`
    by the surname alone, in any form: «Назарбаевқа», «Назарбаева» for «Нұрсұлтан Назарбаев»."""
    if concept.domain != "people" or concept.pos != "proper-noun":
        return False
    morph = morphology(lang)
    keys: set[str] = set()
    for term in concept.approved(lang):
        words = [t.text for t in tokenize(term)]
        if len(words) >= 2:
            keys |= morph.term_keys(words[-1])
    return bool(keys) and any(
        t.text[:1].isupper() and not keys.isdisjoint(_stems(lang, t.text)) for t in tokenize(text)
    )


def _approved_elsewhere(m: Match, matches: list[Match]) -> bool:
    return any(o.start == m.start and o.end == m.end and o.status != "forbidden" for o in matches)


def _case_matches(m: Match) -> bool:
    from brochure.glossary.match import _case_ok

    words = [t.text for t in tokenize(m.term.text)]
    toks = [t.text for t in tokenize(m.text)]
    return all(_case_ok(w, t) for w, t in zip(words, toks, strict=False))


def _recase(m: Match) -> str:
    """The matched text with each word cased like the term's word."""
    words = [t.text for t in tokenize(m.term.text)]
    out, pos = [], 0
    for w, tok in zip(words, tokenize(m.text), strict=False):
        out.append(m.text[pos : tok.start])
        fixed = tok.text
        if len(w) > 1 and w.isupper():
            fixed = tok.text[: len(w)].upper() + tok.text[len(w) :]
        elif w[:1].isupper():
            fixed = tok.text[:1].upper() + tok.text[1:]
        else:
            fixed = tok.text[:1].lower() + tok.text[1:]
        out.append(fixed)
        pos = tok.end
    out.append(m.text[pos:])
    return "".join(out)


def _inner(term: str) -> str:
    """A term from its first word to its last: a match spans a text's words, so what the text
    has before and after them (its «», !) stays, and a term's own would be set twice («Шал, кет!!»)."""
    words = tokenize(term)
    return term[words[0].start : words[-1].end] if words else term


def repair(
    termbase: Termbase, ev: Evaluation, found: dict[str, Match], tgt_lang: str
) -> tuple[str, list[str]]:
    """Fix what can be fixed in an evaluated text; return it with a note per repair."""
    edits: list[tuple[int, int, str, str, str]] = []  # start, end, old, new, concept
    notes: list[str] = []
    for concept, form in ev.dnt_missing:
        # a rendering of a do-not-translate term: put the source form back
        rendering = next((m for m in ev.matches if m.concept == concept.id), None)
        if rendering is not None:
            edits.append((rendering.start, rendering.end, rendering.text, form, concept.id))
    for m in ev.forbidden:
        wanted = termbase.get(m.concept)
        if wanted is None:
            continue
        if wanted.do_not_translate and m.concept in found:
            new = _dnt_form(found[m.concept])
        elif wanted.preferred.get(tgt_lang):
            new = _inner(inflect_like(wanted, tgt_lang, m.text, m.term.text))
            if m.text[:1].isupper() and not wanted.case_sensitive:
                new = new[:1].upper() + new[1:]
        else:
            continue
        edits.append((m.start, m.end, m.text, new, m.concept))
    for m in ev.miscased:
        edits.append((m.start, m.end, m.text, _recase(m), m.concept))
    text = ev.text
    last_start = len(text) + 1
    for start, end, old, new, cid in sorted(edits, key=lambda e: -e[0]):  # right to left
        if end > last_start or old == new:
            continue  # overlaps an edit already made, or nothing to change
        text = text[:start] + new + text[end:]
        last_start = start
        notes.insert(0, f"glossary: replaced «{old}» with «{new}» ({cid})")
    return text, notes


def problems(ev: Evaluation, found: dict[str, Match], tgt_lang: str) -> list[str]:
    """Notes for what a text still gets wrong."""
    notes = []
    for m in ev.forbidden:
        notes.append(f"glossary: «{m.text}» is a forbidden rendering ({m.concept})")
    for concept, form in ev.dnt_missing:
        notes.append(f"glossary: do-not-translate «{form}» ({concept.id}) is missing")
    for concept in ev.missing:
        src = found[concept.id]
        want = concept.preferred.get(tgt_lang) or concept.approved(tgt_lang)[0]
        notes.append(f"glossary: «{src.text}» ({concept.id}) should be rendered «{want}»")
    return notes


# How much lower than the engine's best a hypothesis may score (log-probability) and still be
# chosen for its terms; anything lower is a garble («Жананазень»), and the best is repaired instead.
SCORE_MARGIN = 1.0


@dataclass(frozen=True)
class Choice:
    """The glossary's choice among N-best hypotheses: which one, and its text once repaired."""

    index: int  # of the hypothesis chosen (0: the engine's best)
    text: str
    notes: list[str]  # one per repair or problem left, for the unit's notes


def apply_glossary(
    project: Project | None, source_text: str, hypotheses: Sequence[tuple[str, float]],
    src_lang: str, tgt_lang: str, *, termbase: Termbase | None = None,
) -> tuple[str, list[str]]:  # fmt: skip
    """The text to use among N-best `hypotheses`, and notes: see `choose_hypothesis`."""
    choice = choose_hypothesis(project, source_text, hypotheses, src_lang, tgt_lang,
                               termbase=termbase)  # fmt: skip
    return choice.text, choice.notes


def choose_hypothesis(
    project: Project | None, source_text: str, hypotheses: Sequence[tuple[str, float]],
    src_lang: str, tgt_lang: str, *, termbase: Termbase | None = None,
) -> Choice:  # fmt: skip
    """Choose among N-best `hypotheses` (text, score; best first, a higher score is better) and
    repair the chosen one: only hypotheses within SCORE_MARGIN of the best are considered, and the
    unit's note says whether another hypothesis was chosen or the best one repaired.
    """
    if not hypotheses:
        return Choice(0, "", [])
    tb = termbase if termbase is not None else load_termbase(project)
    found = source_concepts(tb, source_text, src_lang)
    if not found and not len(tb):
        return Choice(0, hypotheses[0][0], [])
    top = max(float(score) for _, score in hypotheses)
    candidates: list[tuple[tuple[int, int, float, int], str, list[str], Evaluation]] = []
    for i, (text, score) in enumerate(hypotheses):
        if top - float(score) > SCORE_MARGIN and candidates:
            continue  # far less likely than the best: a garble, not a choice (repair instead)
        before = evaluate(tb, found, text, tgt_lang)
        repaired, notes = repair(tb, before, found, tgt_lang)
        # nothing repaired: the evaluation of the text stands (evaluating costs a parse per word)
        after = before if repaired == text else evaluate(tb, found, repaired, tgt_lang)
        # fewest problems left after repair, then fewest repairs, then the engine's preference
        candidates.append(
            ((after.violations, len(notes), -float(score), i), repaired, notes, after)
        )
    key, text, notes, after = min(candidates, key=lambda c: c[0])
    best = key[-1]
    if best != 0:
        notes.insert(0, f"glossary: chose hypothesis {best + 1} of {len(hypotheses)} for its terms "
                        f"(score {-key[2]:.2f}, within {SCORE_MARGIN} of the best {top:.2f})")  # fmt: skip
    elif notes and len(hypotheses) > 1:
        notes.insert(0, "glossary: repaired the engine's best hypothesis (no other within "
                        f"{SCORE_MARGIN} of its score {top:.2f} does better)")  # fmt: skip
    return Choice(best, text, notes + problems(after, found, tgt_lang))
