"""An EPUB book (EPUB 2 or 3) -> paragraphs, chapter by chapter in reading order.

Read with zipfile and lxml, already dependencies: EbookLib is AGPL (this toolkit is MIT), reads
every item of the book into memory unchecked, and would still leave the XHTML to us. The package
document (META-INF/container.xml -> the OPF) gives the spine, the reading order; each chapter goes
through the web-page reader (sources/html.py) without its main-text extraction, since a chapter is
all text. As reading systems do, the navigation document, the NCX, a spine item marked
linear="no" and a table-of-contents page (nearly all links) are not read as text; pictures are
dropped. Footnotes become bracketed notes at their reference wherever the note is: an EPUB 3
<aside epub:type="footnote"> or endnote list, an EPUB 2 note at the chapter's end or in a notes
file of its own; a notes heading left with nothing under it goes too. Italic and bold that a
converter wrote as classes of the book's style sheet become emphasis as <i> and <b> do.

One EPUB becomes one document (the whole book, as argos-translate-files and bilingual_book_maker
translate it); `--chapters 3-5` takes some chapters only, so each text of a collection can be a
document of its own. The chapters are numbered as `brochure add` lists them.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from brochure.core.errors import SourceError
from brochure.core.zipguard import ZIP_ERRORS, check_expansion, damaged
from brochure.sources.markdown_out import Para, Source

if TYPE_CHECKING:
    from lxml.html import HtmlElement

CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
OPS = "http://www.idpf.org/2007/ops"  # epub:type
ENC = "http://www.w3.org/2001/04/xmlenc#"
MIMETYPE = b"application/epub+zip"
PACKAGE_TYPE = "application/oebps-package+xml"
TEXT_TYPES = {"application/xhtml+xml", "text/html", "application/html+xml"}
# Font obfuscation (IDPF, Adobe) is allowed by EPUB and hides only fonts; anything else is DRM.
FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
# epub:type values -> DPUB-ARIA roles, which the web-page reader knows
_ROLES = {
    "noteref": "doc-noteref", "footnote": "doc-footnote", "endnote": "doc-endnote",
    "rearnote": "doc-endnote", "note": "doc-footnote", "footnotes": "doc-endnotes",
    "endnotes": "doc-endnotes", "rearnotes": "doc-endnotes", "pagebreak": "doc-pagebreak",
}  # fmt: skip
_HEADINGS = {f"h{n}" for n in range(1, 7)}
_NO_TITLE = {"unknown", "unknown title", "untitled", "no title", "title", "[no title]"}


@dataclass
class _Item:
    member: str  # its path in the zip
    linear: bool
    number: int  # position in the spine, for ids made unique across chapters


def read_epub(path: Path, data: bytes, chapters: str | None = None) -> Source:
    """The book's text as paragraphs, with its title, language and chapters; `chapters` ("2-4,7")
    takes some chapters only. SourceError for a damaged, incomplete or DRM-protected book."""
    where = str(path)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        check_expansion(where, package.infolist(), SourceError, not_what="an EPUB book")
        names = set(package.namelist())
        if "mimetype" in names and package.read("mimetype").strip() != MIMETYPE:
            kind = package.read("mimetype").decode("ascii", "replace").strip()
            raise SourceError(f"{where}: not an EPUB book (its mimetype is {kind!r})")
        opf_path = _package_path(where, package, names)
        opf = _xml(where, package, opf_path, "EPUB package document")
        title, language = _metadata(opf)
        items, styles = _spine(where, opf, opf_path, names)
        _refuse_drm(where, package, names, {i.member for i in items})
        pages = [(item, _xhtml(where, package, item.member)) for item in items]
        emphasis = _emphasis(package.read(m) for m in styles)
    except ZIP_ERRORS as exc:
        damaged(where, "EPUB", exc, SourceError)
    texts = _chapters(pages, emphasis)
    if not texts:
        raise SourceError(f"{where}: the book has no text (its spine holds no readable chapter)")
    parts = [_label(paras) for paras in texts]
    chosen = _choose(where, chapters, parts) if chapters else range(len(texts))
    return Source([p for i in chosen for p in texts[i]], title, language, parts)


def _package_path(where: str, package: zipfile.ZipFile, names: set[str]) -> str:
    """The package document's path, from META-INF/container.xml."""
    if "META-INF/container.xml" not in names:
        raise SourceError(f"{where}: not an EPUB book (it has no META-INF/container.xml)")
    container = _xml(where, package, "META-INF/container.xml", "EPUB container")
    rootfiles = container.findall(f".//{{{CONTAINER}}}rootfile")
    paths = [r.get("full-path", "") for r in rootfiles if r.get("media-type") == PACKAGE_TYPE]
    found = next((p for p in paths or [r.get("full-path", "") for r in rootfiles] if p), "")
    if not found:
        raise SourceError(f"{where}: META-INF/container.xml: names no package document (rootfile)")
    if found not in names:
        raise SourceError(
            f"{where}: META-INF/container.xml: the package document {found!r} is not in the book"
        )
    return found


def _xml(where: str, package: zipfile.ZipFile, member: str, kind: str) -> Any:
    from brochure.core.xmlsafe import parse_xml_bytes

    return parse_xml_bytes(package.read(member), f"{where}: {member}", SourceError, kind)


def _metadata(opf: Any) -> tuple[str, str]:
    """dc:title and dc:language, the first of each (EPUB 3 allows several)."""

    def first(tag: str) -> str:
        for el in opf.iter(f"{{{DC}}}{tag}"):
            text = " ".join("".join(el.itertext()).split())
            if text:
                return text
        return ""

    title = first("title")
    if title.lower() in _NO_TITLE:  # what a converter writes when the document had no title
        title = ""
    return title, first("language")


def _spine(where: str, opf: Any, opf_path: str, names: set[str]) -> tuple[list[_Item], list[str]]:
    """The spine's text items in reading order (not the navigation document, the NCX, pictures
    or the guide's table of contents), and the book's style sheets."""
    base = posixpath.dirname(opf_path)
    manifest: dict[str, tuple[str, str, str]] = {}  # id -> member, media type, properties
    for item in opf.iter(f"{{{OPF}}}item"):
        href = urlsplit(item.get("href", "")).path
        member = posixpath.normpath(posixpath.join(base, unquote(href))) if href else ""
        manifest[item.get("id", "")] = (
            member, item.get("media-type", ""), item.get("properties", "")
        )  # fmt: skip
    toc_pages = {
        posixpath.normpath(posixpath.join(base, unquote(urlsplit(r.get("href", "")).path)))
        for r in opf.iter(f"{{{OPF}}}reference")
        if r.get("type", "").lower() == "toc"
    }
    spine = opf.find(f"{{{OPF}}}spine")
    if spine is None:
        raise SourceError(f"{where}: {opf_path}: the package document has no spine")
    items: list[_Item] = []
    for number, ref in enumerate(spine.iter(f"{{{OPF}}}itemref")):
        idref = ref.get("idref", "")
        if idref not in manifest:
            raise SourceError(
                f"{where}: {opf_path}: the spine names {idref!r}, which the manifest does not list"
            )
        member, media, properties = manifest[idref]
        if media not in TEXT_TYPES or "nav" in properties.split() or member in toc_pages:
            continue
        if member not in names:
            raise SourceError(f"{where}: {member}: in the spine but missing from the book")
        items.append(_Item(member, ref.get("linear", "yes").strip().lower() != "no", number))
    styles = [m for m, media, _ in manifest.values() if media == "text/css" and m in names]
    return items, styles


def _refuse_drm(where: str, package: zipfile.ZipFile, names: set[str], text: set[str]) -> None:
    """A book whose chapters are encrypted (Adobe ADEPT, Apple FairPlay, Readium LCP...)."""
    if "META-INF/encryption.xml" not in names:
        return
    encryption = _xml(where, package, "META-INF/encryption.xml", "EPUB encryption list")
    for data in encryption.iter(f"{{{ENC}}}EncryptedData"):
        method = data.find(f"{{{ENC}}}EncryptionMethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        ref = data.find(f".//{{{ENC}}}CipherReference")
        uri = posixpath.normpath(unquote(ref.get("URI", ""))) if ref is not None else ""
        if algorithm not in FONT_OBFUSCATION and (uri in text or not uri):
            raise SourceError(
                f"{where}: the book is DRM-protected (its text is encrypted: {uri or 'all'}); "
                "only a book without DRM can be read"
            )


def _xhtml(where: str, package: zipfile.ZipFile, member: str) -> HtmlElement:
    """A chapter as an HTML tree: read as XML (an EPUB chapter is XHTML: `<a id="p5"/>` is an
    empty anchor, which an HTML parser would open and never close), as HTML if it is not XML."""
    from lxml import etree
    from lxml import html as lhtml

    from brochure.core.xmlsafe import parse_xml_bytes

    data = package.read(member)
    try:
        root = parse_xml_bytes(data, member, SourceError, "chapter")
    except SourceError:  # &nbsp; with no DTD, HTML saved as .xhtml: read as HTML
        try:
            page = lhtml.document_fromstring(data)
        except (etree.ParserError, ValueError) as exc:
            raise SourceError(f"{where}: {member}: not a readable chapter ({exc})") from None
        for el in page.iter():
            if isinstance(el.tag, str) and el.get("epub:type"):  # the HTML parser keeps the prefix
                _set_role(el, el.attrib.pop("epub:type"))
        return page
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        el.tag = etree.QName(el).localname
        for key in [k for k in el.attrib if k.startswith("{")]:
            value = el.attrib.pop(key)
            if key == f"{{{OPS}}}type":
                _set_role(el, value)
    etree.cleanup_namespaces(root)
    return lhtml.document_fromstring(etree.tostring(root, method="html", encoding="unicode"))


def _set_role(el: Any, epub_type: str) -> None:
    """The DPUB-ARIA role of an epub:type, unless the element has a role of its own."""
    role = next((_ROLES[t] for t in epub_type.split() if t in _ROLES), None)
    if role and not el.get("role"):
        el.set("role", role)


def _chapters(pages: list[tuple[_Item, HtmlElement]], emphasis: Emphasis) -> list[list[Para]]:
    """Each linear chapter's paragraphs, notes resolved across the whole book."""
    from lxml import html as lhtml

    from brochure.sources.html import markup_paragraphs, resolve_notes

    numbers = {item.member: item.number for item, _ in pages}
    book = lhtml.Element("div")
    divs: list[tuple[_Item, HtmlElement]] = []
    for item, page in pages:
        body = page.find("body")
        if body is None or _is_contents(body):
            continue
        div = lhtml.Element("div", id=f"c{item.number}")
        div.text = body.text
        div.extend(list(body))
        _unique_ids(div, item, numbers)
        _classes_to_emphasis(div, emphasis)
        for el in list(div.iter()):
            if isinstance(el.tag, str) and el.get("role") == "doc-pagebreak":
                el.drop_tree()  # a printed page's number, not text
        book.append(div)
        divs.append((item, div))
    headings = {h: _following_text(h) for h in book.iter(*_HEADINGS)}
    resolve_notes(book)
    for h, text in headings.items():  # a "Notes" heading whose notes all went to their references
        if text and not _following_text(h) and h.getparent() is not None:
            h.drop_tree()
    for el in list(book.iter()):
        if isinstance(el.tag, str) and el.get("role") == "doc-endnotes" and _only_headings(el):
            el.drop_tree()
    return [
        paras
        for item, div in divs
        if item.linear and (paras := [p for p in markup_paragraphs(div) if p.text])
    ]


Emphasis = dict[tuple[str, str], tuple[bool | None, bool | None]]  # (tag, class) -> italic, bold


def _emphasis(sheets: Iterable[bytes]) -> Emphasis:
    """(tag or "", class) -> (italic, bold), None where not set, from the book's style sheets:
    converters (LibreOffice, Calibre) write italic and bold as `<span class="span2">` with
    `.span2 { font-style: italic }`. Only rules on a class alone (`.x`, `span.x`) count."""
    import tinycss2  # WeasyPrint's CSS parser

    found: Emphasis = {}
    for sheet in sheets:
        rules = tinycss2.parse_stylesheet_bytes(sheet, skip_comments=True, skip_whitespace=True)[0]
        for rule in rules:
            if rule.type != "qualified-rule":
                continue
            italic: bool | None = None
            bold: bool | None = None
            for decl in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
                if decl.type != "declaration":
                    continue
                value = tinycss2.serialize(decl.value).strip().lower()
                if decl.lower_name == "font-style":
                    italic = value in ("italic", "oblique")
                elif decl.lower_name == "font-weight":
                    bold = value in ("bold", "bolder", "600", "700", "800", "900")
            for selector in tinycss2.serialize(rule.prelude).split(","):
                if m := _CLASS_RULE.match(selector.strip()):
                    key = (m.group(1).lower(), m.group(2))
                    was = found.get(key, (None, None))
                    found[key] = (
                        was[0] if italic is None else italic,
                        was[1] if bold is None else bold,
                    )
    return found


_CLASS_RULE = re.compile(r"^([a-zA-Z0-9]*)\.([\w-]+)$")


def _classes_to_emphasis(div: HtmlElement, emphasis: Emphasis) -> None:
    """An element whose class makes it italic or bold gets its content wrapped in <i> or <b>, as
    the web-page reader knows them (headings are left as they are: their look is theirs)."""
    from lxml import html as lhtml

    if not emphasis:
        return
    for el in list(div.iter()):
        if not isinstance(el.tag, str) or el.tag in _HEADINGS or not el.get("class"):
            continue
        italic = bold = False
        for name in el.get("class", "").split():
            for key in (("", name), (el.tag, name)):  # a tag's own rule after the class's
                rule_italic, rule_bold = emphasis.get(key, (None, None))
                italic = italic if rule_italic is None else rule_italic
                bold = bold if rule_bold is None else rule_bold
        for tag, wanted in (("i", italic), ("b", bold)):
            if wanted:
                wrap = lhtml.Element(tag)
                wrap.text, el.text = el.text, None
                wrap.extend(list(el))
                el.append(wrap)


def _unique_ids(div: HtmlElement, item: _Item, numbers: dict[str, int]) -> None:
    """Ids prefixed with the chapter's number and links within the book pointed at them, so the
    notes of one chapter can be found from another; links to pictures and styles dropped."""
    prefix = f"c{item.number}-"
    for el in div.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("id", "name") if el.tag == "a" else ("id",):
            if el.get(attr):
                el.set(attr, prefix + el.get(attr, ""))
        href = (el.get("href") or "").strip()
        if el.tag != "a" or not href:
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue  # a link out of the book
        target = item.member
        if parts.path:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(item.member), unquote(parts.path)))  # fmt: skip
        if target in numbers:
            number = numbers[target]
            el.set("href", f"#c{number}-{parts.fragment}" if parts.fragment else f"#c{number}")
        else:
            del el.attrib["href"]  # a picture, a style sheet, a file the book does not hold


def _is_contents(body: HtmlElement) -> bool:
    """A table-of-contents page: at least three links within the book and nearly all of its text
    theirs (a page of notes that are web addresses is not one)."""
    text = _text(body)
    links = [a for a in body.iter("a") if a.get("href") and not urlsplit(a.get("href", "")).scheme]
    linked = sum(len(" ".join(a.text_content().split())) for a in links)
    return len(links) >= 3 and linked >= 0.9 * len(text)


def _text(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _only_headings(el: HtmlElement) -> bool:
    """Nothing but headings holds text in `el` (a notes section whose notes all went)."""
    return not (el.text or "").strip() and not any(
        _text(c) or (c.tail or "").strip() for c in el if c.tag not in _HEADINGS
    )


def _following_text(heading: HtmlElement) -> str:
    """The text after a heading up to the next heading in its container."""
    out = [heading.tail or ""]
    for sibling in heading.itersiblings():
        if sibling.tag in _HEADINGS:
            break
        out.append(sibling.text_content() if isinstance(sibling.tag, str) else "")
        out.append(sibling.tail or "")
    return " ".join("".join(out).split())


def _label(paras: list[Para]) -> str:
    """A chapter as a list names it: its first heading, or its first words."""
    first = next((p for p in paras if p.kind == "heading"), paras[0])
    text = first.text
    return text if len(text) <= 60 else text[:59] + "…"


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def _choose(where: str, spec: str, parts: list[str]) -> list[int]:
    """The chapters "2-4,7" names (1-based), in the book's order."""
    chosen: set[int] = set()
    for piece in spec.split(","):
        m = _RANGE.match(piece)
        if not m:
            raise SourceError(
                f"--chapters: {spec!r} is not a list of chapter numbers and ranges (such as 2-4,7)"
            )
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if not 1 <= lo <= hi <= len(parts):
            listing = "; ".join(f"{n} «{t}»" for n, t in enumerate(parts, 1))
            raise SourceError(
                f"{where}: --chapters {piece.strip()}: the book has {len(parts)} chapter(s): {listing}"
            )
        chosen.update(range(lo - 1, hi))
    return sorted(chosen)
