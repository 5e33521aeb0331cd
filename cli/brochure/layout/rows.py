"""Aligned blocks -> rows: the unit that stays in step across the languages of a page.

One row per aligned paragraph, heading, list item or quote. The PDF layouts keep every
paragraph in one row and cut it only where a page breaks (layout/paging.py). The DOCX writer,
whose rows Word moves whole, passes a budget: a paragraph too long for it is split into
consecutive rows at segment (sentence) boundaries; continuation rows carry `first=False` and are
rendered without paragraph spacing, so the paragraph still reads as one.

Pure Python: the PDF and DOCX writers both lay out the same rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from brochure.core.datamodel import AlignedBlock, AlignedDocument, BlockKind, RichText
from brochure.core.errors import LayoutError
from brochure.core.project import page_size_mm

# How many characters a missing translation's marker takes up in the row-height estimate.
MISSING_CHARS = 40
# Share of a page's text area a row may fill at most. Below 1 because a row that does not fit
# the rest of a page moves to the next one whole and leaves a gap; smaller rows fill pages better
# but cut paragraphs more often.
ROW_FILL = 0.4
# Average advance of a character in em for PT Serif running text (measured on the seed texts:
# English 0.46, Russian 0.49); the wider one keeps the estimate on the safe side.
CHAR_EM = 0.49


@dataclass(frozen=True)
class Piece:
    """One segment's text in one language; text None marks a missing translation."""

    segment_id: str
    text: RichText | None
    # The sentence goes on in the next piece: it was cut at a line end where a page breaks
    # (layout/paging.py), so the two pieces set exactly as the one sentence did.
    runs_on: bool = False


@dataclass(frozen=True)
class Cell:
    lang: str
    pieces: tuple[Piece, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p.segment_id for p in self.pieces if p.text is None)

    @property
    def runs_on(self) -> bool:
        """The cell ends inside a sentence, at a line end (a page breaks there): its last line is
        a full line, justified like the others."""
        return bool(self.pieces) and self.pieces[-1].runs_on

    @property
    def plain(self) -> str:
        """The cell's text with missing pieces left out (for tests and estimates)."""
        return " ".join(p.text.text for p in self.pieces if p.text is not None)


@dataclass(frozen=True)
class Row:
    """A table row: the same stretch of text in every edition language."""

    kind: BlockKind
    block_id: str
    level: int  # heading level (1 = document title) or list nesting depth
    cells: tuple[Cell, ...]  # in edition language order
    first: bool = True  # first row of its block: gets the paragraph spacing and the list marker
    last: bool = True  # last row of its block
    marker: str = ""  # list marker ("•", "3.") on the first row of a list item
    keep_with_next: bool = False  # headings stay on the page of the row that follows


@dataclass(frozen=True)
class Geometry:
    """Page and type sizes: the single source for the CSS, the DOCX and the row budget."""

    page_mm: tuple[float, float]
    columns: int
    font_pt: float
    line_height: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_inner_mm: float
    margin_outer_mm: float
    gutter_mm: float

    @property
    def body_width_mm(self) -> float:
        return self.page_mm[0] - self.margin_inner_mm - self.margin_outer_mm

    @property
    def body_height_mm(self) -> float:
        return self.page_mm[1] - self.margin_top_mm - self.margin_bottom_mm

    @property
    def column_width_mm(self) -> float:
        return (self.body_width_mm - self.gutter_mm * (self.columns - 1)) / self.columns

    @property
    def column_widths_mm(self) -> list[float]:
        """Table column widths: each column's text plus its share of the gutters beside it."""
        text, half = self.column_width_mm, self.gutter_mm / 2
        if self.columns == 1:
            return [text]
        return [text + half] + [text + 2 * half] * (self.columns - 2) + [text + half]

    @property
    def chars_per_line(self) -> int:
        return max(10, int(_mm_to_pt(self.column_width_mm) / (self.font_pt * CHAR_EM)))

    @property
    def lines_per_page(self) -> int:
        # minus the repeated header row (about two lines with its rule and padding)
        return max(5, int(_mm_to_pt(self.body_height_mm) / (self.font_pt * self.line_height)) - 2)

    @property
    def row_budget(self) -> int:
        """Most characters (in the longest language) a row should hold."""
        return max(
            self.chars_per_line * 3, int(self.chars_per_line * self.lines_per_page * ROW_FILL)
        )


def _mm_to_pt(mm: float) -> float:
    return mm * 72 / 25.4


# The longest measure a single column of text may have, in em: about 66 characters of English and
# 60 of Russian or Kazakh in PT Serif; a wider page gets wider margins (45-75 characters read best).
MAX_MEASURE_EM = 31.0


def geometry(page_size: str, columns: int, max_measure_em: float | None = None) -> Geometry:
    """Margins and type size for a page size and column count (A5, two columns: 9.5 pt, ~35 chars
    a line); `max_measure_em` widens the margins of a page too wide for one column of text."""
    try:
        width, height = page_size_mm(page_size)
    except ValueError:
        raise LayoutError(
            f"unknown page size {page_size!r} (A4, A5, A6, Letter, 'A4 landscape' or '150mm x 210mm')"
        ) from None
    if width < 60 or height < 80:
        raise LayoutError(f"page size {page_size!r} is too small for a side-by-side layout")
    if width <= 115:
        font = 8.0
    elif width <= 160:
        font = 9.5
    else:
        font = 10.5
    if columns >= 3:
        font -= 1.0 if width > 250 else 0.5  # A4 landscape: 9.5 pt, about 50 characters a column
    side = round(min(20.0, max(10.0, width * 0.09)), 1)
    inner, outer = side + 1, side - 1  # a little more at the fold
    if max_measure_em and columns == 1:
        extra = width - inner - outer - max_measure_em * font * 25.4 / 72
        if extra > 0:
            inner, outer = inner + extra / 2, outer + extra / 2
    return Geometry(
        page_mm=(width, height),
        columns=columns,
        font_pt=font,
        line_height=1.3,
        margin_top_mm=side + 4,  # room for the running header
        margin_bottom_mm=side + 4,  # and for the page number
        margin_inner_mm=round(inner, 2),
        margin_outer_mm=round(outer, 2),
        gutter_mm=5.0 if width <= 160 else 7.0,
    )


def document_rows(document: AlignedDocument, languages: Sequence[str], budget: int) -> list[Row]:
    """The rows of one document, in order."""
    rows: list[Row] = []
    numbers: dict[int, int] = {}  # next number of an ordered list, per nesting level
    for block in document.blocks:
        if block.kind != "list_item":
            numbers.clear()
        marker = ""
        if block.kind == "list_item":
            for deeper in [lvl for lvl in numbers if lvl > block.level]:
                del numbers[deeper]
            if block.ordered:
                number = block.number if block.number is not None else numbers.get(block.level, 1)
                numbers[block.level] = number + 1
                marker = f"{number}."
            else:
                numbers.pop(block.level, None)
                # both are in PT Serif (U+25E6 "◦" is not: it came out in DejaVu)
                marker = "•" if block.level % 2 == 0 else "–"
        rows.extend(block_rows(block, languages, budget, marker))
    return rows


def block_rows(
    block: AlignedBlock, languages: Sequence[str], budget: int, marker: str = ""
) -> list[Row]:
    """One row for a block, or several consecutive ones (split at segments) if it is too long."""
    groups = split_segments(
        [_segment_length(seg.texts, languages) for seg in block.segments], budget
    )
    if block.kind == "heading":
        groups = [list(range(len(block.segments)))]  # a heading is one segment; never split it
    rows = []
    for n, group in enumerate(groups):
        segments = [block.segments[i] for i in group]
        cells = tuple(
            Cell(lang, tuple(Piece(seg.id, seg.texts.get(lang)) for seg in segments))
            for lang in languages
        )
        rows.append(
            Row(
                kind=block.kind,
                block_id=block.id,
                level=block.level,
                cells=cells,
                first=n == 0,
                last=n == len(groups) - 1,
                marker=marker if n == 0 else "",
                keep_with_next=block.kind == "heading",
            )
        )
    return rows


def _segment_length(texts: dict[str, RichText | None], languages: Iterable[str]) -> int:
    """A segment's length in its longest language (+1 for the space after it)."""
    lengths = [
        MISSING_CHARS if (text := texts.get(lang)) is None else len(text.text) for lang in languages
    ]
    return max(lengths, default=0) + 1


def split_segments(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Group consecutive segment indexes into as few rows as fit `budget`, of balanced length.

    A single segment longer than the budget keeps a row of its own (a sentence cannot be cut:
    its translation is aligned to it as a whole).
    """
    if not lengths:
        return [[]]
    total = sum(lengths)
    if total <= budget:
        return [list(range(len(lengths)))]
    # Aim at equal parts: 1000 characters with a budget of 600 make two rows of ~500, not 600 + 400.
    target = total / math.ceil(total / budget)
    groups: list[list[int]] = [[]]
    size = 0
    for i, length in enumerate(lengths):
        if groups[-1] and (size + length > budget or size + length / 2 > target):
            groups.append([])
            size = 0
        groups[-1].append(i)
        size += length
    return groups


def runs(text: RichText) -> list[tuple[str, frozenset[str]]]:
    """The text cut where its formatting changes: (text, kinds in force), spans may nest or overlap."""
    return [(chunk, kinds) for chunk, kinds, _ in linked_runs(text)]


def linked_runs(text: RichText) -> list[tuple[str, frozenset[str], str]]:
    """runs(), each with the target of the link it is part of ("" outside links)."""
    cuts = sorted({0, len(text.text), *(p for s in text.spans for p in (s.start, s.end))})
    out: list[tuple[str, frozenset[str], str]] = []
    for start, end in zip(cuts, cuts[1:]):
        if start >= end:
            continue
        spans = [s for s in text.spans if s.start <= start and s.end >= end]
        target = next((s.target for s in spans if s.kind == "link"), "")
        out.append((text.text[start:end], frozenset(s.kind for s in spans), target))
    return out
