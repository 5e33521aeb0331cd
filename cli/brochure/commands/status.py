"""`brochure status [PROJECT]`: translation progress per document and language."""

from __future__ import annotations

import json
from pathlib import Path

import click

from brochure.commands.common import project_argument


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@project_argument
def status(project_dir: Path, as_json: bool) -> None:
    """Segments and words final, reviewed, from memory, MT drafts, other drafts and missing.

    Ends with what the next build needs: an edition is ready when every unit is reviewed or final
    and `brochure check` finds no error. Changes no file.
    """
    from brochure.check.qa import errors_by_lang
    from brochure.core.project import load_project
    from brochure.store.status import format_status, project_status

    data = project_status(load_project(project_dir), check_errors=errors_by_lang)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else format_status(data))
