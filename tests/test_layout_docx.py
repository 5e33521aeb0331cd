"""The columns layout as DOCX, reopened with python-docx."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from brochure.layout import render
from brochure.layout.html import WHOLE
from brochure.layout.rows import document_rows
from brochure.layout.typography import NBSP, typeset_edition
from docx.oxml.ns import qn
from docx.shared import Mm
from editions import block, document, edition, heading, marked_seg, paragraph, seg, text

LANGS = ("en", "ru", "kk")
MISSING_ID = "s0000000cafe1"


def _document():
    return document(
        "main",
        heading({"en": "Main heading", "ru": "Главный заголовок", "kk": "Басты тақырып"}),
        paragraph(1, LANGS),
        block(
            "paragraph",
            seg({
                "en": text("Plain emphasis strong [a note]", (6, 14, "em"), (15, 21, "strong"), (22, 30, "note")),
                "ru": "Простой текст.",
                "kk": None,
            }, sid=MISSING_ID),
        ),
        block("list_item", marked_seg(2, LANGS), ordered=True),
        block("list_item", marked_seg(3, LANGS), ordered=True),
        block("quote", marked_seg(4, LANGS)),
        paragraph(10, LANGS, sentences=30, repeat=2),
    )  # fmt: skip


EDITION = edition(
    _document(),
    document("second", paragraph(50, LANGS), title={"en": "Second"}),
    langs=LANGS,
    draft=True,
)


@pytest.fixture(scope="module")
def path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "edition.docx"
    assert render(EDITION, "docx", out) == out
    return out


@pytest.fixture(scope="module")
def doc(path):
    return docx.Document(str(path))


def test_one_table_per_document_one_row_per_paragraph_in_order(doc):
    """Paragraphs whole, as the PDF: the 30-sentence paragraph is one row (it splits where a page
    ends), not several rows cut at sentences."""
    assert len(doc.tables) == 2
    # the DOCX prints the text after the typography stage (no-break spaces, quotes, dashes)
    printed = typeset_edition(EDITION, thin=NBSP).documents[0]
    expected = document_rows(printed, LANGS, WHOLE)
    assert len(expected) == len(printed.blocks) == 7
    table = doc.tables[0]
    assert len(table.rows) == 1 + len(expected)
    for row, want in zip(table.rows[1:], expected):
        got = [c.text for c in row.cells]
        for cell_text, cell in zip(got, want.cells):
            if not cell.missing:
                assert cell.plain in cell_text
    assert [c.text for c in table.rows[0].cells] == ["ENGLISH", "РУССКИЙ", "ҚАЗАҚША"]


def test_labels_once_per_document_and_long_rows_split_where_a_page_ends(doc):
    """As the PDF: the language labels head each document once (they were repeated on every page,
    w:tblHeader) and stay with its first row; a paragraph's row splits where a page ends (it never
    did, w:cantSplit, and pages ended early), a heading or a row of three lines at most does not."""
    for table in doc.tables:
        rows = table.rows
        assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows)
        assert all(p.paragraph_format.keep_with_next for c in rows[0].cells for p in c.paragraphs)

    def splits(row):
        return row._tr.trPr is None or row._tr.trPr.find(qn("w:cantSplit")) is None

    rows = doc.tables[0].rows
    labels, title, short, long = rows[0], rows[1], rows[3], rows[-1]  # short: two lines at most
    assert [splits(r) for r in (labels, title, short, long)] == [False, False, False, True]
    assert "E039" in rows[-1].cells[0].text  # the 30 sentences in one row
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_runs_carry_their_language(doc):
    locales = ["en-US", "ru-RU", "kk-KZ"]
    for row in doc.tables[0].rows[1:]:
        for cell, locale in zip(row.cells, locales):
            for run in (r for p in cell.paragraphs for r in p.runs):
                lang = run._r.rPr.find(qn("w:lang"))
                assert lang is not None, f"run without w:lang: {run.text!r}"
                if "missing translation" not in run.text:
                    assert lang.get(qn("w:val")) == locale


def test_page_size_margins_and_page_numbers(doc):
    section = doc.sections[0]
    assert section.page_width == pytest.approx(Mm(148), abs=Mm(0.1))
    assert section.page_height == pytest.approx(Mm(210), abs=Mm(0.1))
    assert section.left_margin > Mm(10) and section.top_margin > Mm(10)
    footer = section.footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    assert doc.settings.element.find(qn("w:mirrorMargins")) is not None


def test_fonts_are_ours_not_theme_fonts(doc):
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        assert not any("Theme" in k or "theme" in k for k in fonts.attrib), fonts.attrib
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        assert normal.get(qn(attr)) == "PT Serif"
    heading = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading.get(qn("w:hAnsi")) == "PT Sans"


def test_headings_formatting_and_missing_translation(doc):
    rows = doc.tables[0].rows
    assert rows[1].cells[0].paragraphs[0].style.name == "Heading 1"
    assert rows[1].cells[0].paragraphs[0].paragraph_format.keep_with_next
    runs = {r.text: r for r in rows[3].cells[0].paragraphs[0].runs}
    assert (
        runs["emphasis"].italic
        and runs["strong"].bold
        and runs["[a\u00a0note]"].font.size is not None
    )
    missing = rows[3].cells[2].text
    assert missing == f"[missing translation {MISSING_ID}]"
    run = rows[3].cells[2].paragraphs[0].runs[0]
    assert str(run.font.color.rgb) == "A61B1B"


def test_list_markers(doc):
    rows = doc.tables[0].rows
    assert rows[4].cells[0].text.startswith("1.\tE002")
    assert rows[5].cells[1].text.startswith("2.\tЖ003")


def test_title_block_and_core_properties(doc):
    text = "\n".join(p.text for p in doc.paragraphs)
    for needle in (
        "Test brochure",
        "Пробная брошюра",
        "Сынақ кітапшасы",
        "Test Publisher",
        "DRAFT",
    ):
        assert needle in text
    props = doc.core_properties
    assert props.title == "Test brochure"
    assert props.author == "Test Publisher"
    assert props.language == "en-US"
    assert props.comments == "brochure test-suite"


def test_the_core_properties_dates_are_the_builds_not_the_templates(tmp_path, monkeypatch):
    """dcterms:created and dcterms:modified say when the DOCX was made (python-docx's template
    said 23 December 2013), or SOURCE_DATE_EPOCH when set, as the EPUB's date: the same inputs
    then give the same file."""
    from datetime import UTC, datetime, timedelta

    small = edition(document("d", paragraph(1, ("en", "ru"))))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(UTC).replace(microsecond=0)
    props = docx.Document(str(render(small, "docx", tmp_path / "now.docx"))).core_properties
    after = datetime.now(UTC)
    for when in (props.created, props.modified):
        assert before <= when.replace(tzinfo=UTC) <= after + timedelta(seconds=1), when
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    props = docx.Document(str(render(small, "docx", tmp_path / "fixed.docx"))).core_properties
    assert props.created == props.modified == datetime(2026, 1, 1, tzinfo=UTC)


def test_the_extended_properties_name_brochure_not_the_templates_word(path):
    """docProps/app.xml said python-docx's template's: made by Microsoft Macintosh Word 14, one
    page, no words, one untitled part (shown by file managers and Word's Properties until Word
    saves the file again). It names the generator now, and claims no counts it did not make."""
    import zipfile

    from lxml import etree

    app = etree.fromstring(zipfile.ZipFile(path).read("docProps/app.xml"))
    found = {etree.QName(el).localname: el.text for el in app}
    assert found["Application"] == EDITION.info.generator
    gone = {"AppVersion", "Pages", "Words", "Characters", "CharactersWithSpaces", "Lines",
            "Paragraphs", "TotalTime", "HeadingPairs", "TitlesOfParts"}  # fmt: skip
    assert not gone & set(found), gone & set(found)


def test_a4_two_languages(tmp_path):
    out = render(
        edition(document("d", paragraph(1, ("en", "ru"))), page_size="A4"),
        "docx",
        tmp_path / "a4.docx",
    )
    d = docx.Document(str(out))
    assert d.sections[0].page_width == pytest.approx(Mm(210), abs=Mm(0.1))
    assert len(d.tables[0].columns) == 2
