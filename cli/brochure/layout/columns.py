"""The `columns` layout: the languages side by side in a table, one row per paragraph, in step
page by page.

WeasyPrint could cut a table row itself where a page breaks, but at a line, not at a sentence:
each column would then end the page at a different sentence. So, as the facing layout does, the
tables are measured first on a very tall page (every row's height and the line each sentence ends
on, per column) and packed into pages in layout/paging.py: a paragraph that crosses a page is cut
after the last sentence that fits in every column, its rest opens the next page, and every page
holds the same sentences in every column. Rows that open a page lose the spacing above them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from brochure.core.datamodel import Edition
from brochure.core.errors import LayoutError
from brochure.layout.html import DocumentView, context, environment, get_template
from brochure.layout.paging import (
    Part,
    Size,
    Sizes,
    cut_documents,
    measured_rows,
    overfull,
    paginate,
    read_anchors,
)
from brochure.layout.weasy import render_document

log = logging.getLogger(__name__)
LAYOUT = "columns"
PX_PER_MM = 96 / 25.4
# Room left on every page for rounding between the two WeasyPrint passes, in CSS px.
SAFETY_PX = 2.0


def render_columns(edition: Edition, search_dirs: tuple[Path, ...] = ()) -> Any:
    """WeasyPrint's Document of the edition in columns (call inside pdf's log redirection)."""
    env = environment(LAYOUT, search_dirs)
    ctx = context(edition)
    docs: list[DocumentView] = ctx["documents"]
    page_px = ctx["geometry"].body_height_mm * PX_PER_MM - SAFETY_PX
    measure = get_template(env, LAYOUT, "measure.html.j2")
    labels: list[float] = [0.0] * len(docs)  # the label row's height, read by the first pass

    def measure_parts(parts: list[Part]) -> Sizes:
        sizes, heads = measure_rows(measure, ctx, docs, parts)
        for d, height in heads.items():
            labels[d] = max(labels[d], height)
        return sizes

    groups = [[i] for i in range(len(ctx["languages"]))]
    pages = paginate(docs, groups, page_px, measure_parts, reserved=labels, opening_top=False)
    for page in overfull(pages, page_px):
        log.warning(
            "%s: a sentence in block %s is taller than a page: it runs over to the next page",
            edition.info.name, docs[page.document].rows[page.parts[0][1]].block_id,
        )  # fmt: skip
    ctx["documents"] = cut_documents(docs, pages)
    ctx["page_tops"] = [
        {slot.row for page in pages if page.document == d for slot in page.slots if slot.top}
        for d in range(len(docs))
    ]
    template = get_template(env, LAYOUT)
    html = template.render(**ctx)
    assert template.filename is not None
    return render_document(html, Path(template.filename).parent)


def measure_rows(
    template: Any, ctx: dict[str, Any], docs: list[DocumentView], parts: list[Part]
) -> tuple[Sizes, dict[int, float]]:
    """(language index, part) -> the part's size in that column, and each document's label row
    height, from one WeasyPrint pass over `parts`."""
    geo = ctx["geometry"]
    views = measured_rows(docs, parts)
    keys: dict[str, Part] = {}  # the measuring template's row ids ("<document>-<row>") -> part
    count = [0] * len(docs)
    for part in parts:
        keys[f"{part[0]}-{count[part[0]]}"] = part
        count[part[0]] += 1
    total_chars = sum(
        max(len(c.plain) for c in row.cells) + 40 for doc in views for row in doc.rows
    )
    # Tall enough for a good share of the text, short enough to stay far from float trouble.
    tall = max(
        geo.body_height_mm * 4,
        min(5000.0, total_chars / max(1, geo.chars_per_line) * geo.font_pt * 0.6),
    )
    html = template.render(**{**ctx, "documents": views}, measure_height_mm=round(tall))
    found = read_anchors(render_document(html, Path(template.filename).parent))
    heads = {d: found[f"t{d}"][3] - found[f"t{d}"][1] for d in range(len(docs)) if f"t{d}" in found}
    default_line = geo.font_pt * geo.line_height * 96 / 72
    sizes: Sizes = {}
    for key, part in keys.items():
        try:
            _, top, _, bottom = found[f"u{key}"]
        except KeyError:
            raise LayoutError(
                f"columns layout: row {key} was not measured (a custom measure.html.j2?)"
            ) from None
        for i in range(len(ctx["languages"])):
            start = found.get(f"m{i}-{key}-0")
            marks = [found.get(f"m{i}-{key}-{k}") for k in range(1, part[3] - part[2] + 1)]
            ends = tuple(m[3] - top if m else bottom - top for m in marks)
            line = next((m[3] - m[1] for m in marks if m), default_line)
            pad = start[1] - top if start else 0.0
            sizes[(i, part)] = Size(bottom - top, pad, ends, line)
    return sizes, heads
