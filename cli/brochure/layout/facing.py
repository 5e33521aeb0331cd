"""The `facing` layout: source on the left page, translation on the right, synchronised spreads.

WeasyPrint has no parallel flows, so the spreads are made in Python (research/layout.md, the
measure-and-pack approach):
1. measure: render every language once on very tall pages of the text block's width and read
   from `Page.anchors` each unit's box, the top of its text, and the line on which each of its
   sentences ends (an empty marker after every sentence);
2. pack (layout/paging.py, shared with columns): fill spreads in order; a unit takes a slot as
   tall as its taller side, on both pages, so every unit (and so every heading) starts at the
   same height left and right. A paragraph that does not fit the rest of a spread is cut after
   the last sentence that fits on both pages: it is cut only where a page break falls, and its
   rest opens the next spread. The rests are measured in their turn and the spreads packed again;
3. render: each page of a spread is a section with `break-before: left` / `right` holding exactly
   its slots (`min-height`), with mirrored margins. Pages are numbered consecutively, the left
   page even and the right page odd, as Loeb-style facing editions are; each language's contents
   point at its own pages.

Three languages: the first on the left page, the second and third stacked unit by unit on the right
page, so both pages still show the same units. The languages have equal status (facing.css): the
third in the second's face, size and colour at the same measure, told apart by a dotted hairline in
the margin; a paragraph that crosses a spread may be cut inside a sentence in both stacked languages
(paging.Heights.line_cut), so the right page fills.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from brochure.core.datamodel import Edition
from brochure.core.errors import LayoutError
from brochure.layout.html import DocumentView, get_template
from brochure.layout.measures import Measurements
from brochure.layout.paging import (
    Part,
    Sizes,
    allow_for,
    cut_documents,
    measuring_pass,
    overfull,
    overruns,
    paginate,
    part_row,
    render,
    setup,
)

log = logging.getLogger(__name__)
LAYOUT = "facing"
# Renderings at most: the last one is kept even if a unit still took more than measured.
RENDER_PASSES = 3


def render_facing(edition: Edition, search_dirs: tuple[Path, ...] = ()) -> Any:
    """WeasyPrint's Document of the edition in facing pages (call inside pdf's log redirection)."""
    s = setup(LAYOUT, edition, search_dirs)
    ctx, docs, page_px = s.ctx, s.docs, s.page_px
    langs = ctx["languages"]
    ctx["sides"] = [langs[:1], langs[1:]]
    groups = [[0], list(range(1, len(langs)))]
    kept = Measurements(s, edition.info.name, search_dirs)
    measure = kept.wrap(docs, lambda parts: measure_units(s.measure, ctx, docs, parts))
    sizes: Sizes = {}
    for attempt in range(RENDER_PASSES):
        spreads = paginate(docs, groups, page_px, measure, sizes=sizes)
        kept.save()
        ctx["documents"] = cut_documents(docs, spreads)
        ctx["spreads"] = spreads
        document = render(get_template(s.env, LAYOUT), ctx)
        # A unit set taller than measured (without the measuring markers a line can break
        # otherwise) would push its page's later units down, out of step with the other page:
        # pack again allowing for the height it took.
        taller = overruns(document)
        if not taller or attempt + 1 == RENDER_PASSES:
            break
        log.debug(
            "%s: %d unit(s) taller than measured, packed again", edition.info.name, len(taller)
        )
        tops = {
            part for spread in spreads for part, slot in zip(spread.parts, spread.slots) if slot.top
        }
        allow_for(sizes, groups, page_px, taller, tops)
    for spread in overfull(spreads, page_px):
        log.warning(
            "%s: a sentence in block %s is taller than a page: it runs over to the next page "
            "and that spread is out of step",
            edition.info.name, docs[spread.document].rows[spread.parts[0][1]].block_id,
        )  # fmt: skip
    check_spreads(document, len(spreads), edition.info.name)
    return document


def measure_units(
    template: Any, ctx: dict[str, Any], docs: list[DocumentView], parts: list[Part]
) -> Sizes:
    """(language index, part) -> the part's size, from one WeasyPrint pass over `parts`."""
    got = measuring_pass(
        template, ctx, docs, parts, lambda row: sum(len(c.plain) + 40 for c in row.cells)
    )
    sizes: Sizes = {}
    for i in range(len(ctx["languages"])):
        for key, part in got.keys.items():
            unit = f"{i}-{key}"
            try:
                (_, top, _, bottom), (_, text, _, _) = got.found[f"u{unit}"], got.found[f"c{unit}"]
            except KeyError:
                raise LayoutError(
                    f"facing layout: unit {unit} was not measured (a custom measure.html.j2?)"
                ) from None
            cell = part_row(docs[part[0]].rows[part[1]], part[2], part[3]).cells[i]
            sizes[(i, part)] = got.size(f"m{unit}", part, cell, top, bottom, text - top)
    return sizes


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
            log.warning(
                "%s: spread %d is out of step (pages %d and %d)", name, s, left + 1, right + 1
            )
            return
