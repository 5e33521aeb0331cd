"""The context of the unit being edited: its glossary concepts with the approved target terms and
their forms, the forbidden terms in the target as it is typed, the best memory matches, and a
machine draft on request. Each answer comes from the stage that owns the rule (glossary match,
morphology and enforcement, memory index, engines, translate's drafting); nothing is written.

Forbidden terms are found by the server as the translator types (the page asks after a pause):
the glossary matches inflected forms through its morphology (pymorphy3 for Russian, suffix rules
for Kazakh), which the page could only repeat by writing those rules a second time.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from brochure.core.datamodel import RichText
from brochure.core.errors import BrochureError
from brochure.glossary.load import load_termbase
from brochure.sources.markdown_out import rich_markdown
from brochure.sources.text import parse_inline
from brochure.workbench.site import NotFound, Site, find, json_error, json_fields
from brochure.workbench.unit import pieces

if TYPE_CHECKING:
    from starlette.requests import Request

    from brochure.core.project import Project
    from brochure.engines import Engine
    from brochure.glossary.termbase import Termbase
    from brochure.store.xliff import Unit

MEMORY_MATCHES = 5  # the best memory matches shown for a unit


def routes(site: Site) -> list[Route]:
    """The context panel's API: concepts, memory and MT state; live check; machine draft."""
    engines = EngineCache()

    def load_unit(doc: str, lang: str, uid: str) -> tuple[Project, Any, str, Unit]:
        from brochure.store.edit import open_synced
        from brochure.store.xliff import open_store

        proj = site.project()
        document, lang = find(proj, doc, lang)
        # A unit's id is made from its source text, so the unit as saved has the right source:
        # reading the file is enough (10x faster than segmenting the document to sync it, which
        # matters for a check asked at every pause in typing); a unit not saved yet needs the sync.
        unit = open_store(proj, document, lang).get(uid)
        if unit is None or unit.stale:
            unit = open_synced(proj, document, lang).get(uid)
        if unit is None or unit.stale:
            raise NotFound(f"{uid!r}: not a segment of {document.name}")
        return proj, document, lang, unit

    def context(doc: str, lang: str, uid: str) -> dict[str, Any]:
        proj, document, lang, unit = load_unit(doc, lang, uid)
        termbase = load_termbase(proj)
        own = f"translations/{document.name}.{lang}.xlf"
        return {
            "id": unit.id,
            "concepts": concepts(termbase, unit.source.text, proj.source_language, lang),
            "memory": memory(proj, unit, lang, own),
            "mt": engines.state(proj, lang),
        }

    async def get_context(request: Request) -> Response:
        params = request.query_params
        try:
            body = await run_in_threadpool(
                context, params.get("doc", ""), params.get("lang", ""), params.get("id", "")
            )
        except BrochureError as exc:
            return json_error(exc)
        return JSONResponse(body)

    def check(doc: str, lang: str, uid: str, target: str) -> dict[str, Any]:
        from brochure.glossary.enforce import evaluate, source_concepts

        proj, _, lang, unit = load_unit(doc, lang, uid)
        termbase = load_termbase(proj)
        rich = parse_inline(target)
        found = source_concepts(termbase, unit.source.text, proj.source_language)
        forbidden = evaluate(termbase, found, rich.text, lang).forbidden
        marks = tuple((m.start, m.end, "forbidden") for m in forbidden)
        return {
            "pieces": pieces(rich, marks),
            "forbidden": [forbidden_json(termbase, m, lang) for m in forbidden],
        }

    async def post_check(request: Request) -> Response:
        try:
            doc, lang, uid, target = await json_fields(request, ("doc", "lang", "id", "target"))
            body = await run_in_threadpool(check, doc, lang, uid, target)
        except BrochureError as exc:
            return json_error(exc)
        return JSONResponse(body)

    def draft(doc: str, lang: str, uid: str) -> dict[str, Any]:
        from brochure.translate.fill import draft_segment

        proj, _, lang, unit = load_unit(doc, lang, uid)
        engine = engines.get(proj, lang)
        made = draft_segment(proj, unit.source, lang, engine=engine,
                             termbase=load_termbase(proj))  # fmt: skip
        return {
            "engine": made.engine,
            "hypotheses": [
                {"text": h.text, "score": round(h.score, 3), "chosen": i == made.chosen}
                for i, h in enumerate(made.hypotheses)
            ],  # fmt: skip
            "draft": rich_markdown(made.target),
            "notes": made.notes,
        }

    async def post_draft(request: Request) -> Response:
        try:
            doc, lang, uid = await json_fields(request, ("doc", "lang", "id"))
            body = await run_in_threadpool(draft, doc, lang, uid)
        except BrochureError as exc:
            return json_error(exc)
        return JSONResponse(body)

    return [
        Route("/api/context", get_context),
        Route("/api/check", post_check, methods=["POST"]),
        Route("/api/draft", post_draft, methods=["POST"]),
    ]


def concepts(termbase: Termbase, source: str, src_lang: str, lang: str) -> list[dict[str, Any]]:
    """The glossary concepts found in `source`: their approved and forbidden terms in `lang`, the
    preferred term in the form its source word suggests, and the forms the glossary knows."""
    from brochure.glossary.enforce import source_concepts
    from brochure.glossary.morph import inflect_as_source, paradigm

    out = []
    for cid, m in source_concepts(termbase, source, src_lang).items():
        concept = termbase.get(cid)
        if concept is None:
            continue
        if concept.do_not_translate:  # kept as written in the source
            suggested, forms = m.term.text, []
        else:
            suggested = inflect_as_source(concept, lang, src_lang, m.text, m.term.text)
            forms = [
                {"tags": tags, "form": markdown(form)} for tags, form in paradigm(concept, lang)
            ]
        out.append({
            "id": cid,
            "source": m.text,
            "approved": list(concept.approved(lang)),
            "forbidden": list(concept.forbidden.get(lang, ())),
            "insert": markdown(suggested) if suggested else "",
            "forms": forms,
            "do_not_translate": concept.do_not_translate,
            "note": concept.note,
        })  # fmt: skip
    return out


def memory(project: Project, unit: Unit, lang: str, own: str) -> list[dict[str, Any]]:
    """The best memory matches for the unit's source, with score and origin (file:line); the
    unit's own entry in its translation file is left out."""
    from brochure.memory.index import Memory

    with Memory.open(project) as mem:
        found = mem.lookup(unit.source.text, project.source_language, lang,
                           limit=MEMORY_MATCHES + 1)  # fmt: skip
    own_target = unit.target.text if unit.target is not None else None
    matches = [
        m for m in found
        if not (m.origin == own and m.source == unit.source.text and m.target == own_target)
    ]  # fmt: skip
    return [{"score": m.score, "source": m.source, "target": markdown(m.target),
             "origin": f"{m.origin}:{m.line}" if m.line else m.origin}
            for m in matches[:MEMORY_MATCHES]]  # fmt: skip


def forbidden_json(termbase: Termbase, m: Any, lang: str) -> dict[str, Any]:
    """A forbidden term found in a target: where, which concept, and the term to use instead."""
    from brochure.glossary.morph import inflect_like

    concept = termbase.get(m.concept)
    use = ""
    if concept is not None and concept.preferred.get(lang):
        use = inflect_like(concept, lang, m.text, m.term.text)
    return {"start": m.start, "end": m.end, "text": m.text, "concept": m.concept, "use": use}


def markdown(text: str) -> str:
    """Plain text as the Markdown the target box holds (its * and _ escaped)."""
    return rich_markdown(RichText(text))


class EngineCache:
    """The MT engines made so far, one per target language and settings, kept for the run: a
    model is loaded once, not on every request. A language without an installed model is asked
    again each time (one may be installed meanwhile)."""

    def __init__(self) -> None:
        self._engines: dict[tuple[str, str], Engine] = {}
        self._lock = threading.Lock()

    def get(self, project: Project, lang: str) -> Engine:
        """The engine brochure.toml configures for `lang`; BrochureError when there is none."""
        from brochure.engines import create_engine
        from brochure.engines.config import settings_for
        from brochure.engines.packages import models_dir

        settings = settings_for(project, lang)
        if settings.engine == "none":
            raise BrochureError(f'{lang}: MT is off in brochure.toml ([mt] engine = "none")')
        key = (lang, f"{settings!r}|{models_dir(project)}")
        with self._lock:
            if key not in self._engines:
                self._engines[key] = create_engine(project, project.source_language, lang)
            return self._engines[key]

    def state(self, project: Project, lang: str) -> dict[str, Any]:
        """Whether a machine draft can be made for `lang`: the engine, or why not."""
        try:
            return {"available": True, "engine": self.get(project, lang).signature()}
        except BrochureError as exc:
            return {"available": False, "message": str(exc)}
