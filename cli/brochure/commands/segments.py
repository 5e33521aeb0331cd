"""`brochure segments FILE`: show how a source file is split into blocks and segments."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--lang", "-l", help="Language of the file (default: the project's source language, else en)."
)
@click.option("--project", "project_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Project whose abbreviation lists apply (default: the file's folder, if it has one).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def segments(file: Path, lang: str | None, project_dir: Path | None, as_json: bool) -> None:
    """Print FILE's blocks and segments with their ids.

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
