"""The data that flows through the pipeline: documents, blocks, segments, aligned editions.

read sources -> Document (Blocks with inline Spans) -> segment -> Segments (ids, character spans)
-> translations store -> AlignedBlocks (one text per edition language and segment) -> layouts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

# defined in its own module (loading brochure.toml needs it, not the rest of this one)
from brochure.core.colophon import Colophon as Colophon

BlockKind = Literal["heading", "paragraph", "list_item", "quote"]
SpanKind = Literal["em", "strong", "note", "link"]


@dataclass(frozen=True)
class Span:
    """Inline markup over text[start:end]: emphasis, strong, a bracketed translator's note, or a
    link (its target an http(s) or mailto URL: core.paths.link_target)."""

    start: int
    end: int
    kind: SpanKind
    target: str = ""  # a link's URL; "" for the other kinds

    def moved(self, start: int, end: int) -> Span:
        """The same markup (kind and target) over text[start:end]."""
        return Span(start, end, self.kind, self.target)


@dataclass(frozen=True)
class RichText:
    """Plain text plus inline spans (offsets into `text`)."""

    text: str
    spans: tuple[Span, ...] = ()

    def slice(self, start: int, end: int) -> RichText:
        """The part text[start:end] with the spans that overlap it, clipped and shifted."""
        spans = tuple(
            s.moved(max(s.start, start) - start, min(s.end, end) - start)
            for s in self.spans
            if s.start < end and s.end > start
        )
        return RichText(self.text[start:end], spans)


@dataclass(frozen=True)
class Block:
    """One unit of a source document: a heading, a paragraph, a list item or a block quote."""

    kind: BlockKind
    content: RichText
    line: int  # 1-based line in the source file where the block starts
    level: int = 0  # heading level (1-6); list nesting depth (0 = top)
    ordered: bool = False  # list item of a numbered list
    number: int | None = None  # number of a numbered list item as written
    breaks: tuple[int, ...] = ()  # offsets where the source forces a sentence break (<!--break-->)
    joins: tuple[int, ...] = ()  # offsets where it forbids one (<!--join-->)

    @property
    def text(self) -> str:
        """The block's plain text (its content without markup)."""
        return self.content.text


@dataclass(frozen=True)
class Document:
    path: Path
    lang: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Segment:
    """A sentence (or heading, list item) of a block, with a stable id and its span in the block."""

    id: str
    block: int  # index of the block in Document.blocks
    start: int
    end: int
    content: RichText

    @property
    def text(self) -> str:
        """The segment's plain text (its content without markup)."""
        return self.content.text


@dataclass(frozen=True)
class SegmentedDocument:
    document: Document
    segments: tuple[Segment, ...]

    def block_segments(self, index: int) -> tuple[Segment, ...]:
        """The segments of block `index`, in order."""
        return self._by_block.get(index, ())

    @cached_property
    def _by_block(self) -> dict[int, tuple[Segment, ...]]:
        """Each block's segments, grouped once (a scan of every segment for each block made a
        book of 2,000 paragraphs quadratic: 1.6 s of each build's assembly at 10,000 segments)."""
        groups: dict[int, list[Segment]] = {}
        for segment in self.segments:
            groups.setdefault(segment.block, []).append(segment)
        return {block: tuple(group) for block, group in groups.items()}


@dataclass(frozen=True)
class AlignedSegment:
    """One source segment and its text in each edition language; None marks a missing translation."""

    id: str
    texts: dict[str, RichText | None]


@dataclass(frozen=True)
class AlignedBlock:
    """A source block with its segments aligned across the edition's languages."""

    id: str
    kind: BlockKind
    level: int
    segments: tuple[AlignedSegment, ...]
    ordered: bool = False
    number: int | None = None


@dataclass(frozen=True)
class AlignedDocument:
    name: str  # document name (the source file's stem)
    title: dict[str, str]  # the document's first heading in each language (for outlines, headers)
    blocks: tuple[AlignedBlock, ...]


def in_language(texts: dict[str, str], lang: str, fallback: str = "") -> str:
    """`texts` in `lang`, else in `fallback` (the source language), else any; "" if empty."""
    return texts.get(lang) or texts.get(fallback) or next(iter(texts.values()), "")


@dataclass(frozen=True)
class EditionInfo:
    """What a layout needs to know about the brochure and the edition being laid out."""

    name: str
    languages: tuple[str, ...]
    layout: str
    page_size: str
    title: dict[str, str]
    subtitle: dict[str, str] = field(default_factory=dict)
    publisher: dict[str, str] = field(default_factory=dict)  # per edition language
    date: dict[str, str] = field(default_factory=dict)  # per edition language
    colophon: Colophon = field(default_factory=Colophon)  # texts per edition language
    contents: str = "auto"  # "auto" (left out for short texts), "always" or "never"
    draft: bool = False
    generator: str = ""  # tool and version, for the output's metadata
    bleed_mm: float = 0.0  # print bleed around the trim box; > 0 also adds a slug with crop marks
    pdf_variant: str = ""  # "pdf/a-3b" for an archival PDF (the screen PDF)
    # The edition's PDFs ("screen" and/or "print", core.project.PDF_OUTPUTS) and the one being
    # written: "screen" has no bleed or marks, "print" has them and 100% black text and rules.
    # () and "": one PDF with bleed as bleed_mm says and colours as designed.
    pdf_outputs: tuple[str, ...] = ()
    pdf_output: str = ""
    nobreak: tuple[str, ...] = ()  # names never hyphenated: the glossary's proper nouns
    attachments: tuple[Path, ...] = ()  # declared in brochure.toml: embedded in the screen PDF

    def imprint(self) -> list[tuple[str, str]]:
        """The cover's imprint: the publisher, then the date, in each edition language, each
        text once (a name or a year the same in every language is printed once): (text, lang)."""
        seen: set[str] = set()
        lines = []
        for texts in (self.publisher, self.date):
            for lang in self.languages:
                text = texts.get(lang, "")
                if text and text not in seen:
                    seen.add(text)
                    lines.append((text, lang))
        return lines


@dataclass(frozen=True)
class Edition:
    info: EditionInfo
    documents: tuple[AlignedDocument, ...]
