"""The keys of words (Russian lemmas, Kazakh stems) kept between runs in the project's .brochure/.

Finding terms in inflected text costs one morphological analysis per distinct word form (pymorphy3
for Russian, the suffix rules for Kazakh): 80% of matching 10k concepts against 10k segments. The
same forms come back in every run, so their keys are kept in `.brochure/word-keys-<lang>-<version>.json`,
where the version names the analyser (pymorphy3 and its dictionary's versions, the rules' source)
and the file's layout,
so a new dictionary or changed rules start a new file. A cache: deleting it loses nothing.

    attach(project.cache_dir)     # load_termbase does it for a project
    keys = cached("ru", fn)       # morph's key functions go through it
    save()                        # at exit, and when another project is attached
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

_lock = threading.Lock()
_folder: Path | None = None
# lang -> word -> keys; as read from the file, the keys are one string, tab-separated, until the
# word is first looked up (strings are not scanned by the garbage collector; 40k lists were)
_words: dict[str, dict[str, frozenset[str] | str]] = {}
_added: dict[str, int] = {}  # lang -> words analysed since the file was read
_versions: dict[str, str] = {}
FORMAT = "word: tab-separated keys"  # the file's layout: part of its version


def version(lang: str) -> str:
    """What the keys of `lang` depend on: the analyser's versions and the rules' source."""
    if lang not in _versions:
        from importlib import metadata

        h = hashlib.sha1(Path(__file__).with_name("morph.py").read_bytes())  # the rules' source
        h.update(FORMAT.encode())
        if lang == "ru":
            for dist in ("pymorphy3", "pymorphy3-dicts-ru"):
                try:
                    h.update(f"{dist}={metadata.version(dist)}".encode())
                except metadata.PackageNotFoundError:
                    h.update(dist.encode())
        _versions[lang] = h.hexdigest()[:12]
    return _versions[lang]


def path_for(folder: Path, lang: str) -> Path:
    """The file of `lang`'s keys in `folder`: a new analyser version starts a new file."""
    return folder / f"word-keys-{lang}-{version(lang)}.json"


def attach(folder: Path | None) -> None:
    """Keep keys in `folder` (a project's .brochure/) from now on; None: in memory only."""
    global _folder
    with _lock:
        if folder == _folder:
            return
    save()
    with _lock:
        _folder = folder
        _words.clear()
        _added.clear()


def _table(lang: str) -> dict[str, frozenset[str] | str]:
    table = _words.get(lang)
    if table is None:
        table = {}
        if _folder is not None:
            path = path_for(_folder, lang)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(
                    data, dict
                ):  # sets made on first use: a run looks up its own words only
                    table = {w: k for w, k in data.items() if isinstance(k, str)}
            except FileNotFoundError:
                pass
            except (OSError, ValueError):
                log.warning("%s: unreadable word-key cache, starting a new one", path)
        _words[lang] = table
    return table


def cached(lang: str, fn: Callable[[str], frozenset[str]]) -> Callable[[str], frozenset[str]]:
    """`fn` (word -> keys) remembered in memory and, when attached, in the project's cache."""

    def keys(word: str) -> frozenset[str]:
        table = _words.get(lang)
        if table is None:
            with _lock:
                table = _table(lang)
        found = table.get(word)
        if found is None:
            found = table[word] = fn(word)
            _added[lang] = _added.get(lang, 0) + 1
        elif not isinstance(found, frozenset):
            found = table[word] = frozenset(found.split("\t"))
        return found

    keys.__wrapped__ = fn  # type: ignore[attr-defined]
    return keys


def save() -> None:
    """Write the languages with new words to the attached folder (atomically; errors are logged)."""
    from brochure.core.atomic import write_text_atomic

    with _lock:
        if _folder is None:
            return
        for lang, added in list(_added.items()):
            if not added:
                continue
            table = _words.get(lang, {})
            path = path_for(_folder, lang)
            try:
                keys = {
                    w: k if isinstance(k, str) else "\t".join(sorted(k)) for w, k in table.items()
                }
                text = json.dumps(keys, ensure_ascii=False, separators=(",", ":"))
                write_text_atomic(path, text)
                _added[lang] = 0
            except OSError as exc:  # a cache: failing to keep it costs time next run, nothing else
                log.warning("%s: word-key cache not written (%s)", path, exc)


def clear() -> None:
    """Forget the keys held in memory (the files stay): the next lookups read the files again."""
    with _lock:
        _words.clear()
        _added.clear()


atexit.register(save)
