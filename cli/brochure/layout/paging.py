"""Pages cut where they must: the packing shared by the layouts that keep languages in step.

The columns and facing layouts render every unit (a paragraph, heading, list item or quote) once
on a very tall page and read from `Page.anchors` its height, the spacing above it, and the foot of
the line on which each of its sentences ends (an empty marker after every sentence). `pack` then
fills pages in order. A unit takes a slot as tall as its tallest language, so units start level.
A paragraph that does not fit the rest of a page is cut after the last sentence that fits in
every language, leaving at least MIN_LINES lines on each side of the cut; its rest opens the next
page. So a paragraph is cut only where a page break falls and reads as one everywhere else. A
heading stays with the first lines after it; every document opens a new page.

Where a cut at a sentence end would leave the page less than LINE_CUT_BELOW full (sentences of 8-10
lines), the paragraph is cut inside a sentence, at a line that ends at a space, at about the same
share of the sentence in every language: the measuring pass also reads each text's lines
(`laid_out_lines`, `match_lines`), and the row's piece is split in two there (`split_piece`). The
two pieces join with a space as the sentence did, so they set exactly as it did; the line above the
cut is a full line (`Piece.runs_on`: justified where the text is). The cut is invisible: the rest
opens the next page without spacing or indent.

Heights are exact once measured: a part that starts a paragraph is read off the whole paragraph's
sentence ends (lines are broken first-fit, so its first sentences break alone as they do in the
whole); the rest of a cut paragraph is estimated until it is measured in the next pass (see
`paginate`). Pure Python but for the `measure` callback the layout passes in, and the setup the two
layouts share (`Setup`, `measuring_pass`, `render`), which calls WeasyPrint through layout/weasy.py.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import Any, cast

from brochure.core.datamodel import Edition
from brochure.layout.graft import cell_text, line_spans, line_text, plain
from brochure.layout.html import DocumentView, context, environment, get_template
from brochure.layout.rows import Cell, Piece, Row
from brochure.layout.weasy import render_document

log = logging.getLogger(__name__)
PX_PER_MM = 96 / 25.4
# Room left on every page for rounding between the two WeasyPrint passes, in CSS px.
SAFETY_PX = 2.0

# Lines a cut leaves at least at the foot of a page and at the top of the next (orphans, widows).
MIN_LINES = 2
# Measuring passes at most: the first measures every unit, the next ones the rests of cut paragraphs.
MAX_PASSES = 5
# A page that a cut at a sentence end would leave less full than this is cut inside a sentence,
# at a line end, if that fills it more (the proof asks 85% of the text area).
LINE_CUT_BELOW = 0.92
# Languages are cut inside a sentence at about the same share of it: this much more is allowed.
SHARE_SLACK = 0.04
SPLITTABLE = ("paragraph", "quote", "list_item")
# What lines are compared with their text by: all but spaces and soft hyphens (see graft.plain).
_COMPARED = re.compile("[^\\s\u00ad]+")

# A stretch of a unit: (document, row, first piece, end piece); a whole row is (d, r, 0, n).
Part = tuple[int, int, int, int]


@dataclass(frozen=True)
class Size:
    """A part's measured height in one language (CSS px), the spacing above its text, and for
    each of its sentences the height from the part's top to the foot of the line it ends on."""

    height: float
    pad: float
    ends: tuple[float, ...] = ()
    line: float = 0.0  # the height of a line of its text
    lines: tuple[LineEnd, ...] = ()  # its laid-out lines, where known


# A laid-out line of a part in one language: the height from the part's top to the line's foot,
# the piece (from the part's first) it ends in, and the offset in that piece's text of the space
# it ends at; -1 where it ends in a hyphen, at the piece's end or otherwise not at a space.
LineEnd = tuple[float, int, int]


Sizes = dict[tuple[int, Part], Size]  # (language index, part) -> size
Measure = Callable[[list[Part]], Sizes]
Anchors = dict[str, tuple[float, float, float, float]]


@dataclass
class Setup:
    """What a layout that keeps languages in step starts from: its templates, the edition's
    context, and the height of the text block in CSS px."""

    layout: str
    env: Any
    ctx: dict[str, Any]
    page_px: float
    measure: Any  # the layout's measuring template (measure.html.j2)

    @property
    def docs(self) -> list[DocumentView]:
        return self.ctx["documents"]  # type: ignore[no-any-return]


def setup(layout: str, edition: Edition, search_dirs: tuple[Path, ...] = ()) -> Setup:
    """The templates and context of `layout` for the edition, and the page height to pack."""
    env = environment(layout, search_dirs)
    ctx = context(edition)
    page_px = ctx["geometry"].body_height_mm * PX_PER_MM - SAFETY_PX
    return Setup(layout, env, ctx, page_px, get_template(env, layout, "measure.html.j2"))


def render(template: Any, ctx: dict[str, Any], before_pages: Any = None) -> Any:
    """WeasyPrint's Document of a layout template rendered with `ctx` (`before_pages`: see
    layout.weasy.render_document)."""
    assert template.filename is not None
    html = template.render(**ctx)
    return render_document(html, Path(template.filename).parent, before_pages)


@dataclass
class Pass:
    """What one measuring pass read: the measuring template's unit keys ("<document>-<row>") ->
    part, the anchors, the laid-out lines of each text (by marker prefix, see `laid_out_lines`),
    and the default line height in px."""

    keys: dict[str, Part]
    found: Anchors
    lines: dict[str, list[tuple[float, str]]]
    default_line: float
    document: Any = None  # WeasyPrint's Document of the pass (layout/graft.py keeps its lines)
    views: list[DocumentView] = field(default_factory=list)  # the documents it rendered

    def size(
        self, prefix: str, part: Part, cell: Cell, top: float, bottom: float, pad: float
    ) -> Size:
        """The size of `part` in the language whose markers are `<prefix>-<k>` (0: before the
        text, k: after its k-th sentence) and whose text is `cell`, its box from `top` to
        `bottom`. A sentence without a marker ends on the first line that ends in a later piece
        or at its end (the columns layout sets no markers after sentences)."""
        marks = [self.found.get(f"{prefix}-{k}") for k in range(1, part[3] - part[2] + 1)]
        lines = match_lines(cell, self.lines.get(prefix, []), top)
        feet = sentence_feet(cell, self.lines.get(prefix, []))
        ends = tuple(
            m[3] - top if m else feet[k] - top if feet else bottom - top
            for k, m in enumerate(marks)
        )
        start = self.found.get(f"{prefix}-0")
        line = next((m[3] - m[1] for m in [*marks, start] if m), self.default_line)
        return Size(bottom - top, pad, ends, line, lines)


def measuring_pass(
    template: Any, ctx: dict[str, Any], docs: Sequence[DocumentView], parts: Sequence[Part],
    row_chars: Callable[[Row], int],
) -> Pass:  # fmt: skip
    """Render `parts` once on a very tall page and read it back.
    `row_chars` says how many characters a row counts for in choosing the page's height."""
    geo = ctx["geometry"]
    views = measured_rows(docs, parts)
    keys: dict[str, Part] = {}
    count = [0] * len(docs)
    for part in parts:
        keys[f"{part[0]}-{count[part[0]]}"] = part
        count[part[0]] += 1
    total_chars = sum(row_chars(row) for doc in views for row in doc.rows)
    # Tall enough for a good share of the text, short enough to stay far from float trouble.
    tall = max(
        geo.body_height_mm * 4,
        min(5000.0, total_chars / max(1, geo.chars_per_line) * geo.font_pt * 0.6),
    )
    document = render(template, {**ctx, "documents": views, "measure_height_mm": round(tall)})
    default_line = geo.font_pt * geo.line_height * 96 / 72
    return Pass(
        keys, read_anchors(document), laid_out_lines(document), default_line, document, views
    )


def laid_out_lines(document: Any) -> dict[str, list[tuple[float, str]]]:
    """The lines of every marked text of a measuring pass (foot in px on its page, text), by the
    prefix of its markers ("m<language>-<document>-<row>"; the first marker, `<prefix>-0`, opens
    the text). Read from WeasyPrint's line boxes; list markers ("•", "3.") left out."""
    from weasyprint.formatting_structure import boxes

    def first_marker(box: Any) -> str | None:
        element = None if isinstance(box, boxes.TextBox) else getattr(box, "element", None)
        ident = element.get("id") if element is not None else None
        if ident and ident.startswith("m") and ident.endswith("-0"):
            return str(ident[:-2])
        for child in getattr(box, "children", ()):
            found = first_marker(child)
            if found:
                return found
        return None

    out: dict[str, list[tuple[float, str]]] = {}

    def walk(box: Any) -> None:
        children = getattr(box, "children", ())
        lines = [c for c in children if isinstance(c, boxes.LineBox)]
        prefix = first_marker(lines[0]) if lines else None
        if prefix:
            out[prefix] = [(ln.position_y + ln.height, line_text(ln, boxes)) for ln in lines]
        for child in children:
            if not isinstance(child, boxes.LineBox):
                walk(child)

    for page in document.pages:
        walk(page._page_box)
    return out


def sentence_feet(cell: Cell, lines: Sequence[tuple[float, str]]) -> tuple[float, ...] | None:
    """For each piece of `cell`, the foot of the laid-out line its text ends on; None if the
    lines are not the cell's text (see layout.graft.line_spans)."""
    text = cell_text(cell)
    spans = line_spans(text, [shown for _, shown in lines]) if text else None
    if not spans:
        return None
    feet, at = [], 0
    for piece in cell.pieces:
        at += len(plain(piece.text.text))  # type: ignore[union-attr]
        feet.append(next(lines[j][0] for j, (_, end) in enumerate(spans) if end >= at))
    return tuple(feet)


def match_lines(cell: Cell, lines: Sequence[tuple[float, str]], top: float) -> tuple[LineEnd, ...]:
    """Each laid-out line of `cell` (see LineEnd), found in the cell's pieces (joined by a space
    as the templates join them); () if they cannot be matched: then the cell is cut at sentences
    only."""
    if not lines or any(p.text is None for p in cell.pieces):
        return ()
    texts = [p.text.text for p in cell.pieces]  # type: ignore[union-attr]
    joined = " ".join(texts)  # the space the template sets between two pieces
    starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))  # of each piece
    # the runs of the characters lines are compared by (no spaces, no soft hyphens): where each
    # starts in `joined`, and in `flat` (those characters alone)
    runs = [m.span() for m in _COMPARED.finditer(joined)]
    flat = "".join(joined[a:b] for a, b in runs)
    flat_at = list(accumulate((b - a for a, b in runs), initial=0))
    out: list[LineEnd] = []
    q, n = 0, len(joined)
    for foot, shown in lines:
        chars = plain(shown)
        if not chars:
            continue
        if flat.startswith(chars, q):
            q, hyphen = q + len(chars), False
        elif chars[-1] == "-" and flat.startswith(chars[:-1], q):
            q, hyphen = (
                q + len(chars) - 1,
                True,
            )  # the hyphen WeasyPrint adds where it breaks a word
        else:
            return ()
        if not hyphen:  # just after the line's last character in `joined`
            r = bisect_right(flat_at, q - 1) - 1
            p = runs[r][0] + q - flat_at[r]
        elif q < len(flat):  # an added hyphen: past the spaces and soft hyphens after the line
            r = bisect_right(flat_at, q) - 1
            p = runs[r][0] + q - flat_at[r]
        else:
            p = n
        # the piece of the character before `p` (the space between two pieces: the second's)
        ends_in = bisect_right(starts, p) - 1 if p else len(texts) - 1
        # where the line ended at a space inside its piece: that space's offset, else -1
        offset = -1
        if not hyphen and p < n and joined[p] == " ":
            k = bisect_right(starts, p) - 1
            if k == ends_in and 0 < p - starts[k] < len(texts[k]):
                offset = p - starts[k]
        out.append((foot - top, ends_in, offset))
    return tuple(out)


@dataclass
class Slot:
    row: int  # index into the document's rows once cut (cut_documents)
    height: float  # CSS px, the same in every language
    top: bool  # first on its page: no spacing above


@dataclass
class Page:
    """A page, or in the facing layout a spread: the same slots on both of its pages."""

    document: int
    number: int  # 1-based, in order
    starts_document: bool
    reserved: float = 0.0  # px taken before the first slot (the columns' language labels)
    slots: list[Slot] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)  # what each slot holds

    @property
    def used(self) -> float:
        return self.reserved + sum(s.height for s in self.slots)


def pieces(row: Row) -> int:
    """How many pieces (sentences) a row holds: where it may be cut at a page break."""
    return len(row.cells[0].pieces)


def part_row(row: Row, first: int, end: int) -> Row:
    """The row holding pieces [first, end) of `row`: a paragraph's first part keeps its spacing
    and list marker, the parts after a cut continue it."""
    n = pieces(row)
    if (first, end) == (0, n):
        return row
    return replace(
        row,
        cells=tuple(Cell(c.lang, c.pieces[first:end]) for c in row.cells),
        first=row.first and first == 0,
        last=row.last and end == n,
        marker=row.marker if first == 0 else "",
    )


def split_piece(
    row: Row, k: int, offsets: dict[int, int]
) -> tuple[Row, dict[int, tuple[int, int, int]]]:
    """`row` with piece k cut in two at `offsets` (per language: where in the piece's text a line
    ends at a space; 0 or its length: all of it after or before the cut): the two pieces join
    with a space as the sentence did, so they set exactly as it did. Also, per language, where
    the head ends, where the tail starts and the piece's length."""
    cells, cuts = [], {}
    for i, cell in enumerate(row.cells):
        piece = cell.pieces[k]
        assert piece.text is not None
        text, cut = piece.text, offsets[i]
        rest = text.text[cut:]
        start = cut + len(rest) - len(rest.lstrip())
        head = text.slice(0, len(text.text[:cut].rstrip()))
        inside = 0 < cut < len(text.text)
        pair = (Piece(piece.segment_id, head, runs_on=inside),
                Piece(piece.segment_id, text.slice(start, len(text.text)), runs_on=piece.runs_on))  # fmt: skip
        cells.append(Cell(cell.lang, cell.pieces[:k] + pair + cell.pieces[k + 1 :]))
        cuts[i] = (cut, start, len(text.text))
    return replace(row, cells=tuple(cells)), cuts


def measured_rows(docs: Sequence[DocumentView], parts: Sequence[Part]) -> list[DocumentView]:
    """The documents holding just `parts`, in order: what a measuring pass renders."""
    views = [replace(doc, rows=[]) for doc in docs]
    for d, r, first, end in parts:
        views[d].rows.append(part_row(docs[d].rows[r], first, end))
    return views


class Heights:
    """The heights of parts, measured, read off a measured part, or estimated.

    `groups` are the language indexes that share a page, stacked: [[0], [1]] for two columns, or
    for facing pages [[0], [1, 2]] (a third language under the second on the right page).
    `rows`: the languages of a part share one box (the columns' table row), measured as tall as
    its tallest text in every language.
    """

    def __init__(
        self, sizes: Sizes, groups: Sequence[Sequence[int]], page_px: float, rows: bool = False
    ):
        self.sizes = sizes  # grows as parts are measured
        self.rows = rows
        # Sizes whose end at a piece split after measuring was read off a line, not measured:
        # what is read off them is measured again (see `split`).
        self.approximate: set[tuple[int, Part]] = set()
        # Where a piece split at a line end starts a line of a measured part: (language, document,
        # row, the piece after the cut, the first piece of the measured part). The rest of a
        # paragraph from there sets as the lines below the cut do (first-fit line breaking from
        # the same start): its height is read off them, exact, with no pass to measure it.
        self.line_starts: set[tuple[int, int, int, int, int]] = set()
        self.groups = [list(g) for g in groups]
        self.languages = sorted(i for g in groups for i in g)
        self.page_px = page_px
        self._index: dict[tuple[int, int, int], list[tuple[int, int, Size]]] = {}
        self._indexed = -1

    def _measured(self, i: int, d: int, r: int) -> list[tuple[int, int, Size]]:
        """The measured parts of row (d, r) in language i: (first piece, end piece, size)."""
        if self._indexed != len(self.sizes):
            self._index = {}
            for (j, (d2, r2, first, end)), size in self.sizes.items():
                self._index.setdefault((j, d2, r2), []).append((first, end, size))
            self._indexed = len(self.sizes)
        return self._index.get((i, d, r), [])

    def size(self, i: int, part: Part) -> tuple[Size, bool]:
        """The part's size in language i, and whether it is exact."""
        if (i, part) in self.sizes:
            return self.sizes[(i, part)], (i, part) not in self.approximate
        d, r, first, end = part
        measured = self._measured(i, d, r)
        for first2, end2, size in measured:
            if first2 == first and end2 > end:
                height = size.ends[end - first - 1]
                lines = tuple(ln for ln in size.lines if ln[1] < end - first)
                exact = (i, (d, r, first2, end2)) not in self.approximate
                return Size(height, size.pad, size.ends[: end - first], size.line, lines), exact
        # Not measured: estimate from a measured part that holds it (the rest of a cut
        # paragraph starts on a new line: one line more, to be on the safe side).
        for first2, end2, size in measured:
            if first2 < first and end2 >= end:
                start = size.ends[first - first2 - 1]
                ends = tuple(
                    e - start + size.line for e in size.ends[first - first2 : end - first2]
                )
                stop = size.ends[end - first2 - 1] if end < end2 else size.height
                lines = tuple(
                    (foot - start + size.line, k - (first - first2), offset)
                    for foot, k, offset in size.lines
                    if first - first2 <= k < end - first2 and foot > start + 0.5
                )
                return Size(stop - start + size.line, 0.0, ends, size.line, lines), False
        raise KeyError(part)

    def read_off(self, part: Part) -> Sizes | None:
        """The sizes of an unmeasured part in every language, exact, read off a measured part
        that holds it and in which its first piece starts a line in every language (a cut at a
        line end, see `line_starts`): its lines are those below the cut. None where it must be
        measured. Like a measured part, a row (`rows`) is as tall as its tallest text, with as
        much below it as the part it is read off."""
        d, r, first, end = part
        for first2, end2, _ in self._measured(self.languages[0], d, r):
            whole = (d, r, first2, end2)
            if not first2 < first < end <= end2 or any(
                (j, d, r, first, first2) not in self.line_starts
                or (j, whole) not in self.sizes
                or (j, whole) in self.approximate
                for j in self.languages
            ):
                continue
            a, b = first - first2, end - first2
            sizes = {j: self.sizes[(j, whole)] for j in self.languages}
            below = min(s.height - s.ends[-1] for s in sizes.values())
            tallest = max(s.ends[b - 1] - s.ends[a - 1] for s in sizes.values()) + below
            out: Sizes = {}
            for j, s in sizes.items():
                start = s.ends[a - 1]
                stop = s.ends[b - 1] if end < end2 else s.height
                lines = tuple(
                    (foot - start, k - a, offset)
                    for foot, k, offset in s.lines
                    if a <= k < b and foot > start + 0.5
                )
                height = tallest if self.rows else stop - start
                out[(j, part)] = Size(
                    height, 0.0, tuple(e - start for e in s.ends[a:b]), s.line, lines
                )
            return out
        return None

    def exact(self, part: Part) -> bool:
        return all(self.size(i, part)[1] for i in self.languages)

    def group(self, members: Sequence[int], part: Part, top: bool) -> float:
        height = sum(self.size(i, part)[0].height for i in members)
        if top:
            height -= self.size(members[0], part)[0].pad
        return height

    def slot(self, part: Part, top: bool) -> float:
        return max(self.group(g, part, top) for g in self.groups)

    def line_cut(
        self, part: Part, top: bool, room: float, texts: Sequence[Sequence[str]]
    ) -> tuple[int, dict[int, int], float] | None:
        """The fullest cut of `part` inside a sentence, at a line end, that fits `room`: (the
        piece cut, the offset of the cut in its text per language, the height before the cut).
        Every language is cut at about the same share of the sentence, at a line that ends at a
        space, leaving at least MIN_LINES lines on each side. `texts[i][k]`: piece k's text in
        language i. Languages stacked on a page (facing's third under the second) take the sum of
        their heads there. None where no such cut fits."""
        d, r, first, end = part
        sizes = {i: self.size(i, part)[0] for i in self.languages}
        if any(not s.lines or len(s.ends) != end - first for s in sizes.values()):
            return None
        best: tuple[int, dict[int, int], float] | None = None
        for k in range(first, end):
            rel = k - first
            # per language: (share of the sentence before the cut, foot of the cut's line, offset)
            options: dict[int, list[tuple[float, float, int]]] = {}
            for i, s in sizes.items():
                length = max(1, len(texts[i][k]))
                options[i] = [(0.0, s.ends[rel - 1] if rel else s.pad, 0)]
                options[i] += [
                    (o / length, foot, o) for foot, kk, o in s.lines if kk == rel and o > 0
                ]
                options[i].append((1.0, s.ends[rel], length))
            shares = sorted({x[0] for opts in options.values() for x in opts if 0 < x[0] < 1})
            for share in shares:
                pick = {
                    i: max((x for x in opts if x[0] <= share + SHARE_SLACK), key=lambda x: x[0])
                    for i, opts in options.items()
                }
                if not any(0 < x[0] < 1 for x in pick.values()):
                    continue  # every language at a sentence end: a cut `cuts` offers
                ok = True
                for i, (_, foot, _) in pick.items():
                    s = sizes[i]
                    line = s.line or 1.0
                    if (
                        foot - s.pad < MIN_LINES * line - 1
                        or s.ends[-1] - foot < MIN_LINES * line - 1
                    ):
                        ok = False
                        break
                if not ok:
                    continue
                # a page's languages stacked: their heads one under the other (the first without
                # the spacing above it at the top of a page), as `group` adds whole parts
                height = max(
                    sum(pick[i][1] for i in g) - (sizes[g[0]].pad if top else 0.0)
                    for g in self.groups
                )
                if height <= room and (best is None or height > best[2]):
                    best = (k, {i: x[2] for i, x in pick.items()}, height)
        return best

    def split(
        self, d: int, r: int, k: int, cuts: dict[int, tuple[int, int, int]], fresh: bool = True
    ) -> None:
        """Row (d, r)'s piece k has been split in two (`split_piece`; per language: where the
        head ends, where the tail starts, the piece's length): renumber the pieces of the row's
        measured parts, the new end read off each part's line that ends at the cut, or where
        that part was laid out from another start, off the line the cut falls in (approximate:
        what is read off it is measured again). `fresh`: text set from the tail on breaks its
        lines as the part did below the cut (not so where the first line hangs: a list item)."""
        self.line_starts = {
            (i, d2, r2, p + (p > k), f + (f > k)) if (d2, r2) == (d, r) else (i, d2, r2, p, f)
            for i, d2, r2, p, f in self.line_starts
        }
        sizes: Sizes = {}
        for (i, (d2, r2, f, e)), size in self.sizes.items():
            key = (i, (d2, r2, f, e))
            if (d2, r2) != (d, r) or e <= k:
                sizes[key] = size
                continue
            exact = key not in self.approximate
            if f > k:
                lines = tuple((foot, kk + 1, o) for foot, kk, o in size.lines)
                new = (i, (d, r, f + 1, e + 1))
                sizes[new] = replace(size, lines=lines)
                if not exact:
                    self.approximate.add(new)
                continue
            rel, (cut, start, length) = k - f, cuts[i]
            at = [ln[0] for ln in size.lines if ln[1] == rel and ln[2] == cut]
            if cut == 0:
                foot = size.ends[rel - 1] if rel else size.pad
            elif cut >= length:
                foot = size.ends[rel]
            elif at:
                foot = at[0]
                if fresh and exact:
                    self.line_starts.add((i, d, r, k + 1, f))
            else:
                later = [ln[0] for ln in size.lines if ln[1] == rel and ln[2] > cut]
                foot, exact = (later[0] if later else size.ends[rel]), False
            renumbered: list[LineEnd] = []
            for foot2, kk, o in size.lines:
                if kk < rel or (kk == rel and foot2 <= foot + 0.5):
                    renumbered.append((foot2, kk, -1 if kk == rel and o >= cut else o))
                else:
                    renumbered.append((foot2, kk + 1, o - start if kk == rel and o > 0 else o))
            ends = size.ends[:rel] + (foot,) + size.ends[rel:]
            new = (i, (d, r, f, e + 1))
            sizes[new] = replace(size, ends=ends, lines=tuple(renumbered))
            if not exact:
                self.approximate.add(new)
        self.sizes.clear()
        self.sizes.update(sizes)
        self._indexed = -1

    def cuts(self, part: Part, top: bool) -> list[tuple[int, float]]:
        """Where `part` may be cut: (first piece after the cut, height of the part before it), in
        order, each leaving at least MIN_LINES lines before and after the cut in every language."""
        d, r, first, end = part
        out = []
        for k in range(first + 1, end):
            ok = True
            for i in self.languages:
                size, _ = self.size(i, part)
                line = size.line or 1.0
                before = size.ends[k - first - 1] - size.pad
                after = size.ends[-1] - size.ends[k - first - 1]
                if before < MIN_LINES * line - 1 or after < MIN_LINES * line - 1:
                    ok = False
                    break
            if ok:
                out.append((k, self.slot((d, r, first, k), top)))
        return out


def pack(
    docs: Sequence[DocumentView], heights: Heights, reserved: Sequence[float] = (),
    opening_top: bool = True,
) -> list[Page]:  # fmt: skip
    """Fill pages in order, cutting a paragraph at a sentence where a page is full; every
    document opens a new page (less `reserved[d]` px on it); a heading stays with the first
    lines of the unit after it. The first unit on a page loses the spacing above it, except on
    a document's opening page when not `opening_top` (something stands above it there)."""
    page_px = heights.page_px
    pages: list[Page] = []

    def place(page: Page, part: Part, height: float, top: bool) -> None:
        page.slots.append(Slot(len(page.slots), height, top))
        page.parts.append(part)

    def cut(d: int, r: int, first: int, used: float, top: bool) -> tuple[int, float] | None:
        """Where to cut the rest of row (d, r) from piece `first` on a page `used` px full: the
        first piece after the cut and the height before it. At the fullest sentence end that
        fits; inside a sentence at a line end (the row's piece split there) where that fills
        the page more and a sentence end would leave it less than LINE_CUT_BELOW full."""
        row = docs[d].rows[r]
        if row.kind not in SPLITTABLE:
            return None
        part, room = (d, r, first, pieces(row)), page_px - used
        fitting = [c for c in heights.cuts(part, top) if c[1] <= room]
        best = fitting[-1] if fitting else None
        if best is None or used + best[1] < LINE_CUT_BELOW * page_px:
            found = heights.line_cut(part, top, room, _texts(row))
            if found and (best is None or found[2] > best[1] + 0.5):
                k, offsets, _ = found
                docs[d].rows[r], cuts = split_piece(row, k, offsets)
                heights.split(d, r, k, cuts, fresh=row.kind != "list_item")
                return k + 1, heights.slot((d, r, first, k + 1), top)
        return best

    for d, doc in enumerate(docs):
        current: Page | None = None
        for r in range(len(doc.rows)):
            first = 0
            while True:
                row, n = doc.rows[r], pieces(doc.rows[r])
                if current is not None and current.slots:
                    part = (d, r, first, n)
                    room = page_px - current.used
                    need = heights.slot(part, top=False)
                    if row.kind == "heading" and r + 1 < len(doc.rows):
                        need += _start_height(heights, d, r + 1, doc.rows[r + 1], room - need)
                    if need <= room:
                        place(current, part, heights.slot(part, top=False), top=False)
                        break
                    where = cut(d, r, first, current.used, top=False)
                    if where:
                        k, height = where
                        place(current, (d, r, first, k), height, top=False)
                        first = k
                opening = current is None
                current = Page(
                    document=d, number=len(pages) + 1, starts_document=opening,
                    reserved=(reserved[d] if opening and d < len(reserved) else 0.0),
                )  # fmt: skip
                pages.append(current)
                part = (d, r, first, pieces(doc.rows[r]))
                top = opening_top or not opening
                whole = heights.slot(part, top=top)
                where = (
                    cut(d, r, first, current.used, top) if whole > page_px - current.used else None
                )
                if not where:  # it fits, or one line is taller than a page: it runs over
                    place(
                        current,
                        (d, r, first, pieces(doc.rows[r])),
                        heights.slot((d, r, first, pieces(doc.rows[r])), top=top),
                        top=top,
                    )
                    break
                k, height = where
                place(current, (d, r, first, k), height, top=top)
                first = k
    # Slot.row counts within its page so far; make it the index into the document's cut rows.
    seen: dict[int, int] = {}
    for page in pages:
        for slot in page.slots:
            slot.row = seen.get(page.document, 0)
            seen[page.document] = slot.row + 1
    return pages


def _start_height(heights: Heights, d: int, r: int, row: Row, room: float) -> float:
    """The least of the next unit that must share a page with a heading: all of it, the part
    before its first allowed cut at a sentence end, or where that is more than `room`, the part
    before a cut at a line end that fits it."""
    part = (d, r, 0, pieces(row))
    least = heights.slot(part, top=False)
    if row.kind in SPLITTABLE:
        cuts = heights.cuts(part, top=False)
        if cuts:
            least = cuts[0][1]
        if least > room:
            found = heights.line_cut(part, False, room, _texts(row))
            if found:
                return found[2]
    return least


def _texts(row: Row) -> list[list[str]]:
    """Each piece's text per language (a missing translation: empty)."""
    return [[p.text.text if p.text else "" for p in c.pieces] for c in row.cells]


def paginate(
    docs: Sequence[DocumentView], groups: Sequence[Sequence[int]], page_px: float,
    measure: Measure, reserved: Sequence[float] = (), opening_top: bool = True,
    sizes: Sizes | None = None, rows: bool = False,
) -> list[Page]:  # fmt: skip
    """Measure every unit, pack, measure the rests of the paragraphs cut, pack again, until the
    packing used measured heights only (or MAX_PASSES passes). `sizes`: what is known already
    (kept up to date: the parts measured are added, pieces split renumbered). The rest of a
    paragraph cut at a line end is not measured: its lines are those below the cut
    (`Heights.read_off`). `rows`: see Heights."""
    sizes = {} if sizes is None else sizes
    languages = sorted(i for g in groups for i in g)
    whole = [(d, r, 0, pieces(row)) for d, doc in enumerate(docs) for r, row in enumerate(doc.rows)]
    missing = [p for p in whole if any((i, p) not in sizes for i in languages)]
    if missing:
        sizes.update(measure(missing))
    heights = Heights(sizes, groups, page_px, rows)
    pages = pack(docs, heights, reserved, opening_top)
    for _ in range(MAX_PASSES - 1):
        unmeasured = sorted({p for page in pages for p in page.parts if not heights.exact(p)})
        if not unmeasured:
            break
        # the rests of paragraphs cut at a line end are read off their lines, not measured (they
        # were packed with an estimate, as a measured rest was before: the same pages come out)
        known = {part: heights.read_off(part) for part in unmeasured}
        rest = [part for part in unmeasured if known[part] is None]
        got = measure(rest) if rest else {}
        measured: Sizes = {}
        for part in unmeasured:  # in order, as one pass over them all gives them
            measured.update(known[part] or {(i, part): got[(i, part)] for i in languages})
        heights.sizes.update(measured)
        heights.approximate -= measured.keys()
        pages = pack(docs, heights, reserved, opening_top)
    left = sum(1 for page in pages for p in page.parts if not heights.exact(p))
    if left:
        log.debug("%d part(s) packed with estimated heights after %d passes", left, MAX_PASSES)
    return pages


def overruns(document: Any) -> dict[tuple[int, Part], float]:
    """The units of a laid-out document taller than their slot (rendered without the measuring
    pass's markers, a text can break its lines otherwise): (language, part) -> the height it
    took. Read from the slots' `data-part` ("<d>-<r>-<first>-<end>") and min-height and the
    units' language class ("l<i>")."""
    from weasyprint.formatting_structure import boxes

    found: dict[tuple[int, Part], float] = {}

    def walk(box: Any) -> None:
        element: Any = None if isinstance(box, boxes.TextBox) else getattr(box, "element", None)
        tag = element.get("data-part") if element is not None else None
        if tag and "slot" in (element.get("class") or "").split():
            part = cast(Part, tuple(int(x) for x in tag.split("-")))
            floor = float(element.get("data-height"))
            units = [c for c in box.children if getattr(c, "element", None) is not None]
            if sum(c.margin_height() for c in units) > floor + 0.5:
                for unit in units:
                    language = next(
                        (int(c[1:]) for c in (unit.element.get("class") or "").split()
                         if c[:1] == "l" and c[1:].isdigit()), None,
                    )  # fmt: skip
                    if language is not None:
                        found[(language, part)] = unit.margin_height()
            return
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def allow_for(sizes: Sizes, groups: Sequence[Sequence[int]], page_px: float,
              taller: dict[tuple[int, Part], float], tops: set[Part]) -> None:  # fmt: skip
    """Record in `sizes` the heights parts took where that is more than measured (`overruns`;
    `tops`: the parts laid out first on a page, without the spacing above them)."""
    heights = Heights(sizes, groups, page_px)
    for (i, part), took in taller.items():
        size, _ = heights.size(i, part)
        height = took + (size.pad if part in tops else 0.0)
        if height > size.height + 0.5:
            delta = height - size.height
            ends = size.ends[:-1] + (size.ends[-1] + delta,) if size.ends else ()
            sizes[(i, part)] = replace(size, height=height, ends=ends)


def cut_documents(docs: Sequence[DocumentView], pages: Sequence[Page]) -> list[DocumentView]:
    """The documents with their rows cut as the pages hold them."""
    rows: list[list[Row]] = [[] for _ in docs]
    for page in pages:
        for d, r, first, end in page.parts:
            rows[d].append(part_row(docs[d].rows[r], first, end))
    return [replace(doc, rows=cut) for doc, cut in zip(docs, rows, strict=True)]


def overfull(pages: Sequence[Page], page_px: float) -> list[Page]:
    """Pages whose slots are taller than the page: a sentence taller than a page runs over."""
    return [page for page in pages if page.used > page_px + 0.5]


def read_anchors(document: object) -> Anchors:
    """Every anchor (id) of a rendered WeasyPrint document: x1, y1, x2, y2 in CSS px."""
    found: Anchors = {}
    for page in document.pages:  # type: ignore[attr-defined]
        found.update(page.anchors)
    return found
