"""`brochure proof [PROJECT]`: read the built PDFs back and report what a typesetter would mark."""

from __future__ import annotations

import json
from pathlib import Path

import click

from brochure.commands.common import project_argument
from brochure.core.paths import shown


@click.command()
@click.option("--edition", "-e", "editions", multiple=True,
              help="Proof only this edition (repeatable; default: every edition with a PDF).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@project_argument
def proof(project_dir: Path, editions: tuple[str, ...], as_json: bool) -> None:
    """Check the built PDFs of PROJECT line by line: hyphenation, short line ends, runts, widows and
    orphans, page fill, text past its column, glyphs, fonts, colours, boxes, page count.

    Exits with an error when a PDF has errors (warnings are only reported)."""
    from brochure.core.project import load_project
    from brochure.pipeline.proof import proof_gate, proof_project

    results = proof_project(load_project(project_dir), editions)
    if as_json:
        click.echo(json.dumps([{"edition": r.edition, **r.report.as_dict()} for r in results],
                              ensure_ascii=False, indent=2))  # fmt: skip
    else:
        for result in results:
            click.echo(_table(result.edition, result.report))
    proof_gate(results)


def _table(edition: str, report) -> str:  # type: ignore[no-untyped-def]
    lines = [f"{edition}: {shown(report.path)}, {report.page_count} pages",
             "  page  lines  hyph  ladder  1-letter  runts  widows  orphans  fill  past"]  # fmt: skip
    for p in report.pages:
        lines.append(
            f"  {p.number:>4}  {p.lines:>5}  {p.hyphenated:>4}  {p.longest_ladder:>6}  "
            f"{len(p.one_letter_ends):>8}  {len(p.runts):>5}  {len(p.widows):>6}  "
            f"{len(p.orphans):>7}  {p.fill:>4.0%}  {len(p.overflow):>4}"
        )
    lines.append(
        f"  total {report.lines} lines, {report.hyphenated} hyphenated ({report.hyphenated_share:.1%}), "
        f"longest ladder {report.longest_ladder}; {len(report.errors)} error(s), "
        f"{len(report.issues) - len(report.errors)} warning(s)"
    )
    for issue in report.issues:
        where = f"p. {issue.page}" if issue.page else "document"
        lines.append(f"  {issue.severity}: {where}: {issue.check}: {issue.message}")
    return "\n".join(lines)
