"""The workbench application: the project's index page, and the routes of each page's module
(unit.py: the segment grid and unit editing; context.py: the context of the unit being edited;
glossary_page.py: the glossary editor; status_page.py: status, rebuild, preview and proof),
behind the security guard.

Each handler loads the project, calls a stage, renders; site.py holds what they share.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from brochure.core.errors import BrochureError
from brochure.workbench import context, glossary_page, status_page, unit
from brochure.workbench.security import Guard, Secrets
from brochure.workbench.site import HERE, Site, target_languages


def make_app(root: Path, keys: Secrets) -> Guard:
    """The workbench application for the project in `root`, behind its security guard."""
    site = Site.make(root, keys)

    async def index(request: Request) -> Response:
        try:
            proj = site.project()
        except BrochureError as exc:
            return site.error_page(exc)
        from brochure.store.status import project_status

        # each document's progress in each language (the counts `brochure status` prints; the
        # check's errors are the status page's: it runs the check)
        progress = {(r["document"], r["lang"]): r for r in project_status(proj)["documents"]}
        return site.render("index.html", project=proj, langs=target_languages(proj),
                           progress=progress)  # fmt: skip

    routes = [
        Route("/", index),
        *unit.routes(site),
        *context.routes(site),
        *glossary_page.routes(site),
        *status_page.routes(site),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Guard(Starlette(routes=routes), keys)
