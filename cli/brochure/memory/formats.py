"""Memory files in other formats: the translations people already have, as memory units.

`brochure memory import` takes TMX (memory/tmx.py), and also:
- XLIFF 1.x and 2.x from any tool (not only this project's exports): each source with a non-empty
  target that is not marked untranslated (1.2 `new`/`needs-translation`, 2.x `initial`, which is
  also what a 2.x segment without a `state` is, unless no segment of the file has one: a simple
  converter's file, whose targets are its translations); those left out so are counted in a
  warning (they were left out without a word, and such a file imported as nothing); a 1.2
  paragraph split into sentences by <seg-source> (Trados's .sdlxliff, memoQ, Okapi) gives one unit
  per sentence, and a Trados sentence only when its sdl:seg is confirmed as translated;
- gettext PO files (read with polib): each entry with a msgstr that is neither fuzzy nor
  obsolete; the target language comes from the header's `Language:`, the source is the project's.
Inline codes are dropped and formatting kept as plain text, as memory units are plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from brochure.core.errors import TranslationMemoryError
from brochure.core.text import normalise
from brochure.memory.tmx import TranslationUnit, keep_units, lang_code

if TYPE_CHECKING:
    from lxml import etree

    from brochure.core.project import Project

XLIFF_NS = {
    "urn:oasis:names:tc:xliff:document:1.1": "1",
    "urn:oasis:names:tc:xliff:document:1.2": "1",
    "urn:oasis:names:tc:xliff:document:2.0": "2",
}
_KEEP_TEXT = ("g", "mrk", "pc", "sub")  # inline elements whose content is text
_UNTRANSLATED_12 = ("new", "needs-translation")


def import_memory(project: Project, file: Path) -> tuple[Path, int, bool]:
    """Copy the pairs of a memory file (TMX, XLIFF, PO: the memory formats of
    brochure.core.formats, by file ending) into memory/<name>.tmx (see memory.tmx.keep_units)."""
    from brochure.core import formats

    if advice := formats.foreign("memory", file.suffix):
        raise TranslationMemoryError(f"{file}: {advice}")
    fmt = formats.by_suffix("memory", file.suffix) or formats.get("memory", "tmx")
    assert fmt is not None and fmt.reader is not None
    srclang, units = formats.load(fmt.reader)(file)
    if not srclang:  # a PO file does not say: its msgids are in the project's source language
        srclang = project.source_language
        for unit in units:
            unit.texts = {srclang if k == "" else k: v for k, v in unit.texts.items()}
    elif fmt.name != "tmx" and lang_code(srclang) != project.source_language:
        # (a TMX says its languages on every <tuv>; its header's srclang may be "*all*")
        raise TranslationMemoryError(
            f"{file}: source language {srclang!r}, the project's is {project.source_language!r}"
        )
    return keep_units(project, file, units)


def _plain(el: etree._Element) -> str:
    """Text of a <source>/<target>, without native codes (<x>, <ph>, <bpt>, <sc>...)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            local = child.tag.rsplit("}", 1)[-1]
            if local in _KEEP_TEXT:
                parts.append(_plain(child))
            elif local == "cp":
                try:
                    parts.append(chr(int(child.get("hex", ""), 16)))
                except ValueError:
                    pass
        parts.append(child.tail or "")
    return "".join(parts)


def read_xliff_memory(path: Path) -> tuple[str, list[TranslationUnit]]:
    """The source language and translated pairs of an XLIFF 1.x or 2.x file from any tool."""
    from lxml import etree

    from brochure.core.xmlsafe import parse_xml

    root = parse_xml(path, TranslationMemoryError, "XLIFF").getroot()
    qname = etree.QName(root)
    version = XLIFF_NS.get(qname.namespace or "") or (
        "1" if qname.namespace is None and root.get("version", "").startswith("1.") else ""
    )
    if qname.localname != "xliff" or not version:
        raise TranslationMemoryError(f"{path}:{root.sourceline}: not an XLIFF 1.x or 2.x file")
    ns = f"{{{qname.namespace}}}" if qname.namespace else ""
    units = []
    first = ""
    # XLIFF 2's default state is initial; a file that gives no segment a state at all (written
    # by a converter that knows none) holds its translations in its targets all the same
    stateless = version == "2" and not any(s.get("state") for s in root.iter(f"{ns}segment"))
    skipped = 0
    for file_el in root.iter(f"{ns}file"):
        if version == "1":
            src, tgt = file_el.get("source-language", ""), file_el.get("target-language", "")
        else:
            src, tgt = root.get("srcLang", ""), root.get("trgLang", "")
        where = f"{path}:{file_el.sourceline}"
        if not src or not tgt:
            raise TranslationMemoryError(f"{where}: the file names no source or target language")
        first = first or lang_code(src)
        if lang_code(src) != first:
            raise TranslationMemoryError(
                f"{where}: source language {src!r}, the file's first <file> has {first!r}"
            )
        pairs = _pairs_1(file_el, ns) if version == "1" else _pairs_2(file_el, ns, stateless)
        for line, source, target in pairs:
            source, target = normalise(source), normalise(target)
            if line < 0:  # a translation the file marks as not (yet) one
                skipped += bool(source and target)
            elif source and target:
                units.append(TranslationUnit({first: source, lang_code(tgt): target}, line))
    if skipped:
        import logging

        logging.getLogger(__name__).warning(
            "%s: warning: %d %s with a target left out: the file marks %s as not translated "
            "(%s)", path, skipped, "segment" if skipped == 1 else "segments",
            "it" if skipped == 1 else "them",
            "state initial, or none given" if version == "2"
            else "state new or needs-translation, or a Trados sentence not confirmed as translated",
        )  # fmt: skip
    return first, units


SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
# Trados's segment confirmation levels (sdl:seg conf) that are a translation; no conf is "not
# translated", and Draft, RejectedTranslation, RejectedSignOff are not one either.
_SDL_DONE = ("Translated", "ApprovedTranslation", "ApprovedSignOff")


def _pairs_1(file_el: etree._Element, ns: str) -> list[tuple[int, str, str]]:
    out = []
    for tu in file_el.iter(f"{ns}trans-unit"):
        source, target = tu.find(f"{ns}source"), tu.find(f"{ns}target")
        if source is None or target is None:
            continue
        if target.get("state") in _UNTRANSLATED_12:
            out.append((-1, _plain(source), _plain(target)))  # counted, not taken
            continue
        seg_source = tu.find(f"{ns}seg-source")
        if seg_source is not None and _segment_marks(seg_source, ns) and _segment_marks(target, ns):
            out.extend(_sentence_pairs(tu, seg_source, target, ns))
        else:
            out.append((tu.sourceline or 0, _plain(source), _plain(target)))
    return out


def _segment_marks(el: etree._Element, ns: str) -> dict[str, etree._Element]:
    """The <mrk mtype="seg"> of a <seg-source> or <target>, by mid."""
    return {m.get("mid", ""): m for m in el.iter(f"{ns}mrk") if m.get("mtype") == "seg"}


def _sentence_pairs(
    tu: etree._Element, seg_source: etree._Element, target: etree._Element, ns: str
) -> list[tuple[int, str, str]]:
    """The sentences of a paragraph that XLIFF 1.2 splits with <seg-source> (Trados's SDLXLIFF,
    memoQ, Okapi): each source <mrk mtype="seg"> paired with the target's of the same mid (the
    paragraph as one unit would be a poor memory: it matches no sentence). In SDLXLIFF a sentence
    is taken only when its sdl:seg says it is translated."""
    confirmed = {seg.get("id", ""): seg.get("conf", "") for seg in tu.iter(f"{{{SDL}}}seg")}
    targets = _segment_marks(target, ns)
    out = []
    for mid, mark in _segment_marks(seg_source, ns).items():
        if mid not in targets:
            continue
        if confirmed and confirmed.get(mid) not in _SDL_DONE:
            out.append((-1, _plain(mark), _plain(targets[mid])))  # counted, not taken
            continue
        out.append((mark.sourceline or tu.sourceline or 0, _plain(mark), _plain(targets[mid])))
    return out


def _pairs_2(file_el: etree._Element, ns: str, stateless: bool) -> list[tuple[int, str, str]]:
    """(line, source, target) of each segment with a target; line -1 for one the file marks as
    not translated (initial: `state="initial"`, or no state where other segments have one)."""
    out = []
    for unit in file_el.iter(f"{ns}unit"):
        for seg in unit.iter(f"{ns}segment"):
            source, target = seg.find(f"{ns}source"), seg.find(f"{ns}target")
            if source is None or target is None:
                continue
            initial = seg.get("state", "translated" if stateless else "initial") == "initial"
            out.append((-1 if initial else seg.sourceline or 0, _plain(source), _plain(target)))
    return out


def read_po_memory(path: Path) -> tuple[str, list[TranslationUnit]]:
    """The translated entries of a gettext PO file. PO does not name the msgids' language: the
    source language returned is "" (the project's), and so is the units' source key."""
    import polib

    try:
        po = polib.pofile(str(path))
    except UnicodeDecodeError as exc:
        raise TranslationMemoryError(f"{path}: not UTF-8 text: {exc.reason}") from None
    except OSError as exc:  # polib reports syntax errors so: "Syntax error in po file ... (line N)"
        message = str(exc).replace(f" {path}", "")
        raise TranslationMemoryError(f"{path}: {message}") from None
    language = po.metadata.get("Language", "").strip()
    if not language:
        raise TranslationMemoryError(
            f'{path}: no Language in the PO header (add a line such as "Language: ru\\n")'
        )
    units = []
    for entry in po:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        target = entry.msgstr or (entry.msgstr_plural.get(0, "") if entry.msgstr_plural else "")
        source, target = normalise(entry.msgid), normalise(target)
        if source and target:
            units.append(
                TranslationUnit({"": source, lang_code(language): target}, entry.linenum or 0)
            )
    return "", units
