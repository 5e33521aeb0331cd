"""The measuring passes' results kept between builds, so a rebuild measures only what changed.

The columns and facing layouts render every unit once with WeasyPrint to measure it before they
pack pages (layout/paging.py): about as much work as the final render. A unit's measurement
depends only on its own row and on what every unit of the edition shares, so both make its key:
- the setting, shared: the measuring template rendered without units (the CSS, the geometry, the
  languages), every file of the templates' folders (templates, CSS, fonts, hyphenation patterns),
  the layout package's code, the versions of brochure, WeasyPrint, pydyf, pyphen and Pango;
- the unit: its row as the template sees it (text, spans, kind, heading level, first/last,
  marker) and the words of its text that the hyphenation protector keeps whole (the protector is
  edition-wide; a change elsewhere that does not touch this unit's words keeps its key).
A cached unit gives the sizes its measuring pass read, to the last bit: a build measures exactly
the units the cache does not hold (all of them in a first build; duplicates are measured each).

`attach(project.cache_dir)` (the build does it) keeps one file per edition and layout,
`.brochure/measures-<edition>.json`; a new setting starts the file afresh. Without a folder
attached nothing is kept. A cache: deleting it costs one slower build, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import astuple, replace
from pathlib import Path
from typing import Any

from brochure.layout.linebreak import active_protector
from brochure.layout.paging import Measure, Part, Setup, Size, Sizes, part_row

log = logging.getLogger(__name__)
FORMAT = 2  # of the cache file: a new format starts every file afresh (2: laid-out lines)
# A file holds at most this many times the units of the edition's last layout (the units of the
# versions before an edit, of a second pass that keeps hyphen ladders whole, ...); then it is pruned.
KEEP = 3
_folder: list[Path] = []  # the attached project's .brochure/ (at most one)
# Every word-like run WeasyPrint may ask pyphen about: letters and digits, and runs joined by an
# apostrophe, a full stop or a hyphen (Pango's word boundaries keep some of them together).
_RUNS = re.compile(r"\w+")
_JOINED = re.compile(r"\w+(?:['’.\-]\w+)+")


def attach(folder: Path | None) -> None:
    """Keep measurements in `folder` (a project's .brochure/) from now on; None: keep none."""
    _folder[:] = [folder] if folder is not None else []


def attached() -> Path | None:
    """The project's .brochure/ a build attached (the DOCX keeps its font subsets there too)."""
    return _folder[0] if _folder else None


class Measurements:
    """The cached measurements of one edition's layout: `wrap` a measuring function with it,
    `save` after the packing."""

    def __init__(self, s: Setup, edition_name: str, search_dirs: Iterable[Path] = ()):
        self.path = (
            _folder[0] / f"measures-{_safe(edition_name)}-{s.layout}.json" if _folder else None
        )
        self.setting = _setting(s, search_dirs) if self.path else ""
        self.units: dict[str, list[list[Any]]] = {}
        self.extra: dict[str, Any] = {}  # what a layout keeps beside the units (column labels)
        self.added = 0
        self.used: set[str] = set()  # the keys this layout asked for
        if self.path is None:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            log.warning("%s: unreadable measurement cache, starting a new one", self.path)
            return
        if isinstance(data, dict) and data.get("setting") == self.setting:
            self.units = data.get("units", {})
            self.extra = data.get("extra", {})

    def wrap(self, docs: list[Any], measure: Measure) -> Measure:
        """`measure` (parts -> sizes), asked only for the parts this cache does not hold."""
        if self.path is None:
            return measure

        def cached(parts: list[Part]) -> Sizes:
            protector = active_protector()
            keys = {part: unit_key(docs, part, protector) for part in parts}
            self.used.update(keys.values())
            missing = [part for part in parts if keys[part] not in self.units]
            if missing:
                measured = measure(missing)
                languages = sorted({i for i, _ in measured})
                for part in missing:
                    self.units[keys[part]] = [list(astuple(measured[(i, part)])) for i in languages]
                self.added += len(missing)
            log.debug("measured %d of %d units (the rest cached)", len(missing), len(parts))
            # in the order of `parts`, as one pass over them all gives them
            return {
                (i, part): Size(height, pad, tuple(ends), line, tuple(map(tuple, lines)))
                for part in parts
                for i, (height, pad, ends, line, lines) in enumerate(self.units[keys[part]])
            }

        return cached

    def save(self) -> None:
        """Write the file when something was measured (atomically; a failure is only logged)."""
        from brochure.core.atomic import write_text_atomic

        if self.path is None or not self.added:
            return
        units = self.units
        if len(units) > KEEP * len(self.used):  # edits leave old units behind: let them go
            units = {key: sizes for key, sizes in units.items() if key in self.used}
        data = {"format": FORMAT, "setting": self.setting, "extra": self.extra,
                "units": units}  # fmt: skip
        try:
            write_text_atomic(self.path, json.dumps(data, separators=(",", ":")))
            self.added = 0
        except OSError as exc:
            log.warning("%s: measurement cache not written (%s)", self.path, exc)


def unit_key(docs: list[Any], part: Part, protector: Any) -> str:
    """What a part's measurement depends on beyond the setting: its row as the measuring template
    renders it, and which of its words the hyphenation protector keeps whole."""
    d, r, first, end = part
    doc = docs[d]
    row = part_row(doc.rows[r], first, end)
    level = doc.level(row) if row.kind == "heading" else 0
    text = " ".join(p.text.text for c in row.cells for p in c.pieces if p.text is not None)
    words = set(_RUNS.findall(text)) | set(_JOINED.findall(text))
    kept = sorted(w for w in words if protector is not None and protector.protected(w))
    return hashlib.sha256(repr((row, level, kept)).encode("utf-8")).hexdigest()[:32]


def _setting(s: Setup, search_dirs: Iterable[Path]) -> str:
    """A hash of everything every unit's measurement depends on (see the module doc)."""
    from importlib import metadata

    from brochure import __version__
    from brochure.layout.html import builtin_layouts

    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{s.layout}\0".encode())
    for dist in ("weasyprint", "pydyf", "pyphen"):
        try:
            h.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}\0".encode())
    h.update(_pango_version().encode() + b"\0")
    empty = [replace(doc, rows=[]) for doc in s.docs]
    h.update(s.measure.render(**{**s.ctx, "documents": empty}, measure_height_mm=0).encode())
    folders = [Path(d) for d in search_dirs] + [builtin_layouts(), Path(__file__).parent]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _pango_version() -> str:
    try:
        from weasyprint.text.ffi import ffi, pango

        return str(ffi.string(pango.pango_version_string()).decode())
    except Exception:  # noqa: BLE001 - a cache key: an unknown version only makes it stricter
        return "pango ?"


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]", "_", name)
