"""The workbench's glossary editor: the termbase as a searchable table, one concept's form, the
units that use it, and the API that adds, edits and removes concepts.

Every write is `brochure glossary add/edit/remove` (brochure.glossary.edit: the same lock,
validation and in-place TSV edit that keeps the other rows' bytes). A concept's page sends the
version of the concept it was rendered from; if that concept changed on disk since (the CLI, a
spreadsheet, another page), nothing is written and the reply shows the concept as it is now
("theirs") with its version, read under the lock that refused the save. The page then offers
"use mine": the refused fields sent again against that version, so they replace theirs, and a
third change made in between is refused in turn. A change to other concepts meanwhile stops
nothing: the edit writes this concept's row only.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from brochure.core.errors import BrochureError, GlossaryError
from brochure.core.project import Project
from brochure.glossary import edit as glossary_edit
from brochure.glossary.concepts import CASES, FLAGS, LANGS, POS, Concept, langs
from brochure.glossary.load import (
    builtin_sources,
    default_file,
    load_files,
    load_termbase,
    project_files,
)
from brochure.glossary.tsv import LINE_BREAKS, locked
from brochure.workbench.site import Site, int_param

if TYPE_CHECKING:
    from brochure.glossary.lint import Problem
    from brochure.glossary.termbase import Termbase

PAGE_SIZE = 100  # concepts per page of the table
KINDS = ("preferred", "admitted", "forbidden", "forms")
ACTIONS = ("add", "edit", "remove")
CONFLICT = (
    "This concept changed on disk since this page loaded it (the CLI, a spreadsheet or another "
    "page); nothing was saved."
)


def columns(lang: str, kind: str) -> str:
    """The TSV column of a field: ("ru", "preferred") -> "ru", ("ru", "forms") -> "ru_forms"."""
    return lang if kind == "preferred" else f"{lang}_{kind}"


def editable_columns() -> tuple[str, ...]:
    """Every TSV column the form may send (the id is not among them: it never changes)."""
    cols = ["domain", "pos"]
    for lang in langs():
        cols += [columns(lang, k) for k in KINDS if k != "forms" or lang in CASES]
    return (*cols, "flags", "note")


def version(root: Path, concept_id: str | None = None) -> str:
    """The version a page shows: of concept `concept_id` as the glossary defines it now (its
    cells, a built-in concept's with the project's override; "" when there is none), else of the
    project's glossary files (their names and bytes)."""
    if concept_id is not None:
        return concept_version(load_termbase(root).get(concept_id))
    h = hashlib.sha1()
    for path in project_files(root):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def concept_version(concept: Concept | None) -> str:
    """The version of a concept as the glossary defines it: of its cells ("" for none)."""
    if concept is None:
        return ""
    cells = json.dumps(sorted(concept.to_row().items()), ensure_ascii=False)
    return hashlib.sha1(cells.encode()).hexdigest()


@contextmanager
def files_locked(root: Path) -> Iterator[None]:
    """Hold the lock of every project glossary file (and of the one `add` writes to), in name
    order, so the version check and the write see the same files."""
    paths = sorted({*project_files(root), default_file(root)})
    with ExitStack() as stack:
        for path in paths:
            stack.enter_context(locked(path))
        yield


@dataclass(frozen=True)
class Row:
    """One concept of the table: where it comes from and what lint says of it."""

    concept: Concept
    source: str  # "built-in", "project" or "override" (a project row over a built-in concept)
    problems: list[Problem]
    where: str  # the row that defines it last: file:line, the file relative to the project


def table(project: Project, query: str = "") -> tuple[list[Row], list[Problem]]:
    """The concepts matching `query` with their source and lint problems, and the problems of
    files that do not load at all."""
    from brochure.glossary.lint import lint_sources

    termbase = load_termbase(project)
    builtin = set(load_files(builtin_sources()).concepts)
    own = _project_ids(project.root)
    sources = builtin_sources() + [(str(p), p.read_bytes()) for p in project_files(project.root)]
    by_where: dict[str, list[Problem]] = {}
    for problem in lint_sources(sources):  # as `brochure glossary lint` checks them
        by_where.setdefault(problem.where, []).append(problem)
    origins = {c.origin for c in termbase}
    loose = [p for where, ps in by_where.items() if where not in origins for p in ps]
    rows = []
    for concept in termbase.search(query):
        source = "override" if concept.id in builtin and concept.id in own else (
            "project" if concept.id in own else "built-in"
        )  # fmt: skip
        where = concept.origin.removeprefix(f"{project.root}/")
        rows.append(Row(concept, source, by_where.get(concept.origin, []), where))
    return rows, loose


def _project_ids(root: Path) -> set[str]:
    from brochure.glossary.tsv import GlossaryFile

    return {cid for path in project_files(root) for cid in GlossaryFile.read(path).rows}


@dataclass(frozen=True)
class Use:
    """A unit whose source or target holds a term of the concept."""

    document: str
    lang: str
    unit: str
    page: int  # the grid page the unit is on
    source: str
    target: str
    found: list[str]  # "source «...»", "target «...» (forbidden)"


def uses(project: Project, termbase: Termbase, concept_id: str, page_size: int) -> list[Use]:
    """Where concept `concept_id` is used: each unit whose source or target holds one of its terms
    (forbidden renderings in a target included), as the check's matcher finds them."""
    from brochure.store.edit import open_synced

    out = []
    source_lang = project.source_language
    in_source = termbase.matcher(source_lang)
    for document in project.documents:
        for lang in project.target_languages:
            if lang == source_lang:
                continue
            in_target = termbase.matcher(lang, target=True)
            units = list(open_synced(project, document, lang).units())
            for index, unit in enumerate(units):
                target = unit.target.text if unit.target is not None else ""
                found = [f"source «{m.text}»" for m in in_source.find(unit.source.text)
                         if m.concept == concept_id]  # fmt: skip
                found += [
                    f"target «{m.text}»" + ("" if m.status == "preferred" else f" ({m.status})")
                    for m in in_target.find(target) if m.concept == concept_id
                ]  # fmt: skip
                if found:
                    out.append(Use(document.name, lang, unit.id, index // page_size + 1,
                                   unit.source.text, target, found))  # fmt: skip
    return out


def form_langs(project: Project) -> list[str]:
    """The languages the form shows: the built-in glossary's, then the project's other ones."""
    return [*LANGS, *(lang for lang in project.languages if lang in langs() and lang not in LANGS)]


def apply(
    root: Path, action: str, concept_id: str, fields: dict[str, str], seen: str
) -> tuple[str, str]:
    """Add, edit or remove a concept as `brochure glossary` does, unless the concept edited or
    removed is no longer at version `seen` (an added one is refused when its id exists); returns
    the concept's new version and its id (`add` makes one from the English term when none is
    given). GlossaryError for bad input, Conflict (with the concept as it is now) for a conflict.

    An edit of a concept that is not there, against version "" (a page showed it removed
    meanwhile, and its translator chose to keep their version), adds it back."""
    with files_locked(root):
        if action != "add":
            current = load_termbase(root).get(concept_id)
            if concept_version(current) != seen:
                raise Conflict(CONFLICT, current)
            if current is None and action == "edit":
                action = "add"
        if action == "add":
            concept_id, _ = glossary_edit.add(root, {"id": concept_id, **fields})
        elif action == "remove":
            glossary_edit.remove(root, concept_id)
        else:
            changed = _changed_cells(root, concept_id, fields)
            if changed:
                glossary_edit.edit(root, concept_id, changed)
        return version(root, concept_id), concept_id


def _changed_cells(root: Path, concept_id: str, fields: dict[str, str]) -> dict[str, str]:
    """The cells the form changed; an emptied cell of a built-in concept is refused, as an empty
    cell of an overriding row inherits the built-in value (the edit would not show)."""
    current = load_termbase(root).get(concept_id)
    if current is None:
        raise GlossaryError(
            f"no concept {concept_id!r} in the glossary (it was removed meanwhile?)"
        )
    row = current.to_row()
    changed = {k: v for k, v in fields.items() if v != row.get(k, "")}
    builtin = load_files(builtin_sources()).get(concept_id)
    if builtin is not None:
        kept = [k for k, v in changed.items() if not v and builtin.to_row().get(k)]
        if kept:
            raise GlossaryError(
                f"{concept_id}: {', '.join(kept)}: a built-in concept keeps its built-in value "
                "when the project's cell is empty; write another value instead"
            )
    return changed


class Conflict(GlossaryError):
    """The concept changed on disk since the page loaded it; `theirs` is the concept as it is
    now (None: removed), read under the lock that refused the save."""

    def __init__(self, message: str, theirs: Concept | None) -> None:
        super().__init__(message)
        self.theirs = theirs

    def reply(self) -> dict[str, Any]:
        """The 409 reply's body: the message, theirs' cells and the version to save mine against."""
        return {"error": str(self), "version": concept_version(self.theirs),
                "theirs": self.theirs.to_row() if self.theirs else None}  # fmt: skip


def _fields(data: Any) -> tuple[str, str, dict[str, str], str]:
    """(action, id, fields, version) of a request body, or ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object: action, id, fields, version")
    action, cid, fields, seen = (data.get(k) for k in ("action", "id", "fields", "version"))
    if action not in ACTIONS:
        raise ValueError(f"action: one of {', '.join(ACTIONS)}")
    if not isinstance(cid, str) or not isinstance(seen, str):
        raise ValueError("id and version must be strings")
    fields = {} if fields is None else fields
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        raise ValueError("fields: an object of column -> text")
    unknown = sorted(set(fields) - set(editable_columns()))
    if unknown:
        raise ValueError(f"fields: unknown column(s) {', '.join(unknown)}")
    return action, cid, {k: _one_line(v) for k, v in fields.items()}, seen


def _one_line(value: str) -> str:
    """A cell as the page's box held it, on one line: the TSV holds no tabs or line breaks, and
    the note is a box that takes Enter (a line break, a pasted tab: one space; other spacing as
    typed)."""
    return re.sub(f"[ ]*[\t{LINE_BREAKS}]+[ ]*", " ", value).strip()


def routes(site: Site) -> list[Route]:
    """The glossary editor's pages and API."""
    from brochure.workbench.unit import PAGE_SIZE as GRID_PAGE_SIZE

    render, root = site.render, site.root

    def context(project: Project, concept_id: str | None = None) -> dict[str, Any]:
        return {"project": project, "langs": form_langs(project), "kinds": KINDS, "cases": CASES,
                "flags": FLAGS, "pos": POS, "version": version(project.root, concept_id)}  # fmt: skip

    async def glossary(request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        try:
            project = site.project()
            rows, loose = table(project, query)
        except BrochureError as exc:
            return render("error.html", 400, message=str(exc))
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        page = min(max(int_param(request.query_params.get("page"), 1), 1), pages)
        shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        return render("glossary.html", **context(project), rows=shown, loose=loose, q=query,
                      page=page, pages=pages, total=len(rows))  # fmt: skip

    async def concept(request: Request) -> Response:
        cid = request.path_params["cid"]
        try:
            project = site.project()
            termbase = load_termbase(project)
            found = termbase.get(cid)
            if found is None:
                return render("error.html", 404, message=f"{cid!r}: no such concept")
            rows, _ = table(project, "")
            row = next(r for r in rows if r.concept.id == cid)
            used = uses(project, termbase, cid, GRID_PAGE_SIZE)
        except BrochureError as exc:
            return render("error.html", 400, message=str(exc))
        return render("concept.html", **context(project, cid), row=row, cells=found.to_row(),
                      uses=used, new=False)  # fmt: skip

    async def new(request: Request) -> Response:
        try:
            project = site.project()
        except BrochureError as exc:
            return render("error.html", 400, message=str(exc))
        return render("concept.html", **context(project), row=None, cells={}, uses=[], new=True)

    async def save(request: Request) -> Response:
        try:
            action, cid, fields, seen = _fields(await request.json())
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, 400)
        try:
            new_version, cid = apply(root, action, cid, fields, seen)
        except Conflict as exc:
            return JSONResponse(exc.reply(), 409)
        except BrochureError as exc:
            return JSONResponse({"error": str(exc)}, 400)
        current = load_termbase(root).get(cid)
        return JSONResponse({"version": new_version, "id": cid,
                             "concept": current.to_row() if current else None})  # fmt: skip

    return [
        Route("/glossary", glossary),
        Route("/glossary/new", new),
        Route("/glossary/concept/{cid}", concept),
        Route("/api/glossary", save, methods=["POST"]),
    ]
