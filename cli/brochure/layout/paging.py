"""Pages cut where they must: the packing shared by the layouts that keep languages in step.

The columns and facing layouts render every unit (a paragraph, heading, list item or quote) once
on a very tall page and read from `Page.anchors` its height, the spacing above it, and the foot of
the line on which each of its sentences ends (an empty marker after every sentence). `pack` then
fills pages in order. A unit takes a slot as tall as its tallest language, so units start level.
A paragraph that does not fit the rest of a page is cut after the last sentence that fits in
every language, leaving at least MIN_LINES lines on each side of the cut; its rest opens the next
page. So a paragraph is cut only where a page break falls and reads as one everywhere else. A
heading stays with the first lines after it; every document opens a new page.

Heights are exact once measured: a part that starts a paragraph is read off the whole paragraph's
sentence ends (lines are broken first-fit, so its first sentences break alone as they do in the
whole); the rest of a cut paragraph is estimated until it is measured in the next pass (see
`paginate`). Pure Python but for the `measure` callback the layout passes in, and the setup the two
layouts share (`Setup`, `measuring_pass`, `render`), which calls WeasyPrint through layout/weasy.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from brochure.core.datamodel import Edition
from brochure.layout.html import DocumentView, context, environment, get_template
from brochure.layout.rows import Cell, Row
from brochure.layout.weasy import render_document

PX_PER_MM = 96 / 25.4
# Room left on every page for rounding between the two WeasyPrint passes, in CSS px.
SAFETY_PX = 2.0

# Lines a cut leaves at least at the foot of a page and at the top of the next (orphans, widows).
MIN_LINES = 2
# Measuring passes at most: the first measures every unit, the next ones the rests of cut paragraphs.
MAX_PASSES = 4
SPLITTABLE = ("paragraph", "quote", "list_item")

# A stretch of a unit: (document, row, first piece, end piece); a whole row is (d, r, 0, n).
Part = tuple[int, int, int, int]


@dataclass(frozen=True)
class Size:
    """A part's measured height in one language (CSS px), the spacing above its text, and for
    each of its sentences the height from the part's top to the foot of the line it ends on."""

    height: float
    pad: float
    ends: tuple[float, ...] = ()
    line: float = 0.0  # the height of a line of its text


Sizes = dict[tuple[int, Part], Size]  # (language index, part) -> size
Measure = Callable[[list[Part]], Sizes]
Anchors = dict[str, tuple[float, float, float, float]]


@dataclass
class Setup:
    """What a layout that keeps languages in step starts from: its templates, the edition's
    context, and the height of the text block in CSS px."""

    layout: str
    env: Any
    ctx: dict[str, Any]
    page_px: float
    measure: Any  # the layout's measuring template (measure.html.j2)

    @property
    def docs(self) -> list[DocumentView]:
        return self.ctx["documents"]  # type: ignore[no-any-return]


def setup(layout: str, edition: Edition, search_dirs: tuple[Path, ...] = ()) -> Setup:
    """The templates and context of `layout` for the edition, and the page height to pack."""
    env = environment(layout, search_dirs)
    ctx = context(edition)
    page_px = ctx["geometry"].body_height_mm * PX_PER_MM - SAFETY_PX
    return Setup(layout, env, ctx, page_px, get_template(env, layout, "measure.html.j2"))


def render(template: Any, ctx: dict[str, Any]) -> Any:
    """WeasyPrint's Document of a layout template rendered with `ctx`."""
    assert template.filename is not None
    return render_document(template.render(**ctx), Path(template.filename).parent)


def measuring_pass(
    template: Any, ctx: dict[str, Any], docs: Sequence[DocumentView], parts: Sequence[Part],
    row_chars: Callable[[Row], int],
) -> tuple[dict[str, Part], Anchors, float]:  # fmt: skip
    """Render `parts` once on a very tall page: the measuring template's unit keys
    ("<document>-<row>") -> part, the anchors found, and the default line height in px.
    `row_chars` says how many characters a row counts for in choosing the page's height."""
    geo = ctx["geometry"]
    views = measured_rows(docs, parts)
    keys: dict[str, Part] = {}
    count = [0] * len(docs)
    for part in parts:
        keys[f"{part[0]}-{count[part[0]]}"] = part
        count[part[0]] += 1
    total_chars = sum(row_chars(row) for doc in views for row in doc.rows)
    # Tall enough for a good share of the text, short enough to stay far from float trouble.
    tall = max(
        geo.body_height_mm * 4,
        min(5000.0, total_chars / max(1, geo.chars_per_line) * geo.font_pt * 0.6),
    )
    found = read_anchors(
        render(template, {**ctx, "documents": views, "measure_height_mm": round(tall)})
    )
    default_line = geo.font_pt * geo.line_height * 96 / 72
    return keys, found, default_line


def sentence_ends(
    found: Anchors, prefix: str, part: Part, top: float, bottom: float, default_line: float
) -> tuple[tuple[float, ...], float]:
    """From the markers `<prefix>-1`.. after each sentence of a measured part: the height from the
    part's top to the foot of each sentence's last line, and the height of a line."""
    marks = [found.get(f"{prefix}-{k}") for k in range(1, part[3] - part[2] + 1)]
    ends = tuple(m[3] - top if m else bottom - top for m in marks)
    line = next((m[3] - m[1] for m in marks if m), default_line)
    return ends, line


@dataclass
class Slot:
    row: int  # index into the document's rows once cut (cut_documents)
    height: float  # CSS px, the same in every language
    top: bool  # first on its page: no spacing above


@dataclass
class Page:
    """A page, or in the facing layout a spread: the same slots on both of its pages."""

    document: int
    number: int  # 1-based, in order
    starts_document: bool
    reserved: float = 0.0  # px taken before the first slot (the columns' language labels)
    slots: list[Slot] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)  # what each slot holds

    @property
    def used(self) -> float:
        return self.reserved + sum(s.height for s in self.slots)


def pieces(row: Row) -> int:
    """How many pieces (sentences) a row holds: where it may be cut at a page break."""
    return len(row.cells[0].pieces)


def part_row(row: Row, first: int, end: int) -> Row:
    """The row holding pieces [first, end) of `row`: a paragraph's first part keeps its spacing
    and list marker, the parts after a cut continue it."""
    n = pieces(row)
    if (first, end) == (0, n):
        return row
    return replace(
        row,
        cells=tuple(Cell(c.lang, c.pieces[first:end]) for c in row.cells),
        first=row.first and first == 0,
        last=row.last and end == n,
        marker=row.marker if first == 0 else "",
    )


def measured_rows(docs: Sequence[DocumentView], parts: Sequence[Part]) -> list[DocumentView]:
    """The documents holding just `parts`, in order: what a measuring pass renders."""
    views = [replace(doc, rows=[]) for doc in docs]
    for d, r, first, end in parts:
        views[d].rows.append(part_row(docs[d].rows[r], first, end))
    return views


class Heights:
    """The heights of parts, measured, read off a measured part, or estimated.

    `groups` are the language indexes that share a page, stacked: [[0], [1]] for two columns, or
    for facing pages [[0], [1, 2]] (a third language under the second on the right page).
    """

    def __init__(self, sizes: Sizes, groups: Sequence[Sequence[int]], page_px: float):
        self.sizes = sizes  # grows as parts are measured
        self.groups = [list(g) for g in groups]
        self.languages = sorted(i for g in groups for i in g)
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

    def size(self, i: int, part: Part) -> tuple[Size, bool]:
        """The part's size in language i, and whether it is exact."""
        if (i, part) in self.sizes:
            return self.sizes[(i, part)], True
        d, r, first, end = part
        measured = self._measured(i, d, r)
        for first2, end2, size in measured:
            if first2 == first and end2 > end:
                height = size.ends[end - first - 1]
                return Size(height, size.pad, size.ends[: end - first], size.line), True
        # Not measured: estimate from a measured part that holds it (the rest of a cut
        # paragraph starts on a new line: one line more, to be on the safe side).
        for first2, end2, size in measured:
            if first2 < first and end2 >= end:
                start = size.ends[first - first2 - 1]
                ends = tuple(
                    e - start + size.line for e in size.ends[first - first2 : end - first2]
                )
                stop = size.ends[end - first2 - 1] if end < end2 else size.height
                return Size(stop - start + size.line, 0.0, ends, size.line), False
        raise KeyError(part)

    def exact(self, part: Part) -> bool:
        return all(self.size(i, part)[1] for i in self.languages)

    def group(self, members: Sequence[int], part: Part, top: bool) -> float:
        height = sum(self.size(i, part)[0].height for i in members)
        if top:
            height -= self.size(members[0], part)[0].pad
        return height

    def slot(self, part: Part, top: bool) -> float:
        return max(self.group(g, part, top) for g in self.groups)

    def cuts(self, part: Part, top: bool) -> list[tuple[int, float]]:
        """Where `part` may be cut: (first piece after the cut, height of the part before it), in
        order, each leaving at least MIN_LINES lines before and after the cut in every language."""
        d, r, first, end = part
        out = []
        for k in range(first + 1, end):
            ok = True
            for i in self.languages:
                size, _ = self.size(i, part)
                line = size.line or 1.0
                before = size.ends[k - first - 1] - size.pad
                after = size.ends[-1] - size.ends[k - first - 1]
                if before < MIN_LINES * line - 1 or after < MIN_LINES * line - 1:
                    ok = False
                    break
            if ok:
                out.append((k, self.slot((d, r, first, k), top)))
        return out


def pack(
    docs: Sequence[DocumentView], heights: Heights, reserved: Sequence[float] = (),
    opening_top: bool = True,
) -> list[Page]:  # fmt: skip
    """Fill pages in order, cutting a paragraph at a sentence where a page is full; every
    document opens a new page (less `reserved[d]` px on it); a heading stays with the first
    lines of the unit after it. The first unit on a page loses the spacing above it, except on
    a document's opening page when not `opening_top` (something stands above it there)."""
    page_px = heights.page_px
    pages: list[Page] = []

    def place(page: Page, part: Part, height: float, top: bool) -> None:
        page.slots.append(Slot(len(page.slots), height, top))
        page.parts.append(part)

    for d, doc in enumerate(docs):
        current: Page | None = None
        for r, row in enumerate(doc.rows):
            first, n = 0, pieces(row)
            splittable = row.kind in SPLITTABLE and n > 1
            while True:
                if current is not None and current.slots:
                    part = (d, r, first, n)
                    room = page_px - current.used
                    need = heights.slot(part, top=False)
                    if row.kind == "heading" and r + 1 < len(doc.rows):
                        need += _start_height(heights, d, r + 1, doc.rows[r + 1])
                    if need <= room:
                        place(current, part, heights.slot(part, top=False), top=False)
                        break
                    cuts = heights.cuts(part, top=False) if splittable else []
                    fitting = [c for c in cuts if c[1] <= room]
                    if fitting:
                        k, height = fitting[-1]
                        place(current, (d, r, first, k), height, top=False)
                        first = k
                opening = current is None
                current = Page(
                    document=d, number=len(pages) + 1, starts_document=opening,
                    reserved=(reserved[d] if opening and d < len(reserved) else 0.0),
                )  # fmt: skip
                pages.append(current)
                part = (d, r, first, n)
                room = page_px - current.used
                top = opening_top or not opening
                whole = heights.slot(part, top=top)
                fitting = []
                if whole > room and splittable:
                    fitting = [c for c in heights.cuts(part, top=top) if c[1] <= room]
                if not fitting:  # it fits, or one sentence is taller than a page: it runs over
                    place(current, part, whole, top=top)
                    break
                k, height = fitting[-1]
                place(current, (d, r, first, k), height, top=top)
                first = k
    # Slot.row counts within its page so far; make it the index into the document's cut rows.
    seen: dict[int, int] = {}
    for page in pages:
        for slot in page.slots:
            slot.row = seen.get(page.document, 0)
            seen[page.document] = slot.row + 1
    return pages


def _start_height(heights: Heights, d: int, r: int, row: Row) -> float:
    """The least of the next unit that must share a page with a heading: all of it, or the part
    before its first allowed cut."""
    part = (d, r, 0, pieces(row))
    if row.kind in SPLITTABLE and part[3] > 1:
        cuts = heights.cuts(part, top=False)
        if cuts:
            return cuts[0][1]
    return heights.slot(part, top=False)


def paginate(
    docs: Sequence[DocumentView], groups: Sequence[Sequence[int]], page_px: float,
    measure: Measure, reserved: Sequence[float] = (), opening_top: bool = True,
) -> list[Page]:  # fmt: skip
    """Measure every unit, pack, measure the rests of the paragraphs cut, pack again, until the
    packing used measured heights only (or MAX_PASSES passes)."""
    whole = [(d, r, 0, pieces(row)) for d, doc in enumerate(docs) for r, row in enumerate(doc.rows)]
    heights = Heights(measure(whole), groups, page_px)
    pages = pack(docs, heights, reserved, opening_top)
    for _ in range(MAX_PASSES - 1):
        unmeasured = sorted({p for page in pages for p in page.parts if not heights.exact(p)})
        if not unmeasured:
            break
        heights.sizes.update(measure(unmeasured))
        pages = pack(docs, heights, reserved, opening_top)
    return pages


def cut_documents(docs: Sequence[DocumentView], pages: Sequence[Page]) -> list[DocumentView]:
    """The documents with their rows cut as the pages hold them."""
    rows: list[list[Row]] = [[] for _ in docs]
    for page in pages:
        for d, r, first, end in page.parts:
            rows[d].append(part_row(docs[d].rows[r], first, end))
    return [replace(doc, rows=cut) for doc, cut in zip(docs, rows, strict=True)]


def overfull(pages: Sequence[Page], page_px: float) -> list[Page]:
    """Pages whose slots are taller than the page: a sentence taller than a page runs over."""
    return [page for page in pages if page.used > page_px + 0.5]


def read_anchors(document: object) -> Anchors:
    """Every anchor (id) of a rendered WeasyPrint document: x1, y1, x2, y2 in CSS px."""
    found: Anchors = {}
    for page in document.pages:  # type: ignore[attr-defined]
        found.update(page.anchors)
    return found
