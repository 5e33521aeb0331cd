"""What every page of the workbench shares: the project folder, the secrets, the templates, and
looking documents and languages up by name.

Documents and languages are looked up by name among the project's own, never turned into paths,
so no request can reach a file outside the project. Templates autoescape everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.responses import HTMLResponse, JSONResponse

from brochure.core.errors import BrochureError
from brochure.core.project import DocumentSpec, Project, load_project
from brochure.workbench.security import Secrets

if TYPE_CHECKING:
    from jinja2 import Environment
    from starlette.requests import Request

HERE = Path(__file__).resolve().parent
HEADERS = {
    # no inline script or style, nothing from elsewhere; the token in the URL goes nowhere
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class NotFound(BrochureError):
    """A document, language or unit the project does not have."""


@dataclass(frozen=True)
class Site:
    """The project's folder, this run's secrets and the page templates."""

    root: Path
    keys: Secrets
    env: Environment

    @classmethod
    def make(cls, root: Path, keys: Secrets) -> Site:
        """The site for the project in `root`: templates from the package, autoescaped."""
        from jinja2 import Environment, FileSystemLoader

        return cls(root, keys, Environment(loader=FileSystemLoader(HERE / "templates"),
                                           autoescape=True))  # fmt: skip

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page from template `name`, with the token and CSRF token and the safe headers."""
        html = self.env.get_template(name).render(
            token=self.keys.token, csrf=self.keys.csrf, **context
        )
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def error_page(self, exc: BrochureError) -> HTMLResponse:
        """The error page for `exc` (404 for what the project does not have)."""
        return self.render(
            "error.html", 404 if isinstance(exc, NotFound) else 400, message=str(exc)
        )

    def project(self) -> Project:
        """The project as it is on disk now (every request sees the CLI's changes)."""
        return load_project(self.root)


def json_error(exc: BrochureError) -> JSONResponse:
    """`{"error": ...}` for `exc` (404 for what the project does not have, else 400)."""
    return JSONResponse({"error": str(exc)}, 404 if isinstance(exc, NotFound) else 400)


async def json_fields(request: Request, names: tuple[str, ...]) -> list[str]:
    """The string fields `names` of the request's JSON body, in order (NotFound never: a
    BrochureError with the fields expected when the body is not that)."""
    try:
        data = await request.json()
        fields = [data[k] for k in names]
    except (ValueError, KeyError, TypeError):
        raise BrochureError(f"expected JSON: {', '.join(names)}") from None
    if not all(isinstance(f, str) for f in fields):
        raise BrochureError("every field must be a string")
    return fields


def find(project: Project, doc: str, lang: str) -> tuple[DocumentSpec, str]:
    """The project's document named `doc` and its target language `lang`, or NotFound."""
    document = next((d for d in project.documents if d.name == doc), None)
    if document is None:
        raise NotFound(f"{doc!r}: no such document in this project")
    if lang not in target_languages(project):
        raise NotFound(f"{lang!r}: not a target language of this project")
    return document, lang


def target_languages(project: Project) -> list[str]:
    """The languages the project translates into (its source language left out)."""
    return [lang for lang in project.target_languages if lang != project.source_language]


def int_param(value: str | None, default: int) -> int:
    """A query parameter as a number, `default` when absent or not a number."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
