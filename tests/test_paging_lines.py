"""Cutting a paragraph inside a sentence, at a line end, where a page breaks (layout/paging.py):
the laid-out lines found in the text, the cut chosen at the same share of the sentence in every
language, and the row's piece split so that the two parts set exactly as the sentence did."""

from __future__ import annotations

from brochure.core.datamodel import RichText
from brochure.layout.html import DocumentView
from brochure.layout.paging import Heights, Size, match_lines, pack, paginate
from brochure.layout.rows import Cell, Piece, Row
from brochure.outputs.proof import PageReport, _may_end_short


def _cell(*texts: str, lang: str = "en") -> Cell:
    return Cell(lang, tuple(Piece(f"s{k}", RichText(t)) for k, t in enumerate(texts)))


def test_lines_are_found_in_the_pieces_with_the_space_each_ends_at():
    cell = _cell("One two three four.", "Five six seven.")
    lines = [(12.0, "One two three"), (22.0, "four. Five"), (32.0, "six seven.")]
    assert match_lines(cell, lines, top=2.0) == ((10.0, 0, 13), (20.0, 1, 4), (30.0, 1, -1))


def test_a_hyphenated_line_end_is_no_place_to_cut_and_unknown_text_gives_up():
    cell = _cell("One two three four.")
    assert match_lines(cell, [(10.0, "One two thr-"), (20.0, "ee four.")], 0.0) == (
        (10.0, 0, -1),
        (20.0, 0, -1),
    )
    assert match_lines(cell, [(10.0, "One two"), (20.0, "five four.")], 0.0) == ()


def test_lines_are_matched_past_soft_hyphens_and_no_break_spaces():
    # a word broken at its soft hyphen (WeasyPrint adds the "-"), a no-break space inside a line,
    # a line ending where a piece ends (the space between two pieces is no place inside a piece)
    cell = _cell("Ка\u00adзах\u00adстан и\u00a0Рос\u00adсия.", "Вторая фраза.")
    lines = [(10.0, "Ка-"), (20.0, "захстан и\u00a0Рос-"), (30.0, "сия."), (40.0, "Вторая фраза.")]
    assert match_lines(cell, lines, 0.0) == (
        (10.0, 0, -1), (20.0, 0, -1), (30.0, 0, -1), (40.0, 1, -1),
    )  # fmt: skip
    # a real hyphen at a line end is the text's own: the line ends inside the piece, no space
    cell = _cell("военно-полицейскому режиму конец.")
    lines = [(10.0, "военно-"), (20.0, "полицейскому режиму"), (30.0, "конец.")]
    assert match_lines(cell, lines, 0.0) == ((10.0, 0, -1), (20.0, 0, 26), (30.0, 0, -1))


def _sentence(prefix: str, words: int) -> tuple[str, tuple[tuple[float, int, int], ...]]:
    """A one-sentence text of `words` words set two words a line (10 px lines, 10 px above)."""
    text = " ".join(f"{prefix}{n}" for n in range(words))
    lines, offset = [], 0
    for n in range(words):
        offset += len(f"{prefix}{n}") + (1 if n else 0)
        if n % 2 == 1:
            lines.append((10.0 + 10 * (n // 2 + 1), 0, offset if n + 1 < words else -1))
    return text, tuple(lines)


def test_a_page_is_filled_by_cutting_a_long_sentence_at_a_line_end():
    en, en_lines = _sentence("w", 20)  # 10 lines
    ru, ru_lines = _sentence("с", 20)
    rows = [
        Row("paragraph", "a", 0, (_cell("Intro."), _cell("Вступление.", lang="ru"))),
        Row("paragraph", "b", 0, (_cell(en), _cell(ru, lang="ru"))),
    ]
    sizes = {(i, (0, 0, 0, 1)): Size(40.0, 10.0, (40.0,), 10.0) for i in (0, 1)}
    sizes[(0, (0, 1, 0, 1))] = Size(110.0, 10.0, (110.0,), 10.0, en_lines)
    sizes[(1, (0, 1, 0, 1))] = Size(110.0, 10.0, (110.0,), 10.0, ru_lines)
    doc = DocumentView("d", {"en": "D", "ru": "Д"}, rows, 0, True)
    # the first unit takes 30 px at the top of a 100 px page: 70 px hold 6 of the 10 lines
    pages = pack([doc], Heights(sizes, [[0], [1]], 100.0))
    assert [p.parts for p in pages] == [[(0, 0, 0, 1), (0, 1, 0, 1)], [(0, 1, 1, 2)]]
    assert pages[0].used == 100.0
    en_cell, ru_cell = doc.rows[1].cells
    assert [p.text.text for p in en_cell.pieces] == [en[: en.index(" w12")], en[en.index("w12") :]]
    assert [p.text.text for p in ru_cell.pieces] == [ru[: ru.index(" с12")], ru[ru.index("с12") :]]
    assert [p.runs_on for p in en_cell.pieces] == [True, False]  # its last line is a full line


def test_no_cut_leaves_fewer_than_two_lines_on_either_side():
    en, en_lines = _sentence("w", 6)  # 3 lines: a cut would leave one line alone
    rows = [
        Row("paragraph", "a", 0, (_cell("Intro."),)),
        Row("paragraph", "b", 0, (_cell(en),)),
    ]
    sizes = {
        (0, (0, 0, 0, 1)): Size(70.0, 10.0, (70.0,), 10.0),
        (0, (0, 1, 0, 1)): Size(40.0, 10.0, (40.0,), 10.0, en_lines),
    }
    doc = DocumentView("d", {"en": "D"}, rows, 0, True)
    pages = pack([doc], Heights(sizes, [[0]], 90.0))
    assert [p.parts for p in pages] == [[(0, 0, 0, 1)], [(0, 1, 0, 1)]]


def _page(number: int, fill: float, lines: int = 40, heading: bool = False) -> PageReport:
    return PageReport(number, lines=lines, fill=fill, opens_with_heading=heading)


def _underfilled(pages: list[PageReport], facing: bool = False) -> list[int]:
    return [
        p.number
        for p in pages
        if p.fill < 0.85 and not _may_end_short(pages, p.number, facing=facing)
    ]


def test_proof_tells_the_pages_that_may_end_short_from_the_underfilled():
    # p. 5 ends before a heading, p. 7 ends its document (the next page holds no running text)
    pages = [_page(3, 0.95), _page(4, 0.6), _page(5, 0.7), _page(6, 0.5, heading=True),
             _page(7, 0.4), _page(8, 0.0, lines=2)]  # fmt: skip
    assert _underfilled(pages) == [4, 6]
    # facing: p. 5 waits for its partner; pp. 10-11 end before the heading opening the next spread
    spreads = [_page(4, 0.95), _page(5, 0.6), _page(6, 0.5), _page(7, 0.7), _page(8, 0.9),
               _page(9, 0.9), _page(10, 0.5), _page(11, 0.6), _page(12, 0.9, heading=True),
               _page(13, 0.9, heading=True)]  # fmt: skip
    assert _underfilled(spreads, facing=True) == [6, 7]


def test_the_rest_after_a_cut_at_a_line_end_is_read_off_the_lines_not_measured_again():
    """First-fit line breaking: set from the line after the cut, the rest breaks its lines as
    the whole paragraph did below it, so its height is known without another measuring pass."""
    en, en_lines = _sentence("w", 20)  # 10 lines
    ru, ru_lines = _sentence("с", 20)
    rows = [
        Row("paragraph", "a", 0, (_cell("Intro."), _cell("Вступление.", lang="ru"))),
        Row("paragraph", "b", 0, (_cell(en), _cell(ru, lang="ru"))),
    ]
    measured = {(i, (0, 0, 0, 1)): Size(40.0, 10.0, (40.0,), 10.0) for i in (0, 1)}
    measured[(0, (0, 1, 0, 1))] = Size(110.0, 10.0, (110.0,), 10.0, en_lines)
    measured[(1, (0, 1, 0, 1))] = Size(110.0, 10.0, (110.0,), 10.0, ru_lines)
    asked: list[list[tuple[int, int, int, int]]] = []

    def measure(parts: list[tuple[int, int, int, int]]) -> dict:
        asked.append(parts)
        return {(i, part): measured[(i, part)] for part in parts for i in (0, 1)}

    doc = DocumentView("d", {"en": "D", "ru": "Д"}, rows, 0, True)
    pages = paginate([doc], [[0], [1]], 100.0, measure, rows=True)
    assert asked == [[(0, 0, 0, 1), (0, 1, 0, 1)]]  # one pass: the rest was not measured
    assert [p.parts for p in pages] == [[(0, 0, 0, 1), (0, 1, 0, 1)], [(0, 1, 1, 2)]]
    # 6 of the 10 lines (to 70 px) on the first page, the other 4 at the top of the next
    assert pages[1].used == 40.0


def test_the_rest_after_a_cut_at_a_sentence_end_is_measured():
    one, one_lines = _sentence("a", 12)  # 6 lines
    two, two_lines = _sentence("b", 8)  # 4 more
    rows = [Row("paragraph", "b", 0, (_cell(one, two),))]
    whole = (0, 0, 0, 2)
    lines = one_lines + tuple((foot + 60, 1, o) for foot, _, o in two_lines)
    measured = {(0, whole): Size(110.0, 10.0, (70.0, 110.0), 10.0, lines),
                (0, (0, 0, 1, 2)): Size(40.0, 0.0, (40.0,), 10.0)}  # fmt: skip
    asked: list[list[tuple[int, int, int, int]]] = []

    def measure(parts: list[tuple[int, int, int, int]]) -> dict:
        asked.append(parts)
        return {(0, part): measured[(0, part)] for part in parts}

    doc = DocumentView("d", {"en": "D"}, rows, 0, True)
    pages = paginate([doc], [[0]], 64.0, measure)  # the sentence end fills it: no line cut
    assert [p.parts for p in pages] == [[(0, 0, 0, 1)], [(0, 0, 1, 2)]]
    assert asked == [[whole], [(0, 0, 1, 2)]]
