"""TBX import and export: how termbases move between Trados, memoQ, OmegaT and us.

Reads both forms found in the wild: TBX-Basic v2 (`<martif>` / `<termEntry>` / `<langSet>` /
`<tig>` or `<ntig>`, as translate-toolkit writes it) and TBX v3 (`<tbx>` / `<conceptEntry>` /
`<langSec>` / `<termSec>`). Writes TBX-Basic v2, which every CAT tool we know imports.
Statuses travel as termNote administrativeStatus: preferredTerm-admn-sts, admittedTerm-admn-sts,
deprecatedTerm-admn-sts (and supersededTerm-admn-sts, read as forbidden).
Our own extras (flags, stored forms) travel in fields TBX-Basic tools ignore.
Why our own lxml code: translate-toolkit (GPL) cannot read TBX v3 and would add ~100 scripts.
The parser never resolves entities, loads a DTD or touches the network.
"""

from __future__ import annotations

import re
from pathlib import Path

from brochure.core.errors import GlossaryError
from brochure.glossary.concepts import (
    FLAGS,
    Concept,
    concept_slug,
    free_id,
    langs,
    valid_id,
    valid_tag,
)

# administrativeStatus (TBX-Basic's values end in -admn-sts) and normativeAuthorization (ISO 12620,
# older and TBX-Default files: preferredTerm, supersededTerm, ...; the TBX spec's own example)
STATUS_IN = {
    "preferredterm-admn-sts": "preferred", "preferred": "preferred", "preferredterm": "preferred",
    "standardizedterm-admn-sts": "preferred", "standardizedterm": "preferred",
    "admittedterm-admn-sts": "admitted", "admitted": "admitted", "admittedterm": "admitted",
    "legalterm": "admitted", "regulatedterm": "admitted",
    "deprecatedterm-admn-sts": "forbidden", "deprecated": "forbidden", "deprecatedterm": "forbidden",
    "supersededterm-admn-sts": "forbidden", "superseded": "forbidden", "supersededterm": "forbidden",
    "notrecommended": "forbidden", "forbidden": "forbidden",
}  # fmt: skip
_STATUS_NOTES = ("administrativeStatus", "normativeAuthorization")
STATUS_OUT = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def _local(el) -> str:  # type: ignore[no-untyped-def]
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, *names: str) -> list:  # type: ignore[no-untyped-def]
    return [c for c in el if _local(c) in names]


def _text(el) -> str:  # type: ignore[no-untyped-def]
    """The element's text with white space collapsed: a term or note is one line (a U+2028 or
    a tab from another tool would otherwise break the glossary's TSV)."""
    return " ".join("".join(el.itertext()).split())


def parse_xml(path: Path):  # type: ignore[no-untyped-def]
    """Parse an XML file safely; malformed XML -> GlossaryError with file and line."""
    from brochure.core.xmlsafe import parse_xml

    return parse_xml(path, GlossaryError, "XML")


def _lang(path: Path, el, inherited: str = "") -> str:  # type: ignore[no-untyped-def]
    raw = el.get(XML_LANG) or el.get("lang") or inherited
    if not raw:
        raise GlossaryError(f"{path}:{el.sourceline}: <{_local(el)}> has no xml:lang")
    if not _LANG_TAG.match(raw):
        raise GlossaryError(f"{path}:{el.sourceline}: invalid language code {raw!r}")
    return raw.split("-")[0].split("_")[0].lower()


def read_tbx(path: Path) -> list[Concept]:
    """Concepts from a TBX file (v2 martif or v3 tbx). Languages we do not know are skipped."""
    return read_tbx_root(path, parse_xml(path).getroot())


def read_tbx_root(path: Path, root) -> list[Concept]:  # type: ignore[no-untyped-def]
    """Concepts of a parsed TBX document (`root` is its `<martif>` or `<tbx>`)."""
    if _local(root) not in ("martif", "tbx"):
        raise GlossaryError(
            f"{path}:{root.sourceline}: not a TBX file (root <{_local(root)}>, expected <martif>, "
            "<tbx> or MultiTerm's <mtf>)"
        )
    entries = [el for el in root.iter() if _local(el) in ("termEntry", "conceptEntry")]
    concepts: list[Concept] = []
    seen: dict[str, int] = {}  # the file's own ids: two entries of one id is a broken file
    ids: set[str] = set()
    for n, entry in enumerate(entries, 1):
        concept = _concept(path, entry, n)
        if concept is None:
            continue
        raw = entry.get("id") or ""
        if raw and raw in seen:
            raise GlossaryError(
                f"{path}:{entry.sourceline}: duplicate id {raw!r} (first at line {seen[raw]})"
            )
        seen[raw] = entry.sourceline or 0
        # ids that differ only as written ("Strike 1", "strike-1") or made from the same term
        # are numbered: the file's ids are labels (import matches concepts by their terms)
        concept.id = free_id(concept.id, ids)
        concepts.append(concept)
    return concepts


# Ids other tools give their entries, which say nothing of the concept: numbers with or
# without a short prefix (c123, tid-42, 17), GUIDs, XML-ID forms (_x1F, _12). A concept so
# marked gets an id made from its terms, as `glossary add` makes one.
_MACHINE_ID = re.compile(
    r"^(?:_.*|[A-Za-z]{0,4}[-_.]?\d+|\{?[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}?)$"
)


def concept_id(raw: str) -> str:
    """Our id for a TBX entry's id: our own export's as it was (its `c-` prefix, which XML IDs
    need before a digit, taken off), another tool's written out in our form (spaces and the like:
    `Strike Committee` -> `strike-committee`), "" for one that says nothing of the concept."""
    raw = raw.strip()
    if re.match(r"c-[0-9.-]", raw):
        raw = raw[2:]
    if not raw or _MACHINE_ID.match(raw):
        return ""
    return raw if valid_id(raw) else concept_slug(raw)


def _concept(path: Path, entry, n: int) -> Concept | None:  # type: ignore[no-untyped-def]
    concept = Concept(id=concept_id(entry.get("id") or ""), origin=f"{path}:{entry.sourceline}")
    flags: set[str] = set()
    notes: list[str] = []
    for el in entry:
        local = _local(el)
        kind = (el.get("type") or "").strip()
        if local == "descrip" and kind == "subjectField":
            concept.domain = _text(el)
        elif local in ("descrip", "admin", "note") and kind == "brochure-flags":
            flags.update(_flags(path, el))
        elif local == "note" or (local == "descrip" and kind in ("definition", "context")):
            notes.append(_text(el))
        elif local == "descripGrp":
            for d in _children(el, "descrip"):
                if d.get("type") == "subjectField":
                    concept.domain = _text(d)
                elif d.get("type") == "definition":
                    notes.append(_text(d))
    for lang_el in _children(entry, "langSet", "langSec"):
        lang = _lang(path, lang_el)
        if lang not in langs():
            continue
        # a definition or note given for the language (TBX-Basic's place for a definition;
        # IATE's and Microsoft's termbases): it was lost
        for d in [*_children(lang_el, "descrip", "note"),
                  *(d for g in _children(lang_el, "descripGrp") for d in _children(g, "descrip"))]:  # fmt: skip
            if (_local(d) == "note" or d.get("type") in ("definition", "context")) and (
                value := _text(d)
            ):
                notes.append(f"{lang}: {value}")
        preferred: list[str] = []
        admitted: list[str] = []
        forbidden: list[str] = []
        for term_el in _children(lang_el, "tig", "ntig", "termSec"):
            holder = term_el
            grp = _children(term_el, "termGrp")
            if grp:
                holder = grp[0]
            terms = _children(holder, "term")
            if not terms:
                raise GlossaryError(
                    f"{path}:{term_el.sourceline}: <{_local(term_el)}> without <term>"
                )
            text = _text(terms[0])
            if not text:
                continue
            # a note on one term (TBX puts it in the tig/termSec) is kept in the concept's note
            extra = [] if holder is term_el else _children(holder, "note")
            for note_el in _children(term_el, "note") + extra:
                if value := _text(note_el):
                    notes.append(f"{lang} «{text}»: {value}")
            status = ""
            form = ""
            for note in [
                *_children(holder, "termNote"),
                *_children(term_el, "termNote"),
                *_termnote_groups(term_el),
            ]:
                kind = note.get("type", "")
                value = _text(note)
                if kind in _STATUS_NOTES:  # normativeAuthorization was ignored: a superseded
                    # term came in as an admitted one
                    key = value.lower()
                    if key not in STATUS_IN:
                        raise GlossaryError(
                            f"{path}:{note.sourceline}: unknown status {value!r} "
                            f"(preferredTerm-admn-sts, admittedTerm-admn-sts or deprecatedTerm-admn-sts)"
                        )
                    status = STATUS_IN[key]
                elif kind == "partOfSpeech" and not concept.pos:
                    concept.pos = value
                elif kind == "brochure-form":
                    if not valid_tag(value, lang):
                        raise GlossaryError(f"{path}:{note.sourceline}: unknown form tag {value!r}")
                    form = value
            if form:
                concept.forms.setdefault(lang, {})[form] = text
            elif status == "forbidden":
                forbidden.append(text)
            elif status == "admitted":
                admitted.append(text)
            elif status == "preferred":
                preferred.append(text)
            else:
                (admitted if preferred or admitted else preferred).append(text)
        if not preferred and admitted:
            preferred.append(admitted.pop(0))
        if preferred:
            concept.preferred[lang] = preferred[0]
        more = preferred[1:] + admitted
        if more:
            concept.admitted[lang] = tuple(dict.fromkeys(more))
        if forbidden:
            concept.forbidden[lang] = tuple(dict.fromkeys(forbidden))
    concept.note = " ".join(dict.fromkeys(x for x in notes if x))
    concept.flags = frozenset(flags)
    if not concept.id:
        concept.id = (
            concept_slug(concept.preferred.get("en") or next(iter(concept.preferred.values()), ""))
            or f"entry-{n}"
        )
    if not (concept.preferred or concept.forbidden):
        return None
    return concept


def _termnote_groups(term_el) -> list:  # type: ignore[no-untyped-def]
    return [tn for g in _children(term_el, "termNoteGrp") for tn in _children(g, "termNote")]


def _flags(path: Path, el) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for flag in re.split(r"[,\s]+", _text(el)):
        if not flag:
            continue
        if flag not in FLAGS:
            raise GlossaryError(
                f"{path}:{el.sourceline}: unknown flag {flag!r} (known: {', '.join(FLAGS)})"
            )
        out.append(flag)
    return out


def _xml_id(concept_id: str) -> str:
    """TBX ids are XML IDs, which cannot start with a digit, '-' or '.': prefix those with "c-".
    (Import matches concepts by their terms, so the id a file carries is only a label.)"""
    return concept_id if re.match(r"[A-Za-z_]", concept_id) else f"c-{concept_id}"


def tbx_bytes(concepts: list[Concept]) -> bytes:
    """The concepts as a TBX-Basic (v2, martif) document."""
    from lxml import etree

    root = etree.Element("martif", type="TBX-Basic")
    root.set(XML_LANG, "en")
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    source = etree.SubElement(etree.SubElement(file_desc, "sourceDesc"), "p")
    source.text = "brochure glossary export"
    enc = etree.SubElement(header, "encodingDesc")
    p = etree.SubElement(enc, "p", type="XCSURI")
    p.text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for c in concepts:
        entry = etree.SubElement(body, "termEntry", id=_xml_id(c.id))
        if c.domain:
            etree.SubElement(entry, "descrip", type="subjectField").text = c.domain
        if c.note:
            etree.SubElement(entry, "note").text = c.note
        if c.flags:
            etree.SubElement(entry, "descrip", type="brochure-flags").text = ",".join(
                sorted(c.flags)
            )
        for lang in langs():
            terms = list(c.terms(lang))
            if not terms:
                continue
            lang_set = etree.SubElement(entry, "langSet")
            lang_set.set(XML_LANG, lang)
            for term in terms:
                tig = etree.SubElement(lang_set, "tig")
                etree.SubElement(tig, "term").text = term.text
                if c.pos:
                    etree.SubElement(tig, "termNote", type="partOfSpeech").text = c.pos
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = STATUS_OUT[
                    term.status
                ]
                if term.form:
                    etree.SubElement(tig, "termNote", type="brochure-form").text = term.form
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
