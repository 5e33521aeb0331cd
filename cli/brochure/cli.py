"""The `brochure` command line: a click group over thin command modules in brochure.commands.

A command's module is imported when that command runs (brochure.commands.COMMANDS), so a command
starts without loading the others; `brochure --help` imports them all to list them. Command
modules import only click and light core modules at import time, so that stays fast; WeasyPrint,
python-docx, CTranslate2 and argos are imported by the stage that needs them.
"""

from __future__ import annotations

import importlib
import logging

import click

from brochure import __version__
from brochure.core.errors import BrochureError


class BrochureGroup(click.Group):
    """Turns every BrochureError raised below into one `Error: ...` line and exit code 1, and so
    every operating-system error (permission, is-a-folder, name too long, disk full, read-only
    folder) that no stage turned into one: one line naming the file, never a traceback.

    Its commands are those of brochure.commands.COMMANDS, each imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from brochure.commands import COMMANDS

        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from brochure.commands import COMMANDS

        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = importlib.import_module(COMMANDS[cmd_name])
            command = getattr(module, cmd_name)
            _verbosity_after(command)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BrochureError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            # The reader of our output went away (`brochure glossary list | head`): stop quietly,
            # as cat and grep do, not with "Error: Broken pipe" (nor another at exit's flush).
            _drop_stdout()
            ctx.exit(1)
        except OSError as exc:
            from brochure.core.errors import os_error_message
            from brochure.core.paths import shown

            raise click.ClickException(os_error_message(exc, shown)) from None


def _drop_stdout() -> None:
    """Point the process's standard output at os.devnull, so what is still buffered for a closed
    pipe goes nowhere (Python's advice for SIGPIPE; click's test runner has no such descriptor)."""
    import os
    import sys

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _verbosity_after(command: click.Command) -> None:
    """Give `command` (each command of a group) the group's -v/-q too, so that `brochure build -q`
    says as little as `brochure -q build` does (click reads an option after a command name as the
    command's own: without this it was a usage error). The counts add up with those given before
    the command name."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _verbosity_after(sub)
        return
    if any(param.name in ("verbose", "quiet") for param in command.params):
        return
    command.params += [
        click.Option(["-v", "--verbose"], count=True, expose_value=False, callback=_more_or_less,
                     help="Say more (repeat for debug output)."),
        click.Option(["-q", "--quiet"], count=True, expose_value=False, callback=_more_or_less,
                     help="Say less: only results (such as `wrote` lines), warnings and errors."),
    ]  # fmt: skip


def _more_or_less(ctx: click.Context, param: click.Parameter, count: int) -> None:
    """A command's own -v or -q: added to the group's and logging set up again."""
    if not count:
        return
    root = ctx.find_root()
    counts = root.meta.setdefault(
        "brochure.verbosity",
        {"verbose": root.params.get("verbose", 0), "quiet": root.params.get("quiet", 0)},
    )
    counts[str(param.name)] += count
    _setup_logging(counts["verbose"], counts["quiet"])


class _StderrHandler(logging.Handler):
    """Writes to the current stderr at each message (click's test runner swaps the stream)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(self.format(record), err=True)
        except Exception:  # pragma: no cover - logging must never break a command
            self.handleError(record)


def _setup_logging(verbose: int, quiet: int) -> None:
    """Our messages at INFO by default; other libraries' (WeasyPrint, fontTools) only as warnings,
    unless -vv asks for everything."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)
    logging.getLogger("brochure").setLevel(
        max(logging.DEBUG, logging.INFO + 10 * (quiet - verbose))
    )


@click.group(cls=BrochureGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="brochure")
@click.option("-v", "--verbose", count=True, help="Say more (repeat for debug output).")
@click.option(
    "-q",
    "--quiet",
    count=True,
    help="Say less: only results (such as `wrote` lines), warnings and errors.",
)
def cli(verbose: int, quiet: int) -> None:
    """Offline translation and bilingual brochures.

    A brochure project is a folder with brochure.toml, source texts, translations/ (XLIFF) and
    glossary/. `brochure build` turns it into side-by-side PDF and DOCX brochures in build/.
    """
    _setup_logging(verbose, quiet)


def main() -> None:
    """The `brochure` program: the process ends when its command returns, so a command may leave
    some things to the system (commands.common.process_ends; click's test runner calls `cli`)."""
    cli(prog_name="brochure", obj={"process_ends": True})
