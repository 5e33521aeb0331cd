"""The built-in layouts, in one registry: the name an edition's `layout` gives, the output formats
it can write, how it shares the page among the languages, and, for a layout that needs more than
the HTML template, the function that lays it out for PDF.

A built-in layout is its templates folder, layouts/<name>/ at the repository's top (brochure.html.j2
and CSS, shipped in the wheel), plus one register() line below. A project's own layouts/<name>/
folder with a new name is a layout too, laid out like `columns` (see get()).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    name: str
    # the output formats it can write (an EPUB is reflowable: every layout's EPUB sets each
    # paragraph followed by its translation, as an e-reader's narrow screen needs)
    formats: tuple[str, ...] = ("pdf", "docx", "epub")
    # Each language gets the full text width, one after the other (interleaved, facing), rather
    # than a column of the page (columns).
    full_width: bool = False
    # "module:function" (edition, search_dirs) -> WeasyPrint Document, for a layout the HTML
    # template alone cannot make (columns and facing: rows measured and cut at page breaks);
    # None: the template path.
    pdf: str | None = None


LAYOUTS: dict[str, Layout] = {}


def register(layout: Layout) -> Layout:
    """Add (or replace) a built-in layout; returns it."""
    LAYOUTS[layout.name] = layout
    return layout


register(Layout("columns", pdf="brochure.layout.columns:render_columns"))
register(Layout("interleaved", full_width=True))
register(
    Layout(
        "facing",
        formats=("pdf", "epub"),
        full_width=True,
        pdf="brochure.layout.facing:render_facing",
    )
)


def names() -> tuple[str, ...]:
    """The built-in layouts' names, in registration order."""
    return tuple(LAYOUTS)


def get(name: str) -> Layout:
    """The layout `name`; a project's own layout (not built in) is laid out like `columns`."""
    return LAYOUTS.get(name) or Layout(name)
