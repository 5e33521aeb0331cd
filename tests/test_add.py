"""`brochure add`: DOCX, ODT, saved web pages, Markdown and text become the project's Markdown.

The inputs are made here from the hand-cleaned seed documents (tests/sourcefixtures.py): a saved
web page with the furniture the raw seeds show, a DOCX and an ODT with header, footer, comment and
tracked changes. What `brochure add` writes must read back as the seed document's paragraphs.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from brochure.sources.text import parse_markdown, read_text
from conftest import squash, write_project
from epubfixtures import bad_books
from sourcefixtures import (
    FURNITURE,
    OFFICE_COMMENT,
    TRACKED_DELETION,
    add_footnote,
    seed_blocks,
    web_page,
    write_docx,
    write_odt,
)

SEED_DOCUMENTS = ["programme-part-1", "statement-2022-01-07"]

TOML = """\
# The editors' project: comments and order must survive `brochure add`
name = "p"
title = { en = "Test", ru = "Тест" }
source_language = "en"   # the originals are English
target_languages = ["ru"]
documents = [
  "texts/intro.md",  # the foreword comes first
]

[[editions]]
languages = ["en", "ru"]
formats = ["pdf"]
"""
INTRO = "# Foreword\n\nA short foreword to the brochure, written by the editors.\n"


@pytest.fixture
def project(tmp_path) -> Path:
    return write_project(tmp_path / "p", TOML, {"texts/intro.md": INTRO})


def make_source(kind: str, name: str, folder: Path) -> Path:
    blocks = seed_blocks(name)
    path = folder / f"{name}.{kind}"
    if kind == "html":
        path.write_text(web_page(name), encoding="utf-8")
    elif kind == "docx":
        write_docx(blocks, path)
    else:
        write_odt(blocks, path)
    return path


def structure(markdown: str) -> list[tuple]:
    return [(b.kind, b.level, b.ordered, b.text, b.content.spans) for b in parse_markdown(markdown)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def added(invoke, project: Path, source: Path, name: str = "appeal") -> str:
    """`brochure add SOURCE PROJECT`, which must succeed: the Markdown it wrote (texts/NAME.md)."""
    result = invoke("add", source, project)
    assert result.exit_code == 0, result.output
    return (project / "texts" / f"{name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["html", "docx", "odt"])
@pytest.mark.parametrize("name", SEED_DOCUMENTS)
def test_add_gives_the_hand_cleaned_seed_document(invoke, project, tmp_path, kind, name):
    source = make_source(kind, name, tmp_path)
    result = invoke("add", source, project)
    assert result.exit_code == 0, result.output
    written = project / "texts" / f"{name}.md"
    assert f"texts/{name}.md" in result.output
    markdown = written.read_text(encoding="utf-8")
    seed = read_text(Path(__file__).parent.parent / "seeds" / f"{name}.md")
    # the same paragraphs, headings, list items and emphasis as the hand-cleaned document
    assert [b.text for b in parse_markdown(markdown)] == [b.text for b in parse_markdown(seed)]
    assert structure(markdown) == structure(seed)
    left = [f for f in FURNITURE if f in markdown]
    assert not left, f"furniture left in {written.name}: {left}"
    # appended to documents, the file's comments and order kept
    toml = (project / "brochure.toml").read_text(encoding="utf-8")
    assert toml == TOML.replace(
        '  "texts/intro.md",  # the foreword comes first\n',
        f'  "texts/intro.md",  # the foreword comes first\n  "texts/{name}.md",\n',
    )


def test_office_files_accept_insertions_and_drop_deletions_comments_headers(
    invoke, project, tmp_path
):
    for kind in ("docx", "odt"):
        source = make_source(kind, "statement-2022-01-07", tmp_path)
        result = invoke("add", source, project, "--name", f"statement-{kind}")
        assert result.exit_code == 0, result.output
        markdown = (project / "texts" / f"statement-{kind}.md").read_text(encoding="utf-8")
        # the tracked insertion is the last word of the first plain paragraph
        assert "headquarters for the entire protest movement.\n" in markdown
        assert TRACKED_DELETION.strip() not in markdown and OFFICE_COMMENT not in markdown
        assert "Header of the office file" not in markdown and "Footer" not in markdown


def test_a_file_already_in_the_project_changes_nothing(invoke, project, tmp_path):
    source = make_source("html", "statement-2022-01-07", tmp_path)
    assert invoke("add", source, project).exit_code == 0
    before = snapshot(project)
    result = invoke("add", source, project)
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "statement-2022-01-07.md: already in the project with the same text; nothing changed\n"
    )
    assert "already in the project with the same text; nothing changed" in result.output
    assert snapshot(project) == before


def test_the_seed_project_knows_its_own_statement(invoke, seed_project, tmp_path):
    """The seed's web page, added under the seed document's name, is the same text: the editors'
    Markdown is left exactly as they wrote it."""
    source = make_source("html", "statement-2022-01-07", tmp_path)
    before = snapshot(seed_project)
    result = invoke("add", source, seed_project, "--name", "statement-2022-01-07")
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert snapshot(seed_project) == before
    # under another name (the page's own), the same text is found all the same
    result = invoke("add", source, seed_project)
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "statement-2022-01-07.md: already in the project with the same text; nothing changed\n"
    )
    assert snapshot(seed_project) == before


def test_a_changed_file_updates_the_markdown_and_keeps_translations(invoke, seed_project, tmp_path):
    from brochure.core.project import load_project
    from brochure.segmentation.documents import segment_source
    from brochure.store.xliff import open_store

    blocks = seed_blocks("statement-2022-01-07")
    changed = tmp_path / "statement.html"
    page = web_page("statement-2022-01-07")
    old = "According to various reports, dozens of demonstrators have been killed."
    new = "According to various reports, hundreds of demonstrators have been killed."
    assert old in page
    changed.write_text(page.replace(old, new), encoding="utf-8")
    result = invoke("add", changed, seed_project, "--name", "statement-2022-01-07")
    assert result.exit_code == 0, result.output
    number = next(i for i, b in enumerate(blocks, 1) if old in b.text)
    lines = result.output.splitlines()
    assert lines[0].startswith("updated ")
    assert lines[0].endswith(f"1 paragraph change(s), {len(blocks) - 1} unchanged")
    assert lines[1] == (
        f"  paragraph {number} changed: «…to various reports, dozens of demonstrators have…»"
        " -> «…to various reports, hundreds of demonstrators have…»"
    )
    text = (seed_project / "statement-2022-01-07.md").read_text(encoding="utf-8")
    assert new in text and old not in text
    # the store keeps every other translation; the changed sentence's old one is kept aside
    project = load_project(seed_project)
    document = next(d for d in project.documents if d.name == "statement-2022-01-07")
    seg = segment_source(project, document)
    store = open_store(project, document, "ru")
    store.sync(seg.segments)
    units = {u.id: u for u in store.units(include_stale=True)}
    live = [units[s.id] for s in seg.segments]
    missing = [u.source.text for u in live if not u.has_target]
    assert missing == [new]
    assert any(u.stale and u.source.text == old and u.has_target for u in units.values())


# -- language ------------------------------------------------------------------------------------
RU = "Заявление Социалистического движения Казахстана. В Казахстане сейчас настоящее народное восстание.\n"
KK = "Қазақстан социалистік қозғалысының мәлімдемесі. Қазақстанда қазір нағыз халық көтерілісі жүріп жатыр.\n"


@pytest.mark.parametrize(
    "text,lang",
    [
        ("In Kazakhstan, there is now a real popular uprising.", "en"),
        (RU, "ru"),
        (KK, "kk"),
        ("Ақ Орда — резиденция президента; «Нұр Отан» — партия власти в Казахстане.", "ru"),
        ("12 34", None),
    ],
)
def test_language_detection(text, lang):
    from brochure.sources.language import detect_language

    assert detect_language(text) == lang


def test_a_registered_language_is_detected_by_its_own_letters():
    """Detection reads the language registry: a test-local Uzbek (Cyrillic, with ў қ ғ ҳ) wins
    over Kazakh on an Uzbek text, though the two share қ and ғ."""
    from brochure.core import languages
    from brochure.sources.language import detect_language

    uzbek = (
        "Ўзбекистон ишчилари ўз ҳуқуқлари учун курашмоқда ва сиёсий маҳбусларни озод "
        "қилишни талаб қилмоқда."
    )
    assert detect_language(uzbek) == "kk"  # the closest registered language
    languages.register(
        languages.Language("uz", "Uzbek", "Ўзбекча", "uz-UZ", script="Cyrl", letters="ўқғҳ")
    )
    try:
        assert detect_language(uzbek) == "uz"
        assert detect_language(KK) == "kk" and detect_language(RU) == "ru"
    finally:
        languages.unregister("uz")


def test_a_text_in_another_language_is_an_error_naming_both(invoke, project, tmp_path):
    source = tmp_path / "statement.md"
    source.write_text(RU, encoding="utf-8")
    before = snapshot(project)
    result = invoke("add", source, project)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {source}: the text looks like Russian (ru) but the project's source_language is "
        "English (en); translate it first, or give --lang en if the detection is wrong\n"
    )
    assert snapshot(project) == before
    result = invoke("add", source, project, "--lang", "kk")
    assert result.exit_code == 1
    assert (
        "is marked as Kazakh (kk) but the project's source_language is English (en)"
        in result.output
    )
    # --lang overrides the detection
    result = invoke("add", source, project, "--lang", "en")
    assert result.exit_code == 0, result.output


def test_kazakh_source_into_a_kazakh_project(invoke, tmp_path):
    toml = (
        TOML.replace('source_language = "en"', 'source_language = "kk"')
        .replace('title = { en = "Test", ru = "Тест" }', 'title = { kk = "Сынақ", ru = "Тест" }')
        .replace('languages = ["en", "ru"]', 'languages = ["kk", "ru"]')
    )
    folder = write_project(
        tmp_path / "kk", toml, {"texts/intro.md": "# Алғы сөз\n\nҚысқа алғы сөз.\n"}
    )
    source = tmp_path / "mälimdeme.txt"
    source.write_text(KK, encoding="utf-8")
    result = invoke("add", source, folder, "--name", "statement")
    assert result.exit_code == 0, result.output
    assert (folder / "texts" / "statement.md").read_text(encoding="utf-8") == KK


# -- bad input -----------------------------------------------------------------------------------
def _encrypted_odt(path: Path) -> Path:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="5021">'
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>'
        '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/>'
        "</manifest:encryption-data></manifest:file-entry></manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", bytes(range(256)) * 20)  # the encrypted bytes
    return path


def _bad_inputs(folder: Path) -> list[tuple[Path, str]]:
    good = write_docx(seed_blocks("statement-2022-01-07"), folder / "good.docx").read_bytes()
    (folder / "truncated.docx").write_bytes(good[: len(good) // 2])
    (folder / "notazip.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    # an encrypted OOXML file is an OLE compound file, not a zip
    (folder / "locked.docx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
    )
    (folder / "corrupt.odt").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    _encrypted_odt(folder / "locked.odt")
    (folder / "empty.html").write_text(
        "<html><head><title>Page not found</title><style>body{color:red}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><h1>Page not found</h1>"
        "<p>Sorry.</p><footer><a href='/contact'>Contact</a></footer></body></html>",
        encoding="utf-8",
    )
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "slides.pdf").write_bytes(b"%PDF-1.7\n")
    return [
        (folder / "truncated.docx", "not a valid DOCX file"),
        (folder / "notazip.docx", "not a valid DOCX file"),
        (folder / "locked.docx", "the document is password-protected"),
        (folder / "corrupt.odt", "not a valid ODT file"),
        (folder / "locked.odt", "the document is password-protected"),
        (folder / "empty.html", "no main text found"),
        (folder / "image.html", "a binary file, not a HTML text"),
        (folder / "image.txt", "a binary file, not a TXT text"),
        (folder / "slides.pdf", "unsupported format '.pdf'"),
        *bad_books(folder),
    ]


def test_bad_input_is_one_line_and_writes_nothing(invoke, project, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    before = snapshot(project)
    for path, message in _bad_inputs(inputs):
        result = invoke("add", path, project)
        assert result.exit_code == 1, (path.name, result.output)
        assert result.output.startswith(f"Error: {path}: {message}"), result.output
        assert result.output.count("\n") == 1 and "Traceback" not in result.output
        assert snapshot(project) == before, path.name


# -- Markdown, text and what the writer escapes --------------------------------------------------
def test_plain_text_and_markdown(invoke, project, tmp_path):
    text = tmp_path / "Notes 2024.txt"
    text.write_text(
        "# not a heading\n\n- not a list item, 2 * 3 = 6\nand a second line\n\n1. not numbered\n",
        encoding="utf-8",
    )
    result = invoke("add", text, project)
    assert result.exit_code == 0, result.output
    written = project / "texts" / "notes-2024.md"
    blocks = parse_markdown(written.read_text(encoding="utf-8"))
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "# not a heading"),
        ("paragraph", "- not a list item, 2 * 3 = 6 and a second line"),
        ("paragraph", "1. not numbered"),
    ]
    markdown = tmp_path / "extra.md"
    markdown.write_text(
        "# Extra\n\n<!-- an editor's remark -->\nA closing word with a [link](https://example.org).\n",
        encoding="utf-8",
    )
    result = invoke("add", markdown, project)
    assert result.exit_code == 0, result.output
    assert (project / "texts" / "extra.md").read_text(encoding="utf-8") == markdown.read_text(
        encoding="utf-8"
    )


def test_markdown_writer_round_trips_through_the_reader():
    from brochure.sources.markdown_out import Para, Run, note_run, to_markdown

    paras = [
        Para("heading", [Run("Title ending in #")], level=1),
        Para(
            "paragraph",
            [
                Run("A "),
                Run("word", em=True),
                Run(" and "),
                Run("strong ", strong=True),
                Run("both", strong=True, em=True),
                Run(" in *stars* and _under_scores_."),
            ],
        ),  # fmt: skip
        Para(
            "paragraph",
            [
                Run("Kaz", em=True),
                Run("akh", em=True),
                Run("stan, "),
                Run("a link", href="https://example.org/a (b)"),
                Run(", a note"),
                note_run("the translator's note"),
                Run("."),
            ],
        ),  # fmt: skip
        Para("list_item", [Run("one")], ordered=True),
        Para("list_item", [Run("two, nested")], level=1, ordered=False),
        Para("quote", [Run("> quoted")]),
        Para("paragraph", [Run("- 3 <!-- not a comment -->")]),
    ]
    markdown = to_markdown(paras)
    assert "[a link](https://example.org/a%20%28b%29)" in markdown
    blocks = parse_markdown(markdown)
    assert [(b.kind, b.level, b.ordered, b.text) for b in blocks] == [
        ("heading", 1, False, "Title ending in #"),
        ("paragraph", 0, False, "A word and strong both in *stars* and _under_scores_."),
        ("paragraph", 0, False, "Kazakhstan, a link, a note [the translator's note]."),
        ("list_item", 0, True, "one"),
        ("list_item", 1, False, "two, nested"),
        ("quote", 0, False, "> quoted"),
        ("paragraph", 0, False, "- 3 <!-- not a comment -->"),
    ]
    spans = [(s.start, s.end, s.kind) for s in blocks[1].content.spans]
    assert spans == [(2, 6, "em"), (11, 22, "strong"), (18, 22, "em")]
    assert [(s.start, s.end, s.kind, s.target) for s in blocks[2].content.spans] == [
        (0, 6, "em", ""),
        (12, 18, "link", "https://example.org/a%20%28b%29"),
        (27, 50, "note", ""),
    ]


def test_strong_pairs_take_the_marker_each_needs():
    """No one strong marker serves both pairs: `**` closes inside a word, only `__` opens between
    punctuation after a letter (a case hypothesis found: the writer used to drop every mark)."""
    from brochure.sources.markdown_out import Para, Run, to_markdown

    runs = [Run("0", strong=True), Run("Kazakhstan"), Run("0", em=True), Run(".", strong=True)]
    markdown = to_markdown([Para("heading", runs, level=1)])
    assert markdown == "# **0**Kazakhstan*0*__.__\n"
    (block,) = parse_markdown(markdown)
    spans = [(s.start, s.end, s.kind) for s in block.content.spans]
    assert spans == [(0, 1, "strong"), (11, 12, "em"), (12, 13, "strong")]


# -- round trip: DOCX -> add -> build -> PDF ----------------------------------------------------
def test_docx_round_trip_to_pdf(invoke, project, tmp_path):
    import docx
    import pypdf

    document = docx.Document()
    document.add_paragraph("The Workers' Charter", style="Heading 1")
    p = document.add_paragraph("The congress in Bishkek adopted a ")
    p.add_run("transitional").italic = True
    p.add_run(" programme of demands.")
    add_footnote(document, p, "Held on 30 June and 1 July")
    document.add_paragraph("Demands", style="Heading 2")
    for item in ("Nationalisation under workers' control.", "Release of political prisoners."):
        document.add_paragraph(item, style="List Bullet")
    document.add_paragraph("The movement calls for a general strike.")
    source = document.save(str(tmp_path / "charter.docx")) or tmp_path / "charter.docx"

    markdown = added(invoke, project, source, "charter")
    assert markdown == (
        "# The Workers' Charter\n\n"
        "The congress in Bishkek adopted a _transitional_ programme of demands. [Held on 30 June and 1 July]\n\n"
        "## Demands\n\n"
        "- Nationalisation under workers' control.\n"
        "- Release of political prisoners.\n\n"
        "The movement calls for a general strike.\n"
    )
    result = invoke("build", project, "--draft")
    assert result.exit_code == 0, result.output
    pdf = project / "build" / "p.en-ru.pdf"
    reader = pypdf.PdfReader(str(pdf))
    body = "\n".join(p.extract_text() for p in reader.pages if "Contents" not in p.extract_text())
    text = squash(body)  # without white space, hyphenation and the typography stage's quotes
    order = ["The Workers' Charter", "adopted a transitional programme", "[Held on 30 June and 1 July]",
             "Demands", "Nationalisation under workers' control.", "Release of political prisoners.",
             "general strike."]  # fmt: skip
    positions = [text.find(squash(x)) for x in order]
    assert -1 not in positions, (positions, text)
    assert positions == sorted(positions)
    # the italics reach the PDF: "transitional" is set in an italic face, its neighbours are not
    fonts: dict[str, set[str]] = {}

    def visitor(part, cm, tm, font, size):
        if font and part.strip():
            for word in part.split():
                fonts.setdefault(word, set()).add(str(font.get("/BaseFont", "")))

    for page in reader.pages:
        page.extract_text(visitor_text=visitor)
    assert any("Italic" in f for f in fonts["transitional"]), fonts["transitional"]
    assert not any("Italic" in f for f in fonts["congress"]), fonts["congress"]
    # headings are set bold, list items carry their bullet
    assert any("Bold" in f for f in fonts["Charter"]), fonts["Charter"]
    assert "•" in body


# -- each format's structure: quotes, numbered and nested lists, links, notes ---------------------
EXPECTED_STRUCTURE = (
    "# Appeal\n\n"
    "Read the [full statement](https://example.org/statement) of the movement. [Published on 7 January]\n\n"
    "> Workers of all countries, unite!\n\n"
    "1. Free the prisoners.\n"
    "2. Stop the repression.\n"
    "    - In Almaty.\n"
    "3. Legalise the party.\n\n"
    "The **strike** goes on.\n"
)


def _structure_html(path: Path) -> None:
    page = (
        "<html><head><style>p{margin:0}</style></head><body><nav><a href='/'>Home</a></nav>"
        "<article><h1>Appeal</h1>"
        "<p>Read the <a href='https://example.org/statement'>full statement</a> of the movement."
        "<sup><a href='#fn1' id='r1'>1</a></sup></p>"
        "<blockquote><p>Workers of all countries, unite!</p></blockquote>"
        "<ol><li>Free the prisoners.</li><li>Stop the repression.<ul><li>In Almaty.</li></ul></li>"
        "<li>Legalise the party.</li></ol><p>The <b>strike</b> goes on.</p>"
        "<ol class='footnotes'><li id='fn1'>Published on 7 January <a href='#r1'>↩</a></li></ol>"
        "</article><footer>Share this: <a href='#'>Twitter</a></footer></body></html>"
    )
    path.write_text(page, encoding="utf-8")


def _structure_docx(path: Path) -> None:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("Appeal", style="Title")
    p = document.add_paragraph("Read the ")
    rid = document.part.relate_to("https://example.org/statement", RT.HYPERLINK, is_external=True)
    link = docx.oxml.OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = docx.oxml.OxmlElement("w:r")
    t = docx.oxml.OxmlElement("w:t")
    t.text = "full statement"
    run.append(t)
    link.append(run)
    p._p.append(link)
    p.add_run(" of the movement.")
    add_footnote(document, p, "Published on 7 January")
    document.add_paragraph("Workers of all countries, unite!", style="Intense Quote")
    document.add_paragraph("Free the prisoners.", style="List Number")
    document.add_paragraph("Stop the repression.", style="List Number")
    document.add_paragraph("In Almaty.", style="List Bullet 2")
    document.add_paragraph("Legalise the party.", style="List Number")
    p = document.add_paragraph("The ")
    p.add_run("strike").bold = True
    p.add_run(" goes on.")
    document.save(str(path))


def _structure_odt(path: Path) -> None:
    from odf import style, text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    bold = style.Style(name="T1", family="text")
    bold.addElement(style.TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    title = style.Style(name="Title", family="paragraph")
    quote = style.Style(name="Quotations", family="paragraph")
    doc.styles.addElement(title)
    doc.styles.addElement(quote)
    numbers = text.ListStyle(name="N")
    numbers.addElement(text.ListLevelStyleNumber(level=1, numformat="1"))
    numbers.addElement(text.ListLevelStyleBullet(level=2, bulletchar="•"))
    doc.automaticstyles.addElement(numbers)
    doc.text.addElement(text.P(stylename=title, text="Appeal"))
    p = text.P(text="Read the ")
    p.addElement(text.A(href="https://example.org/statement", text="full statement"))
    p.addText(" of the movement.")
    note = text.Note(id="ftn1", noteclass="footnote")
    note.addElement(text.NoteCitation(text="1"))
    body = text.NoteBody()
    body.addElement(text.P(text="Published on 7 January"))
    note.addElement(body)
    p.addElement(note)
    doc.text.addElement(p)
    doc.text.addElement(text.P(stylename=quote, text="Workers of all countries, unite!"))
    top = text.List(stylename=numbers)
    for words in ("Free the prisoners.", "Stop the repression.", "Legalise the party."):
        item = text.ListItem()
        item.addElement(text.P(text=words))
        if words.startswith("Stop"):
            nested = text.List()
            inner = text.ListItem()
            inner.addElement(text.P(text="In Almaty."))
            nested.addElement(inner)
            item.addElement(nested)
        top.addElement(item)
    doc.text.addElement(top)
    p = text.P(text="The ")
    p.addElement(text.Span(stylename=bold, text="strike"))
    p.addText(" goes on.")
    doc.text.addElement(p)
    doc.save(str(path))


@pytest.mark.parametrize("kind", ["html", "docx", "odt"])
def test_each_format_keeps_quotes_lists_links_and_notes(invoke, project, tmp_path, kind):
    source = tmp_path / f"appeal.{kind}"
    {"html": _structure_html, "docx": _structure_docx, "odt": _structure_odt}[kind](source)
    result = invoke("add", source, "--project", project)
    assert result.exit_code == 0, result.output
    assert (project / "texts" / "appeal.md").read_text(encoding="utf-8") == EXPECTED_STRUCTURE
    # the project's reader keeps the link as a span with its target
    block = parse_markdown(EXPECTED_STRUCTURE)[1]
    assert [(block.text[s.start : s.end], s.kind, s.target) for s in block.content.spans] == [
        ("full statement", "link", "https://example.org/statement"),
        ("[Published on 7 January]", "note", ""),
    ]


def test_a_link_to_a_file_is_kept_as_text_with_a_warning(invoke, project, tmp_path):
    """A DOCX link to a local file (or javascript:) must not become a way out of the project."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    document = docx.Document()
    p = document.add_paragraph("See ")
    for target, words in (("file:///etc/passwd", "the file"), ("https://example.org", "the site")):
        rid = document.part.relate_to(target, RT.HYPERLINK, is_external=True)
        link = docx.oxml.OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        run = docx.oxml.OxmlElement("w:r")
        t = docx.oxml.OxmlElement("w:t")
        t.text = words
        run.append(t)
        link.append(run)
        p._p.append(link)
        p.add_run(" and ")
    p.add_run("nothing else.")
    document.save(str(tmp_path / "links.docx"))
    result = invoke("add", tmp_path / "links.docx", "--project", project)
    assert result.exit_code == 0, result.output
    assert (project / "texts" / "links.md").read_text(encoding="utf-8") == (
        "See the file and [the site](https://example.org) and nothing else.\n"
    )
    assert (
        "a link to 'file:///etc/passwd' is kept as text: only http(s) and mailto links are kept"
        in result.stderr
    )


def test_a_russian_page_saved_without_a_charset(invoke, tmp_path):
    toml = TOML.replace('source_language = "en"', 'source_language = "ru"')
    toml = toml.replace('target_languages = ["ru"]', 'target_languages = ["kk"]')
    toml = toml.replace('title = { en = "Test", ru = "Тест" }', 'title = { ru = "Тест" }')
    toml = toml.replace('languages = ["en", "ru"]', 'languages = ["ru", "kk"]')
    folder = write_project(tmp_path / "ru", toml, {"texts/intro.md": "# Предисловие\n\nТекст.\n"})
    page = (
        "<html><body><div class='menu'><a href='/'>Главная</a></div><h1>Заявление</h1>"
        f"<div class='text'><p>{RU.strip()}</p><p>{RU.strip()}</p></div></body></html>"
    )
    source = tmp_path / "zayavlenie.html"
    source.write_bytes(page.encode("cp1251"))
    result = invoke("add", source, "--project", folder)
    assert result.exit_code == 0, result.output
    markdown = (folder / "texts" / "zayavlenie.md").read_text(encoding="utf-8")
    assert markdown == f"# Заявление\n\n{RU.strip()}\n\n{RU.strip()}\n"


def test_a_page_wrapped_in_one_form_keeps_its_text(invoke, project, tmp_path):
    """Some sites (ASP.NET) wrap the whole page in a <form>; only reply forms are furniture."""
    blocks = seed_blocks("statement-2022-01-07")
    page = web_page("statement-2022-01-07").replace("<body>", "<body><form id='aspnetForm'>")
    source = tmp_path / "statement.htm"
    source.write_text(page.replace("</body>", "</form></body>"), encoding="utf-8")
    result = invoke("add", source, "--project", project)
    assert result.exit_code == 0, result.output
    markdown = (project / "texts" / "statement.md").read_text(encoding="utf-8")
    assert [b.text for b in parse_markdown(markdown)] == [b.text for b in blocks]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_files_written_by_libreoffice(invoke, project, tmp_path):
    """The office readers on files LibreOffice itself wrote (our fixtures converted DOCX <-> ODT):
    its list, quote, title, note and tracked-change markup, not only python-docx's and odfpy's."""
    made = tmp_path / "made"
    made.mkdir()
    _structure_docx(made / "appeal.docx")
    _structure_odt(made / "appeal2.odt")
    make_source("docx", "statement-2022-01-07", made)
    converted = tmp_path / "converted"
    profile = (tmp_path / "lo-profile").as_uri()
    for fmt, files in (
        ("odt", ["appeal.docx", "statement-2022-01-07.docx"]),
        ("docx", ["appeal2.odt"]),
    ):
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(converted), *(str(made / f) for f in files)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    for name in ("appeal.odt", "appeal2.docx"):
        result = invoke("add", converted / name, project, "--name", Path(name).stem)
        assert result.exit_code == 0, result.output
        written = project / "texts" / f"{Path(name).stem}.md"
        assert written.read_text(encoding="utf-8") == EXPECTED_STRUCTURE, name
    result = invoke("add", converted / "statement-2022-01-07.odt", project)
    assert result.exit_code == 0, result.output
    markdown = (project / "texts" / "statement-2022-01-07.md").read_text(encoding="utf-8")
    assert structure(markdown) == structure(
        read_text(Path(__file__).parent.parent / "seeds" / "statement-2022-01-07.md")
    )
    assert not [f for f in FURNITURE if f in markdown]


def test_a_saved_pages_relative_links_lead_where_they_led(invoke, project, tmp_path):
    """A saved page's relative link is resolved against the page's own address (its canonical
    link); a file: link keeps only its words, with a warning; a jump within the page is no
    link (its footnote is a note)."""
    words = " ".join(["The strike committees met again and agreed on common demands."] * 4)
    page = (
        "<html><head><link rel='canonical' href='https://example.org/2022/01/statement/'></head>"
        "<body><nav><a href='/'>Home</a></nav><article><h1>Appeal</h1>"
        f"<p>Read <a href='../appeal/'>the appeal</a> and <a href='file:///etc/passwd'>this</a>. {words}"
        "<sup><a href='#fn1' id='r1'>1</a></sup></p>"
        "<ol class='footnotes'><li id='fn1'>A note. <a href='#r1'>↩</a></li></ol>"
        "</article></body></html>"
    )
    source = tmp_path / "appeal.html"
    source.write_text(page, encoding="utf-8")
    result = invoke("add", source, project)
    assert result.exit_code == 0, result.output
    markdown = (project / "texts" / "appeal.md").read_text(encoding="utf-8")
    assert (
        f"Read [the appeal](https://example.org/2022/01/appeal/) and this. {words} [A note.]\n"
        in markdown
    )
    assert result.stderr.count("kept as text") == 1
    assert "a link to 'file:///etc/passwd' is kept as text" in result.stderr


def _contents_docx(path: Path) -> None:
    """A Word document as Word and LibreOffice write one with a table of contents and an index:
    the contents in a "Table of Contents" content control (Word) or only a TOC field whose
    entries are plain paragraphs (LibreOffice's own styles), an index field at the end."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field(p, kind: str, code: str = "") -> None:
        run = OxmlElement("w:r")
        if code:
            el = OxmlElement("w:instrText")
            el.text = code
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run.append(el)
        p._p.append(run)

    def generated(document, code: str, entries: list[str], style: str | None) -> list:
        paragraphs = []
        for i, entry in enumerate(entries):
            p = document.add_paragraph(style=style)
            if i == 0:
                field(p, "begin"), field(p, "", code), field(p, "separate")
            p.add_run(entry)
            paragraphs.append(p)
        field(document.add_paragraph(), "end")
        return paragraphs

    document = docx.Document()
    for name in ("toc 1", "index 1"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Appeal", style="Title")
    # Word: the contents in a content control of the "Table of Contents" gallery, a title in it
    sdt = OxmlElement("w:sdt")
    pr, gallery = OxmlElement("w:sdtPr"), OxmlElement("w:docPartObj")
    kind = OxmlElement("w:docPartGallery")
    kind.set(qn("w:val"), "Table of Contents")
    gallery.append(kind)
    pr.append(gallery)
    content = OxmlElement("w:sdtContent")
    sdt.append(pr), sdt.append(content)
    entries = [document.add_paragraph("Contents")]
    entries += generated(document, ' TOC \\o "1-3" \\h \\z \\u ', ["Part one\t1"], "toc 1")
    for p in [*entries, document.paragraphs[-1]]:
        content.append(p._p)
    document.element.body.insert(1, sdt)
    # LibreOffice: a TOC field whose entries are in its own styles ("Contents 1": Normal here)
    generated(document, ' TOC \\o "1-3" \\h ', ["Part one\t1", "Part two\t2"], None)
    document.add_paragraph("Part one", style="Heading 1")
    p = document.add_paragraph("Read ")
    (
        field(p, "begin"),
        field(p, "", ' HYPERLINK "https://example.org/statement" '),
        field(p, "separate"),
    )
    p.add_run("the statement")
    field(p, "end")
    p.add_run(" of the movement.")
    document.add_paragraph("Part two", style="Heading 1")
    document.add_paragraph("The strike goes on.")
    generated(document, ' INDEX \\e "\t" ', ["strike\t2", "statement\t1"], "index 1")
    document.save(str(path))


def test_a_docx_contents_and_index_are_not_read_as_text(invoke, project, tmp_path):
    """What Word generates from the text (contents, index: fields' results, their styles, the
    contents' content control) would be translated and printed with its page numbers; the ODT
    reader leaves out text:table-of-content, the DOCX reader now leaves these out too. A field of
    the text itself (a hyperlink) keeps its result."""
    source = tmp_path / "appeal.docx"
    _contents_docx(source)
    result = invoke("add", source, "--project", project)
    assert result.exit_code == 0, result.output
    text = (project / "texts" / "appeal.md").read_text(encoding="utf-8")
    assert text == (
        "# Appeal\n\n# Part one\n\nRead the statement of the movement.\n\n"
        "# Part two\n\nThe strike goes on.\n"
    ), text


def test_an_odt_contents_and_index_are_not_read_as_text(invoke, project, tmp_path):
    from odf import text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    contents = text.TableOfContent(name="Contents")
    body = text.IndexBody()
    body.addElement(text.P(text="Part one\t1"))
    contents.addElement(body)
    doc.text.addElement(contents)
    doc.text.addElement(text.H(outlinelevel=1, text="Part one"))
    doc.text.addElement(text.P(text="The strike goes on."))
    index = text.AlphabeticalIndex(name="Index")
    body = text.IndexBody()
    body.addElement(text.P(text="strike\t1"))
    index.addElement(body)
    doc.text.addElement(index)
    source = tmp_path / "appeal.odt"
    doc.save(str(source))
    result = invoke("add", source, "--project", project)
    assert result.exit_code == 0, result.output
    text_md = (project / "texts" / "appeal.md").read_text(encoding="utf-8")
    assert text_md == "# Part one\n\nThe strike goes on.\n", text_md


def _raw_paragraphs(document, paragraphs: list[str]) -> None:
    """Paragraphs given as the WordprocessingML inside <w:p>, as Word writes them."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for xml in paragraphs:
        document.element.body.append(parse_xml(f"<w:p {ns}>{xml}</w:p>"))


def _r(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


TRACK = 'w:author="Асель" w:date="2026-01-05T10:00:00Z"'


def test_a_docx_as_an_editor_leaves_it(invoke, project, tmp_path):
    """What Word shows and prints with the changes accepted: hidden text (an editor's remark to
    the translator, w:vanish) was read as text and translated; a paragraph whose mark was
    deleted with changes tracked (two paragraphs joined, or one deleted whole) stayed two, or
    left an empty one; a character inserted as a symbol (Insert > Symbol: a dash, a sign) was
    lost, and a position tab ran two words together; a template's content control still
    showing its placeholder ("Click or tap here to enter text.") was read as the author's."""
    import docx

    document = docx.Document()
    document.add_paragraph("Appeal", style="Title")
    _raw_paragraphs(document, [
        _r("The workers of Zhanaozen ") + _r("[check the name with Marat] ", "<w:vanish/>")
        + _r("went on strike."),
        f'<w:pPr><w:rPr><w:del w:id="1" {TRACK}/></w:rPr></w:pPr>' + _r("The strike spread"),
        _r(" to the whole region."),
        f'<w:pPr><w:rPr><w:del w:id="2" {TRACK}/></w:rPr></w:pPr>'
        f'<w:del w:id="3" {TRACK}><w:r><w:delText>A paragraph the editor cut.</w:delText></w:r></w:del>',
        _r("Decree ") + '<w:r><w:sym w:font="Times New Roman" w:char="2116"/></w:r>'
        + _r(" 12") + '<w:r><w:sym w:font="Wingdings" w:char="F0E0"/></w:r>'
        + _r(" 1990") + '<w:r><w:sym w:font="Times New Roman" w:char="2013"/></w:r>' + _r("2020.")
        + '<w:r><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/></w:r>'
        + _r("Page"),
        '<w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>' + _r("Do not translate this paragraph.", "<w:vanish/>"),
        _r("Signed: ") + "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + _r("Click or tap here to enter text.") + "</w:sdtContent></w:sdt>"
        + "<w:sdt><w:sdtPr/><w:sdtContent>" + _r("the strike committee") + "</w:sdtContent></w:sdt>",
    ])  # fmt: skip
    document.element.body.append(docx.oxml.parse_xml(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p>{_r('Enter the date.')}</w:p>"
        "</w:sdtContent></w:sdt>"
    ))  # fmt: skip
    source = tmp_path / "appeal.docx"
    document.save(str(source))
    assert added(invoke, project, source) == (
        "# Appeal\n\nThe workers of Zhanaozen went on strike.\n\n"
        "The strike spread to the whole region.\n\n"
        "Decree \u2116 12 1990\u20132020. Page\n\nSigned: the strike committee\n"
    )


def test_an_odt_hides_what_libreoffice_hides(invoke, project, tmp_path):
    """Characters formatted as hidden (Format > Character > Font Effects > Hidden: text:display
    none), a hidden-text field and a paragraph a hidden-paragraph field hid when the file was
    saved: LibreOffice neither shows nor prints them; they were read as text."""
    from odf import style, text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    hidden = style.Style(name="Remark", family="text")
    hidden.addElement(style.TextProperties(attributes={"display": "none"}))
    doc.automaticstyles.addElement(hidden)
    doc.text.addElement(text.H(outlinelevel=1, text="Appeal"))
    p = text.P(text="The workers of Zhanaozen ")
    p.addElement(text.Span(stylename=hidden, text="[check the name with Marat] "))
    p.addText("went on strike.")
    doc.text.addElement(p)
    p = text.P(text="Contact: ")
    field = text.HiddenText(condition="ooow:print==1", stringvalue="the committee", ishidden="true")
    field.addText("the committee")
    p.addElement(field)
    p.addText("the union office.")
    doc.text.addElement(p)
    p = text.P(text="A note for the layout only.")
    p.addElement(text.HiddenParagraph(condition="ooow:1==1", ishidden="true"))
    doc.text.addElement(p)
    source = tmp_path / "appeal.odt"
    doc.save(str(source))
    assert added(invoke, project, source) == (
        "# Appeal\n\nThe workers of Zhanaozen went on strike.\n\nContact: the union office.\n"
    )


def test_a_web_page_without_what_its_readers_never_see(invoke, project, tmp_path):
    """Text a page gives screen readers only (WordPress's screen-reader-text, Bootstrap's
    visually-hidden: "Opens in a new window", "Continue reading ...") and a correction's struck-out
    <del> were read as text ("hundreds dozens of strikers"); elements hidden by their attribute
    or style were left to the extractor. None is read now; the <ins> beside a <del> is."""
    page = tmp_path / "zhanaozen.html"
    page.write_text(
        """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Strike</title></head>
<body><nav><a href="/">Home</a> <span class="screen-reader-text">Skip to content</span></nav>
<article><h1>Strike in Zhanaozen</h1>
<p>The oil workers of Zhanaozen went on strike on Monday, demanding higher wages and the right
to organise<span style="color: red; display: none">[editor: check the date]</span>.
<a href="https://example.org/demands" target="_blank">Their demands<span class="visually-hidden">
(opens in a new window)</span></a> were read out at the square.</p>
<p>The management refused to negotiate, and <del>hundreds</del> <ins>dozens</ins> of strikers
were detained by the police in the following days.</p>
<p hidden>A paragraph the page never shows.</p>
<p><a href="https://example.org/more">Continue reading<span class="sr-only"> Strike in
Zhanaozen</span></a></p>
</article></body></html>""",
        encoding="utf-8",
    )
    result = invoke("add", page, project)
    assert result.exit_code == 0, result.output
    assert (project / "texts" / "zhanaozen.md").read_text(encoding="utf-8") == (
        "# Strike in Zhanaozen\n\n"
        "The oil workers of Zhanaozen went on strike on Monday, demanding higher wages and the "
        "right to organise. [Their demands](https://example.org/demands) were read out at the "
        "square.\n\n"
        "The management refused to negotiate, and dozens of strikers were detained by the police "
        "in the following days.\n\n"
        "[Continue reading](https://example.org/more)\n"
    )


def _text_box(paragraphs: list[str]) -> str:
    """A run holding a text box as Word 2010+ writes it: DrawingML in mc:Choice, the same box as
    VML in mc:Fallback (for older readers): its text twice."""
    content = (
        "<w:txbxContent>" + "".join(f"<w:p>{_r(t)}</w:p>" for t in paragraphs) + "</w:txbxContent>"
    )
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"{content}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def test_a_docx_text_box_is_read_once_after_its_paragraph(invoke, project, tmp_path):
    """A leaflet's sidebar in a text box (a run's drawing, written twice by Word: DrawingML and
    its VML fallback) was lost without a word. Its paragraphs now follow the paragraph it is
    anchored in, once; a box in a tracked deletion stays out."""
    import docx
    from docx.oxml import parse_xml

    ns = " ".join([
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
        'xmlns:v="urn:schemas-microsoft-com:vml"',
    ])  # fmt: skip
    document = docx.Document()
    document.add_paragraph("Appeal", style="Title")
    for xml in [
        _r("The strike committee meets every evening.")
        + _text_box(["How to help", "Bring food and water to the square."]),
        _r("The strike goes on.")
        + f'<w:del w:id="1" {TRACK}>' + _text_box(["An old sidebar."]) + "</w:del>",
    ]:  # fmt: skip
        document.element.body.append(parse_xml(f"<w:p {ns}>{xml}</w:p>"))
    source = tmp_path / "appeal.docx"
    document.save(str(source))
    assert added(invoke, project, source) == (
        "# Appeal\n\nThe strike committee meets every evening.\n\nHow to help\n\n"
        "Bring food and water to the square.\n\nThe strike goes on.\n"
    )


def test_an_odt_text_box_is_read_after_its_paragraph(invoke, project, tmp_path):
    """LibreOffice's text boxes (a draw:frame holding a draw:text-box, anchored in a paragraph or
    to the page) were dropped with the frames that hold pictures: a sidebar's text was lost."""
    from odf import draw, text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    doc.text.addElement(text.H(outlinelevel=1, text="Appeal"))
    page_frame = draw.Frame(anchortype="page", width="5cm", height="3cm")
    page_box = draw.TextBox()
    page_box.addElement(text.P(text="Solidarity fund: account 4400 1234."))
    page_frame.addElement(page_box)
    doc.text.addElement(page_frame)
    p = text.P(text="The strike committee meets every evening.")
    frame = draw.Frame(anchortype="paragraph", width="6cm", height="4cm")
    box = draw.TextBox()
    box.addElement(text.P(text="How to help"))
    box.addElement(text.P(text="Bring food and water to the square."))
    frame.addElement(box)
    p.addElement(frame)
    doc.text.addElement(p)
    picture = draw.Frame(anchortype="as-char", width="1cm", height="1cm")
    picture.addElement(draw.Image(href="Pictures/logo.png"))
    p = text.P(text="The strike goes on.")
    p.addElement(picture)
    doc.text.addElement(p)
    source = tmp_path / "appeal.odt"
    doc.save(str(source))
    assert added(invoke, project, source) == (
        "# Appeal\n\nSolidarity fund: account 4400 1234.\n\n"
        "The strike committee meets every evening.\n\nHow to help\n\n"
        "Bring food and water to the square.\n\nThe strike goes on.\n"
    )
