"""Booklet imposition for saddle stitching: pages in reading order -> folded sheets twice their size.

A5 pages land two by two on A4 (landscape) sheets, in the order that reads right once the sheets
are printed on both sides, stacked, folded and stitched. Pages are placed by their TrimBox, so bleed
and crop marks never spill onto the neighbouring page. Why pypdf: licence-clean (BSD), already a
small pure-Python dependency; pdfimpose is AGPL and pulls PyMuPDF.
"""

from __future__ import annotations

import math
from pathlib import Path

from brochure.errors import LayoutError
from brochure.fsutil import atomic_path

MM = 72 / 25.4
# Two A5 pages are 296 mm wide, A4 is 297 mm: a doubled page this close to a standard sheet is
# printed on that sheet, centred.
SHEETS_MM = {
    "A3": (420.0, 297.0),
    "A4": (297.0, 210.0),
    "A5": (210.0, 148.0),
    "Tabloid": (431.8, 279.4),
}


def sheet_size(width: float, height: float) -> tuple[float, float]:
    """The sheet (points, landscape) for two pages of width x height points side by side."""
    for w_mm, h_mm in SHEETS_MM.values():
        if -0.01 <= w_mm * MM - 2 * width <= 2 * MM and -0.01 <= h_mm * MM - height <= 2 * MM:
            return w_mm * MM, h_mm * MM
    return 2 * width, height


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page indices (0-based) for each sheet side; `pages` is a multiple of 4.

    For 12 pages: [12,1] [2,11] [10,3] [4,9] [8,5] [6,7] (1-based), front and back of each sheet.
    """
    if pages % 4:
        raise ValueError(pages)
    order = []
    for i in range(pages // 2):
        low, high = i, pages - 1 - i
        order.append((high, low) if i % 2 == 0 else (low, high))
    return order


def impose_booklet(source: Path, out: Path, creep_mm: float = 0.0) -> Path:
    """Write `out`: the pages of `source` imposed as a saddle-stitched booklet.

    The page count is padded with blank pages to a multiple of 4. `creep_mm` is the total shift of
    the innermost sheet's pages toward the spine (paper thickness compensation); the sheets in
    between are shifted in proportion.
    """
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    reader = PdfReader(str(source))
    pages = list(reader.pages)
    if not pages:
        raise LayoutError(f"{source}: no pages to impose")
    count = len(pages)
    total = math.ceil(count / 4) * 4
    trim = pages[0].trimbox
    width, height = float(trim.width), float(trim.height)
    sheets = total // 4
    sheet_w, sheet_h = sheet_size(width, height)
    margin_x, margin_y = (sheet_w - 2 * width) / 2, (sheet_h - height) / 2
    writer = PdfWriter()
    for side, (left, right) in enumerate(booklet_order(total)):
        sheet_number = side // 2
        shift = creep_mm * MM * (sheet_number / (sheets - 1) if sheets > 1 else 0.0)
        sheet = writer.add_blank_page(width=sheet_w, height=sheet_h)
        for slot, index in ((0, left), (1, right)):
            if index >= count:
                continue  # a blank page padding the booklet to a multiple of 4
            page = pages[index]
            box = page.trimbox
            if abs(float(box.width) - width) > 0.5 or abs(float(box.height) - height) > 0.5:
                raise LayoutError(f"{source}: page {index + 1} has another trim size than page 1")
            page.cropbox = RectangleObject(box)  # pypdf clips a merged page to its cropbox
            toward_spine = shift if slot == 0 else -shift
            dx = margin_x + slot * width - float(box.left) + toward_spine
            dy = margin_y - float(box.bottom)
            sheet.merge_transformed_page(page, Transformation().translate(dx, dy))
        sheet.trimbox = RectangleObject(
            (margin_x, margin_y, margin_x + 2 * width, margin_y + height)
        )
    if reader.metadata:
        writer.add_metadata({k: str(v) for k, v in reader.metadata.items() if isinstance(k, str)})
    with atomic_path(out) as tmp:
        with open(tmp, "wb") as f:
            writer.write(f)
    return out
