"""Sentence segmentation for en, ru and kk, with stable ids and exact character spans.

Why our own rules: of the segmenters measured (research/text.md) none is right for all three
languages and none knows Kazakh; translators need abbreviation lists they can extend (as OmegaT's
SRX rules), and the layout needs character spans that re-join exactly to the block's text.

A boundary is a run of . ! ? … (with closing quotes or brackets after it), then white space, then
something that can start a sentence. It is not a boundary:
- inside brackets, parentheses or a pair of quotes that go on after it (a bracketed note
  «[Прим. пер.: …]» stays whole); a full stop inside closing quotes that end the quotation is one:
  He said: “We will continue.” | The title…;
- after an abbreviation of the language («т. е.», «г.», «ж.», «проф.», «Jun.») or an initial («Н. Ә.»),
  unless the abbreviation is one that may end a sentence ("p.m.", "U.S.", "etc.") and the next word
  is one that starts sentences ("The", "He", "Nobody", ...): both lists are in data/abbreviations/;
- before a lower-case word, or before a dash and a lower-case word (a quotation and its attribution:
  «...!» – сказал он; «...!» – деді ол; "...!" he said; an ellipsis inside a sentence).

A project adds its own rules, in the spirit of SRX (brochure.toml [segmentation]): abbreviations
added or removed, and patterns that forbid a break (an exception) or force one. A source forces a
split with <!--break--> and joins two sentences with <!--join--> (see sources/text.py); these
win over every rule.

Every step is linear in the length of the text (a 10 MB paragraph takes seconds): the candidate
pattern only starts at the beginning of a run of full stops, nesting depths come from one pass,
and the word before a full stop is found by looking back to the previous space only.
A project's own patterns are the exception: a regular expression may backtrack catastrophically
((a+)+$ on a long run of a), and Python's `re` cannot be stopped. They run on the `regex`
engine, which stops a match after a timeout: each match may take RULE_CALL_SECONDS (a search
over a whole paragraph more, by its length), and all of them together RULE_SECONDS of CPU time
plus RULE_SECONDS_PER_MB per million characters segmented. A pattern that exceeds either stops
the run with one line naming brochure.toml and the rule's key.

Segment ids come from the normalised text plus an occurrence counter, never from positions, so
editing one paragraph keeps every other paragraph's ids (and so its translations).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from brochure.core import languages
from brochure.core.datamodel import Block, Document, RichText, Segment, SegmentedDocument, Span
from brochure.core.errors import ProjectError
from brochure.core.text import normalise

if TYPE_CHECKING:
    from brochure.core.project import BreakRule, Project

ENDERS = ".!?…"
CLOSERS = "\"'»”’)]"
OPENERS = "\"'«“‘(["
DASHES = "-–—"
_PAIRS = {"(": ")", "[": "]", "«": "»", "“": "”", '"': '"'}
# Possessive quantifiers and the look-behind keep this linear on long runs of . or closers.
_CANDIDATE = re.compile(r"(?<![.!?…])([.!?…]++)([\"'»”’)\]]*+)(\s++)")
_WORD_END = re.compile(r"\w+$")
_TOKEN_END = re.compile(r"\S+$")
# How far back a project's "before" pattern may look from a break (keeps rules linear).
RULE_WINDOW = 200
# What a project's patterns may cost: one match (wall-clock seconds: regex's timeout), and all of
# them (CPU seconds, plus per million characters segmented). Sound patterns take microseconds per
# place (about 1 CPU second per MB for two rules, most of it Python's own work around them);
# only catastrophic ones come near.
RULE_CALL_SECONDS = 1.0
RULE_SECONDS = 5.0
RULE_SECONDS_PER_MB = 10.0
SLOW_PATTERN = (
    "the pattern takes too long to match (it backtracks catastrophically, as (a+)+$ does on a "
    "long run of a): write it without a repetition inside a repetition"
)


def builtin_abbreviations(lang: str) -> frozenset[str]:
    """The language's abbreviations from the registry (lower case, no final full stop)."""
    if not languages.is_known(lang):
        return frozenset()
    return _normalised(languages.get(lang).abbreviations)


@cache
def _normalised(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_norm_abbr(word) for word in words)


def _norm_abbr(word: str) -> str:
    return re.sub(r"\s+", "", word.strip()).rstrip(".").lower()


@dataclass(frozen=True)
class _Rule:
    breaks: bool
    before: Any  # regex.Pattern: must match text ending at the break
    after: Any  # regex.Pattern: must match text starting at the break
    source: str  # the patterns as written, for the signature
    where: str  # brochure.toml and the rule's key


class _Budget:
    """The CPU time a segmenter's project patterns have spent, against what they may spend; each
    call also has its own `regex` timeout. No pattern, however written, runs longer."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.allowed = RULE_SECONDS

    def grant(self, chars: int) -> None:
        self.allowed += chars / 1_000_000 * RULE_SECONDS_PER_MB

    def run(self, where: str, call: Any, *args: Any, chars: int = 0) -> Any:
        """`call(*args, timeout=...)`, allowed RULE_CALL_SECONDS (and more for `chars` of text
        searched at once); a timeout is the one-line error naming `where`."""
        start = time.thread_time()  # CPU time: a busy machine does not make a pattern slow
        try:
            if self.spent >= self.allowed:
                raise TimeoutError
            timeout = RULE_CALL_SECONDS + chars / 1_000_000 * RULE_SECONDS_PER_MB
            return call(*args, timeout=timeout)
        except TimeoutError:
            raise ProjectError(f"{where}: {SLOW_PATTERN}") from None
        finally:
            self.spent += time.thread_time() - start


class RuleSegmenter:
    """Splits a block's text into sentences; one instance per language and set of project rules."""

    name = "rules"

    def __init__(
        self, lang: str, extra_abbreviations: Sequence[str] = (), *,
        removed_abbreviations: Sequence[str] = (), rules: Iterable[BreakRule] = (),
    ):  # fmt: skip
        self.lang = lang
        self.extra = tuple(extra_abbreviations)
        removed = {_norm_abbr(a) for a in removed_abbreviations}
        known = languages.get(lang) if languages.is_known(lang) else None
        self.abbreviations = (
            builtin_abbreviations(lang) | {_norm_abbr(a) for a in self.extra}
        ) - removed
        # abbreviations that may end a sentence, and the words that start one after them
        self.final = (_normalised(known.sentence_final) if known else frozenset()) - removed
        self.starters = known.sentence_starters if known else frozenset()
        self.rules: tuple[_Rule, ...] = ()
        self._finder: list[tuple[Any, str]] = []
        self._budget = _Budget()
        mine = [r for r in rules if r.lang in ("", lang)]
        if mine:
            import regex  # only for a project's own patterns (see the module doc)

            self.rules = tuple(
                _Rule(r.breaks, regex.compile(f"(?:{r.before})\\Z"), regex.compile(r.after),
                      f"{'break' if r.breaks else 'no-break'}:{r.before}|{r.after}", r.where)
                for r in mine
            )  # fmt: skip
            self._finder = [
                (regex.compile(f"(?:{r.before})(?=(?:{r.after}))"), r.where)
                for r in mine if r.breaks
            ]  # fmt: skip

    def signature(self) -> str:
        text = (
            "\n".join(sorted(self.abbreviations)) + "\n" + "\n".join(r.source for r in self.rules)
        )
        digest = hashlib.sha1(text.encode()).hexdigest()[:8]
        return f"rules|lang:{self.lang}|abbr:{digest}"

    def split(
        self, text: str, forced: Sequence[int] = (), joined: Sequence[int] = ()
    ) -> list[tuple[int, int]]:
        """Spans (start, end) of the sentences of `text`; the gaps between them are white space.

        `forced`: offsets where the source forces a break; `joined`: offsets (in the white space
        between two sentences) where it forbids one.
        """
        n = len(text)
        if self.rules:
            self._budget.grant(n)
        depth = _Nesting(text)
        cuts: dict[int, int] = {}  # end of a sentence -> start of the next
        for m in _CANDIDATE.finditer(text):
            end = m.end(2)  # the sentence keeps its closing quotes and brackets
            nxt = m.end(3)
            if nxt >= n or depth[end]:  # inside a bracket or quotation that goes on
                continue
            if self._rule(text, end) is False:
                continue
            if self._is_boundary(text, m.start(1), m.group(1), nxt):
                cuts[end] = nxt
        for finder, where in self._finder:
            for m in self._budget.run(where, _all_matches, finder, text, chars=n):
                at = m.end()
                if 0 < at < n and self._rule(text, at) is not False:
                    cuts.setdefault(_rstrip_at(text, at), _skip_space(text, at))
        for at in forced:
            if 0 < at < n:
                cuts[_rstrip_at(text, at)] = _skip_space(text, at)
        if joined:
            join_at = sorted(joined)
            for end in list(cuts):
                nxt = cuts[end]
                if any(end <= j <= nxt for j in _between(join_at, end, nxt)):
                    del cuts[end]
        spans = []
        start = _skip_space(text, 0)
        for end in sorted(cuts):
            if end < start:
                continue
            if end > start:
                spans.append((start, end))
            start = max(start, cuts[end])
        end = len(text.rstrip())
        if end > start:
            spans.append((start, end))
        return spans

    def _rule(self, text: str, at: int) -> bool | None:
        """The first project rule that matches a break at `at`: True (break), False (no break),
        None (no rule matches)."""
        if not self.rules:
            return None
        window = text[max(0, at - RULE_WINDOW) : at]
        run = self._budget.run
        for rule in self.rules:
            if run(f"{rule.where}.before", rule.before.search, window) and run(
                f"{rule.where}.after", rule.after.match, text, at
            ):
                return rule.breaks
        return None

    def _is_boundary(self, text: str, punct_at: int, punct: str, nxt: int) -> bool:
        if not _can_start_sentence(text, nxt):
            return False
        if punct == ".":
            word = _word_before(text, punct_at).lstrip(OPENERS)
            if not word:
                return True
            if len(word) == 1 and word.isupper():  # an initial: Н. Ә. Назарбаев, J. Smith
                return False
            abbreviation = self._abbreviation(text, punct_at)
            if abbreviation is not None:
                # "at 5 p.m. The march began": an abbreviation that may end a sentence does, when
                # a word that starts sentences follows
                return abbreviation in self.final and _next_word(text, nxt) in self.starters
        return True

    def _abbreviation(self, text: str, dot: int) -> str | None:
        """The listed abbreviation the full stop at `dot` ends, also spaced («т. е.»), if any."""
        # collect the chain of short dotted pieces ending at `dot`: "т. е." -> ["т", "е"]
        pieces: list[str] = []
        pos = dot
        while True:
            m = _WORD_END.search(text, max(0, pos - 12), pos)
            if not m:
                break
            piece = m.group(0)
            pieces.insert(0, piece)
            begin = pos - len(piece)
            if (
                begin >= 1
                and text[begin - 1] == "."
                or (begin >= 2 and text[begin - 1] == " " and text[begin - 2] == ".")
            ):
                pos = begin - 1 if text[begin - 1] == "." else begin - 2
                if len(pieces) >= 4:
                    break
                continue
            break
        for i in range(len(pieces)):
            candidate = ".".join(pieces[i:]).lower()
            if candidate in self.abbreviations:
                return candidate
        return None


def _between(sorted_offsets: list[int], low: int, high: int) -> list[int]:
    from bisect import bisect_left, bisect_right

    return sorted_offsets[bisect_left(sorted_offsets, low) : bisect_right(sorted_offsets, high)]


def _word_before(text: str, i: int) -> str:
    """The run of non-space characters that ends at i (at most its last 64: enough to tell an
    initial or an abbreviation, and it keeps the search short)."""
    m = _TOKEN_END.search(text, max(0, i - 64), i)
    return m.group() if m else ""


def _next_word(text: str, i: int) -> str:
    """The word that starts at i (after any opening quotes)."""
    while i < len(text) and text[i] in OPENERS:
        i += 1
    j = i
    while j < len(text) and (text[j].isalpha() or text[j] in "'’"):
        j += 1
    return text[i:j]


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _rstrip_at(text: str, i: int) -> int:
    """i moved back over white space."""
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i


def _can_start_sentence(text: str, i: int) -> bool:
    """A sentence starts with an upper-case letter, a digit, or an opener/dash before one."""
    j = i
    while j < len(text) and (text[j] in OPENERS or text[j] in DASHES or text[j] in "*•"):
        j = _skip_space(text, j + 1)
        if j < len(text) and text[j - 1] in DASHES and text[j].islower():
            return False
    if j >= len(text):
        return False
    ch = text[j]
    return ch.isupper() or ch.isdigit() or not ch.isalpha() and ch not in ",;:"


_BRACKETS = re.compile('[()\\[\\]«»“”"]')


class _Nesting:
    """How deeply each position is nested in balanced brackets and quote pairs.

    One pass over the brackets alone pairs them; each pair adds +1 after its opener and -1 at its
    closer, and a position's depth is the sum of the changes before it (a binary search), so
    50,000 nested pairs cost as much as 50,000 side by side."""

    def __init__(self, text: str):
        changes: dict[int, int] = {}
        opened: list[tuple[str, int]] = []
        for m in _BRACKETS.finditer(text):
            ch, i = m.group(), m.start()
            if opened and ch == _PAIRS[opened[-1][0]]:
                a = opened.pop()[1]
                changes[a + 1] = changes.get(a + 1, 0) + 1
                changes[i] = changes.get(i, 0) - 1
            elif ch in _PAIRS:
                opened.append((ch, i))
        self.positions = sorted(changes)
        self.levels = []
        level = 0
        for k in self.positions:
            level += changes[k]
            self.levels.append(level)

    def __getitem__(self, i: int) -> int:
        from bisect import bisect_right

        k = bisect_right(self.positions, i)
        return self.levels[k - 1] if k else 0


def _all_matches(pattern: Any, text: str, timeout: float) -> list[Any]:
    """Every match of `pattern` in `text`, all found within `timeout` seconds."""
    return list(pattern.finditer(text, timeout=timeout))


def segment_id(text: str, occurrence: int) -> str:
    """A segment's stable id: from its normalised text and occurrence, never its position."""
    return _id(normalise(text), occurrence)


def _id(normalised: str, occurrence: int) -> str:
    digest = hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:12]
    return f"s{digest}" if occurrence == 1 else f"s{digest}-{occurrence}"


def get_segmenter(
    lang: str, abbreviations: dict[str, tuple[str, ...]] | None = None, *,
    removed: dict[str, tuple[str, ...]] | None = None, rules: Iterable[BreakRule] = (),
) -> RuleSegmenter:  # fmt: skip
    """The segmenter for `lang` with extra (and removed) abbreviations and break rules."""
    return RuleSegmenter(lang, (abbreviations or {}).get(lang, ()),
                         removed_abbreviations=(removed or {}).get(lang, ()), rules=rules)  # fmt: skip


def project_segmenter(project: Project, lang: str) -> RuleSegmenter:
    """The segmenter for `lang` with the project's abbreviations and break rules."""
    return get_segmenter(lang, project.abbreviations, removed=project.removed_abbreviations,
                         rules=project.break_rules)  # fmt: skip


def segment_block(block: Block, segmenter: RuleSegmenter) -> list[tuple[int, int]]:
    """Headings are one segment; other blocks are split into sentences."""
    if block.kind == "heading":
        text = block.text
        return [(0, len(text))] if text.strip() else []
    return segmenter.split(block.text, block.breaks, block.joins)


def slices(content: RichText, ranges: Sequence[tuple[int, int]]) -> list[RichText]:
    """content.slice(start, end) for each of the (ordered, disjoint) ranges, in one sweep over the
    spans (slicing each range separately would cost ranges x spans)."""
    if not content.spans:
        return [RichText(content.text[start:end]) for start, end in ranges]
    spans = sorted(content.spans, key=lambda s: s.start)
    out = []
    active: list[Span] = []
    k = 0
    for start, end in ranges:
        while k < len(spans) and spans[k].start < end:
            active.append(spans[k])
            k += 1
        active = [s for s in active if s.end > start]
        clipped = tuple(
            s.moved(max(s.start, start) - start, min(s.end, end) - start)
            for s in active
            if s.start < end
        )
        out.append(RichText(content.text[start:end], clipped))
    return out


def segment_document(
    document: Document, segmenter: RuleSegmenter | None = None
) -> SegmentedDocument:
    """A document cut into segments with stable ids (the segmentation stage's one call)."""
    segmenter = segmenter or get_segmenter(document.lang)
    seen: Counter[str] = Counter()
    segments = []
    for index, block in enumerate(document.blocks):
        ranges = segment_block(block, segmenter)
        for (start, end), content in zip(ranges, slices(block.content, ranges)):
            key = normalise(content.text)
            seen[key] += 1
            segments.append(Segment(_id(key, seen[key]), index, start, end, content))
    return SegmentedDocument(document, tuple(segments))
