"""`brochure add FILE [PROJECT]`: bring a DOCX, ODT, saved web page, EPUB, Markdown or text file
into the project."""

from __future__ import annotations

from pathlib import Path

import click

from brochure.commands.common import project_argument
from brochure.core.paths import shown


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--name",
    help="Document name: the Markdown file's stem (default: from an EPUB's title, else FILE's name).",
)
@click.option(
    "--lang",
    "-l",
    help="The text's language, if detection (or an EPUB's own) is wrong (en, ru, kk).",
)
@click.option(
    "--chapters",
    metavar="LIST",
    help="An EPUB's chapters to take, as `add` numbers them: 3, 2-4, 1,5-6 (default: all).",
)
@project_argument(default=None)
def add(
    file: Path, project_dir: Path | None, name: str | None, lang: str | None, chapters: str | None
) -> None:
    """Add FILE (.docx, .odt, .html/.htm, .epub, .md, .txt) to the project as a Markdown document.

    Keeps headings, paragraphs, lists, quotes, emphasis, links and footnotes (as bracketed notes);
    drops a web page's menus, comments and appeals, and an office file's headers, footers,
    comments, tracked deletions and generated contents and index. An EPUB is read in reading
    order, its chapters listed; its title names the document and its language is taken unless
    --name, --lang say otherwise.
    Adding a file again updates its Markdown and lists the paragraphs that changed; their old
    translations are kept for reuse.
    """
    from brochure.sources.add import add_source

    result = add_source(project_dir, file, name=name, lang=lang, chapters=chapters)
    if result.parts:
        title = f"«{result.title}», " if result.title else ""
        click.echo(f"{shown(file)}: {title}{len(result.parts)} chapter(s) (--chapters takes some):")
        for number, part in enumerate(result.parts, 1):
            click.echo(f"  {number:>3}  {part}")
    where = shown(result.path)
    if result.status == "unchanged":
        click.echo(f"{where}: already in the project with the same text; nothing changed")
        return
    if result.status == "added":
        click.echo(f"wrote {where} ({result.lang}, {result.paragraphs} paragraphs)")
        click.echo(f'brochure.toml: added "{result.entry}" to documents')
        return
    click.echo(
        f"updated {where}: {len(result.changes)} paragraph change(s), {result.unchanged} unchanged"
    )
    for line in result.changes:
        click.echo(f"  {line}")
    click.echo(
        "unchanged sentences keep their translations; changed ones keep the old translation aside for reuse"
    )
