"""Lay out an aligned edition as PDF (HTML + WeasyPrint) or DOCX (python-docx).

The writers import WeasyPrint and python-docx inside their functions: importing this package is
cheap, so `brochure --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

from brochure.core.datamodel import Edition
from brochure.core.errors import LayoutError

FORMATS = ("pdf", "docx")


def render(edition: Edition, fmt: str, out: Path, *, search_dirs: tuple[Path, ...] = ()) -> Path:
    """Write `edition` in format `fmt` ('pdf' or 'docx') to `out`; a project's `search_dirs`
    (its layouts/ folders) are searched for templates before the built-in layouts."""
    from brochure.layout.typography import NBSP, NNBSP, typeset_edition

    out = Path(out)
    # Print typography is applied to what is laid out, never to the stored translations. The
    # PDF layouts draw the narrow no-break space themselves (html.rich_html); DOCX gets a plain one.
    edition = typeset_edition(edition, thin=NNBSP if fmt == "pdf" else NBSP)
    if fmt == "pdf":
        from brochure.layout.pdf import write_pdf

        return write_pdf(edition, out, search_dirs=tuple(search_dirs))
    if fmt == "docx":
        from brochure.layout.docx import write_docx

        return write_docx(edition, out)
    raise LayoutError(f"unknown output format {fmt!r} (known: {', '.join(FORMATS)})")
