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
from brochure.layout.graft import Graft, available
from brochure.layout.html import DocumentView, get_template
from brochure.layout.measures import Measurements
from brochure.layout.paging import (
    Part,
    Sizes,
    cut_documents,
    measuring_pass,
    overfull,
    paginate,
    part_row,
    render,
    setup,
)
from brochure.layout.weasy import documents_kept

log = logging.getLogger(__name__)
LAYOUT = "columns"


def render_columns(edition: Edition, search_dirs: tuple[Path, ...] = ()) -> Any:
    """WeasyPrint's Document of the edition in columns (call inside pdf's log redirection)."""
    if not available():
        return _render_columns(edition, search_dirs, None)
    # the measuring passes' documents live on in the final one (their lines are grafted into it)
    with documents_kept():
        return _render_columns(edition, search_dirs, Graft())


def _render_columns(edition: Edition, search_dirs: tuple[Path, ...], graft: Graft | None) -> Any:
    s = setup(LAYOUT, edition, search_dirs)
    ctx, docs, page_px = s.ctx, s.docs, s.page_px
    kept = Measurements(s, edition.info.name, search_dirs)
    # the label row's height, read by every measuring pass (and kept with the measurements)
    labels: list[float] = [kept.extra.get("labels", 0.0)] * len(docs)

    def measure_parts(parts: list[Part]) -> Sizes:
        sizes, heads = measure_rows(s.measure, ctx, docs, parts, graft)
        for d, height in heads.items():
            labels[d] = max(labels[d], height)
        kept.extra["labels"] = max(labels, default=0.0)
        return sizes

    groups = [[i] for i in range(len(ctx["languages"]))]
    measure = kept.wrap(docs, measure_parts)
    pages = paginate(docs, groups, page_px, measure, reserved=labels, opening_top=False, rows=True)
    kept.save()
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
    if graft is None:
        return render(get_template(s.env, LAYOUT), ctx)
    # the measured lines printed as they are (layout/graft.py): the text is laid out once
    ctx["grafts"] = graft.place(ctx["documents"], page_px)
    document = render(get_template(s.env, LAYOUT), ctx, graft.render_hook())
    if graft.failed:  # (see Graft.render_hook) the cells set plainly instead
        ctx["grafts"] = {}
        return render(get_template(s.env, LAYOUT), ctx)
    return document


def measure_rows(
    template: Any, ctx: dict[str, Any], docs: list[DocumentView], parts: list[Part],
    graft: Graft | None = None,
) -> tuple[Sizes, dict[int, float]]:  # fmt: skip
    """(language index, part) -> the part's size in that column, and each document's label row
    height, from one WeasyPrint pass over `parts` (its lines kept in `graft`)."""
    got = measuring_pass(
        template, ctx, docs, parts, lambda row: max(len(c.plain) for c in row.cells) + 40
    )
    if graft is not None:
        graft.collect(got.document, got.views, got.lines)
    found = got.found
    heads = {d: found[f"t{d}"][3] - found[f"t{d}"][1] for d in range(len(docs)) if f"t{d}" in found}
    sizes: Sizes = {}
    for key, part in got.keys.items():
        try:
            _, top, _, bottom = found[f"u{key}"]
        except KeyError:
            raise LayoutError(
                f"columns layout: row {key} was not measured (a custom measure.html.j2?)"
            ) from None
        row = part_row(docs[part[0]].rows[part[1]], part[2], part[3])
        for i in range(len(ctx["languages"])):
            start = found.get(f"m{i}-{key}-0")
            pad = start[1] - top if start else 0.0
            sizes[(i, part)] = got.size(f"m{i}-{key}", part, row.cells[i], top, bottom, pad)
    return sizes, heads
