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

    Sure pairs become reviewed units. Unsure pairs are only offered: an empty unit gets the text as
    'initial' with a note, a machine draft stays with the text in a note. Source sentences with no
    translated counterpart, or several the translation made one sentence of, are left as they
    were (a translated sentence is never cut: it goes in a note on the first of them). Reviewed
    and final units, and targets a person wrote, are never touched. Each unsure or left pair is
    listed, and the last line counts the units aligned, unsure and left. A file that does not
    read as a translation of SOURCE (most of its pairs unsure) is refused, and nothing is stored.
    A whole book aligns at once (the alignment keeps near the diagonal, as hunalign's).
    """
    from brochure.core.project import load_project
    from brochure.glossary.load import load_termbase
    from brochure.store.align import align_translation

    project = load_project(project_dir)
    termbase = load_termbase(project)  # its concepts anchor pairs (the store sits below glossary)

    def terms(text: str, language: str) -> set[str]:
        return {m.concept for m in termbase.matcher(language).find(text)}

    result = align_translation(project, source, translation, lang, terms)
    for label, pairs in (("unsure", result.unsure), ("left", result.unpaired)):
        for pair in pairs:
            click.echo(f"{label}: {pair.segment_ids[0]}  {pair.unsure}\n  {pair.source}\n"
                       f"  {pair.target or '-'}")  # fmt: skip
    for text in result.leftovers:
        click.echo(f"unsure: a translated paragraph with no source: {text[:70]}")
    click.echo(f"{result.store}: {result.aligned} aligned, {result.offered + result.noted} unsure, "
               f"{result.left} left as they were; {result.aligned + result.offered} unit(s) stored, "
               f"{result.offered + result.noted} to check, {result.kept} approved or a person's kept")  # fmt: skip
