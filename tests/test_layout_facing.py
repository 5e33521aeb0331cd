"""The facing layout: source on the left page, translation on the right, the same units on both
pages of every spread, headings at the same height, pages numbered consecutively."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from brochure.core.project import load_project
from brochure.layout import render
from brochure.layout.html import DocumentView
from brochure.layout.paging import Heights, Size, Slot, pack
from brochure.layout.rows import Cell, Piece, Row, geometry
from conftest import squash
from editions import PREFIX, block, document, edition, heading, marked_seg, marker, paragraph
from pagefill import first_lines, page_fills

pypdfium2 = pytest.importorskip("pypdfium2")

LANGS = ("en", "ru")
LONG = 500  # a paragraph of 70 sentences E500..E569: taller than a page, split at sentences


def _document(langs):
    blocks = [heading({"en": "Main heading", "ru": "Главный заголовок", "kk": "Басты тақырып"})]
    for n in range(1, 41):
        if n in (9, 25):
            blocks.append(
                heading({"en": f"Section {n}", "ru": f"Раздел {n}", "kk": f"Бөлім {n}"}, level=2)
            )
        if n == 15:
            blocks += [
                block("list_item", marked_seg(700 + k, langs), ordered=True) for k in range(3)
            ]
        blocks.append(
            block(
                "paragraph",
                *(marked_seg(n * 10 + k, langs, repeat=1 + n % 4) for k in range(1 + n % 3)),
            )
        )
    blocks.append(paragraph(LONG, langs, sentences=70))
    return document("main", *blocks)


def _markers(doc) -> list[int]:
    out = []
    for b in doc.blocks:
        for s in b.segments:
            text = s.texts["en"].text
            if re.match(r"E\d{3}", text):
                out.append(int(text[1:4]))
    return out


def build(tmp_path, langs=LANGS, page_size="A5"):
    doc = _document(langs)
    second = document(
        "second",
        paragraph(900, langs, sentences=2),
        title={"en": "Second document", "ru": "Второй документ", "kk": "Екінші құжат"},
    )
    e = edition(doc, second, langs=langs, page_size=page_size)
    e = replace(e, info=replace(e.info, layout="facing", bleed_mm=3.0))
    return render(e, "pdf", tmp_path / "facing.pdf"), [*_markers(doc), 900, 901]


@pytest.fixture(scope="module")
def facing(tmp_path_factory):
    return build(tmp_path_factory.mktemp("facing"))


def page_texts(path: Path) -> list[str]:
    return [
        " ".join(re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", p.extract_text() or "").split())
        for p in pypdf.PdfReader(path).pages
    ]


def page_of(texts: list[str], needle: str) -> int:
    """0-based index of the page holding `needle` as a whole word."""
    pages = [i for i, t in enumerate(texts) if re.search(rf"(^| ){needle}( |$)", t)]
    assert len(pages) == 1, f"{needle!r} found on pages {[p + 1 for p in pages]}"
    return pages[0]


def test_the_facing_pdf_passes_qpdfs_check(facing):
    from test_schemas import pdf_syntax

    pdf_syntax(facing[0])


def test_every_unit_on_the_same_spread_source_left_translation_right(facing):
    pdf, numbers = facing
    texts = page_texts(pdf)
    previous = 0
    for n in numbers:
        left, right = page_of(texts, marker("en", n)), page_of(texts, marker("ru", n))
        assert left % 2 == 1, (
            f"{marker('en', n)} is on page {left + 1}, a right page"
        )  # 0-based odd = even page
        assert right == left + 1, (
            f"{marker('en', n)} on page {left + 1}, {marker('ru', n)} on page {right + 1}"
        )
        assert left >= previous, "units out of order"
        previous = left
    assert page_of(texts, marker("en", LONG)) < page_of(
        texts, marker("en", LONG + 69)
    )  # the long one was split


def test_pages_are_numbered_consecutively_left_even_right_odd(facing):
    pdf, _ = facing
    texts = page_texts(pdf)
    first = page_of(texts, marker("en", 10))  # the first content spread
    assert first % 2 == 1  # a left page: page number first + 1 is even
    end = page_of(texts, marker("en", 901)) + 2  # then the colophon and the back cover
    for index in range(first, end):
        number = re.findall(r"(?:^| )(\d+)$", texts[index])
        assert number == [str(index + 1)], f"page {index + 1} is numbered {number}"
    assert pypdf.PdfReader(pdf).page_labels == [str(n) for n in range(1, len(texts) + 1)]


def test_a_paragraph_is_cut_only_where_a_page_breaks(facing):
    """The 70-sentence paragraph runs over several spreads: each cut is at the foot of a page
    (the next sentence is the first line of the next left page) and the pages it fills are full."""
    pdf_path, _ = facing
    texts = page_texts(pdf_path)
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    pages = [page_of(texts, marker("en", LONG + k)) for k in range(70)]
    assert len(set(pages)) >= 2
    for k in range(1, 70):
        if pages[k] != pages[k - 1]:
            assert pages[k] == pages[k - 1] + 2  # the next spread
            top = _y_of(pdf, pages[k], marker("en", LONG + k))
            others = [
                _y_of(pdf, pages[k], marker("en", n)) for n in _markers_on(texts[pages[k]], "en")
            ]
            assert top == max(others), f"{marker('en', LONG + k)} does not open page {pages[k] + 1}"
    pdf.close()
    geo = geometry("A5", 1)
    fills = page_fills(pdf_path, geo.margin_top_mm, geo.margin_bottom_mm)
    for left in sorted(set(pages))[:-1]:  # a spread is as full as its fuller page
        spread = max(fills[left], fills[left + 1])
        assert spread > 0.9, f"pages {left + 1}-{left + 2} are {spread:.0%} full"


def _markers_on(text: str, lang: str) -> list[int]:
    return [int(m) for m in re.findall(rf"(?:^| ){PREFIX[lang]}(\d{{3}})(?= |$)", text)]


def _y_of(pdf, index: int, text: str) -> float:
    page = pdf[index]
    textpage = page.get_textpage()
    searcher = textpage.search(text)
    found = searcher.get_next()
    assert found, f"{text!r} not on page {index + 1}"
    start, _count = found
    return textpage.get_charbox(start)[3]  # top of the first character


def test_headings_and_units_start_at_the_same_height(facing):
    pdf_path, _ = facing
    texts = page_texts(pdf_path)
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    pairs = [
        ("Main heading", "Главный заголовок"),
        ("Section 9", "Раздел 9"),
        ("Section 25", "Раздел 25"),
    ]
    pairs += [(marker("en", n), marker("ru", n)) for n in (10, 20, 120, 240)]
    for en, ru in pairs:
        left = (
            page_of(texts, en)
            if en.startswith("E")
            else next(
                i for i, t in enumerate(texts) if t.startswith(en) or f" {en} " in t and i > 2
            )
        )
        assert _y_of(pdf, left, en) == pytest.approx(_y_of(pdf, left + 1, ru), abs=0.6), en
    pdf.close()


def test_contents_face_each_other_each_pointing_at_its_own_pages(facing):
    pdf, _ = facing
    texts = page_texts(pdf)
    assert texts[1].startswith("Contents") and texts[2].startswith("Содержание")
    left = next(i for i, t in enumerate(texts) if i > 2 and "Section 25" in t)
    assert "Раздел 25" in texts[left + 1]
    assert int(re.search(r"Section 25[ .]+(\d+)", texts[1]).group(1)) == left + 1  # even
    assert int(re.search(r"Раздел 25[ .]+(\d+)", texts[2]).group(1)) == left + 2  # odd


def test_outline_lists_the_source_headings_once(facing):
    pdf, _ = facing

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    titles = list(walk(pypdf.PdfReader(pdf).outline))
    assert titles == ["Main heading", "Section 9", "Section 25", "Second document"]


def test_three_languages_stack_on_the_right_page(tmp_path):
    pdf, numbers = build(tmp_path, langs=("en", "ru", "kk"), page_size="A4")
    texts = page_texts(pdf)
    for n in numbers:
        left = page_of(texts, marker("en", n))
        assert left % 2 == 1
        assert page_of(texts, marker("ru", n)) == page_of(texts, marker("kk", n)) == left + 1


# --- packing, without rendering -----------------------------------------------------------------


def _row(kind="paragraph", pieces=1):
    return Row(
        kind=kind,
        block_id="b",
        level=1,
        cells=tuple(
            Cell(lang, tuple(Piece(f"s{k}", None) for k in range(pieces))) for lang in ("en", "ru")
        ),
    )


def _sizes(heights):
    """Both languages the same one-sentence unit heights, with 10 px of spacing above each."""
    return {(i, (0, r, 0, 1)): Size(h, 10.0) for r, h in enumerate(heights) for i in (0, 1)}


def _pack(rows, sizes, page_px):
    doc = DocumentView("d", {"en": "D", "ru": "Д"}, rows, 0, True)
    return pack([doc], Heights(sizes, [[0], [1]], page_px))


def test_pack_fills_spreads_and_drops_the_spacing_at_the_top():
    spreads = _pack([_row() for _ in range(5)], _sizes([60, 60, 60, 60, 60]), page_px=160)
    assert [[s.row for s in spread.slots] for spread in spreads] == [[0, 1], [2, 3], [4]]
    assert spreads[1].slots[0] == Slot(2, 50.0, True) and spreads[1].slots[1] == Slot(
        3, 60.0, False
    )
    assert [s.number for s in spreads] == [1, 2, 3]


def test_pack_keeps_a_heading_with_the_next_unit():
    rows = [_row(), _row("heading"), _row()]
    spreads = _pack(rows, _sizes([100, 30, 60]), page_px=170)
    assert [[s.row for s in spread.slots] for spread in spreads] == [[0], [1, 2]]


def test_slot_is_as_tall_as_the_taller_language():
    sizes = {
        (0, (0, 0, 0, 1)): Size(40, 10),
        (1, (0, 0, 0, 1)): Size(70, 10),
        (0, (0, 1, 0, 1)): Size(50, 10),
        (1, (0, 1, 0, 1)): Size(20, 10),
    }
    (spread,) = _pack([_row(), _row()], sizes, page_px=500)
    assert [s.height for s in spread.slots] == [60, 50]


def _paragraph_sizes(sentences, lines_each, line=10.0, pad=10.0):
    """A paragraph whose every sentence ends a line: its ends and height in both languages."""
    ends = tuple(pad + line * lines_each * (k + 1) for k in range(sentences))
    return Size(pad + line * lines_each * sentences, pad, ends, line)


def test_pack_cuts_a_paragraph_where_the_spread_is_full_and_nowhere_else():
    sizes = _sizes([60])
    for i in (0, 1):  # 10 sentences of 2 lines: 210 px with its spacing
        sizes[(i, (0, 1, 0, 10))] = _paragraph_sizes(10, 2)
    spreads = _pack([_row(), _row(pieces=10)], sizes, page_px=155)
    # the first unit takes 50 px at the top, 105 px are left: sentences 0-4 (10 + 5 x 20 = 110)
    # do not fit, 0-3 (90) do
    assert [s.parts for s in spreads] == [[(0, 0, 0, 1), (0, 1, 0, 4)], [(0, 1, 4, 10)]]
    assert spreads[0].used == pytest.approx(50 + 90)
    assert [slot.top for slot in spreads[1].slots] == [True]


def test_pack_leaves_two_lines_at_least_on_each_side_of_a_cut():
    sizes = _sizes([60])
    for i in (0, 1):  # sentences of one line each: a cut after the first would leave an orphan
        sizes[(i, (0, 1, 0, 3))] = _paragraph_sizes(3, 1)
    spreads = _pack([_row(), _row(pieces=3)], sizes, page_px=85)
    assert [s.parts for s in spreads] == [[(0, 0, 0, 1)], [(0, 1, 0, 3)]]


def test_pack_measures_the_rest_of_a_cut_paragraph_before_trusting_it():
    sizes = _sizes([60])
    for i in (0, 1):
        sizes[(i, (0, 1, 0, 10))] = _paragraph_sizes(10, 2)
    heights = Heights(sizes, [[0], [1]], 155)
    doc = DocumentView("d", {"en": "D", "ru": "Д"}, [_row(), _row(pieces=10)], 0, True)
    parts = {p for s in pack([doc], heights) for p in s.parts}
    assert not heights.exact((0, 1, 4, 10))  # estimated from the whole paragraph
    assert heights.exact((0, 1, 0, 4))  # read off the whole paragraph's sentence ends
    assert (0, 1, 4, 10) in parts


def test_pack_cuts_stacked_languages_inside_a_sentence_at_a_line_end():
    """Facing with three languages stacks the second and third on the right page: a cut inside a
    sentence takes both their heads there (it was never cut so, and spreads ended 55-79% full)."""
    line, pad = 10.0, 10.0
    text = "abcdefghi " * 10  # ten lines, each ending at a space but the last
    lines = tuple((pad + line * (j + 1), 0, 10 * (j + 1) - 1) for j in range(9))
    lines += ((pad + line * 10, 0, -1),)
    size = Size(pad + line * 10, pad, (pad + line * 10,), line, lines)
    part = (0, 0, 0, 1)
    heights = Heights({(i, part): size for i in range(3)}, [[0], [1, 2]], page_px=500)
    texts = [[text]] * 3
    # the right page holds two heads of 6 lines: 2 x (10 + 60) = 140 px; seven would take 160
    k, offsets, height = heights.line_cut(part, False, 150.0, texts)
    assert (k, offsets, height) == (0, {0: 59, 1: 59, 2: 59}, 140.0)
    # at the top of a page the first of the stacked languages loses its spacing: 7 lines each fit
    assert heights.line_cut(part, True, 150.0, texts)[1:] == ({0: 69, 1: 69, 2: 69}, 2 * 80.0 - pad)
    assert heights.line_cut(part, False, 2 * (pad + 2 * line) - 1, texts) is None  # two lines each


# --- the seed project's facing edition, through the CLI -----------------------------------------


def test_seed_facing_edition_every_segment_on_its_spread(seed_project, invoke):
    from brochure.store.load import load_translations

    result = invoke("build", seed_project, "--edition", "kk-ru-facing", "--no-mt")
    assert result.exit_code == 0, result.output
    pdf = seed_project / "build" / "sdk.kk-ru.facing.pdf"
    assert sorted(p.name for p in (seed_project / "build").iterdir()) == [
        pdf.name,
        "sdk.kk-ru.facing.print.pdf",
    ]  # PDF only: for the screen and for the press

    pages = [squash(p.extract_text() or "") for p in pypdf.PdfReader(pdf).pages]
    project = load_project(seed_project)
    segmented, stores = load_translations(project, ["kk", "ru"], sync=False)
    checked, page = 0, 0
    for spec in project.documents:
        for segment in segmented[spec.name].segments:
            kk = squash(stores[(spec.name, "kk")].get(segment.id).target.text)[:60]
            ru = squash(stores[(spec.name, "ru")].get(segment.id).target.text)[:60]
            left = next((n for n in range(page, len(pages)) if kk in pages[n]), None)
            assert left is not None and left % 2 == 1, (
                f"{segment.id}: Kazakh not on a left page after {page + 1}"
            )
            assert ru in pages[left + 1], (
                f"{segment.id}: Russian not on page {left + 2}, facing {left + 1}"
            )
            page, checked = left, checked + 1
    assert checked == 80
    # the colophon faces itself too: Kazakh on a left page, Russian beside it; the back cover
    # right after (blank pages that make the count a multiple of four come before the colophon)
    names = project.colophon.translators[0]
    left = next(n for n, t in enumerate(pages) if squash(names["kk"])[:50] in t)
    assert left % 2 == 1 and squash(names["ru"])[:50] in pages[left + 1], left + 1
    assert left + 3 == len(pages) and len(pages) % 4 == 0
    # Spreads fill: at least 85% of the text area on the fuller page, except a document's last
    # spread and a spread that ends before a heading kept with its text.
    geo = geometry("A5", 1)
    fills = page_fills(pdf, geo.margin_top_mm, geo.margin_bottom_mm)
    tops = first_lines(pdf, geo.margin_top_mm)
    headings = [
        squash(stores[(spec.name, "kk")].get(s.id).target.text)[:20]
        for spec in project.documents
        for s in segmented[spec.name].segments
        if segmented[spec.name].document.blocks[s.block].kind == "heading"
    ]
    first = next(i for i, t in enumerate(tops) if i > 2 and t)
    assert first % 2 == 1
    for left in range(first, page, 2):  # up to the last spread, which ends the text
        following = squash(tops[left + 2])
        if any(following.startswith(h) for h in headings):
            continue
        spread = max(fills[left] or 0, fills[left + 1] or 0)
        assert spread >= 0.85, f"pages {left + 1}-{left + 2} are {spread:.0%} full"


THREE = '\n[[editions]]\nlanguages = ["en", "ru", "kk"]\nlayout = "facing"\npage_size = "A5"\nformats = ["pdf"]\n'


def _style_of(pdf: Path, page: int, needle: str) -> tuple[str, float, tuple[int, ...]]:
    """The font name, size and fill colour of the first character of `needle` on a page."""
    import ctypes

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        textpage = doc[page].get_textpage()
        found = textpage.search(needle).get_next()
        assert found, f"{needle!r} not on page {page + 1}"
        raw, index = pypdfium2.raw, found[0]
        name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
        raw.FPDFText_GetFontInfo(textpage.raw, index, name, 128, ctypes.byref(flags))
        rgba = [ctypes.c_uint() for _ in range(4)]
        raw.FPDFText_GetFillColor(textpage.raw, index, *(ctypes.byref(c) for c in rgba))
        size = raw.FPDFText_GetFontSize(textpage.raw, index)
        return name.value.decode("latin-1"), round(size, 2), tuple(c.value for c in rgba)
    finally:
        doc.close()


def test_seed_three_language_facing_edition_sets_the_languages_alike(seed_project, invoke):
    """Issue 12, item 7, in facing: en|ru|kk (built from the seed project; no seed edition has it).
    The third language, under the second on the right page, was set in sans, 0.9 em, grey; now in
    the second's face, size and colour at the same measure (45-75 characters a line), told apart
    by a dotted hairline. `brochure proof` marks nothing (spreads fill: a paragraph is cut inside
    a sentence in both stacked languages; the colophon gives each language a page)."""
    import json
    import statistics

    toml = seed_project / "brochure.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + THREE, encoding="utf-8")
    result = invoke("build", seed_project, "--edition", "en-ru-kk-facing", "--no-mt")
    assert result.exit_code == 0, result.output
    result = invoke("proof", seed_project, "--edition", "en-ru-kk-facing", "--json")
    assert result.exit_code == 0, result.output
    for report in json.loads(result.output):  # the screen and the print PDF
        assert report["issues"] == [], report["issues"]
        assert report["hyphenated_share"] <= 0.08 and report["longest_ladder"] <= 2

    pdf = seed_project / "build" / "sdk.en-ru-kk.facing.pdf"
    texts = [p.extract_text() or "" for p in pypdf.PdfReader(pdf).pages]
    # the colophon's English on a left page, the Russian beside it, the Kazakh on the next left
    names = load_project(seed_project).colophon.translators[0]
    pages = [squash(t) for t in texts]
    left = next(n for n, t in enumerate(pages) if squash(names["en"])[:50] in t)
    assert left % 2 == 1 and squash(names["ru"])[:50] in pages[left + 1], left + 1
    assert squash(names["kk"])[:50] in pages[left + 2]
    right = next(
        n for n, t in enumerate(texts) if squash("Тем временем у подножия трона") in squash(t)
    )
    ru = _style_of(pdf, right, "Тем временем")
    kk = _style_of(pdf, right, "Сонымен бір")
    assert ru == kk and "Serif" in kk[0], (ru, kk)
    lengths: dict[str, list[int]] = {"ru": [], "kk": []}
    for text in texts[4:-4:2]:  # the right pages (odd numbers): Russian, then Kazakh lines
        for line in text.splitlines():
            if len(line) > 30:
                kazakh = re.search("[әғқңөұүһі]", line, re.IGNORECASE)
                lengths["kk" if kazakh else "ru"].append(len(line))
    for lang, values in lengths.items():
        full = sorted(values)[len(values) // 2 :]  # the fuller half: not paragraphs' last lines
        assert 45 <= statistics.median(full) <= 75, (lang, statistics.median(full))
