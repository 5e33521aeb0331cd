"""`brochure xliff export|import`: round trip with CAT tools (OmegaT, Trados, memoQ, Poedit)."""

from __future__ import annotations

from pathlib import Path

import click

from brochure.commands.common import paths_and_project, project_argument
from brochure.store.exchange import VERSIONS


@click.group()
def xliff() -> None:
    """Exchange translations with CAT tools as XLIFF 1.2 or 2.1 files."""


@xliff.command("export")
@click.option(
    "--lang", "-l", "langs", multiple=True, help="Target language (repeatable; default: all)."
)
@click.option("--version", "version", type=click.Choice(VERSIONS), default="1.2", show_default=True,
              help="XLIFF version: 1.2 opens everywhere, 2.1 is the current standard.")  # fmt: skip
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write into (default: build/xliff in the project).")  # fmt: skip
@project_argument
def export(project_dir: Path, langs: tuple[str, ...], version: str, output: Path | None) -> None:
    """Write one XLIFF file per document and target language for a CAT tool."""
    from brochure.core.project import load_project
    from brochure.store.exchange import export_xliff

    for path in export_xliff(load_project(project_dir), langs, version, output):
        click.echo(f"wrote {path}")


@xliff.command("import")
@click.option("--prefer", type=click.Choice(["project", "file"]),
              help="For units changed both in the project and in the file since export: keep "
                   "the project's version, or take the file's (default: keep it and report it).")  # fmt: skip
@paths_and_project
@click.pass_context
def import_(
    ctx: click.Context, files: tuple[Path, ...], project_dir: Path, prefer: str | None
) -> None:
    """Bring edited targets, states and notes back from FILE...; report units changed on both sides.

    Exit code 3 when a unit was not applied because the project changed it too (see --prefer),
    or because its source sentence was edited in the project since export (its translation is
    then kept aside in the group brochure-stale, where the memory offers it for the new text).
    """
    if not files:
        if not (project_dir / "brochure.toml").exists():  # `xliff import build/xliff`: a folder
            raise click.UsageError(
                f"{project_dir} is a folder, not a project (no brochure.toml): give the XLIFF "
                f"files in it, e.g. {project_dir / '*.xlf'}"
            )
        raise click.UsageError("give at least one XLIFF file")
    from brochure.core.project import load_project
    from brochure.store.exchange import import_xliff

    report = import_xliff(load_project(project_dir), files, prefer)
    for conflict in report.conflicts:
        click.echo(f"conflict: {conflict}", err=True)
    for path, line, uid in report.aside:
        click.echo(f"source changed: {path}:{line}: unit {uid}: its source text was edited in the "
                   "project since export; its translation is kept aside (brochure-stale) for reuse, "
                   "the new text still needs one", err=True)  # fmt: skip
    for path in report.written:
        click.echo(f"updated {path}")
    click.echo(f"{len(report.applied)} unit(s) updated, {report.unchanged} unchanged, {report.kept} changed only "
               f"in the project, {len(report.conflicts)} conflict(s), {report.notes} note(s) added")  # fmt: skip
    if report.conflicts:
        click.echo(f"{len(report.conflicts)} unit(s) not applied: the project's version was kept. Take the "
                   f"file's with `--prefer file`, or keep the project's silently with `--prefer project`.",
                   err=True)  # fmt: skip
    if report.aside:
        click.echo(f"{len(report.aside)} translation(s) of edited source text kept aside: see "
                   "`brochure status` and `brochure memory search`", err=True)  # fmt: skip
    if report.conflicts or report.aside:
        ctx.exit(3)
