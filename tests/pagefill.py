"""Page fill read back from a PDF: how far down the text area each page's text reaches.

From the characters' boxes (pypdfium2), in the trim box's coordinates; the text area is the page
less the margins of the edition's geometry, so the running header above it and the page number
below it do not count.
"""

from __future__ import annotations

from pathlib import Path

MM = 72 / 25.4


def page_fills(pdf_path: Path, margin_top_mm: float, margin_bottom_mm: float) -> list[float | None]:
    """For each page, the share (0-1) of the text area's height above its lowest line of text;
    None for a page without text in the text area."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(pdf_path))
    fills: list[float | None] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            _x0, y0, _x1, y1 = page.get_trimbox()
            top, bottom = y1 - margin_top_mm * MM, y0 + margin_bottom_mm * MM
            textpage = page.get_textpage()
            lowest = None
            for c in range(textpage.count_chars()):
                left, low, right, high = textpage.get_charbox(c)
                if right <= left or high <= bottom - 3 or low >= top + 3:
                    continue  # a space, the page number, the running header
                lowest = low if lowest is None else min(lowest, low)
            fills.append(None if lowest is None else (top - lowest) / (top - bottom))
    finally:
        pdf.close()
    return fills


def first_lines(pdf_path: Path, margin_top_mm: float, height_pt: float = 14.0) -> list[str]:
    """For each page, the text of the first line of its text area (below the running header)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        out = []
        for index in range(len(pdf)):
            page = pdf[index]
            x0, _y0, x1, y1 = page.get_trimbox()
            top = y1 - margin_top_mm * MM
            band = page.get_textpage().get_text_bounded(x0, top - height_pt, x1, top + 2)
            out.append(" ".join(band.split()))
        return out
    finally:
        pdf.close()
