"""`brochure memory import|export|search`: the project's translation memory (TMX files in memory/)."""

from __future__ import annotations

from pathlib import Path

import click

from brochure.commands.common import project_argument


@click.group()
def memory() -> None:
    """The translation memory: the project's approved units plus the TMX files in memory/.

    `brochure translate` takes exact matches from it before any MT engine, and fuzzy matches
    above [memory] fuzzy_threshold (75% by default) as drafts to review.
    """


@memory.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@project_argument
def import_(file: Path, project_dir: Path) -> None:
    """Copy a memory file into the project's memory/ (as TMX 1.4b).

    FILE: TMX (OmegaT, Trados, translate-toolkit...), XLIFF 1.x/2.x (.xlf, .xliff, Trados's
    .sdlxliff, memoQ's .mqxliff, Phrase's .mxliff: any tool's translated sentences) or gettext PO
    (.po: entries neither fuzzy nor empty).
    """
    from brochure.core.project import load_project
    from brochure.memory.formats import import_memory

    project = load_project(project_dir)
    dest, count, replaced = import_memory(project, file)
    click.echo(f"{'replaced' if replaced else 'wrote'} {dest} ({count} units)")


@memory.command("export")
@click.option(
    "--lang",
    "-l",
    "langs",
    multiple=True,
    help="Target language to include (repeatable; default: all).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="TMX file to write (default: build/<name>.tmx in the project).")  # fmt: skip
@project_argument
def export(langs: tuple[str, ...], output: Path | None, project_dir: Path) -> None:
    """Write the project's approved translations as TMX 1.4b (all languages in one <tu>)."""
    from brochure.core.project import load_project
    from brochure.memory.tmx import export_tmx

    project = load_project(project_dir)
    out = output or project.build_dir / f"{project.name}.tmx"
    count = export_tmx(project, out, langs)
    click.echo(f"wrote {out} ({count} units)")


@memory.command("search")
@click.argument("text")
@click.option("--lang", "-l", help="Target language (default: the project's first).")
@click.option(
    "--threshold",
    type=click.IntRange(1, 100),
    help="Lowest score in percent (default: [memory] fuzzy_threshold).",
)
@project_argument
def search(text: str, lang: str | None, threshold: int | None, project_dir: Path) -> None:
    """Show the memory's exact and fuzzy matches for TEXT, best first, with their scores."""
    from brochure.core.project import load_project
    from brochure.memory.index import lookup

    project = load_project(project_dir)
    lang = project.select_targets([lang] if lang else [])[0]
    matches = lookup(project, text, project.source_language, lang, threshold)
    if not matches:
        click.echo("no match")
    for m in matches:
        where = f"{m.origin}:{m.line}" if m.line else m.origin
        click.echo(f"{m.score:3d}%  {m.source}\n      {m.target}\n      ({where})")
