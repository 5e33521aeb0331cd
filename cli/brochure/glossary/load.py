"""Loading the termbase: the built-in glossary, then the project's glossary/*.tsv in name order.

A project row overrides the built-in concept with the same id cell by cell (its non-empty cells
win; an empty cell inherits). The loaded Termbase is cached per project and reloaded when a file
changes, so enforcement over thousands of segments parses the files once.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from brochure.core.errors import GlossaryError
from brochure.core.memo import Memo
from brochure.glossary import keycache
from brochure.glossary.concepts import Concept, digest_bytes, merge
from brochure.glossary.match import check_terms
from brochure.glossary.termbase import Termbase
from brochure.glossary.tsv import GlossaryFile

if TYPE_CHECKING:
    from brochure.core.project import Project

BUILTIN_PACKAGE = "brochure.builtin.glossary"
DEFAULT_FILE = "terms.tsv"
_cache: dict[Path, tuple[tuple, Termbase]] = {}
_cache_lock = threading.Lock()
# termbases by the bytes they were parsed from: a second project with the same glossary files
# (every project without its own: the built-in glossary alone) reuses the parsed concepts and
# their matchers instead of parsing 1,300 rows and building the matchers again (40-60 ms);
# a Termbase is never changed after loading
_by_content: Memo[Termbase] = Memo(4)


def builtin_sources() -> list[tuple[str, bytes]]:
    """(name, bytes) of each built-in glossary file, in name order."""
    try:
        folder = resources.files(BUILTIN_PACKAGE)
    except ModuleNotFoundError:
        return []
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".tsv") and entry.is_file():
            out.append((f"<built-in>/{entry.name}", entry.read_bytes()))
    return out


def project_files(root: Path) -> list[Path]:
    """The project's glossary/*.tsv, in the order they override each other; one that is a
    symbolic link out of the project (or in a glossary/ linked out of it) is refused."""
    from brochure.core.paths import inside

    folder = Path(root) / "glossary"
    files = sorted(folder.glob("*.tsv")) if folder.is_dir() else []
    for path in files:
        inside(root, path.relative_to(root), str(path))
    return files


def default_file(root: Path) -> Path:
    """The file `brochure glossary add` writes to: glossary/terms.tsv in the project."""
    return Path(root) / "glossary" / DEFAULT_FILE


def load_files(sources: list[tuple[str, bytes]]) -> Termbase:
    """Merge glossary files given as (name, bytes), later ones overriding earlier ones by id.
    A term the matcher would never find as written (pattern syntax, `glossary lint` says which)
    is refused with its file and line, like a row with a wrong cell: loaded, it would silently
    never match."""
    concepts: dict[str, Concept] = {}
    for name, data in sources:
        gf = GlossaryFile.parse(Path(name), data)
        for concept, present in gf.concepts():
            check_terms(concept, at=concept.origin or name)
            base = concepts.get(concept.id)
            concepts[concept.id] = merge(base, concept, present) if base else concept
    return Termbase(
        concepts.values(), sources=tuple(n for n, _ in sources),
        digest=digest_bytes(d for _, d in sources),
    )  # fmt: skip


def read_tsv(path: Path) -> list[Concept]:
    """Concepts of one TSV file to import (UTF-8 or Excel's UTF-16 'Unicode Text'), validated and
    merged by id as the termbase merges them (column names in any case, an `id` column may be
    left out: tsv.for_import)."""
    from brochure.glossary.tsv import decode_import, for_import

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read: {exc.strerror or exc}") from None
    text = for_import(decode_import(path, data), path)
    return list(load_files([(str(path), text.encode("utf-8"))]))


def load_termbase(project: Project | Path | str | None = None, *, builtin: bool = True) -> Termbase:
    """The termbase a project sees (built-in + glossary/*.tsv); cached until a file changes."""
    root = _root(project)
    if root is not None:  # the project's words' lemmas and stems are kept in its .brochure/
        keycache.attach(root / ".brochure")
    files = project_files(root) if root else []
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files) + (builtin,)
    cache_key = (root or Path("<none>")).resolve() if root else Path("<none>")
    with _cache_lock:
        hit = _cache.get(cache_key)
        if hit and hit[0] == key:
            return hit[1]
    sources = (builtin_sources() if builtin else []) + [(str(p), p.read_bytes()) for p in files]
    content = tuple(sources)
    termbase = _by_content.get(content)
    if termbase is None:
        termbase = load_files(sources)
        _by_content.put(content, termbase)
    with _cache_lock:
        _cache[cache_key] = (key, termbase)
    return termbase


def _root(project: Project | Path | str | None) -> Path | None:
    if project is None:
        return None
    if isinstance(project, (str, Path)):
        return Path(project)
    return project.root
