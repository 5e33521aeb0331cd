"""`brochure translate`: fill units that have no translation with machine drafts.

A draft gets state `translated` and records who made it (origin mt, engine, model, version) on the
unit. Reviewed and final units, and every unit with a target a person wrote, are never touched.
Engine outputs are cached in .brochure/mt.sqlite, keyed by the engine's signature and the source
text, so a segment that comes back (a reverted edit, a deleted translations file, a sentence used
twice) costs nothing the second time. Among the N-best hypotheses the glossary chooses.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brochure.core.datamodel import RichText, SegmentedDocument
from brochure.core.errors import BrochureError, Interrupted
from brochure.translate.spans import partial_pieces, transfer_spans

if TYPE_CHECKING:
    from brochure.core.project import Project
    from brochure.engines import Engine, Hypothesis
    from brochure.store.xliff import TranslationFile

log = logging.getLogger(__name__)
# Segments per engine call: large enough for CTranslate2's batches, small enough that the progress
# bar moves about PROGRESS_STEPS times on any brochure (it also moves per segment as drafts are chosen).
CHUNK = 512
MIN_CHUNK = 32
PROGRESS_STEPS = 25


@dataclass
class LangReport:
    lang: str
    engine: str = ""  # signature of the engine that drafted
    drafted: int = 0  # units that got an MT draft
    computed: int = 0  # distinct segments the engine translated (the rest came from the cache)
    parts: int = 0  # and the emphasised parts of segments it translated for their markup
    kept: int = 0  # units with a human target or an earlier draft: left alone
    approved: int = 0  # reviewed or final units: left alone
    memory_exact: int = 0  # units filled from an exact translation-memory match
    memory_fuzzy: int = 0  # units drafted from a fuzzy match above the threshold
    seconds: float = 0.0
    error: str = ""  # why this language got no machine translation (other languages go on)

    @property
    def rate(self) -> float:
        return self.computed / self.seconds if self.seconds > 0 else 0.0


@dataclass
class TranslateReport:
    langs: list[LangReport] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def drafted(self) -> int:
        return sum(r.drafted for r in self.langs)

    def summary(self) -> list[str]:
        lines = []
        for r in self.langs:
            if r.error:
                head = f"{r.lang}: no machine translation: {r.error}"
            elif r.drafted:
                parts = f" (and {r.parts} emphasised part(s), for markup)" if r.parts else ""
                speed = (
                    f", {r.computed} by the engine{parts} at {r.rate:.1f} segments/s"
                    if r.computed
                    else ", all from the MT cache"
                )
                head = f"{r.lang}: {r.drafted} segment(s) drafted by {r.engine}{speed}"
            else:
                head = f"{r.lang}: nothing to translate"
            memory = (
                f"{r.memory_exact} exact and {r.memory_fuzzy} fuzzy memory match(es); "
                if r.memory_exact or r.memory_fuzzy
                else ""
            )
            lines.append(
                f"{head}; {memory}{r.kept} already translated, {r.approved} reviewed or final left alone"
            )
        return lines

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.langs if r.error]


class MTCache:
    """Engine outputs by (engine signature, source text), in SQLite. A cache: safe to delete."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:
            log.warning("%s: unreadable MT cache, starting a new one", path)
            path.unlink(missing_ok=True)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60.0)  # another run may be writing to it
        db.execute(
            "CREATE TABLE IF NOT EXISTS mt (signature TEXT NOT NULL, source TEXT NOT NULL,"
            " hypotheses TEXT NOT NULL, PRIMARY KEY (signature, source)) WITHOUT ROWID"
        )
        return db

    def get(self, signature: str, sources: Sequence[str]) -> dict[str, list[Hypothesis]]:
        """The cached hypotheses of `sources` under one engine signature (those it has)."""
        from brochure.engines import Hypothesis

        out: dict[str, list[Hypothesis]] = {}
        unique = list(dict.fromkeys(sources))
        for i in range(0, len(unique), 500):
            part = unique[i : i + 500]
            marks = ",".join("?" * len(part))
            rows = self.db.execute(
                f"SELECT source, hypotheses FROM mt WHERE signature = ? AND source IN ({marks})",
                (signature, *part),
            )
            for source, data in rows:
                out[source] = [Hypothesis(t, s) for t, s in json.loads(data)]
        return out

    def put(self, signature: str, results: dict[str, list[Hypothesis]]) -> None:
        """Remember hypotheses under the engine signature that produced them."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO mt VALUES (?, ?, ?)",
                [(signature, src, json.dumps([[h.text, h.score] for h in hyps], ensure_ascii=False))
                 for src, hyps in results.items()],
            )  # fmt: skip

    def close(self) -> None:
        self.db.close()


def choose(
    project: Project, source: str, hyps: list[Hypothesis], src: str, tgt: str, termbase: Any = None
) -> tuple[str, list[str]]:
    """The glossary picks among the N-best hypotheses (and may repair terms); else the best one."""
    try:
        from brochure.glossary.enforce import apply_glossary
    except ImportError:  # a build without the glossary stage: the engine's best hypothesis wins
        return hyps[0].text, []
    chosen, notes = apply_glossary(project, source, [(h.text, h.score) for h in hyps], src, tgt,
                                   termbase=termbase)  # fmt: skip
    return chosen, list(notes)


def _best(found: dict[str, list[Hypothesis]], text: str) -> str:
    """The engine's best translation of `text` (the text itself if it has none)."""
    hyps = found.get(text)
    return hyps[0].text if hyps else text


@dataclass
class _Todo:
    store: TranslationFile
    uid: str
    text: str
    content: RichText | None = None  # the source with its inline spans (translate.spans)


def _carry_spans(source: RichText, draft: str) -> tuple[RichText, list[str]]:
    """A memory draft with the source's spans (tag transfer, as for MT drafts): a span over the
    whole segment covers the draft; a partial one is placed where its words (a name, a number)
    stand in the draft as they are, else named in a note for a person to place."""
    return transfer_spans(source, draft, str)


def _collect(
    project: Project, segmented: dict[str, SegmentedDocument], stores: dict[tuple[str, str], TranslationFile],
    lang: str, report: LangReport,
) -> list[_Todo]:  # fmt: skip
    todo = []
    for document in project.documents:
        store = stores.get((document.name, lang))
        if store is None:
            continue
        for seg in segmented[document.name].segments:
            unit = store.get(seg.id)
            if unit is None:
                continue
            if unit.state in ("reviewed", "final"):
                report.approved += 1
            elif unit.has_target:
                report.kept += 1
            elif seg.text.strip():
                todo.append(_Todo(store, seg.id, seg.text, seg.content))
    return todo


def _progress_bar(total: int, desc: str, show: bool | None):
    from tqdm import tqdm

    if show is None:
        show = sys.stderr.isatty()
    return tqdm(total=total, desc=desc, unit="seg", file=sys.stderr, disable=not show,
                dynamic_ncols=True, leave=True)  # fmt: skip


def fill_missing(
    project: Project, segmented: dict[str, SegmentedDocument], stores: dict[tuple[str, str], TranslationFile],
    langs: Iterable[str], *, engine_name: str | None = None, engine: Engine | None = None,
    progress: bool | None = None, create: Callable[..., Engine] | None = None,
    report: TranslateReport | None = None,
) -> TranslateReport:  # fmt: skip
    """Draft every unit of `langs` that has no target, in the given (already synced) stores.

    `engine` replaces the configured one for every language (tests pass a fake or a tiny model);
    otherwise each language gets the engine brochure.toml configures (or `engine_name`).
    An engine is created only for a language that has units to draft. `report` (filled as the
    work goes) tells a caller interrupted midway what was done.
    """
    from brochure.engines import create_engine
    from brochure.engines.config import settings_for

    create = create or create_engine
    report = report if report is not None else TranslateReport()
    # First every language's work and engine, so a missing model fails before anything is computed.
    plan = []
    for lang in langs:
        if lang == project.source_language:
            continue
        lr = LangReport(lang)
        report.langs.append(lr)
        # The translation memory comes before any engine: exact and fuzzy matches become drafts.
        from brochure.memory.index import fill_from_memory

        mem = fill_from_memory(project, stores, segmented, lang, carry=_carry_spans)
        lr.memory_exact, lr.memory_fuzzy = mem.exact, mem.fuzzy
        todo = _collect(project, segmented, stores, lang, lr)
        if not todo:
            continue
        try:
            if engine is None and settings_for(project, lang, engine_name).engine == "none":
                log.info(
                    '%s: MT is off ([mt] engine = "none"); %d segment(s) left empty',
                    lang,
                    len(todo),
                )
                continue
            eng = engine or create(project, project.source_language, lang, engine_name)
        except BrochureError as exc:
            # a misconfigured [mt.engines.kk] must not stop the Russian drafts: recorded, reported
            lr.error = str(exc)
            continue
        plan.append((lr, todo, eng))
    if not plan:
        return report
    cache = MTCache(project.cache_dir / "mt.sqlite")
    try:
        for lr, todo, eng in plan:
            _draft(project, lr, todo, eng, cache, progress)
    finally:
        cache.close()
    return report


def fill_and_save(
    project: Project, segmented: dict[str, SegmentedDocument], stores: dict[tuple[str, str], TranslationFile],
    langs: Iterable[str], **options: Any,
) -> TranslateReport:  # fmt: skip
    """fill_missing, for a command a person may stop: on Ctrl-C the drafts made so far are saved
    (each translations file atomically, under its lock) and the run ends with one line saying so,
    so minutes of machine translation are not thrown away (the rest is also in the MT cache)."""
    from brochure.core.paths import shown

    report = TranslateReport()
    try:
        return fill_missing(project, segmented, stores, langs, report=report, **options)
    except KeyboardInterrupt:
        kept = "no draft was made yet"
        if report.drafted:
            saved = [shown(store.path) for store in stores.values() if store.save()]
            kept = f"the {report.drafted} draft(s) made so far are saved in {', '.join(saved)}"
        raise Interrupted(
            f"interrupted (Ctrl-C): {kept}; run the command again to draft the rest"
        ) from None


def _draft(project: Project, lr: LangReport, todo: list[_Todo], eng: Engine, cache: MTCache,
           progress: bool | None) -> None:  # fmt: skip
    src, lang = project.source_language, lr.lang
    signature = eng.signature()
    lr.engine = signature
    meta = {"origin": "mt", "engine": eng.name, "model": eng.model, "version": eng.version}
    start = time.perf_counter()
    try:  # loaded once for the whole run, not once per segment
        from brochure.glossary.load import load_termbase

        termbase = load_termbase(project)
    except ImportError:
        termbase = None
    size = max(MIN_CHUNK, min(CHUNK, -(-len(todo) // PROGRESS_STEPS)))
    with _progress_bar(len(todo), f"{src}->{lang}", progress) as bar:
        for i in range(0, len(todo), size):
            chunk = todo[i : i + size]
            # the segments, and the texts of their partial em/strong spans (tag transfer)
            pieces = [p for t in chunk if t.content for p in partial_pieces(t.content)]
            sources = list(dict.fromkeys([*(t.text for t in chunk), *pieces]))
            found, computed = _translated(eng, cache, sources)
            segments = {t.text for t in chunk}
            lr.computed += sum(text in segments for text in computed)
            lr.parts += sum(text not in segments for text in computed)
            best = partial(_best, found)
            for t in chunk:
                text, notes = choose(project, t.text, found[t.text], src, lang, termbase)
                draft, lost = transfer_spans(t.content or RichText(t.text), text, best)
                t.store.set_target(t.uid, draft, "translated", meta=meta)
                for note in notes:
                    t.store.add_note(t.uid, note, "glossary")
                for note in lost:
                    t.store.add_note(t.uid, note, "markup")
                lr.drafted += 1
                bar.update(1)
    lr.seconds = time.perf_counter() - start


def _translated(
    eng: Engine, cache: MTCache, sources: list[str]
) -> tuple[dict[str, list[Hypothesis]], list[str]]:
    """The N-best lists of `sources` (distinct texts), from the cache or the engine (cached
    then), and the texts the engine computed."""
    signature = eng.signature()
    found = cache.get(signature, sources)
    missing = [s for s in sources if s not in found]
    if missing:
        fresh = eng.translate(missing)
        if len(fresh) != len(missing):
            raise BrochureError(
                f"MT engine {signature} returned {len(fresh)} results for {len(missing)} texts"
            )
        cache.put(signature, dict(zip(missing, fresh)))
        found.update(zip(missing, fresh))
    return found, missing


@dataclass
class Draft:
    """A machine draft of one segment: the engine's N-best list, the glossary's choice in it,
    and the draft (the choice repaired, with the source's inline markup)."""

    hypotheses: list[Hypothesis]
    chosen: int  # index in `hypotheses` of the one the glossary chose
    target: RichText
    notes: list[str]  # the glossary's repairs and problems left, markup that could not be placed
    engine: str  # the engine's signature


def draft_segment(
    project: Project, source: RichText, lang: str, *, engine: Engine, termbase: Any = None
) -> Draft:
    """A draft of one segment, as `brochure translate` would make it (the same cache, glossary
    choice and markup transfer), for a person to look at: nothing is written to the store."""
    from brochure.glossary.enforce import choose_hypothesis

    cache = MTCache(project.cache_dir / "mt.sqlite")
    try:
        sources = list(dict.fromkeys([source.text, *partial_pieces(source)]))
        found, _ = _translated(engine, cache, sources)
    finally:
        cache.close()
    hyps = found[source.text]
    choice = choose_hypothesis(project, source.text, [(h.text, h.score) for h in hyps],
                               project.source_language, lang, termbase=termbase)  # fmt: skip
    target, lost = transfer_spans(source, choice.text, partial(_best, found))
    return Draft(hyps, choice.index, target, choice.notes + lost, engine.signature())


def translate_project(
    project: Project, *, langs: Sequence[str] = (), engine_name: str | None = None,
    engine: Engine | None = None, progress: bool | None = None,
) -> TranslateReport:  # fmt: skip
    """Segment, sync the translation stores, draft what is missing, save the stores that changed."""
    from brochure.store.load import load_translations

    targets = list(project.select_targets(langs, suggest_adding=True))
    from brochure.engines.config import mt_configured

    if engine is None and engine_name is None and not mt_configured(project):
        # `build` drafts only when [mt] is set; `translate` agrees instead of guessing an engine
        raise BrochureError(
            f'{project.path}: mt: machine translation is not enabled; add [mt] with engine = "argos"'
            ' (or "ct2" and a model) to enable it, or give --engine'
        )
    segmented, stores = load_translations(project, targets)
    report = fill_and_save(project, segmented, stores, targets, engine_name=engine_name, engine=engine,
                           progress=progress)  # fmt: skip
    if report.errors and not report.drafted:  # nothing drafted at all: write nothing, say why
        raise BrochureError(report.errors[0])
    for store in stores.values():
        if store.save():
            report.written.append(store.path)
    return report
