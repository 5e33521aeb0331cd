"""`brochure translate [PROJECT]`: fill missing translations with machine drafts."""

from __future__ import annotations

from pathlib import Path

import click

from brochure.commands.common import engine_option, project_argument


@click.command()
@click.option(
    "--lang", "-l", "langs", multiple=True, help="Only this target language (repeatable)."
)
@engine_option
@click.option(
    "--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal)."
)
@project_argument
def translate(
    project_dir: Path, langs: tuple[str, ...], engine_name: str | None, progress: bool | None
) -> None:
    """Draft every untranslated segment of PROJECT with the configured MT engine.

    Drafts get state `translated` and record engine, model and version. Reviewed and final units
    and every target a person wrote are left alone; a second run translates nothing new.
    Engines and models are set in brochure.toml under [mt] (without it, give --engine: as for
    `brochure build`, no [mt] means no machine translation); install models with `brochure models`.
    """
    from brochure.core.project import load_project
    from brochure.translate.fill import translate_project

    project = load_project(project_dir)
    report = translate_project(project, langs=langs, engine_name=engine_name, progress=progress)
    for line in report.summary():
        click.echo(line)
    for path in report.written:
        click.echo(f"wrote {path.relative_to(project.root)}")
    if report.errors:  # the other languages' drafts are saved; this one needs its [mt] fixed
        from brochure.core.errors import BrochureError

        raise BrochureError(report.errors[0])
