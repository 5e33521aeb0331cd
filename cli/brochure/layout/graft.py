"""The body text laid out once: the final render reuses the lines of the measuring pass.

The columns layout lays every paragraph out twice on a first build: once in the measuring pass
(layout/paging.py, at the final column widths) and again in the final render. Here the final HTML
keeps each paragraph's cell as an empty box of the measured height (`<div class="graft">`), so
WeasyPrint lays out the pages, the furniture, the running heads, the contents and the page
numbers as before, cheaply; then, before WeasyPrint makes its Page objects, the measured line
boxes of that part of the paragraph are moved into the empty box. The printed lines ARE the
measured lines, so no row can come out taller than the packing assumed.

A paragraph's part that ends at a sentence end (the part above a page break) is grafted but for
its last line: lines are broken first-fit, so its lines above are the measured ones; its last
line, from the start of the measured line it ends in to the sentence end, is set by WeasyPrint
in a block of its own after the empty box (`div.graft-tail`: a continuation of the paragraph, no
indent, no marker), as a plain render sets it: a last line, not justified, where the measured
one went on or was a full line. (The bench edition: 84 such cells, all grafted now;
the final render's text layout 1717 -> 758 split_first_line calls, the measuring pass's 6300.)

The final HTML sets the same empty sentence markers as the measuring pass (without their ids):
a cell that is not grafted (a heading, a rebuild whose measurements come from .brochure/) breaks
its lines as the measuring pass did, so a grafted build and a plain one print the same text.
Headings are never grafted: their ids (the contents' target-counters, links and the outline
point at them), bookmark labels and running-head strings stay WeasyPrint's own. The markers in
grafted lines lose their ids (`anchor`), so none becomes a named destination in the PDF.

This is the one module that knows WeasyPrint's internals for it: the box tree (`LineBox`,
`Box.translate`, `copy_with_children`, `style['anchor']`, `layout_box_backgrounds`) and the point
between `layout_document` and `Page` in `Document._render`. They are not public API, so it is
written for WeasyPrint 70 only (`WEASYPRINT`): under another version `available()` is false and
every cell is rendered plainly, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from brochure.layout.rows import Cell, Row

log = logging.getLogger(__name__)
# The WeasyPrint major version whose box tree and render steps this module was written for.
WEASYPRINT = "70"
# Heights agree to this much (CSS px) or the cell is rendered plainly.
EPSILON = 0.01


def available() -> bool:
    """Whether the installed WeasyPrint is the one this module knows (else nothing is grafted)."""
    from weasyprint import __version__

    return str(__version__).split(".")[0] == WEASYPRINT


def plain(text: str) -> str:
    """A text without its spaces and soft hyphens: what lines and pieces are compared by."""
    return "".join(text.split()).replace("\u00ad", "")  # (split(): what str.isspace() says)


def cell_text(cell: Cell) -> str | None:
    """A cell's text as compared with laid-out lines (None: a missing translation)."""
    if any(p.text is None for p in cell.pieces):
        return None
    return "".join(plain(p.text.text) for p in cell.pieces)  # type: ignore[union-attr]


@dataclass
class Measured:
    """One cell's text as a measuring pass laid it out: its block box (p, blockquote, list item),
    its line boxes, where each line starts and ends in its text (`cell_text`), and whether it
    started its paragraph and ran on past its last line (justified like the lines above)."""

    document: Any  # the measuring pass's Document: its fonts' files live as long as it does
    box: Any
    text: str
    lines: list[Any]
    starts: list[int]
    ends: list[int]
    first: bool
    runs_on: bool
    used: set[int] = field(default_factory=set)


@dataclass
class Slot:
    """A final cell to graft: the measured lines [a, b) of `measured`, and their height; `tail`:
    the rest of the cell's text after them (its last line, see `Graft._find`), set by WeasyPrint."""

    measured: Measured
    a: int
    b: int
    height: float
    tail: tuple[Row, Cell] | None = None


class Graft:
    """What the measuring passes laid out, kept for the final render (see the module doc)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, str, int], list[Measured]] = {}
        self.slots: dict[str, Slot] = {}
        self.failed = False  # the final render's placeholders were not as placed: none grafted

    def collect(
        self, document: Any, views: Sequence[Any],
        shown: dict[str, list[tuple[float, str]]] | None = None,
    ) -> None:  # fmt: skip
        """Keep the laid-out cells of a measuring pass over `views` (its documents, as rendered):
        each marked text's block, found by its first marker `m<language>-<document>-<row>-0`.
        `shown`: the text of each marked text's lines where the pass read them already (by the
        markers' prefix: layout.paging.laid_out_lines)."""
        from weasyprint.formatting_structure import boxes

        def walk(box: Any) -> None:
            children = getattr(box, "children", ())
            lines = [c for c in children if isinstance(c, boxes.LineBox)]
            if lines:
                key = _first_marker(lines[0], boxes)
                if key is not None and len(lines) == len(children):
                    i, d, r = key
                    if d < len(views) and r < len(views[d].rows):
                        row = views[d].rows[r]
                        read = (shown or {}).get(f"m{i}-{d}-{r}")
                        texts = (
                            [text for _, text in read] if read and len(read) == len(lines)
                            else [line_text(line, boxes) for line in lines]
                        )  # fmt: skip
                        self._keep(document, box, lines, texts, row, (d, i))
                return
            for child in children:
                walk(child)

        for page in document.pages:
            walk(page._page_box)

    def _keep(
        self, document: Any, box: Any, lines: list[Any], shown: list[str], row: Row,
        where: tuple[int, int],
    ) -> None:  # fmt: skip
        d, i = where
        if row.kind == "heading" or i >= len(row.cells):
            return
        cell = row.cells[i]
        text = cell_text(cell)
        if text is None or not _flat(box):
            return
        spans = line_spans(text, shown)
        if spans is None:
            return
        starts, ends = zip(*spans, strict=True)
        measured = Measured(
            document, box, text, lines, list(starts), list(ends), row.first, cell.runs_on
        )
        self.cells.setdefault((d, row.block_id, i), []).append(measured)

    def place(
        self, docs: Sequence[Any], page_px: float
    ) -> dict[str, tuple[str, float, tuple[Row, Cell] | None]]:
        """For the final documents (rows cut as the pages hold them): "<d>-<r>-<i>" -> (graft key,
        height in px, tail) of each cell whose lines were measured; the template sets those cells
        as empty boxes of that height, followed by the tail's row and cell (a block of its own,
        `div.graft-tail`) where there is one. Not a cell taller than a page (`page_px`): it runs
        over."""
        out: dict[str, tuple[str, float, tuple[Row, Cell] | None]] = {}
        for d, doc in enumerate(docs):
            for r, row in enumerate(doc.rows):
                if row.kind == "heading":
                    continue
                for i, cell in enumerate(row.cells):
                    slot = self._find(row, cell, (d, i))
                    if slot is None or slot.height > page_px:
                        continue
                    key = f"g{len(self.slots)}"
                    self.slots[key] = slot
                    out[f"{d}-{r}-{i}"] = (key, slot.height, slot.tail)
        return out

    def _find(self, row: Row, cell: Cell, where: tuple[int, int]) -> Slot | None:
        """The measured lines that are `cell`'s text: all of it, else all but its last line (the
        part of a paragraph cut at a sentence end: its lines but the last are the measured ones,
        first-fit from the same start; the last is its `tail`, set as a last line)."""
        d, i = where
        text = cell_text(cell)
        if not text:
            return None
        candidates = self.cells.get((d, row.block_id, i), [])
        # a part measured on its own first (a rest cut at a sentence end), then one read off a
        # measured paragraph's lines
        for tails in (False, True):
            for m in sorted(candidates, key=lambda m: len(m.lines)):
                slot = self._find_in_measured(m, row, cell, text, tails)
                if slot is not None:
                    return slot
        return None

    def _find_in_measured(
        self, m: Measured, row: Row, cell: Cell, text: str, tails: bool
    ) -> Slot | None:
        at = -1
        while True:
            at = _find_in(m, text, at + 1)
            if at < 0:
                return None
            a = m.starts.index(at)
            end = at + len(text)
            if a == 0 and m.first != row.first or a > 0 and row.first:
                continue
            tail = None
            if end in m.ends:
                b = m.ends.index(end) + 1
                # the last line is set as the measured one was: justified only where it runs on
                whole = (m.runs_on if b == len(m.lines) else True) == cell.runs_on
                b -= 0 if whole else 1  # else that line is the tail
            else:  # the cell ends inside line b (at a sentence end)
                whole, b = False, next(k for k, e in enumerate(m.ends) if e > end)
            if not whole:
                # lines [a, b) grafted, the rest set by WeasyPrint as the block's last line, as a
                # plain render sets it
                if not tails or cell.runs_on:
                    continue
                tail = tail_cell(row, cell, m.starts[b] - at) if b > a else None
                if tail is None:
                    continue
            if any(j in m.used for j in range(a, b)):
                continue
            m.used.update(range(a, b))
            top, last = m.lines[a], m.lines[b - 1]
            return Slot(m, a, b, last.position_y + last.height - top.position_y, tail)

    def render_hook(self) -> Callable[[list[Any]], None]:
        """What to run on WeasyPrint's page boxes before its Page objects are made: each empty
        `div.graft` replaced by its measured lines."""

        def hook(pages: list[Any]) -> None:
            from weasyprint.formatting_structure import boxes
            from weasyprint.layout.background import layout_box_backgrounds

            found = [(page, *at) for page in pages for at in _placeholders(page, boxes)]
            keys = [box.element.get("data-graft") for _, _, _, box in found]
            wrong = [
                key for key, (_, parent, k, box) in zip(keys, found, strict=True)
                if key not in self.slots or abs(box.height - self.slots[key].height) > EPSILON
                or self.slots[key].tail is not None and not _tail_after(parent, k, key)
            ]  # fmt: skip
            if wrong or len(set(keys)) != len(keys) or set(keys) != self.slots.keys():
                # (a box split over two pages, a layout of the project's own): nothing is
                # moved, the caller renders the cells plainly
                self.failed = True
                log.debug("graft: %d placeholder(s) not as placed, none grafted", len(wrong))
                return
            for (page, parent, k, box), key in zip(found, keys, strict=True):
                grafted, painted = _moved(self.slots[key], box)
                # the backgrounds laid out again where the boxes landed: the block's own and
                # those of the boxes that paint one (the measuring pass laid out the others' as
                # none: where a box lands does not change that)
                for moved in (grafted, *painted):
                    layout_box_backgrounds(page, moved, _no_images, layout_children=False)
                parent.children[k] = grafted
            tails = sum(slot.tail is not None for slot in self.slots.values())
            log.debug(
                "graft: %d of %d cells grafted (%d with a tail)", len(found), len(self.slots), tails
            )

        return hook


def _tail_after(parent: Any, k: int, key: str) -> bool:
    """Whether the box after a placeholder is its tail (a project's own template may set none)."""
    after = parent.children[k + 1] if k + 1 < len(parent.children) else None
    element = getattr(after, "element", None)
    return element is not None and element.get("data-tail") == key


def tail_cell(row: Row, cell: Cell, offset: int) -> tuple[Row, Cell] | None:
    """The row and cell that set `cell`'s text from its `offset`-th character (see `cell_text`)
    on, where a measured line starts (after a space, or inside a word broken at a hyphen, as
    WeasyPrint sets the rest of a broken word: a text of its own): a continuation of its block (no
    list marker). None at the cell's start, or after a space no line breaks at (a no-break one)."""
    count = 0
    for j, piece in enumerate(cell.pieces):
        assert piece.text is not None  # (cell_text: a missing translation is not grafted)
        text = piece.text.text
        for o, c in enumerate(text):
            if c.isspace() or c == "\u00ad":
                continue
            if count == offset:
                before = text[o - 1] if o else " " if j else ""  # (pieces join with a space)
                if not before or before.isspace() and before != " ":
                    return None
                rest = replace(piece, text=piece.text.slice(o, len(text)))
                tail = Cell(cell.lang, (rest, *cell.pieces[j + 1 :]))
                return replace(row, marker="", cells=(tail,)), tail
            count += 1
    return None


def _moved(slot: Slot, placeholder: Any) -> tuple[Any, list[Any]]:
    """The measured block holding lines [a, b), moved to where `placeholder` was laid out, and
    the boxes in it that paint a background (as the measuring pass laid them out)."""
    m = slot.measured
    lines = m.lines[slot.a : slot.b]
    dx = placeholder.position_x - m.box.position_x
    dy = placeholder.position_y - lines[0].position_y
    painted = []
    for line in lines:
        line.translate(dx, dy)
        for child in line.descendants():
            if child.style["anchor"]:  # a sentence marker: no named destination in the PDF
                child.style["anchor"] = None
            if getattr(child, "background", None) is not None:
                painted.append(child)
    block = m.box.copy_with_children(lines)
    block.position_x = placeholder.position_x
    block.position_y = placeholder.position_y
    block.height = slot.height
    block.remove_decoration_sides = set()
    # The measuring pass's Document goes with its lines: WeasyPrint deletes the font files of a
    # document's @font-face rules with it, and writing the PDF reads them (the final document's
    # pages keep it alive, also through Document.copy).
    block.brochure_measured_in = m.document
    return block, painted


def _no_images(**_: Any) -> Any:
    raise AssertionError("graft: an image in a grafted text")  # _flat() leaves such texts out


def _flat(box: Any) -> bool:
    """A block whose height is its lines' (no vertical margin, border or padding) and which
    draws no image (background, border or mask image: their layout fetches them): what can be
    moved line by line, its backgrounds laid out again where it lands."""
    if any((box.margin_top, box.margin_bottom, box.padding_top, box.padding_bottom,
            box.border_top_width, box.border_bottom_width)):  # fmt: skip
        return False
    return all(
        all(kind == "none" for kind, _ in b.style["background_image"])
        and b.style["border_image_source"][0] == "none"
        and b.style["mask_border_source"][0] == "none"
        for b in box.descendants()
    )


def _first_marker(line: Any, boxes: Any) -> tuple[int, int, int] | None:
    """(language, document, row) of a line opening a marked text, from its first marker's id."""
    for box in line.descendants():
        element = None if isinstance(box, boxes.TextBox) else getattr(box, "element", None)
        ident = element.get("id") if element is not None else None
        if ident and ident.startswith("m") and ident.endswith("-0"):
            try:
                i, d, r = (int(x) for x in ident[1:-2].split("-"))
            except ValueError:
                return None
            return i, d, r
    return None


def line_text(line: Any, boxes: Any) -> str:
    """A line's text as set, without a list marker ("•", "3."); `boxes`: WeasyPrint's
    formatting_structure.boxes."""

    def text(box: Any) -> str:
        if isinstance(box, boxes.TextBox):
            return str(box.text)
        element = getattr(box, "element", None)
        if element is not None and "marker" in (element.get("class") or "").split():
            return ""
        return "".join(text(c) for c in getattr(box, "children", ()))

    return text(line)


def line_spans(text: str, shown: Sequence[str]) -> list[tuple[int, int]] | None:
    """Where each laid-out line starts and ends in `text` (see `cell_text`); a line's last "-"
    that is not in the text is the hyphen WeasyPrint set where it broke a word. None if the
    lines are not the text."""
    out, p = [], 0
    for line in shown:
        chars = plain(line)
        start = p
        # (the loop below, at C speed where the line is the text, with or without its hyphen)
        if text.startswith(chars, p):
            out.append((start, p + len(chars)))
            p += len(chars)
            continue
        if chars.endswith("-") and text.startswith(chars[:-1], p):
            out.append((start, p + len(chars) - 1))
            p += len(chars) - 1
            continue
        for j, c in enumerate(chars):
            if p < len(text) and text[p] == c:
                p += 1
            elif c == "-" and j == len(chars) - 1:
                pass
            else:
                return None
        out.append((start, p))
    return out if p == len(text) else None


def _find_in(m: Measured, text: str, start: int) -> int:
    """The next line start at or after `start` where `text` begins in the measured text."""
    while True:
        at = m.text.find(text, start)
        if at < 0 or at in m.starts:
            return at
        start = at + 1


def _placeholders(page: Any, boxes: Any) -> Iterator[tuple[Any, int, Any]]:
    """(parent, index, box) of every `div.graft` laid out on a page box."""
    stack = [page]
    while stack:
        box = stack.pop()
        for k, child in enumerate(getattr(box, "children", ())):
            if isinstance(child, boxes.TextBox) or isinstance(child, boxes.LineBox):
                continue
            element = getattr(child, "element", None)
            if element is not None and element.get("data-graft") and child.element_tag == "div":
                yield box, k, child
            else:
                stack.append(child)


@contextmanager
def hooked(before_pages: Callable[[list[Any]], None] | None) -> Iterator[None]:
    """While inside, `before_pages` runs on the page boxes of every WeasyPrint render, after
    `layout_document` and before `Document._render` makes its Page objects."""
    if before_pages is None:
        yield
        return
    import weasyprint.document as wd

    original = wd.layout_document

    def layout_document(*args: Any, **kwargs: Any) -> Any:
        pages = list(original(*args, **kwargs))
        before_pages(pages)
        return pages

    wd.layout_document = layout_document
    try:
        yield
    finally:
        wd.layout_document = original
