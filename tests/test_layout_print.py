"""Print features read back from the PDFs: page boxes with bleed and slug, crop marks, contents,
outline, running headers, metadata, PDF/A, the glyph check, and pages rendered to PNG."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from brochure.core.errors import LayoutError
from brochure.layout import render
from brochure.layout.prepress import MM, SLUG_MM
from editions import block, document, edition, heading, marked_seg, marker, paragraph, seg

pypdfium2 = pytest.importorskip("pypdfium2")

LANGS = ("en", "ru")
A5 = (148 * MM, 210 * MM)


def _document():
    blocks = [heading({"en": "Main heading", "ru": "Главный заголовок", "kk": "Басты тақырып"})]
    for n in range(1, 31):
        if n == 12:
            blocks.append(
                heading(
                    {"en": "Second section", "ru": "Второй раздел", "kk": "Екінші бөлім"}, level=2
                )
            )
        if n == 20:
            blocks.append(
                heading({"en": "Minor point", "ru": "Мелкий пункт", "kk": "Кіші тармақ"}, level=3)
            )
        blocks.append(block("paragraph", marked_seg(n, ("en", "ru", "kk"), repeat=1 + n % 5)))
    return document("main", *blocks)


def _second():
    return document("second", paragraph(101, ("en", "ru", "kk"), sentences=3),
                    title={"en": "Second document", "ru": "Второй документ", "kk": "Екінші құжат"})  # fmt: skip


def make(
    layout: str = "columns",
    langs=LANGS,
    bleed: float = 3.0,
    page_size: str = "A5",
    variant: str = "",
):
    e = edition(_document(), _second(), langs=langs, page_size=page_size)
    return replace(e, info=replace(e.info, layout=layout, bleed_mm=bleed, pdf_variant=variant))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("print")
    out = {}
    for layout in ("columns", "interleaved", "facing"):
        out[layout] = render(make(layout), "pdf", folder / f"{layout}.pdf")
    return out


def texts(path: Path) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(path).pages]


def box(page, name: str) -> tuple[float, ...]:
    return tuple(round(float(v), 2) for v in getattr(page, name))


@pytest.mark.parametrize("layout", ["columns", "interleaved", "facing"])
def test_trim_bleed_and_media_boxes(pdfs, layout):
    bleed, slug = 3 * MM, SLUG_MM * MM
    w, h = A5
    for page in pypdf.PdfReader(pdfs[layout]).pages:
        assert box(page, "trimbox") == pytest.approx((0, 0, w, h), abs=0.05)
        assert box(page, "bleedbox") == pytest.approx(
            (-bleed, -bleed, w + bleed, h + bleed), abs=0.05
        )
        out = bleed + slug
        assert box(page, "mediabox") == pytest.approx((-out, -out, w + out, h + out), abs=0.05)


def test_no_bleed_means_plain_trimmed_pages(tmp_path):
    out = render(make(bleed=0), "pdf", tmp_path / "plain.pdf")
    for page in pypdf.PdfReader(out).pages:
        assert box(page, "mediabox") == box(page, "trimbox") == box(page, "bleedbox")
        assert box(page, "mediabox") == pytest.approx((0, 0, *A5), abs=0.05)


def test_crop_marks_are_drawn_in_the_slug_outside_the_bleed(pdfs):
    """Dark pixels on the trim lines' extensions in the slug; none in the bleed or near the trim corner."""
    pdf = pypdfium2.PdfDocument(str(pdfs["columns"]))
    scale = 4  # 288 dpi: a 0.25 pt hairline is one pixel
    # a text page (the cover's colour band runs into the bleed on purpose)
    image = pdf[2].render(scale=scale).to_pil().convert("L")
    out = (3 + SLUG_MM) * MM  # media edge -> trim edge, points

    def dark(x_pt: float, y_pt: float) -> bool:
        """Is there ink within 1.5 px of a point (in points from the media box's top left)?"""
        x, y = round(x_pt * scale), round(y_pt * scale)
        return any(image.getpixel((x + dx, y + dy)) < 128 for dx in (-1, 0, 1) for dy in (-1, 0, 1))

    # the top-left corner: the vertical mark on the trim line x = out, above the bleed
    assert dark(out, out - 3 * MM - 4 * MM)  # in the slug
    assert not dark(out, out - 1.5 * MM)  # in the bleed: nothing
    # the horizontal mark on the trim line y = out, left of the bleed
    assert dark(out - 3 * MM - 4 * MM, out)
    assert not dark(out - 1.5 * MM, out)
    pdf.close()


def test_table_of_contents_with_page_numbers(pdfs):
    pages = texts(pdfs["columns"])
    toc = pages[1]
    assert toc.startswith("Contents · Содержание")
    for title, expected in (
        ("Main heading", ["Main heading", "Главный заголовок"]),
        ("Second section", ["Second section", "Второй раздел"]),
        ("Second document", [marker("en", 101), marker("ru", 101)]),  # untitled: its first text
    ):
        match = re.search(re.escape(title) + r"[ .]+(\d+)", toc)
        assert match, f"{title!r} has no page number in the contents"
        number = int(match.group(1))
        assert all(text in pages[number - 1] for text in expected), (
            f"{title!r} is not on page {number}"
        )
    assert "Minor point" not in toc  # h3 are not listed


def outline_titles(path: Path) -> list[tuple[int, str]]:
    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title

    return list(walk(pypdf.PdfReader(path).outline, 1))


@pytest.mark.parametrize("layout", ["columns", "interleaved", "facing"])
def test_outline_matches_the_headings(pdfs, layout):
    assert outline_titles(pdfs[layout]) == [
        (1, "Main heading"),
        (2, "Second section"),
        (1, "Second document"),
    ]


@pytest.mark.parametrize("layout", ["columns", "interleaved"])
def test_running_headers_show_the_current_section(pdfs, layout):
    pages = texts(pdfs[layout])
    reader = pypdf.PdfReader(pdfs[layout])
    after = next(i for i, t in enumerate(pages) if marker("en", 14) in t)  # after "Second section"
    # the header is the text drawn above the text block: check it in the top margin
    headers = []
    for number in range(after, len(pages)):
        if marker("en", 101) in pages[number]:
            break
        parts: list[str] = []
        page = reader.pages[number]
        top = float(page.trimbox.top)

        def visitor(text, cm, tm, font, size, parts=parts, top=top):
            if tm[5] * cm[3] + cm[5] > top - 17 * MM and text.strip():
                parts.append(text)

        page.extract_text(visitor_text=visitor)
        headers.append((number + 1, " ".join(" ".join(parts).split())))
    assert headers
    for number, header in headers:
        expected = "Second section" if number % 2 == 0 else "Второй раздел"
        assert expected in header, f"page {number}: header {header!r}"


def test_metadata_and_language(pdfs):
    reader = pypdf.PdfReader(pdfs["interleaved"])
    meta = reader.metadata
    assert meta.title == "Test brochure"
    assert meta.author == "Test Publisher"
    assert (
        "English" in meta["/Keywords"]
        and "Русский" in meta["/Keywords"]
        and "ru" in meta["/Keywords"]
    )
    assert meta["/Subject"] == "For the layout tests"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_pdf_a_3b_on_request(tmp_path):
    out = render(make(variant="pdf/a-3b"), "pdf", tmp_path / "a.pdf")
    root = pypdf.PdfReader(out).trailer["/Root"]
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*B", xmp)
    # the trim and bleed boxes survive the variant
    page = pypdf.PdfReader(out).pages[2]
    assert float(page.mediabox.width) > float(page.bleedbox.width) > float(page.trimbox.width)


@pytest.mark.parametrize("layout", ["columns", "interleaved", "facing"])
def test_pages_are_not_blank_and_no_text_leaves_the_trim_box(pdfs, layout):
    pdf = pypdfium2.PdfDocument(str(pdfs[layout]))
    for index in range(len(pdf)):
        page = pdf[index]
        left, bottom, right, top = page.get_trimbox()
        image = page.render(scale=0.5).to_pil().convert("L")
        assert image.getextrema()[0] < 100, f"page {index + 1} is blank"
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            x0, y0, x1, y1 = textpage.get_charbox(i)
            if x1 <= x0:  # spaces and line ends have no box
                continue
            char = textpage.get_text_range(i, 1)
            assert (
                left - 0.5 <= x0 and x1 <= right + 0.5 and bottom - 0.5 <= y0 and y1 <= top + 0.5
            ), f"page {index + 1}: {char!r} at {(x0, y0, x1, y1)} outside the trim box"
    pdf.close()


def test_letter_and_a4_page_sizes(tmp_path):
    for size, (w, h) in (("Letter", (612, 792)), ("A4", (595.28, 841.89))):
        out = render(make("interleaved", page_size=size, bleed=0), "pdf", tmp_path / f"{size}.pdf")
        page = pypdf.PdfReader(out).pages[0]
        assert (float(page.trimbox.width), float(page.trimbox.height)) == pytest.approx(
            (w, h), abs=0.5
        )


def test_mirrored_margins(pdfs):
    """The text block sits further from the fold: on left pages its right margin is the larger."""
    pdf = pypdfium2.PdfDocument(str(pdfs["interleaved"]))
    gaps = {}
    for index in (2, 3):  # page 3 (right) and page 4 (left)
        page = pdf[index]
        textpage = page.get_textpage()
        boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
        boxes = [b for b in boxes if b[2] > b[0]]
        left, _, right, _ = page.get_trimbox()
        gaps[index + 1] = (min(b[0] for b in boxes) - left, right - max(b[2] for b in boxes))
    pdf.close()
    inner_right, outer_right = gaps[3]  # right page: inner margin on the left
    outer_left, inner_left = gaps[4]
    assert inner_right > outer_right and inner_left > outer_left


# --- glyph check -----------------------------------------------------------------------------


def test_a_character_missing_from_the_fonts_fails_the_build(tmp_path):
    doc = document(
        "d",
        block(
            "paragraph",
            seg({"en": "Workers of the world ☭", "ru": "Пролетарии"}, sid="s0000000000ab"),
        ),
    )
    out = tmp_path / "x.pdf"
    with pytest.raises(LayoutError) as caught:
        render(edition(doc), "pdf", out)
    message = str(caught.value)
    assert "U+262D HAMMER AND SICKLE" in message and "segment s0000000000ab" in message
    assert "(document d, en)" in message
    assert not out.exists()


def test_kazakh_and_typography_are_covered():
    from brochure.layout.fonts import check_glyphs

    doc = document("d", block("paragraph", seg({
        "en": "“Quotes” — dashes… № 5 % § «ёлка»", "ru": "Ёжик «в тумане» – 1 000 руб.", "kk": "ӘҒҚҢӨҰҮҺІ әғқңөұүһі",
    })))  # fmt: skip
    check_glyphs(edition(doc, langs=("en", "ru", "kk")))


def test_missing_glyph_through_the_cli(tmp_path, invoke):
    from conftest import write_project

    folder = write_project(tmp_path / "p", (
        'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["t.md"]\n'
        '[[editions]]\nlanguages = ["en", "ru"]\nformats = ["pdf"]\n'
    ), {"t.md": "# Title\n\nA star ★ here.\n"})  # fmt: skip
    result = invoke("build", folder, "--draft", "--no-mt")
    assert result.exit_code == 1
    assert "U+2605 BLACK STAR" in result.output and "segment " in result.output


def _line_starts(page) -> list[tuple[float, str]]:
    """(x, text) of each line of a page's text, in the order the PDF holds it."""
    textpage = page.get_textpage()
    lines: list[tuple[float, str]] = []
    start = True
    for i in range(textpage.count_chars()):
        char = textpage.get_text_range(i, 1)
        if char in "\r\n":
            start = True
            continue
        x0, _y0, x1, _y1 = textpage.get_charbox(i)
        if start and x1 > x0:
            lines.append((x0, char))
            start = False
        elif lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + char)
    return lines


@pytest.mark.parametrize("layout", ["columns", "facing", "interleaved"])
def test_a_list_item_cut_across_a_page_goes_on_in_line_with_its_text(tmp_path, layout):
    """The rest of a list item on the next page has no marker: its first line starts where the
    item's other lines do, not 1.2em further left (the hanging indent of the marker's line)."""
    blocks = [heading({"en": "Main heading", "ru": "Главный заголовок"})]
    blocks += [block("paragraph", marked_seg(n, LANGS, repeat=3)) for n in range(1, 9)]
    blocks.append(block("list_item", *(marked_seg(100 + i, LANGS, repeat=2) for i in range(8))))
    blocks += [block("paragraph", marked_seg(n, LANGS, repeat=2)) for n in range(200, 206)]
    e = edition(document("doc", *blocks), langs=LANGS)
    path = render(replace(e, info=replace(e.info, layout=layout)), "pdf", tmp_path / "list.pdf")
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        pages = [_line_starts(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()
    first = next(i for i, lines in enumerate(pages) if any("E100" in t for _, t in lines))
    rest = next(i for i, lines in enumerate(pages) if i > first and
                any(t.startswith(marker("en", 200)) for _, t in lines))  # fmt: skip
    # the item's English lines on the page it starts on and on the next, measured from the left
    # edge of a paragraph's text on the same page (a page's margins are mirrored)
    indents = []
    for index, opening in ((first, "E008"), (rest, marker("en", 200))):
        lines = pages[index]
        edge = next(x for x, t in lines if t.startswith(opening))
        top = next(n for n, (_, t) in enumerate(lines) if "E100" in t) + 1 if index == first else 0
        end = next(n for n, (_, t) in enumerate(lines) if t.startswith(marker("en", 200))) \
            if index == rest else len(lines)  # fmt: skip
        indents.append([round(x - edge, 1) for x, t in lines[top:end]
                        if t[:1].isascii() and t[:1].isalpha() and "heading" not in t])  # fmt: skip
    assert len(indents[1]) >= 2, pages[rest]
    item = indents[0] + indents[1]
    assert min(item) > 5 and max(item) - min(item) < 0.5, indents  # 1.2em, on both pages
