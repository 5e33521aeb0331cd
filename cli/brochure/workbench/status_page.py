"""The workbench's status page: each document's and edition's progress (`brochure status`), and
per edition a rebuild (the incremental build of `brochure build`/`preview`), the page where a
unit lands as an image (`brochure preview`), the proof report of its PDF (`brochure proof`) and
its built files to open or download (PDF, DOCX, EPUB).

A rebuild runs in a worker thread (the server keeps answering) and one at a time. Editions,
documents and units are looked up by name among the project's own; the image's file name is made
here from the edition, never taken from the request, and a built file is served only when its name
is one of the files the edition writes (brochure.toml's formats), from build/ inside the project.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from brochure.core.errors import BrochureError
from brochure.core.project import EditionSpec, Project, load_project
from brochure.workbench.site import NotFound, Site, json_error

BUSY = "a rebuild is running already: wait for it to finish"
PREVIEW_DPI = 110


def status(project: Project) -> dict[str, Any]:
    """What `brochure status` reports (its own code), plus each edition's built PDF."""
    from brochure.check.qa import errors_by_lang
    from brochure.store.status import CLASSES, project_status

    data = project_status(project, check_errors=errors_by_lang)
    for info in data["next_build"]["editions"]:
        spec = project.edition(info["edition"])
        pdf = _pdf(project, spec)
        info["languages"] = " | ".join(spec.languages)
        info["layout"] = spec.layout
        info["pdf"] = pdf.name if pdf is not None and pdf.is_file() else ""
    data["classes"] = CLASSES
    return data


def _pdf(project: Project, spec: EditionSpec) -> Path | None:
    """The edition's screen PDF (else its print PDF), None when it writes no PDF."""
    from brochure.pipeline.proof import pdf_path

    return pdf_path(project, spec) if "pdf" in spec.formats else None


# How a built file is served: its media type, and whether a browser shows it (a PDF) or saves it.
MEDIA = {
    ".pdf": ("application/pdf", "inline"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "attachment",
    ),
    ".epub": ("application/epub+zip", "attachment"),
}


def built_files(project: Project, spec: EditionSpec) -> list[dict[str, str]]:
    """The files of the edition that are built (in brochure.toml's order): name and size."""
    files = []
    for _, _, name in spec.output_files():
        path = _built(project, spec, name)
        if path is not None:
            files.append({"name": name, "size": _size(path.stat().st_size)})
    return files


def _built(project: Project, spec: EditionSpec, name: str) -> Path | None:
    """build/`name` when the edition writes a file of that name and it is built (a real file
    inside the project), else None."""
    from brochure.core.paths import real_inside

    if name not in {n for _, _, n in spec.output_files()}:
        return None
    path = real_inside(project.root, project.build_dir / name)
    return path if path is not None and path.is_file() else None


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1e3))} KB"


@dataclass(frozen=True)
class UnitChoice:
    document: str
    unit: str
    label: str


def units(project: Project, document: str) -> list[UnitChoice]:
    """The units of `document` (by name) to choose from, in order, with their source text."""
    from brochure.segmentation.documents import segment_source

    spec = next((d for d in project.documents if d.name == document), None)
    if spec is None:
        raise NotFound(f"{document!r}: no such document in this project")
    segments = segment_source(project, spec).segments
    return [UnitChoice(spec.name, s.id, _short(s.text)) for s in segments]


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def unit_texts(project: Project, spec: EditionSpec, document: str, uid: str) -> list[str]:
    """The unit's text in each language of the edition (the source, the stores' targets)."""
    from brochure.store.edit import open_synced

    doc = next((d for d in project.documents if d.name == document), None)
    if doc is None:
        raise NotFound(f"{document!r}: no such document in this project")
    texts = []
    for lang in spec.languages:
        if lang == project.source_language:
            store = open_synced(project, doc, project.target_languages[0])
            unit = store.get(uid)
            texts.append(unit.source.text if unit is not None else "")
        else:
            unit = open_synced(project, doc, lang).get(uid)
            texts.append(unit.target.text if unit is not None and unit.target is not None else "")
        if unit is None or unit.stale:
            raise NotFound(f"{uid!r}: not a unit of {document}")
    return texts


def unit_page(project: Project, spec: EditionSpec, document: str, uid: str) -> int | None:
    """The page of the edition's built PDF where the unit starts (None: not built, not found)."""
    from brochure.outputs.preview import page_of

    pdf = _pdf(project, spec)
    if pdf is None or not pdf.is_file():
        return None
    return page_of(pdf, unit_texts(project, spec, document, uid))


def page_image(project: Project, spec: EditionSpec, page: int) -> Path:
    """Render page `page` of the edition's built PDF as `brochure preview` does (build/preview/)."""
    from brochure.core.errors import LayoutError
    from brochure.outputs.preview import render_pngs

    pdf = _pdf(project, spec)
    if pdf is None or not pdf.is_file():
        raise LayoutError(f"edition {spec.name!r} has no PDF yet: rebuild it")
    return render_pngs(pdf, project.build_dir / "preview", str(page), dpi=PREVIEW_DPI)[0]


def proof(project: Project, spec: EditionSpec) -> list[Any]:
    """The proof reports (`brochure proof`) of the edition's built PDFs; [] when there is none."""
    from brochure.pipeline.proof import proof_project

    pdf = _pdf(project, spec)
    if pdf is None or not all((project.build_dir / spec.pdf_file(v)).is_file() for v in spec.pdf):
        return []
    return proof_project(project, [spec.name])


class Rebuilds:
    """One rebuild at a time, off the event loop."""

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def run(self, root: Path, edition: str) -> list[str]:
        """Build the edition as `brochure preview` does (only what changed); with translations
        missing, as `brochure preview --draft` (marked, the pages printed DRAFT). The names of the
        files written; Busy when a rebuild is running."""
        from brochure.core.errors import MissingTranslations
        from brochure.pipeline.build import build_project

        if not self.lock.acquire(blocking=False):
            raise Busy(BUSY)
        try:
            project = load_project(root)
            spec = project.edition(edition)
            try:
                written = build_project(project, editions=[spec.name])
            except MissingTranslations:  # raised before anything is laid out
                written = build_project(project, editions=[spec.name], draft=True)
            return [p.name for p in written]
        finally:
            self.lock.release()


class Busy(BrochureError):
    """A rebuild is running."""


def _edition(project: Project, name: str) -> EditionSpec:
    spec = next((e for e in project.editions if e.name == name), None)
    if spec is None:
        raise NotFound(f"{name!r}: no such edition in this project")
    return spec


def routes(site: Site) -> list[Route]:
    """The status page, the edition pages and the rebuild API."""
    render, root = site.render, site.root
    rebuilds = Rebuilds()

    async def overview(request: Request) -> Response:
        try:
            project = site.project()
            data = await run_in_threadpool(status, project)
        except BrochureError as exc:
            return site.error_page(exc)
        return render("status.html", project=project, progress=data)

    async def edition(request: Request) -> Response:
        document = request.query_params.get("doc", "")
        uid = request.query_params.get("unit", "")
        try:
            project = site.project()
            spec = _edition(project, request.path_params["edition"])
            document = document or project.documents[0].name
            choices = units(project, document)
            uid = uid or (choices[0].unit if choices else "")
            page = await run_in_threadpool(unit_page, project, spec, document, uid) if uid else None
            reports = await run_in_threadpool(proof, project, spec)
        except BrochureError as exc:
            return site.error_page(exc)
        info = next(e for e in status_of(project) if e["edition"] == spec.name)
        return render("edition.html", project=project, spec=spec, info=info, document=document,
                      unit=uid, choices=choices, page=page, reports=reports,
                      files=built_files(project, spec))  # fmt: skip

    def status_of(project: Project) -> list[dict[str, Any]]:
        editions: list[dict[str, Any]] = status(project)["next_build"]["editions"]
        return editions

    async def image(request: Request) -> Response:
        try:
            project = site.project()
            spec = _edition(project, request.path_params["edition"])
            page = int(request.path_params["page"])
            path = await run_in_threadpool(page_image, project, spec, page)
        except BrochureError as exc:
            return Response(str(exc), 404 if isinstance(exc, NotFound) else 400)
        return Response(path.read_bytes(), media_type="image/png",
                        headers={"Cache-Control": "no-store"})  # fmt: skip

    async def built(request: Request) -> Response:
        """One of the edition's built files, by its name: a PDF shown, a DOCX or EPUB saved."""
        from starlette.responses import FileResponse

        try:
            project = site.project()
            spec = _edition(project, request.path_params["edition"])
        except BrochureError as exc:
            return Response(str(exc), 404 if isinstance(exc, NotFound) else 400)
        name = request.path_params["name"]
        path = _built(project, spec, name)
        if path is None:
            return Response(f"{name!r}: not a built file of edition {spec.name!r}", 404)
        media, disposition = MEDIA.get(
            path.suffix.lower(), ("application/octet-stream", "attachment")
        )
        return FileResponse(path, media_type=media, filename=name,
                            content_disposition_type=disposition,
                            headers={"Cache-Control": "no-store"})  # fmt: skip

    async def rebuild(request: Request) -> Response:
        try:
            data = await request.json()
            name, document, uid = (data.get(k, "") for k in ("edition", "doc", "unit"))
        except (ValueError, AttributeError):
            return JSONResponse({"error": "expected JSON: edition, doc, unit"}, 400)
        if not all(isinstance(v, str) for v in (name, document, uid)):
            return JSONResponse({"error": "edition, doc and unit must be strings"}, 400)
        try:
            project = site.project()
            spec = _edition(project, name)
            if uid:
                unit_texts(project, spec, document, uid)  # an unknown unit fails before building
            written = await run_in_threadpool(rebuilds.run, root, spec.name)
            page = await run_in_threadpool(unit_page, project, spec, document, uid) if uid else None
        except Busy as exc:
            return JSONResponse({"error": str(exc)}, 409)
        except BrochureError as exc:
            return json_error(exc)
        pdf = _pdf(project, spec)
        built = pdf.name if pdf is not None and pdf.is_file() else ""
        return JSONResponse({"written": written, "page": page, "pdf": built,
                             "files": built_files(project, spec)})  # fmt: skip

    return [
        Route("/status", overview),
        Route("/status/{edition}", edition),
        Route("/preview/{edition}/{page:int}.png", image),
        Route("/files/{edition}/{name}", built),
        Route("/api/rebuild", rebuild, methods=["POST"]),
    ]
