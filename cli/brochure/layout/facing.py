"""The `facing` layout: source on the left page, translation on the right, synchronised spreads.

WeasyPrint has no parallel flows, so the spreads are made in Python (research/layout.md, the
measure-and-pack approach):
1. measure: render every language once on very tall pages of the text block's width and read
   each unit's box and the top of its text from `Page.anchors`; a unit taller than a page is cut at
   sentence boundaries and measured again;
2. pack: fill spreads greedily; a unit takes a slot as tall as its tallest side, on both pages, so
   every unit (and so every heading) starts at the same height left and right; a heading stays on
   the spread of the unit after it; each document starts on a new spread;
3. render: each page of a spread is a section with `break-before: left` / `right` holding exactly
   its slots (`min-height`), with mirrored margins, and the spread's number on both pages.

Three languages: the first on the left page, the second and third stacked unit by unit on the right
page (the third smaller, set apart), so both pages still show the same units.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from brochure.core.datamodel import Edition
from brochure.core.errors import LayoutError
from brochure.layout.html import DocumentView, TocEntry, context, environment, get_template
from brochure.layout.rows import Cell, Row, split_segments
from brochure.layout.weasy import render_document

log = logging.getLogger(__name__)
LAYOUT = "facing"
# Share of a page a unit may fill at most (rows.ROW_FILL is for columns). A unit that does not fit
# the rest of a page moves to the next spread whole: smaller units leave smaller gaps.
FILL = 0.3
PX_PER_MM = 96 / 25.4
# Room left on every page for rounding between the two WeasyPrint passes, in CSS px.
SAFETY_PX = 2.0
MAX_PASSES = 3


@dataclass(frozen=True)
class Size:
    """A unit's measured height on one side of the spread, and the part of it that is spacing above."""

    height: float
    pad: float


@dataclass
class Slot:
    row: int  # index into the document's rows
    height: float  # CSS px, the same on both pages
    top: bool  # first on its page: no spacing above


@dataclass
class Spread:
    document: int
    folio: int
    starts_document: bool
    slots: list[Slot] = field(default_factory=list)

    @property
    def used(self) -> float:
        return sum(s.height for s in self.slots)


def render_facing(edition: Edition, search_dirs: tuple[Path, ...] = ()) -> Any:
    """WeasyPrint's Document of the edition in facing pages (call inside pdf's log redirection)."""
    info = edition.info
    env = environment(LAYOUT, search_dirs)
    ctx = context(edition, fill=FILL)
    langs = ctx["languages"]
    ctx["sides"] = [langs[:1], langs[1:]]
    docs: list[DocumentView] = ctx["documents"]
    page_px = ctx["geometry"].body_height_mm * PX_PER_MM - SAFETY_PX
    measure = get_template(env, LAYOUT, "measure.html.j2")
    for attempt in range(MAX_PASSES):
        sizes = measure_units(measure, ctx, render_document)
        too_tall = {
            (d, r) for d, doc in enumerate(docs) for r in range(len(doc.rows))
            if slot_height(sizes, d, r, top=True) > page_px
        }  # fmt: skip
        if not too_tall or attempt == MAX_PASSES - 1:
            break
        docs = [
            replace(doc, rows=split_rows(doc.rows, d, too_tall, sizes, page_px))
            for d, doc in enumerate(docs)
        ]
        ctx["documents"] = docs
    for d, r in sorted(too_tall):
        log.warning(
            "%s: a sentence in block %s is taller than a page: it runs over to the next page and "
            "that spread is out of step", info.name, docs[d].rows[r].block_id,
        )  # fmt: skip
    spreads = pack(docs, sizes, page_px)
    ctx["spreads"] = spreads
    ctx["toc"] = toc_with_folios(docs, spreads)
    ctx["folio"] = "string(folio)"
    template = get_template(env, LAYOUT)
    html = template.render(**ctx)
    assert template.filename is not None
    return render_document(html, Path(template.filename).parent)


def measure_units(
    template: Any, ctx: dict[str, Any], render_document: Any
) -> dict[tuple[int, int, int], Size]:
    """(language index, document index, row index) -> the unit's size, from one WeasyPrint pass."""
    geo = ctx["geometry"]
    total_chars = sum(
        len(c.plain) + 40 for doc in ctx["documents"] for row in doc.rows for c in row.cells
    )
    # Tall enough for a good share of the text, short enough to stay far from float trouble.
    tall = max(
        geo.body_height_mm * 4,
        min(5000.0, total_chars / max(1, geo.chars_per_line) * geo.font_pt * 0.6),
    )
    html = template.render(**ctx, measure_height_mm=round(tall))
    document = render_document(html, Path(template.filename).parent)
    found: dict[str, tuple[float, float]] = {}  # id -> top and bottom of its border box
    for page in document.pages:
        for name, (_x1, y1, _x2, y2) in page.anchors.items():
            found[name] = (y1, y2)
    sizes = {}
    for i in range(len(ctx["languages"])):
        for d, doc in enumerate(ctx["documents"]):
            for r in range(len(doc.rows)):
                key = f"{i}-{d}-{r}"
                try:
                    (top, bottom), (text, _) = found[f"u{key}"], found[f"c{key}"]
                except KeyError:
                    raise LayoutError(
                        f"facing layout: unit {key} was not measured (a custom measure.html.j2?)"
                    ) from None
                sizes[(i, d, r)] = Size(bottom - top, text - top)
    return sizes


def side_size(
    sizes: dict[tuple[int, int, int], Size], side: int, d: int, r: int, top: bool
) -> float:
    """A unit's height on one page: the first language (left), or the others stacked (right)."""
    langs = sorted({i for i, _, _ in sizes})
    members = [0] if side == 0 else [i for i in langs if i > 0]
    height = sum(sizes[(i, d, r)].height for i in members)
    if top:
        height -= sizes[(members[0], d, r)].pad
    return height


def slot_height(sizes: dict[tuple[int, int, int], Size], d: int, r: int, top: bool) -> float:
    return max(side_size(sizes, side, d, r, top) for side in (0, 1))


def pack(
    docs: list[DocumentView], sizes: dict[tuple[int, int, int], Size], page_px: float
) -> list[Spread]:
    """Fill spreads greedily; every document starts a new spread; a heading keeps the next unit."""
    spreads: list[Spread] = []
    for d, doc in enumerate(docs):
        current: Spread | None = None
        for r, row in enumerate(doc.rows):
            if current is not None and current.slots:
                need = slot_height(sizes, d, r, top=False)
                following = 0.0
                if row.kind == "heading" and r + 1 < len(doc.rows):
                    following = slot_height(sizes, d, r + 1, top=False)
                if current.used + need + following <= page_px:
                    current.slots.append(Slot(r, need, top=False))
                    continue
            current = Spread(document=d, folio=len(spreads) + 1, starts_document=current is None)
            spreads.append(current)
            current.slots.append(Slot(r, slot_height(sizes, d, r, top=True), top=True))
    return spreads


def split_rows(
    rows: list[Row], d: int, too_tall: set[tuple[int, int]], sizes: dict[tuple[int, int, int], Size],
    page_px: float,
) -> list[Row]:  # fmt: skip
    """Cut every too-tall row at sentence boundaries into parts that should fit a page."""
    out: list[Row] = []
    for r, row in enumerate(rows):
        if (d, r) not in too_tall or len(row.cells[0].pieces) < 2:
            out.append(row)
            continue
        parts = math.ceil(slot_height(sizes, d, r, top=True) / (page_px * 0.8))
        lengths = [
            max(len(t.text) if (t := cell.pieces[k].text) else 40 for cell in row.cells) + 1
            for k in range(len(row.cells[0].pieces))
        ]
        groups = split_segments(lengths, math.ceil(sum(lengths) / parts))
        for n, group in enumerate(groups):
            cells = tuple(Cell(c.lang, tuple(c.pieces[k] for k in group)) for c in row.cells)
            out.append(replace(
                row, cells=cells, first=row.first and n == 0, last=row.last and n == len(groups) - 1,
                marker=row.marker if n == 0 else "",
            ))  # fmt: skip
    return out


def toc_with_folios(docs: list[DocumentView], spreads: list[Spread]) -> list[TocEntry]:
    """The contents with the folio of the spread each heading (or untitled document) is on."""
    where: dict[str, int] = {}
    for spread in spreads:
        doc = docs[spread.document]
        if spread.starts_document:
            where.setdefault(f"doc-{doc.name}", spread.folio)
        for slot in spread.slots:
            row = doc.rows[slot.row]
            if row.kind == "heading":
                where.setdefault(doc.anchor(row), spread.folio)
    return [replace(e, folio=str(where.get(e.target, ""))) for doc in docs for e in doc.toc]
