"""`brochure serve [PROJECT]`: the translators' workbench in the browser."""

from __future__ import annotations

from pathlib import Path

import click

from brochure.commands.common import project_argument


@click.command()
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one)."
)
@click.option(
    "--host",
    default="127.0.0.1",
    help="Address to listen on (default 127.0.0.1, this machine only).",
)
@click.option("--no-browser", is_flag=True, help="Do not open the browser; just print the address.")
@project_argument
def serve(project_dir: Path, port: int, host: str, no_browser: bool) -> None:
    """Review and edit translations in a local web page (offline; Ctrl+C stops it).

    The page saves through the same store as the CLI (same locks, same validation), so the CLI
    can be used on the project at the same time. The address holds a secret token: share it
    with nobody.
    """
    from brochure.workbench.serve import is_loopback, open_browser_when_up, open_workbench

    if not is_loopback(host):
        click.echo(
            f"Warning: listening on {host}: anyone who can reach it and learns the address "
            "can edit this project",
            err=True,
        )
    bench = open_workbench(project_dir, host, port)
    click.echo(f"Workbench at {bench.url}  (Ctrl+C stops it)")
    if not no_browser:
        open_browser_when_up(bench)
    bench.serve()
