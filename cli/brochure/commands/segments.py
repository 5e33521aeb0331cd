"""`brochure segments FILE`: show how a source file is split into blocks and segments."""

from __future__ import annotations

import json
from pathlib import Path

import click

from brochure.commands.common import project_argument


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--lang", "-l", help="Language of the file (default: the project's source language, else en)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@project_argument(default=None)
def segments(file: Path, lang: str | None, project_dir: Path | None, as_json: bool) -> None:
    """Print FILE's blocks and segments with their ids (PROJECT's abbreviations apply; default:
    the project in FILE's folder, if there is one).

    For translators checking the sentence split, and for scripts (--json). Abbreviations that must
    not end a sentence can be added in brochure.toml under [segmentation.abbreviations].
    """
    from brochure.segmentation.documents import segment_file

    result = segment_file(file, lang=lang, project_dir=project_dir)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for block in result["blocks"]:
        click.echo(f"[{block['index']}] {block['kind']} (line {block['line']})")
        for seg in block["segments"]:
            click.echo(f"  {seg['id']}  {seg['text']}")
