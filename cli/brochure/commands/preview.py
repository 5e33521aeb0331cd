"""`brochure preview [PROJECT]`: PNG images of an edition's pages, built first if out of date."""

from __future__ import annotations

from pathlib import Path

import click

from brochure.commands.common import project_argument
from brochure.core.paths import shown


@click.command()
@click.option(
    "--edition", "-e", help="The edition to look at (default: the first in brochure.toml)."
)
@click.option("--pages", "-p", help="Pages such as 1-4 or 2,5,7- (default: all).")
@click.option(
    "--output",
    "-o",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Folder for the images (default: build/preview).",
)
@click.option(
    "--dpi", type=click.FloatRange(20, 600), default=100, show_default=True, help="Resolution."
)
@click.option("--trim", is_flag=True, help="Cut to the trim box (no bleed, slug or crop marks).")
@click.option("--spreads", is_flag=True, help="Facing pages side by side in one image.")
@click.option("--print", "of_print", is_flag=True,
              help="Show the print PDF (bleed, marks, black text) instead of the screen PDF.")  # fmt: skip
@click.option("--draft", is_flag=True, help="Build even with missing translations, marking them.")
@project_argument
def preview(
    project_dir: Path, edition: str | None, pages: str | None, out_dir: Path | None, dpi: float,
    trim: bool, spreads: bool, of_print: bool, draft: bool,
) -> None:  # fmt: skip
    """Write PNG images of an edition's pages for a quick look."""
    from brochure.core.project import load_project
    from brochure.pipeline.preview import preview as make_previews

    project = load_project(project_dir)
    for path in make_previews(
        project,
        edition,
        pages,
        out_dir,
        draft=draft,
        dpi=dpi,
        trim=trim,
        spreads=spreads,
        variant="print" if of_print else "",
    ):
        click.echo(f"wrote {shown(path)}")
