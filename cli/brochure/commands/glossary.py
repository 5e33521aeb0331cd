"""`brochure glossary ...`: list, show, add, edit, remove, import, export and lint terms.

The commands act on the project's glossary/ (new concepts go to glossary/terms.tsv) on top of the
built-in political glossary; PROJECT, the last argument, names the project (default: the current
folder).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from brochure.commands.common import paths_and_project, project_argument
from brochure.core import formats

# Option name -> TSV column, in the order `--help` shows them.
FIELDS = {
    "domain": "subject field (labour, parties, repression, ...)",
    "pos": "part of speech: noun, noun-phrase, proper-noun, adjective, verb, abbreviation",
    "en": "preferred English term", "ru": "preferred Russian term", "kk": "preferred Kazakh term",
    "en_admitted": "admitted English variants, separated by |",
    "ru_admitted": "admitted Russian variants, separated by |",
    "kk_admitted": "admitted Kazakh variants, separated by |",
    "en_forbidden": "forbidden English renderings, separated by |",
    "ru_forbidden": "forbidden Russian renderings, separated by |",
    "kk_forbidden": "forbidden Kazakh renderings, separated by |",
    "ru_forms": "stored Russian forms: tag=form|tag=form (e.g. ins=Елбасы)",
    "kk_forms": "stored Kazakh forms: tag=form|... (e.g. dat=Елбасына|gen=Елбасының)",
    "flags": "comma-separated: case-sensitive, do-not-translate, indeclinable",
    "note": "a note for translators",
}  # fmt: skip


def field_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for name in reversed(FIELDS):
        func = click.option(f"--{name.replace('_', '-')}", name, default=None, help=FIELDS[name])(
            func
        )
    return func


def variant_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--add-ru-admitted X / --remove-ru-admitted X (and forbidden, for each language)."""
    for kind in ("forbidden", "admitted"):
        for lang in ("kk", "ru", "en"):  # the options of FIELDS; bottom-up: --help lists en first
            for verb in ("remove", "add"):
                func = click.option(
                    f"--{verb}-{lang}-{kind}", f"{verb}_{lang}_{kind}", default=None,
                    help=f"{verb.capitalize()} {kind} {lang} variant(s), separated by |, keeping the others.",
                )(func)  # fmt: skip
    return func


def _writable_root(project_dir: Path) -> Path:
    from brochure.core.project import find_project_file

    return find_project_file(project_dir).parent


def _termbase(project_dir: Path):  # type: ignore[no-untyped-def]
    from brochure.core.project import PROJECT_FILE, project_above
    from brochure.glossary.load import load_termbase

    if (project_dir / PROJECT_FILE).exists():
        return load_termbase(project_dir)
    if project_dir.is_dir() and (above := project_above(project_dir)) is not None:
        # outside a project the built-in glossary is the answer; inside one's subfolder, say so
        where = str(above) if project_dir.is_absolute() else os.path.relpath(above)
        click.echo(f"Warning: {project_dir / PROJECT_FILE}: no project here, so the built-in glossary "
                   f"only; the project is the folder {where}: give it as the last argument (PROJECT)",
                   err=True)  # fmt: skip
    return load_termbase(None)


def _check_lang(lang: str | None) -> None:
    from brochure.core.errors import BrochureError
    from brochure.glossary.concepts import langs

    if lang and lang not in langs():
        raise BrochureError(
            f"--lang: invalid language code {lang!r} (one of: {', '.join(langs())})"
        )


@click.group()
def glossary() -> None:
    """Keep the glossary: approved, admitted and forbidden renderings of terms in en, ru, kk.

    The built-in political glossary is extended (and overridden by id) by the project's
    glossary/*.tsv, spreadsheet-friendly files that `add` and `edit` change in place.
    """


@glossary.command("list")
@click.option(
    "--lang", "-l", help="Only concepts with a term in this language; show that language."
)
@click.option("--search", "-s", help="Only concepts whose id, terms or note contain TEXT.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@project_argument
def list_(lang: str | None, search: str | None, as_json: bool, project_dir: Path) -> None:
    """List the concepts of the glossary."""
    _check_lang(lang)
    concepts = _termbase(project_dir).search(search or "", lang)
    if as_json:
        click.echo(json.dumps([c.as_json() for c in concepts], ensure_ascii=False, indent=2))
        return
    from brochure.glossary.concepts import LANGS

    langs = [lang] if lang else list(LANGS)
    for c in concepts:
        click.echo("\t".join([c.id, *(c.preferred.get(lg, "") for lg in langs)]))


@glossary.command()
@click.argument("concept_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@project_argument
def show(concept_id: str, as_json: bool, project_dir: Path) -> None:
    """Show one concept with all its terms, forms, flags and note."""
    from brochure.core.errors import GlossaryError

    concept = _termbase(project_dir).get(concept_id)
    if concept is None:
        raise GlossaryError(
            f"no concept {concept_id!r} in the glossary (see `brochure glossary list`)"
        )
    data = concept.as_json()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{concept.id}  [{concept.domain or '-'}; {concept.pos or '-'}]  {concept.origin}")
    for lang, terms in data["terms"].items():
        line = f"  {lang}: {terms['preferred'] or '-'}"
        if terms["admitted"]:
            line += f"  (also: {', '.join(terms['admitted'])})"
        if terms["forbidden"]:
            line += f"  (not: {', '.join(terms['forbidden'])})"
        click.echo(line)
    for lang, forms in data["forms"].items():
        click.echo(f"  {lang} forms: " + ", ".join(f"{k}={v}" for k, v in forms.items()))
    if concept.flags:
        click.echo(f"  flags: {', '.join(sorted(concept.flags))}")
    if concept.note:
        click.echo(f"  note: {concept.note}")


@glossary.command()
@click.option(
    "--id",
    "concept_id",
    help="Concept id (default: made from the first term given, en, ru or kk, in Latin letters).",
)
@field_options
@project_argument
def add(concept_id: str | None, project_dir: Path, **fields: str | None) -> None:
    """Add a concept to the project's glossary/terms.tsv."""
    from brochure.glossary.edit import add as add_concept

    values = {k: v for k, v in fields.items() if v is not None}
    cid, path = add_concept(_writable_root(project_dir), {"id": concept_id or "", **values})
    click.echo(f"added {cid} to {path}")


@glossary.command()
@click.argument("concept_id", metavar="ID")
@field_options
@variant_options
@project_argument
def edit(concept_id: str, project_dir: Path, **fields: str | None) -> None:
    """Change fields of concept ID (a built-in concept gets an override in glossary/terms.tsv).

    --ru-admitted and the like replace a whole list; --add-ru-admitted and --remove-ru-admitted
    change single variants and keep the others (the built-in ones too).
    """
    from brochure.glossary.edit import edit as edit_concept

    changes = {"add": {}, "remove": {}}  # type: dict[str, dict[str, str | None]]
    for name in [n for n in fields if n.startswith(("add_", "remove_"))]:
        verb, column = name.split("_", 1)
        changes[verb][column] = fields.pop(name)
    path = edit_concept(_writable_root(project_dir), concept_id, dict(fields), **changes)
    click.echo(f"changed {concept_id} in {path}")


@glossary.command()
@click.argument("concept_id", metavar="ID")
@project_argument
def remove(concept_id: str, project_dir: Path) -> None:
    """Remove concept ID from the project's glossary."""
    from brochure.glossary.edit import remove as remove_concept

    path = remove_concept(_writable_root(project_dir), concept_id)
    click.echo(f"removed {concept_id} from {path}")


@glossary.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@project_argument
@click.pass_context
def import_(ctx: click.Context, file: Path, project_dir: Path) -> None:
    """Add or merge concepts from FILE (.tsv, .csv, memoQ's term base export; .tbx or .xml:
    TBX-Basic v2, TBX v3 or SDL MultiTerm XML).

    Concepts are matched by their terms, not by the file's ids (an `id` column may be left
    out: a new concept's id is made from its first term, as `add` makes it; column names in any
    case, languages also as ru-RU or Russian; a sheet may be Excel's UTF-16 'Unicode Text').
    Each is reported as added, merged (new variants, forbidden renderings, notes) or conflicting; exit code 3 when a
    concept conflicts with the glossary and was left out.
    """
    from brochure.glossary.edit import import_file

    report = import_file(_writable_root(project_dir), file)
    for cid in report.added:
        click.echo(f"added {cid}")
    for cid, what in report.merged:
        click.echo(f"merged into {cid}: {what}")
    for problem in report.conflicts:
        click.echo(f"conflict: {problem}", err=True)
    click.echo(f"imported {file}: {len(report.added)} added, {len(report.merged)} merged, "
               f"{len(report.unchanged)} unchanged, {len(report.conflicts)} conflicting "
               f"in {report.file}")  # fmt: skip
    if report.conflicts:
        ctx.exit(3)


@glossary.command()
@click.option("--format", "-f", "fmt", type=click.Choice(formats.names("glossary")), default="tbx",
              show_default=True, help="Output format.")  # fmt: skip
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE (default, or -: print).",
)
@project_argument
def export(fmt: str, output: Path | None, project_dir: Path) -> None:
    """Export the whole glossary (built-in + project) as TBX-Basic, TSV or CSV."""
    from brochure.glossary.edit import export as export_termbase

    if output == Path("-"):  # the usual name of standard output, not a file called "-"
        output = None
    data = export_termbase(_termbase(project_dir), fmt, output)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        click.echo(f"wrote {output}", err=True)


@glossary.command()
@click.pass_context
@paths_and_project
def lint(ctx: click.Context, files: tuple[Path, ...], project_dir: Path) -> None:
    """Find duplicates, conflicts, forbidden = approved renderings and missing languages.

    Checks FILES if given, else the built-in glossary and the project's glossary/*.tsv.
    Exit code 1 when there are errors.
    """
    from brochure.core.project import PROJECT_FILE
    from brochure.glossary.lint import lint_sources
    from brochure.glossary.load import builtin_sources, project_files

    if files:
        sources = [(str(f), f.read_bytes()) for f in files]
    else:
        own = project_files(project_dir) if (project_dir / PROJECT_FILE).exists() else []
        sources = builtin_sources() + [(str(p), p.read_bytes()) for p in own]
    problems = lint_sources(sources)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"{errors} error(s), {len(problems) - errors} warning(s)", err=True)
    if errors:
        ctx.exit(1)
