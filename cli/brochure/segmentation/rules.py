"""Sentence segmentation for en, ru and kk, with stable ids and exact character spans.

Why our own rules: of the segmenters measured (research/text.md) none is right for all three
languages and none knows Kazakh; translators need abbreviation lists they can extend (as OmegaT's
SRX rules), and the layout needs character spans that re-join exactly to the block's text.

A boundary is a run of . ! ? … (with closing quotes or brackets after it), then white space, then
something that can start a sentence. It is not a boundary:
- inside brackets, parentheses or a pair of quotes (a bracketed note «[Прим. пер.: …]» stays whole);
- after an abbreviation of the language («т. е.», «г.», «ж.», «проф.», «Jun.») or an initial («Н. Ә.»);
- before a lower-case word, or before a dash and a lower-case word (a quotation and its attribution:
  «...!» – сказал он; «...!» – деді ол; "...!" he said; an ellipsis inside a sentence).

Segment ids come from the normalised text plus an occurrence counter, never from positions, so
editing one paragraph keeps every other paragraph's ids (and so its translations).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import cache

from brochure.core import languages
from brochure.core.datamodel import Block, Document, RichText, Segment, SegmentedDocument
from brochure.core.text import normalise

ENDERS = ".!?…"
CLOSERS = "\"'»”’)]"
OPENERS = "\"'«“‘(["
DASHES = "-–—"
_PAIRS = {"(": ")", "[": "]", "«": "»", "“": "”"}
_CANDIDATE = re.compile(r"([.!?…]+)([\"'»”’)\]]*)(\s+)")
_TOKEN_BEFORE = re.compile(r"(\S+)$")


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


class RuleSegmenter:
    """Splits a block's text into sentences; one instance per language and abbreviation list."""

    name = "rules"

    def __init__(self, lang: str, extra_abbreviations: tuple[str, ...] = ()):
        self.lang = lang
        self.extra = tuple(extra_abbreviations)
        self.abbreviations = builtin_abbreviations(lang) | {_norm_abbr(a) for a in self.extra}

    def signature(self) -> str:
        digest = hashlib.sha1("\n".join(sorted(self.abbreviations)).encode()).hexdigest()[:8]
        return f"rules|lang:{self.lang}|abbr:{digest}"

    def split(self, text: str) -> list[tuple[int, int]]:
        """Spans (start, end) of the sentences of `text`; the gaps between them are white space."""
        depth = _nesting(text)
        spans = []
        start = _skip_space(text, 0)
        for m in _CANDIDATE.finditer(text):
            end = m.end(2)  # the sentence keeps its closing quotes and brackets
            nxt = m.end(3)
            if nxt >= len(text):
                continue
            if depth[m.start(1)] and not (
                # a whole sentence in brackets or quotes: «Мы победим.» [Прим. пер.: ….]
                text[start] in OPENERS and m.group(2) and depth[m.end(2)] == 0
            ):
                continue
            if self._is_boundary(text, m.start(1), m.group(1), nxt):
                if end > start:
                    spans.append((start, end))
                start = nxt
        end = len(text.rstrip())
        if end > start:
            spans.append((start, end))
        return spans

    def _is_boundary(self, text: str, punct_at: int, punct: str, nxt: int) -> bool:
        if not _can_start_sentence(text, nxt):
            return False
        if punct == ".":
            token = _TOKEN_BEFORE.search(text, 0, punct_at)
            word = token.group(1).lstrip(OPENERS) if token else ""
            if not word:
                return True
            if len(word) == 1 and word.isupper():  # an initial: Н. Ә. Назарбаев, J. Smith
                return False
            if self._is_abbreviation(text, punct_at):
                return False
        return True

    def _is_abbreviation(self, text: str, dot: int) -> bool:
        """Is the full stop at `dot` part of a listed abbreviation, also spaced («т. е.»)?"""
        # collect the chain of short dotted pieces ending at `dot`: "т. е." -> ["т", "е"]
        pieces: list[str] = []
        pos = dot
        while True:
            m = re.search(r"(\w+)$", text[max(0, pos - 12) : pos])
            if not m:
                break
            piece = m.group(1)
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
            if ".".join(pieces[i:]).lower() in self.abbreviations:
                return True
        return False


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
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


def _nesting(text: str) -> list[int]:
    """For each position, how deeply it is nested in balanced brackets and quote pairs."""
    depth = [0] * (len(text) + 1)
    opened: list[tuple[str, int]] = []
    pairs = []
    for i, ch in enumerate(text):
        if opened and ch == _PAIRS[opened[-1][0]]:
            pairs.append((opened.pop()[1], i))
        elif ch in _PAIRS:
            opened.append((ch, i))
        elif ch == '"':  # straight double quotes pair up in order
            if opened and opened[-1][0] == '"':
                pairs.append((opened.pop()[1], i))
            else:
                opened.append(('"', i))
    for a, b in pairs:
        for k in range(a + 1, b):
            depth[k] += 1
    return depth


_PAIRS['"'] = '"'


def segment_id(text: str, occurrence: int) -> str:
    digest = hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:12]
    return f"s{digest}" if occurrence == 1 else f"s{digest}-{occurrence}"


def get_segmenter(
    lang: str, abbreviations: dict[str, tuple[str, ...]] | None = None
) -> RuleSegmenter:
    return RuleSegmenter(lang, (abbreviations or {}).get(lang, ()))


def segment_block(block: Block, segmenter: RuleSegmenter) -> list[tuple[int, int]]:
    """Headings are one segment; other blocks are split into sentences."""
    if block.kind == "heading":
        text = block.text
        return [(0, len(text))] if text.strip() else []
    return segmenter.split(block.text)


def segment_document(
    document: Document, segmenter: RuleSegmenter | None = None
) -> SegmentedDocument:
    segmenter = segmenter or get_segmenter(document.lang)
    seen: Counter[str] = Counter()
    segments = []
    for index, block in enumerate(document.blocks):
        for start, end in segment_block(block, segmenter):
            content: RichText = block.content.slice(start, end)
            key = normalise(content.text)
            seen[key] += 1
            segments.append(Segment(segment_id(key, seen[key]), index, start, end, content))
    return SegmentedDocument(document, tuple(segments))
