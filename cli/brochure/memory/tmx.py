"""TMX 1.4b in and out: reading memory files, `brochure memory import` and `export`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from brochure.core.datamodel import RichText
from brochure.core.errors import TranslationMemoryError
from brochure.core.text import normalise, slug

if TYPE_CHECKING:
    from lxml import etree

    from brochure.core.project import Project

MEMORY_DIR = "memory"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def lang_code(code: str) -> str:
    """'en-US', 'EN', 'ru_RU', 'kk-Cyrl-KZ' -> 'en', 'en', 'ru', 'kk'."""
    return re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()


@dataclass
class TranslationUnit:
    """One entry of a memory file: its texts by language, and where it was found."""

    texts: dict[str, str]
    line: int = 0
    props: list[tuple[str, str]] = field(default_factory=list)  # (type, value) of TMX <prop>
    notes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)  # creationdate, changeid, ...
    # A text's inline markup (emphasis, strong, links) by language, written as TMX codes so a CAT
    # tool's memory keeps it; the memory itself matches plain text (read_tmx drops the codes).
    markup: dict[str, RichText] = field(default_factory=dict)


# -- TMX -------------------------------------------------------------------------------------------
def _seg_text(seg: etree._Element) -> str:
    """A TMX <seg>'s text: codes (<bpt>, <ept>, <ph>, <it>, <ut>) dropped, <hi> kept."""
    parts = [seg.text or ""]
    for child in seg:
        if isinstance(child.tag, str) and child.tag.split("}")[-1] in ("hi", "sub"):
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tmx(path: Path) -> tuple[str, list[TranslationUnit]]:
    """Parse a TMX file (1.1-1.4b, as OmegaT, translate-toolkit, Trados write it).

    Returns the header's source language and the units; raises TranslationMemoryError naming the
    file and line for anything malformed.
    """
    from lxml import etree

    from brochure.core.xmlsafe import parse_xml

    tree = parse_xml(path, TranslationMemoryError, "TMX", huge=True)
    root = tree.getroot()
    if etree.QName(root).localname != "tmx":
        raise TranslationMemoryError(
            f"{path}:{root.sourceline}: not a TMX file (root <{etree.QName(root).localname}>)"
        )
    header = root.find("header")
    srclang = lang_code(header.get("srclang", "")) if header is not None else ""
    body = root.find("body")
    if body is None:
        raise TranslationMemoryError(f"{path}:{root.sourceline}: TMX without <body>")
    units = []
    for tu in body.iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            code = tuv.get(XML_LANG) or tuv.get("lang")  # TMX 1.1 used `lang`
            if not code:
                raise TranslationMemoryError(f"{path}:{tuv.sourceline}: <tuv> without xml:lang")
            segs = tuv.findall("seg")
            if not segs:
                raise TranslationMemoryError(f"{path}:{tuv.sourceline}: <tuv> without <seg>")
            # TMX allows one <seg>; a tool that wrote several meant them all (the first alone
            # would pair part of a text with a translation of the whole)
            text = normalise(" ".join(_seg_text(seg) for seg in segs))
            if text:
                texts.setdefault(lang_code(code), text)
        unit = TranslationUnit(texts=texts, line=tu.sourceline or 0)
        unit.props = [(p.get("type", ""), p.text or "") for p in tu.findall("prop")]
        unit.notes = [n.text or "" for n in tu.findall("note")]
        unit.attrs = {k: v for k, v in tu.attrib.items() if k in _TU_ATTRS}
        units.append(unit)
    return srclang, units


_TU_ATTRS = (
    "tuid",
    "creationdate",
    "creationid",
    "changedate",
    "changeid",
    "usagecount",
    "lastusagedate",
)


def write_tmx(
    path: Path, units: Iterable[TranslationUnit], srclang: str, tool_version: str = ""
) -> int:
    """Write TMX 1.4b atomically (several languages per <tu>); return the number of units."""
    from lxml import etree

    from brochure.core.atomic import write_bytes_atomic

    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "brochure", "creationtoolversion": tool_version or _version(),
        "segtype": "sentence", "o-tmf": "brochure", "adminlang": "en", "srclang": srclang,
        "datatype": "plaintext",
    })  # fmt: skip
    body = etree.SubElement(root, "body")
    count = 0
    coded: list[tuple[etree._Element, RichText]] = []
    for unit in units:
        if len(unit.texts) < 2:
            continue
        tu = etree.SubElement(body, "tu", unit.attrs)
        for ptype, value in unit.props:
            etree.SubElement(tu, "prop", type=ptype).text = value
        for note in unit.notes:
            etree.SubElement(tu, "note").text = note
        for lang, text in unit.texts.items():
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            seg = etree.SubElement(tuv, "seg")
            seg.text = text
            rich = unit.markup.get(lang)
            if rich is not None and rich.text == text and rich.spans:
                coded.append((seg, rich))
        count += 1
    etree.indent(root, space="  ")
    for seg, rich in coded:  # after indenting, which would put white space into a <seg> of codes
        _write_codes(seg, rich)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    write_bytes_atomic(path, data)
    return count


# TMX paired codes: the native markup (HTML, as in our XLIFF's <originalData>) of each kind.
_CODE_TYPES = {"em": ("italic", "<i>", "</i>"), "strong": ("bold", "<b>", "</b>"),
               "link": ("link", "", "</a>")}  # fmt: skip


def _write_codes(seg: etree._Element, rich: RichText) -> None:
    """A <seg> with the text and its spans as <bpt i type>native code</bpt> ... <ept i>...</ept>."""
    from lxml import etree

    from brochure.store.xliff import link_code

    seg.text = None
    spans = [s for s in rich.spans if s.kind in _CODE_TYPES and s.end > s.start]
    # at one position: closings before openings, the inner closing first, the outer opening first
    events = sorted(
        [(s.start, 1, -s.end, i) for i, s in enumerate(spans)]
        + [(s.end, 0, -s.start, i) for i, s in enumerate(spans)]
    )
    pos = 0
    last: etree._Element | None = None

    def text(piece: str) -> None:
        if last is None:
            seg.text = (seg.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece

    for at, opening, _, i in events:
        text(rich.text[pos:at])
        pos = at
        kind, start, end = _CODE_TYPES[spans[i].kind]
        if opening:
            last = etree.SubElement(seg, "bpt", i=str(i + 1), type=kind)
            last.text = link_code(spans[i].target) if spans[i].kind == "link" else start
        else:
            last = etree.SubElement(seg, "ept", i=str(i + 1))
            last.text = end
    text(rich.text[pos:])


def _version() -> str:
    from brochure import __version__

    return __version__


def import_tmx(project: Project, file: Path) -> tuple[Path, int, bool]:
    """Copy a TMX into the project's memory/ (normalised: language codes, plain text, 1.4b).

    Only units with the project's source language and at least one target language are kept.
    Returns the file written, the number of units and whether an older copy was replaced.
    """
    _, units = read_tmx(file)
    return keep_units(project, file, units)


def keep_units(
    project: Project, file: Path, units: list[TranslationUnit]
) -> tuple[Path, int, bool]:
    """Write the units of `file` that pair the project's languages as memory/<name>.tmx."""
    wanted = set(project.languages)
    kept = []
    found: Counter[str] = Counter()
    for unit in units:
        found.update(unit.texts.keys())
        texts = {lang: text for lang, text in unit.texts.items() if lang in wanted}
        if project.source_language in texts and len(texts) >= 2:
            unit.texts = texts
            kept.append(unit)
    if not kept:
        have = ", ".join(sorted(found)) or "none"
        raise TranslationMemoryError(
            f"{file}: no unit pairs the project's source language {project.source_language!r} with one "
            f"of {', '.join(project.target_languages)} (languages in the file: {have})"
        )
    dest = project.root / MEMORY_DIR / (slug(file.stem, "memory", unicode=True) + ".tmx")
    replaced = dest.exists()
    write_tmx(dest, kept, project.source_language)
    return dest, len(kept), replaced


def project_units(project: Project, langs: Sequence[str] = ()) -> list[TranslationUnit]:
    """The approved units of the project's own translations, one TMX unit per segment (all languages)."""
    from brochure.store.xliff import TranslationFile

    langs = [
        lang for lang in (langs or project.target_languages) if lang != project.source_language
    ]
    units: dict[tuple[str, str], TranslationUnit] = {}
    for document in project.documents:
        for lang in langs:
            path = project.translations_path(document, lang)
            if not path.exists():
                continue
            store = TranslationFile.open(path, project.source_language, lang, document.name)
            for unit in store.units(include_stale=True):
                if not unit.approved or not unit.target or not unit.target.text.strip():
                    continue
                source = normalise(unit.source.text)
                entry = units.setdefault((document.name, source), TranslationUnit(
                    texts={project.source_language: source},
                    props=[("x-document", document.name), ("x-segment", unit.id)],
                    markup={project.source_language: unit.source},
                ))  # fmt: skip
                entry.texts[lang] = normalise(unit.target.text)
                entry.markup[lang] = unit.target
    return [u for u in units.values() if len(u.texts) >= 2]


def export_tmx(project: Project, out: Path, langs: Sequence[str] = ()) -> int:
    """Write the project's approved translations as one TMX 1.4b file; return the unit count."""
    project.select_targets(langs)
    return write_tmx(out, project_units(project, langs), project.source_language)
