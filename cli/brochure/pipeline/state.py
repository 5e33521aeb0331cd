"""Incremental builds: remember what produced each output, so an unchanged build writes nothing.

An output's fingerprint covers every input it depends on: the tool version, brochure.toml, the
edition, the sources, the translations of the edition's languages, the glossaries, the layout's
templates, CSS and fonts (built-in and the project's own); when the build drafts by machine,
also the installed models and the memory files (mt_inputs). The fingerprints live in
.brochure/build-state.json: a cache, deleting it only costs one full build.

Beside them the file keeps each input's SHA-256 under its size, modification time and inode, as
git's index does: a build with nothing to do reads no input's bytes (the fonts are most of them),
only their metadata. A file changed within the last seconds is hashed again next time.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from brochure import __version__
from brochure.core.atomic import write_text_atomic
from brochure.core.project import EditionSpec, Project

log = logging.getLogger(__name__)
STATE_FILE = "build-state.json"
FORMAT = 2  # of the state file: another format is read as no state (one full build)


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@cache
def _builtin_files(package: str) -> list[Path]:
    """The files of a package's data (they do not change while brochure runs), found from the
    package's own folder (importlib.resources would add its import to a no-change build)."""
    module = importlib.import_module(package)
    return _files_under(Path(str(module.__file__)).parent)


# (path, size, mtime, inode) -> SHA-256 of the file: every output of a build hashes the same
# inputs (the fonts are most of their bytes), each file is read once per content; BuildState
# keeps them between builds
_digests: dict[tuple[str, int, int, int], bytes] = {}
_hashed: list[int] = [0]  # files read and hashed in this process (a new digest to keep)


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
            _hashed[0] += 1
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
        parts.append(f"{path.name}:{_file_digest(path).hex()}")  # (kept by size, time, inode)
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
    """.brochure/build-state.json: each output's fingerprint, and the digests of the input files
    (see the module doc)."""

    def __init__(self, project: Project):
        self.path = project.cache_dir / STATE_FILE
        self.root = project.root
        self.state: dict[str, str] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict) and data.get("format") == FORMAT:
            self.state = dict(data.get("outputs", {}))
            for name, (size, mtime, inode, digest) in dict(data.get("files", {})).items():
                _digests.setdefault((name, size, mtime, inode), bytes.fromhex(digest))
        self._kept = _hashed[0]

    def _key(self, out: Path) -> str:
        out, root = out.resolve(), self.root.resolve()
        return str(out.relative_to(root)) if out.is_relative_to(root) else str(out)

    def up_to_date(self, out: Path, digest: str) -> bool:
        return out.exists() and self.state.get(self._key(out)) == digest

    def record(self, out: Path, digest: str) -> None:
        self.state[self._key(out)] = digest
        self.save()

    def keep_digests(self) -> None:
        """Write the file if files were hashed since it was read (a build with nothing to build
        that found an input touched but unchanged: the next one does not read it again)."""
        if _hashed[0] != self._kept:
            self.save()

    def save(self) -> None:
        # the latest digest of each file that still exists (a cache: at most one entry per file)
        files: dict[str, list[int | str]] = {}
        for (name, size, mtime, inode), digest in _digests.items():
            files[name] = [size, mtime, inode, digest.hex()]
        files = {name: entry for name, entry in files.items() if os.path.exists(name)}
        data = {"format": FORMAT, "outputs": self.state, "files": files}
        write_text_atomic(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")
        self._kept = _hashed[0]
