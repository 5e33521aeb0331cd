"""The interleaved layout (PDF and DOCX), edition keys for print, and a project's own layouts."""

from __future__ import annotations

import re
from dataclasses import replace

import pypdf
import pytest
from brochure.core.errors import ProjectError
from brochure.core.project import load_project
from brochure.layout import render
from brochure.layout.docx import build_document
from brochure.layout.html import render_html
from conftest import write_project
from editions import block, document, edition, heading, marked_seg, marker, seg

LANGS = ("en", "ru")


def _edition(langs=LANGS):
    blocks = [heading({"en": "Main heading", "ru": "Главный заголовок", "kk": "Басты тақырып"})]
    for n in range(1, 21):
        if n == 8:
            blocks.append(
                heading(
                    {"en": "Second section", "ru": "Второй раздел", "kk": "Екінші бөлім"}, level=2
                )
            )
        if n == 12:
            blocks.append(
                block(
                    "list_item", seg({"en": "a point", "ru": "пункт", "kk": "тармақ"}), ordered=True
                )
            )
        blocks.append(block("paragraph", marked_seg(n, langs, repeat=1 + n % 4)))
    e = edition(document("doc", *blocks), langs=langs)
    return replace(e, info=replace(e.info, layout="interleaved"))


def test_each_unit_is_followed_by_its_translation(tmp_path):
    out = render(_edition(), "pdf", tmp_path / "i.pdf")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(out).pages)
    positions = []
    for n in range(1, 21):
        en, ru = text.index(marker("en", n)), text.index(marker("ru", n))
        assert en < ru, f"{marker('ru', n)} comes before its source"
        positions += [en, ru]
    assert positions == sorted(positions), (
        "units out of order or a translation away from its source"
    )


def test_html_styles_the_languages_apart():
    html, _ = render_html(_edition(("en", "ru", "kk")))
    assert re.search(r'<div class="lang l0" lang="en"><p>E001', html)
    assert re.search(r'<div class="lang l1" lang="ru"><p>Ж001', html)
    assert re.search(r'<div class="lang l2" lang="kk"><p>Қ001', html)
    assert ".lang.l1, .lang.l2 {" in html and "<table" not in html


def test_docx_interleaved_styles_languages_headers_and_footers():
    doc = build_document(_edition())
    body = [p for p in doc.paragraphs if p.text.strip()]
    e1 = next(i for i, p in enumerate(body) if p.text.startswith("E001"))
    assert body[e1 + 1].text.startswith("Ж001") and body[e1 + 1].style.name == "Translation"
    assert body[e1].paragraph_format.keep_with_next
    langs = {
        r.element.rPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang"
        ).get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
        for r in body[e1 + 1].runs
    }
    assert langs == {"ru-RU"}
    style = doc.styles["Translation"]
    rpr = style.element.rPr
    fonts = (
        None
        if rpr is None
        else rpr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    )
    assert fonts is None or "asciiTheme" not in str(fonts.attrib)  # the source's font, inherited
    section = doc.sections[-2]  # the document's; the last is the colophon's
    assert doc.settings.odd_and_even_pages_header_footer
    assert section.header.paragraphs[0].text == "Главный заголовок"
    assert section.even_page_header.paragraphs[0].text == "Main heading"
    for footer in (section.footer, section.even_page_footer):
        assert "PAGE" in footer._element.xml
    assert (
        not any(p.text.startswith("E001") for p in doc.tables[0].rows[0].cells[0].paragraphs)
        if doc.tables
        else True
    )


def test_docx_interleaved_keeps_a_source_with_its_translation_only_where_the_pdf_does():
    """A source of three lines at most is kept with its translation (w:keepNext): with two lines
    at least at the foot and head of a page it cannot be split, so the PDF moves it whole too. A
    longer one is not: LibreOffice moves a paragraph kept with the next whole to the next page
    (the PDF splits it there) and left the page short. Paragraphs whole, as the PDF."""
    e = _edition()
    long = block("paragraph", *(marked_seg(100 + k, LANGS, repeat=2) for k in range(12)))
    doc_ = replace(e.documents[0], blocks=(*e.documents[0].blocks, long))
    doc = build_document(replace(e, documents=(doc_,)))
    body = [p for p in doc.paragraphs if p.text.strip()]
    sources = [p for p in body if re.match(r"E\d{3}", p.text)]
    assert len(sources) == 21  # the 12 sentences in one paragraph
    kept = {p.text[:4]: bool(p.paragraph_format.keep_with_next) for p in sources}
    # E001: 2 lines, E004: 1 line; E003: 5 lines (4 x 65 characters at 63 a line); the long one
    assert (kept["E001"], kept["E004"], kept["E003"], kept["E100"]) == (True, True, False, False)
    assert "E111" in sources[-1].text
    assert not any(p.paragraph_format.keep_with_next for p in body if p.style.name == "Translation")
    assert doc.styles[
        "Normal"
    ].paragraph_format.widow_control  # no lone line at a page's foot or head


def test_docx_columns_has_running_headers_too():
    e = _edition()
    doc = build_document(replace(e, info=replace(e.info, layout="columns")))
    assert len(doc.tables) == 1
    assert doc.sections[-2].even_page_header.paragraphs[0].text == "Main heading"


# --- edition keys ------------------------------------------------------------------------------

BASE = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["t.md"]\n'


def _project(tmp_path, editions: str):
    return write_project(tmp_path / "p", BASE + editions, {"t.md": "# T\n\nText.\n"})


def test_print_keys_are_read(tmp_path):
    folder = _project(tmp_path, (
        '[[editions]]\nlanguages = ["en", "ru"]\nlayout = "facing"\nbleed = "5mm"\npdf_variant = "pdf/a-3b"\n'
        '[[editions]]\nlanguages = ["en", "ru"]\nlayout = "interleaved"\nbleed = "0mm"\n'
        '[[editions]]\nlanguages = ["en", "ru"]\n'
    ))  # fmt: skip
    facing, interleaved, columns = load_project(folder).editions
    assert (facing.bleed, facing.pdf_variant, facing.formats, facing.name) == (
        5.0,
        "pdf/a-3b",
        ("pdf",),
        "en-ru-facing",
    )
    assert (interleaved.bleed, interleaved.formats) == (0.0, ("pdf", "docx"))
    assert columns.bleed == 3.0 and columns.pdf_variant == ""


def test_print_keys_are_validated(tmp_path):
    folder = _project(tmp_path, (
        '[[editions]]\nlanguages = ["en", "ru"]\nlayout = "facing"\nformats = ["pdf", "docx"]\n'
        '[[editions]]\nlanguages = ["en", "ru"]\nbleed = "3cm"\npdf_variant = "pdf/x-4"\noutput = "x"\n'
    ))  # fmt: skip
    with pytest.raises(ProjectError) as caught:
        load_project(folder)
    message = str(caught.value)
    assert 'editions[0].formats: the facing layout has no DOCX output: formats = ["pdf"]' in message
    assert (
        'editions[1].bleed: must be a length from "0mm" (no bleed) to "10mm", got \'3cm\''
        in message
    )
    assert "editions[1].pdf_variant: unknown PDF variant 'pdf/x-4' (known: pdf/a-3b)" in message


# --- a project's own layouts (the README's worked example) -----------------------------------

README_EXAMPLE = """\
{% include "builtin/columns/columns.css" %}
/* this brochure: larger type */
html { font-size: 11pt; }
"""


def test_readme_example_overrides_the_builtin_stylesheet(tmp_path, invoke):
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert README_EXAMPLE in readme, "the README's worked example changed: update this test"
    folder = _project(tmp_path, '[[editions]]\nlanguages = ["en", "ru"]\nformats = ["pdf"]\n')
    (folder / "layouts" / "columns").mkdir(parents=True)
    (folder / "layouts" / "columns" / "columns.css").write_text(README_EXAMPLE, encoding="utf-8")
    columns = replace(_edition(), info=replace(_edition().info, layout="columns"))
    html, _ = render_html(columns, (folder / "layouts",))
    assert (
        "html { font-size: 11pt; }" in html and "table.columns {" in html
    )  # ours, after the built-in
    result = invoke("build", folder, "--draft", "--no-mt")
    assert result.exit_code == 0, result.output
    pypdfium2 = pytest.importorskip("pypdfium2")
    pdf = pypdfium2.PdfDocument(str(folder / "build" / "p.en-ru.pdf"))
    textpage = pdf[1].get_textpage()  # a short text: no contents page
    start, _ = textpage.search("Text.").get_next()
    size = pypdfium2.raw.FPDFText_GetFontSize(textpage.raw, start)
    pdf.close()
    # WeasyPrint draws at 0.75 scale: pdfium reports the size in CSS px (the built-in is 9.5 pt)
    assert size * 0.75 == pytest.approx(11, abs=0.2)


def test_extra_css_adds_to_a_builtin_layout(tmp_path):
    folder = tmp_path / "layouts" / "interleaved"
    folder.mkdir(parents=True)
    (folder / "extra.css").write_text(".lang.l1 { color: #123456; }\n", encoding="utf-8")
    html, _ = render_html(_edition(), (tmp_path / "layouts",))
    assert html.index(".lang.l1 { color: #123456; }") > html.index(".lang.l1, .lang.l2 {")
