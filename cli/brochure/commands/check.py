"""`brochure check [PROJECT]`: terminology and QA report over the translations."""

from __future__ import annotations

import json
from pathlib import Path

import click

from brochure.commands.common import project_argument


@click.command()
@click.option(
    "--lang", "-l", "langs", multiple=True, help="Check only this target language (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@project_argument
def check(ctx: click.Context, project_dir: Path, langs: tuple[str, ...], as_json: bool) -> None:
    """Check translations against the glossary and for common slips.

    Errors: approved term missing, forbidden term used, do-not-translate term changed, segment
    untranslated; in Kazakh, Latin look-alike letters in Cyrillic words or Arabic script.
    Warnings: a word derived from the term instead of the term, no glossary term in the target
    language, identical to the source, numbers (and in Kazakh, months) differ, unpaired brackets
    or quotes, the same source translated differently. Exit code 1 when there are errors.
    """
    from brochure.check.qa import check_project, format_report
    from brochure.core.project import load_project

    report = check_project(load_project(project_dir), langs or None)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
    if report.errors:
        ctx.exit(1)
