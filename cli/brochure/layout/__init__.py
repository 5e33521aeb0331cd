"""Lay out an aligned edition as PDF (HTML + WeasyPrint) or DOCX (python-docx).

The writers import WeasyPrint and python-docx inside their functions: importing this package is
cheap, so `brochure --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

from brochure.core import formats
from brochure.core.datamodel import Edition
from brochure.core.errors import LayoutError


def render(edition: Edition, fmt: str, out: Path, *, search_dirs: tuple[Path, ...] = ()) -> Path:
    """Write `edition` in format `fmt` ('pdf' or 'docx') to `out`; a project's `search_dirs`
    (its layouts/ folders) are searched for templates before the built-in layouts."""
    from brochure.layout.typography import NBSP, NNBSP, typeset_edition

    out = Path(out)
    # Print typography is applied to what is laid out, never to the stored translations.
    # Thousands take a narrow no-break space («40 000») in the PDF: the PT fonts have none, and
    # HarfBuzz sets it as half their space, in the text run (fonts.DRAWN_BY_LAYOUT). A DOCX keeps
    # a plain no-break space: a word processor would take the narrow one from another font.
    edition = typeset_edition(edition, thin=NNBSP if fmt == "pdf" else NBSP)
    output = formats.get("output", fmt)
    if output is None or output.writer is None:
        known = ", ".join(formats.names("output"))
        raise LayoutError(f"unknown output format {fmt!r} (known: {known})")
    write = formats.load(output.writer)
    return write(edition, out, search_dirs=tuple(search_dirs))  # type: ignore[no-any-return]
