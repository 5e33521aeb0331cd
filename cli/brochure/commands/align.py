"""`brochure align SOURCE TRANSLATION --lang L`: store an existing human translation as units."""

from __future__ import annotations

from pathlib import Path

import click

from brochure.commands.common import project_argument


@click.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("translation", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--lang",
    "-l",
    required=True,
    help="Language of TRANSLATION (a target language of the project).",
)
@project_argument
def align(source: Path, translation: Path, lang: str, project_dir: Path) -> None:
    """Pair TRANSLATION (.md/.txt) with the project document SOURCE, paragraph then sentence.

    The pairs become reviewed units; units already reviewed or final, and targets a person wrote,
    are kept (machine drafts are replaced). Pairs the aligner is unsure of are stored as
    translated with a note, and listed here.
    """
    from brochure.core.project import load_project
    from brochure.store.align import align_translation

    result = align_translation(load_project(project_dir), source, translation, lang)
    for pair in result.unsure:
        click.echo(
            f"unsure: {pair.segment_ids[0]}  {pair.unsure}\n  {pair.source}\n  {pair.target or '-'}"
        )
    for text in result.leftovers:
        click.echo(f"unsure: a translated paragraph with no source: {text[:70]}")
    click.echo(f"{result.store}: {result.stored} unit(s) stored, {len(result.unsure)} to check, "
               f"{result.kept} approved or a person's kept")  # fmt: skip
