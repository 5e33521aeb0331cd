"""Translation memory: exact and fuzzy matches from the project's approved units and TMX files.

The plain files are the truth: the approved units (state reviewed or final, also those kept in the
stale group) of translations/*.xlf, and the TMX files in the project's memory/ folder. The SQLite
index in .brochure/memory.sqlite is a cache rebuilt from them: a file whose size or mtime changed
is re-read (its hash decides whether anything really changed), a vanished file is dropped, a
missing or foreign index is rebuilt from scratch.

Lookup: an exact match is the same normalised text (NFC, white space collapsed). Fuzzy candidates
come from an FTS5 index (unicode61 words): the query's rarest words (by document frequency, kept
in a `terms` table) are OR-ed and ranked by BM25, the best few hundred are scored with rapidfuzz's
Levenshtein ratio and shown as a percentage. research/text.md: rapidfuzz over 100k units takes
215-336 ms per query; the candidate step makes it a few milliseconds (bench/bench_memory.py).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from brochure.core.datamodel import RichText
from brochure.core.paths import inside
from brochure.core.text import normalise
from brochure.memory.tmx import MEMORY_DIR, read_tmx

if TYPE_CHECKING:
    from brochure.core.datamodel import SegmentedDocument
    from brochure.core.project import Project
    from brochure.store.xliff import TranslationFile

log = logging.getLogger(__name__)

INDEX_FILE = "memory.sqlite"
LOCK_FILE = "memory.lock"
BUSY_TIMEOUT = 60.0  # seconds a reader waits while another process commits to the index
SCHEMA_VERSION = 3
DEFAULT_THRESHOLD = 75
CANDIDATES = 200  # BM25 top-k handed to rapidfuzz
RARE_TERMS = 8  # how many of the query's rarest words make the full-text query
_WORD = re.compile(r"[^\W_]+")


# -- settings --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemorySettings:
    """[memory] in brochure.toml."""

    fuzzy_threshold: int = DEFAULT_THRESHOLD  # lowest fuzzy score (percent) that becomes a draft


def validate_memory(
    table: dict[str, Any], langs: tuple[str, ...], problem: Callable[[str, str], None]
) -> MemorySettings:
    """Check the [memory] table; report each problem with its key."""
    threshold = table.get("fuzzy_threshold", DEFAULT_THRESHOLD)
    for key in table:
        if key != "fuzzy_threshold":
            problem(key, "unknown key (known: fuzzy_threshold)")
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= 100:
        problem("fuzzy_threshold", "must be a whole number of percent from 1 to 100")
        threshold = DEFAULT_THRESHOLD
    return MemorySettings(fuzzy_threshold=threshold)


def settings(project: Project) -> MemorySettings:
    """The project's validated [memory] settings, or the defaults."""
    value = project.sections.get("memory")
    return value if isinstance(value, MemorySettings) else MemorySettings()


# -- text forms ------------------------------------------------------------------------------------
def words(text: str) -> list[str]:
    """Lower-case words as FTS5's unicode61 tokenizer sees them (letters and digits)."""
    return _WORD.findall(text.casefold())


# -- what the memory holds -------------------------------------------------------------------------
@dataclass(frozen=True)
class Match:
    """A memory entry whose source resembles the query, with a similarity score in percent."""

    source: str
    target: str
    score: int  # 0-100; 100 = the same text (after white space normalisation)
    origin: (
        str  # the file it comes from, relative to the project (translations/x.ru.xlf, memory/y.tmx)
    )
    line: int = 0

    @property
    def exact(self) -> bool:
        return self.score == 100


# -- the index -------------------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE files(path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha1 TEXT);
CREATE TABLE tu(id INTEGER PRIMARY KEY, file TEXT NOT NULL, line INTEGER, rank INTEGER);
CREATE TABLE tuv(id INTEGER PRIMARY KEY, tu INTEGER NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX tu_file ON tu(file);
CREATE INDEX tuv_tu ON tuv(tu);
CREATE INDEX tuv_text ON tuv(lang, text);
CREATE VIRTUAL TABLE tuv_fts USING fts5(fold, lang UNINDEXED, tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE terms(term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
"""
# rank: how much a source is trusted when scores tie (final units, then reviewed, then TMX)
_RANK = {"final": 0, "reviewed": 1, "tmx": 2}


@dataclass(frozen=True)
class _FileSig:
    path: str  # relative to the project
    size: int
    mtime_ns: int


class Memory:
    """The project's memory: an up-to-date index, opened once for many lookups."""

    def __init__(self, project: Project, db: sqlite3.Connection):
        self.project = project
        self.db = db
        self._units: int | None = None

    @classmethod
    def open(cls, project: Project) -> Memory:
        """Open the index in .brochure/, bringing it up to date with the memory files first.

        Several processes may open it at once (two `translate` runs): one at a time checks and
        rebuilds or refreshes it, under the memory lock; lookups then read it side by side. An
        index that turns out damaged is rebuilt from the files: it is only a cache.
        """
        from brochure.core.atomic import file_lock

        path = project.cache_dir / INDEX_FILE
        with file_lock(project.cache_dir / "locks" / LOCK_FILE, path):
            db = _connect(path) if path.exists() else None
            if db is None:
                db = _build_fresh(project, path)
            memory = cls(project, db)
            try:
                memory.refresh()
            except sqlite3.DatabaseError as exc:
                log.warning("%s: damaged memory index (%s), rebuilding it", path, exc)
                db.close()
                memory = cls(project, _build_fresh(project, path))
                memory.refresh()
        return memory

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- keeping the index in step with the files ----------------------------------------------
    def refresh(self) -> int:
        """Re-read the memory files that changed since the index was made; return how many."""
        current = {sig.path: sig for sig in memory_files(self.project)}
        known = {
            row[0]: row for row in self.db.execute("SELECT path, size, mtime_ns, sha1 FROM files")
        }
        changed = 0
        with self.db:
            for rel in set(known) - set(current):
                self._drop(rel)
                changed += 1
            for rel, sig in current.items():
                row = known.get(rel)
                if row and row[1] == sig.size and row[2] == sig.mtime_ns:
                    continue
                digest = _sha1(self.project.root / rel)
                if row and row[3] == digest:  # touched, not changed
                    self.db.execute(
                        "UPDATE files SET size=?, mtime_ns=? WHERE path=?",
                        (sig.size, sig.mtime_ns, rel),
                    )
                    continue
                if row:
                    self._drop(rel)
                self._add(rel, sig, digest)
                changed += 1
        if changed:
            self._units = None
            log.debug("memory index: %d file(s) re-read", changed)
        return changed

    def _drop(self, rel: str) -> None:
        db = self.db
        rows = db.execute(
            "SELECT tuv.id, tuv.text FROM tuv JOIN tu ON tu.id = tuv.tu WHERE tu.file = ?", (rel,)
        ).fetchall()
        df: Counter[str] = Counter()
        for _, text in rows:
            df.update(set(words(text)))
        db.executemany("DELETE FROM tuv_fts WHERE rowid = ?", [(r[0],) for r in rows])
        db.execute("DELETE FROM tuv WHERE tu IN (SELECT id FROM tu WHERE file = ?)", (rel,))
        db.execute("DELETE FROM tu WHERE file = ?", (rel,))
        db.execute("DELETE FROM files WHERE path = ?", (rel,))
        db.executemany(
            "UPDATE terms SET df = df - ? WHERE term = ?", [(n, t) for t, n in df.items()]
        )
        db.execute("DELETE FROM terms WHERE df <= 0")

    def _add(self, rel: str, sig: _FileSig, digest: str) -> None:
        entries = _read_memory_file(self.project, rel)
        _insert(self.db, rel, entries)
        self.db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?)", (rel, sig.size, sig.mtime_ns, digest)
        )

    # -- lookups --------------------------------------------------------------------------------
    def lookup(self, source_text: str, src_lang: str, tgt_lang: str, threshold: int | None = None,
               limit: int = 10) -> list[Match]:  # fmt: skip
        """Matches for `source_text` scoring at least `threshold` percent, best first."""
        from rapidfuzz import fuzz

        threshold = settings(self.project).fuzzy_threshold if threshold is None else threshold
        query = normalise(source_text)
        if not query:
            return []
        found: dict[tuple[str, str], tuple[int, int, Match]] = {}

        def keep(score: int, rank: int, match: Match) -> None:
            key = (match.source, match.target)
            if key not in found or (score, -rank) > (found[key][0], -found[key][1]):
                found[key] = (score, rank, match)

        for src, tgt, file, line, rank in self.db.execute(_PAIRS_SQL + "WHERE s.lang = ? AND s.text = ?",
                                                          (tgt_lang, src_lang, query)):  # fmt: skip
            keep(100, rank, Match(src, tgt, 100, file, line))
        candidates = self._candidates(query, src_lang)
        if candidates:
            low = threshold / (
                200 - threshold
            )  # ratio >= t needs len(short)/len(long) >= t/(200-t)
            marks = ",".join("?" * len(candidates))
            rows = self.db.execute(_PAIRS_SQL + f"WHERE s.id IN ({marks}) AND s.text != ?",
                                   (tgt_lang, *candidates, query))  # fmt: skip
            for src, tgt, file, line, rank in rows:
                a, b = len(src), len(query)
                if min(a, b) < low * max(a, b):
                    continue
                score = fuzz.ratio(query, src, score_cutoff=threshold - 0.5)
                if score:
                    score = min(99, round(score))  # 100 means identical
                    if score >= threshold:
                        keep(score, rank, Match(src, tgt, score, file, line))
        ranked = sorted(
            found.values(), key=lambda item: (-item[0], item[1], item[2].origin, item[2].line)
        )
        return [m for _, _, m in ranked[:limit]]

    def _candidates(self, query: str, src_lang: str) -> list[int]:
        terms = list(dict.fromkeys(words(query)))
        if not terms:
            return []
        marks = ",".join("?" * len(terms))
        df = dict(self.db.execute(f"SELECT term, df FROM terms WHERE term IN ({marks})", terms))
        ranked = sorted((t for t in terms if t in df), key=lambda t: df[t])
        if not ranked:
            return []
        # OR the rarest words while their posting lists stay short: BM25 ranks every document a
        # query matches, so one word found in half the memory would cost 100x more than the rest.
        budget = max(1000, self._size() // 50)
        rare: list[str] = []
        total = 0
        for term in ranked[:RARE_TERMS]:
            if rare and total + df[term] > budget:
                break
            rare.append(term)
            total += df[term]
        if total <= budget:
            match = " OR ".join(_quote(t) for t in rare)
        else:  # only common words: pairs of neighbouring words as phrases are still selective
            seq = words(query)
            match = " OR ".join(_quote(f"{a} {b}") for a, b in itertools.pairwise(seq)) or _quote(
                seq[0]
            )
        rows = self.db.execute(
            "SELECT rowid FROM tuv_fts WHERE tuv_fts MATCH ? AND lang = ? ORDER BY rank LIMIT ?",
            (match, src_lang, CANDIDATES),
        )
        return [r[0] for r in rows]

    def _size(self) -> int:
        if self._units is None:
            self._units = self.db.execute("SELECT count(*) FROM tuv").fetchone()[0]
        return self._units

    def stats(self) -> dict[str, int]:
        """How many files and units the index holds (for `brochure memory` and tests)."""
        return {
            "files": self.db.execute("SELECT count(*) FROM files").fetchone()[0],
            "units": self.db.execute("SELECT count(*) FROM tu").fetchone()[0],
        }


_PAIRS_SQL = (
    "SELECT s.text, t.text, tu.file, tu.line, tu.rank FROM tuv s "
    "CROSS JOIN tuv t ON t.tu = s.tu AND +t.lang = ? CROSS JOIN tu ON tu.id = s.tu "
)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def lookup(
    project: Project, source_text: str, src_lang: str, tgt_lang: str, threshold: int | None = None
) -> list[Match]:
    """Exact and fuzzy matches for one text (opens and refreshes the index: for many, use Memory)."""
    with Memory.open(project) as memory:
        return memory.lookup(source_text, src_lang, tgt_lang, threshold)


def memory_files(project: Project) -> list[_FileSig]:
    """The files the memory is made of: translations/*.xlf and memory/*.tmx."""
    out = []
    for folder, pattern in (
        (project.root / project.translations_dir, "*.xlf"),
        (project.root / MEMORY_DIR, "*.tmx"),
    ):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(pattern)):
            if path.name.startswith("."):
                continue
            # a file linked out of the project must not bring its text into the memory
            inside(project.root, path.relative_to(project.root), str(path))
            st = path.stat()
            out.append(
                _FileSig(path.relative_to(project.root).as_posix(), st.st_size, st.st_mtime_ns)
            )
    return out


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _read_memory_file(project: Project, rel: str) -> Iterator[tuple[int, int, dict[str, str]]]:
    """(line, rank, texts by language) for each unit of a memory file."""
    path = project.root / rel
    if path.suffix == ".tmx":
        _, units = read_tmx(path)
        for unit in units:
            if len(unit.texts) >= 2:
                yield unit.line, _RANK["tmx"], unit.texts
        return
    from brochure.store.xliff import TranslationFile

    # translations/<document>.<lang>.xlf
    parts = path.name.rsplit(".", 2)
    if len(parts) != 3 or parts[1] not in project.target_languages:
        return
    store = TranslationFile.open(path, project.source_language, parts[1], parts[0])
    for approved in store.units(include_stale=True):
        if approved.approved and approved.target is not None:
            src, tgt = normalise(approved.source.text), normalise(approved.target.text)
            if src and tgt:
                yield (
                    approved.line,
                    _RANK[approved.state],
                    {project.source_language: src, parts[1]: tgt},
                )


def _insert(
    db: sqlite3.Connection, rel: str, entries: Iterable[tuple[int, int, dict[str, str]]]
) -> None:
    df: Counter[str] = Counter()
    tu_id = (db.execute("SELECT coalesce(max(id), 0) FROM tu").fetchone()[0] or 0) + 1
    tuv_id = (db.execute("SELECT coalesce(max(id), 0) FROM tuv").fetchone()[0] or 0) + 1
    tus, tuvs, fts = [], [], []
    for line, rank, texts in entries:
        tus.append((tu_id, rel, line, rank))
        for lang, text in texts.items():
            tuvs.append((tuv_id, tu_id, lang, text))
            fold = text.casefold()
            fts.append((tuv_id, fold, lang))
            df.update(set(_WORD.findall(fold)))
            tuv_id += 1
        tu_id += 1
    db.executemany("INSERT INTO tu VALUES (?, ?, ?, ?)", tus)
    db.executemany("INSERT INTO tuv VALUES (?, ?, ?, ?)", tuvs)
    db.executemany("INSERT INTO tuv_fts(rowid, fold, lang) VALUES (?, ?, ?)", fts)
    db.executemany(
        "INSERT INTO terms VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
        list(df.items()),
    )


def _connect(path: Path) -> sqlite3.Connection | None:
    """Open an existing index; None if it is unreadable or of another schema (then it is rebuilt)."""
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            db.close()
            return None
        db.execute("SELECT count(*) FROM files").fetchone()
        return db
    except sqlite3.DatabaseError:
        return None


def _build_fresh(project: Project, path: Path) -> sqlite3.Connection:
    """Create an empty index beside `path` and move it into place (refresh() then fills it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    # one transaction, not synced: each statement on its own was a commit with its own syncs to
    # the disk (75 ms for a new project's index on a busy disk). An empty index that a crash
    # damaged is found so and built again (`open`): it is only a cache of the memory files.
    db.executescript(
        f"PRAGMA synchronous = OFF;\nBEGIN;\n{_SCHEMA}PRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;"
    )
    db.close()
    for stale in (path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
        stale.unlink(missing_ok=True)  # a hot journal of the old file must not meet the new one
    os.replace(tmp, path)
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT)


# -- filling a translation store -------------------------------------------------------------------
@dataclass
class MemoryFill:
    """What fill_from_memory did: counts, and which segments it filled (document, segment id)."""

    exact: int = 0
    fuzzy: int = 0
    filled: dict[tuple[str, str], str] = field(default_factory=dict)  # -> "memory" / "memory-fuzzy"

    def as_dict(self) -> dict[str, int]:
        return {"exact": self.exact, "fuzzy": self.fuzzy}


_REPLACEABLE = ("mt", "memory-fuzzy")  # machine drafts an exact memory match may replace


def fill_from_memory(
    project: Project, stores: dict[tuple[str, str], TranslationFile],
    segments: dict[str, SegmentedDocument], lang: str, threshold: int | None = None,
    carry: Callable[[RichText, str], tuple[RichText, list[str]]] | None = None,
) -> MemoryFill:  # fmt: skip
    """Fill units of `lang` from the memory before any MT engine runs.

    The memory holds plain text: `carry(source, draft)` gives a draft the source segment's inline
    spans (translate.spans' tag transfer) and notes on what it could not place.

    An exact match (a human-approved translation of the same text) becomes a `translated` unit with
    origin `memory`; the best fuzzy match at or above the threshold becomes a `translated` draft
    with origin `memory-fuzzy` and a note "memory match 87%". Units with a target from a person
    (or any reviewed/final unit) are never touched; a machine draft (origin mt or memory-fuzzy) is
    replaced by an exact match only. The stores are changed in memory; the caller saves them.
    """
    threshold = settings(project).fuzzy_threshold if threshold is None else threshold
    result = MemoryFill()
    with Memory.open(project) as memory:
        for document in project.documents:
            store = stores.get((document.name, lang))
            seg = segments.get(document.name)
            if store is None or seg is None:
                continue
            for s in seg.segments:
                unit = store.get(s.id)
                if unit is None or unit.approved:
                    continue
                origin = unit.meta.get("origin", "")
                if unit.has_target and origin not in _REPLACEABLE:
                    continue
                matches = memory.lookup(s.text, project.source_language, lang, threshold, limit=1)
                if not matches:
                    continue
                best = matches[0]
                if not best.exact and unit.has_target:
                    continue  # a fuzzy match does not replace a draft
                where = f"{best.origin}:{best.line}" if best.line else best.origin
                kind = "memory" if best.exact else "memory-fuzzy"
                note = (
                    None if best.exact else f"memory match {best.score}% ({where}): {best.source}"
                )
                draft, lost = (
                    carry(s.content, best.target) if carry else (RichText(best.target), [])
                )
                store.set_target(s.id, draft, "translated", note=note, meta={
                    "origin": kind, "memory-score": str(best.score), "memory-source": where,
                })  # fmt: skip
                for markup in lost:
                    store.add_note(s.id, markup, "markup")
                result.filled[(document.name, s.id)] = kind
                if best.exact:
                    result.exact += 1
                else:
                    result.fuzzy += 1
    return result
