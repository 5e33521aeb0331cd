"""`brochure init [PROJECT]`: write a starter project that builds."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from brochure.core.paths import shown

log = logging.getLogger(__name__)


@click.command()
@click.argument(
    "folder", metavar="[PROJECT]", type=click.Path(path_type=Path, file_okay=False), default="."
)
def init(folder: Path) -> None:
    """Write a starter project (brochure.toml, a text, its translation) into PROJECT (default: here)."""
    from brochure.pipeline.init import init_project

    for path in init_project(folder):
        click.echo(f"wrote {shown(path)}")
    click.echo(f"next: brochure build {folder}")
