"""Reading sources: a Markdown subset and plain text -> Document (blocks with inline spans).

Markdown subset: ATX headings, paragraphs, bullet and numbered lists, block quotes, *emphasis*,
**strong**, links `[text](url)` (http(s) and mailto: link spans; any other target is kept as text
with a warning), bracketed translator's notes `[...]` kept inline as
text, and footnotes `[^1]` / `[^1]: ...`, made such notes at their reference. Inline markup is removed from the text and kept as spans, so it never splits a sentence.
HTML comments (`<!-- ... -->`) are editors' remarks and are dropped, except two that steer the
segmenter where its rules go wrong: `<!--break-->` forces a sentence break at its place and
`<!--join-->` (between two sentences) keeps them one segment. They leave no trace in the text.

A source is text: NUL and the other C0 control characters (except tab and line breaks) are refused
with the line and column where they are, since XLIFF, DOCX and PDF cannot carry them.
Reading is linear in the length of the text (see tests/test_segment_properties.py).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from brochure.core.datamodel import Block, Document, RichText, Span
from brochure.core.errors import SourceError
from brochure.core.paths import LINK_REFUSED, link_target

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_ITEM = re.compile(r"^(\s*)([-*+]|(\d{1,9})[.)])[ \t]+(.*)$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?(.*)$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LINK = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)\)")
# Characters that are not text: C0 controls but tab, LF and CR (and VT/FF, which are white space),
# DEL, the noncharacters U+FDD0-U+FDEF (two of them mark breaks and joins inside the reader) and
# U+FFFE/U+FFFF.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff]")
BREAK, JOIN = "\ufdd0", "\ufdd1"  # where <!--break--> and <!--join--> were, until blocks are made
_MARKER = re.compile(r"<!--\s*(break|join)\s*-->")
# Footnotes as pandoc and GitHub write them: `[^label]` in the text, `[^label]: note` on a line of
# its own (its continuation lines indented).
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*)$")
_ESCAPABLE = set("\\`*_{}[]()#+-.!>")
log = logging.getLogger(__name__)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing or unreadable file is a one-line SourceError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (a BOM is dropped) or UTF-16 with its BOM, newlines normalised, NFC."""
    from brochure.core.text import UTF16_BOMS, not_utf8

    data = read_bytes(path)
    try:  # UTF-16 is read only with its BOM (Notepad's and Excel's "Unicode"): never guessed
        text = data.decode("utf-16" if data[:2] in UTF16_BOMS else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path}: {not_utf8(data, f'byte offset {exc.start}')}; save the file as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if bad := _NOT_TEXT.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise SourceError(
            f"{path}:{line}: column {column}: control character U+{ord(bad.group()):04X} is not "
            "text; remove it (a file saved in the wrong format?)"
        )
    return unicodedata.normalize("NFC", text)


def read_document(path: Path, lang: str) -> Document:
    """Read a .md or .txt source into a Document; an empty document is an error."""
    text = read_text(path)
    if path.suffix.lower() in (".txt", ".text"):
        blocks = parse_plain(text)
    else:
        blocks = parse_markdown(text, path)
    if not blocks:
        raise SourceError(f"{path}: the document has no text")
    return Document(path=path, lang=lang, blocks=tuple(blocks))


def parse_plain(text: str) -> list[Block]:
    """Plain text: paragraphs separated by blank lines; line breaks inside a paragraph are spaces."""
    text = _MARKER.sub(_marker, text)
    blocks = []
    for start, lines in _paragraphs(text.split("\n")):
        content = RichText(_join(lines))
        blocks.append(Block("paragraph", _with_notes(content), line=start))
    return _finish(blocks)


def _marker(m: re.Match[str]) -> str:
    return BREAK if m.group(1) == "break" else JOIN


def _finish(blocks: list[Block]) -> list[Block]:
    """Take the break and join marks out of each block's text (into Block.breaks / joins) and
    drop the blocks left without text."""
    out = []
    for block in blocks:
        if BREAK in block.text or JOIN in block.text:
            content, breaks, joins = _take_marks(block.content)
            block = replace(block, content=content, breaks=breaks, joins=joins)
        if block.text:
            out.append(block)
    return out


def _take_marks(content: RichText) -> tuple[RichText, tuple[int, ...], tuple[int, ...]]:
    """The text without its marks (and without the space a mark leaves doubled), the spans moved
    to match, and where the break and join marks were."""
    text = content.text
    keep = []  # for each old offset, its new offset
    out: list[str] = []
    breaks: list[int] = []
    joins: list[int] = []
    for ch in text:
        keep.append(len(out))
        if ch == BREAK or ch == JOIN:
            (breaks if ch == BREAK else joins).append(len(out))
            continue
        if ch == " " and (not out or out[-1] == " "):
            continue  # a mark between two spaces, or at the start: one space is enough
        out.append(ch)
    keep.append(len(out))
    while out and out[-1] == " ":
        out.pop()
    new = "".join(out)
    n = len(new)
    spans = []
    for s in content.spans:
        start, end = min(keep[s.start], n), min(keep[s.end], n)
        if end > start:
            spans.append(s.moved(start, end))
    marks = tuple(sorted({min(b, n) for b in breaks})), tuple(sorted({min(j, n) for j in joins}))
    return RichText(new, tuple(spans)), *marks


def _paragraphs(lines: list[str]):
    buf: list[str] = []
    start = 0
    for i, line in enumerate(lines, 1):
        if line.strip():
            if not buf:
                start = i
            buf.append(line)
        elif buf:
            yield start, buf
            buf = []
    if buf:
        yield start, buf


def _join(lines: list[str]) -> str:
    return " ".join(" ".join(line.split()) for line in lines if line.strip())


def _drop_comments(text: str) -> str:
    """Each `<!-- ... -->` replaced by its line breaks only; an unclosed `<!--` stays text.

    A scan with str.find, linear in the text: the pattern <!--.*?--> looked for a closing -->
    from every <!--, quadratic on many unclosed ones (100,000 of them did not finish)."""
    out = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:  # no comment closes after here: the rest is text
            break
        out.append(text[pos:start])
        out.append("\n" * text.count("\n", start, end))
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def parse_markdown(text: str, path: Path | None = None) -> list[Block]:
    """The project's Markdown -> blocks with their line numbers (headings, paragraphs, lists, quotes).

    With `path`, a link to anything but http(s) or mailto is a warning naming the file and line."""

    def inline(source: str, line: int) -> RichText:
        refused: list[str] = []
        rich = parse_inline(source, refused)
        for url in refused if path is not None else ():
            log.warning("%s:%d: a link to %r is %s", path, line, url, LINK_REFUSED)
        return rich

    # Comments become blank lines of the same count, so line numbers stay right; the two that
    # steer the segmenter become marks.
    text = _MARKER.sub(_marker, text)
    text = _drop_comments(text)
    lines = _footnotes(text.split("\n"), path)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or _RULE.match(line):
            i += 1
            continue
        if m := _HEADING.match(line):
            level = len(m.group(1))
            blocks.append(
                Block("heading", inline(m.group(2) or "", i + 1), line=i + 1, level=level)
            )
            i += 1
            continue
        if _QUOTE.match(line):
            start = i
            body: list[str] = []
            while i < len(lines) and (q := _QUOTE.match(lines[i])):
                body.append(q.group(1))
                i += 1
            for offset, para in _paragraphs(body):
                blocks.append(
                    Block("quote", inline(_join(para), start + offset), line=start + offset)
                )
            continue
        if m := _ITEM.match(line):
            i = _list(lines, i, blocks, inline)
            continue
        start = i
        para = []
        while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
            para.append(lines[i])
            i += 1
        blocks.append(Block("paragraph", inline(_join(para), start + 1), line=start + 1))
    return _finish(blocks)


def _footnotes(lines: list[str], path: Path | None) -> list[str]:
    """Markdown footnotes become bracketed notes at their reference (` [note]`), the form a DOCX's
    footnotes take: `Justice.[^1]` with `[^1]: Liquidated in 2017.` reads `Justice. [Liquidated
    in 2017.]`, and the definition's lines become blank (line numbers stay right). A reference
    without a definition, or a definition nobody refers to, stays as it was, with a warning."""
    if not any("[^" in line for line in lines):
        return lines
    notes: dict[str, tuple[int, int, str]] = {}  # label -> (first line, end line, text)
    i = 0
    while i < len(lines):
        m = _FOOTNOTE_DEF.match(lines[i])
        if not m:
            i += 1
            continue
        start, body = i, [m.group(2)]
        i += 1
        while i < len(lines) and lines[i].strip() and lines[i][:1] in (" ", "\t"):
            body.append(lines[i])
            i += 1
        notes.setdefault(m.group(1), (start, i, _join(body)))
    used: set[str] = set()

    def note(m: re.Match[str]) -> str:
        found = notes.get(m.group(1))
        if found is None:
            return m.group()
        used.add(m.group(1))
        return f" [{found[2]}]" if found[2] else ""

    out = list(lines)
    defined = {n for start, end, _ in notes.values() for n in range(start, end)}
    for n, line in enumerate(lines):
        if n not in defined and "[^" in line:
            out[n] = _FOOTNOTE_REF.sub(note, line)
            for label in _FOOTNOTE_REF.findall(line):
                if label not in notes and path is not None:
                    log.warning("%s:%d: footnote [^%s] has no definition ([^%s]: ...); kept as text",
                                path, n + 1, label, label)  # fmt: skip
    for label, (start, end, _) in notes.items():
        if label in used:
            out[start:end] = [""] * (end - start)
        elif path is not None:
            log.warning(
                "%s:%d: footnote [^%s] is never referred to; kept as text", path, start + 1, label
            )
    return out


def _starts_block(line: str) -> bool:
    return bool(
        _HEADING.match(line) or _QUOTE.match(line) or _ITEM.match(line) or _RULE.match(line)
    )


def _list(
    lines: list[str], i: int, blocks: list[Block], inline: Callable[[str, int], RichText]
) -> int:
    """Read list items from line i; continuation lines join their item. Returns the next line."""
    base_indents: list[int] = []
    while i < len(lines):
        m = _ITEM.match(lines[i])
        if not m:
            break
        indent = len(m.group(1).expandtabs(4))
        while base_indents and indent < base_indents[-1]:
            base_indents.pop()
        if not base_indents or indent > base_indents[-1] + 1:
            base_indents.append(indent)
        depth = len(base_indents) - 1
        start = i
        body = [m.group(4)]
        i += 1
        while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
            body.append(lines[i])
            i += 1
        number = int(m.group(3)) if m.group(3) else None
        blocks.append(
            Block(
                "list_item",
                inline(_join(body), start + 1),
                line=start + 1,
                level=depth,
                ordered=number is not None,
                number=number,
            )  # fmt: skip
        )
        # a blank line between items keeps the list going
        j = i
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and _ITEM.match(lines[j]):
            i = j
        else:
            break
    return i


class _Marker:
    __slots__ = ("chars", "kind", "partner", "target")

    def __init__(self, chars: str, kind: str):
        self.chars = chars
        self.kind = kind
        self.partner: _Marker | None = None
        self.target = ""  # a link opener's URL


def parse_inline(source: str, refused: list[str] | None = None) -> RichText:
    """Strip inline Markdown (emphasis, strong, links, escapes) into spans; mark bracketed notes.

    A link whose target is not http(s) or mailto (core.paths.link_target) keeps only its text;
    its target is added to `refused` for the caller to warn about."""
    if not any(c in source for c in "*_\\[`"):  # the common case: nothing to parse
        return RichText(" ".join(source.split()))
    pieces: list[str | _Marker] = []
    stack: list[_Marker] = []
    i, n = 0, len(source)
    run_end = 0  # the end of the current run of * or _ (measured once per run: linear)
    while i < n:
        c = source[i]
        if c == "\\" and i + 1 < n and source[i + 1] in _ESCAPABLE:
            pieces.append(source[i + 1])
            i += 2
            continue
        if c == "[":  # a link [text](url): its text, a link span; a bare [note] stays as text
            m = _LINK.match(source, i)
            if m:
                target = link_target(m.group(2))
                if target and m.group(1).strip():
                    opener, closer = _Marker("", "link"), _Marker("", "link")
                    opener.partner, closer.partner = closer, opener
                    opener.target = target
                    pieces.extend((opener, m.group(1), closer))
                else:
                    if not target and refused is not None:
                        refused.append(m.group(2))
                    pieces.append(m.group(1))
                i = m.end()
                continue
        if c in "*_":
            if i >= run_end or source[run_end - 1] != c:
                run_end = i + 1
                while run_end < n and source[run_end] == c:
                    run_end += 1
            run = run_end - i
            chars = c * min(run, 2) if run != 3 else c * 2
            kind = "strong" if len(chars) == 2 else "em"
            before = source[i - 1] if i > 0 else " "
            after = source[i + len(chars)] if i + len(chars) < n else " "
            intraword = c == "_" and before.isalnum() and after.isalnum()
            if not intraword:
                if stack and stack[-1].chars == chars and not before.isspace():
                    opener = stack.pop()
                    closer = _Marker(chars, kind)
                    opener.partner, closer.partner = closer, opener
                    pieces.append(closer)
                    i += len(chars)
                    continue
                if not after.isspace():
                    marker = _Marker(chars, kind)
                    stack.append(marker)
                    pieces.append(marker)
                    i += len(chars)
                    continue
            pieces.append(source[i : i + run])
            i += run
            continue
        pieces.append(c)
        i += 1
    text_parts: list[str] = []
    spans: list[Span] = []
    opened: dict[int, int] = {}
    pos = 0
    for piece in pieces:
        if isinstance(piece, str):
            text_parts.append(piece)
            pos += len(piece)
        elif piece.partner is None:  # unmatched: the characters are text
            text_parts.append(piece.chars)
            pos += len(piece.chars)
        elif id(piece.partner) in opened:
            start = opened.pop(id(piece.partner))
            if pos > start:
                spans.append(Span(start, pos, piece.kind, piece.partner.target))  # type: ignore[arg-type]
        else:
            opened[id(piece)] = pos
    raw = "".join(text_parts)
    # collapse whitespace while keeping span offsets right
    text, spans = _collapse_spaces(raw, spans)
    return _with_notes(RichText(text, tuple(sorted(spans, key=lambda s: (s.start, -s.end)))))


def _collapse_spaces(raw: str, spans: list[Span]) -> tuple[str, list[Span]]:
    mapping = []
    out = []
    prev_space = True
    for ch in raw:
        if ch.isspace():
            if not prev_space:
                out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
        mapping.append(len(out))
    text = "".join(out)
    trimmed = text.rstrip()

    def at(offset: int) -> int:
        return min(mapping[offset - 1] if offset > 0 else 0, len(trimmed))

    new_spans = [s.moved(at(s.start) if s.start else 0, at(s.end)) for s in spans]
    # a span's start maps to the position after the previous character; skip a collapsed space
    fixed = []
    for s in new_spans:
        start = s.start
        while start < s.end and start < len(trimmed) and trimmed[start] == " ":
            start += 1
        if s.end > start:
            fixed.append(s.moved(start, s.end))
    return trimmed, fixed


def _with_notes(content: RichText) -> RichText:
    """Mark each balanced [bracketed note] as a `note` span (the brackets stay in the text)."""
    if "[" not in content.text:
        return content  # most texts: no walk over every character
    notes = []
    depth = 0
    start = 0
    for i, ch in enumerate(content.text):
        if ch == "[":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
            if depth == 0:
                notes.append(Span(start, i + 1, "note"))
    if not notes:
        return content
    spans = sorted((*content.spans, *notes), key=lambda s: (s.start, -s.end))
    return RichText(content.text, tuple(spans))
