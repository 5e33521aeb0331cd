"""Options and helpers shared by the command modules: one way to name the project, one --lang.

The convention: every command that works on a project takes it as its last, optional positional
argument `[PROJECT]` (a folder with brochure.toml; default: the current folder). `--project DIR`
is still accepted for one release, with a deprecation warning.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

F = Callable[..., Any]
DEPRECATED_PROJECT = (
    "Warning: --project is deprecated and will be removed in the next release; "
    "give the project folder as the last argument instead"
)
_FOLDER = click.Path(path_type=Path, file_okay=False)


def process_ends() -> bool:
    """Whether the process ends when the running command returns: run as the `brochure` program
    (brochure.cli.main), not called in-process by click's test runner or another program."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return isinstance(obj, dict) and bool(obj.get("process_ends"))


def _alias(project_dir: Path | None, alias: Path | None) -> Path | None:
    """The project given positionally or through the deprecated --project (not both)."""
    if alias is None:
        return project_dir
    if project_dir is not None and project_dir != alias:
        raise click.UsageError(f"two projects given: {project_dir} and --project {alias}")
    click.echo(DEPRECATED_PROJECT, err=True)
    return alias


def project_argument(func: F | None = None, *, default: str | None = ".") -> Any:
    """Add `[PROJECT]` (the last positional argument) and the deprecated `--project` alias.

    The command receives `project_dir`: the folder given, else `default` (None: the command
    decides, e.g. `segments` looks next to the file). Put it below the command's other
    arguments so that PROJECT comes last.
    """

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def wrapper(
            *args: Any, project_dir: Path | None, project_alias: Path | None, **kw: Any
        ) -> Any:
            project_dir = _alias(project_dir, project_alias)
            if project_dir is None and default is not None:
                project_dir = Path(default)
            return f(*args, project_dir=project_dir, **kw)

        wrapper.__dict__["__click_params__"] = list(getattr(f, "__click_params__", []))
        wrapper = click.option(
            "--project", "project_alias", type=_FOLDER, hidden=True,
            help="Deprecated: give PROJECT as the last argument.",
        )(wrapper)  # fmt: skip
        return click.argument(
            "project_dir", metavar="[PROJECT]", required=False, type=click.Path(path_type=Path)
        )(wrapper)

    return decorate(func) if func is not None else decorate


def paths_and_project(func: F) -> F:
    """For commands taking any number of files: `FILE... [PROJECT]`, where a trailing folder is
    the project. The command receives `files` (a tuple of Paths) and `project_dir`."""

    @functools.wraps(func)
    def wrapper(*args: Any, paths: tuple[Path, ...], project_alias: Path | None, **kw: Any) -> Any:
        files, project_dir = split_project(paths)
        project_dir = _alias(project_dir, project_alias) or Path(".")
        for path in files:
            if not path.is_file():
                raise click.BadParameter(f"{path}: no such file", param_hint="FILE")
        return func(*args, files=files, project_dir=project_dir, **kw)

    wrapper.__dict__["__click_params__"] = list(getattr(func, "__click_params__", []))
    wrapper = click.option(
        "--project", "project_alias", type=_FOLDER, hidden=True,
        help="Deprecated: give PROJECT as the last argument.",
    )(wrapper)  # fmt: skip
    return click.argument(
        "paths", nargs=-1, metavar="FILE... [PROJECT]", type=click.Path(path_type=Path)
    )(wrapper)


def split_project(paths: Sequence[Path]) -> tuple[tuple[Path, ...], Path | None]:
    """(files, project): the last of `paths` is the project when it is a folder."""
    if paths and paths[-1].is_dir():
        return tuple(paths[:-1]), paths[-1]
    return tuple(paths), None


def target_langs_option(help: str) -> Callable[[F], F]:
    """`--lang/-l`, repeatable: target languages; the core checks them (Project.select_targets)."""
    return click.option("--lang", "-l", "langs", multiple=True, help=help)


def engine_option(func: F) -> F:
    """`--engine NAME`, one of the registered MT engines (checked when the engine is made)."""
    from brochure.engines.registry import engine_names

    names = ", ".join(engine_names())
    return click.option(
        "--engine",
        "engine_name",
        help=f"Use this engine instead of brochure.toml's [mt] ({names}).",
    )(func)
