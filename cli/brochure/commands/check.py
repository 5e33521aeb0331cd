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
@click.option(
    "--strict", is_flag=True, help="Fail (exit code 1) on warnings too, except accepted ones."
)
@click.option(
    "--accept", "accepts", multiple=True, metavar="UNIT_ID:CODE[:CONCEPT]",
    help="Accept a warning for one unit of the --lang translations (repeatable): recorded in the "
    "translation file as a note of category brochure:accepted; then check.",
)  # fmt: skip
@click.pass_context
@project_argument
def check(
    ctx: click.Context, project_dir: Path, langs: tuple[str, ...], as_json: bool, strict: bool,
    accepts: tuple[str, ...],
) -> None:  # fmt: skip
    """Check translations against the glossary and for common slips.

    Errors: approved term missing, forbidden term used, do-not-translate term changed, segment
    untranslated; in Kazakh, Latin look-alike letters in Cyrillic words or Arabic script.
    Warnings: a word derived from the term instead of the term, no glossary term in the target
    language, identical to the source, numbers (and in Kazakh, months) differ, unpaired brackets
    or quotes, the same source translated differently. Exit code 1 when there are errors; with
    --strict, also when there are warnings no translator has accepted.

    A translator accepts a warning for one unit with --accept UNIT_ID:CODE[:CONCEPT] --lang L
    (e.g. --accept s80ef2d6e9fe5:derived-term:komsomol --lang ru): a note of category
    brochure:accepted in that unit of the translation file. Accepted findings are still listed,
    as accepted; a finding with another code or concept is not covered.
    """
    from brochure.check.qa import accept_finding, check_project, format_report
    from brochure.core.errors import BrochureError
    from brochure.core.project import load_project

    project = load_project(project_dir)
    if accepts:
        if len(langs) != 1:
            raise BrochureError("--accept: name the translation's language with one --lang")
        project.select_targets(langs)
        for spec in accepts:
            written = accept_finding(project, langs[0], spec)
            click.echo(f"accepted {spec} ({langs[0]}) in {written}", err=True)
    report = check_project(project, langs or None)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
    if report.errors or (strict and report.warnings):
        ctx.exit(1)
