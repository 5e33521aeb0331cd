"""Read a built PDF back as a proofreader would, and report what a typesetter would mark.

Per page and in total: hyphenated line ends (their share and the longest run of them), lines
ending in a one-letter Cyrillic word, runts (a line holding one short word), widows and orphans,
page fill, text running past its column, missing glyphs, fonts not embedded, non-black text in a
print PDF, box sanity (Trim/Bleed/Media) and the page count for saddle stitching.

Lines come from pdfium's text rectangles (pypdfium2: C speed, about 25 ms a page), fonts and
colours from the content streams (pikepdf, also C++). The expected geometry (page size, margins,
columns) comes from the layout itself (layout.html.layout_geometry), so the proof measures the
PDF against what the layout meant to draw, not against guesses.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

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
_SOFT_END = "\x02"  # pdfium's mark for a hyphen at a line end


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


@dataclass
class Line:
    x0: float
    x1: float
    bottom: float
    top: float
    text: str
    font: str
    column: int = -1

    @property
    def body(self) -> bool:
        """Running text: not a heading, a column label or a contents entry (the layouts set those
        bold), with a font (not a rule or an image)."""
        return bool(self.font) and "Bold" not in self.font

    @property
    def hyphenated(self) -> bool:
        return self.text.endswith(_SOFT_END) or bool(re.search(r"[^\W\d_]-$", self.text))

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
        previous: dict[int, Line] = {}  # each column's last line on the page before
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                report, previous = _proof_page(page, index + 1, frame, previous, issues)
            finally:
                page.close()
            pages.append(report)
        count = len(pdf)
    finally:
        pdf.close()
    result = ProofReport(str(path), pages, issues, page_count=count)
    result.lines = sum(p.lines for p in pages)
    result.hyphenated = sum(p.hyphenated for p in pages)
    result.longest_ladder = max((p.longest_ladder for p in pages), default=0)
    _document_checks(path, frame, result)
    return result


def _proof_page(page: Any, number: int, frame: Frame, previous: dict[int, Line],
                issues: list[Issue]) -> tuple[PageReport, dict[int, Line]]:  # fmt: skip
    report = PageReport(number)
    trim = page.get_trimbox()
    textpage = page.get_textpage()
    try:
        lines = list(_lines(textpage, trim[0], trim[1]))
        report.missing_glyphs = _missing_glyphs(textpage)
    finally:
        textpage.close()
    bottom, top = frame.body_pt
    body = [ln for ln in lines if bottom - 2 <= ln.bottom and ln.top <= top + 2]
    ranges = frame.column_ranges(number)
    for line in body:
        line.column = next(
            (i for i, (x0, x1) in enumerate(ranges) if x0 - OVERFLOW_PT <= line.x0 < x1), -1
        )
        # a line past its column ends in the gutter or beyond the text area; one that reaches
        # well into the next column is a full-width element (the cover, a spanning title)
        past = line.x1 - ranges[line.column][1] if line.column >= 0 else 0.0
        into_gutter = OVERFLOW_PT < past <= frame.gutter_mm * MM
        past_body = line.x1 > ranges[-1][1] + OVERFLOW_PT
        if line.column >= 0 and (into_gutter or past_body):
            report.overflow.append(
                f"{line.shown[-40:]!r} ({past:.1f} pt past column {line.column + 1})"
            )
    if body:
        report.fill = round((top - min(ln.bottom for ln in body)) / (top - bottom), 3)
        report.opens_with_heading = not max(body, key=lambda ln: ln.top).body
    last_lines: dict[int, Line] = {}
    for column in range(len(ranges)):
        col = sorted((ln for ln in body if ln.column == column), key=lambda ln: -ln.top)
        if col:
            last_lines[column] = col[-1]
        _column_checks(col, report, previous.get(column), bottom)
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
    return report, last_lines


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


def _pitch(lines: list[Line]) -> float:
    """The usual gap between lines of a paragraph (pt), from the column's line heights."""
    heights = sorted(ln.top - ln.bottom for ln in lines)
    return heights[len(heights) // 2] if heights else 10.0


def _lines(textpage: Any, dx: float, dy: float) -> Iterator[Line]:
    """pdfium's text rectangles joined into lines (a rectangle ends at a change of font or a
    wide gap; a line of a column may be several), in trim-box coordinates."""
    import pypdfium2.raw as pdfium_c

    rects = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        # the font of the rectangle's first character: within its height (a line may open with a
        # quotation mark or a comma, which do not reach the middle of the line)
        index = textpage.get_index(
            (left + min(right, left + 2)) / 2, (bottom + top) / 2, 2, top - bottom
        )
        font = ""
        if index is not None and index >= 0:
            buffer = ctypes.create_string_buffer(128)
            flags = ctypes.c_int()
            pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, 128, ctypes.byref(flags))
            font = buffer.value.decode("latin-1")
        ink = _last_letter_right(textpage, left, bottom, right, top)
        rects.append(Line(left - dx, ink - dx, bottom - dy, top - dy, text.rstrip("\r\n"), font))
    rects.sort(key=lambda r: (-round(r.bottom), r.x0))
    line: Line | None = None
    for rect in rects:
        if line is not None and abs(rect.bottom - line.bottom) < 2.5 and 0 <= rect.x0 - line.x1 < 6:
            joiner = "" if line.text.endswith(" ") or rect.text.startswith(" ") else " "
            line.text = (
                (line.text + joiner + rect.text) if rect.x0 - line.x1 > 1 else line.text + rect.text
            )
            line.x1, line.top = rect.x1, max(line.top, rect.top)
            if "Bold" in line.font and "Bold" not in rect.font:
                line.font = rect.font  # a line with running text in it is running text
            continue
        if line is not None:
            yield line
        line = rect
    if line is not None:
        yield line


def _last_letter_right(
    textpage: Any, left: float, bottom: float, right: float, top: float
) -> float:
    """The right edge of the last letter or digit in a rectangle: a hyphen, comma or space after
    it may hang past the column (as in optical margin alignment), a letter may not."""
    # within the line's height: an ellipsis or a full stop sits low, a closing quote high
    index = textpage.get_index(right - 0.5, (bottom + top) / 2, 4, top - bottom)
    if index is None or index < 0:
        return right
    for i in range(index, max(-1, index - 6), -1):
        char = textpage.get_text_range(i, 1)
        if char.isalnum():
            box = textpage.get_charbox(i)
            return float(box[2]) if box[2] <= right + 0.01 else right  # (left, bottom, right, top)
    return right


def _missing_glyphs(textpage: Any) -> int:
    text = textpage.get_text_range()
    return text.count("\ufffd")


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

    colour: tuple[str, tuple[float, ...]] = ("g", (0.0,))
    stack: list[tuple[str, tuple[float, ...]]] = []
    space = "DeviceGray"
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            stack.append(colour)
        elif op == "Q" and stack:
            colour = stack.pop()
        elif op in ("g", "rg", "k"):
            colour = (op, tuple(float(v) for v in operands))
        elif op == "cs":
            space = str(operands[0]).lstrip("/")
        elif op in ("sc", "scn"):
            values = tuple(
                float(v)
                for v in operands
                if isinstance(v, (int, float, pikepdf.Object)) and not isinstance(v, pikepdf.Name)
            )
            kind = {"DeviceGray": "g", "DeviceCMYK": "k"}.get(space, "rg")
            colour = (kind, values)
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
