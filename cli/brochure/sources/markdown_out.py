"""What every importer produces: paragraphs of formatted runs, written out as the Markdown subset
that brochure.sources reads (headings, paragraphs, lists, quotes, emphasis, strong, links, and
footnotes as bracketed translator's notes `[...]`).

Readers for DOCX, ODT, HTML and EPUB walk their format into `Para`s of `Run`s; `to_markdown` turns
them into text whose blocks, read back by brochure.sources, have the same text and emphasis.
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from brochure.core.datamodel import RichText
from brochure.core.paths import LINK_REFUSED, link_target

_NO_BREAK = "\u00a0\u202f\u2007"  # no-break spaces are kept: "Part\u00a0I", "7\u202f%"
ParaKind = Literal["heading", "paragraph", "list_item", "quote"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Run:
    """A piece of text with one formatting: emphasis, strong, a link target."""

    text: str
    em: bool = False
    strong: bool = False
    href: str = ""


@dataclass
class Para:
    """One block: a heading (level 1-6), a paragraph, a list item (level = depth), a quote."""

    kind: ParaKind
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    ordered: bool = False
    number: int | None = None  # a numbered item's number when the source says it (<ol start>)

    @property
    def text(self) -> str:
        return " ".join("".join(r.text for r in self.runs).split())


@dataclass
class Source:
    """A reader's paragraphs with what the file says about itself (an EPUB's package document
    names the book's title and language, and its chapters are listed for `--chapters`)."""

    paras: list[Para]
    title: str = ""
    language: str = ""  # as the file declares it: "en", "ru-RU"; "" when it does not
    parts: list[str] = field(default_factory=list)  # the chapters, in reading order


# Word's and LibreOffice's paragraph style names (lower case) that make a block a quote, and the
# numbered list styles ("List Bullet 2") that make an item a deeper one; both readers use them.
QUOTE_STYLES = frozenset(
    {"quote", "intense quote", "block text", "quotation", "quotations", "block quotation"}
)
_LIST_STYLE = re.compile(r"^list(?: bullet| number| continue)? ([2-9])$", re.IGNORECASE)


def list_style_level(style_names: list[str], level: int) -> int:
    """An item's depth, at least what a "List Bullet N" / "List Number N" style says."""
    for name in style_names:
        if m := _LIST_STYLE.match(name):
            return max(level, int(m.group(1)) - 1)
    return level


def note_run(text: str) -> Run:
    """A footnote or endnote as the translator's-note form the Markdown reader knows: ` [text]`."""
    body = " ".join(text.split())
    return Run(f" [{body}]") if body else Run("")


# -- writing -------------------------------------------------------------------------------------
_NUMBER_START = re.compile(r"^\d{1,9}(?=[.)])")


def to_markdown(paras: list[Para]) -> str:
    """The Markdown text of `paras`: one line per block, blank lines between blocks (not items)."""
    lines: list[str] = []
    prev: Para | None = None
    numbers: dict[int, int] = {}  # list level -> the last number written at that level
    for para in paras:
        body = inline_markdown(para.runs)
        if not body:
            continue
        if para.kind == "heading":
            level = min(max(para.level, 1), 6)
            line = "#" * level + " " + re.sub(r"#+$", lambda m: "\\" + m.group(0), body)
        elif para.kind == "list_item":
            if prev is None or prev.kind != "list_item":
                numbers.clear()
            level = max(para.level, 0)
            for deeper in [k for k in numbers if k > level]:
                del numbers[deeper]
            numbers[level] = numbers.get(level, 0) + 1 if para.ordered else 0
            if para.ordered and para.number is not None:
                numbers[level] = para.number
            marker = f"{numbers[level]}. " if para.ordered else "- "
            line = "    " * level + marker + body
        elif para.kind == "quote":
            line = "> " + _escape_start(body)
        else:
            line = _escape_start(body)
        if lines and not (
            para.kind == "list_item" and prev is not None and prev.kind == "list_item"
        ):
            lines.append("")
        lines.append(line)
        prev = para
    return "\n".join(lines) + "\n" if lines else ""


def _escape_start(body: str) -> str:
    """A paragraph the reader would take for a heading, quote, list item or rule gets its first
    mark escaped (judged with the reader's own patterns)."""
    from brochure.sources.text import _HEADING, _ITEM, _QUOTE, _RULE

    if not any(p.match(body) for p in (_HEADING, _ITEM, _QUOTE, _RULE)):
        return body
    if m := _NUMBER_START.match(body):  # "1." -> "1\."
        return body[: m.end()] + "\\" + body[m.end() :]
    return "\\" + body


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    return text.replace("<!--", "<\\!--").replace("](", "]\\(")


class _Em:
    """An emphasis marker whose character (`_` or `*`) is chosen once its neighbours are known."""

    def __init__(self) -> None:
        self.partner: _Em | None = None


def inline_markdown(runs: list[Run]) -> str:
    """Runs -> one line of inline Markdown; whitespace collapsed, marks kept off the edge spaces.

    The line is checked with the Markdown reader itself: where nesting the marks cannot say what
    the runs say (`***` is ambiguous to it), each piece is closed on its own (`**x****_y_**`), and
    emphasis (and links) the reader cannot take at all are left out rather than written wrong."""
    atoms = _atoms(runs)
    for strong in ("**", "__"):  # `__`: where an intraword `*x*` meets a `**`
        for nested in (True, False):
            line = _render(atoms if nested else _spaces_apart(atoms), nested, strong)
            if _reads_back(line, atoms):
                return line
    if line := _marks_pair_by_pair(atoms):
        return line
    return _render(_merge([(text, False, False, "") for text, _, _, _ in atoms]), True)


_PAIRS_SEARCHED = 6  # strong pairs whose markers are chosen one by one: 2**6 x 2 renderings at most


def _marks_pair_by_pair(atoms: list[tuple[str, bool, bool, str]]) -> str:
    """The last try before marks are left out: each strong pair's marker chosen on its own, as no one
    marker serves every pair in `**0**Kazakhstan*0*__.__` (`**` can close inside a word, only `__`
    can open between punctuation after a letter). Rare, so a small search; "" when none reads back."""
    for nested in (True, False):
        parts = atoms if nested else _spaces_apart(atoms)
        used: list[str] = []
        _render(parts, nested, "**", opened=used)
        if not 1 < len(used) <= _PAIRS_SEARCHED:  # one pair: the uniform markers were tried
            continue
        for choice in itertools.product(("**", "__"), repeat=len(used)):
            for em_mark in ("_", "*"):
                line = _render(parts, nested, choice, em_mark)
                if _reads_back(line, atoms):
                    return line
    return ""


def rich_markdown(rich: RichText) -> str:
    """A text with inline spans as the one line of Markdown `parse_inline` reads back as the same
    text and emphasis (what a person edits in the workbench), links as `[text](url)`. Notes need
    nothing: a note is its [brackets], which stay in the text."""
    marks = [s for s in rich.spans if s.kind in ("em", "strong", "link")]
    cuts = sorted({0, len(rich.text), *(s.start for s in marks), *(s.end for s in marks)})
    runs = []
    for start, end in itertools.pairwise(cuts):
        covering = [s for s in marks if s.start <= start and end <= s.end]
        kinds = {s.kind for s in covering}
        href = next((s.target for s in covering if s.kind == "link"), "")
        runs.append(Run(rich.text[start:end], "em" in kinds, "strong" in kinds, href))
    return inline_markdown(runs)


def _merge(atoms: list[tuple[str, bool, bool, str]]) -> list[tuple[str, bool, bool, str]]:
    out: list[tuple[str, bool, bool, str]] = []
    for atom in atoms:
        if out and out[-1][1:] == atom[1:]:
            out[-1] = (out[-1][0] + atom[0], *atom[1:])
        else:
            out.append(atom)
    return out


def _spaces_apart(atoms: list[tuple[str, bool, bool, str]]) -> list[tuple[str, bool, bool, str]]:
    """Each atom's edge spaces as unmarked atoms of their own, for marks closed atom by atom."""
    out = []
    for text, em, strong, href in atoms:
        core = text.strip()
        if href or not (em or strong) or not core:
            out.append((text, em, strong, href))
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        out.extend(a for a in ((lead, False, False, ""), (core, em, strong, ""),
                               (trail, False, False, "")) if a[0])  # fmt: skip
    return out


def _render(atoms: list[tuple[str, bool, bool, str]], nested: bool, strong_mark: str | Sequence[str] = "**",
            em_mark: str = "", opened: list[str] | None = None) -> str:  # fmt: skip
    """One line of Markdown for the atoms. `strong_mark` is the marker of every strong pair, or one
    per pair in the order they open (the last repeated); `em_mark` the preferred emphasis marker
    (by default `_` beside `**`, `*` beside `__`); `opened` collects the strong markers used."""
    marks_used = opened if opened is not None else []
    strong_open = ""
    pieces: list[str | _Em] = []
    stack: list[str] = []  # open marks, outermost first: "strong", "em"
    openers: list[_Em] = []

    def close_to(depth: int) -> None:
        nonlocal strong_open
        while len(stack) > depth:
            mark = stack.pop()
            if mark == "strong":
                pieces.append(strong_open)
            else:
                closer = _Em()
                opener = openers.pop()
                opener.partner, closer.partner = closer, opener
                pieces.append(closer)

    def reach(index: int, field: int) -> int:  # how many atoms from `index` on carry the mark
        n = 0
        while index + n < len(atoms) and atoms[index + n][field]:
            n += 1
        return n

    for index, (text, em, strong, href) in enumerate(atoms):
        # the mark that runs longer opens first, outside the other: "_**1.** more_"
        marks = [m for m, on in (("strong", strong), ("em", em)) if on]
        if nested and len(marks) == 2 and reach(index, 1) > reach(index, 2):
            marks.reverse()
        keep = 0
        while keep < len(stack) and stack[keep] in marks:
            keep += 1
        close_to(keep if nested else 0)
        for mark in marks:
            if mark not in stack:
                stack.append(mark)
                if mark == "strong":
                    if isinstance(strong_mark, str):
                        strong_open = strong_mark
                    else:
                        strong_open = strong_mark[min(len(marks_used), len(strong_mark) - 1)]
                    marks_used.append(strong_open)
                    pieces.append(strong_open)
                else:
                    opener = _Em()
                    openers.append(opener)
                    pieces.append(opener)
        if href:
            pieces.append(f"[{text}]({href})")
        else:
            pieces.append(_escape(text))
    close_to(0)
    return _resolve_em(pieces, em_mark or ("_" if strong_mark == "**" else "*"))


def _reads_back(line: str, atoms: list[tuple[str, bool, bool, str]]) -> bool:
    """Does the Markdown reader see the atoms' text, emphasis and strong in `line`?"""
    from brochure.sources.text import parse_inline

    rich = parse_inline(line)
    text = "".join(a[0] for a in atoms)
    if rich.text != " ".join(text.split()):
        return False
    for kind, field_index in (("em", 1), ("strong", 2)):
        want: set[int] = set()
        pos = 0
        for atom in atoms:
            if atom[field_index] and not atom[3]:
                want.update(pos + i for i, ch in enumerate(atom[0]) if not ch.isspace())
            pos += len(atom[0])
        got = {i for span in rich.spans if span.kind == kind for i in range(span.start, span.end)}
        got = {i for i in got if not rich.text[i].isspace()}
        if got != want:
            return False
    return True


def _resolve_em(pieces: list[str | _Em], preferred: str = "_") -> str:
    """`_x_` unless it would sit inside a word (a letter or digit on both sides of the marker),
    then `*x*`; `_` also keeps emphasis apart from a `**` beside it (`***` is ambiguous)."""
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if not isinstance(piece, _Em):
            out.append(piece)
            continue
        partner = piece.partner
        j = pieces.index(partner) if partner is not None else i
        first, last = min(i, j), max(i, j)
        opener_inside = (
            _edge(pieces[:first], -1).isalnum() and _edge(pieces[first + 1 :], 0).isalnum()
        )
        closer_inside = (
            _edge(pieces[:last], -1).isalnum() and _edge(pieces[last + 1 :], 0).isalnum()
        )
        out.append("*" if opener_inside or closer_inside else preferred)
    return "".join(out)


def _edge(pieces: list[str | _Em], index: int) -> str:
    """The character next to a marker in the output (a neighbouring `**` counts: `**_x_**0`)."""
    text = "".join(p if isinstance(p, str) else "_" for p in pieces)
    return text[index] if text else " "


def _atoms(runs: list[Run]) -> list[tuple[str, bool, bool, str]]:
    """Merge runs of equal formatting, collapse whitespace, move edge spaces out of the marks."""
    chars: list[list] = []  # [char, em, strong, href]
    for run in runs:
        text = unicodedata.normalize("NFC", run.text)
        href = _safe_href(run.href) if run.href else ""
        for ch in text:
            if ch.isspace():  # a run of white space is one character; a no-break space wins
                kept = ch if ch in _NO_BREAK else " "
                if chars and chars[-1][0].isspace():
                    if kept != " ":
                        chars[-1][0] = kept
                else:
                    chars.append([kept, run.em, run.strong, href])
            elif _is_text(ch):
                chars.append([ch, run.em, run.strong, href])
    while chars and chars[0][0].isspace():
        chars.pop(0)
    while chars and chars[-1][0].isspace():
        chars.pop()
    # links: the reader keeps a link's text raw, so it holds no emphasis and no brackets
    for start, end in _ranges(chars, 3):
        text = "".join(c[0] for c in chars[start:end])
        for c in chars[start:end]:
            if "[" in text or "]" in text or "<!--" in text or not text.strip():
                c[3] = ""
            else:
                c[1] = c[2] = False
    # emphasis and strong start and end on a visible character
    for index in (1, 2):
        for start, end in _ranges(chars, index):
            i = start
            while i < end and chars[i][0].isspace() and not chars[i][3]:
                chars[i][index] = False
                i += 1
            j = end - 1
            while j >= i and chars[j][0].isspace() and not chars[j][3]:
                chars[j][index] = False
                j -= 1
    atoms: list[list] = []
    for ch, em, strong, href in chars:
        if atoms and atoms[-1][1:] == [em, strong, href]:
            atoms[-1][0] += ch
        else:
            atoms.append([ch, em, strong, href])
    return [(a[0], a[1], a[2], a[3]) for a in atoms]


def _is_text(ch: str) -> bool:
    """Visible text: no control or format characters (but ZWJ/ZWNJ, which spell words in some
    scripts) and no noncharacters (the Markdown reader refuses them and uses some as markers)."""
    if "\ufdd0" <= ch <= "\ufdef" or (ord(ch) & 0xFFFE) == 0xFFFE:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\u200c\u200d"


def _ranges(chars: list[list], index: int) -> list[tuple[int, int]]:
    """Maximal ranges [start, end) of chars whose field `index` is set (and equal, for links)."""
    out = []
    i = 0
    while i < len(chars):
        value = chars[i][index]
        if not value:
            i += 1
            continue
        j = i
        while j < len(chars) and chars[j][index] == value:
            j += 1
        out.append((i, j))
        i = j
    return out


def _safe_href(href: str) -> str:
    """A link target the reader's `[text](url)` form accepts: no spaces or parentheses; "" (the
    link kept as text, with a warning) for anything but http(s) and mailto (core.paths)."""
    href = href.strip()
    safe = link_target(href.replace(" ", "%20").replace("(", "%28").replace(")", "%29"))
    if safe is None:
        log.warning("a link to %r is %s", href, LINK_REFUSED)
    return safe or ""
