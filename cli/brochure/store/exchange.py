"""Round trip with CAT tools: export XLIFF 1.2 or 2.1 files, import the edited files back.

XLIFF 1.2 is what OmegaT (Okapi filter), Trados, memoQ and Poedit all open; 2.1 is the current
standard. One file per document and target language, `<file original=...>` naming the source.

States (ours are XLIFF 2's: initial, translated, reviewed, final) and XLIFF 1.2's `state`:

    export                                   import
    initial with a target -> needs-translation   new, needs-translation, needs-adaptation, needs-l10n -> initial
    translated, MT or fuzzy memory draft         needs-review-* -> translated
            -> needs-review-translation          translated -> translated (reviewed if approved="yes")
            (state-qualifier mt-suggestion /     signed-off -> reviewed
             fuzzy-match)                        final -> final
    translated -> translated                     no state -> translated
                                                 approved="yes" -> reviewed (unless final)
    reviewed -> signed-off, approved="yes"
    final -> final, approved="yes"

Conflicts: every exported unit carries `brochure:base`, a hash of its state and target at export
time, and the project keeps the same hashes in its own record of the export
(.brochure/exports/<document>.<lang>.json), because many CAT tools drop attributes they do not
know. On import a unit is applied only if the project's unit still has that hash (nobody changed
it since) or holds only a machine draft made since (a person's edit wins over a machine draft);
if both sides changed it, the conflict is reported, the project's target kept, and the import
exits with code 3. `prefer="file"` takes the file's side, `prefer="project"` the project's
without reporting. The whole import runs under the translations lock (see translations.save).
XLIFF 1.1 files are read as 1.2; `approved="yes"` on a translated unit makes it reviewed. An XLIFF 2
unit a CAT tool split into several <segment>s is read joined (_segments_2).
The file records the project's name (`brochure:project`); an export of another project, a unit
whose source no longer matches the project's segment, duplicate ids or malformed XML stop the
import with one line naming the file and line, before any translations file is written.
Notes added in the CAT tool are added to the project's unit (never removed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from brochure.core.errors import ExchangeError

if TYPE_CHECKING:
    from lxml import etree

    from brochure.core.datamodel import RichText
    from brochure.core.project import DocumentSpec, Project
    from brochure.store.xliff import TranslationFile, Unit

XLF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLF11 = "urn:oasis:names:tc:xliff:document:1.1"
EXPORTS_DIR = "exports"  # in the project's cache folder: what each export held, per unit
XLF2 = "urn:oasis:names:tc:xliff:document:2.0"
BR = "urn:brochure:exchange:1"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VERSIONS = ("1.2", "2.1")

_TO_12 = {
    "initial": "needs-translation",
    "translated": "translated",
    "reviewed": "signed-off",
    "final": "final",
}
_FROM_12 = {
    "new": "initial", "needs-translation": "initial", "needs-adaptation": "initial", "needs-l10n": "initial",
    "needs-review-translation": "translated", "needs-review-adaptation": "translated",
    "needs-review-l10n": "translated", "translated": "translated", "signed-off": "reviewed", "final": "final",
}  # fmt: skip
_QUALIFIER = {"mt": "mt-suggestion", "memory-fuzzy": "fuzzy-match", "memory": "exact-match"}
_CTYPE = {"em": "italic", "strong": "bold"}
_SUBTYPE_OF_CTYPE = {"italic": "xlf:i", "bold": "xlf:b", "x-italic": "xlf:i", "x-bold": "xlf:b"}


def base_hash(state: str, text: str) -> str:
    """What a unit looked like at export: its state and normalised target text."""
    from brochure.core.text import normalise

    return hashlib.sha1(f"{state}\n{normalise(text)}".encode()).hexdigest()[:16]


def unit_hash(unit: Unit) -> str:
    """A unit's version: its state and normalised target (what export records, edits compare)."""
    text = unit.target.text if unit.target is not None else ""
    return base_hash(unit.state if text.strip() else "initial", text)


# -- export ----------------------------------------------------------------------------------------
def export_xliff(project: Project, langs: Sequence[str] = (), version: str = "1.2",
                 out_dir: Path | None = None) -> list[Path]:  # fmt: skip
    """Write one XLIFF file per document and target language into out_dir (default build/xliff)."""
    from lxml import etree

    from brochure.core.atomic import write_bytes_atomic
    from brochure.store.load import load_translations

    if version not in VERSIONS:
        raise ExchangeError(
            f"--version: {version!r} is not supported (one of: {', '.join(VERSIONS)})"
        )
    langs = project.select_targets(langs)
    segmented, stores = load_translations(project, langs)  # synced in memory, not saved
    out_dir = out_dir or project.build_dir / "xliff"
    written = []
    for document in project.documents:
        units = [s.id for s in segmented[document.name].segments]
        for lang in langs:
            store = stores[(document.name, lang)]
            make = _file_12 if version == "1.2" else _file_21
            exported = [u for u in map(store.get, units) if u is not None]
            root = make(project, document, lang, exported)
            _indent(root)
            etree.cleanup_namespaces(root)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
            path = out_dir / f"{document.name}.{project.source_language}-{lang}.xlf"
            write_bytes_atomic(path, data)
            record = {
                "file": str(path),
                "version": version,
                "units": {unit.id: unit_hash(unit) for unit in exported},
            }
            write_bytes_atomic(_record_path(project, document.name, lang),
                               json.dumps(record, ensure_ascii=False, indent=1).encode())  # fmt: skip
            written.append(path)
    return written


def _record_path(project: Project, document: str, lang: str) -> Path:
    return project.cache_dir / EXPORTS_DIR / f"{document}.{lang}.json"


def _export_record(project: Project, document: str, lang: str) -> dict[str, str]:
    """unit id -> base hash, as the latest export of this document and language held them."""
    try:
        data = json.loads(_record_path(project, document, lang).read_text(encoding="utf-8"))
        units = data["units"]
        return {str(k): str(v) for k, v in units.items()} if isinstance(units, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # a cache: without it, a stripped file's edits apply only to empty units


_CONTENT = ("source", "target", "note", "tool")


def _indent(el: etree._Element, level: int = 0) -> None:
    """Indent the structure, never inside <source>, <target> or <note> (their white space is text)."""
    children = [c for c in el if isinstance(c.tag, str)]
    if not children or el.tag.split("}")[-1] in _CONTENT:
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in children:
        child.tail = pad
        _indent(child, level + 1)
    children[-1].tail = "\n" + "  " * level


def _original(project: Project, document: DocumentSpec) -> str:
    try:
        return document.path.relative_to(project.root).as_posix()
    except ValueError:
        return str(document.path)


def _file_12(
    project: Project, document: DocumentSpec, lang: str, units: list[Unit]
) -> etree._Element:
    from lxml import etree

    from brochure import __version__

    def q(tag):
        return f"{{{XLF12}}}{tag}"

    root = etree.Element(q("xliff"), nsmap={None: XLF12, "brochure": BR}, version="1.2")
    file_el = etree.SubElement(root, q("file"), {
        "original": _original(project, document), "source-language": project.source_language,
        "target-language": lang, "datatype": "plaintext", f"{{{BR}}}project": project.name,
        f"{{{BR}}}document": document.name,
    })  # fmt: skip
    header = etree.SubElement(file_el, q("header"))
    etree.SubElement(
        header,
        q("tool"),
        {"tool-id": "brochure", "tool-name": "brochure", "tool-version": __version__},
    )
    etree.SubElement(header, q("note"), {"from": "brochure"}).text = (
        f"Exported from the brochure project '{project.name}'. Translate or review the targets, keep "
        f"the ids, then bring the file back with `brochure xliff import`."
    )
    body = etree.SubElement(file_el, q("body"))
    for unit in units:
        tu = etree.SubElement(body, q("trans-unit"), {"id": unit.id, "resname": unit.id, XML_SPACE: "preserve",
                                                       f"{{{BR}}}base": unit_hash(unit)})  # fmt: skip
        _write_12(etree.SubElement(tu, q("source")), unit.source)
        if unit.has_target:
            assert unit.target is not None
            state = _TO_12[unit.state]
            origin = unit.meta.get("origin", "")
            target = etree.SubElement(tu, q("target"))
            if unit.state == "translated" and origin in ("mt", "memory-fuzzy"):
                state = "needs-review-translation"
            target.set("state", state)
            if unit.state in ("initial", "translated") and origin in _QUALIFIER:
                target.set("state-qualifier", _QUALIFIER[origin])
            _write_12(target, unit.target)
            if unit.approved:
                tu.set("approved", "yes")
        for note in unit.notes:
            etree.SubElement(tu, q("note"), {"from": note.category or "brochure"}).text = note.text
    return root


def _write_12(el: etree._Element, rich: RichText) -> None:
    """RichText -> XLIFF 1.2 content: emphasis as <g ctype="italic">, strong as <g ctype="bold">,
    a link as the native codes `<a href="...">` and `</a>` in <bpt ctype="link">/<ept> (what CAT
    tools show as a tag pair and write back as they were)."""
    from brochure.store.xliff import write_rich

    codes: dict[str, str] = {}
    write_rich(el, rich, codes)
    for pc in list(el.iter(f"{{{XLF2}}}pc")):
        if pc.get("type") == "link":
            _unwrap_link(pc, codes)
            continue
        kind = {"xlf:i": "em", "xlf:b": "strong"}.get(pc.get("subType", ""), "em")
        pc.tag = f"{{{XLF12}}}g"
        for attr in ("type", "subType"):
            pc.attrib.pop(attr, None)
        pc.set("ctype", _CTYPE[kind])


def _unwrap_link(pc: etree._Element, codes: dict[str, str]) -> None:
    """<pc type="link">text</pc> -> <bpt ctype="link">code</bpt>text<ept>code</ept>, in place."""
    from lxml import etree

    parent = pc.getparent()
    index = parent.index(pc)
    pid = f"l{pc.get('id')}"
    bpt = etree.Element(f"{{{XLF12}}}bpt", id=pid, ctype="link")
    bpt.text = codes[pc.get("dataRefStart")]
    ept = etree.Element(f"{{{XLF12}}}ept", id=pid)
    ept.text = codes[pc.get("dataRefEnd")]
    ept.tail = pc.tail
    bpt.tail = pc.text
    children = list(pc)
    parent.remove(pc)
    parent.insert(index, bpt)
    for offset, child in enumerate(children, 1):
        parent.insert(index + offset, child)
    parent.insert(index + len(children) + 1, ept)


def _file_21(
    project: Project, document: DocumentSpec, lang: str, units: list[Unit]
) -> etree._Element:
    from lxml import etree

    from brochure.store.xliff import MDA, META_CATEGORY, write_rich

    def q(tag):
        return f"{{{XLF2}}}{tag}"

    root = etree.Element(q("xliff"), nsmap={None: XLF2, "brochure": BR, "mda": MDA}, version="2.1",
                         srcLang=project.source_language, trgLang=lang)  # fmt: skip
    file_el = etree.SubElement(root, q("file"), {
        "id": document.name, "original": _original(project, document), f"{{{BR}}}project": project.name,
    })  # fmt: skip
    for unit in units:
        unit_el = etree.SubElement(
            file_el, q("unit"), {"id": unit.id, f"{{{BR}}}base": unit_hash(unit)}
        )
        # schema order: module elements (the unit's metadata), then notes, then the segment
        if unit.meta:
            md = etree.SubElement(unit_el, f"{{{MDA}}}metadata")
            group = etree.SubElement(md, f"{{{MDA}}}metaGroup", category=META_CATEGORY)
            for key, value in unit.meta.items():
                etree.SubElement(group, f"{{{MDA}}}meta", type=key).text = value
        if unit.notes:
            notes = etree.SubElement(unit_el, q("notes"))
            for note in unit.notes:
                attrs = {"category": note.category} if note.category else {}
                etree.SubElement(notes, q("note"), attrs).text = note.text
        seg = etree.SubElement(
            unit_el, q("segment"), state=unit.state if unit.has_target else "initial"
        )
        origin = unit.meta.get("origin", "")
        if unit.has_target and unit.state in ("initial", "translated") and origin in _QUALIFIER:
            # what XLIFF 1.2 says with state-qualifier: a machine or fuzzy-memory draft
            seg.set("subState", f"brochure:{_QUALIFIER[origin]}")
        write_rich(etree.SubElement(seg, q("source")), unit.source)
        if unit.has_target:
            assert unit.target is not None
            write_rich(etree.SubElement(seg, q("target")), unit.target)
    return root


# -- import ----------------------------------------------------------------------------------------
@dataclass
class Incoming:
    """One unit read from an imported file."""

    id: str
    line: int
    source: RichText
    target: RichText | None
    state: str | None
    notes: list[tuple[str, str]]  # (text, category)
    base: str | None


@dataclass
class IncomingFile:
    path: Path
    document: DocumentSpec
    lang: str
    units: list[Incoming]


@dataclass
class Conflict:
    path: Path
    line: int
    unit: str
    ours: str
    theirs: str

    def __str__(self) -> str:
        return (f"{self.path}:{self.line}: unit {self.unit} changed both in the project and in this file "
                f"since export; kept the project's target {_short(self.ours)!r}, not {_short(self.theirs)!r}")  # fmt: skip


@dataclass
class ImportReport:
    applied: list[tuple[Path, str]] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0  # changed only in the project since export: the project's version stays
    notes: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    # (file, line, unit id) of translations whose source the project changed since export: kept
    # aside with the project's old unit in brochure-stale (for reuse), not applied to the new text
    aside: list[tuple[Path, int, str]] = field(default_factory=list)


def _short(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def read_exchange_file(project: Project, path: Path) -> list[IncomingFile]:
    """Parse and check one XLIFF 1.2 or 2.x file; raise ExchangeError (file:line) on bad input."""
    from lxml import etree

    from brochure.core.xmlsafe import parse_xml

    tree = parse_xml(path, ExchangeError, "XLIFF")
    root = tree.getroot()
    ns = etree.QName(root).namespace
    version = root.get("version", "")
    one = ns in (XLF12, XLF11) or (ns is None and version.startswith("1."))
    if etree.QName(root).localname != "xliff" or not (one or ns == XLF2):
        raise ExchangeError(f"{path}:{root.sourceline}: not an XLIFF 1.1, 1.2 or 2.x file")
    files = root.findall(f"{{{ns}}}file" if ns else "file")
    if not files:
        raise ExchangeError(f"{path}:{root.sourceline}: no <file> in this XLIFF")
    out = []
    seen: dict[str, int] = {}
    for file_el in files:
        incoming = (
            _read_file_12(project, path, file_el, ns)
            if one
            else _read_file_2(project, path, root, file_el)
        )
        for unit in incoming.units:
            if unit.id in seen:
                raise ExchangeError(
                    f"{path}:{unit.line}: duplicate unit id {unit.id!r} (first on line {seen[unit.id]})"
                )
            seen[unit.id] = unit.line
        out.append(incoming)
    return out


def _check_file(project: Project, path: Path, el: etree._Element, src: str | None, tgt: str | None,
                doc_name: str | None) -> tuple[DocumentSpec, str]:  # fmt: skip
    line = el.sourceline
    owner = el.get(f"{{{BR}}}project")
    original = el.get("original", "")
    if owner is not None and owner != project.name:
        raise ExchangeError(
            f"{path}:{line}: exported from the project {owner!r}, not from {project.name!r} ({project.path})"
        )
    documents = {d.name: d for d in project.documents}
    document = documents.get(doc_name or "")
    if document is None:  # a tool dropped our attributes: fall back on `original`
        by_path = {_original(project, d): d for d in project.documents}
        document = by_path.get(original)
    if owner is None and document is None:
        raise ExchangeError(
            f"{path}:{line}: not an export of the project {project.name!r} (no brochure:project; "
            f"original {original!r} is none of its documents); export with `brochure xliff export`"
        )
    if document is None:
        raise ExchangeError(
            f"{path}:{line}: the project {project.name!r} has no document {doc_name or original!r}"
        )
    if src and src.split("-")[0].lower() != project.source_language:
        raise ExchangeError(
            f"{path}:{line}: source language {src!r}, the project's is {project.source_language!r}"
        )
    lang = (tgt or "").split("-")[0].lower()
    if lang not in project.target_languages:
        raise ExchangeError(
            f"{path}:{line}: target language {tgt!r} is not one of the project's ({', '.join(project.target_languages)})"
        )
    return document, lang


def _read_file_12(
    project: Project, path: Path, file_el: etree._Element, ns: str | None = XLF12
) -> IncomingFile:
    """A <file> of XLIFF 1.2 (or 1.1, the same structure; `ns` None for files without one)."""

    def q(tag):
        return f"{{{ns}}}{tag}" if ns else tag

    document, lang = _check_file(project, path, file_el, file_el.get("source-language"),
                                 file_el.get("target-language"), file_el.get(f"{{{BR}}}document"))  # fmt: skip
    units = []
    for tu in file_el.iter(q("trans-unit")):
        uid = tu.get("id")
        if not uid:
            raise ExchangeError(f"{path}:{tu.sourceline}: <trans-unit> without id")
        source_el = tu.find(q("source"))
        if source_el is None:
            raise ExchangeError(f"{path}:{tu.sourceline}: unit {uid!r} has no <source>")
        target_el = tu.find(q("target"))
        ctypes = {g.get("id", ""): g.get("ctype", "") for g in source_el.iter(q("g"))}
        target = _read_12(target_el, ctypes) if target_el is not None else None
        state = None
        if target is not None and target.text.strip():
            xml_state = target_el.get("state")  # type: ignore[union-attr]
            state = _FROM_12.get(
                xml_state or "translated", "translated"
            )  # x-... custom states: translated
            if tu.get("approved") == "yes" and state in ("initial", "translated"):
                state = "reviewed"  # approved in the CAT tool (translate-toolkit, Poedit, OmegaT)
        notes = [
            (n.text or "", n.get("from", ""))
            for n in tu.findall(q("note"))
            if (n.text or "").strip()
        ]
        units.append(Incoming(uid, tu.sourceline or 0, _read_12(source_el), target, state, notes,
                              tu.get(f"{{{BR}}}base")))  # fmt: skip
    return IncomingFile(path, document, lang, units)


def _read_12(el: etree._Element, ctypes: dict[str, str] | None = None) -> RichText:
    """XLIFF 1.2 content -> RichText: <g ctype=italic|bold> become spans (and so do the pairs of
    codes some tools write a <g> as: _wrap_pairs); codes are dropped. `ctypes`: the ctype of each
    <g id> of the unit's source, for a target whose codes do not repeat it."""
    import copy

    from brochure.store.xliff import read_rich

    el = copy.deepcopy(el)
    codes = _wrap_links(el)
    _wrap_pairs(el, ctypes or {})
    for child in list(el.iter()):
        if child is el or not isinstance(child.tag, str):
            continue
        local = child.tag.split("}")[-1]
        if local == "pc":
            continue  # a link, from _wrap_links
        if local == "g":
            ctype = child.get("ctype", "")
            child.tag = f"{{{XLF2}}}pc"
            if ctype in _SUBTYPE_OF_CTYPE:
                child.set("subType", _SUBTYPE_OF_CTYPE[ctype])
        elif local in ("x", "bx", "ex", "ph", "bpt", "ept", "it"):
            tail = child.tail
            for sub in list(child):
                child.remove(sub)
            child.text = None
            child.attrib.clear()
            child.tag = f"{{{XLF2}}}ph"
            child.tail = tail
    return read_rich(el, codes)


def _wrap_pairs(el: etree._Element, ctypes: dict[str, str]) -> None:
    """Each <bx/> ... <ex/> (or <bpt> ... <ept>) pair of one id, side by side, whose ctype (its own,
    or the source's <g> of that id) is italic or bold -> <g ctype> around what lies between, in
    place. Tools that do not keep <g> write it so (Wordfast, Deja Vu, some Okapi settings): the
    italics of a unit were dropped without a word, and the import applied the loss."""
    from lxml import etree

    closing = {"bx": "ex", "bpt": "ept"}
    for opening in [c for c in el.iter() if isinstance(c.tag, str)]:
        local = etree.QName(opening).localname
        parent = opening.getparent()
        if local not in closing or parent is None:
            continue
        key = opening.get("rid") or opening.get("id") or ""
        ctype = opening.get("ctype") or ctypes.get(opening.get("id", ""), "")
        if ctype not in _SUBTYPE_OF_CTYPE:
            continue
        siblings = list(parent)
        start = siblings.index(opening)
        end = next((i for i in range(start + 1, len(siblings))
                    if isinstance(siblings[i].tag, str)
                    and etree.QName(siblings[i]).localname == closing[local]
                    and (siblings[i].get("rid") or siblings[i].get("id")) == key), None)  # fmt: skip
        if end is None:
            continue
        g = etree.Element(f"{{{XLF12}}}g", id=key, ctype=ctype)
        g.text = opening.tail
        for inner in siblings[start + 1 : end]:
            g.append(inner)  # moves it, with its tail
        g.tail = siblings[end].tail
        parent.remove(siblings[end])
        parent.replace(opening, g)


def _wrap_links(el: etree._Element) -> dict[str, str]:
    """Each <bpt> whose code opens a link (`<a href="...">`) and its <ept> (same id, or rid,
    beside it) -> <pc type="link"> around what lies between, in place; returns the codes."""
    from lxml import etree

    from brochure.store.xliff import LINK_END, link_of_code

    codes: dict[str, str] = {}
    for bpt in list(el.iter(f"{{{XLF12}}}bpt", f"{{{XLF11}}}bpt")):
        code = "".join(bpt.itertext())
        if link_of_code(code) is None:
            continue
        parent = bpt.getparent()
        key = bpt.get("rid") or bpt.get("id")
        siblings = list(parent)
        start = siblings.index(bpt)
        end = next((i for i in range(start + 1, len(siblings))
                    if isinstance(siblings[i].tag, str) and etree.QName(siblings[i]).localname == "ept"
                    and (siblings[i].get("rid") or siblings[i].get("id")) == key), None)  # fmt: skip
        if end is None:
            continue
        ref = f"link{len(codes) + 1}"
        codes[ref], codes["link-end"] = code, LINK_END
        pc = etree.Element(f"{{{XLF2}}}pc", id=ref, type="link", dataRefStart=ref,
                           dataRefEnd="link-end")  # fmt: skip
        pc.text = bpt.tail
        ept = siblings[end]
        for inner in siblings[start + 1 : end]:
            pc.append(inner)  # moves it, with its tail
        pc.tail = ept.tail
        parent.remove(ept)
        parent.replace(bpt, pc)
    return codes


def _read_file_2(
    project: Project, path: Path, root: etree._Element, file_el: etree._Element
) -> IncomingFile:
    def q(tag):
        return f"{{{XLF2}}}{tag}"

    document, lang = _check_file(
        project, path, file_el, root.get("srcLang"), root.get("trgLang"), file_el.get("id")
    )
    units = []
    for unit_el in file_el.iter(q("unit")):
        uid = unit_el.get("id")
        if not uid:
            raise ExchangeError(f"{path}:{unit_el.sourceline}: <unit> without id")
        if not unit_el.findall(q("segment")) or any(
            seg.find(q("source")) is None for seg in unit_el.iterfind(q("segment"))
        ):
            raise ExchangeError(
                f"{path}:{unit_el.sourceline}: unit {uid!r} has no <segment> with a <source>"
            )
        source, target, state = _segments_2(path, unit_el)
        notes = [(n.text or "", n.get("category", "")) for n in unit_el.iterfind(f"{q('notes')}/{q('note')}")
                 if (n.text or "").strip()]  # fmt: skip
        units.append(Incoming(uid, unit_el.sourceline or 0, source, target, state, notes,
                              unit_el.get(f"{{{BR}}}base")))  # fmt: skip
    return IncomingFile(path, document, lang, units)


def _segments_2(
    path: Path, unit_el: etree._Element
) -> tuple[RichText, RichText | None, str | None]:
    """An XLIFF 2 unit's source, target and state. A CAT tool that split our sentence in its
    editor (Trados, memoQ, Okapi) writes the parts as several <segment>s, with <ignorable>s
    between them: their sources and targets are joined in order (an <ignorable>'s white space goes
    into the target between two parts translated), and the state is the least advanced of the
    parts', or initial when a part has no target: a half-translated sentence is not a translation."""
    from lxml import etree

    from brochure.store.xliff import STATES, read_rich, unit_codes

    def q(tag: str) -> str:
        return f"{{{XLF2}}}{tag}"

    parts = [el for el in unit_el if el.tag in (q("segment"), q("ignorable"))]
    if len(parts) == 1:
        seg = parts[0]
        source_el, target_el = seg.find(q("source")), seg.find(q("target"))
    else:
        source_el, target_el = etree.Element(q("source")), etree.Element(q("target"))
        between: list[etree._Element] = []  # ignorables, in the target only before more target
        for part in parts:
            src, tgt = part.find(q("source")), part.find(q("target"))
            _append_content(source_el, src)
            if part.tag == q("ignorable"):
                between.append(tgt if tgt is not None else src)  # type: ignore[arg-type]
            elif tgt is not None:
                for el in between:
                    _append_content(target_el, el)
                between = []
                _append_content(target_el, tgt)
    assert source_el is not None
    codes = unit_codes(unit_el)
    states = []
    for seg in unit_el.iterfind(q("segment")):
        state = seg.get("state", "initial")
        if state not in STATES:
            raise ExchangeError(
                f"{path}:{seg.sourceline}: unknown state {state!r} (one of: {', '.join(STATES)})"
            )
        tgt = seg.find(q("target"))
        states.append(state if tgt is not None and "".join(tgt.itertext()).strip() else "initial")
    target = read_rich(target_el, codes) if target_el is not None else None
    if target is None or not target.text.strip():
        return read_rich(source_el, codes), target, None
    return read_rich(source_el, codes), target, min(states, key=STATES.index)


def _append_content(into: etree._Element, el: etree._Element | None) -> None:
    """Copy the text and children of `el` (if any) to the end of `into`."""
    import copy

    if el is None:
        return
    last = into[-1] if len(into) else None
    if last is None:
        into.text = (into.text or "") + (el.text or "")
    else:
        last.tail = (last.tail or "") + (el.text or "")
    for child in el:
        into.append(copy.deepcopy(child))


def import_xliff(
    project: Project, paths: Iterable[Path], prefer: str | None = None
) -> ImportReport:
    """Bring edited targets, states and notes back from CAT-tool files; report conflicts.

    Everything is read and checked first; translations files are written (atomically) only when
    every file is good, all under the translations lock. `prefer`: None reports units changed on
    both sides as conflicts; "file" applies the file's version; "project" keeps the project's.
    """
    from brochure.core.atomic import file_lock
    from brochure.store.xliff import LOCK_FILE

    if prefer not in (None, "file", "project"):
        raise ExchangeError(f"--prefer: {prefer!r} is not one of: file, project")
    incoming = [f for path in paths for f in read_exchange_file(project, Path(path))]
    _import(project, incoming, prefer, write=False)  # bad input stops here, before any lock
    lock = project.cache_dir / "locks" / LOCK_FILE
    with file_lock(lock, project.root / project.translations_dir):
        return _import(project, incoming, prefer, write=True)


def _import(
    project: Project, incoming: list[IncomingFile], prefer: str | None, write: bool
) -> ImportReport:
    """Check every incoming unit against the stores, then (if `write`) apply and save."""
    from brochure.core.text import normalise
    from brochure.store.xliff import open_store

    stores: dict[tuple[str, str], TranslationFile] = {}
    records: dict[tuple[str, str], dict[str, str]] = {}
    segmented: dict[str, object] = {}
    plan: list[tuple[TranslationFile, Incoming, str]] = []  # (store, unit, decision)
    report = ImportReport()
    for file in incoming:
        key = (file.document.name, file.lang)
        if key not in stores:
            from brochure.segmentation.documents import segment_source

            if file.document.name not in segmented:
                segmented[file.document.name] = segment_source(project, file.document)
            store = open_store(project, file.document, file.lang)
            store.sync(segmented[file.document.name].segments)  # type: ignore[attr-defined]
            stores[key] = store
            records[key] = _export_record(project, *key)
        store = stores[key]
        for inc in file.units:
            unit = store.get(inc.id)
            if (unit is None or unit.stale) and inc.target is None:
                # exported, then its sentence was edited in the project: nothing to bring back
                report.unchanged += 1
                continue
            if unit is None:
                raise ExchangeError(
                    f"{file.path}:{inc.line}: unit {inc.id!r} is not a segment of {file.document.name} any more "
                    f"(its source text was edited after export); export again with `brochure xliff export`"
                )
            if normalise(unit.source.text) != normalise(inc.source.text):
                raise ExchangeError(
                    f"{file.path}:{inc.line}: unit {inc.id!r}: the source no longer matches the project's "
                    f"segment {_short(unit.source.text)!r}; export again with `brochure xliff export`"
                )
            base = inc.base if inc.base is not None else records[key].get(inc.id)
            decision = _decide(unit, inc, base)
            if decision == "conflict" and prefer is not None:
                decision = "apply" if prefer == "file" else "kept"
            if unit.stale and decision == "apply":
                # A translation of a sentence the project edited since export: the other units of
                # the file come in; this one goes to the old unit, aside, for the memory to offer.
                report.aside.append((file.path, inc.line, inc.id))
            plan.append((store, inc, decision))
    if not write:
        return report
    for store, inc, decision in plan:
        unit = store.get(inc.id)
        assert unit is not None
        if decision == "apply":
            assert inc.target is not None and inc.state is not None
            meta = person_meta(unit, inc.target.text, "xliff")
            store.set_target(inc.id, inc.target, inc.state, meta=meta)
            if not unit.stale:  # (a stale unit's translation is reported as kept aside)
                report.applied.append((store.path, inc.id))
        elif decision == "conflict":
            report.conflicts.append(Conflict(
                _file_of(incoming, inc), inc.line, inc.id,
                unit.target.text if unit.target is not None else "",
                inc.target.text if inc.target is not None else "",
            ))  # fmt: skip
        elif decision == "kept":
            report.kept += 1
        else:
            report.unchanged += 1
        have = {normalise(n.text) for n in unit.notes}
        for text, category in inc.notes:
            if normalise(text) not in have:
                store.add_note(inc.id, text, category or "translator")
                have.add(normalise(text))
                report.notes += 1
    for store in stores.values():
        if store.changed and store.save():
            report.written.append(store.path)
    return report


def _file_of(files: list[IncomingFile], inc: Incoming) -> Path:
    return next(f.path for f in files if inc in f.units)


def person_meta(unit: Unit, target: str, via: str) -> dict[str, str]:
    """The metadata of `unit` once a person set its target to `target` (through `via`): a
    changed text, or any text over a machine draft, is the person's (origin human)."""
    from brochure.core.text import normalise
    from brochure.store.xliff import MACHINE_ORIGINS

    meta = dict(unit.meta)
    old = unit.target.text if unit.target is not None else ""
    if normalise(old) != normalise(target) or meta.get("origin") in MACHINE_ORIGINS:
        meta.update({"origin": "human", "via": via})
    return meta


def _decide(unit: Unit, inc: Incoming, base: str | None) -> str:
    """apply / unchanged / kept (only the project changed) / conflict (both changed).

    `base`: the unit's hash at export (from the file, else from the project's export record).
    """
    from brochure.core.text import normalise
    from brochure.store.xliff import MACHINE_ORIGINS

    if inc.target is None or inc.state is None:
        return "unchanged"  # no target in the file: nothing to bring back
    ours = unit_hash(unit)
    theirs = base_hash(inc.state, inc.target.text)
    ours_text = unit.target.text if unit.target is not None else ""
    same_spans = unit.target is not None and unit.target.spans == inc.target.spans
    if (
        normalise(ours_text) == normalise(inc.target.text)
        and unit.state == inc.state
        and same_spans
    ):
        return "unchanged"
    machine_draft = not unit.approved and unit.meta.get("origin", "") in MACHINE_ORIGINS
    if base is None:  # no record of the export: safe only over nothing or a machine draft
        return "apply" if not unit.has_target or machine_draft else "conflict"
    if ours == base:
        return "apply"
    if theirs == base:
        return "kept"
    if machine_draft:
        return "apply"  # drafted by machine since the export: the person's edit wins
    return "conflict"
