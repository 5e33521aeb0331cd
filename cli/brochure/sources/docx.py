"""A Word document (.docx) -> paragraphs: the body's text as the editor sees it with changes accepted.

python-docx opens the package and resolves styles; the body is walked in its XML because runs,
hyperlinks, tracked changes and note references interleave there. Kept: headings (Heading N,
Title, or an outline level), list items (numbered or bulleted by the numbering definitions), quotes
(Quote, Intense Quote, Block Text styles), italic/bold set on a run or by a character style, links,
footnotes and endnotes (as bracketed notes at their reference), text boxes (a sidebar, a callout:
their paragraphs after the one they are anchored in). Dropped: headers and footers (other
parts), comments, tracked deletions and moved-away text; tracked insertions are accepted, and a
paragraph whose mark was deleted with changes tracked is one with the next, as Word joins them on
accepting. Hidden text (w:vanish: a note to the editor, text kept out of print) is dropped, as
Word neither shows nor prints it by default, and a content control still showing its placeholder
(a template's "Click or tap here to enter text."). Also
dropped, as the ODT reader drops text:table-of-content: what Word generates from the text (a
table of contents, an index, a table of figures or of authorities: a TOC, INDEX or TOA field's
result, paragraphs in the TOC 1-9 / Index 1-9 styles, a "Table of Contents" content control):
the entries would be translated and printed as text, with their page numbers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from brochure.core.errors import SourceError
from brochure.sources.markdown_out import QUOTE_STYLES, Para, Run, list_style_level, note_run

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT_FOOTNOTES = f"{R}/footnotes"
RT_ENDNOTES = f"{R}/endnotes"
RT_HYPERLINK = f"{R}/hyperlink"
_HEADING = re.compile(r"^heading (\d)$", re.IGNORECASE)
# Paragraph styles of generated lists (Word's built-in names) and the fields that generate them.
_GENERATED_STYLE = re.compile(
    r"^(?:toc \d|toc heading|index \d|index heading|table of figures|table of authorities|toa heading)$"
)
_GENERATED_FIELDS = ("TOC", "INDEX", "TOA")
_SKIP = {"del", "moveFrom", "commentRangeStart", "commentRangeEnd", "proofErr", "bookmarkStart",
         "bookmarkEnd", "pPr", "rPr", "sectPr", "AlternateContent", "permStart", "permEnd"}  # fmt: skip
_DESCEND = {
    "ins",
    "moveTo",
    "smartTag",
    "customXml",
    "sdt",
    "sdtContent",
    "fldSimple",
    "dir",
    "bdo",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: an encrypted OOXML (or a .doc)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _gallery(sdt: Any) -> str:
    """A content control's building-block gallery ("table of contents" for Word's contents)."""
    gallery = sdt.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
    return (gallery.get(_w("val")) or "").lower() if gallery is not None else ""


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_docx(path: Path, data: bytes) -> list[Para]:
    """The body of a .docx as paragraphs; SourceError for an encrypted or broken file."""
    if data.startswith(OLE_MAGIC):
        raise SourceError(
            f"{path}: the document is password-protected (or an old .doc); "
            "save it without a password as .docx and add it again"
        )
    import io
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from brochure.core.zipguard import ZIP_ERRORS, check_expansion, damaged

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:  # python-docx reads every part at once
            check_expansion(str(path), package.infolist(), SourceError, not_what="a DOCX document")
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, *ZIP_ERRORS) as exc:
        damaged(str(path), "DOCX", exc, SourceError)
    except Exception as exc:  # lxml syntax errors in a damaged part, and the like
        raise SourceError(f"{path}: not a valid DOCX file ({type(exc).__name__})") from None
    return _Reader(document).paragraphs()


class _Reader:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.part = document.part
        self.styles = {s.style_id: s for s in document.styles}
        self.notes: dict[str, dict[str, list[Run]]] = {}
        self.notes = {
            "footnoteReference": self._notes(RT_FOOTNOTES, "footnote"),
            "endnoteReference": self._notes(RT_ENDNOTES, "endnote"),
        }
        self.formats = self._numbering_formats()
        # the complex fields open where the walk is: generating a list (TOC, INDEX) or not
        self.fields: list[bool] = []
        self.codes: list[str] = []  # their instructions so far

    # -- parts ---------------------------------------------------------------------------------
    def _notes(self, reltype: str, tag: str) -> dict[str, list[Run]]:
        from brochure.core.xmlsafe import parse_xml_bytes

        for rel in self.part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                root = parse_xml_bytes(rel.target_part.blob, "notes", SourceError, "DOCX part")
                out = {}
                for note in root.iter(_w(tag)):
                    runs: list[Run] = []
                    for p in note.iter(_w("p")):
                        runs.extend([*self._runs(p, part=rel.target_part), Run(" ")])
                    out[note.get(_w("id"))] = runs
                return out
        return {}

    def _numbering_formats(self) -> dict[tuple[str, str], str]:
        """(numId, ilvl) -> numFmt ("bullet", "decimal", ...)."""
        try:
            numbering = self.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        abstract = {}
        for a in numbering.iter(_w("abstractNum")):
            levels = {
                lvl.get(_w("ilvl")): (fmt.get(_w("val")) if (fmt := lvl.find(_w("numFmt"))) is not None else "")
                for lvl in a.iter(_w("lvl"))
            }  # fmt: skip
            abstract[a.get(_w("abstractNumId"))] = levels
        out = {}
        for num in numbering.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is None:
                continue
            for ilvl, fmt in abstract.get(ref.get(_w("val")), {}).items():
                out[(num.get(_w("numId")), ilvl)] = fmt or "decimal"
        return out

    # -- body ----------------------------------------------------------------------------------
    def paragraphs(self) -> list[Para]:
        out: list[Para] = []
        self.joined: list[Run] = []  # runs of paragraphs whose mark was deleted, for the next one
        self._container(self.document.element.body, out)
        if self.joined:
            out.append(Para("paragraph", self.joined))
        return [p for p in out if p.text]

    def _container(self, el: Any, out: list[Para]) -> None:
        for child in el:
            name = _local(child)
            if name == "p":
                if not self._generated(child):
                    para = self._paragraph(child)
                    para.runs[:0], self.joined = self.joined, []
                    if _mark_deleted(child):  # the text goes on in the next paragraph, whose
                        self.joined = para.runs  # mark (its style) remains
                    else:
                        out.append(para)
                for box in _text_boxes(child):  # a sidebar, a callout: after its anchor
                    self._container(box, out)
            elif name == "tbl":
                for cell in child.iter(_w("tc")):
                    self._container(cell, out)
            elif name == "sdt" and _gallery(child) == "table of contents":
                for p in child.iter(_w("p")):  # (its fields end inside: keep the count right)
                    self._generated(p)
            elif name == "sdt" and _placeholder(child):
                continue
            elif name in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
                self._container(child, out)

    def _generated(self, p: Any) -> bool:
        """Whether paragraph `p` is an entry of a list Word generates (a table of contents, an
        index): in such a field's result at any point, or in one of their styles. Follows the
        complex fields (begin, instruction, separate, end; nested) from paragraph to paragraph."""
        inside = any(self.fields)
        for el in p.iter(_w("fldChar"), _w("instrText")):
            if _local(el) == "instrText":
                if self.fields:
                    self.codes[-1] += el.text or ""
                continue
            kind = el.get(_w("fldCharType"))
            if kind == "begin":
                self.fields.append(False)
                self.codes.append("")
            elif kind == "separate" and self.fields:
                words = self.codes[-1].split()
                self.fields[-1] = bool(words) and words[0].upper() in _GENERATED_FIELDS
                inside = inside or self.fields[-1]
            elif kind == "end" and self.fields:
                self.fields.pop()
                self.codes.pop()
        if inside:
            return True
        names = [s.name.lower() for s in self._style_chain(p) if s.name]
        return any(_GENERATED_STYLE.match(n) for n in names[:1])

    def _paragraph(self, p: Any) -> Para:
        runs = self._runs(p, part=self.part)
        style = self._style_chain(p)
        names = [s.name.lower() for s in style if s.name]
        level = self._outline_level(p, style)
        if any(n == "title" for n in names[:1]):
            return Para("heading", runs, level=1)
        for n in names:
            if m := _HEADING.match(n):
                return Para("heading", runs, level=int(m.group(1)))
        if level is not None:
            return Para("heading", runs, level=level + 1)
        numbering = self._numbering(p, style)
        if numbering is not None:
            num_id, ilvl = numbering
            fmt = self.formats.get((num_id, ilvl), "bullet")
            level = list_style_level(names, int(ilvl or 0))
            return Para("list_item", runs, level=level, ordered=fmt not in ("bullet", "none"))
        if any(n in QUOTE_STYLES for n in names):
            return Para("quote", runs)
        return Para("paragraph", runs)

    def _style_chain(self, p: Any) -> list[Any]:
        ppr = p.find(_w("pPr"))
        ref = ppr.find(_w("pStyle")) if ppr is not None else None
        style = self.styles.get(ref.get(_w("val"))) if ref is not None else None
        if style is None:
            from docx.enum.style import WD_STYLE_TYPE

            style = self.document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        chain: list[Any] = []
        while style is not None and len(chain) < 20:
            chain.append(style)
            style = style.base_style
        return chain

    def _outline_level(self, p: Any, chain: list[Any]) -> int | None:
        for ppr in [p.find(_w("pPr")), *(s.element.find(_w("pPr")) for s in chain)]:
            if ppr is not None and (o := ppr.find(_w("outlineLvl"))) is not None:
                value = int(o.get(_w("val"), "9"))
                return value if value < 6 else None
        return None

    def _numbering(self, p: Any, chain: list[Any]) -> tuple[str, str] | None:
        for ppr in [p.find(_w("pPr")), *(s.element.find(_w("pPr")) for s in chain)]:
            numpr = ppr.find(_w("numPr")) if ppr is not None else None
            if numpr is None:
                continue
            num = numpr.find(_w("numId"))
            lvl = numpr.find(_w("ilvl"))
            num_id = num.get(_w("val")) if num is not None else None
            if num_id in (None, "0"):  # numId 0 switches numbering off
                return None
            return num_id, lvl.get(_w("val")) if lvl is not None else "0"
        return None

    # -- runs ----------------------------------------------------------------------------------
    def _runs(self, el: Any, *, part: Any, href: str = "") -> list[Run]:
        out: list[Run] = []
        for child in el:
            name = _local(child)
            if name in _SKIP or (name == "sdt" and _placeholder(child)):
                continue
            if name == "r":
                out.extend(self._run(child, href))
            elif name == "hyperlink":
                rid = child.get(f"{{{R}}}id")
                target = ""
                if rid and rid in part.rels and part.rels[rid].is_external:
                    target = part.rels[rid].target_ref
                out.extend(self._runs(child, part=part, href=target or href))
            elif name in _DESCEND:
                out.extend(self._runs(child, part=part, href=href))
        return out

    def _run(self, r: Any, href: str) -> list[Run]:
        em, strong, hidden = self._run_format(r)
        if hidden:
            return []
        out: list[Run] = []
        text: list[str] = []
        for child in r:
            name = _local(child)
            if name == "t":
                text.append(child.text or "")
            elif name in ("tab", "ptab", "br", "cr"):
                text.append(" ")
            elif name == "sym":  # Insert > Symbol: a character by its code (a dash, a sign)
                text.append(_symbol(child))
            elif name == "noBreakHyphen":
                text.append("\u2011")
            elif name in self.notes:
                out.append(Run("".join(text), em, strong, href))
                text = []
                out.append(
                    note_run("".join(x.text for x in self.notes[name].get(child.get(_w("id")), [])))
                )
        out.append(Run("".join(text), em, strong, href))
        return out

    def _run_format(self, r: Any) -> tuple[bool, bool, bool]:
        """Italic, bold and hidden set on the run or by its character style (paragraph styles
        excluded: a heading or quote style's own italics are not emphasis in the text)."""
        props = [r.find(_w("rPr"))]
        rpr = props[0]
        style_ref = rpr.find(_w("rStyle")) if rpr is not None else None
        style = self.styles.get(style_ref.get(_w("val"))) if style_ref is not None else None
        names: list[str] = []
        while style is not None and len(names) < 20:
            names.append((style.name or "").lower())
            props.append(style.element.find(_w("rPr")))
            style = style.base_style
        em = "emphasis" in names or _toggle(props, "i")
        strong = "strong" in names or _toggle(props, "b")
        return em, strong, _toggle(props, "vanish")


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _text_boxes(p: Any) -> list[Any]:
    """The contents (w:txbxContent) of the text boxes anchored in paragraph `p`, once each: Word
    writes a shape twice, as DrawingML in mc:Choice and as VML in mc:Fallback; the fallback is
    read only where the choice holds none. Boxes inside a box are its own paragraphs' business."""
    out = []
    for box in p.iter(_w("txbxContent")):
        outer = box.getparent()
        inside_box = fallback = False
        while outer is not None and outer is not p:
            if outer.tag == _w("txbxContent"):
                inside_box = True
            elif outer.tag == f"{{{MC}}}Fallback":
                choice = outer.getparent().find(f"{{{MC}}}Choice")
                fallback = (
                    choice is not None and next(choice.iter(_w("txbxContent")), None) is not None
                )
            outer = outer.getparent()
        if not inside_box and not fallback and not _deleted(box, p):
            out.append(box)
    return out


def _deleted(el: Any, p: Any) -> bool:
    """Whether `el` lies in a tracked deletion (w:del, w:moveFrom) within paragraph `p`."""
    outer = el.getparent()
    while outer is not None and outer is not p:
        if outer.tag in (_w("del"), _w("moveFrom")):
            return True
        outer = outer.getparent()
    return False


def _placeholder(sdt: Any) -> bool:
    """Whether content control `sdt` still shows its placeholder ("Click or tap here to enter
    text.", a template's prompt): nobody wrote it, there is nothing to translate."""
    return sdt.find(f"{_w('sdtPr')}/{_w('showingPlcHdr')}") is not None


def _mark_deleted(p: Any) -> bool:
    """Whether paragraph `p`'s mark was deleted (or moved away) with changes tracked: accepted,
    its text runs on into the next paragraph."""
    rpr = p.find(f"{_w('pPr')}/{_w('rPr')}")
    return rpr is not None and any(_local(c) in ("del", "moveFrom") for c in rpr)


def _symbol(sym: Any) -> str:
    """The character a w:sym stands for; "" for one of a symbol font's own (U+F000-F0FF: a
    Wingdings or Symbol glyph with no Unicode meaning of its own, a bullet or pictogram)."""
    try:
        code = int(sym.get(_w("char")) or "", 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF or code < 0x20:
        return ""
    return chr(code)


def _toggle(props: list[Any], tag: str) -> bool:
    for rpr in props:
        if rpr is None:
            continue
        el = rpr.find(_w(tag))
        if el is not None:
            return el.get(_w("val"), "true").lower() not in ("0", "false", "off", "none")
    return False
