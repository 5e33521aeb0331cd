"""The segment grid and unit editing: filters, saving a unit (its inline markup written as
Markdown), each unit's `brochure check` problems. Every write goes through store/edit.py.

A target is edited as one line of inline Markdown (`_emphasis_`, `**strong**`, `[a note]`): the
sources reader's own parser turns it into the spans the store keeps, and the sources writer turns
the stored spans back into Markdown, so emphasis and notes survive an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from brochure.core.datamodel import RichText
from brochure.core.errors import BrochureError
from brochure.core.memo import Memo
from brochure.core.text import search_form
from brochure.glossary.load import load_termbase
from brochure.sources.markdown_out import rich_markdown
from brochure.sources.text import parse_inline
from brochure.store.xliff import APPROVED, STATES, TranslationFile, Unit, UnitFacts, unit_content
from brochure.workbench.site import Site, find, int_param, json_error, json_fields

if TYPE_CHECKING:
    from starlette.requests import Request

    from brochure.core.project import DocumentSpec, Project
    from brochure.glossary.termbase import Termbase

PAGE_SIZE = 100  # units per page of the grid
STATE_FILTERS = ("todo", *STATES)  # "todo": not yet reviewed or final
# The origins a unit's target can have (brochure:origin), grouped as a translator thinks of them:
# an MT draft, a memory match (exact or fuzzy), or a person's (typed, or aligned from an existing
# human translation). "none": no target yet.
ORIGIN_FILTERS = {
    "machine": ("mt",),
    "memory": ("memory", "memory-fuzzy"),
    "human": ("human", "align"),
    "none": ("",),
}
CONFLICT = (
    "This unit was changed on disk since the page loaded it (by the CLI, an editor, an import "
    "or another workbench page); nothing was saved. Theirs is shown here; yours is kept below."
)


def routes(site: Site) -> list[Route]:
    """The grid page and the unit-saving API."""

    async def segments(request: Request) -> Response:
        from brochure.store.edit import open_synced, unit_version

        params = request.query_params
        wanted = params.get("doc")
        if wanted and wanted != request.path_params["doc"]:  # the document filter: its own page
            rest = urlencode([(k, v) for k, v in params.multi_items() if k not in ("doc", "page")])
            path = (
                f"/segments/{quote(wanted, safe='')}/{quote(request.path_params['lang'], safe='')}"
            )
            return RedirectResponse(f"{path}?{rest}", 303)
        try:
            proj = site.project()
            document, lang = find(proj, request.path_params["doc"], request.path_params["lang"])
            store = open_synced(proj, document, lang)
        except BrochureError as exc:
            return site.error_page(exc)
        state, origin = params.get("state", ""), params.get("origin", "")
        query, problem = params.get("q", "").strip(), params.get("problem", "") == "1"
        termbase = load_termbase(proj)

        def problems(uid: str, content: tuple, unit: Unit | None = None) -> list[dict[str, str]]:
            return _memo_problems(termbase, proj, document, lang, uid, content,
                                  lambda: unit or store.get(uid))  # fmt: skip

        if state or origin or query or problem:  # from the store's facts: no unit read again
            units = [f.id for f in store.facts() if _matches(f, state, origin, query)
                     and (not problem or _open_problems(problems(f.id, f.content)))]  # fmt: skip
        else:  # no filter: only the page's units are read and checked
            units = store.ids(include_stale=False)
        pages = max(1, -(-len(units) // PAGE_SIZE))
        page = min(max(int_param(params.get("page"), 1), 1), pages)
        # Alt+Down/Up or Ctrl+Enter past this page's edge: the page of the unit next to the one
        # left, found now (edits may have taken units out of the filter: "to do" units confirmed
        # on the page left would shift a page number, and units would be skipped unseen)
        focus = ""
        anchor = params.get("after") or params.get("before")
        if anchor:
            focus = _next_unit(store, units, anchor, after="after" in params,
                               todo=params.get("next") == "todo")  # fmt: skip
            if focus:
                page = units.index(focus) // PAGE_SIZE + 1
        shown = [store.get(uid) for uid in units[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
        rows = [
            {"unit": u, "version": unit_version(u), "origin": u.meta.get("origin", ""),
             "markdown": rich_markdown(u.target) if u.target is not None else "",
             "source": pieces(u.source), "target": pieces(u.target) if u.target else [],
             "problems": problems(u.id, unit_content(u), u)}
            for u in shown if u is not None
        ]  # fmt: skip
        filters = {"state": state, "origin": origin, "q": query, "problem": "1" if problem else ""}
        return site.render(
            "segments.html", project=proj, document=document, lang=lang, rows=rows,
            states=STATES, state_filters=STATE_FILTERS, origin_filters=ORIGIN_FILTERS,
            filters=filters, page=page, pages=pages, total=len(units), focus=focus,
            query_string=urlencode({k: v for k, v in filters.items() if v}),
        )  # fmt: skip

    async def save_unit(request: Request) -> Response:
        from brochure.store.edit import edit_unit

        try:
            fields = await json_fields(request, ("doc", "lang", "id", "target", "state", "version"))
            doc, lang, uid, target, state, version = fields
            proj = site.project()
            document, lang = find(proj, doc, lang)
            result = edit_unit(proj, document, lang, uid, parse_inline(target), state, version)
        except BrochureError as exc:
            return json_error(exc)
        body = unit_json(result.unit, result.version)
        body["problems"] = unit_problems(load_termbase(proj), proj, document, lang, result.unit)
        if result.conflict:
            body["error"] = CONFLICT
            return JSONResponse(body, 409)
        return JSONResponse(body)

    return [
        Route("/segments/{doc}/{lang}", segments),
        Route("/api/unit", save_unit, methods=["POST"]),
    ]


def _next_unit(
    store: TranslationFile, units: list[str], anchor: str, *, after: bool, todo: bool
) -> str:
    """The unit of `units` (the filtered list) next after (or before) unit `anchor` in the
    document, preferring one not yet reviewed or final when `todo`; "" when there is none."""
    order = {uid: i for i, uid in enumerate(store.ids(include_stale=False))}
    if anchor not in order:
        return ""
    at = order[anchor]
    near = [u for u in units if (order.get(u, -1) > at if after else -1 < order.get(u, -1) < at)]
    if not after:
        near.reverse()
    if todo:
        states = {f.id: f.state for f in store.facts()}
        near = [u for u in near if states.get(u) not in APPROVED] or near
    return near[0] if near else ""


def _matches(unit: UnitFacts, state: str, origin: str, query: str) -> bool:
    if state == "todo" and unit.state in APPROVED:
        return False
    if state in STATES and unit.state != state:
        return False
    if origin in ORIGIN_FILTERS and unit.origin not in ORIGIN_FILTERS[origin]:
        return False
    if query:
        q = search_form(query)
        return q in unit.source or q in unit.target
    return True


# The check problems of units as the grid showed them, by everything they depend on (the
# glossary's digest, the languages, the unit's id and content): the problem filter needs them for
# every unit, and a unit or glossary that changes has another key.
_PROBLEMS: Memo[list[dict[str, str]]] = Memo(20_000)


def _memo_problems(
    termbase: Termbase, project: Project, document: DocumentSpec, lang: str, uid: str,
    content: tuple, read: Callable[[], Unit | None],
) -> list[dict[str, str]]:  # fmt: skip
    if not termbase.digest:  # a termbase not read from files: nothing to key it by
        unit = read()
        return unit_problems(termbase, project, document, lang, unit) if unit is not None else []
    key = (termbase.digest, len(termbase.concepts), project.source_language, document.name, lang,
           uid, content)  # fmt: skip
    known = _PROBLEMS.get(key)
    if known is not None:
        return known
    unit = read()
    found = unit_problems(termbase, project, document, lang, unit) if unit is not None else []
    _PROBLEMS.put(key, found)
    return found


def unit_problems(
    termbase: Termbase, project: Project, document: DocumentSpec, lang: str, unit: Unit
) -> list[dict[str, str]]:
    """What `brochure check` finds in this unit's translation: code, severity ("accepted" for a
    warning a translator accepted) and message."""
    from brochure.check.qa import unit_issues

    issues = unit_issues(termbase, project.source_language, document.name, lang, unit.id,
                         unit.source, unit)  # fmt: skip
    return [{"code": i.code, "severity": "accepted" if i.accepted else i.severity,
             "message": i.message} for i in issues]  # fmt: skip


def _open_problems(problems: list[dict[str, str]]) -> bool:
    return any(p["severity"] != "accepted" for p in problems)


def pieces(rich: RichText, marks: tuple[tuple[int, int, str], ...] = ()) -> list[dict[str, Any]]:
    """A text cut where its spans (and `marks`: start, end, class) begin and end: each piece with
    the classes covering it, for the page to show emphasis, notes and marked terms as text."""
    ranges = [(s.start, s.end, s.kind) for s in rich.spans] + list(marks)
    cuts = sorted({0, len(rich.text), *(r[0] for r in ranges), *(r[1] for r in ranges)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        kinds = sorted({kind for a, b, kind in ranges if a <= start and end <= b})
        out.append({"text": rich.text[start:end], "kinds": kinds})
    return out


def unit_json(unit: Unit, version: str) -> dict[str, Any]:
    """A unit as the page shows it: its target as Markdown and as pieces, state, origin, version."""
    target = unit.target if unit.target is not None else RichText("")
    return {
        "id": unit.id,
        "target": rich_markdown(target),
        "pieces": pieces(target),
        "state": unit.state,
        "origin": unit.meta.get("origin", ""),
        "version": version,
    }
