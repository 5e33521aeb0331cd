"""An OpenDocument text (.odt) -> paragraphs, with tracked changes accepted.

Read straight from content.xml and styles.xml with the project's safe XML parser (lxml, already a
dependency): ODF text is a small vocabulary, and odfpy (unreleased since 2020) would only wrap the
same elements in a DOM of its own. Kept: headings (text:h and its outline level), list items
(numbered or bulleted by the list style), quotes (the "Quotations" paragraph style and styles based
on it), italic and bold from text styles, links, footnotes and endnotes (as bracketed notes at their
citation). Dropped: headers and footers (they live in styles.xml), annotations (comments), the
tracked-changes log (where deleted text is kept), frames but their text boxes (read after the
paragraph they are anchored in), and hidden text, as LibreOffice neither
shows nor prints it: characters whose style hides them (Format > Character > Hidden, text:display
none), and hidden text and paragraphs whose condition held when the file was saved.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brochure.core.errors import SourceError
from brochure.core.zipguard import ZIP_ERRORS, check_expansion, damaged
from brochure.sources.markdown_out import (
    QUOTE_STYLES,
    Para,
    ParaKind,
    Run,
    list_style_level,
    note_run,
)

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
XLINK = "http://www.w3.org/1999/xlink"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
MIMETYPE = b"application/vnd.oasis.opendocument.text"
_SKIP = {"tracked-changes", "annotation", "annotation-end", "change", "change-start",
         "change-end", "bookmark", "bookmark-start", "bookmark-end", "soft-page-break",
         "sequence-decls", "table-of-content", "frame", "reference-mark", "number"}  # fmt: skip


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _local(el: Any) -> tuple[str, str]:
    tag = el.tag
    if not isinstance(tag, str) or "}" not in tag:
        return "", ""
    ns, name = tag[1:].split("}", 1)
    return ns, name


@dataclass
class _Style:
    parent: str = ""
    display: str = ""
    italic: bool | None = None
    bold: bool | None = None
    hidden: bool | None = None


def read_odt(path: Path, data: bytes) -> list[Para]:
    """The body of an .odt as paragraphs; SourceError for an encrypted or broken file."""
    from brochure.core.xmlsafe import parse_xml_bytes

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        check_expansion(str(path), package.infolist(), SourceError, not_what="an ODT document")
        names = set(package.namelist())
        if "mimetype" in names and package.read("mimetype").strip() != MIMETYPE:
            kind = package.read("mimetype").decode("ascii", "replace")
            raise SourceError(f"{path}: not an OpenDocument text (it is {kind})")
        if "META-INF/manifest.xml" in names:
            manifest = parse_xml_bytes(
                package.read("META-INF/manifest.xml"), str(path), SourceError, "ODT manifest"
            )
            if manifest.find(f".//{_q(MANIFEST, 'encryption-data')}") is not None:
                raise SourceError(
                    f"{path}: the document is password-protected; "
                    "save it without a password and add it again"
                )
        content = parse_xml_bytes(package.read("content.xml"), str(path), SourceError, "ODT")
        styles = (
            parse_xml_bytes(package.read("styles.xml"), str(path), SourceError, "ODT")
            if "styles.xml" in names
            else None
        )
    except ZIP_ERRORS as exc:
        damaged(str(path), "ODT", exc, SourceError)
    return _Reader(content, styles).paragraphs()


class _Reader:
    def __init__(self, content: Any, styles: Any) -> None:
        self.content = content
        self.styles: dict[str, _Style] = {}
        self.list_styles: dict[str, dict[int, bool]] = {}  # name -> level -> ordered
        for root in (styles, content):
            if root is not None:
                self._read_styles(root)
        # direct formatting of a whole paragraph becomes an automatic style in content.xml
        automatic = content.find(_q(OFFICE, "automatic-styles"))
        self.automatic = {
            el.get(_q(STYLE, "name"), "")
            for el in (automatic if automatic is not None else [])
            if el.get(_q(STYLE, "family")) == "paragraph"
        }

    def _read_styles(self, root: Any) -> None:
        for el in root.iter(_q(STYLE, "style")):
            props = el.find(_q(STYLE, "text-properties"))
            style = _Style(
                parent=el.get(_q(STYLE, "parent-style-name"), ""),
                display=el.get(_q(STYLE, "display-name"), "") or el.get(_q(STYLE, "name"), ""),
            )
            if props is not None:
                if (v := props.get(_q(FO, "font-style"))) is not None:
                    style.italic = v in ("italic", "oblique")
                if (v := props.get(_q(FO, "font-weight"))) is not None:
                    style.bold = v == "bold" or (v.isdigit() and int(v) >= 600)
                if (v := props.get(_q(TEXT, "display"))) is not None:
                    style.hidden = v == "none"
            self.styles[el.get(_q(STYLE, "name"), "")] = style
        for el in root.iter(_q(TEXT, "list-style")):
            levels = {}
            for lvl in el:
                _, name = _local(lvl)
                level = int(lvl.get(_q(TEXT, "level"), "1"))
                levels[level] = name == "list-level-style-number"
            self.list_styles[el.get(_q(STYLE, "name"), "")] = levels

    def _chain(self, name: str) -> list[_Style]:
        chain: list[_Style] = []
        while name and name in self.styles and len(chain) < 20:
            chain.append(self.styles[name])
            name = self.styles[name].parent
        return chain

    def _format(self, name: str) -> tuple[bool | None, bool | None]:
        italic = bold = None
        for style in self._chain(name):
            if italic is None:
                italic = style.italic
            if bold is None:
                bold = style.bold
        return italic, bold

    def _hidden(self, name: str) -> bool:
        """Whether the text style `name` (or one it is based on) hides its characters."""
        return next((s.hidden for s in self._chain(name) if s.hidden is not None), False)

    # -- body ----------------------------------------------------------------------------------
    def paragraphs(self) -> list[Para]:
        body = self.content.find(f"{_q(OFFICE, 'body')}/{_q(OFFICE, 'text')}")
        out: list[Para] = []
        if body is not None:
            self._container(body, out, list_style="", depth=-1)
        return [p for p in out if p.text]

    def _container(self, el: Any, out: list[Para], list_style: str, depth: int) -> None:
        for child in el:
            ns, name = _local(child)
            if ns == TEXT and name in ("p", "h") and _hidden_paragraph(child):
                continue
            if name not in _SKIP:
                self._block(child, ns, name, out, list_style, depth)
            if (ns, name) in ((TEXT, "p"), (TEXT, "h"), (DRAW, "frame")):
                for box in _text_boxes(child):  # a sidebar, a callout: after what anchors it
                    self._container(box, out, list_style, depth)

    def _block(
        self, child: Any, ns: str, name: str, out: list[Para], list_style: str, depth: int
    ) -> None:
        if ns == TEXT and name == "h":
            level = int(child.get(_q(TEXT, "outline-level"), "1"))
            out.append(Para("heading", self._runs(child), level=min(level, 6)))
        elif ns == TEXT and name == "p":
            style = child.get(_q(TEXT, "style-name"), "")
            names = {s.display.lower() for s in self._chain(style)}
            kind: ParaKind = "quote" if names & QUOTE_STYLES else "paragraph"
            if "title" in names:  # the Title paragraph style is the document's title
                out.append(Para("heading", self._runs(child), level=1))
                return
            em = strong = False
            if style in self.automatic:
                auto = self.styles[style]
                em, strong = bool(auto.italic), bool(auto.bold)
            out.append(Para(kind, self._runs(child, em, strong)))
        elif ns == TEXT and name == "list":
            self._list(child, out, child.get(_q(TEXT, "style-name"), "") or list_style, depth + 1)
        elif (ns, name) in ((TEXT, "section"), (TABLE, "table"), (TABLE, "table-row"),
                            (TABLE, "table-cell"), (TABLE, "table-rows"), (TABLE, "table-header-rows")):  # fmt: skip
            self._container(child, out, list_style, depth)

    def _list(self, el: Any, out: list[Para], style: str, depth: int) -> None:
        ordered = self.list_styles.get(style, {}).get(depth + 1, False)
        for item in el:
            _, name = _local(item)
            if name not in ("list-item", "list-header"):
                continue
            first = True
            for child in item:
                cns, cname = _local(child)
                if cns == TEXT and cname in ("p", "h") and first and not _hidden_paragraph(child):
                    styles = self._chain(child.get(_q(TEXT, "style-name"), ""))
                    level = list_style_level([s.display.lower() for s in styles], depth)
                    out.append(Para("list_item", self._runs(child), level=level, ordered=ordered))
                    first = False
                elif cns == TEXT and cname == "list":
                    self._list(
                        child, out, child.get(_q(TEXT, "style-name"), "") or style, depth + 1
                    )
                else:
                    self._container(_Wrap(child), out, style, depth)

    def _runs(self, el: Any, em: bool = False, strong: bool = False, href: str = "") -> list[Run]:
        out: list[Run] = []
        if el.text:
            out.append(Run(el.text, em, strong, href))
        for child in el:
            ns, name = _local(child)
            if name in _SKIP:
                pass
            elif _hidden(child) or (
                ns == TEXT
                and name == "span"
                and self._hidden(child.get(_q(TEXT, "style-name"), ""))
            ):
                pass
            elif ns == TEXT and name == "span":
                italic, bold = self._format(child.get(_q(TEXT, "style-name"), ""))
                out.extend(self._runs(
                    child, em if italic is None else italic, strong if bold is None else bold, href
                ))  # fmt: skip
            elif ns == TEXT and name == "a":
                out.extend(self._runs(child, em, strong, child.get(_q(XLINK, "href"), "")))
            elif ns == TEXT and name == "s":
                out.append(Run(" " * int(child.get(_q(TEXT, "c"), "1"))))
            elif ns == TEXT and name in ("tab", "line-break"):
                out.append(Run(" "))
            elif ns == TEXT and name == "note":
                body = child.find(_q(TEXT, "note-body"))
                paras = body if body is not None else []
                text = " ".join("".join(r.text for r in self._runs(p)) for p in paras)
                out.append(note_run(text))
            elif ns == TEXT:  # meta fields, ruby, etc.: their text
                out.extend(self._runs(child, em, strong, href))
            if child.tail:
                out.append(Run(child.tail, em, strong, href))
        return out


def _text_boxes(el: Any) -> list[Any]:
    """The draw:text-box elements of the frames in `el` (a paragraph, or a frame itself), not
    those inside another text box (read with that box's paragraphs)."""
    out = []
    for box in el.iter(_q(DRAW, "text-box")):
        outer = box.getparent()
        while outer is not None and outer is not el and outer.tag != _q(DRAW, "text-box"):
            outer = outer.getparent()
        if outer is None or outer is el:
            out.append(box)
    return out


def _hidden(el: Any) -> bool:
    """A text:hidden-text field hidden when the file was saved (its condition held)."""
    return _local(el) == (TEXT, "hidden-text") and el.get(_q(TEXT, "is-hidden")) == "true"


def _hidden_paragraph(p: Any) -> bool:
    """A paragraph a text:hidden-paragraph field hid when the file was saved."""
    return any(f.get(_q(TEXT, "is-hidden")) == "true" for f in p.iter(_q(TEXT, "hidden-paragraph")))


class _Wrap:
    """Makes one element iterable as a container of itself."""

    def __init__(self, el: Any) -> None:
        self.el = el

    def __iter__(self):
        return iter([self.el])
