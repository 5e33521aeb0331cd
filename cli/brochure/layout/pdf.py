"""Edition -> PDF through WeasyPrint (imported here only: `brochure --help` must stay fast)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brochure.core import formats, layouts
from brochure.core.atomic import atomic_path
from brochure.layout.fonts import check_glyphs
from brochure.layout.html import allowed_roots, render_html, template_error
from brochure.layout.linebreak import (
    Protector,
    ladder_words,
    limited_hyphenation,
    project_words,
    register_dictionaries,
)
from brochure.layout.prepress import PRINT_PDF_VARIANT, finisher
from brochure.layout.weasy import allowed_files, check_fetches, render_document, shared_fonts

if TYPE_CHECKING:
    from brochure.core.datamodel import Edition

log = logging.getLogger(__name__)
# WeasyPrint warns about every CSS property it ignores and fontTools about subsetting details:
# useful when writing a layout (`-v`), noise in a build.
_NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")
# Layouts of one edition at most: the first, and again while hyphen ladders are too long.
LAYOUT_PASSES = 3


def write_pdf(edition: Edition, out: Path, *, search_dirs: tuple[Path, ...] = ()) -> Path:
    """Lay out `edition` as a PDF at `out`, written atomically.

    WeasyPrint reads only the package's and the project's files meanwhile (layout/weasy.py), and a
    template's error (unsafe code refused by the sandbox included) is one line naming it.

    An edition with a screen and a print PDF is laid out once, with its bleed, and written twice
    (`info.pdf_output`, see layout.prepress): the layout of the first is kept for the second.

    The files brochure.toml declares as `attachments` are embedded in the screen PDF (with
    `pdf_variant = "pdf/a-3b"` as PDF/A-3 associated files, relationship Supplement), never in
    the print PDF: PDF/X is for the press, which needs no attached files."""
    info = edition.info
    document = _layout(edition, search_dirs)
    options: dict[str, Any] = {}
    if info.pdf_output == "print":
        options["pdf_variant"] = PRINT_PDF_VARIANT
    elif info.pdf_variant:
        options["pdf_variant"] = info.pdf_variant
    # the layout's own <link rel="attachment"> (declared files: layout.weasy checked) are not
    # embedded a second time: the declared files are, once each
    links, document.metadata.attachments = document.metadata.attachments, []
    finish = finisher(info.bleed_mm, info.pdf_output)
    painted = _painted.pop() if _painted and _painted[0][0] is document else None
    _painted.clear()  # (a copy kept for another layout: not this one's)
    try:
        with _weasyprint_logs_to_debug(), _guard(edition, search_dirs):
            if info.pdf_output != "print" and info.attachments:
                options["attachments"] = [_attachment(p, document) for p in info.attachments]
            with atomic_path(out) as tmp:
                if painted is not None and info.pdf_output == "print":
                    _write_print_from(painted[1], document, tmp, finish)
                else:
                    if _paints_for_print(info):
                        finish = _keeping_painted(document, finish)
                    document.write_pdf(tmp, finisher=finish, **options)
                check_fetches(document)  # what an SVG image asked for while being drawn
    finally:
        document.metadata.attachments = links
    return out


# The screen PDF's pages as WeasyPrint painted them, for the print PDF of the same layout:
# (WeasyPrint's document, its pydyf PDF copied before the screen's finisher changed it).
_painted: list[tuple[Any, Any]] = []


# The WeasyPrint major versions whose PDF writing `_write_print_from` repeats (tested: the test
# compares its print PDF with WeasyPrint's own); another version paints the print PDF anew.
PAINT_ONCE_VERSIONS = ("70",)


def _paints_for_print(info: Any) -> bool:
    """Whether this screen PDF's painted pages serve the print PDF written next: both are asked
    for, the screen PDF is WeasyPrint's plain variant without attachments (whose objects the
    print PDF must not have), and this WeasyPrint writes PDFs as the one tested."""
    import weasyprint

    return (
        info.pdf_output == "screen" and "print" in info.pdf_outputs
        and not info.pdf_variant and not info.attachments
        and weasyprint.__version__.split(".")[0] in PAINT_ONCE_VERSIONS
    )  # fmt: skip


def _keeping_painted(document: Any, finish: Any) -> Any:
    """The screen finisher, after keeping a copy of the PDF as WeasyPrint generated it."""

    def keep_then_finish(doc: Any, pdf: Any) -> None:
        _painted.clear()
        if len(_font_descriptors(pdf)) == len(_vector_fonts(document)):
            _painted.append((document, copy_pdf(pdf)))
        if finish:
            finish(doc, pdf)

    return keep_then_finish


def _write_print_from(pdf: Any, document: Any, target: Path, finish: Any) -> None:
    """Write the print PDF from the screen PDF's painted pages: what `document.write_pdf(target,
    finisher=finish, pdf_variant=PRINT_PDF_VARIANT)` writes, object for object, without painting
    every page a second time (a tenth of the bench edition's build).

    WeasyPrint 70 paints the pages anew for every write_pdf; nothing in its painting depends on
    the variant here (the document was rendered once, with no output intent of its own, and
    PDF/X-1a asks for no tags), so a copy of the screen PDF's objects taken before its finisher
    ran is what that call generates, but for one thing: for a PDF of version 1.4 or older
    (PDF/X-1a's) it gives each embedded font's descriptor a CIDSet (`_add_cid_sets`). Then the
    steps of `write_pdf` after `generate_pdf`: the variant's function (metadata: version keys,
    XMP, dates), the finisher, writing with the variant's PDF version and file identifier
    (weasyprint.pdf.VARIANTS). The objects are numbered otherwise (the CIDSets last), their
    content is the same: tests/test_pdf_variants.py compares the two ways' PDFs object by object."""
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.pdf import VARIANTS

    variant_function, properties = VARIANTS[PRINT_PDF_VARIANT]
    options = {**DEFAULT_OPTIONS, "pdf_variant": PRINT_PDF_VARIANT}
    for key, value in properties.items():
        if options.get(key) is None:
            options[key] = value
    compress = not options["uncompressed_pdf"]
    if str(options["pdf_version"]) <= "1.4":  # (WeasyPrint's own test, in pdf/fonts.py)
        _add_cid_sets(pdf, document, compress)
    variant_function(pdf, document, [], [], compress)
    if finish:
        finish(document, pdf)
    with open(target, "wb") as fd:
        pdf.write(fd, options["pdf_version"], options["pdf_identifier"], compress)


def _vector_fonts(document: Any) -> list[Any]:
    """The document's fonts that get a font descriptor, in the order WeasyPrint writes them."""
    return [font for font in document.fonts.values() if not font.bitmap]


def _font_descriptors(pdf: Any) -> list[Any]:
    """The font descriptors of a generated PDF, in the order of its objects."""
    import pydyf

    return [
        obj for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/FontDescriptor"
    ]  # fmt: skip


def _add_cid_sets(pdf: Any, document: Any, compress: bool) -> None:
    """The CIDSet of each font descriptor, as WeasyPrint 70 writes it for PDF 1.4 and older
    (weasyprint/pdf/fonts.py, `_build_vector_font_dictionary`): one bit per glyph id used."""
    from math import ceil

    import pydyf

    for font, descriptor in zip(_vector_fonts(document), _font_descriptors(pdf), strict=True):
        cids = sorted(font.widths)
        width = ceil((cids[-1] + 1) / 8)
        bits = ["0"] * width * 8
        for cid in cids:
            bits[cid] = "1"
        stream = pydyf.Stream((int("".join(bits), 2).to_bytes(width, "big"),), compress=compress)
        pdf.add_object(stream)
        descriptor["CIDSet"] = stream.reference


def copy_pdf(pdf: Any) -> Any:
    """A copy of a pydyf PDF not yet written: its objects, numbered as they are, their
    dictionaries, arrays and streams new (what a finisher changes), their bytes shared."""
    import copy

    import pydyf

    def value(v: Any) -> Any:
        if isinstance(v, pydyf.Stream):
            out: Any = pydyf.Stream([value(x) for x in v.stream], value(v.extra), v.compress)
        elif isinstance(v, pydyf.Dictionary):
            out = pydyf.Dictionary({k: value(x) for k, x in v.items()})
        elif isinstance(v, pydyf.Array):
            out = pydyf.Array([value(x) for x in v])
        elif isinstance(v, pydyf.String):
            out = pydyf.String(v.string)
        elif isinstance(v, pydyf.Object):
            out = copy.copy(v)
        elif isinstance(v, dict):
            return {k: value(x) for k, x in v.items()}
        elif isinstance(v, list):
            return [value(x) for x in v]
        else:
            return v  # bytes, str, numbers: never changed in place
        out.number, out.generation, out.free, out.offset = v.number, v.generation, v.free, v.offset
        return out

    new = copy.copy(pdf)
    new.objects = [value(obj) for obj in pdf.objects]
    new.pages = new.objects[pdf.pages.number]
    new.catalog = new.objects[pdf.catalog.number]
    new.info = value(pdf.info)
    return new


def _guard(edition: Edition, search_dirs: tuple[Path, ...]) -> Any:
    """What WeasyPrint may read while this edition is laid out and written: the package's and the
    project's layouts, and the files the project declares as attachments (layout.weasy)."""
    return allowed_files(allowed_roots(search_dirs), edition.info.attachments)


def _attachment(path: Path, document: Any) -> Any:
    """A declared file as a PDF attachment, read through the guarded fetcher, dated by its file
    (not by the build: the same inputs make the same PDF)."""
    from datetime import UTC, datetime

    from weasyprint import Attachment

    when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return Attachment(url=path.as_uri(), url_fetcher=document.url_fetcher, name=path.name,
                      created=when, modified=when, relationship="Supplement")  # fmt: skip


# The last layout of an edition that has two PDFs, for the second: (edition, search dirs, document).
_kept: list[tuple[Edition, tuple[Path, ...], Any]] = []


def _layout(edition: Edition, search_dirs: tuple[Path, ...]) -> Any:
    """WeasyPrint's laid-out document of `edition`: the same for its screen and print PDFs (laid
    out with the print bleed, which the screen PDF cuts off), so the two pages match line for line."""
    info = edition.info
    bleed = info.bleed_mm if not info.pdf_outputs or "print" in info.pdf_outputs else 0.0
    key = replace(edition, info=replace(info, pdf_output="", bleed_mm=bleed))
    if _kept and _kept[0][1] == search_dirs and _kept[0][0] == key:
        document = _kept.pop()[2]
    else:
        _kept.clear()
        document = _lay_out(key, search_dirs)
        if len(info.pdf_outputs) > 1:  # kept for the other variant, released when it is written
            _kept.append((key, search_dirs, document))
    return document


def _lay_out(edition: Edition, search_dirs: tuple[Path, ...]) -> Any:
    """Lay the edition out, again while hyphen ladders are too long."""
    import jinja2

    check_glyphs(edition)
    register_dictionaries(edition.info.languages)
    protector = Protector.for_edition(edition, project_words(search_dirs))
    with _weasyprint_logs_to_debug(), _guard(edition, search_dirs), shared_fonts():
        for attempt in range(LAYOUT_PASSES):
            with limited_hyphenation(protector):
                try:
                    document = _render(edition, search_dirs)
                except jinja2.TemplateError as exc:
                    raise template_error(exc) from None
            ladders = ladder_words(document, protector)
            if not ladders:
                break
            # no hyphenate-limit-lines in WeasyPrint: keep the words that made a ladder too
            # long whole and lay out again (see layout.linebreak)
            log.debug(
                "pass %d: %d hyphen ladder(s) too long: %s",
                attempt + 1,
                len(ladders),
                sorted(ladders),
            )
            protector = protector.keeping(ladders)
        _weasyprint_quirks(document)
        document = plan_pages(document)
    return document


def _render(edition: Edition, search_dirs: tuple[Path, ...]) -> Any:
    """WeasyPrint's Document of the edition: the layout's own renderer (core.layouts), else its
    HTML template."""
    special = layouts.get(edition.info.layout).pdf
    if special:
        return formats.load(special)(edition, search_dirs)
    return render_document(*render_html(edition, search_dirs))


def plan_pages(document: Any) -> Any:
    """The page count made a multiple of four, as a saddle-stitched booklet needs: the templates
    end with the colophon (a right page), the back cover (a left page) and two spare blank pages;
    the spares go just before the colophon when the count needs them, else they are left out.
    So a booklet never ends with padding blanks after its back cover."""
    pages = list(document.pages)
    where: dict[str, int] = {}
    for i, page in enumerate(pages):
        for name in page.anchors:
            where.setdefault(name, i)  # (a colophon of two pages names both: its first counts)
    if not {"colophon", "spare-1", "spare-2"} <= where.keys():
        return document  # a project's own template without the end matter
    colophon, spare = where["colophon"], where["spare-1"]
    body, end, spares = pages[:colophon], pages[colophon:spare], pages[spare:]
    if (len(body) + len(end)) % 4:
        body += spares[: (-(len(body) + len(end))) % 4]
    return document.copy(body + end)


def _weasyprint_quirks(document: Any) -> None:
    """Work-arounds for WeasyPrint 70 behaviour, in one place.

    Nothing to patch in the rendered document so far; the known quirks are handled upstream:
    - a table row taller than a page splits, and on the pages where it continues the repeated
      <thead> vanishes: rows.py splits long paragraphs into rows that fit a page;
    - PT Serif lacks U+2010, WeasyPrint's default hyphen: columns.css sets `hyphenate-character`;
    - pyphen has no Kazakh dictionary: layout/hyphenation.py registers generated patterns;
    - no hyphenate-limit-lines, and mis-breaks after inline boxes: layout/linebreak.py.
    """


class _ToDebug(logging.Handler):
    """Pass a library's records on to our logger at DEBUG level."""

    def emit(self, record: logging.LogRecord) -> None:
        log.debug("%s: %s", record.name, record.getMessage())


@contextmanager
def _weasyprint_logs_to_debug() -> Iterator[None]:
    """WeasyPrint's log records and Python warnings (e.g. "HarfBuzz-Subset will be required",
    raised when it is imported) go to our logger at DEBUG level for the duration."""
    handler = _ToDebug()
    saved = []
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.propagate, list(logger.handlers)))
        logger.handlers = [handler]
        logger.propagate = False
        logger.setLevel(logging.DEBUG if log.isEnabledFor(logging.DEBUG) else logging.ERROR)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for warning in caught:
            log.debug("%s: %s", warning.category.__name__, warning.message)
    finally:
        for logger, level, propagate, handlers in saved:
            logger.setLevel(level)
            logger.propagate = propagate
            logger.handlers = handlers
