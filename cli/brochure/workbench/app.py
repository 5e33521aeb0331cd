"""The workbench's pages and API: each handler loads the project, calls the store, renders.

Documents and languages are looked up by name among the project's own, never turned into paths,
so no request can reach a file outside the project. Templates autoescape everything.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from brochure.core.errors import BrochureError
from brochure.core.project import DocumentSpec, Project, load_project
from brochure.glossary.load import load_termbase
from brochure.store.xliff import APPROVED, STATES, Unit
from brochure.workbench.security import Guard, Secrets

if TYPE_CHECKING:
    from brochure.glossary.termbase import Termbase

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 100  # units per page of the grid
FILTERS = ("todo", *STATES)  # "todo": not yet reviewed or final
HEADERS = {
    # no inline script or style, nothing from elsewhere; the token in the URL goes nowhere
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def make_app(root: Path, keys: Secrets) -> Guard:
    """The workbench application for the project in `root`, behind its security guard."""
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(token=keys.token, csrf=keys.csrf, **context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def project() -> Project:
        return load_project(root)

    async def index(request: Request) -> Response:
        try:
            proj = project()
        except BrochureError as exc:
            return render("error.html", 400, message=str(exc))
        langs = [lang for lang in proj.target_languages if lang != proj.source_language]
        return render("index.html", project=proj, langs=langs)

    async def segments(request: Request) -> Response:
        from brochure.store.edit import open_synced, unit_version

        try:
            proj = project()
            document, lang = _find(proj, request.path_params["doc"], request.path_params["lang"])
            store = open_synced(proj, document, lang)
        except BrochureError as exc:
            return render("error.html", 404 if isinstance(exc, NotFound) else 400, message=str(exc))
        state = request.query_params.get("state", "")
        query = request.query_params.get("q", "").strip()
        units = [u for u in store.units() if _matches(u, state, query)]
        pages = max(1, -(-len(units) // PAGE_SIZE))
        page = min(max(_int(request.query_params.get("page"), 1), 1), pages)
        shown = units[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        termbase = load_termbase(proj)
        rows = [
            {"unit": u, "version": unit_version(u), "origin": u.meta.get("origin", ""),
             "problems": _problems(termbase, proj, document, lang, u)}
            for u in shown
        ]  # fmt: skip
        return render(
            "segments.html", project=proj, document=document, lang=lang, rows=rows,
            states=STATES, filters=FILTERS, state=state, q=query, page=page, pages=pages,
            total=len(units),
        )  # fmt: skip

    async def save_unit(request: Request) -> Response:
        from brochure.store.edit import edit_unit

        try:
            data = await request.json()
            fields = [data[k] for k in ("doc", "lang", "id", "target", "state", "version")]
        except (ValueError, KeyError, TypeError):
            return JSONResponse(
                {"error": "expected JSON: doc, lang, id, target, state, version"}, 400
            )
        if not all(isinstance(f, str) for f in fields):
            return JSONResponse({"error": "every field must be a string"}, 400)
        doc, lang, uid, target, state, version = fields
        try:
            proj = project()
            document, lang = _find(proj, doc, lang)
            result = edit_unit(proj, document, lang, uid, target, state, version)
        except BrochureError as exc:
            return JSONResponse({"error": str(exc)}, 404 if isinstance(exc, NotFound) else 400)
        body = _unit_json(result.unit, result.version)
        body["problems"] = _problems(load_termbase(proj), proj, document, lang, result.unit)
        if result.conflict:
            body["error"] = (
                "This unit was changed on disk since the page loaded it (by the CLI, an editor "
                "or an import); nothing was saved. Theirs is shown here; yours is kept below."
            )
            return JSONResponse(body, 409)
        return JSONResponse(body)

    routes = [
        Route("/", index),
        Route("/segments/{doc}/{lang}", segments),
        Route("/api/unit", save_unit, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Guard(Starlette(routes=routes), keys)


class NotFound(BrochureError):
    """A document or language the project does not have."""


def _find(project: Project, doc: str, lang: str) -> tuple[DocumentSpec, str]:
    document = next((d for d in project.documents if d.name == doc), None)
    if document is None:
        raise NotFound(f"{doc!r}: no such document in this project")
    if lang not in project.target_languages or lang == project.source_language:
        raise NotFound(f"{lang!r}: not a target language of this project")
    return document, lang


def _matches(unit: Unit, state: str, query: str) -> bool:
    if state == "todo" and unit.state in APPROVED:
        return False
    if state in STATES and unit.state != state:
        return False
    if query:
        q = query.casefold()
        target = unit.target.text if unit.target is not None else ""
        return q in unit.source.text.casefold() or q in target.casefold()
    return True


def _problems(
    termbase: Termbase, project: Project, document: DocumentSpec, lang: str, unit: Unit
) -> list[dict[str, str]]:
    """What `brochure check` finds in this unit's translation (code, severity, message)."""
    from brochure.check.qa import Issue, check_segment

    target = unit.target.text if unit.target is not None else None
    found = check_segment(termbase, unit.source.text, target, project.source_language, lang)
    issues = [Issue(document.name, lang, unit.id, code, message) for code, message in found]
    return [{"code": i.code, "severity": i.severity, "message": i.message} for i in issues]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _unit_json(unit: Unit, version: str) -> dict[str, Any]:
    return {
        "id": unit.id,
        "target": unit.target.text if unit.target is not None else "",
        "state": unit.state,
        "origin": unit.meta.get("origin", ""),
        "version": version,
    }
