"""Incremental builds: remember what produced each output, so an unchanged build writes nothing.

An output's fingerprint covers every input it depends on: the tool version, brochure.toml, the
edition, the sources, the translations of the edition's languages, the glossaries, the layout's
templates, CSS and fonts (built-in and the project's own); when the build drafts by machine,
also the installed models and the memory files (mt_inputs). The fingerprints live in
.brochure/build-state.json: a cache, deleting it only costs one full build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from brochure import __version__
from brochure.core.atomic import write_text_atomic
from brochure.core.project import EditionSpec, Project

log = logging.getLogger(__name__)
STATE_FILE = "build-state.json"


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@cache
def _builtin_files(package: str) -> list[Path]:
    """The files of a package's data (they do not change while brochure runs)."""
    root = resources.files(package)
    return _files_under(Path(str(root)))


# (path, size, mtime, inode) -> SHA-256 of the file: every output of a build hashes the same
# inputs (the fonts are most of their bytes), each file is read once per content
_digests: dict[tuple[str, int, int, int], bytes] = {}


def _file_digest(path: Path) -> bytes:
    """The SHA-256 of a file's bytes (b"<missing>" if there is none), read once per version of it."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return b"<missing>"
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
    digest = _digests.get(key)
    if digest is None:
        digest = hashlib.sha256(path.read_bytes()).digest()
        # a file changed in the last seconds may change again within the clock's resolution,
        # keeping its size and time: it is read again next time (git's "racy" files)
        if time.time_ns() - st.st_mtime_ns > 2_000_000_000:
            _digests[key] = digest
    return digest


def edition_inputs(project: Project, spec: EditionSpec) -> list[Path]:
    """Every file whose change must rebuild this edition."""
    files = [project.path]
    files += [d.path for d in project.documents]
    for document in project.documents:
        for lang in spec.languages:
            if lang != project.source_language:
                files.append(project.translations_path(document, lang))
    files += sorted((project.root / "glossary").glob("*.tsv"))
    files += _builtin_files("brochure.builtin.glossary")
    files += _builtin_files("brochure.builtin.layouts")
    files += _files_under(project.root / "layouts")
    files += spec.attachments
    return files


def mt_inputs(project: Project) -> tuple[str, ...]:
    """What machine drafts are made from, for the fingerprint of a build that drafts: the
    installed models (names, sizes and times: the weights are not read) and memory/*.tmx."""
    from brochure.engines.packages import models_dir

    parts = ["mt on"]
    folder = models_dir(project)
    for path in _files_under(folder):
        st = path.stat()
        parts.append(f"{path.relative_to(folder)}:{st.st_size}:{st.st_mtime_ns}")
    for path in sorted((project.root / "memory").glob("*.tmx")):
        parts.append(f"{path.name}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return tuple(parts)


def fingerprint(
    project: Project, spec: EditionSpec, fmt: str, draft: bool, extra: Iterable[str] = ()
) -> str:
    """A hash of everything an output depends on: when it is unchanged, the output is current."""
    digest = hashlib.sha256()
    for part in (__version__, repr(spec), fmt, str(draft), *extra):
        digest.update(part.encode("utf-8") + b"\0")
    for path in edition_inputs(project, spec):
        digest.update(str(path).encode("utf-8") + b"\0")
        digest.update(_file_digest(path))
        digest.update(b"\0")
    return digest.hexdigest()


class BuildState:
    def __init__(self, project: Project):
        self.path = project.cache_dir / STATE_FILE
        self.root = project.root
        try:
            self.state: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.state = {}

    def _key(self, out: Path) -> str:
        return (
            str(out.resolve().relative_to(self.root.resolve()))
            if out.resolve().is_relative_to(self.root.resolve())
            else str(out)
        )

    def up_to_date(self, out: Path, digest: str) -> bool:
        return out.exists() and self.state.get(self._key(out)) == digest

    def record(self, out: Path, digest: str) -> None:
        self.state[self._key(out)] = digest
        write_text_atomic(self.path, json.dumps(self.state, indent=1, sort_keys=True) + "\n")
