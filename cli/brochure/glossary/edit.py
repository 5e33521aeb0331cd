"""What the `brochure glossary` commands do to a project's glossary files.

Edits go to the project's glossary/terms.tsv (or the project file that already holds the concept),
each under the file's lock, so two processes editing at once lose nothing. A built-in concept is
edited by writing an overriding row (only the changed cells) into the project's file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from brochure.core.errors import GlossaryError
from brochure.glossary import tsv
from brochure.glossary.concepts import COLUMNS, Concept, concept_from_row, concept_slug, valid_id
from brochure.glossary.load import default_file, load_files, load_termbase, project_files
from brochure.glossary.termbase import Termbase


def _validate_options(values: dict[str, str]) -> None:
    """Check flags and stored forms given on the command line before touching any file."""
    concept_from_row({k: v or "" for k, v in values.items()}, origin="options")


def _file_with(root: Path, concept_id: str) -> Path | None:
    """The project's glossary file whose rows define `concept_id` (the last one, as merging does)."""
    found = None
    for path in project_files(root):
        if concept_id in tsv.GlossaryFile.read(path).rows:
            found = path
    return found


def add(root: Path, values: dict[str, str], file: Path | None = None) -> tuple[str, Path]:
    """Add a concept; its id defaults to a slug of the English term. Returns (id, file)."""
    values = {k: v for k, v in values.items() if v}
    cid = values.get("id") or concept_slug(
        values.get("en") or values.get("ru") or values.get("kk") or ""
    )
    if not valid_id(cid):
        raise GlossaryError(f"--id: {cid!r}: use letters, digits, '-', '_', '.'")
    if not any(values.get(lang) for lang in ("en", "ru", "kk")):
        raise GlossaryError("give at least one term: --en, --ru or --kk")
    values["id"] = cid
    _validate_options(values)
    path = file or default_file(root)
    holder = _file_with(root, cid)
    if holder is not None:
        raise GlossaryError(
            f"{holder}: id {cid!r} exists already; change it with `brochure glossary edit {cid}`"
        )

    def change(gf: tsv.GlossaryFile) -> None:
        gf.append(values)

    tsv.update(path, change)
    return cid, path


def edit(root: Path, concept_id: str, values: Mapping[str, str | None]) -> Path:
    """Change cells of a concept; a built-in one gets an overriding row in glossary/terms.tsv."""
    # options not given are None: only the given ones change
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        raise GlossaryError("nothing to change: give an option such as --ru or --note")
    _validate_options(given)
    holder = _file_with(root, concept_id)
    if holder is None:
        if load_termbase(root).get(concept_id) is None:
            raise GlossaryError(
                f"no concept {concept_id!r} in the glossary (see `brochure glossary list`)"
            )
        holder = default_file(root)

        def change(gf: tsv.GlossaryFile) -> None:
            if concept_id in gf.rows:
                gf.set(concept_id, given)
            else:
                gf.append({"id": concept_id, **given})
    else:

        def change(gf: tsv.GlossaryFile) -> None:
            if concept_id not in gf.rows:
                raise GlossaryError(f"{gf.path}: concept {concept_id!r} was removed meanwhile")
            gf.set(concept_id, given)

    tsv.update(holder, change)
    return holder


def remove(root: Path, concept_id: str) -> Path:
    holder = _file_with(root, concept_id)
    if holder is None:
        if load_termbase(root).get(concept_id) is not None:
            raise GlossaryError(
                f"{concept_id!r} is in the built-in glossary and cannot be removed; "
                f"override it with `brochure glossary edit {concept_id} ...`"
            )
        raise GlossaryError(
            f"no concept {concept_id!r} in the glossary (see `brochure glossary list`)"
        )

    def change(gf: tsv.GlossaryFile) -> None:
        if concept_id in gf.rows:
            gf.remove(concept_id)

    tsv.update(holder, change)
    return holder


def read_any(path: Path) -> list[Concept]:
    """Concepts from a TSV, CSV or TBX file (by extension), validated."""
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".tab", ".txt"):
        return list(load_files([(str(path), _read(path))]))
    if suffix == ".csv":
        from brochure.glossary.csvio import read_csv

        return read_csv(path)
    if suffix in (".tbx", ".xml"):
        from brochure.glossary.tbx import read_tbx

        return read_tbx(path)
    raise GlossaryError(
        f"{path}: unknown glossary format {suffix or '(none)'!r} (use .tsv, .csv or .tbx)"
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read: {exc.strerror or exc}") from None


def import_file(root: Path, source: Path) -> tuple[int, int, Path]:
    """Merge concepts from `source` into glossary/terms.tsv: (added, updated, file)."""
    concepts = read_any(source)
    target = default_file(root)
    counts = [0, 0]

    def change(gf: tsv.GlossaryFile) -> None:
        for concept in concepts:
            row = {k: v for k, v in concept.to_row().items() if v}
            if concept.id in gf.rows:
                gf.set(concept.id, row)
                counts[1] += 1
            else:
                gf.append(row)
                counts[0] += 1

    tsv.update(target, change)
    return counts[0], counts[1], target


def export(termbase: Termbase, fmt: str, out: Path | None) -> bytes:
    """The whole termbase as TBX, TSV or CSV bytes (written to `out` if given)."""
    concepts = list(termbase)
    if fmt == "tbx":
        from brochure.glossary.tbx import tbx_bytes

        data = tbx_bytes(concepts)
    elif fmt == "csv":
        from brochure.glossary.csvio import csv_bytes

        data = csv_bytes(concepts)
    elif fmt == "tsv":
        gf = tsv.GlossaryFile.new(Path(out or "glossary.tsv"), COLUMNS)
        for concept in concepts:
            gf.append(concept.to_row())
        data = gf.render()
    else:
        raise GlossaryError(f"--format: unknown format {fmt!r} (tbx, tsv or csv)")
    if out is not None:
        from brochure.core.atomic import write_bytes_atomic

        write_bytes_atomic(out, data)
    return data
