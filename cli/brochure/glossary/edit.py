"""What the `brochure glossary` commands do to a project's glossary files.

Edits go to the project's glossary/terms.tsv (or the project file that already holds the concept),
each under the file's lock, so two processes editing at once lose nothing. A built-in concept is
edited by writing an overriding row (only the changed cells) into the project's file.

Imports match concepts by their terms, never by the ids a file carries (two peers' files both
using `c1` are two concepts): an imported concept whose preferred or admitted terms are those of
one concept of the glossary is merged into it (new variants, forbidden renderings, notes), one
that contradicts it (another preferred term, a term forbidden on one side and approved on the
other, terms of several concepts) is reported as conflicting and left out, any other is added.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from brochure.core import formats
from brochure.core.errors import GlossaryError
from brochure.glossary import tsv
from brochure.glossary.concepts import (
    LANGS,
    Concept,
    concept_from_row,
    concept_slug,
    langs,
    split_variants,
    valid_id,
)
from brochure.glossary.load import (
    builtin_sources,
    default_file,
    load_files,
    load_termbase,
    project_files,
)
from brochure.glossary.match import check_terms
from brochure.glossary.termbase import Termbase


def _validate_options(values: Mapping[str, str]) -> None:
    """Check flags, stored forms and terms given on the command line before touching any file."""
    concept = concept_from_row({k: v or "" for k, v in values.items()}, origin="options")
    check_terms(concept)


def _file_with(root: Path, concept_id: str) -> Path | None:
    """The project's glossary file whose rows define `concept_id` (the last one, as merging does)."""
    found = None
    for path in project_files(root):
        if concept_id in tsv.GlossaryFile.read(path).rows:
            found = path
    return found


def add(root: Path, values: dict[str, str], file: Path | None = None) -> tuple[str, Path]:
    """Add a concept; its id defaults to a slug of its first term (en, ru, kk). Returns (id, file)."""
    values = {k: v for k, v in values.items() if v}
    terms = [values.get(lang, "") for lang in langs()]
    cid = values.get("id") or concept_slug(next((t for t in terms if t), ""))
    if not valid_id(cid):
        raise GlossaryError(f"--id: {cid!r}: use letters, digits, '-', '_', '.'")
    if not any(terms):
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


VARIANT_LISTS = tuple(f"{lang}_{kind}" for kind in ("admitted", "forbidden") for lang in LANGS)


def edit(
    root: Path, concept_id: str, values: Mapping[str, str | None],
    add: Mapping[str, str | None] | None = None, remove: Mapping[str, str | None] | None = None,
) -> Path:  # fmt: skip
    """Change cells of a concept; a built-in one gets an overriding row in glossary/terms.tsv.

    `add` and `remove` (column such as "ru_admitted" -> variants separated by |) change single
    variants of a list and keep the others, the built-in ones too; `values` replaces cells.
    """
    # options not given are None: only the given ones change
    given = {k: v for k, v in values.items() if v is not None}
    adding = {k: v for k, v in (add or {}).items() if v is not None}
    removing = {k: v for k, v in (remove or {}).items() if v is not None}
    if not (given or adding or removing):
        raise GlossaryError("nothing to change: give an option such as --ru or --note")
    _validate_options(given)
    for column, cell in adding.items():
        if column in VARIANT_LISTS:
            check_terms(concept_from_row({column: cell}), option="--add-")
    holder = _file_with(root, concept_id)
    current = load_termbase(root).get(concept_id)
    if current is None:
        raise GlossaryError(
            f"no concept {concept_id!r} in the glossary (see `brochure glossary list`)"
        )
    lists = list(dict.fromkeys([*adding, *removing]))

    def cells() -> dict[str, str]:
        """The cells to write, the variant lists read from the files under the lock (so an edit
        another process saved meanwhile is kept)."""
        out = dict(given)
        fresh = load_termbase(root).get(concept_id) if lists else None
        for column in lists:
            out[column] = _changed_list(fresh or current, column, given.get(column),
                                        adding.get(column, ""), removing.get(column, ""))  # fmt: skip
        return out

    cells()  # bad options stop here, before any lock is taken
    if holder is None:
        holder = default_file(root)

        def change(gf: tsv.GlossaryFile) -> None:
            if concept_id in gf.rows:
                gf.set(concept_id, cells())
            else:
                gf.append({"id": concept_id, **cells()})
    else:

        def change(gf: tsv.GlossaryFile) -> None:
            if concept_id not in gf.rows:
                raise GlossaryError(f"{gf.path}: concept {concept_id!r} was removed meanwhile")
            gf.set(concept_id, cells())

    tsv.update(holder, change)
    return holder


def _changed_list(concept: Concept, column: str, replace: str | None, add: str, remove: str) -> str:
    """The new cell of a variant list: the current list (or `replace`), plus and minus variants."""
    lang, kind = column.split("_", 1)
    if column not in VARIANT_LISTS:
        raise GlossaryError(f"--add-{column.replace('_', '-')}: not a list of variants")
    if replace is not None:
        variants = list(split_variants(replace))
    else:
        variants = list(
            (concept.admitted if kind == "admitted" else concept.forbidden).get(lang, ())
        )
    for variant in split_variants(add):
        if variant not in variants:
            variants.append(variant)
    for variant in split_variants(remove):
        if variant not in variants:
            raise GlossaryError(
                f"--remove-{lang}-{kind}: {variant!r} is not {'an' if kind == 'admitted' else 'a'} "
                f"{kind} {lang} variant of {concept.id} ({', '.join(variants) or 'none'})"
            )
        variants.remove(variant)
    if not variants:
        builtin = load_files(builtin_sources()).get(concept.id)
        if builtin is not None and (
            builtin.admitted if kind == "admitted" else builtin.forbidden
        ).get(lang):
            # an empty cell of an overriding row inherits the built-in list
            raise GlossaryError(
                f"--remove-{lang}-{kind}: the built-in concept {concept.id} would keep its built-in "
                f"{kind} {lang} variants; leave at least one (or give --{lang}-{kind} to replace them)"
            )
    return "|".join(variants)


def remove(root: Path, concept_id: str) -> Path:
    """Delete concept ID's row from the project's glossary (built-in concepts can only be overridden)."""
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
    """Concepts from a glossary file in any registered format (by extension), validated."""
    suffix = path.suffix.lower()
    fmt = formats.by_suffix("glossary", suffix)
    if advice := formats.foreign("glossary", suffix):
        raise GlossaryError(f"{path}: {advice}")
    if fmt is None or fmt.reader is None:
        known = ", ".join(f.suffixes[0] for f in formats.formats("glossary"))
        raise GlossaryError(f"{path}: unknown glossary format {suffix or '(none)'!r} (use {known})")
    return list(formats.load(fmt.reader)(path))


@dataclass
class ImportReport:
    """What `glossary import` did with each concept of the file."""

    file: Path  # the project's glossary file written to
    added: list[str] = field(default_factory=list)  # concept ids
    merged: list[tuple[str, str]] = field(default_factory=list)  # (id, what was brought in)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # one message each, "file:line: ..."


def import_file(root: Path, source: Path) -> ImportReport:
    """Merge the concepts of `source` into the glossary, matching them by their terms."""
    concepts = read_any(source)
    report = ImportReport(default_file(root))
    cleaned = [_one_line(c) for c in concepts]
    for concept in cleaned:  # a bad term refuses the file, before anything is written
        check_terms(concept, at=concept.origin or str(source))

    def change(gf: tsv.GlossaryFile) -> None:
        termbase = load_termbase(root)
        known: dict[str, Concept] = {c.id: c for c in termbase}
        index: dict[tuple[str, str], set[str]] = {}
        for concept in known.values():
            _index(index, concept)
        for incoming in cleaned:
            hits = sorted({cid for key in _keys(incoming) for cid in index.get(key, ())})
            where = incoming.origin or str(source)
            if len(hits) > 1:
                report.conflicts.append(
                    f"{where}: its terms belong to several concepts ({', '.join(hits)}); not imported"
                )
                continue
            if not hits:
                cid = _free_id(incoming, known)
                row = {k: v for k, v in incoming.to_row().items() if v} | {"id": cid}
                _write_row(root, gf, cid, row, new=True)
                known[cid] = concept_from_row(row, origin=where)
                _index(index, known[cid])
                report.added.append(cid)
                continue
            existing = known[hits[0]]
            cells, problem = _merge_cells(existing, incoming)
            if problem:
                report.conflicts.append(f"{where}: {problem}; not imported")
            elif not cells:
                report.unchanged.append(existing.id)
            else:
                _write_row(root, gf, existing.id, cells, new=False)
                known[existing.id] = concept_from_row(existing.to_row() | cells, origin=where)
                _index(index, known[existing.id])
                report.merged.append((existing.id, ", ".join(sorted(cells))))

    tsv.update(report.file, change)
    return report


def _one_line(concept: Concept) -> Concept:
    """Terms and notes from another tool may hold line breaks or tabs: one line each."""
    row = {k: " ".join(v.split()) for k, v in concept.to_row().items()}
    return concept_from_row(row, origin=concept.origin)


def _keys(concept: Concept) -> set[tuple[str, str]]:
    return {(lang, t.casefold()) for lang in LANGS for t in concept.approved(lang)}


def _index(index: dict[tuple[str, str], set[str]], concept: Concept) -> None:
    for key in _keys(concept):
        index.setdefault(key, set()).add(concept.id)


def _free_id(concept: Concept, known: dict[str, Concept]) -> str:
    """The file's own id if no concept has it yet, else one made from the preferred terms (as
    `glossary add` makes them), else the file's id numbered."""
    base = [concept.id] if valid_id(concept.id) else []
    for lang in LANGS:
        if concept.preferred.get(lang):
            slug = concept_slug(concept.preferred[lang])
            if slug != "term":
                base.append(slug)
    base.append(concept.id if valid_id(concept.id) else "term")
    for candidate in base:
        if candidate not in known:
            return candidate
    n = 2
    while f"{base[-1]}-{n}" in known:
        n += 1
    return f"{base[-1]}-{n}"


def _merge_cells(existing: Concept, incoming: Concept) -> tuple[dict[str, str], str]:
    """The cells `incoming` adds to `existing` (full new lists), or why they contradict."""
    cells: dict[str, str] = {}
    for lang in LANGS:
        ours = existing.approved(lang)
        banned = existing.forbidden.get(lang, ())
        fold_ours = {t.casefold() for t in ours}
        fold_banned = {t.casefold() for t in banned}
        theirs_pref = incoming.preferred.get(lang, "")
        pref = existing.preferred.get(lang, "")
        if theirs_pref and pref and theirs_pref.casefold() != pref.casefold():
            return {}, (f"its preferred {lang} term «{theirs_pref}» is not «{pref}», the preferred "
                        f"term of {existing.id}")  # fmt: skip
        for term in incoming.approved(lang):
            if term.casefold() in fold_banned:
                return {}, f"{lang} «{term}» is approved in the file but forbidden in {existing.id}"
        for term in incoming.forbidden.get(lang, ()):
            if term.casefold() in fold_ours:
                return {}, f"{lang} «{term}» is forbidden in the file but approved in {existing.id}"
        if theirs_pref and not pref:
            cells[lang] = theirs_pref
            fold_ours.add(theirs_pref.casefold())
        new_admitted = [t for t in incoming.admitted.get(lang, ()) if t.casefold() not in fold_ours]
        if new_admitted:
            cells[f"{lang}_admitted"] = "|".join([*existing.admitted.get(lang, ()), *new_admitted])
        new_banned = [
            t for t in incoming.forbidden.get(lang, ()) if t.casefold() not in fold_banned
        ]
        if new_banned:
            cells[f"{lang}_forbidden"] = "|".join([*banned, *new_banned])
        forms = {tag: form for tag, form in incoming.forms.get(lang, {}).items()
                 if tag not in existing.forms.get(lang, {})}  # fmt: skip
        if forms:
            merged = {**existing.forms.get(lang, {}), **forms}
            cells[f"{lang}_forms"] = "|".join(f"{k}={v}" for k, v in merged.items())
    if incoming.note and incoming.note not in existing.note:
        cells["note"] = f"{existing.note} {incoming.note}".strip()
    for attr in ("domain", "pos"):
        if getattr(incoming, attr) and not getattr(existing, attr):
            cells[attr] = getattr(incoming, attr)
    if not incoming.flags <= existing.flags:
        from brochure.glossary.concepts import FLAGS

        cells["flags"] = ",".join(f for f in FLAGS if f in incoming.flags | existing.flags)
    return cells, ""


def _write_row(
    root: Path, gf: tsv.GlossaryFile, cid: str, cells: dict[str, str], new: bool
) -> None:
    """Add a row to glossary/terms.tsv, or change the row that defines `cid` (an override row
    for a built-in concept, holding only the changed cells)."""
    if new or cid in gf.rows:
        if cid in gf.rows:
            gf.set(cid, cells)
        else:
            gf.append({"id": cid, **cells})
        return
    holder = _file_with(root, cid)
    if holder is None or holder == gf.path:
        gf.append({"id": cid, **cells})  # a built-in concept: an overriding row
    else:
        tsv.update(holder, lambda other: other.set(cid, cells))


def export(termbase: Termbase, fmt: str, out: Path | None) -> bytes:
    """The whole termbase in format `fmt` (tbx, tsv, csv: brochure.core.formats) as bytes,
    written to `out` if given."""
    output = formats.get("glossary", fmt)
    if output is None or output.writer is None:
        known = ", ".join(formats.names("glossary"))
        raise GlossaryError(f"--format: unknown format {fmt!r} (one of: {known})")
    data: bytes = formats.load(output.writer)(list(termbase))
    if out is not None:
        from brochure.core.atomic import write_bytes_atomic

        write_bytes_atomic(out, data)
    return data
