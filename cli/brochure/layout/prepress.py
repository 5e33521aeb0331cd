"""Trim, bleed and crop marks: the one place where the PDF that WeasyPrint wrote is changed.

WeasyPrint 70 draws `marks: crop` inside the CSS bleed, so with a 3 mm bleed the marks are tiny and
fall where the print shop cuts (research/layout.md). Instead the CSS bleed is made as large as the
print bleed plus a slug (print.css), and this finisher, run by WeasyPrint just before it writes the
file (`write_pdf(finisher=...)`, no second parse of the PDF), then
- keeps the TrimBox (the page as cut) that WeasyPrint wrote,
- sets the BleedBox to the trim box plus the print bleed (WeasyPrint puts it at most 10 pt out),
- leaves the MediaBox at trim + bleed + slug,
- draws crop marks in the slug: hairlines on the trim lines, starting outside the bleed.

Pages in PDF user space: the trim box is [0 0 W H], the media box [-(b+s) -(b+s) W+b+s H+b+s].
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MM = 72 / 25.4
SLUG_MM = 8.0  # room outside the bleed for the crop marks
MARK_GAP_MM = 0.5  # between the bleed box and the start of a mark
MARK_WIDTH_PT = 0.25  # a hairline, as print shops expect


def slug_mm(bleed_mm: float) -> float:
    """The slug around the bleed: none without bleed (a PDF for the screen or an office printer)."""
    return SLUG_MM if bleed_mm > 0 else 0.0


def crop_marks(width: float, height: float, bleed: float, slug: float) -> bytes:
    """PDF drawing operators for the eight crop marks of a trim box [0 0 width height] (points)."""
    start, end = bleed + MARK_GAP_MM * MM, bleed + slug - MARK_GAP_MM * MM
    ops = [f"{MARK_WIDTH_PT:g} w", "0 G", "0 J"]  # DeviceGray black: valid in PDF/A with any intent
    for x in (0.0, width):
        outward = -1 if x == 0 else 1
        for y in (0.0, height):
            upward = -1 if y == 0 else 1
            # a horizontal mark on the trim line y, outside the page to the left or right
            ops.append(f"{x + outward * start:.3f} {y:.3f} m {x + outward * end:.3f} {y:.3f} l S")
            # a vertical mark on the trim line x, below or above the page
            ops.append(f"{x:.3f} {y + upward * start:.3f} m {x:.3f} {y + upward * end:.3f} l S")
    return "\n".join(ops).encode("ascii")


def finisher(bleed_mm: float) -> Callable[[Any, Any], None] | None:
    """The WeasyPrint finisher for an edition's bleed (None when there is no bleed)."""
    if bleed_mm <= 0:
        return None

    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        bleed, slug = bleed_mm * MM, slug_mm(bleed_mm) * MM
        # One "save state" and one "restore state + marks" stream shared by every page of one
        # size: the marks are drawn in a clean graphics state whatever the page stream left.
        save = pydyf.Stream([b"q"])
        pdf.add_object(save)
        marks_by_size: dict[tuple[float, float], Any] = {}
        for number in pdf.pages["Kids"][::3]:
            page = pdf.objects[number]
            trim = [float(v) for v in page["TrimBox"]]
            width, height = trim[2] - trim[0], trim[3] - trim[1]
            key = (round(width, 2), round(height, 2))
            if key not in marks_by_size:
                stream = pydyf.Stream([b"Q", crop_marks(width, height, bleed, slug)])
                pdf.add_object(stream)
                marks_by_size[key] = stream
            page["BleedBox"] = pydyf.Array(
                [trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed]
            )
            page["Contents"] = pydyf.Array(
                [save.reference, page["Contents"], marks_by_size[key].reference]
            )

    return finish
