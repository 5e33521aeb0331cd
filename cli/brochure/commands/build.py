"""`brochure build [PROJECT]`: lay out every edition as PDF, DOCX and EPUB (as its `formats` say) in build/."""

from __future__ import annotations

from pathlib import Path

import click

from brochure.commands.common import process_ends, project_argument
from brochure.core.paths import shown


@click.command()
@click.option(
    "--edition", "-e", "editions", multiple=True, help="Build only this edition (repeatable)."
)
@click.option(
    "--draft",
    is_flag=True,
    help="Build even with missing translations, marking them in the output.",
)
@click.option(
    "--no-mt",
    "no_mt",
    is_flag=True,
    help="Do not machine-translate missing segments, even with [mt] set.",
)
@click.option("--force", is_flag=True, help="Rebuild every output even when no input changed.")
@click.option(
    "--strict", is_flag=True, help="Fail when `brochure check` finds errors (glossary, QA)."
)
@click.option("--impose", type=click.Choice(["booklet"]),
              help="Also write each PDF imposed for saddle stitching (<name>.booklet.pdf).")  # fmt: skip
@click.option("--proof", "proof", is_flag=True,
              help="Then proof the PDFs (see `brochure proof`) and fail on proof errors.")  # fmt: skip
@project_argument
def build(
    project_dir: Path, editions: tuple[str, ...], draft: bool, no_mt: bool, force: bool, strict: bool,
    impose: str | None, proof: bool,
) -> None:  # fmt: skip
    """Build the brochures of PROJECT (a folder with brochure.toml; default: here).

    Each edition's `formats` in brochure.toml say what it writes to build/: the PDFs (screen and
    print), the DOCX, the EPUB (for e-readers and phones). An output whose inputs did not change
    is left alone."""
    from brochure.core.project import load_project
    from brochure.pipeline.build import build_project

    project = load_project(project_dir)
    written = build_project(
        project,
        editions=editions,
        draft=draft,
        mt=not no_mt,
        force=force,
        strict=strict,
        impose=impose or "",
        # (with --proof the process goes on: the build's memory is freed first)
        exiting=process_ends() and not proof,
    )
    for path in written:
        click.echo(f"wrote {shown(path)}")
    if proof:
        from brochure.pipeline.proof import proof_gate, proof_project

        results = proof_project(project, editions)
        for result in results:
            for issue in result.report.errors:
                where = f"p. {issue.page}" if issue.page else "document"
                click.echo(
                    f"proof: {result.edition}: {where}: {issue.check}: {issue.message}", err=True
                )
        proof_gate(results)
