"""`brochure preview`: build the edition's PDF if it is out of date, then write PNGs of its pages."""

from __future__ import annotations

import logging
from pathlib import Path

from brochure.core.errors import LayoutError
from brochure.core.project import Project
from brochure.outputs.preview import page_ranges, render_pngs
from brochure.pipeline.build import build_project

log = logging.getLogger(__name__)


def preview(
    project: Project, edition: str | None = None, pages: str | None = None, out_dir: Path | None = None,
    *, draft: bool = False, dpi: float = 100, trim: bool = False, spreads: bool = False,
    variant: str = "",
) -> list[Path]:  # fmt: skip
    """Build the edition's PDF if it is out of date, then write PNGs of its pages (of its screen
    PDF, else its print PDF; `variant` "print" or "screen" chooses)."""
    spec = project.edition(edition) if edition else project.editions[0]
    if "pdf" not in spec.formats:
        raise LayoutError(
            f"{project.path}: edition {spec.name!r} writes no PDF (formats: {', '.join(spec.formats)})"
        )
    if variant and variant not in spec.pdf:
        raise LayoutError(
            f"{project.path}: edition {spec.name!r} writes no {variant} PDF (pdf: {', '.join(spec.pdf)})"
        )
    page_ranges(pages)  # a wrong --pages fails before anything is built
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise LayoutError(
            f"--output: {out_dir} is a file, not a folder: name a folder for the images"
        )
    build_project(project, editions=[spec.name], draft=draft)
    pdf = project.build_dir / spec.pdf_file(variant)
    if not pdf.exists():
        raise LayoutError(f"{pdf}: not built")
    out_dir = out_dir or project.build_dir / "preview"
    written = render_pngs(pdf, out_dir, pages, dpi=dpi, trim=trim, spreads=spreads)
    log.info("%d image(s) of %s", len(written), pdf.name)
    return written
