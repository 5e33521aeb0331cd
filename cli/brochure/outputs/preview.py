"""PNG images of a built PDF's pages, for a quick look (`brochure preview`), through pypdfium2."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from brochure.core.atomic import atomic_path
from brochure.core.errors import LayoutError

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d*)\s*)?$")


def page_ranges(spec: str | None) -> list[tuple[int, int | None]]:
    """The ranges of a --pages spec ("1-4", "2,5,7-", "3"; None or "all": every page), checked
    without the PDF (so a wrong spec fails before anything is built); None: to the last page."""
    if not spec or spec.strip().lower() == "all":
        return [(1, None)]
    ranges: list[tuple[int, int | None]] = []
    for part in spec.split(","):
        match = _RANGE.match(part)
        if not match:
            raise LayoutError(
                f"--pages {spec!r}: use page numbers and ranges such as 1-4 or 2,5,7-"
            )
        first = int(match.group(1))
        last = (
            first if match.group(2) is None else (int(match.group(2)) if match.group(2) else None)
        )
        if first < 1 or (last is not None and last < first):
            raise LayoutError(f"--pages {spec!r}: {part.strip()} is not a range of pages from 1")
        ranges.append((first, last))
    return ranges


def parse_pages(spec: str | None, count: int) -> list[int]:
    """1-based page numbers ("1-4", "2,5,7-", "3"; None or "all": every page), clipped to `count`."""
    pages: dict[int, None] = {}
    for first, last in page_ranges(spec):
        for n in range(first, min(count if last is None else last, count) + 1):
            pages[n] = None
    if not pages:
        raise LayoutError(f"--pages {spec!r}: the PDF has {count} page(s)")
    return list(pages)


def render_pngs(
    pdf: Path, out_dir: Path, pages: str | None = None, *, dpi: float = 100, trim: bool = False,
    spreads: bool = False,
) -> list[Path]:  # fmt: skip
    """Write <out_dir>/<pdf stem>.p<NNN>.png for the selected pages; return the files.

    `trim`: cut each image to the page's TrimBox (no bleed, slug or crop marks). `spreads`: put
    facing pages side by side in one image (p002-003: the left page, then the right page).
    """
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        numbers = parse_pages(pages, len(document))
        images = {n: _render(document[n - 1], dpi, trim) for n in numbers}
    finally:
        document.close()
    groups: list[list[int]] = [[n] for n in numbers]
    if spreads:
        groups = []
        for n in numbers:
            # page 1 is a right page; a spread is an even page and the odd page after it
            if n % 2 == 1 and groups and groups[-1] == [n - 1]:
                groups[-1].append(n)
            else:
                groups.append([n])
    written = []
    for group in groups:
        name = (
            f"{pdf.stem}.p{group[0]:03d}" + (f"-{group[-1]:03d}" if len(group) > 1 else "") + ".png"
        )
        image = _side_by_side([images[n] for n in group])
        target = out_dir / name
        with atomic_path(target) as tmp:
            image.save(tmp, format="PNG")
        written.append(target)
    return written


def _render(page, dpi: float, trim: bool):  # type: ignore[no-untyped-def]
    crop = (0, 0, 0, 0)
    if trim:
        # pypdfium2 crops from the media box's left, bottom, right and top edges, in points
        media, box = page.get_mediabox(), page.get_trimbox()
        crop = (box[0] - media[0], box[1] - media[1], media[2] - box[2], media[3] - box[3])
    return page.render(scale=dpi / 72, crop=crop).to_pil()


def _side_by_side(images: Sequence):  # type: ignore[no-untyped-def]
    if len(images) == 1:
        return images[0]
    from PIL import Image

    width = sum(i.width for i in images)
    height = max(i.height for i in images)
    out = Image.new("RGB", (width, height), "white")
    x = 0
    for image in images:
        out.paste(image, (x, 0))
        x += image.width
    return out


def _letters(text: str) -> str:
    """Only the letters and digits of `text`, case-folded: what survives line breaking,
    hyphenation, typographic quotes and dashes and pdfium's text extraction alike."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def page_of(pdf: Path, texts: Sequence[str], prefix: int = 60) -> int | None:
    """The 1-based page where a unit whose text is `texts` (one per language of the edition) starts,
    or None when no page holds it.

    A heading is found by its PDF bookmark (the contents page and running heads repeat it); other
    text by the page holding the start of the most of its languages (the first such page).
    """
    import pypdfium2

    keys = [k for k in (_letters(t) for t in texts) if k]
    if not keys:
        return None
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for item in document.get_toc():
            title = _letters(item.get_title() or "")
            dest = item.get_dest() if title in keys else None
            if dest is not None and dest.get_index() is not None:
                return int(dest.get_index()) + 1
        pages = []
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            pages.append(_letters(textpage.get_text_range()))
            textpage.close()
    finally:
        document.close()
    for size in (prefix, prefix // 3):  # a unit that starts at a page's foot: its first words
        needles = [k[:size] for k in keys]
        scores = [sum(needle in text for needle in needles) for text in pages]
        best = max(scores)
        if best:
            return scores.index(best) + 1
    return None
