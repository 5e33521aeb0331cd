"""Booklet imposition: page order on the sheets, padding to a multiple of 4, placement by TrimBox."""

import pytest
from brochure.outputs.impose import booklet_order, impose_booklet

pypdfium2 = pytest.importorskip("pypdfium2")
pypdf = pytest.importorskip("pypdf")


def test_order_for_twelve_pages():
    one_based = [(a + 1, b + 1) for a, b in booklet_order(12)]
    assert one_based == [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]


def numbered_pdf(path, pages, bleed="0mm", text=""):
    """An A5 PDF whose pages show their number in large type (and `text` below it)."""
    from weasyprint import HTML

    body = "".join(
        f'<section style="break-after: page"><p class="n">P{n}</p><p>{text}</p></section>'
        for n in range(1, pages + 1)
    )
    css = f"@page {{ size: A5; margin: 20mm; bleed: {bleed}; marks: crop }} p.n {{ font-size: 60pt; text-align: center }}"
    HTML(string=f"<html><head><style>{css}</style></head><body>{body}</body></html>").write_pdf(
        str(path)
    )


def halves(path):
    """For each sheet: the text on its left half and on its right half."""
    pdf = pypdfium2.PdfDocument(str(path))
    out = []
    for page in pdf:
        width, height = page.get_size()
        text = page.get_textpage()
        left = text.get_text_bounded(0, 0, width / 2, height).strip()
        right = text.get_text_bounded(width / 2, 0, width, height).strip()
        out.append((left, right))
    return out


def test_ten_pages_padded_to_twelve_in_booklet_order(tmp_path):
    source, out = tmp_path / "a5.pdf", tmp_path / "booklet.pdf"
    numbered_pdf(source, 10)
    impose_booklet(source, out)
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) == 6  # 12 pages, 2 per sheet side
    sheet = reader.pages[0]
    assert (
        round(float(sheet.mediabox.width) / 72 * 25.4) == 297
        and round(float(sheet.mediabox.height) / 72 * 25.4) == 210
    )
    assert halves(out) == [
        ("", "P1"),
        ("P2", ""),
        ("P10", "P3"),
        ("P4", "P9"),
        ("P8", "P5"),
        ("P6", "P7"),
    ]


def test_pages_with_bleed_are_placed_by_their_trim_box(tmp_path):
    source, out = tmp_path / "bleed.pdf", tmp_path / "booklet.pdf"
    numbered_pdf(source, 4, bleed="3mm")
    first = pypdf.PdfReader(str(source)).pages[0]
    assert float(first.mediabox.width) > float(first.trimbox.width)
    impose_booklet(source, out)
    sheet = pypdf.PdfReader(str(out)).pages[0]
    # an A4 sheet whose trim box holds exactly two trimmed A5 pages: bleed and marks are clipped
    assert abs(float(sheet.trimbox.width) - 2 * float(first.trimbox.width)) < 0.01
    assert round(float(sheet.mediabox.width) / 72 * 25.4) == 297
    assert halves(out) == [("P4", "P1"), ("P2", "P3")]


def test_build_impose_booklet_through_the_cli(invoke, tmp_path):
    folder = tmp_path / "p"
    invoke("init", folder)
    result = invoke("build", folder, "--impose", "booklet")
    assert result.exit_code == 0, result.output
    pages = len(pypdf.PdfReader(str(folder / "build" / "p.en-ru.pdf")).pages)
    sheets = pypdf.PdfReader(str(folder / "build" / "p.en-ru.booklet.pdf")).pages
    assert len(sheets) * 2 == -(-pages // 4) * 4
    from test_schemas import pdf_syntax

    pdf_syntax(folder / "build" / "p.en-ru.booklet.pdf")  # qpdf's check of the imposed file


def text_x(path):
    """For each sheet: the x position (points) of each page's number, by its text."""
    pdf = pypdfium2.PdfDocument(str(path))
    out = []
    for page in pdf:
        text = page.get_textpage()
        found = {}
        for i in range(text.count_chars()):
            ch = text.get_text_range(i, 1)
            if ch == "P":
                left, _, _, _ = text.get_charbox(i)
                label = text.get_text_range(i, 3).strip()
                found[label] = round(left, 1)
        out.append(found)
    return out


def test_creep_shifts_inner_sheets_toward_the_spine(tmp_path):
    source, flat, crept = tmp_path / "a5.pdf", tmp_path / "flat.pdf", tmp_path / "creep.pdf"
    numbered_pdf(source, 8)
    impose_booklet(source, flat)
    impose_booklet(source, crept, creep_mm=2.0)
    before, after = text_x(flat), text_x(crept)
    shift = 2.0 * 72 / 25.4
    # outer sheet (sides 0 and 1): no shift; innermost sheet (sides 2 and 3): the full creep,
    # the left page moved right and the right page moved left, toward the fold
    assert after[0] == before[0] and after[1] == before[1]
    for side in (2, 3):
        (left, lx), (right, rx) = sorted(before[side].items(), key=lambda kv: kv[1])
        assert abs(after[side][left] - (lx + shift)) < 0.2
        assert abs(after[side][right] - (rx - shift)) < 0.2


def test_booklet_is_compressed_and_shares_the_pages_resources(tmp_path):
    source, out = tmp_path / "a5.pdf", tmp_path / "booklet.pdf"
    numbered_pdf(source, 16, text="Workers of the oil fields demand a real rise in wages. " * 12)
    impose_booklet(source, out)
    assert out.stat().st_size <= 1.2 * source.stat().st_size
    reader = pypdf.PdfReader(str(out))
    assert reader.pages[0].extract_text()  # the text is still text
