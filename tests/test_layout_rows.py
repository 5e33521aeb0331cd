"""rows.py: aligned blocks -> table rows (pure Python)."""

from __future__ import annotations

import pytest
from brochure.core.errors import LayoutError
from brochure.layout.rows import block_rows, document_rows, geometry, runs, split_segments
from editions import block, document, heading, marked_seg, paragraph, seg, text

LANGS = ("en", "ru")


@pytest.mark.parametrize(
    ("lengths", "budget", "expected"),
    [
        ([], 100, [[]]),
        ([10, 20, 30], 100, [[0, 1, 2]]),
        # 4 x 50 = 200 with budget 120: two balanced rows, not 100 + 100 by accident of greed
        ([50, 50, 50, 50], 120, [[0, 1], [2, 3]]),
        # balanced: 60+60 | 60+60+... rather than filling the first row up to the budget
        ([40, 40, 40, 40, 40, 40], 200, [[0, 1, 2], [3, 4, 5]]),
        # a sentence longer than the budget keeps a row of its own
        ([30, 500, 30], 100, [[0], [1], [2]]),
    ],
)
def test_split_segments(lengths, budget, expected):
    assert split_segments(lengths, budget) == expected


@pytest.mark.parametrize("budget", [50, 120, 333, 1000])
def test_split_segments_keeps_order_and_budget(budget):
    lengths = [17, 80, 45, 120, 33, 60, 9, 200, 71, 12, 55]
    groups = split_segments(lengths, budget)
    assert [i for g in groups for i in g] == list(range(len(lengths)))
    for g in groups:
        assert len(g) == 1 or sum(lengths[i] for i in g) <= budget


def test_short_paragraph_is_one_row():
    rows = block_rows(paragraph(1, LANGS, sentences=3), LANGS, budget=1000)
    assert len(rows) == 1
    row = rows[0]
    assert row.first and row.last and not row.keep_with_next
    assert [c.lang for c in row.cells] == ["en", "ru"]
    assert row.cells[0].plain.startswith("E001 ") and "E003 " in row.cells[0].plain
    assert row.cells[1].plain.startswith("Ж001 ")


def test_long_paragraph_splits_into_consecutive_sentence_rows():
    para = paragraph(1, LANGS, sentences=12, repeat=2)
    rows = block_rows(para, LANGS, budget=400)
    assert len(rows) > 2
    assert [r.first for r in rows] == [True] + [False] * (len(rows) - 1)
    assert [r.last for r in rows] == [False] * (len(rows) - 1) + [True]
    ids = [p.segment_id for r in rows for p in r.cells[0].pieces]
    assert ids == [s.id for s in para.segments]
    for r in rows:
        # the same sentences in both columns
        assert [p.segment_id for p in r.cells[0].pieces] == [
            p.segment_id for p in r.cells[1].pieces
        ]
        assert max(len(c.plain) for c in r.cells) <= 400


def test_row_budget_uses_the_longest_language():
    # English short, Russian long: the split follows the Russian
    segs = [seg({"en": "Short.", "ru": "Длинное предложение. " * 10}) for _ in range(6)]
    rows = block_rows(block("paragraph", *segs), LANGS, budget=500)
    assert len(rows) >= 3


def test_heading_is_never_split_and_keeps_with_next():
    h = heading({"en": "A heading " * 80, "ru": "Заголовок " * 80}, level=2)
    rows = block_rows(h, LANGS, budget=100)
    assert len(rows) == 1
    assert rows[0].keep_with_next and rows[0].kind == "heading" and rows[0].level == 2


def test_list_items_one_row_each_with_markers():
    items = [
        block("list_item", seg({"en": "one", "ru": "один"}), ordered=True),
        block("list_item", seg({"en": "nested", "ru": "вложенный"}), level=1),
        block("list_item", seg({"en": "two", "ru": "два"}), ordered=True),
        block("list_item", seg({"en": "seven", "ru": "семь"}), ordered=True, number=7),
        block("list_item", seg({"en": "eight", "ru": "восемь"}), ordered=True),
    ]
    after = [
        block("paragraph", seg({"en": "between", "ru": "между"})),
        block("list_item", seg({"en": "again", "ru": "снова"}), ordered=True),
        block("list_item", seg({"en": "bullet", "ru": "пункт"})),
    ]
    rows = document_rows(document("d", *items, *after), LANGS, budget=1000)
    assert [r.marker for r in rows] == ["1.", "–", "2.", "7.", "8.", "", "1.", "•"]
    assert [r.cells[1].plain for r in rows][:3] == ["один", "вложенный", "два"]


def test_long_list_item_marker_only_on_first_row():
    item = block(
        "list_item", *(marked_seg(i, LANGS, repeat=3) for i in range(1, 9)), ordered=True, number=3
    )
    rows = document_rows(document("d", item), LANGS, budget=300)
    assert len(rows) > 1
    assert rows[0].marker == "3." and all(r.marker == "" for r in rows[1:])


def test_missing_translation_is_a_piece_without_text():
    para = block("paragraph", seg({"en": "Here.", "ru": None}, sid="s00000000abcd"))
    (row,) = block_rows(para, LANGS, budget=1000)
    assert row.cells[1].missing == ("s00000000abcd",)
    assert row.cells[0].missing == ()


def test_document_rows_in_order():
    doc = document(
        "d",
        heading({"en": "Title", "ru": "Название"}),
        paragraph(1, LANGS),
        block("quote", marked_seg(2, LANGS)),
        paragraph(3, LANGS),
    )
    rows = document_rows(doc, LANGS, budget=1000)
    assert [r.kind for r in rows] == ["heading", "paragraph", "quote", "paragraph"]
    assert [r.cells[0].plain[:4] for r in rows[1:]] == ["E001", "E002", "E003"]


def test_geometry_a5_two_columns():
    g = geometry("A5", 2)
    assert g.page_mm == (148.0, 210.0)
    assert 32 <= g.chars_per_line <= 38  # ~35 characters a line
    assert sum(g.column_widths_mm) == pytest.approx(g.body_width_mm)
    # a row at the budget fits a page with room to spare
    assert g.row_budget < g.chars_per_line * g.lines_per_page * 0.6


@pytest.mark.parametrize("size", ["A4", "A5", "A6", "Letter", "150mm x 220mm"])
@pytest.mark.parametrize("columns", [2, 3])
def test_geometry_sizes(size, columns):
    g = geometry(size, columns)
    assert g.column_width_mm > 20
    assert g.row_budget >= g.chars_per_line * 3


def test_geometry_rejects_unknown_page_size():
    with pytest.raises(LayoutError, match="unknown page size 'B7'"):
        geometry("B7", 2)


def test_runs_split_where_formatting_changes():
    rich = text("plain em both note", (6, 13, "em"), (9, 13, "strong"), (14, 18, "note"))
    assert runs(rich) == [
        ("plain ", frozenset()),
        ("em ", frozenset({"em"})),
        ("both", frozenset({"em", "strong"})),
        (" ", frozenset()),
        ("note", frozenset({"note"})),
    ]
