"""Read a built PDF back as a proofreader would, and report what a typesetter would mark.

Per page and in total: hyphenated line ends (their share and the longest run of them), lines
ending in a one-letter Cyrillic word, lines of running text opening with a dash or a closing mark
(", . ; : ! ? ) » ”": the typography stage binds them to the word before), runts (a line holding one short word), widows and orphans,
page fill, text running past its column, missing glyphs, fonts not embedded, non-black text in a
print PDF, box sanity (Trim/Bleed/Media) and the page count for saddle stitching.

Lines come from pdfium's text rectangles (pypdfium2), each read from the page's text read once
(_PageText: a few calls per rectangle, not a search of the whole page each); fonts from the font
objects and colours from the content streams' bytes (pikepdf; colours only in a print PDF). The expected geometry (page size, margins,
columns) comes from the layout itself (layout.html.layout_geometry), so the proof measures the
PDF against what the layout meant to draw, not against guesses.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from brochure.layout.rows import Geometry

MM = 72 / 25.4
# Thresholds a typesetter would accept (issue 12).
MAX_HYPHENATED_SHARE = 0.08
MAX_LADDER = 2
RUNT_LETTERS = 7  # a line of one word shorter than this is a runt
MIN_FILL = 0.85  # text area filled on a page that is not the last of a document
MIN_LINES_FOR_FILL = 8  # pages with fewer lines of running text (cover, contents) are not judged
OVERFLOW_PT = (
    1.5  # a line may end this far (0.5 mm) past its column: glyph overhang, justification rounding
)
BOX_PT = 0.5  # box sizes compared to this tolerance
_TERMINAL = tuple('.!?:;…»”")')
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_ONE_LETTER_END = re.compile(r"(?:^|\s)([^\W\d_])$")
_WORDS = re.compile(r"[^\W\d_]+")
# A line going on from the one above that opens with a dash or a mark closing what came before.
_OPENING_MARK = re.compile(r"^(?:[,.;:!?)»”]|[–—](?:\s|[,.;:!?)»”]|$))")
_SOFT_END = "\x02"  # pdfium's mark for a hyphen at a line end
_HYPHEN_END = re.compile(r"[^\W\d_]-$")  # a letter, then a hyphen the PDF holds as such


@dataclass(frozen=True)
class Frame:
    """Where the layout puts running text: the trim size, the margins and the columns."""

    page_mm: tuple[float, float]
    margin_top_mm: float
    margin_bottom_mm: float
    margin_inner_mm: float
    margin_outer_mm: float
    columns: int
    gutter_mm: float
    bleed_mm: float = 0.0  # > 0: a print PDF (bleed, marks, black text)
    booklet: bool = False  # the edition is imposed for saddle stitching
    print_pdf: bool = False  # a print PDF (also without bleed): text must be 100% black
    facing: bool = False  # pages in spreads (left even, right odd) holding the same units

    @classmethod
    def from_geometry(cls, geo: Geometry, *, bleed_mm: float = 0.0, booklet: bool = False,
                      print_pdf: bool = False, facing: bool = False) -> Frame:  # fmt: skip
        return cls(
            geo.page_mm, geo.margin_top_mm, geo.margin_bottom_mm, geo.margin_inner_mm,
            geo.margin_outer_mm, geo.columns, geo.gutter_mm, bleed_mm, booklet,
            print_pdf, facing,
        )  # fmt: skip

    def column_ranges(self, page_number: int) -> list[tuple[float, float]]:
        """x ranges (pt, from the trim box's left edge) of the text columns; page 1 is a recto."""
        left_mm = self.margin_inner_mm if page_number % 2 else self.margin_outer_mm
        width = self.page_mm[0] - self.margin_inner_mm - self.margin_outer_mm
        column = (width - self.gutter_mm * (self.columns - 1)) / self.columns
        return [
            ((left_mm + i * (column + self.gutter_mm)) * MM, (left_mm + i * (column + self.gutter_mm) + column) * MM)
            for i in range(self.columns)
        ]  # fmt: skip

    @property
    def body_pt(self) -> tuple[float, float]:
        """(bottom, top) of the text area, in pt from the trim box's bottom edge."""
        return self.margin_bottom_mm * MM, (self.page_mm[1] - self.margin_top_mm) * MM


class Join(NamedTuple):
    """Where a rectangle was joined to a line: its left edge, and the line before it (the right
    edge of its last letter and character, its text's length, its font), and its own font."""

    x0: float
    x1: float
    end: float
    length: int
    font: str
    joined_font: str


@dataclass
class Line:
    x0: float
    x1: float  # the right edge of its last letter or digit (see _PageText._ink)
    bottom: float
    top: float
    text: str
    font: str
    column: int = -1
    end: float = 0.0  # the right edge of its last character
    joins: list[Join] = field(default_factory=list)  # where rectangles were joined to it (_lines)

    @property
    def body(self) -> bool:
        """Running text: not a heading, a column label or a contents entry (the layouts set those
        bold), with a font (not a rule or an image)."""
        return bool(self.font) and "Bold" not in self.font

    @property
    def hyphenated(self) -> bool:
        return self.text.endswith(_SOFT_END) or bool(_HYPHEN_END.search(self.text))

    @property
    def shown(self) -> str:
        return self.text.replace(_SOFT_END, "-")


@dataclass
class Issue:
    severity: str  # "error" fails `build --proof`; "warning" is reported
    check: str
    page: int  # 0: the whole document
    message: str


@dataclass
class PageReport:
    number: int
    lines: int = 0
    hyphenated: int = 0
    longest_ladder: int = 0
    one_letter_ends: list[str] = field(default_factory=list)
    opening_marks: list[str] = field(default_factory=list)  # running lines opening "– " or ","
    runts: list[str] = field(default_factory=list)
    widows: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    fill: float = 0.0  # share of the text area's height used
    opens_with_heading: bool = False  # its first line of text is a heading (or a column label)
    overflow: list[str] = field(default_factory=list)
    missing_glyphs: int = 0


@dataclass
class ProofReport:
    path: str
    pages: list[PageReport]
    issues: list[Issue]
    page_count: int = 0
    lines: int = 0
    hyphenated: int = 0
    longest_ladder: int = 0
    fonts_not_embedded: list[str] = field(default_factory=list)
    non_black_text_pages: list[int] = field(default_factory=list)

    @property
    def hyphenated_share(self) -> float:
        return self.hyphenated / self.lines if self.lines else 0.0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["hyphenated_share"] = round(self.hyphenated_share, 4)
        data["errors"] = len(self.errors)
        return data


def proof_pdf(path: Path, frame: Frame) -> ProofReport:
    """Read `path` back and measure it against `frame` (what the layout meant to draw)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages: list[PageReport] = []
        issues: list[Issue] = []
        edges: list[_Edges] = []
        step = 2 if frame.facing else 1  # (facing: a text goes on on its language's next page)
        for index in range(len(pdf)):
            page = pdf[index]
            # each column's last line on the page the text came from
            previous = edges[index - step].last if index >= step else {}
            try:
                report, edge = _proof_page(page, index + 1, frame, previous, issues)
            finally:
                page.close()
            pages.append(report)
            edges.append(edge)
        count = len(pdf)
    finally:
        pdf.close()
    issues = _between_pages(pages, edges, issues, frame.facing)
    result = ProofReport(str(path), pages, issues, page_count=count)
    result.lines = sum(p.lines for p in pages)
    result.hyphenated = sum(p.hyphenated for p in pages)
    result.longest_ladder = max((p.longest_ladder for p in pages), default=0)
    _document_checks(path, frame, result)
    return result


@dataclass
class _Edges:
    """What the checks across a page break need of a page: each column's first and last line of
    text, and the orphans and widows found in each column (column, text)."""

    first: dict[int, Line] = field(default_factory=dict)
    last: dict[int, Line] = field(default_factory=dict)
    orphans: list[tuple[int, str]] = field(default_factory=list)
    widows: list[tuple[int, str]] = field(default_factory=list)


def _proof_page(page: Any, number: int, frame: Frame, previous: dict[int, Line],
                issues: list[Issue]) -> tuple[PageReport, _Edges]:  # fmt: skip
    report = PageReport(number)
    trim = page.get_trimbox()
    textpage = page.get_textpage()
    try:
        chars = _PageText(textpage)
        lines = _lines(chars.rectangles(), trim[0], trim[1])
        report.missing_glyphs = chars.text.count("\ufffd")
    finally:
        textpage.close()
    bottom, top = frame.body_pt
    body = [ln for ln in lines if bottom - 2 <= ln.bottom and ln.top <= top + 2]
    ranges = _page_ranges(frame, number, body)
    if len(ranges) > 1:
        body = [part for line in body for part in _at_columns(line, ranges, body)]
    for line in body:
        line.column = next(
            (i for i, (x0, x1) in enumerate(ranges) if x0 - OVERFLOW_PT <= line.x0 < x1), -1
        )
    past_lines = [
        ln for ln in body if ln.column >= 0 and ln.x1 > ranges[ln.column][1] + OVERFLOW_PT
    ]
    spanning = _full_width(body, ranges) if past_lines else set()  # (most pages: none past)
    for line in past_lines:
        # a line past its column ends in the gutter, reaches the text beside it, or runs beyond
        # the text area; a line of a full-width element (the cover, a spanning title, the
        # colophon) may end anywhere inside the text area
        past = line.x1 - ranges[line.column][1]
        into_gutter = OVERFLOW_PT < past <= frame.gutter_mm * MM
        past_body = line.x1 > ranges[-1][1] + OVERFLOW_PT
        if past_body or (id(line) not in spanning and (into_gutter or _beside(line, body))):
            report.overflow.append(
                f"{line.shown[-40:]!r} ({past:.1f} pt past column {line.column + 1})"
            )
    if body:
        report.fill = round((top - min(ln.bottom for ln in body)) / (top - bottom), 3)
        report.opens_with_heading = not max(body, key=lambda ln: ln.top).body
    edges = _Edges()
    for column in range(len(ranges)):
        col = sorted((ln for ln in body if ln.column == column), key=lambda ln: -ln.top)
        if col:
            edges.first[column], edges.last[column] = col[0], col[-1]
        orphans, widows = len(report.orphans), len(report.widows)
        _column_checks(col, report, previous.get(column), bottom)
        edges.orphans += [(column, text) for text in report.orphans[orphans:]]
        edges.widows += [(column, text) for text in report.widows[widows:]]
    if report.lines < MIN_LINES_FOR_FILL:
        # few lines of running text: the cover or the back cover, centred across the columns
        report.overflow = []
    if report.missing_glyphs:
        issues.append(
            Issue(
                "error",
                "missing glyphs",
                number,
                f"{report.missing_glyphs} character(s) without a glyph",
            )
        )
    for text in report.overflow:
        issues.append(Issue("error", "past its column", number, text))
    for text in report.one_letter_ends:
        issues.append(Issue("error", "one-letter line end", number, text))
    for text in report.opening_marks:
        issues.append(Issue("error", "line opens with a dash or closing mark", number, text))
    if report.longest_ladder > MAX_LADDER:
        issues.append(
            Issue(
                "error",
                "hyphen ladder",
                number,
                f"{report.longest_ladder} hyphenated lines in a row",
            )
        )
    for kind, texts in (
        ("runt", report.runts),
        ("widow", report.widows),
        ("orphan", report.orphans),
    ):
        for text in texts:
            issues.append(Issue("warning", kind, number, text))
    return report, edges


def _page_ranges(frame: Frame, number: int, body: list[Line]) -> list[tuple[float, float]]:
    """The columns of page `number`: those of a recto or a verso by its number, unless most of
    its lines start at the other side's columns (where the margins differ). A converter may leave
    out a blank page the layout asked for (LibreOffice's PDF export drops the page Word's "start on
    an odd page" inserts), and every page after it is then read with the wrong margins."""
    ranges = frame.column_ranges(number)
    if frame.margin_inner_mm == frame.margin_outer_mm or not body:
        return ranges
    mirrored = frame.column_ranges(number + 1)

    def starts(columns: list[tuple[float, float]]) -> int:
        return sum(any(abs(ln.x0 - x0) <= OVERFLOW_PT for x0, _ in columns) for ln in body)

    return mirrored if starts(mirrored) > starts(ranges) else ranges


def _at_columns(line: Line, ranges: list[tuple[float, float]], body: list[Line]) -> list[Line]:
    """`line` cut where a column's text was joined to it: a line of a column that runs into the
    gutter comes near enough to the next column's text to be read as one line with it (see
    _joins). It is cut where a joined rectangle starts at the left edge of a column that other
    lines of the page start at (a column of text), the text before it starting in the column
    before and ending in the gutter. (Not a full-width line, a contents entry's leader dots: one
    of their rectangles may start at a column's edge, but the line starts columns before it or no
    column of text starts there.)"""
    for join in line.joins:
        at = next(
            (k for k, (start, _) in enumerate(ranges) if k and abs(join.x0 - start) <= OVERFLOW_PT),
            0,
        )
        if (
            at
            and ranges[at - 1][0] - OVERFLOW_PT <= line.x0
            and ranges[at - 1][1] + OVERFLOW_PT < join.x1 <= ranges[at][0]
            and sum(abs(ln.x0 - ranges[at][0]) <= OVERFLOW_PT for ln in body) >= 2
        ):
            rest = line.text[join.length :]
            cut = join.length + len(rest) - len(rest.lstrip())  # (the joining space left out)
            before = [j for j in line.joins if j.x0 < join.x0]
            after = [j._replace(length=j.length - cut) for j in line.joins if j.x0 > join.x0]
            left = Line(line.x0, join.x1, line.bottom, line.top, line.text[: join.length],
                        join.font, end=join.end, joins=before)  # fmt: skip
            font = join.joined_font  # (as _lines sets a line's font: running text wins)
            for j in after:
                font = j.joined_font if "Bold" in font and "Bold" not in j.joined_font else font
            right = Line(join.x0, line.x1, line.bottom, line.top, line.text[cut:], font,
                         end=line.end, joins=after)  # fmt: skip
            return [*_at_columns(left, ranges, body), *_at_columns(right, ranges, body)]
    return [line]


def _full_width(body: list[Line], ranges: list[tuple[float, float]]) -> set[int]:
    """The lines (their ids) of full-width elements: a block of lines of one column with no text
    beside them, each less than 1.5 line heights (a paragraph's space) below the one above, one
    of which reaches into the next column. Its other lines may end anywhere, also in the gutter
    (a colophon's short last line, its one-line imprint)."""
    found: set[int] = set()
    pitch = _pitch(body)
    for column in range(len(ranges) - 1):
        col = sorted((ln for ln in body if ln.column == column), key=lambda ln: -ln.top)
        block: list[Line] = []
        for n, line in enumerate(col):
            if not _beside(line, body):
                block.append(line)
            below = col[n + 1] if n + 1 < len(col) else None
            if block and block[-1] is line and below is not None:
                if line.bottom - below.top < pitch * 1.5:
                    continue
            if any(ln.x1 > ranges[column + 1][0] for ln in block):
                found.update(id(ln) for ln in block)
            block = []
    return found


def _beside(line: Line, body: list[Line]) -> bool:
    """Whether text of a later column stands beside `line` (at its height, to its right): words,
    not a dash whose glyph box pdfium put apart, higher than the line it ends."""
    return any(
        other.column > line.column
        and other.bottom < line.top
        and line.bottom < other.top
        and _WORDS.search(other.text)
        for other in body
    )


def _column_checks(col: list[Line], report: PageReport, before: Line | None, foot: float) -> None:
    """Line statistics of one column of one page, top to bottom."""
    text_lines = [ln for ln in col if ln.body and _WORDS.search(ln.text)]
    run = 0
    pitch = _pitch(text_lines)
    for n, line in enumerate(text_lines):
        report.lines += 1
        if line.hyphenated:
            report.hyphenated += 1
            run += 1
            report.longest_ladder = max(report.longest_ladder, run)
        else:
            run = 0
        plain = line.shown.rstrip()
        if (
            _CYRILLIC.search(plain)
            and (m := _ONE_LETTER_END.search(plain))
            and _CYRILLIC.match(m.group(1))
        ):
            report.one_letter_ends.append(plain[-40:])
        above = text_lines[n - 1] if n else None
        below = text_lines[n + 1] if n + 1 < len(text_lines) else None
        joined_above = above is not None and above.bottom - line.top < pitch * 0.6
        if joined_above and _OPENING_MARK.match(plain.lstrip()):
            report.opening_marks.append(plain[:40])
        words = _WORDS.findall(plain)
        if (
            joined_above
            and len(plain.split()) == 1
            and len(words) == 1
            and len(words[0]) < RUNT_LETTERS
            and not plain[-1:].isdigit()
        ):
            report.runts.append(plain)
        # an orphan: a paragraph's first line alone at the foot of the page
        at_foot = line.bottom - foot < pitch * 2
        if (
            below is None
            and n > 0
            and at_foot
            and not joined_above
            and not plain.endswith(_TERMINAL)
        ):
            report.orphans.append(plain[-40:])
    if text_lines and before is not None and before.body:
        first = text_lines[0]
        second = text_lines[1] if len(text_lines) > 1 else None
        ends_paragraph = second is None or first.bottom - second.top > pitch * 0.6
        continues = not before.shown.rstrip().endswith(_TERMINAL) or before.hyphenated
        if continues and ends_paragraph and first.shown.rstrip().endswith(_TERMINAL):
            report.widows.append(first.shown.rstrip()[-40:])


def _between_pages(pages: list[PageReport], edges: list[_Edges], issues: list[Issue],
                   facing: bool) -> list[Issue]:  # fmt: skip
    """`issues` without the orphans and widows that a page break does not make. An orphan is the
    first line of a paragraph that goes on at the head of its column on the next page (in facing,
    the next spread's page of the same language): not where running text does not follow (the
    last text page, the colophon's one-line imprint) or the next page opens that column with a
    heading (a one-line paragraph before it: it goes on nowhere). A widow is the last line of a
    paragraph that came from a page of running text (in facing, the same language's page of the
    spread before): not the first entry of the contents after the cover."""
    step = 2 if facing else 1
    dropped: set[tuple[int, str, str]] = set()
    for number, edge in enumerate(edges, start=1):
        after = edges[number - 1 + step] if number - 1 + step < len(edges) else None
        text_after = after is not None and pages[number - 1 + step].lines >= MIN_LINES_FOR_FILL
        for column, text in edge.orphans:
            head = after.first.get(column) if after is not None else None
            if not text_after or head is None or not head.body:
                dropped.add((number, "orphan", text))
                pages[number - 1].orphans.remove(text)
        for _column, text in edge.widows:
            before = number - 1 - step  # (index of the page its paragraph came from)
            if before < 0 or pages[before].lines < MIN_LINES_FOR_FILL:
                dropped.add((number, "widow", text))
                pages[number - 1].widows.remove(text)
    return [i for i in issues if (i.page, i.check, i.message) not in dropped]


def _pitch(lines: list[Line]) -> float:
    """The usual gap between lines of a paragraph (pt), from the column's line heights."""
    heights = sorted(ln.top - ln.bottom for ln in lines)
    return heights[len(heights) // 2] if heights else 10.0


def _lines(rects: list[Line], dx: float, dy: float) -> list[Line]:
    """pdfium's text rectangles joined into lines, in trim-box coordinates, top to bottom and
    left to right. A rectangle ends at a change of font or a wide gap, so a line of a column may
    be several: left to right, each joins the line ending just before it (see _joins) whose
    bottom is nearest its own, within 2.5 pt (a note set smaller, with its brackets, reaches
    lower than the words beside it)."""
    for rect in rects:
        rect.x0, rect.x1, rect.end = rect.x0 - dx, rect.x1 - dx, rect.end - dx
        rect.bottom, rect.top = rect.bottom - dy, rect.top - dy
    lines: list[Line] = []
    by_bottom: dict[int, list[Line]] = {}
    for rect in sorted(rects, key=lambda r: r.x0):
        near = math.floor(rect.bottom / 2.5)  # bottoms within 2.5 pt: this band or one beside
        best: Line | None = None
        for key in (near - 1, near, near + 1):
            for line in by_bottom.get(key, ()):
                if _joins(line, rect) and (
                    best is None or abs(rect.bottom - line.bottom) < abs(rect.bottom - best.bottom)
                ):
                    best = line
        if best is None:
            lines.append(rect)
            by_bottom.setdefault(near, []).append(rect)
            continue
        best.joins.append(Join(rect.x0, best.x1, best.end, len(best.text), best.font, rect.font))
        joiner = "" if best.text.endswith(" ") or rect.text.startswith(" ") else " "
        if rect.x0 - best.x1 > 1:
            best.text += joiner
        best.text += rect.text
        best.x1, best.end, best.top = rect.x1, rect.end, max(best.top, rect.top)
        if "Bold" in best.font and "Bold" not in rect.font:
            best.font = rect.font  # a line with running text in it is running text
    lines.sort(key=lambda r: (-round(r.bottom), r.x0))
    return lines


def _joins(line: Line, rect: Line) -> bool:
    """Whether `rect` continues `line`: bottoms within 2.5 pt, and less than 6 pt from the
    line's last letter to it, or less than 12 pt after a space that ends the line (a word space
    that justification stretched; a gutter is at least 5 mm, 14 pt)."""
    if abs(rect.bottom - line.bottom) >= 2.5:
        return False
    if line.text.endswith(" "):
        return 0 <= rect.x0 - line.end < 12
    return 0 <= rect.x0 - line.x1 < 6


# Characters pdfium may list without a box of their own (zero width, controls): a rectangle
# holding one is read by pdfium itself (_PageText.bounded), as is one overlapping another.
_UNPLACED = re.compile(
    "[\x00\x01\x03-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff0-\ufffd\uffff]"
)
_SPECIAL_SPACE = re.compile(r"\s{2,}|[^\S ]")  # not one ordinary space between two letters
_HYPHEN_MARK = "\ufffe"  # pdfium's page text marks a hyphen at a line end so; its rectangles \x02


class _PageText:
    """One page's text as pdfium lists it: characters in content order, each of one text
    object, and rectangles (one per run of characters of one text object, pdfium's FPDFText
    rectangles). Each rectangle's text, font and ink edge are read from the page's text, read
    once, and the characters at the rectangle's ends; pdfium's own per-rectangle searches (each
    a pass over every character of the page, as `bounded` does) only where that reading cannot
    be sure: a rectangle overlapping another, a zero-width character, a line end inside."""

    def __init__(self, textpage: Any) -> None:
        import pypdfium2.raw as pdfium_c

        self.c = pdfium_c
        self.textpage, self.raw = textpage, textpage.raw
        self.count = pdfium_c.FPDFText_CountChars(self.raw)
        self.text = textpage.get_text_range() if self.count > 0 else ""
        self._box = [ctypes.c_double() for _ in range(4)]
        self._font = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()

    def rectangles(self) -> list[Line]:
        """The page's text rectangles, in PDF coordinates, with their text, font and ink edge."""
        c, raw = self.c, self.raw
        left, bottom, right, top = self._box
        boxes = []
        for i in range(c.FPDFText_CountRects(raw, 0, -1)):
            c.FPDFText_GetRect(raw, i, left, top, right, bottom)
            boxes.append((left.value, bottom.value, right.value, top.value))
        fast = len(self.text) == self.count and len(boxes) > 0
        starts = self._starts(len(boxes)) if fast else []
        overlapping = _overlapping(boxes)
        rects = []
        for k, box in enumerate(boxes):
            read = None
            if fast and k not in overlapping:
                read = self._read(k, starts, box)
            text, font, ink = read or self.bounded(box)
            rects.append(Line(box[0], ink, box[1], box[3], text, font, end=box[2]))
        return rects

    def _starts(self, count: int) -> list[int]:
        """Where each rectangle's characters start (the first of rectangle k + 1 is the first
        character that makes FPDFText_CountRects from rectangle k's start count two), and the
        character count at the end. Most rectangles are a whole line: the line end pdfium puts
        in is tried first (two counts); else a galloping search, a few short counts."""
        count_rects, raw, n, text = self.c.FPDFText_CountRects, self.raw, self.count, self.text
        starts, start = [0], 0
        for _ in range(count - 1):
            low, high = 1, 0  # count_rects(start, low) == 1; count_rects(start, high) > 1
            line_end = text.find("\r\n", start)
            if line_end >= 0:
                length = line_end + 2 - start
                if count_rects(raw, start, length) > 1:
                    high = length
                elif start + length < n and count_rects(raw, start, length + 1) > 1:
                    start += length
                    starts.append(start)
                    continue
                else:
                    low = length
            if not high:
                high = low * 2 if low > 1 else 32
                while start + high <= n and count_rects(raw, start, high) == 1:
                    low, high = high, high * 2
                high = min(high, n - start + 1)
            while high - low > 1:
                middle = (low + high) // 2
                if count_rects(raw, start, middle) == 1:
                    low = middle
                else:
                    high = middle
            start += low
            starts.append(start)
        starts.append(n)
        return starts

    def _read(self, k: int, starts: list[int], box: tuple[float, float, float, float]
              ) -> tuple[str, str, float] | None:  # fmt: skip
        """Rectangle k's text as pdfium's FPDFText_GetBoundedText gives it (the characters whose
        box meets the rectangle; an ordinary space after one of them), its font and its ink edge;
        None where this reading could differ from pdfium's."""
        text = self.text
        begin, end = starts[k], starts[k + 1]
        run = text[begin:end]
        body = run.strip()
        if not body or _UNPLACED.search(run) or "\r" in body or "\n" in body:
            return None
        first = begin + len(run) - len(run.lstrip())
        last = first + len(body) - 1
        # the white space before the rectangle (the end of the previous run) and after it
        lead = begin
        if k > 0:
            lead = begin - (
                len(text[starts[k - 1] : begin]) - len(text[starts[k - 1] : begin].rstrip())
            )
        # pdfium's reading (CPDF_TextPage::GetTextByPredicate): a character meeting the box is
        # taken; an ordinary space after a taken one is taken; a line feed would be put in where
        # a taken character follows one not taken at another height (not read here: None). The
        # body's letters and single spaces between them are in the box: taken as one piece.
        pieces: list[str] = []
        state = [False, k > 0]  # a character was just taken; a line feed is pending
        if not self._spaces(lead, first, box, pieces, state):
            return None
        at = first
        for special in _SPECIAL_SPACE.finditer(text, first, last + 1):
            if at < special.start():
                if state[1] and not state[0] and pieces:
                    return None
                pieces.append(text[at : special.start()])
                state[:] = True, False
            if not self._spaces(special.start(), special.end(), box, pieces, state):
                return None
            at = special.end()
        if state[1] and not state[0] and pieces:
            return None
        pieces.append(text[at : last + 1])
        state[:] = True, False
        if not self._spaces(last + 1, end, box, pieces, state):
            return None
        return (
            "".join(pieces).replace(_HYPHEN_MARK, "\x02"),
            self.font(first),
            self._ink(last, box[2]),
        )

    def _spaces(self, start: int, end: int, box: tuple[float, float, float, float],
                pieces: list[str], state: list[bool]) -> bool:  # fmt: skip
        """White space `start`..`end` read as pdfium reads it (see _read); False where a line
        feed would be put in."""
        text = self.text
        for i in range(start, end):
            ch = text[i]
            if ch != "\r" and ch != "\n" and self._meets(i, box):
                if state[1] and not state[0] and pieces:
                    return False
                pieces.append(ch)
                state[:] = True, False
            elif ch == " ":
                if state[0]:
                    pieces.append(" ")
                    state[:] = False, False
            else:
                state[:] = False, True
        return True

    def _meets(self, index: int, box: tuple[float, float, float, float]) -> bool:
        """Whether character `index`'s box and `box` overlap (with an area, as pdfium's
        IsRectIntersect asks)."""
        left, bottom, right, top = self._box
        self.c.FPDFText_GetCharBox(self.raw, index, left, right, bottom, top)
        return (max(left.value, box[0]) < min(right.value, box[2])
                and max(bottom.value, box[1]) < min(top.value, box[3]))  # fmt: skip

    def font(self, index: int) -> str:
        """The name of the font of character `index`."""
        self.c.FPDFText_GetFontInfo(self.raw, index, self._font, 128, ctypes.byref(self._flags))
        return self._font.value.decode("latin-1")

    def _ink(self, last: int, right: float) -> float:
        """The right edge of the last letter or digit of a rectangle ending with character
        `last`: a hyphen, comma or space after it may hang past the column (as in optical margin
        alignment), a letter may not."""
        for i in range(last, max(-1, last - 6), -1):
            if self.text[i].isalnum():
                left, bottom, edge, top = self._box
                self.c.FPDFText_GetCharBox(self.raw, i, left, edge, bottom, top)
                return edge.value if edge.value <= right + 0.01 else right
        return right

    def bounded(self, box: tuple[float, float, float, float]) -> tuple[str, str, float]:
        """A rectangle's text, font and ink edge by pdfium's searches of the whole page."""
        textpage = self.textpage
        left, bottom, right, top = box
        text = textpage.get_text_bounded(left, bottom, right, top).rstrip("\r\n")
        # the font of the rectangle's first character: within its height (a line may open with a
        # quotation mark or a comma, which do not reach the middle of the line)
        index = textpage.get_index(
            (left + min(right, left + 2)) / 2, (bottom + top) / 2, 2, top - bottom
        )
        font = self.font(index) if index is not None and index >= 0 else ""
        # within the line's height: an ellipsis or a full stop sits low, a closing quote high
        index = textpage.get_index(right - 0.5, (bottom + top) / 2, 4, top - bottom)
        if index is None or index < 0:
            return text, font, right
        for i in range(index, max(-1, index - 6), -1):
            if textpage.get_text_range(i, 1).isalnum():
                edge = textpage.get_charbox(i)[2]  # (left, bottom, right, top)
                return text, font, float(edge) if edge <= right + 0.01 else right
        return text, font, right


def _overlapping(boxes: list[tuple[float, float, float, float]]) -> set[int]:
    """The rectangles whose area meets another's (their characters may be read by both)."""
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
    found: set[int] = set()
    for n, i in enumerate(order):
        left, _bottom, right, top = boxes[i]
        for j in order[n + 1 :]:
            other = boxes[j]
            if other[1] >= top:
                break
            if other[0] < right and left < other[2] and other[1] < other[3]:
                found.update((i, j))
    return found


def _document_checks(path: Path, frame: Frame, report: ProofReport) -> None:
    """Fonts, colours, boxes and page count: read from the PDF's objects (pikepdf)."""
    import pikepdf

    width, height = frame.page_mm[0] * MM, frame.page_mm[1] * MM
    with pikepdf.open(str(path)) as pdf:
        seen: set[tuple[int, int]] = set()
        for number, page in enumerate(pdf.pages, start=1):
            for name in _fonts_not_embedded(page, seen):
                if name not in report.fonts_not_embedded:
                    report.fonts_not_embedded.append(name)
                    report.issues.append(Issue("error", "font not embedded", number, name))
            for message in _box_problems(page, width, height, frame.bleed_mm * MM):
                report.issues.append(Issue("error", "boxes", number, message))
            if (frame.print_pdf or frame.bleed_mm > 0) and _non_black_text(page):
                report.non_black_text_pages.append(number)
    if report.non_black_text_pages:
        pages = _ranges(report.non_black_text_pages)
        report.issues.append(Issue("error", "non-black text", 0,
            f"text not in 100% black (DeviceGray 0 or CMYK 0 0 0 1) on pages {pages}: a print PDF separates it into four inks"))  # fmt: skip
    if report.page_count % 4:
        blanks = 4 - report.page_count % 4
        report.issues.append(Issue("error" if frame.booklet else "warning", "page count", 0,
            f"{report.page_count} pages: a saddle-stitched booklet needs a multiple of 4 ({blanks} blank page(s) would be added)"))  # fmt: skip
    share = report.hyphenated_share
    if share > MAX_HYPHENATED_SHARE:
        report.issues.append(Issue("error", "hyphenation", 0,
            f"{share:.1%} of {report.lines} lines end in a hyphen (at most {MAX_HYPHENATED_SHARE:.0%})"))  # fmt: skip
    for proofed in report.pages:
        if proofed.lines >= MIN_LINES_FOR_FILL and proofed.fill < MIN_FILL:
            if not _may_end_short(report.pages, proofed.number, frame.facing):
                report.issues.append(Issue("warning", "page fill", proofed.number,
                    f"text area {proofed.fill:.0%} full"))  # fmt: skip


def _may_end_short(pages: list[PageReport], number: int, facing: bool) -> bool:
    """Whether page `number` may end short of the text area (the issue's exceptions): the last
    page of a document (the next page opens with its title, or holds no running text: the
    colophon, the back cover, a blank), a page ending before a heading that keeps with its text
    (the next page opens with it), or in facing spreads a page whose partner is full (it waits
    for it: both pages hold the same units). In facing, "the next page" is on the next spread."""
    by_number = {p.number: p for p in pages}
    if facing:
        partner = by_number.get(number + 1 if number % 2 == 0 else number - 1)
        if partner is not None and partner.fill >= MIN_FILL:
            return True
    after = by_number.get(number + (2 if facing else 1))
    return after is None or after.lines < MIN_LINES_FOR_FILL or after.opens_with_heading


def _fonts_not_embedded(page: Any, seen: set[tuple[int, int]]) -> Iterator[str]:
    import pikepdf

    resources = page.obj.get("/Resources") or {}
    fonts = resources.get("/Font") or {}
    for font in fonts.values():
        key = font.objgen
        if key in seen:
            continue
        seen.add(key)
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        if font.get("/Subtype") == pikepdf.Name.Type3:
            continue  # glyphs drawn by the PDF itself
        if descriptor is None or not any(
            k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            yield str(font.get("/BaseFont", "unnamed font"))


def _box_problems(page: Any, width: float, height: float, bleed: float) -> Iterator[str]:
    def box(name: str) -> tuple[float, float, float, float]:
        value = page.obj.get(name) or page.obj.get("/MediaBox") or page.mediabox
        return tuple(float(v) for v in value)  # type: ignore[return-value]

    media, bleed_box, trim = box("/MediaBox"), box("/BleedBox"), box("/TrimBox")
    if abs(trim[2] - trim[0] - width) > BOX_PT or abs(trim[3] - trim[1] - height) > BOX_PT:
        yield f"TrimBox {_fmt(trim)} is not the page size {width:.2f} x {height:.2f} pt"
    if not _inside(trim, bleed_box):
        yield f"TrimBox {_fmt(trim)} is not inside the BleedBox {_fmt(bleed_box)}"
    if not _inside(bleed_box, media):
        yield f"BleedBox {_fmt(bleed_box)} is not inside the MediaBox {_fmt(media)}"
    if bleed > 0:
        for side, (a, b) in zip(("left", "bottom", "right", "top"), zip(trim, bleed_box)):
            if abs(abs(a - b) - bleed) > BOX_PT:
                yield f"bleed on the {side} is {abs(a - b):.2f} pt, not {bleed:.2f}"
    elif media != trim:
        yield f"a screen PDF's MediaBox {_fmt(media)} should equal its TrimBox {_fmt(trim)}"


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (inner[0] >= outer[0] - BOX_PT and inner[1] >= outer[1] - BOX_PT
            and inner[2] <= outer[2] + BOX_PT and inner[3] <= outer[3] + BOX_PT)  # fmt: skip


def _fmt(box: tuple[float, ...]) -> str:
    return "[" + " ".join(f"{v:g}" for v in box) + "]"


_BLACK = {("g", (0.0,)), ("k", (0.0, 0.0, 0.0, 1.0))}


def _non_black_text(page: Any) -> bool:
    """Whether any text on the page is shown in a fill colour other than 100% black."""
    import pikepdf

    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    data = b"\n".join(s.read_bytes() for s in streams if isinstance(s, pikepdf.Stream))
    if b"(" in data or b"%" in data or (b"BI" in data and _INLINE_IMAGE.search(data)):
        return _shows_non_black(_parsed_operations(page))
    return _shows_non_black(_scanned_operations(_SKIPPED.sub(b" ", data)))


# Text colours from the content stream's bytes, scanned by regular expressions: arrays and
# hexadecimal strings (the glyphs of TJ, the dashes of d) are blanked out, then the operators that
# matter are found (a token between white space or delimiters: not part of a name or a number)
# and a colour's operands read back from it. A stream with literal strings, inline images or
# comments is parsed by pikepdf instead.
_INLINE_IMAGE = re.compile(rb"\bBI\b")
_SKIPPED = re.compile(rb"<[0-9A-Fa-f\s]*>|\[[^\[\]]*\]")
_OPERATOR = re.compile(rb"(?<![^\s)>\]}])(scn|sc|cs|rg|g|k|q|Q|Tj|TJ|'|\")(?![^\s(<\[{/%])")
_OPERAND = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)|/[^\s/\[\]<>(){}%]*")


def _scanned_operations(data: bytes) -> Iterator[tuple[str, list[Any]]]:
    """The colour, state and text-showing operations of a content stream's bytes (arrays and
    strings blanked out), each with its operands: numbers as floats, names as str."""
    for match in _OPERATOR.finditer(data):
        op = match.group(1)
        values: list[Any] = []
        if op in (b"g", b"rg", b"k", b"sc", b"scn", b"cs"):
            # the operands: the tokens just before it (the window's first may be cut short)
            start = match.start()
            tokens = data[max(0, start - 160) : start].split()[-6 if start > 160 else 0 :]
            for token in reversed(tokens if op != b"cs" else tokens[-1:]):
                if not _OPERAND.fullmatch(token):
                    break
                values.append(token.decode("latin-1") if token[:1] == b"/" else float(token))
            values.reverse()
        yield op.decode("latin-1"), values


def _parsed_operations(page: Any) -> Iterator[tuple[str, list[Any]]]:
    """The operations of a page's content stream through pikepdf's parser, operands as in
    _scanned_operations."""
    import pikepdf

    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operands: list[Any] = []
        for v in instruction.operands:
            if isinstance(v, pikepdf.Name):
                operands.append(str(v))
            elif isinstance(v, (int, float, Decimal)):
                operands.append(float(v))
        yield str(instruction.operator), operands


def _shows_non_black(operations: Iterable[tuple[str, list[Any]]]) -> bool:
    """Whether text is shown in a fill colour other than 100% black (operations in order)."""
    colour: tuple[str, tuple[float, ...]] = ("g", (0.0,))
    stack: list[tuple[str, tuple[float, ...]]] = []
    space = "DeviceGray"
    for op, operands in operations:
        if op == "q":
            stack.append(colour)
        elif op == "Q" and stack:
            colour = stack.pop()
        elif op in ("g", "rg", "k", "sc", "scn"):
            values = tuple(v for v in operands if isinstance(v, float))  # a pattern's name: not
            if op in ("sc", "scn"):
                op = {"DeviceGray": "g", "DeviceCMYK": "k"}.get(space, "rg")
            colour = (op, values)
        elif op == "cs" and operands and isinstance(operands[0], str):
            space = operands[0].lstrip("/")
        elif op in ("Tj", "TJ", "'", '"') and colour not in _BLACK:
            return True
    return False


def _ranges(numbers: Iterable[int]) -> str:
    """1, 2, 3, 5 -> '1-3, 5'."""
    out: list[str] = []
    for n in sorted(numbers):
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)
