"""The `facing` layout: source on the left page, translation on the right, synchronised spreads.

WeasyPrint has no parallel flows, so the spreads are made in Python (research/layout.md, the
measure-and-pack approach):
1. measure: render every language once on very tall pages of the text block's width and read
   from `Page.anchors` each unit's box, the top of its text, and the line on which each of its
   sentences ends (an empty marker after every sentence);
2. pack: fill spreads in order; a unit takes a slot as tall as its taller side, on both pages, so
   every unit (and so every heading) starts at the same height left and right. A paragraph that
   does not fit the rest of a spread is cut after the last sentence that fits on both pages, with
   at least two lines on each side of the cut: a paragraph is cut only where a page break falls,
   and its rest starts the next spread. A heading stays with the first lines after it; each
   document starts on a new spread. The parts of cut paragraphs are measured in their turn and the
   spreads packed again, until every height the packing used was measured (usually two passes);
3. render: each page of a spread is a section with `break-before: left` / `right` holding exactly
   its slots (`min-height`), with mirrored margins. Pages are numbered consecutively, the left
   page even and the right page odd, as Loeb-style facing editions are; each language's contents
   point at its own pages.

Three languages: the first on the left page, the second and third stacked unit by unit on the right
page (the third smaller, set apart), so both pages still show the same units.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from brochure.core.datamodel import Edition
from brochure.core.errors import LayoutError
from brochure.layout.html import DocumentView, context, environment, get_template
from brochure.layout.rows import Cell, Row
from brochure.layout.weasy import render_document

log = logging.getLogger(__name__)
LAYOUT = "facing"
PX_PER_MM = 96 / 25.4
# Room left on every page for rounding between the two WeasyPrint passes, in CSS px.
SAFETY_PX = 2.0
# Measuring passes at most: the first measures every unit, the next ones the parts of cut paragraphs.
MAX_PASSES = 4
# Lines a cut leaves at least at the foot of a page and at the top of the next (orphans, widows).
MIN_LINES = 2
SPLITTABLE = ("paragraph", "quote", "list_item")

# A stretch of a unit: (document, row, first piece, end piece); a whole row is (d, r, 0, n).
Part = tuple[int, int, int, int]


@dataclass(frozen=True)
class Size:
    """A part's measured height on one side, the spacing above it, and for each sentence but the
    last the height from the part's top to the foot of the line on which that sentence ends."""

    height: float
    pad: float
    ends: tuple[float, ...] = ()
    line: float = 0.0  # the height of a line of its text


@dataclass
class Slot:
    row: int  # index into the document's rows (after cutting)
    height: float  # CSS px, the same on both pages
    top: bool  # first on its page: no spacing above


@dataclass
class Spread:
    document: int
    number: int  # 1-based, in the order of the spreads
    starts_document: bool
    slots: list[Slot] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)  # what each slot holds

    @property
    def used(self) -> float:
        return sum(s.height for s in self.slots)


Sizes = dict[tuple[int, Part], Size]


def render_facing(edition: Edition, search_dirs: tuple[Path, ...] = ()) -> Any:
    """WeasyPrint's Document of the edition in facing pages (call inside pdf's log redirection)."""
    env = environment(LAYOUT, search_dirs)
    ctx = context(edition)
    langs = ctx["languages"]
    ctx["sides"] = [langs[:1], langs[1:]]
    docs: list[DocumentView] = ctx["documents"]
    page_px = ctx["geometry"].body_height_mm * PX_PER_MM - SAFETY_PX
    measure = get_template(env, LAYOUT, "measure.html.j2")

    def measure_parts(parts: list[Part]) -> Sizes:
        return measure_units(measure, ctx, docs, parts, render_document)

    whole = [(d, r, 0, _pieces(row)) for d, doc in enumerate(docs) for r, row in enumerate(doc.rows)]
    sizes = measure_parts(whole)
    heights = Heights(sizes, len(langs), page_px)
    for _ in range(MAX_PASSES - 1):
        spreads = pack(docs, heights)
        unmeasured = sorted({p for s in spreads for p in s.parts if not heights.exact(p)})
        if not unmeasured:
            break
        sizes.update(measure_parts(unmeasured))
    else:
        spreads = pack(docs, heights)
    for spread in spreads:
        if spread.used > page_px + 0.5:
            doc = docs[spread.document]
            log.warning(
                "%s: a sentence in block %s is taller than a page: it runs over to the next page "
                "and that spread is out of step",
                edition.info.name, doc.rows[spread.parts[0][1]].block_id,
            )  # fmt: skip
    ctx["documents"] = cut_documents(docs, spreads)
    ctx["spreads"] = spreads
    template = get_template(env, LAYOUT)
    html = template.render(**ctx)
    assert template.filename is not None
    document = render_document(html, Path(template.filename).parent)
    check_spreads(document, len(spreads), edition.info.name)
    return document


def _pieces(row: Row) -> int:
    return len(row.cells[0].pieces)


def part_row(row: Row, first: int, end: int) -> Row:
    """The row holding pieces [first, end) of `row`: a paragraph's first part keeps its spacing
    and list marker, the parts after a cut continue it."""
    n = _pieces(row)
    if (first, end) == (0, n):
        return row
    return replace(
        row,
        cells=tuple(Cell(c.lang, c.pieces[first:end]) for c in row.cells),
        first=row.first and first == 0,
        last=row.last and end == n,
        marker=row.marker if first == 0 else "",
    )


def measure_units(
    template: Any, ctx: dict[str, Any], docs: list[DocumentView], parts: list[Part],
    render_document: Callable[..., Any],
) -> Sizes:  # fmt: skip
    """(language index, part) -> the part's size, from one WeasyPrint pass over `parts`."""
    geo = ctx["geometry"]
    views = [replace(doc, rows=[]) for doc in docs]
    keys: dict[str, Part] = {}
    for part in parts:
        d, r, first, end = part
        keys[f"{d}-{len(views[d].rows)}"] = part
        views[d].rows.append(part_row(docs[d].rows[r], first, end))
    total_chars = sum(
        len(c.plain) + 40 for doc in views for row in doc.rows for c in row.cells
    )
    # Tall enough for a good share of the text, short enough to stay far from float trouble.
    tall = max(
        geo.body_height_mm * 4,
        min(5000.0, total_chars / max(1, geo.chars_per_line) * geo.font_pt * 0.6),
    )
    html = template.render(**{**ctx, "documents": views}, measure_height_mm=round(tall))
    document = render_document(html, Path(template.filename).parent)
    found: dict[str, tuple[float, float]] = {}  # id -> top and bottom of its box
    for page in document.pages:
        for name, (_x1, y1, _x2, y2) in page.anchors.items():
            found[name] = (y1, y2)
    default_line = geo.font_pt * geo.line_height * 96 / 72
    sizes: Sizes = {}
    for i in range(len(ctx["languages"])):
        for key, part in keys.items():
            unit = f"{i}-{key}"
            try:
                (top, bottom), (text, _) = found[f"u{unit}"], found[f"c{unit}"]
            except KeyError:
                raise LayoutError(
                    f"facing layout: unit {unit} was not measured (a custom measure.html.j2?)"
                ) from None
            marks = [found.get(f"m{unit}-{k}") for k in range(1, part[3] - part[2])]
            ends = tuple(m[1] - top if m else bottom - top for m in marks)
            line = next((m[1] - m[0] for m in marks if m), default_line)
            sizes[(i, part)] = Size(bottom - top, text - top, ends, line)
    return sizes


class Heights:
    """The heights of parts on each side of a spread: measured, read off a measured part's
    sentence ends (exact: lines are broken first-fit, so a paragraph's first sentences break
    alone as they do in the whole), or estimated from the whole paragraph until measured."""

    def __init__(self, sizes: Sizes, languages: int, page_px: float):
        self.sizes = sizes  # grows as parts are measured
        self.languages = languages
        self.page_px = page_px
        self._index: dict[tuple[int, int, int], list[tuple[int, int, Size]]] = {}
        self._indexed = -1

    def _measured(self, i: int, d: int, r: int) -> list[tuple[int, int, Size]]:
        """The measured parts of row (d, r) in language i: (first piece, end piece, size)."""
        if self._indexed != len(self.sizes):
            self._index = {}
            for (j, (d2, r2, first, end)), size in self.sizes.items():
                self._index.setdefault((j, d2, r2), []).append((first, end, size))
            self._indexed = len(self.sizes)
        return self._index.get((i, d, r), [])

    def members(self, side: int) -> list[int]:
        return [0] if side == 0 else list(range(1, self.languages))

    def size(self, i: int, part: Part) -> tuple[Size, bool]:
        """The part's size in language i, and whether it is exact."""
        if (i, part) in self.sizes:
            return self.sizes[(i, part)], True
        d, r, first, end = part
        measured = self._measured(i, d, r)
        for first2, end2, size in measured:
            if first2 == first and end2 > end:
                height = size.ends[end - first - 1]
                return Size(height, size.pad, size.ends[: end - first - 1], size.line), True
        # Not measured: estimate from a measured part that holds it (the rest of a cut
        # paragraph starts on a new line: one line more, to be on the safe side).
        for first2, end2, size in measured:
            if first2 < first and end2 >= end:
                start = size.ends[first - first2 - 1]
                ends = tuple(e - start + size.line for e in size.ends[first - first2 : end - first2 - 1])
                stop = size.ends[end - first2 - 1] if end < end2 else size.height
                return Size(stop - start + size.line, 0.0, ends, size.line), False
        raise KeyError(part)

    def exact(self, part: Part) -> bool:
        return all(self.size(i, part)[1] for i in range(self.languages))

    def side(self, side: int, part: Part, top: bool) -> float:
        members = self.members(side)
        height = sum(self.size(i, part)[0].height for i in members)
        if top:
            height -= self.size(members[0], part)[0].pad
        return height

    def slot(self, part: Part, top: bool) -> float:
        return max(self.side(side, part, top) for side in (0, 1))

    def cuts(self, part: Part, top: bool) -> list[tuple[int, float]]:
        """Where `part` may be cut: (first piece after the cut, height of the part before it), in
        order, each leaving at least MIN_LINES lines before and after the cut in every language."""
        d, r, first, end = part
        out = []
        for k in range(first + 1, end):
            ok = True
            for i in range(self.languages):
                size, _ = self.size(i, part)
                line = size.line or 1.0
                before = size.ends[k - first - 1] - size.pad
                after = size.height - size.ends[k - first - 1]
                if before < MIN_LINES * line - 1 or after < MIN_LINES * line - 1:
                    ok = False
                    break
            if ok:
                out.append((k, self.slot((d, r, first, k), top)))
        return out


def pack(docs: list[DocumentView], heights: Heights) -> list[Spread]:
    """Fill spreads in order; cut a paragraph at a sentence where a spread is full; every document
    starts a new spread; a heading stays with the first lines of the unit after it."""
    page_px = heights.page_px
    spreads: list[Spread] = []

    def place(spread: Spread, part: Part, height: float, top: bool) -> None:
        spread.slots.append(Slot(len(spread.slots), height, top))
        spread.parts.append(part)

    for d, doc in enumerate(docs):
        current: Spread | None = None
        for r, row in enumerate(doc.rows):
            first, n = 0, _pieces(row)
            splittable = row.kind in SPLITTABLE and n > 1
            while True:
                part = (d, r, first, n)
                if current is not None and current.slots:
                    room = page_px - current.used
                    need = heights.slot(part, top=False)
                    if row.kind == "heading" and r + 1 < len(doc.rows):
                        need += _start_height(heights, d, r + 1, docs[d].rows[r + 1])
                    if need <= room:
                        place(current, part, heights.slot(part, top=False), top=False)
                        break
                    fitting = [c for c in heights.cuts(part, top=False) if c[1] <= room] if splittable else []
                    if fitting:
                        k, height = fitting[-1]
                        place(current, (d, r, first, k), height, top=False)
                        first = k
                current = Spread(document=d, number=len(spreads) + 1, starts_document=current is None)
                spreads.append(current)
                part = (d, r, first, n)
                if heights.slot(part, top=True) <= page_px or not splittable:
                    place(current, part, heights.slot(part, top=True), top=True)
                    break
                fitting = [c for c in heights.cuts(part, top=True) if c[1] <= page_px]
                if not fitting:  # one sentence taller than a page: it runs over (warned)
                    place(current, part, heights.slot(part, top=True), top=True)
                    break
                k, height = fitting[-1]
                place(current, (d, r, first, k), height, top=True)
                first = k
    # Slot.row counts within the spread so far; make it the index into the document's cut rows.
    seen: dict[int, int] = {}
    for spread in spreads:
        for slot in spread.slots:
            slot.row = seen.get(spread.document, 0)
            seen[spread.document] = slot.row + 1
    return spreads


def _start_height(heights: Heights, d: int, r: int, row: Row) -> float:
    """The least of the next unit that must share a page with a heading: all of it, or the part
    before its first allowed cut."""
    part = (d, r, 0, _pieces(row))
    if row.kind in SPLITTABLE and part[3] > 1:
        cuts = heights.cuts(part, top=False)
        if cuts:
            return cuts[0][1]
    return heights.slot(part, top=False)


def cut_documents(docs: list[DocumentView], spreads: list[Spread]) -> list[DocumentView]:
    """The documents with their rows cut as the spreads hold them."""
    rows: list[list[Row]] = [[] for _ in docs]
    for spread in spreads:
        for d, r, first, end in spread.parts:
            rows[d].append(part_row(docs[d].rows[r], first, end))
    return [replace(doc, rows=cut) for doc, cut in zip(docs, rows)]


def check_spreads(document: Any, spreads: int, name: str) -> None:
    """Warn if a page of a spread ran over (its partner is then on the wrong page)."""
    where: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("spread-"):
                where[anchor] = number
    for s in range(1, spreads + 1):
        left, right = where.get(f"spread-{s}-0"), where.get(f"spread-{s}-1")
        if left is None or right is None:
            continue  # a project's own template without the anchors
        if right != left + 1 or left % 2 != 1:
            log.warning("%s: spread %d is out of step (pages %d and %d)", name, s, left + 1, right + 1)
            return
