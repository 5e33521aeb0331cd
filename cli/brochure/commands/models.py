"""`brochure models list | install | remove`: the installed translation models."""

from __future__ import annotations

from pathlib import Path

import click


def _folder(ctx: click.Context) -> Path:
    from brochure.core.project import PROJECT_FILE, load_project
    from brochure.engines.packages import models_dir

    project_dir = ctx.obj
    if project_dir is None and (Path.cwd() / PROJECT_FILE).is_file():
        project_dir = Path.cwd()
    return models_dir(load_project(project_dir) if project_dir is not None else None)


@click.group()
@click.option("--project", "project_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Use this project's [mt] models_dir (default: the current folder's, if any).")  # fmt: skip
@click.pass_context
def models(ctx: click.Context, project_dir: Path | None) -> None:
    """Install, list and remove offline translation models (argos packages).

    Models live in the per-user data folder, or in $BROCHURE_MODELS_DIR, or in the folder a
    project's brochure.toml names ([mt] models_dir).
    """
    ctx.obj = project_dir


@models.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List installed models: name, language pair, version."""
    from brochure.engines.packages import installed_models

    folder = _folder(ctx)
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
@click.argument("package", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--download", nargs=2, metavar="FROM TO",
              help="Download the FROM->TO package from the argos package index (needs a network).")  # fmt: skip
@click.pass_context
def install(ctx: click.Context, package: Path | None, download: tuple[str, str] | None) -> None:
    """Install PACKAGE (an .argosmodel file), or download one with --download FROM TO."""
    from brochure.engines import packages as store

    if (package is None) == (download is None):
        raise click.UsageError("give either PACKAGE or --download FROM TO")
    folder = _folder(ctx)
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
        model, replaced = store.install_package(package, folder)
    was = f" (replaced {replaced.version})" if replaced else ""
    click.echo(f"installed {model.name} ({model.pair}, version {model.version}){was} in {folder}")


@models.command()
@click.argument("name")
@click.pass_context
def remove(ctx: click.Context, name: str) -> None:
    """Remove the installed model NAME (its name in `brochure models list`, or a pair: en-ru)."""
    from brochure.engines.packages import remove_model

    model = remove_model(name, _folder(ctx))
    click.echo(f"removed {model.name} ({model.pair})")
