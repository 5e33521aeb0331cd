"""A saved web page -> the article's paragraphs, without the site around it.

readability-lxml finds the main text offline (menus, comment threads, share bars, donation boxes,
scripts and styles fall away; measured against trafilatura on the two seed pages, see README).
Every element of the page is tagged with an id before readability sees it, so what it keeps can be
traced back to the page, and three things it leaves out are put back from the page itself: short
lists inside the text (its cleaning drops lists under 25 characters, such as a nested "- In
Almaty."), footnotes (their text goes to the reference, as a bracketed note), and the title (the
page's <h1>) with the short lines between title and text that are not link bars (a byline).
A source attribution such as "Translated from: ..." at either end of a post is dropped.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from brochure.core.errors import SourceError
from brochure.sources.markdown_out import Para, Run, note_run

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "td", "th", "pre", "figure", "figcaption", "header",
    "footer", "center", "address", "aside", *_HEADINGS,
}  # fmt: skip
_SKIP = {
    "script", "style", "noscript", "template", "form", "button", "input", "select", "textarea",
    "nav", "iframe", "svg", "img", "video", "audio", "object", "embed", "canvas", "head",
}  # fmt: skip
_EM = {"em", "i", "cite", "dfn", "var"}
_STRONG = {"strong", "b"}
# A line at either end of a post that says where the text comes from, not part of the text itself.
_ATTRIBUTION = re.compile(
    r"^(translated from|translation from|originally published|source|read the original|"
    r"переведено с|перевод с|источник|оригинал|аударылған|дереккөз)\b[^:]{0,40}:",
    re.IGNORECASE,
)
MIN_MAIN_TEXT = 100  # characters of running text below which a page "has no main text"
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


BID = "data-brochure-id"  # our tag on every element of the page, kept by readability
NOTE = "data-brochure-note"  # a footnote reference, resolved to the note's text
NOTEREF = "doc-noteref"  # DPUB-ARIA's role of a note reference (EPUB 3's epub:type="noteref")
# a note reference's label when it is not in a <sup>: [1], (12), *, †; or a short label (12, a)
# on a link whose class or id says it is a note reference (class="refnote", id="fnref3")
_NOTE_LABEL = re.compile(r"^(\[\d{1,3}\]|\(\d{1,3}\)|\*{1,3}|†{1,3})$")
_SHORT_LABEL = re.compile(r"^[\[(]?(\d{1,3}|[a-z]|[*†‡§]{1,3})[\])]?$")
_NOTE_CLASS = re.compile(r"note|fn|ftn", re.IGNORECASE)
_NEGATIVE = re.compile(
    r"comment|share|sharing|social|related|footnote|menu|nav|widget|sidebar|meta|tags|donat",
    re.IGNORECASE,
)


def read_html(path: Path, data: bytes) -> list[Para]:
    """The main text of a saved web page as paragraphs; SourceError if it has none."""
    from lxml import html as lhtml
    from readability import Document

    logging.getLogger("readability").setLevel(logging.ERROR)  # it logs every candidate it scores
    text = _decode(path, data)
    try:
        page = lhtml.document_fromstring(text)
        _absolute_links(page)  # before <head> is dropped: it holds the page's address
        _drop_skipped(page)
        index = _tag_elements(page)
        article = Document(lhtml.tostring(page, encoding="unicode")).summary(html_partial=True)
        content = lhtml.fragment_fromstring(article, create_parent="div")
    except SourceError:
        raise
    except Exception as exc:  # lxml and readability raise several kinds on broken markup
        raise SourceError(f"{path}: not a readable web page ({exc})") from None
    _drop_skipped(content)
    _restore_lists(content, index)
    _resolve_footnotes(content, index)
    paras = _walk_blocks(content)
    paras = _drop_attributions(paras)
    if _main_text_length(paras) < MIN_MAIN_TEXT:
        raise SourceError(f"{path}: no main text found (only navigation or very short text)")
    return _with_title_and_lede(page, content, paras)


def resolve_notes(root: HtmlElement) -> None:
    """Prepare HTML that is all text (an EPUB's chapters: no main-text extraction) as a web page's
    text is: scripts, images and navigation dropped, footnotes resolved to note markers."""
    _drop_skipped(root)
    _resolve_footnotes(root, _tag_elements(root))


def _tag_elements(root: HtmlElement) -> dict[str, HtmlElement]:
    """Every element tagged with an id of ours (BID); the elements by that id."""
    index: dict[str, HtmlElement] = {}
    for number, el in enumerate(root.iter()):
        if isinstance(el.tag, str):
            el.set(BID, str(number))
            index[str(number)] = el
    return index


def markup_paragraphs(root: HtmlElement) -> list[Para]:
    """The paragraphs of an HTML element, as a web page's text is read."""
    return _walk_blocks(root)


def _restore_lists(content: HtmlElement, index: dict[str, HtmlElement]) -> None:
    """Put back the lists readability's cleaning dropped from inside kept elements (it removes
    any list under 25 characters) unless they are link lists or named like furniture."""
    from copy import deepcopy

    kept = {el.get(BID) for el in content.iter() if isinstance(el.tag, str)}
    for el in list(content.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.get(BID) in index:
            original = index[el.get(BID)]
        else:  # the fragment's root (the parser folds readability's <body> into it)
            first = next((c for c in el if isinstance(c.tag, str) and c.get(BID) in index), None)
            parent = index[first.get(BID)].getparent() if first is not None else None
            if parent is None:
                continue
            original = parent
        previous: HtmlElement | None = None  # the last kept sibling before the list, in `el`
        for child in original:
            if not isinstance(child.tag, str):
                continue
            if child.get(BID) in kept:
                previous = next(
                    (c for c in el if isinstance(c.tag, str) and c.get(BID) == child.get(BID)),
                    previous,
                )
                continue
            if child.tag not in ("ul", "ol") or not _is_text_list(child):
                continue
            copy = deepcopy(child)
            copy.tail = None
            if previous is None:
                el.insert(0, copy)
            else:
                previous.addnext(copy)
            previous = copy


def _is_text_list(el: HtmlElement) -> bool:
    text = " ".join(el.text_content().split())
    if not text or _NEGATIVE.search(f"{el.get('class', '')} {el.get('id', '')}"):
        return False
    links = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return links < len(text) * 0.3


def _resolve_footnotes(content: HtmlElement, index: dict[str, HtmlElement]) -> None:
    """A footnote reference (a short link to "#x" in or around a <sup>, a link with the role
    doc-noteref, or one labelled [1] or *) -> a note marker holding the note's text from the page;
    the note itself leaves the text if readability kept it."""
    targets: dict[str, HtmlElement] = {}
    for el in index.values():
        name = el.get("id") or (el.get("name") if el.tag == "a" else None)
        if not name:
            continue
        if el.tag not in _BLOCKS:  # <a name="sdfootnote1sym">, <a id="fn1">: the block they start
            el = next((a for a in el.iterancestors() if a.tag in _BLOCKS), None)
        if el is not None:
            targets.setdefault(name, el)
    kept: dict[str, list[HtmlElement]] = {}
    for el in content.iter():
        if isinstance(el.tag, str) and el.get(BID):
            kept.setdefault(el.get(BID, ""), []).append(el)
    for marker, link in _note_references(content, index):
        target = link.get("href") or ""
        label = " ".join(link.text_content().split())
        note = targets.get(target[1:]) if target.startswith("#") else None
        if note is None or note.tag in _HEADINGS or any(a is note for a in link.iterancestors()):
            continue
        text = _note_text(note, label)
        if not text or len(text) > 2000:
            continue
        marker.set(NOTE, text)
        for el in kept.get(note.get(BID) or "", []):
            if el.getparent() is not None:
                el.drop_tree()


def _note_references(content: HtmlElement, index: dict[str, HtmlElement]):
    """(the element a note marker replaces, the link to the note) for each note reference."""
    for el in list(content.iter("sup", "a")):
        if el is not content and not any(a is content for a in el.iterancestors()):
            continue  # in a note resolved before (its back-link, say)
        if el.tag == "a":
            label = " ".join(el.text_content().split())
            named = _NOTE_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}")
            if el.get("role") == NOTEREF or (
                (_NOTE_LABEL.match(label) or (named and _SHORT_LABEL.match(label)))
                and el.get("role") != "doc-backlink"
                and el.find(".//sup") is None  # <a><sup>1</sup></a>: the <sup>'s reference
                and not any(a.tag == "sup" for a in el.iterancestors())
                and not _starts_block(el)  # "[1] The note's text": a note's own label
            ):
                yield el, el
            continue
        if any(a.tag == "sup" for a in el.iterancestors()):
            continue
        original = index.get(el.get(BID) or "")  # readability may have emptied it
        link = (original if original is not None else el).find(".//a")
        if link is None and el.getparent() is not None and el.getparent().tag == "a":
            link = el.getparent()
        if link is None or link.get("role") == NOTEREF:
            continue  # a noteref link is a reference of its own, in or out of a <sup>
        if len(" ".join(link.text_content().split())) > 5:
            continue
        in_link = link.tag == "a" and el in link.iterdescendants()
        yield (link if in_link else el), link


def _starts_block(el: HtmlElement) -> bool:
    """Nothing but white space comes before `el` in the block that holds it."""
    block = next((a for a in el.iterancestors() if a.tag in _BLOCKS), None)
    if block is None:
        return False
    around = set(el.iterancestors())  # their tails come after `el`
    before = []
    for node in block.iter():
        if node is el:
            break
        if isinstance(node.tag, str):  # a comment's text is not text
            before.append(node.text or "")
        if node not in around:
            before.append(node.tail or "")
    return not "".join(before).strip()


def _note_text(note: HtmlElement, label: str = "") -> str:
    """A footnote's text without its back-link (↩, ^, or the number linking back) and without the
    reference's label repeated at its start: in an element of its own (`<sup>1</sup> The note`) or
    with a mark that sets it off ("1. ", "[1] "); a bare "1 May" stays as it is."""
    from copy import deepcopy

    copy = deepcopy(note)
    for a in list(copy.iter("a")):
        if (a.get("href") or "").startswith("#"):
            a.drop_tree()  # keeps the text after it
    bare = label.strip("[]()")
    first = copy
    while not (first.text or "").strip() and len(first) and isinstance(first[0].tag, str):
        first = first[0]
    if bare and first is not copy and first.text and first.text.strip().strip("[]().") == bare:
        if not len(first):
            first.drop_tree()  # keeps the text after it
    text = " ".join(copy.text_content().split())
    if bare and (
        m := re.match(
            rf"^(\[{re.escape(bare)}\]|\({re.escape(bare)}\)|{re.escape(bare)}[.)])\s+", text
        )
    ):
        text = text[m.end() :]
    return text


def _absolute_links(page: HtmlElement) -> None:
    """Relative links made absolute against the page's own address (its <base href>, canonical
    link or og:url, when that is an http(s) URL), so a saved page's links lead where they led."""
    from urllib.parse import urljoin, urlsplit

    base = ""
    for xpath in (
        "//base/@href",
        '//link[@rel="canonical"]/@href',
        '//meta[@property="og:url"]/@content',
    ):
        found = [str(v).strip() for v in page.xpath(xpath)]
        if found and urlsplit(found[0]).scheme.lower() in ("http", "https"):
            base = found[0]
            break
    if not base:
        return
    for a in page.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith("#") and not urlsplit(href).scheme:
            try:
                a.set("href", urljoin(base, href))
            except ValueError:  # a malformed address stays as it was (and is kept as text)
                continue


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    m = _CHARSET.search(data[:4096])
    encodings = [m.group(1).decode("ascii").lower()] if m else []
    for encoding in [*encodings, "utf-8"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    import chardet  # readability-lxml's own dependency: a page saved as cp1251 without <meta>

    guess = chardet.detect(data[:65536]).get("encoding")
    if guess:
        try:
            return data.decode(guess)
        except (UnicodeDecodeError, LookupError):
            pass
    raise SourceError(f"{path}: not a readable web page (unknown text encoding)")


def _drop_skipped(root: HtmlElement) -> None:
    for el in list(root.iter(*_SKIP)):
        if el.tag == "form" and len(el.text_content()) > 2000:
            continue  # a page-wide form (ASP.NET wraps every page in one), not a reply form
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.getparent() is not None and _unseen(el):
            el.drop_tree()  # (its tail is the text after it: kept)


# What a page never shows its readers: text only screen readers get (WordPress's
# screen-reader-text, Bootstrap's sr-only / visually-hidden, Drupal's element-invisible: "Opens in
# a new window", "Continue reading <title>"), elements hidden by their own attribute or style, and
# text the page marks as deleted (<del>: struck out, the correction in <ins> beside it), as a DOCX's
# tracked deletions are dropped.
_SCREEN_READER = {"screen-reader-text", "sr-only", "visually-hidden", "visuallyhidden",
                  "element-invisible", "screenreader-only", "u-visually-hidden", "a11y-hidden",
                  "hidden-visually", "show-for-sr"}  # fmt: skip
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:;|!|$)", re.I
)


def _unseen(el: HtmlElement) -> bool:
    """Whether `el` is text a reader of the page never sees (see _SCREEN_READER)."""
    return (
        el.tag == "del"
        or el.get("hidden") is not None
        or bool(_HIDDEN_STYLE.search(el.get("style") or ""))
        or not _SCREEN_READER.isdisjoint((el.get("class") or "").lower().split())
    )


def _walk_blocks(root: HtmlElement, quote: bool = False, depth: int = -1) -> list[Para]:
    """Block-level elements -> Paras; inline content directly inside a container is a paragraph."""
    paras: list[Para] = []
    pending: list[Run] = []

    def flush() -> None:
        if "".join(r.text for r in pending).strip():
            paras.append(Para("quote" if quote else "paragraph", list(pending)))
        pending.clear()

    if root.text:
        pending.append(Run(root.text))
    for child in root:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCKS or (tag and _has_block(child)):
            flush()
            paras.extend(_block(child, quote, depth))
        elif tag:
            pending.extend(_inline(child))
        if child.tail:
            pending.append(Run(child.tail))
    flush()
    return paras


def _has_block(el: HtmlElement) -> bool:
    return any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants())


def _block(el: HtmlElement, quote: bool, depth: int) -> list[Para]:
    tag = el.tag
    if tag in _HEADINGS:
        return [Para("heading", _inline_children(el), level=_HEADINGS[tag])]
    if tag == "blockquote":
        return _walk_blocks(el, quote=True, depth=depth)
    if tag in ("ul", "ol"):
        items: list[Para] = []
        for li in el:
            if isinstance(li.tag, str) and li.tag == "li":
                first = _list_item(li, ordered=tag == "ol", depth=depth + 1)
                if first and tag == "ol" and not items and (el.get("start") or "").isdigit():
                    first[0].number = int(el.get("start", "1"))  # <ol start="3"> goes on counting
                items.extend(first)
            elif isinstance(li.tag, str):
                items.extend(_block(li, quote, depth))
        return items
    if tag == "li":
        return _list_item(el, ordered=False, depth=depth + 1)
    if _has_block(el):
        return _walk_blocks(el, quote, depth)
    runs = _inline_children(el)
    if not "".join(r.text for r in runs).strip():
        return []
    return [Para("quote" if quote else "paragraph", runs)]


def _list_item(li: HtmlElement, ordered: bool, depth: int) -> list[Para]:
    """An item's own text is one list item; lists nested in it follow one level deeper."""
    own: list[Run] = [Run(li.text)] if li.text else []
    nested: list[Para] = []
    for child in li:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("ul", "ol"):
            nested.extend(_block(child, False, depth))
        elif tag in ("p", "div") and not nested:
            own.extend([Run(" "), *_inline_children(child), Run(" ")])
        elif tag in _BLOCKS:
            nested.extend(_block(child, False, depth))
        elif tag:
            own.extend(_inline(child))
        if child.tail:
            (own if not nested else []).append(Run(child.tail))
    item = Para("list_item", own, level=max(depth, 0), ordered=ordered)
    return ([item] if item.text else []) + nested


def _inline_children(el: HtmlElement, em=False, strong=False, href="") -> list[Run]:
    runs: list[Run] = []
    if el.text:
        runs.append(Run(el.text, em, strong, href))
    for child in el:
        if isinstance(child.tag, str):
            runs.extend(_inline(child, em, strong, href))
        if child.tail:
            runs.append(Run(child.tail, em, strong, href))
    return runs


def _inline(el: HtmlElement, em=False, strong=False, href="") -> list[Run]:
    tag = el.tag
    if tag == "br":
        return [Run(" ")]
    if tag in _EM:
        em = True
    elif tag in _STRONG:
        strong = True
    elif tag == "a":
        target = (el.get("href") or "").strip()
        if target and not target.startswith("#"):  # not a jump within the page
            href = target  # anything but http(s) and mailto: text, and a warning (markdown_out)
    if el.get(NOTE):  # a footnote reference: the note's text goes here
        return [note_run(el.get(NOTE, ""))]
    return _inline_children(el, em, strong, href)


def _drop_attributions(paras: list[Para]) -> list[Para]:
    def residue(p: Para) -> bool:
        return p.kind == "paragraph" and len(p.text) < 200 and bool(_ATTRIBUTION.match(p.text))

    while paras and residue(paras[-1]):
        paras.pop()
    while paras and residue(paras[0]):
        paras.pop(0)
    return paras


def _main_text_length(paras: list[Para]) -> int:
    return sum(
        len(p.text) - sum(len(r.text) for r in p.runs if r.href)
        for p in paras
        if p.kind != "heading"
    )


def _with_title_and_lede(page: HtmlElement, content: HtmlElement, paras: list[Para]) -> list[Para]:
    """Put back the page's <h1> title and the byline under it when the extractor left them out."""
    if paras and paras[0].kind == "heading" and paras[0].level == 1:
        return paras
    h1 = next(iter(page.iter("h1")), None)
    if h1 is None:
        return paras
    title = Para("heading", _inline_children(h1), level=1)
    if not title.text or (paras and paras[0].text == title.text):
        return paras
    kept = {el.get(BID) for el in content.iter() if isinstance(el.tag, str)}
    lede: list[Para] = []
    seen_title = found = False
    for el in page.iter():
        if el is h1:
            seen_title = True
            continue
        if not seen_title or not isinstance(el.tag, str):
            continue
        if el.get(BID) in kept and el.tag in _BLOCKS and not _has_block(el):
            found = True  # the first block of the text the extractor chose
            break
        if el.tag not in _BLOCKS or _has_block(el) or _inside(el, h1):
            continue
        text = " ".join(el.text_content().split())
        if not text:
            continue
        links = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
        if len(text) <= 300 and links < len(text) / 2 and len(lede) < 3:
            lede.extend(_block(el, False, -1))
        elif len(text) > 300:
            break
    # lines kept only when they stand between the title and the text the extractor chose
    return [title, *(lede if found else []), *paras]


def _inside(el: HtmlElement, ancestor: HtmlElement) -> bool:
    return any(a is ancestor for a in el.iterancestors())
