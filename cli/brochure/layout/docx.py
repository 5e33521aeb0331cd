"""Edition -> DOCX through python-docx (imported here only): the same rows as the PDF.

`columns` is a Word table, one row per unit; `interleaved` is each unit's source paragraph followed
by its translation in paragraph styles of our own ("Translation", "Translation 2": the source's
face, size and colour, a hairline in the margin, as interleaved.css). Every document
is a section of its own, whose running header names it (source language on even pages, the
translation on odd ones) and whose footer numbers the pages.

What makes it hold up in Word and LibreOffice (research/layout.md): a fixed-layout table with one
row per paragraph, as the PDF (paragraphs whole: a row splits where a page ends, so pages fill and
the rows below stay in step), the language labels once at the head of each document as the PDF
sets them (not repeated under the running header of every page), w:lang on every run so each
column hyphenates and spell-checks in its own language, and our own fonts in every style (the
default template's theme fonts fell back to DejaVu). Widow and orphan control (Normal) keeps two
lines at least at the foot and at the head of a page, in a split row as in running text.

As the PDF: the same ragged or justified setting (layout.linebreak.line_breaking), hyphenation on
(w:autoHyphenation, at most two hyphenated lines in a row, no capitalised words), a contents page
whose page numbers Word and LibreOffice compute on opening (PAGEREF fields to bookmarks at the
headings, see _contents); and the fonts embedded (subsets of PT Serif and PT Sans,
obfuscated as ECMA-376 part 1, 17.8.1 asks; SIL OFL allows it) so Word and LibreOffice lay the text
out in the faces it was designed in, not in a substitute.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from brochure.core import languages, layouts
from brochure.core.atomic import atomic_path
from brochure.core.datamodel import Edition
from brochure.core.paths import link_target
from brochure.layout.rows import Cell, Geometry, Row, geometry, linked_runs

SERIF = "PT Serif"
SANS = "PT Sans"
GREY = "666666"
RULE = "999999"
MISSING_RED = "A61B1B"
MISSING_FILL = "FDE4E4"
INDENT_EM = 1.2
# Word's and LibreOffice's single line is the font's ascent + descent (hhea = OS/2 win metrics
# of the shipped faces: 1039 + 286 and 1018 + 276 per 1000), CSS's line-height is of the em: a
# "multiple" of line_height / SINGLE sets the PDF's line pitch (9.5pt x 1.3 = 12.35pt).
SINGLE = {SERIF: 1.325, SANS: 1.294}
HEADING_LINE = 1.2  # common.css: h1-h6 { line-height: 1.2 }
# The interleaved layout keeps a source paragraph of up to this many lines with its translation
# (w:keepNext), and a columns row of up to this many lines in its longest language whole
# (w:cantSplit): with two lines at least at the foot and head of a page (widow control) neither
# can be split anyway, so the PDF moves them whole too. A longer one is not kept: LibreOffice never splits a
# paragraph kept with the next (Word splits it at its last lines), so it moved whole to the next
# page where the PDF splits it, and left the page short. So a page may end between a long source
# and its translation; never at a lone line of either. Measured with LibreOffice 7.4 on the seed
# interleaved DOCX: its one such page end follows a source of 19 lines (p. 8); sources of up to
# 5 or 8 lines kept change nothing, every source kept moves the long ones whole (19 pages, six
# under 85% full, down to 46%). Keeping only a source's last lines would need its last sentence
# in a paragraph of its own, a visible break inside the paragraph; no property does it there.
KEEP_LINES = 3

# Word rejects a file whose property elements are out of schema order (ECMA-376 part 1), so
# elements python-docx does not know are inserted after their predecessors in these sequences.
_TBL_PR = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
]
_R_PR = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
]
_P_PR = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
]
_TC_PR = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders"]
_SETTINGS = [
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
    "updateFields",
]
_FONT = ["altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig",
         "embedRegular", "embedBold", "embedItalic", "embedBoldItalic"]  # fmt: skip
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# The shipped files of each face the document uses: (family, w:embed... element, file).
EMBEDDED = (
    (SERIF, "embedRegular", "PT_Serif-Web-Regular.ttf"),
    (SERIF, "embedBold", "PT_Serif-Web-Bold.ttf"),
    (SERIF, "embedItalic", "PT_Serif-Web-Italic.ttf"),
    (SERIF, "embedBoldItalic", "PT_Serif-Web-BoldItalic.ttf"),
    (SANS, "embedRegular", "PT_Sans-Web-Regular.ttf"),
    (SANS, "embedBold", "PT_Sans-Web-Bold.ttf"),
)
TOC_LEVELS = 2
log = logging.getLogger(__name__)


TRANSLATION_STYLES = ("Translation", "Translation 2")
# The hairline beside a translation, as interleaved.css draws it: (w:val, width in eighths of a
# point) - 0.5pt solid, 0.8pt dotted for a third language - in the text's own black.
TRANSLATION_RULES = (("single", 4), ("dotted", 6))


def write_docx(edition: Edition, out: Path, *, search_dirs: tuple[Path, ...] = ()) -> Path:
    """Lay out `edition` as a DOCX at `out`, written atomically (`search_dirs`: the PDF layouts'
    templates; a DOCX is built in code, so they do not apply)."""
    from brochure.core.errors import LayoutError

    if "docx" not in layouts.get(edition.info.layout).formats:  # project.py checks formats too
        raise LayoutError(f"the {edition.info.layout} layout has no DOCX output: build it as PDF")
    doc = build_document(edition)
    data = _dated_package(doc, doc.core_properties.modified)
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)
    return out


def _dated_package(doc: Any, modified: datetime) -> bytes:
    """The DOCX package with every zip entry dated `modified`, its core properties' date (the
    build's, or SOURCE_DATE_EPOCH: the same inputs then give the same bytes, as the EPUB's);
    python-docx dates the entries with the time of saving, so two builds always differed."""
    import io
    import zipfile

    saved = io.BytesIO()
    doc.save(saved)
    when = modified.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def build_document(edition: Edition) -> Any:
    """The python-docx Document of an edition (for tests, and for write_docx)."""
    import docx
    from docx.shared import Mm

    from brochure.layout.html import WHOLE, document_view, layout_geometry
    from brochure.layout.linebreak import line_breaking, word_chars

    info = edition.info
    interleaved = layouts.get(info.layout).full_width  # one language after the other
    # the PDF's page: its margins, so its measure (one language after the other: 45-75
    # characters, rows.MAX_MEASURE_EM), and its ragged or justified choice for the edition's words
    geo = layout_geometry(edition)
    doc = docx.Document()
    justified = line_breaking(geo, word_chars(edition)).text_align == "justify"
    _styles(doc, geo, justified)
    _page(doc, geo)
    _metadata(doc, edition)

    # The template's one empty paragraph becomes the title block's first line.
    body = doc.element.body
    for p in list(body.iterchildren(_qn("w:p"))):
        body.remove(p)
    _title_block(doc, edition)
    _contents(doc, edition, geo)
    _settings(doc, geo, justified)
    widths = [Mm(w) for w in geo.column_widths_mm]
    marks = Bookmarks()
    for index, aligned in enumerate(edition.documents):
        _document_section(doc, aligned, info.languages, geo, recto=index > 0)
        # Paragraphs whole, as the PDF: a row or a paragraph splits where a page ends.
        view = document_view(aligned, info.languages, WHOLE)
        marks.rows = _contents_rows(view)
        if interleaved:
            _interleaved(doc, view.rows, info.languages, geo, view.heading_shift, marks)
        else:
            _table(doc, view.rows, info.languages, widths, geo, view.heading_shift, marks)
    _colophon(doc, edition)
    _embed_fonts(doc, edition)
    return doc


def _settings(doc: Any, geo: Geometry, justified: bool) -> None:
    """Hyphenation as in the PDF (layout.linebreak), fields updated on opening, fonts embedded."""
    from brochure.layout.linebreak import ZONE_JUSTIFIED, ZONE_RAGGED

    zone = float((ZONE_JUSTIFIED if justified else ZONE_RAGGED).rstrip("%")) / 100
    column_twips = min(geo.column_widths_mm) * 1440 / 25.4
    for name, value in (
        ("embedTrueTypeFonts", None),
        ("saveSubsetFonts", None),
        ("autoHyphenation", "true"),
        ("consecutiveHyphenLimit", "2"),
        ("hyphenationZone", str(round(column_twips * zone))),
        ("doNotHyphenateCaps", "true"),
        ("updateFields", "true"),
    ):
        _setting(doc, name, value)
    # python-docx's template says <w:zoom w:val="bestFit"/> without the w:percent ECMA-376 requires
    # (the schema test found it; Word writes both): a zoom of 100% beside "best fit"
    zoom = doc.settings.element.find(_qn("w:zoom"))
    if zoom is not None and zoom.get(_qn("w:percent")) is None:
        zoom.set(_qn("w:percent"), "100")


def _setting(doc: Any, name: str, value: str | None = None) -> None:
    settings = doc.settings.element
    el = settings.find(_qn(f"w:{name}"))
    if el is None:
        el = _insert(settings, settings.makeelement(_qn(f"w:{name}"), {}), _SETTINGS)
    if value is not None:
        el.set(_qn("w:val"), value)


def _no_hyphens(ppr: Any) -> None:
    """w:suppressAutoHyphens: headings and contents lines are never hyphenated."""
    if ppr.find(_qn("w:suppressAutoHyphens")) is None:
        _insert(ppr, ppr.makeelement(_qn("w:suppressAutoHyphens"), {}), _P_PR)


def _colophon(doc: Any, edition: Edition) -> None:
    """The colophon on a page of its own at the end, without running header or page number: for
    each edition language what the texts were translated from, translators, reviewers, note,
    licence, publisher and date (as the PDF's colophon page, base/base.html.j2)."""
    from docx.enum.section import WD_SECTION
    from docx.shared import Pt

    info = edition.info
    colophon = info.colophon
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    for part in (
        section.header,
        section.even_page_header,
        section.footer,
        section.even_page_footer,
    ):
        part.is_linked_to_previous = False
        for paragraph in part.paragraphs:
            paragraph.text = ""
    for code in info.languages:
        language = languages.get(code)
        locale = language.locale
        title = doc.add_paragraph()
        title.paragraph_format.space_before = Pt(12)
        run = title.add_run(info.title.get(code, ""))
        run.bold = True
        run.font.name = SANS
        _lang(run, locale)
        lines: list[tuple[str, str]] = []
        for aligned in edition.documents:
            if aligned.name in colophon.sources:
                name = aligned.title.get(code) or aligned.name
                lines.append((f"{name}. ", colophon.sources[aligned.name].get(code, "")))
        for key in ("translators", "reviewers"):
            people = [p.get(code, "") for p in getattr(colophon, key)]
            if people:
                lines.append((f"{language.colophon_label(key)}: ", "; ".join(people)))
        if colophon.note.get(code):
            lines.append(("", colophon.note[code]))
        if colophon.licence.get(code):
            lines.append((f"{language.colophon_label('licence')}: ", colophon.licence[code]))
        imprint = ", ".join(x for x in (info.publisher.get(code), info.date.get(code)) if x)
        if imprint:
            lines.append(("", imprint))
        for label, text in lines:
            paragraph = doc.add_paragraph()
            if label:
                run = paragraph.add_run(label)
                run.italic = True
                _lang(run, locale)
            _lang(paragraph.add_run(text), locale)


# --- styles, page, metadata ------------------------------------------------------------------


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _insert(parent: Any, child: Any, order: list[str]) -> Any:
    """Insert `child` right after the last of its schema predecessors present in `parent`."""
    tag = child.tag.rsplit("}", 1)[1]
    before = {_qn(f"w:{t}") for t in order[: order.index(tag)]}
    position = 0
    for i, existing in enumerate(parent):
        if existing.tag in before:
            position = i + 1
    parent.insert(position, child)
    return child


def _set_fonts(rpr: Any, name: str) -> None:
    """Name the font for every script (Latin, Cyrillic via hAnsi, complex, East Asian); no theme fonts."""
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _insert(rpr, rpr.makeelement(_qn("w:rFonts"), {}), _R_PR)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(_qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(_qn(attr), name)


def _styles(doc: Any, geo: Geometry, justified: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    # docDefaults first: anything without a style of its own still gets our font.
    defaults = styles.element.find(_qn("w:docDefaults"))
    rpr_default = defaults.find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
    _set_fonts(rpr_default, SERIF)
    # Every style of the template that names a theme font gets ours instead.
    for fonts in list(styles.element.iter(_qn("w:rFonts"))):
        _set_fonts(fonts.getparent(), SERIF)

    size = Pt(geo.font_pt)
    normal = styles["Normal"]
    normal.font.size = size
    _set_fonts(normal.element.get_or_add_rPr(), SERIF)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = geo.line_height / SINGLE[SERIF]  # the PDF's line pitch (was 15% wider)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if justified else WD_ALIGN_PARAGRAPH.LEFT
    fmt.widow_control = True

    sizes = {1: 1.45, 2: 1.2, 3: 1.05, 4: 1.0, 5: 1.0, 6: 1.0}
    for level, scale in sizes.items():
        style = styles[f"Heading {level}"]
        style.font.size = Pt(round(geo.font_pt * scale * 2) / 2)
        style.font.bold = True
        style.font.italic = level >= 4
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element.get_or_add_rPr(), SANS if level <= 3 else SERIF)
        pf = style.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing = HEADING_LINE / SINGLE[SANS if level <= 3 else SERIF]
        pf.keep_with_next = True
        _no_hyphens(style.element.get_or_add_pPr())

    for name, scale, bold in (("Title", 1.9, True), ("Subtitle", 1.1, False)):
        style = styles[name]
        style.font.size = Pt(round(geo.font_pt * scale))
        style.font.bold = bold
        style.font.italic = not bold
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element.get_or_add_rPr(), SANS if bold else SERIF)
        pf = style.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf.space_before = Pt(0)
        pf.space_after = Pt(geo.font_pt * 0.6)
        # the template draws a rule under Title: our title page has its own layout
        ppr = style.element.get_or_add_pPr()
        for border in ppr.findall(_qn("w:pBdr")):
            ppr.remove(border)

    for name, smaller in (("Header", 1.5), ("Footer", 1)):  # as print.css's page margin boxes
        style = styles[name]
        style.font.size = Pt(round((geo.font_pt - smaller) * 2) / 2)
        _set_fonts(style.element.get_or_add_rPr(), SANS)
    styles["Header"].font.color.rgb = RGBColor.from_string("555555")

    # The translations of the interleaved layout (interleaved.css): the languages have equal
    # status, so a translation is set as its source (Normal's face, size and colour, inherited
    # here, so an editor changes them in one place); only a hairline in the margin tells it
    # apart (outside the text: a translation has the source's measure), and a little space above.
    from docx.enum.style import WD_STYLE_TYPE

    for name, (rule, eighths) in zip(TRANSLATION_STYLES, TRANSLATION_RULES):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.paragraph_format.space_before = Pt(geo.font_pt * 0.3)
        _paragraph_border(style.element.get_or_add_pPr(), "left", rule, "auto",
                          space=round(geo.font_pt * 0.9), size=eighths)  # fmt: skip


def _page(doc: Any, geo: Geometry) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width = Mm(geo.page_mm[0])
    section.page_height = Mm(geo.page_mm[1])
    section.top_margin = Mm(geo.margin_top_mm)
    section.bottom_margin = Mm(geo.margin_bottom_mm)
    section.left_margin = Mm(geo.margin_inner_mm)  # inside margin, with mirrored margins
    section.right_margin = Mm(geo.margin_outer_mm)
    section.header_distance = Mm(geo.margin_top_mm / 2)
    section.footer_distance = Mm(geo.margin_bottom_mm / 2)
    settings = doc.settings.element
    if settings.find(_qn("w:mirrorMargins")) is None:
        _insert(settings, settings.makeelement(_qn("w:mirrorMargins"), {}), _SETTINGS)
    # No page number on the title page.
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")


def _field(
    paragraph: Any, instruction: str, placeholder: str, into: Any = None, dirty: bool = False
) -> None:
    """A complex field (PAGE, NUMPAGES, PAGEREF): begin, instruction, separate, cached result,
    end; its runs at the end of `paragraph`, or moved into `into` (a <w:hyperlink> in it);
    `dirty`: Word recomputes it on opening."""
    runs = _field_start(paragraph, instruction, dirty)
    runs.append(paragraph.add_run(placeholder))
    runs.append(paragraph.add_run())
    runs[-1]._r.append(_fld_char("end"))
    if into is not None:
        for run in runs:
            into.append(run._r)


def _metadata(doc: Any, edition: Edition) -> None:
    """The core properties (docProps/core.xml): title, subject, author, language, generator,
    languages, and the build's date as created and modified (the template's own dates were 23
    December 2013), or SOURCE_DATE_EPOCH when set, as the EPUB's (the same inputs then give the
    same parts)."""
    from brochure.layout.epub import modified_time

    info = edition.info
    source = info.languages[0]
    props = doc.core_properties
    props.title = info.title.get(source) or next(iter(info.title.values()), "")
    props.subject = info.subtitle.get(source, "")
    props.author = info.publisher.get(source, "")
    props.language = languages.get(source).locale
    props.comments = info.generator
    props.keywords = ", ".join(info.languages)
    props.created = props.modified = datetime(*modified_time())  # UTC: written with a Z
    _app_properties(doc, info.generator)


# The extended properties python-docx's template carries that describe another document: the
# application that made it (Microsoft Macintosh Word 14) and its counts (one page, no words, one
# untitled part). Word counts anew when it saves; until then a file manager shows them.
_TEMPLATE_ONLY = ("AppVersion", "TotalTime", "Pages", "Words", "Characters", "CharactersWithSpaces",
                  "Lines", "Paragraphs", "HeadingPairs", "TitlesOfParts")  # fmt: skip


def _app_properties(doc: Any, generator: str) -> None:
    """docProps/app.xml names the generator as its application, without the template's counts.
    python-docx has no API for this part (it keeps the template's bytes): its blob is replaced."""
    from lxml import etree

    part = next((p for p in doc.part.package.iter_parts()
                 if p.partname == "/docProps/app.xml"), None)  # fmt: skip
    if part is None:
        return
    root = etree.fromstring(part.blob)
    ns = etree.QName(root).namespace
    for name in _TEMPLATE_ONLY:
        for el in root.findall(f"{{{ns}}}{name}"):
            root.remove(el)
    application = root.find(f"{{{ns}}}Application")
    if application is None:
        application = etree.SubElement(root, f"{{{ns}}}Application")
    application.text = generator
    root[-1].tail = "\n"  # (the last one removed held the closing tag's line break)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _contents(doc: Any, edition: Edition, geo: Geometry) -> None:
    """The contents on a page of its own when the PDF has one (layout.html.show_contents): the
    headings of levels 1-2 in each language, each linked to its heading with its page number in
    a PAGEREF field, which LibreOffice computes as it lays the document out and Word on opening
    (w:updateFields, and each field marked dirty). Not a TOC field: LibreOffice shows a TOC
    field's entries as they were saved (its page numbers only after Tools > Update), and a
    writer cannot know the pages Word or LibreOffice will set; PAGEREF fields inside a TOC field
    stay unset in LibreOffice too (7.4, tried). Word's "Update Table" is the one thing lost: a
    rebuild writes the contents again."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Pt

    from brochure.layout.html import WHOLE, document_view, show_contents

    info = edition.info
    if not show_contents(edition, geo):
        return
    entries = [e for d in edition.documents for e in document_view(d, info.languages, WHOLE).toc]
    if not entries:
        return
    section = doc.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    title = doc.add_paragraph()
    title.paragraph_format.page_break_before = True
    title.paragraph_format.space_after = Pt(geo.font_pt * 1.2)
    for i, code in enumerate(info.languages):
        run = title.add_run(("  ·  " if i else "") + languages.get(code).contents)
        run.bold = True
        run.font.name = SANS
        run.font.size = Pt(round(geo.font_pt * 1.3))
        _lang(run, languages.get(code).locale)
    styles = {}
    for level in range(1, TOC_LEVELS + 1):
        name = f"toc {level}"  # Word's built-in names: it fills the field with these styles
        try:
            style = doc.styles[name]
        except KeyError:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.paragraph_format.left_indent = Pt(geo.font_pt * INDENT_EM * (level - 1))
        style.paragraph_format.space_after = Pt(geo.font_pt * 0.3)
        style.paragraph_format.alignment = 0  # left
        style.font.bold = level == 1
        _no_hyphens(style.element.get_or_add_pPr())
        style.paragraph_format.tab_stops.clear_all()
        style.paragraph_format.tab_stops.add_tab_stop(
            width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        styles[level] = style
    lines = [
        (entry, code, entry.texts[code])
        for entry in entries
        for code in info.languages
        if entry.texts.get(code)
    ]
    for entry, code, text in lines:
        p = doc.add_paragraph(style=styles[min(entry.level, TOC_LEVELS)])
        # each entry as Word writes the entries of its own contents: a link to the heading's
        # bookmark, a tab (to the right margin, with dot leaders) and a PAGEREF field
        name = bookmark_name(entry.target, code)
        link = _hyperlink(p, bookmark=name)
        for run in (p.add_run(text), p.add_run("\t")):
            _lang(run, languages.get(code).locale)
            link.append(run._r)
        _field(p, f"PAGEREF {name} \\h", "", into=link, dirty=True)


def _fld_char(kind: str, dirty: bool = True) -> Any:
    from docx.oxml import OxmlElement

    el = OxmlElement("w:fldChar")
    el.set(_qn("w:fldCharType"), kind)
    if kind == "begin" and dirty:
        el.set(_qn("w:dirty"), "true")  # Word recomputes it on opening
    return el


def _field_start(paragraph: Any, instruction: str, dirty: bool = True) -> list[Any]:
    """The begin, instruction and separate parts of a complex field whose result follows
    (`dirty`: Word recomputes it on opening); their runs."""
    from docx.oxml import OxmlElement

    runs = [paragraph.add_run() for _ in range(3)]
    runs[0]._r.append(_fld_char("begin", dirty))
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    runs[1]._r.append(instr)
    runs[2]._r.append(_fld_char("separate"))
    return runs


def _embed_fonts(doc: Any, edition: Edition) -> None:
    """Embed the faces of PT Serif and PT Sans, subset to the edition's characters, obfuscated
    (ECMA-376 part 1, 17.8.1) in word/fonts/, named in fontTable.xml."""
    import hashlib
    import uuid

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    from brochure.layout.fonts import font_subset, subset_characters

    table = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = etree.fromstring(table.blob)
    chars = subset_characters(edition)
    for n, (family, element, file) in enumerate(EMBEDDED, start=1):
        data = bytearray(font_subset(file, chars))
        key = uuid.UUID(bytes=hashlib.sha256(bytes(data)).digest()[:16])  # reproducible builds
        guid = "{" + str(key).upper() + "}"
        secret = bytes.fromhex(guid.strip("{}").replace("-", ""))[::-1]
        for i in range(32):
            data[i] ^= secret[i % 16]
        part = Part(
            PackURI(f"/word/fonts/font{n}.odttf"), OBFUSCATED_FONT, bytes(data), doc.part.package
        )
        rid = table.relate_to(part, RT.FONT)
        entry = _font_entry(root, family)
        embed = etree.Element(_qn(f"w:{element}"))
        embed.set(_qn("r:id"), rid)
        embed.set(_qn("w:fontKey"), guid)
        _insert(entry, embed, _FONT)
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font_entry(root: Any, family: str) -> Any:
    """The fontTable's w:font of a family, added (TrueType, variable pitch) when missing."""
    from lxml import etree

    for font in root.iterchildren(_qn("w:font")):
        if font.get(_qn("w:name")) == family:
            return font
    font = etree.SubElement(root, _qn("w:font"))
    font.set(_qn("w:name"), family)
    for name, value in (("charset", "CC"), ("family", "roman" if family == SERIF else "swiss"),
                        ("pitch", "variable")):  # fmt: skip
        el = etree.SubElement(font, _qn(f"w:{name}"))
        el.set(_qn("w:val"), value)
    return font


# --- content ---------------------------------------------------------------------------------


def _title_block(doc: Any, edition: Edition) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from brochure.layout.typography import keep_last_words

    info = edition.info
    geo_pt = geometry(info.page_size, len(info.languages)).font_pt
    first = True
    for code in info.languages:
        locale = languages.get(code).locale
        title = info.title.get(code)
        if not title:
            continue
        p = doc.add_paragraph(style="Title")
        p.paragraph_format.space_before = Pt(geo_pt * (8 if first else 2.5))
        _lang(p.add_run(keep_last_words(title)), locale)  # as the PDF's cover
        if info.subtitle.get(code):
            subtitle = keep_last_words(info.subtitle[code])
            _lang(doc.add_paragraph(style="Subtitle").add_run(subtitle), locale)
        first = False
    for i, (line, code) in enumerate(info.imprint()):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(geo_pt * 3 if i == 0 else 0)
        run = p.add_run(line)
        run.font.name = SANS
        _lang(run, languages.get(code).locale)
    if info.draft:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(geo_pt * 3)
        run = p.add_run("DRAFT")
        run.bold = True
        _color(run, MISSING_RED)
    # each document starts a section of its own on a new page (_document_section)


def _document_section(
    doc: Any, aligned: Any, langs: tuple[str, ...], geo: Geometry, recto: bool = False
) -> None:
    """A new section (on a new page; on an odd, right-hand page when `recto`, as the PDF starts a
    second document) for a document: the running header names the document, in the source on
    even (left) pages and in the translation on odd (right) pages; page numbers below."""
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.add_section(WD_SECTION.ODD_PAGE if recto else WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    source = _first_text(aligned.title, langs) or aligned.name
    titles = [aligned.title.get(lang) or source for lang in langs]
    right = titles[1] if len(titles) > 1 else titles[0]
    for header, text, align, lang in (
        (section.header, right, WD_ALIGN_PARAGRAPH.RIGHT, langs[1] if len(langs) > 1 else langs[0]),
        (section.even_page_header, titles[0], WD_ALIGN_PARAGRAPH.LEFT, langs[0]),
    ):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.text = ""
        p.alignment = align
        _lang(p.add_run(text), languages.get(lang).locale)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        if not p.runs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _field(p, "PAGE", "1")


def _first_text(texts: dict[str, str], langs: tuple[str, ...]) -> str:
    return next((texts[lang] for lang in langs if texts.get(lang)), "")


def _interleaved(
    doc: Any, rows: list[Row], langs: tuple[str, ...], geo: Geometry, shift: int,
    marks: Bookmarks,
) -> None:  # fmt: skip
    """Each unit's source paragraph, then its translations in the Translation styles."""
    from docx.shared import Pt

    for index, row in enumerate(rows):
        for n, cell in enumerate(row.cells):
            p = doc.add_paragraph()
            _cell_paragraph(p, row, cell, geo, shift)
            marks.place(p, index, cell.lang)
            fmt = p.paragraph_format
            if n == 0:
                # the source stays with its translation where the PDF keeps it whole with it
                fmt.keep_with_next = row.kind == "heading" or _lines(cell, geo) <= KEEP_LINES
                if row.first and row.kind == "heading":
                    fmt.space_before = Pt(geo.font_pt * (0.4 if index == 0 else 1.4))
                elif row.first:
                    fmt.space_before = Pt(geo.font_pt * (0.35 if row.kind == "list_item" else 0.75))
                else:
                    fmt.space_before = Pt(geo.font_pt * 0.35)
                continue
            if row.kind == "heading":
                # a translated heading: the source's heading style, no rule (interleaved.css)
                fmt.space_before = Pt(geo.font_pt * 0.2)
                fmt.keep_with_next = True
                continue
            # a list item keeps its own indent (the rule is in the margin)
            p.style = TRANSLATION_STYLES[min(n, len(TRANSLATION_STYLES)) - 1]


def _lines(cell: Cell, geo: Geometry) -> int:
    """About how many lines a cell's text takes at the edition's measure (no fewer)."""
    return -(-len(cell.plain) // geo.chars_per_line)


def _paragraph_border(
    ppr: Any, side: str, val: str, color: str, space: int = 6, size: int = 8
) -> None:
    """A rule on one side of a paragraph, `size` eighths of a point wide, `space` points from its
    text (Word draws it outside the paragraph's indent: in the margin when the indent is 0)."""
    from docx.oxml import OxmlElement

    borders = ppr.find(_qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        _insert(ppr, borders, _P_PR)
    el = OxmlElement(f"w:{side}")
    for k, v in (("w:val", val), ("w:sz", str(size)), ("w:space", str(space)), ("w:color", color)):
        el.set(_qn(k), v)
    borders.append(el)


def _page_break(doc: Any) -> None:
    """An empty one-point paragraph that starts a new page: Word needs a paragraph between tables."""
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.page_break_before = True
    p.paragraph_format.line_spacing = Pt(1)
    p.add_run().font.size = Pt(1)


class Bookmarks:
    """The bookmarks the contents' entries point at: one where each entry's heading starts, in
    each language (Word's own contents name theirs _Toc..., hidden from its bookmark list)."""

    def __init__(self) -> None:
        self.rows: dict[int, str] = {}  # the current document's row index -> the entry's target
        self.next_id = 1

    def place(self, paragraph: Any, index: int, lang: str) -> None:
        """A bookmark at the start of `paragraph` (row `index`, in `lang`) if an entry points there."""
        from docx.oxml import OxmlElement

        target = self.rows.get(index)
        if target is None:
            return
        p = paragraph._p
        at = 0 if p.pPr is None else p.index(p.pPr) + 1
        for offset, kind in enumerate(("w:bookmarkStart", "w:bookmarkEnd")):
            el = OxmlElement(kind)
            el.set(_qn("w:id"), str(self.next_id))
            if kind == "w:bookmarkStart":
                el.set(_qn("w:name"), bookmark_name(target, lang))
            p.insert(at + offset, el)
        self.next_id += 1


def bookmark_name(target: str, lang: str) -> str:
    """The bookmark of a contents entry's heading in one language: "_Toc" and 16 hex digits (a
    name may have 40 characters; the HTML anchor it stands for may be longer)."""
    return "_Toc" + hashlib.sha1(f"{target}|{lang}".encode()).hexdigest()[:16]


def _contents_rows(view: Any) -> dict[int, str]:
    """Which of a document's rows the contents point at: its headings of levels 1-2 (their first
    row), or its first row for a document without headings (its entry is the document's title)."""
    targets = {entry.target for entry in view.toc}
    rows = {
        i: view.anchor(row)
        for i, row in enumerate(view.rows)
        if row.kind == "heading" and row.first and view.anchor(row) in targets
    }
    if f"doc-{view.name}" in targets and view.rows:
        rows.setdefault(0, f"doc-{view.name}")
    return rows


def _table(
    doc: Any, rows: list[Row], langs: tuple[str, ...], widths: list[Any], geo: Geometry,
    shift: int, marks: Bookmarks,
) -> None:  # fmt: skip
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    table = doc.add_table(rows=0, cols=len(langs))
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_pr.get_or_add_tblLayout().set(_qn("w:type"), "fixed")
    # A thin rule between the columns; the gutter as cell margins.
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH"):
        el = OxmlElement(f"w:{side}")
        el.set(_qn("w:val"), "nil")
        borders.append(el)
    inside = OxmlElement("w:insideV")
    for k, v in (("w:val", "single"), ("w:sz", "3"), ("w:space", "0"), ("w:color", "BBBBBB")):
        inside.set(_qn(k), v)
    borders.append(inside)
    _insert(tbl_pr, borders, _TBL_PR)
    margins = OxmlElement("w:tblCellMar")
    half = str(int(Mm(geo.gutter_mm / 2).twips))
    for side, value in (("top", "0"), ("left", half), ("bottom", "0"), ("right", half)):
        el = OxmlElement(f"w:{side}")
        el.set(_qn("w:w"), value)
        el.set(_qn("w:type"), "dxa")
        margins.append(el)
    _insert(tbl_pr, margins, _TBL_PR)
    for col, width in zip(table.columns, widths):
        col.width = width

    # The language labels head the document once (columns.css: the running header says which
    # side is which on the pages after), kept with the first row.
    header = table.add_row()
    _row_flags(header, split=False)
    for cell, code, width in zip(header.cells, langs, widths):
        cell.width = width
        p = cell.paragraphs[0]
        p.alignment = 0  # left
        p.paragraph_format.space_after = Pt(geo.font_pt * 0.3)
        p.paragraph_format.keep_with_next = True
        run = p.add_run(languages.get(code).column_label.upper())
        run.bold = True
        run.font.name = SANS
        run.font.size = Pt(geo.font_pt - 2)
        _color(run, "444444")
        _lang(run, languages.get(code).locale)
        _cell_border(cell, "bottom", "666666")

    spacing = Pt(geo.font_pt * 0.6)
    for index, row in enumerate(rows):
        tr = table.add_row()
        # a row too short to split with two lines at least on each side moves whole, as in the PDF
        longest = max(_lines(c, geo) for c in row.cells)
        _row_flags(tr, split=row.kind != "heading" and longest > KEEP_LINES)
        for cell, data, width in zip(tr.cells, row.cells, widths):
            cell.width = width
            p = cell.paragraphs[0]
            _cell_paragraph(p, row, data, geo, shift)
            marks.place(p, index, data.lang)
            if row.first:
                if row.kind == "heading":
                    p.paragraph_format.space_before = Pt(geo.font_pt * (0.8 if index == 0 else 1.3))
                    p.paragraph_format.space_after = Pt(geo.font_pt * 0.2)
                elif row.kind == "list_item":
                    p.paragraph_format.space_before = Pt(geo.font_pt * 0.3)
                else:
                    p.paragraph_format.space_before = spacing


def _row_flags(row: Any, *, split: bool) -> None:
    """A row of running text splits where a page ends (as the PDF cuts a paragraph there: the
    page fills, and the next row still starts level in every column); the labels, a heading and
    a short row do not (w:cantSplit). Word keeps two lines at least on each side of the split
    (widow control); LibreOffice turns widow and orphan control (and keep-with-next) off in any
    row that may split (sw/source/core/text/widorp.cxx, "for compatibility reasons"; newer
    versions keep it in the cells of a floating table only, which 7.x cannot break across pages),
    so there a split row can leave a lone line at the foot or head of a page: the seed en|ru DOCX
    through LibreOffice 7.4, p. 15 "have been killed.", en|kk pp. 11 and 13, en|ru|kk p. 14
    "country!" (outputs.proof of the conversion lists them). Tried: rows of up to 4, 5 or 6 lines kept whole change none of them
    (they are rows of 6-10 lines) and cost fill; a long row cut into rows at a sentence end shows
    the cut as a paragraph break in the shorter column (issue 12's review)."""
    from docx.oxml import OxmlElement

    if not split:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _cell_border(cell: Any, side: str, color: str) -> None:
    from docx.oxml import OxmlElement

    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    el = OxmlElement(f"w:{side}")
    for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", color)):
        el.set(_qn(k), v)
    borders.append(el)
    _insert(tc_pr, borders, _TC_PR)


def _cell_paragraph(p: Any, row: Row, cell: Cell, geo: Geometry, shift: int) -> None:
    from docx.shared import Pt

    locale = languages.get(cell.lang).locale
    fmt = p.paragraph_format
    indent = Pt(geo.font_pt * INDENT_EM)
    if row.kind == "heading":
        p.style = f"Heading {min(6, max(1, row.level - shift))}"
    elif row.kind == "list_item":
        left = Pt(geo.font_pt * INDENT_EM * (row.level + 1))
        fmt.left_indent = left
        fmt.first_line_indent = -indent if row.marker else None
        fmt.tab_stops.add_tab_stop(left)
        if row.marker:
            _lang(p.add_run(f"{row.marker}\t"), locale)
    elif row.kind == "quote":
        fmt.left_indent = indent
        fmt.right_indent = Pt(geo.font_pt * INDENT_EM / 2)
    if row.keep_with_next:
        fmt.keep_with_next = True
    for n, piece in enumerate(cell.pieces):
        if n:
            _lang(p.add_run(" "), locale)
        if piece.text is None:
            run = p.add_run(f"[missing translation {piece.segment_id}]")
            run.font.name = SANS
            run.font.size = Pt(geo.font_pt * 0.8)
            _color(run, MISSING_RED)
            _shade(run, MISSING_FILL)
            _lang(run, "en-US")
            continue
        link: tuple[str, Any] | None = None  # the open <w:hyperlink> and its target
        for text, kinds, target in linked_runs(piece.text):
            run = p.add_run(text)
            if target and link_target(target):
                if link is None or link[0] != target:
                    link = (target, _hyperlink(p, target))
                link[1].append(run._r)  # moved from the paragraph into the link
            else:
                link = None
            if "em" in kinds:
                run.italic = True
            if "strong" in kinds:
                run.bold = True
            if "note" in kinds:
                run.font.size = Pt(round(geo.font_pt * 0.85 * 2) / 2)
                _color(run, GREY)
            _lang(run, locale)


def _hyperlink(paragraph: Any, target: str = "", *, bookmark: str = "") -> Any:
    """A new <w:hyperlink> at the end of `paragraph`, for the runs of its text: to the external
    `target` (a relationship of the document part) or to a `bookmark` of the document; Word and
    LibreOffice follow it on a click."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement

    link = OxmlElement("w:hyperlink")
    if bookmark:
        link.set(_qn("w:anchor"), bookmark)
    else:
        link.set(_qn("r:id"), paragraph.part.relate_to(target, RT.HYPERLINK, is_external=True))
    link.set(_qn("w:history"), "1")
    paragraph._p.append(link)
    return link


def _lang(run: Any, locale: str) -> None:
    """w:lang on the run: Word and LibreOffice hyphenate and spell-check it in that language."""
    from docx.oxml import OxmlElement

    rpr = run._r.get_or_add_rPr()
    lang = rpr.find(_qn("w:lang"))
    if lang is None:
        lang = _insert(rpr, OxmlElement("w:lang"), _R_PR)
    lang.set(_qn("w:val"), locale)


def _color(run: Any, hex_rgb: str) -> None:
    from docx.shared import RGBColor

    run.font.color.rgb = RGBColor.from_string(hex_rgb)


def _shade(run: Any, fill: str) -> None:
    from docx.oxml import OxmlElement

    shd = OxmlElement("w:shd")
    shd.set(_qn("w:val"), "clear")
    shd.set(_qn("w:color"), "auto")
    shd.set(_qn("w:fill"), fill)
    _insert(run._r.get_or_add_rPr(), shd, _R_PR)
