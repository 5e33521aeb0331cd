"""Trim, bleed and crop marks: the one place where the PDF that WeasyPrint wrote is changed.

WeasyPrint 70 draws `marks: crop` inside the CSS bleed, so with a 3 mm bleed the marks are tiny and
fall where the print shop cuts (research/layout.md). Instead the CSS bleed is made as large as the
print bleed plus a slug (print.css), and this finisher, run by WeasyPrint just before it writes the
file (`write_pdf(finisher=...)`, no second parse of the PDF), then
- keeps the TrimBox (the page as cut) that WeasyPrint wrote,
- sets the BleedBox to the trim box plus the print bleed (WeasyPrint puts it at most 10 pt out),
- leaves the MediaBox at trim + bleed + slug,
- draws crop marks in the slug: hairlines on the trim lines, starting outside the bleed.

Pages in PDF user space as WeasyPrint writes them: the trim box is [0 0 W H], the media box
[-(b+s) -(b+s) W+b+s H+b+s]. The print PDF moves the origin to the media box's corner (a negative
origin trips some preflight tools): every box shifted by b+s, the page drawn through one `cm`.
Its crop marks are in registration colour (Separation /All: on every plate), not black alone.

An edition's screen and print PDFs come from one layout (layout.pdf) written twice:
- the screen PDF: the media box cut to the trim box, no bleed box, no marks;
- the print PDF: bleed and marks as above, every colour in DeviceCMYK (text, strokes and rules
  100% K, areas converted), no link annotations, and a PDF/X-1a:2003 output intent naming the
  registered FOGRA39 characterization (ISO 12647-2 coated offset), which PDF/X-1a allows without
  embedding its ICC profile. WeasyPrint's `pdf/x-1a` variant writes the version keys and XMP.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

MM = 72 / 25.4
SLUG_MM = 8.0  # room outside the bleed for the crop marks
MARK_GAP_MM = 0.5  # between the bleed box and the start of a mark
MARK_WIDTH_PT = 0.25  # a hairline, as print shops expect


def slug_mm(bleed_mm: float) -> float:
    """The slug around the bleed: none without bleed (a PDF for the screen or an office printer)."""
    return SLUG_MM if bleed_mm > 0 else 0.0


REGISTRATION = "BrochureRegistration"  # the colour space resource of the print PDF's marks


def crop_marks(width: float, height: float, bleed: float, slug: float,
               registration: bool = False) -> bytes:  # fmt: skip
    """PDF drawing operators for the eight crop marks of a trim box [0 0 width height] (points):
    in registration colour (the page's REGISTRATION colour space), else in DeviceGray black
    (valid in PDF/A with any intent)."""
    start, end = bleed + MARK_GAP_MM * MM, bleed + slug - MARK_GAP_MM * MM
    colour = f"/{REGISTRATION} CS 1 SCN" if registration else "0 G"
    ops = [f"{MARK_WIDTH_PT:g} w", colour, "0 J"]
    for x in (0.0, width):
        outward = -1 if x == 0 else 1
        for y in (0.0, height):
            upward = -1 if y == 0 else 1
            # a horizontal mark on the trim line y, outside the page to the left or right
            ops.append(f"{x + outward * start:.3f} {y:.3f} m {x + outward * end:.3f} {y:.3f} l S")
            # a vertical mark on the trim line x, below or above the page
            ops.append(f"{x:.3f} {y + upward * start:.3f} m {x:.3f} {y + upward * end:.3f} l S")
    return "\n".join(ops).encode("ascii")


PRINT_PDF_VARIANT = "pdf/x-1a"  # WeasyPrint's variant for the print PDF (see the module doc)
# The printing condition of the output intent: registered at color.org, so no profile is embedded.
OUTPUT_CONDITION = ("FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004)", "http://www.color.org")
RULE_PT = 2.0  # a filled rectangle this thin (or thinner) is a rule: 100% K, never a tint
_RGB = re.compile(rb"^(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (rg|RG)$")
_RECT = re.compile(rb"^-?[\d.]+ -?[\d.]+ (-?[\d.]+) (-?[\d.]+) re$")


def finisher(bleed_mm: float, variant: str = "") -> Callable[[Any, Any], None] | None:
    """The WeasyPrint finisher of a PDF: `variant` "screen" cuts the page to its trim box,
    "print" adds bleed and marks (if any) and print colours, "" the bleed and marks alone
    (None when there is nothing to do)."""
    if variant == "screen":
        return _screen
    if variant != "print":
        return _then_associated_files_once(_marks_finisher(bleed_mm))
    marks = _marks_finisher(bleed_mm, registration=True)

    def finish(document: Any, pdf: Any) -> None:
        if marks:
            marks(document, pdf)
        _print_colours(pdf)
        _output_intent(pdf)
        for number in pdf.pages["Kids"][::3]:
            pdf.objects[number].pop("Annots", None)  # links: PDF/X keeps annotations off the page
        _attachments_once(pdf)
        _zero_origin(pdf)

    return finish


def _zero_origin(pdf: Any) -> None:
    """Move each page's origin to its media box's lower left corner: boxes shifted, the page's
    drawing wrapped in one translation (no annotations are left to move: see `finisher`)."""
    import pydyf

    wrappers: dict[tuple[float, float], tuple[Any, Any]] = {}
    for number in pdf.pages["Kids"][::3]:
        page = pdf.objects[number]
        media = [float(v) for v in page["MediaBox"]]
        dx, dy = -media[0], -media[1]
        if abs(dx) < 1e-6 and abs(dy) < 1e-6:
            continue
        key = (round(dx, 4), round(dy, 4))
        if key not in wrappers:
            shift, restore = (
                pydyf.Stream([f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm".encode()]),
                pydyf.Stream([b"Q"]),
            )
            pdf.add_object(shift)
            pdf.add_object(restore)
            wrappers[key] = (shift, restore)
        shift, restore = wrappers[key]
        for name in ("MediaBox", "CropBox", "BleedBox", "TrimBox", "ArtBox"):
            if name in page:
                x0, y0, x1, y1 = (float(v) for v in page[name])
                page[name] = pydyf.Array([x0 + dx, y0 + dy, x1 + dx, y1 + dy])
        contents = page["Contents"]
        inner = list(contents) if isinstance(contents, pydyf.Array) else [contents]
        page["Contents"] = pydyf.Array([shift.reference, *inner, restore.reference])


def _registration_space(pdf: Any, page: Any) -> None:
    """Name the registration colour (Separation /All: 100% of every ink) in the page's resources."""
    import pydyf

    def resolve(value: Any) -> Any:
        return pdf.objects[int(value.split()[0])] if isinstance(value, bytes) else value

    resources = resolve(page["Resources"])
    spaces = resolve(resources.get("ColorSpace"))
    if spaces is None:
        spaces = resources["ColorSpace"] = pydyf.Dictionary()
    if REGISTRATION not in spaces:
        tint = pydyf.Dictionary({
            "FunctionType": 2, "Domain": pydyf.Array([0, 1]), "N": 1,
            "C0": pydyf.Array([0, 0, 0, 0]), "C1": pydyf.Array([1, 1, 1, 1]),
        })  # fmt: skip
        spaces[REGISTRATION] = pydyf.Array(["/Separation", "/All", "/DeviceCMYK", tint])


def _screen(document: Any, pdf: Any) -> None:
    """A PDF for reading on screen: the page is the trim box, whatever bleed the layout drew."""
    import pydyf

    for number in pdf.pages["Kids"][::3]:
        page = pdf.objects[number]
        page["MediaBox"] = pydyf.Array(page["TrimBox"])
        page.pop("BleedBox", None)
    _associated_files_once(pdf)


def _then_associated_files_once(
    finish: Callable[[Any, Any], None] | None,
) -> Callable[[Any, Any], None]:
    def then(document: Any, pdf: Any) -> None:
        if finish:
            finish(document, pdf)
        _associated_files_once(pdf)

    return then


def _associated_files_once(pdf: Any) -> None:
    """WeasyPrint 70's pdf/a-3b lists each document attachment twice in the catalog's /AF (once
    from the EmbeddedFiles names, once as a file specification): once is what PDF/A-3 means."""
    import pydyf

    dropped = _attachments_once(pdf)
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(
            ref for ref in dict.fromkeys(pdf.catalog["AF"]) if _number(ref) not in dropped
        )


def _number(reference: Any) -> int:
    """The object number of a pydyf reference (b"12 0 R")."""
    return int(bytes(reference).split()[0])


def _attachments_once(pdf: Any) -> set[int]:
    """Each attached file embedded once; the numbers of the file specifications emptied.

    WeasyPrint 70 embeds a file a layout links with `<a rel="attachment">` for the link's
    annotation, beside the copy brochure.toml's `attachments` put in the EmbeddedFiles names (the
    same bytes twice), and the print PDF, which drops annotations, kept that copy unreferenced.
    An annotation on a page is pointed at the named copy of its file; then every annotation off
    the pages and every file specification nothing refers to is emptied (pydyf cannot leave an
    object out of a compressed cross-reference stream, so it stays, with nothing in it)."""
    objects = pdf.objects

    def checksum(spec: Any) -> Any:
        return objects[_number(spec["EF"]["F"])].extra.get("Params", {}).get("CheckSum")

    named: dict[Any, Any] = {}
    names = pdf.catalog.get("Names", {}).get("EmbeddedFiles")
    if names is not None:
        for ref in objects[_number(names)]["Names"][1::2]:
            named.setdefault(checksum(objects[_number(ref)]), ref)
    on_pages = {_number(ref) for number in pdf.pages["Kids"][::3]
                for ref in objects[number].get("Annots", ())}  # fmt: skip
    used = {_number(ref) for ref in named.values()}
    specs: set[int] = set()
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("Subtype") != "/FileAttachment":
            continue
        specs.add(_number(obj["FS"]))
        if obj.number in on_pages:  # type: ignore[attr-defined]
            obj["FS"] = named.get(checksum(objects[_number(obj["FS"])]), obj["FS"])
            used.add(_number(obj["FS"]))
        else:  # dropped from its page (the print PDF): its appearance too
            _empty(objects[_number(obj["AP"]["N"])])
            _empty(obj)
    dropped = specs - used
    for number in dropped:
        _empty(objects[_number(objects[number]["EF"]["F"])])
        _empty(objects[number])
    return dropped


def _empty(obj: Any) -> None:
    """An object left in the file with nothing in it (a dictionary, or a stream of no bytes)."""
    if hasattr(obj, "stream"):
        obj.stream = []
        obj.extra = {}
    else:
        obj.clear()


def _output_intent(pdf: Any) -> None:
    import pydyf

    identifier, info, registry = OUTPUT_CONDITION
    intent = pydyf.Dictionary({
        "Type": "/OutputIntent",
        "S": "/GTS_PDFX",
        "OutputConditionIdentifier": pydyf.String(identifier),
        "OutputCondition": pydyf.String(info),
        "Info": pydyf.String(info),
        "RegistryName": pydyf.String(registry),
    })  # fmt: skip
    pdf.catalog["OutputIntents"] = pydyf.Array([intent])


def _print_colours(pdf: Any) -> None:
    """Every RGB colour operator of every content stream (pages and form XObjects) -> CMYK."""
    import pydyf

    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and _is_content(obj):
            obj.stream = print_colour_ops(list(obj.stream))


def _is_content(stream: Any) -> bool:
    """A page's or a form's drawing operators (not a font, an image or a CMap)."""
    extra = getattr(stream, "extra", {}) or {}
    if extra.get("Subtype") == "/Form":
        return True
    return not extra and all(
        isinstance(item, bytes) and len(item) < 4096 for item in stream.stream[:8]
    )


def print_colour_ops(ops: list[Any]) -> list[Any]:
    """Content-stream operators (one per item, as WeasyPrint writes them) with each RGB colour
    replaced by DeviceCMYK: a fill colour that shows text or paints rules only, and every stroke
    colour, becomes 100% K (0 0 0 1); a fill colour that paints areas is converted
    (neutral greys to a K tint). q/Q save and restore the fill colour, as in PDF."""
    uses: dict[int, set[str]] = {}
    current: int | None = None
    stack: list[int | None] = []
    for i, op in enumerate(ops):
        if not isinstance(op, bytes):
            continue
        if op == b"q":
            stack.append(current)
        elif op == b"Q":
            current = stack.pop() if stack else None
        elif match := _RGB.match(op):
            if match.group(4) == b"rg":
                current = i
                uses.setdefault(i, set())
        elif op.endswith((b" g", b" k", b" sc", b" scn")):
            current = None
        elif current is not None:
            if op == b"BT":
                uses[current].add("text")
            elif rect := _RECT.match(op):
                thin = min(abs(float(rect.group(1))), abs(float(rect.group(2)))) <= RULE_PT
                uses[current].add("rule" if thin else "area")
    out = list(ops)
    for i, op in enumerate(ops):
        if not isinstance(op, bytes) or not (match := _RGB.match(op)):
            continue
        r, g, b = (float(v) for v in match.group(1, 2, 3))
        used = uses.get(i, set())
        if match.group(4) == b"RG" or "text" in used or (used and used <= {"rule"}):
            c, m, y, k = 0.0, 0.0, 0.0, 1.0
        else:
            c, m, y, k = rgb_to_cmyk(r, g, b)
        operator = b"K" if match.group(4) == b"RG" else b"k"
        out[i] = f"{c:g} {m:g} {y:g} {k:g} ".encode("ascii") + operator
    return out


def rgb_to_cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """A device-independent-free conversion good enough for tints: grey to K alone (one ink),
    colours by grey component replacement. Rounded to 1/1000."""
    k = 1 - max(r, g, b)
    if k >= 1:
        return 0.0, 0.0, 0.0, 1.0
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return tuple(round(v, 3) for v in (c, m, y, k))  # type: ignore[return-value]


def _marks_finisher(
    bleed_mm: float, registration: bool = False
) -> Callable[[Any, Any], None] | None:
    """Bleed box and crop marks for an edition's bleed (None when there is no bleed), in
    registration colour if asked."""
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
                stream = pydyf.Stream([b"Q", crop_marks(width, height, bleed, slug, registration)])
                pdf.add_object(stream)
                marks_by_size[key] = stream
            if registration:
                _registration_space(pdf, page)
            page["BleedBox"] = pydyf.Array(
                [trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed]
            )
            page["Contents"] = pydyf.Array(
                [save.reference, page["Contents"], marks_by_size[key].reference]
            )

    return finish
