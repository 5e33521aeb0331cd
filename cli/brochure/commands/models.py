"""`brochure models list | install | remove`: the installed translation models."""

from __future__ import annotations

from pathlib import Path

import click

from brochure.commands.common import DEPRECATED_PROJECT, project_argument, split_project


def _folder(ctx: click.Context, project_dir: Path | None) -> Path:
    from brochure.core.project import PROJECT_FILE, load_project
    from brochure.engines.packages import models_dir

    if ctx.obj is not None:  # the deprecated `brochure models --project DIR ...`
        click.echo(DEPRECATED_PROJECT, err=True)
        project_dir = project_dir or ctx.obj
    if project_dir is None and (Path.cwd() / PROJECT_FILE).is_file():
        project_dir = Path.cwd()
    return models_dir(load_project(project_dir) if project_dir is not None else None)


@click.group()
@click.option("--project", "project_dir", type=click.Path(path_type=Path, file_okay=False),
              hidden=True, help="Deprecated: give PROJECT as the subcommand's last argument.")  # fmt: skip
@click.pass_context
def models(ctx: click.Context, project_dir: Path | None) -> None:
    """Install, list and remove offline translation models (argos packages).

    Models live in the per-user data folder, or in $BROCHURE_MODELS_DIR, or in the folder a
    project's brochure.toml names ([mt] models_dir): PROJECT, the last argument (default: the
    current folder, if it has a brochure.toml).
    """
    ctx.obj = project_dir


@models.command("list")
@click.pass_context
@project_argument(default=None)
def list_(ctx: click.Context, project_dir: Path | None) -> None:
    """List installed models: name, language pair, version."""
    from brochure.engines.packages import installed_models

    folder = _folder(ctx, project_dir)
    found = installed_models(folder)
    click.echo(
        f"models in {folder}:"
        if found
        else f"no models in {folder}; install one with `brochure models install`"
    )
    for m in found:
        prefix = f"  target prefix {m.target_prefix}" if m.target_prefix else ""
        click.echo(f"  {m.name}  {m.pair}  {m.version}{prefix}")


@models.command()
@click.argument("paths", nargs=-1, metavar="[PACKAGE] [PROJECT]", type=click.Path(path_type=Path))
@click.option("--download", nargs=2, metavar="FROM TO",
              help="Download the FROM->TO package from the argos package index (needs a network).")  # fmt: skip
@click.pass_context
def install(ctx: click.Context, paths: tuple[Path, ...], download: tuple[str, str] | None) -> None:
    """Install PACKAGE (an .argosmodel file), or download one with --download FROM TO."""
    from brochure.engines import packages as store

    files, project_dir = split_project(paths)
    if len(files) > 1:
        raise click.UsageError("give one PACKAGE")
    package = files[0] if files else None

    if (package is None) == (download is None):
        raise click.UsageError("give either PACKAGE or --download FROM TO")
    folder = _folder(ctx, project_dir)
    if download:
        import sys

        from tqdm import tqdm

        with tqdm(unit="B", unit_scale=True, desc="downloading", file=sys.stderr,
                  disable=not sys.stderr.isatty()) as bar:  # fmt: skip

            def progress(done: int, total: int | None) -> None:
                bar.total = total
                bar.update(done - bar.n)

            model, replaced = store.download_package(*download, folder, progress=progress)
    else:
        assert package is not None  # exactly one of PACKAGE and --download, checked above
        model, replaced = store.install_package(package, folder)
    was = f" (replaced {replaced.version})" if replaced else ""
    click.echo(f"installed {model.name} ({model.pair}, version {model.version}){was} in {folder}")


@models.command()
@click.argument("name")
@click.pass_context
@project_argument(default=None)
def remove(ctx: click.Context, name: str, project_dir: Path | None) -> None:
    """Remove the installed model NAME (its name in `brochure models list`, or a pair: en-ru)."""
    from brochure.engines.packages import remove_model

    model = remove_model(name, _folder(ctx, project_dir))
    click.echo(f"removed {model.name} ({model.pair})")
