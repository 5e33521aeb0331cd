"""The columns layout rendered to PDF by WeasyPrint: page size, fonts, alignment, metadata."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pypdf
import pytest
from brochure.layout import render
from brochure.layout.rows import geometry
from editions import (
    KAZAKH_LETTERS,
    block,
    document,
    edition,
    heading,
    marked_seg,
    marker,
    paragraph,
    seg,
)
from pagefill import first_lines, page_fills

LANGS = ("en", "ru")
PARAGRAPHS = 36  # one-sentence paragraphs E001..E036
LONG_FIRST, LONG_SENTENCES = 101, 40  # one paragraph of 40 sentences E101..E140
SECOND_DOC = 201  # the second document's paragraphs E201..E203
MISSING_ID = "s00000000beef"


def _main_document():
    blocks = [heading({"en": "Main heading", "ru": "Главный заголовок"})]
    for n in range(1, PARAGRAPHS + 1):
        if n == 10:
            blocks.append(heading({"en": "Second section", "ru": "Второй раздел"}, level=2))
        if n == 20:
            blocks += [
                block("list_item", seg({"en": "first point", "ru": "первый пункт"}), ordered=True),
                block("list_item", seg({"en": "second point", "ru": "второй пункт"}), ordered=True),
            ]
        if n == 25:
            blocks.append(block("quote", seg({"en": "Quoted words", "ru": "Цитируемые слова"})))
        blocks.append(block("paragraph", marked_seg(n, LANGS, repeat=1 + n % 6)))
    blocks.append(paragraph(LONG_FIRST, LANGS, sentences=LONG_SENTENCES, repeat=1))
    blocks.append(
        block("paragraph", seg({"en": "Untranslated sentence.", "ru": None}, sid=MISSING_ID))
    )
    return document("main", *blocks)


def _second_document():
    # no heading: the document title comes from AlignedDocument.title
    blocks = [paragraph(SECOND_DOC + i, LANGS) for i in range(3)]
    return document("second", *blocks, title={"en": "Second document", "ru": "Второй документ"})


EDITION = edition(_main_document(), _second_document(), draft=True)


def page_texts(path: Path) -> list[str]:
    """Each page's text with hyphenation undone and white space collapsed."""
    texts = []
    for page in pypdf.PdfReader(path).pages:
        t = page.extract_text()
        t = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", t)
        texts.append(" ".join(t.split()))
    return texts


def fonts(reader: pypdf.PdfReader) -> dict[str, dict]:
    """Every font used on any page (also inside form XObjects): BaseFont -> font dictionary."""
    found: dict[str, dict] = {}

    def walk(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
        for xobj in (resources.get("/XObject") or {}).values():
            xobj = xobj.get_object()
            if "/Resources" in xobj:
                walk(xobj["/Resources"])

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def descriptor(font: dict) -> dict:
    if "/DescendantFonts" in font:
        return font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    return font["/FontDescriptor"].get_object()


def page_of(texts: list[str], needle: str) -> int:
    pages = [i for i, t in enumerate(texts) if needle in t]
    assert pages, f"{needle!r} not found in the PDF"
    return pages[0]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "edition.pdf"
    assert render(EDITION, "pdf", out) == out
    return out


@pytest.fixture(scope="module")
def texts(pdf) -> list[str]:
    return page_texts(pdf)


def test_page_size_a5(pdf):
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) > 4
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(419.53, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(595.28, abs=0.5)


def test_custom_page_size(tmp_path):
    out = render(
        edition(document("d", paragraph(1, LANGS)), page_size="150mm x 220mm"),
        "pdf",
        tmp_path / "c.pdf",
    )
    page = pypdf.PdfReader(out).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (425.2, 623.6), abs=0.5
    )


def test_only_shipped_fonts_all_embedded(pdf):
    found = fonts(pypdf.PdfReader(pdf))
    assert found
    for name, font in found.items():
        assert re.fullmatch(r"/[A-Z]{6}\+Brochure-(Serif|Sans)(-\w+)?", name), (
            f"not a shipped font: {name}"
        )
        desc = descriptor(font)
        assert "/FontFile2" in desc or "/FontFile3" in desc, f"{name} is not embedded"


def test_metadata(pdf):
    reader = pypdf.PdfReader(pdf)
    meta = reader.metadata
    assert meta.title == "Test brochure"
    assert meta["/Creator"] == "brochure test-suite"
    assert meta.author == "Test Publisher"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_title_page_and_running_header(texts):
    title = texts[0]
    for needle in (
        "Test brochure",
        "Пробная брошюра",
        "For the layout tests",
        "Test Publisher",
        "2024-05-01",
    ):
        assert needle in title
    assert "ENGLISH" not in title  # the contents, then the table start on the next pages
    assert texts[1].startswith("Contents · Содержание") and "DRAFT" in texts[1]
    colophon = next(i for i, t in enumerate(texts) if i > 0 and t.startswith("Test brochure"))
    for n, t in enumerate(texts[2:colophon], start=3):
        if t in ("", "DRAFT"):
            continue  # a blank page before the colophon
        assert "DRAFT" in t
        assert re.search(rf"(^| ){n}( |$)", t), f"no page number on page {n}"
        # left pages show the current section in the source, right pages in the translation;
        # not the page that opens with the heading: the header would repeat it
        if n == 3:
            assert t.count("Главный заголовок") == 1 and t.count("Main heading") == 1
        elif n % 2 == 0:
            assert any(s in t for s in ("Main heading", "Second section", "Second document"))
        else:
            assert any(s in t for s in ("Главный заголовок", "Второй раздел", "Второй документ"))


def test_language_labels_head_each_document_once(texts):
    """Labels on a document's first page only: the running header says which side is which."""
    labelled = [n for n, t in enumerate(texts) if "ENGLISH" in t and "РУССКИЙ" in t]
    assert labelled == [2, page_of(texts, marker("en", SECOND_DOC))]


def test_every_paragraph_beside_its_translation_in_order(texts):
    numbers = [
        *range(1, PARAGRAPHS + 1),
        *range(LONG_FIRST, LONG_FIRST + LONG_SENTENCES),
        *range(SECOND_DOC, SECOND_DOC + 3),
    ]
    positions = []
    for n in numbers:
        en, ru = marker("en", n), marker("ru", n)
        page = page_of(texts, en)
        assert page == page_of(texts, ru), f"{en} and {ru} are on different pages"
        positions.append((page, texts[page].index(en)))
    assert positions == sorted(positions), "rows out of document order"


def test_a_long_paragraph_is_cut_only_where_a_page_breaks(pdf, texts):
    """One row per paragraph: the 40-sentence one crosses pages, cut at a sentence at the foot
    of each page (the next sentence opens the next page, in both columns), or where that would
    leave the page under LINE_CUT_BELOW full, inside the sentence before at a line end (its rest
    opens the next page in both columns), and fills them."""
    pages = [page_of(texts, marker("en", LONG_FIRST + k)) for k in range(LONG_SENTENCES)]
    assert len(set(pages)) >= 2
    geo = geometry("A5", 2)
    tops = first_lines(pdf, geo.margin_top_mm)
    fills = page_fills(pdf, geo.margin_top_mm, geo.margin_bottom_mm)
    for k in range(1, LONG_SENTENCES):
        if pages[k] != pages[k - 1]:
            assert pages[k] == pages[k - 1] + 1
            n = LONG_FIRST + k
            top = tops[pages[k]]
            if top.startswith(marker("en", n)):
                assert marker("ru", n) in top
            else:  # sentence n - 1 cut at a line end: it starts on the page before in both
                assert not re.match(r"[EЖ]\d{3} ", top), top
                assert page_of(texts, marker("ru", n - 1)) == pages[k - 1], top
            assert fills[pages[k - 1]] > 0.85, f"page {pages[k - 1] + 1}: {fills[pages[k - 1]]:.0%}"


def test_each_document_starts_on_a_new_page(texts):
    page = page_of(texts, marker("en", SECOND_DOC))
    assert marker("en", PARAGRAPHS) not in texts[page]
    assert "missing translation" not in texts[page]


def test_missing_translation_is_visible(texts):
    page = page_of(texts, "Untranslated sentence.")
    assert f"missing translation {MISSING_ID}" in texts[page]


def test_outline_lists_each_document_once(pdf):
    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(pypdf.PdfReader(pdf).outline))
    assert outline.count("Main heading") == 1
    assert "Second section" in outline and "Second document" in outline
    assert "Главный заголовок" not in outline  # the translation's headings are not listed twice


def test_kazakh_letters_render_with_the_shipped_font(tmp_path):
    langs = ("en", "ru", "kk")
    sample = f"Барлық әріптер: {KAZAKH_LETTERS}."
    doc = document(
        "kk",
        heading({"en": "Letters", "ru": "Буквы", "kk": f"Әріптер {KAZAKH_LETTERS}"}),
        block("paragraph", seg({"en": "All letters.", "ru": "Все буквы.", "kk": sample})),
    )
    out = render(edition(doc, langs=langs, page_size="A4"), "pdf", tmp_path / "kk.pdf")
    texts = page_texts(out)
    assert "Contents" not in texts[1]  # one short document: no table of contents (auto)
    assert sample in texts[1]
    assert f"Әріптер {KAZAKH_LETTERS}" in texts[1]
    assert "ҚАЗАҚША" in texts[1]  # the label row, in capitals
    for name in fonts(pypdf.PdfReader(out)):
        assert "Brochure-" in name, f"fallback font used: {name}"


def test_failed_render_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "old.pdf"
    out.write_bytes(b"old")
    import brochure.layout.pdf as pdf_module

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pdf_module, "_weasyprint_quirks", broken)
    with pytest.raises(RuntimeError):
        render(edition(document("d", paragraph(1, LANGS))), "pdf", out)
    assert out.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [out]


def test_a_build_frees_each_document_before_laying_out_the_next(tmp_path):
    """While a build lays out (layout.weasy.collect_between_documents) the collector makes no
    full pass of its own, yet a WeasyPrint document (cyclic: freed by a full pass only) is gone
    once the next one is laid out; afterwards the collector is as it was."""
    import gc
    import weakref

    from brochure.layout.weasy import collect_between_documents, render_document

    html = "<p>Один абзац, чтобы было что разложить по строкам.</p>" * 40
    threshold = gc.get_threshold()
    resume = collect_between_documents()
    try:
        assert gc.get_threshold()[2] > 10**6
        document = render_document(html, tmp_path)
        gc.collect(1)  # it lives long enough to be old, as a measuring pass's document does
        # a computed style: cyclic (the page box itself may be freed by its count)
        first = weakref.ref(document.pages[0]._page_box.children[0].style)
        del document
        gc.collect(1)  # no young collection frees it: it waits for a full one
        assert first() is not None
        second = render_document(html, tmp_path)
        assert first() is None
        assert second.pages
    finally:
        resume()
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0


def test_an_exiting_build_freezes_its_last_documents_and_removes_their_font_folders(tmp_path):
    """A build whose process ends right after (the `build` command: exiting=True) leaves its last
    documents to the system (frozen, never scanned again) instead of collecting them, and does
    what their collection would have done beyond freeing memory: WeasyPrint's temporary font
    folder is deleted."""
    import gc
    import weakref

    from brochure.layout.weasy import _package_layouts, collect_between_documents, render_document

    html = (
        "<style>@font-face { font-family: Body; src: url(PT_Serif-Web-Regular.ttf) }"
        "p { font-family: Body }</style><p>Один абзац.</p>"
    )
    threshold = gc.get_threshold()
    resume = collect_between_documents(exiting=True)
    try:
        document = render_document(html, _package_layouts() / "fonts")
        folder = document.font_config._folder
        assert folder is not None and folder.is_dir()
        style = weakref.ref(document.pages[0]._page_box.children[0].style)
        del document
    finally:
        resume()
    try:
        assert not folder.exists()
        assert gc.get_threshold() == threshold
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert style() is not None  # frozen: no collection frees it
    finally:
        gc.unfreeze()  # (this test's process goes on)
        gc.collect()
    assert style() is None


def test_the_build_command_leaves_no_font_folder_and_in_process_nothing_frozen(
    tmp_path, seed_project, invoke
):
    """Run as a program (`python -m brochure build`), a build exits without collecting its last
    documents and leaves no temporary font folder behind; called in-process (click's test
    runner, the workbench) it collects them as before: nothing stays frozen."""
    import gc
    import os
    import subprocess

    from conftest import seed_columns_toml

    (seed_project / "brochure.toml").write_text(seed_columns_toml('["screen"]'), encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    subprocess.run(
        [sys.executable, "-m", "brochure", "-q", "build", str(seed_project), "--no-mt"],
        check=True, capture_output=True, env={**os.environ, "TMPDIR": str(temp)},
    )  # fmt: skip
    assert (seed_project / "build" / "sdk.en-ru.pdf").stat().st_size > 10_000
    assert list(temp.iterdir()) == []
    result = invoke("-q", "build", seed_project, "--no-mt", "--force")
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() == 0


def test_an_editions_documents_share_one_font_configuration(tmp_path):
    """Inside layout.weasy.shared_fonts (an edition's layout: its measuring passes and its final
    render) every document uses one WeasyPrint FontConfiguration, each @font-face font loaded into
    it once; outside, each document has its own, as WeasyPrint makes it."""
    from brochure.layout.weasy import _package_layouts, render_document, shared_fonts

    fonts = _package_layouts() / "fonts"
    html = (
        "<style>@font-face { font-family: Body; src: url(PT_Serif-Web-Regular.ttf) }"
        "p { font-family: Body }</style><p>Один абзац, чтобы было что разложить по строкам.</p>"
    )
    with shared_fonts():
        first = render_document(html, fonts)
        second = render_document(html, fonts)
    assert first.font_config is second.font_config
    assert len(list(first.font_config._folder.iterdir())) == 1  # the face, written once
    lines = [d.pages[0]._page_box.descendants() for d in (first, second)]
    widths = [[b.width for b in boxes if type(b).__name__ == "TextBox"] for boxes in lines]
    assert widths[0] == widths[1] and widths[0]
    third = render_document(html, fonts)
    assert third.font_config is not first.font_config


def test_documents_kept_together_are_collected_once(tmp_path):
    """Inside layout.weasy.documents_kept (the columns' measuring passes and final render, whose
    documents live on together) no full collection runs before each document: one runs on
    entering, freeing what was laid out before."""
    import gc
    import weakref

    from brochure.layout.weasy import collect_between_documents, documents_kept, render_document

    html = "<p>Один абзац, чтобы было что разложить по строкам.</p>" * 40

    def dropped() -> weakref.ref:
        document = render_document(html, tmp_path)
        gc.collect(1)  # old enough to wait for a full collection
        return weakref.ref(document.pages[0]._page_box.children[0].style)

    resume = collect_between_documents()
    try:
        before = dropped()
        with documents_kept():
            assert before() is None  # entering collected it
            inside = dropped()
            assert render_document(html, tmp_path).pages
            assert inside() is not None  # no collection before that document
        assert render_document(html, tmp_path).pages
        assert inside() is None  # outside again: one before each document
    finally:
        resume()
    assert gc.get_freeze_count() == 0
