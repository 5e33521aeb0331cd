"""End to end: `brochure build` on a copy of the sample project, read back as a reader would."""

import shutil

import pytest
from brochure.core.project import load_project
from brochure.store.load import load_translations
from conftest import SEEDS, squash

pypdf = pytest.importorskip("pypdf")
docx = pytest.importorskip("docx")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from brochure.cli import cli
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("seeds") / "seeds"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("build", ".brochure"))
    result = CliRunner().invoke(cli, ["build", str(folder), "--edition", "en-ru"])
    assert result.exit_code == 0, result.output
    return folder


def pages_text(path):
    reader = pypdf.PdfReader(str(path))
    return reader, [squash(page.extract_text() or "") for page in reader.pages]


def find_page(pages, text, start_page):
    key = squash(text)[:40]
    for number in range(start_page, len(pages)):
        if key in pages[number]:
            return number
    return None


def test_outputs_are_written(built):
    assert sorted(p.name for p in (built / "build").iterdir()) == [
        "sdk.en-ru.docx",
        "sdk.en-ru.epub",
        "sdk.en-ru.pdf",
        "sdk.en-ru.print.pdf",
    ]


def test_the_seed_pdfs_pass_qpdfs_check(built):
    from test_schemas import pdf_syntax

    for name in ("sdk.en-ru.pdf", "sdk.en-ru.print.pdf"):
        pdf_syntax(built / "build" / name)


def test_every_segment_and_its_translation_on_the_same_page_in_order(built):
    project = load_project(built)
    segmented, stores = load_translations(project, ["en", "ru"], sync=False)
    _, pages = pages_text(built / "build" / "sdk.en-ru.pdf")
    page = 0
    checked = 0
    for document in project.documents:
        store = stores[(document.name, "ru")]
        for segment in segmented[document.name].segments:
            target = store.get(segment.id).target.text
            en_page = find_page(pages, segment.text, page)
            assert en_page is not None, (
                f"English not found after page {page + 1}: {segment.text[:50]}"
            )
            ru_page = find_page(pages, target, page)
            assert ru_page == en_page, (
                f"{segment.id}: English on page {en_page + 1}, Russian on {ru_page}"
            )
            page = en_page
            checked += 1
    assert checked == 80


def test_page_size_is_a5_and_fonts_are_embedded(built):
    reader, _ = pages_text(built / "build" / "sdk.en-ru.pdf")
    for page in reader.pages:
        width, height = (
            float(page.trimbox.width),
            float(page.trimbox.height),
        )  # the media box adds bleed and slug
        assert abs(width - 419.53) < 1 and abs(height - 595.28) < 1
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    # the shipped PT fonts are declared under the family names Brochure-Serif / Brochure-Sans
    assert all("+Brochure-" in name for name in fonts), f"a system font slipped in: {sorted(fonts)}"


def test_docx_has_one_row_per_unit_with_language_tags(built):
    from docx.oxml.ns import qn

    document = docx.Document(str(built / "build" / "sdk.en-ru.docx"))
    project = load_project(built)
    segmented, stores = load_translations(project, ["en", "ru"], sync=False)
    rows = []
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            if len(cells) == 2:
                rows.append((squash(cells[0].text), squash(cells[1].text)))
    joined_en = "".join(r[0] for r in rows)
    joined_ru = "".join(r[1] for r in rows)
    position = 0
    for document_spec in project.documents:
        store = stores[(document_spec.name, "ru")]
        for segment in segmented[document_spec.name].segments:
            key = squash(segment.text)[:40]
            found = joined_en.find(key, position)
            assert found >= 0, f"{segment.id} missing or out of order in the DOCX"
            position = found
            # English and Russian of a unit stand in the same row
            row = next(r for r in rows if key in r[0])
            assert squash(store.get(segment.id).target.text)[:40] in row[1]
    langs = {el.get(qn("w:val")) for el in document.element.body.iter(qn("w:lang"))}
    assert {"en-US", "ru-RU"} <= langs
    section = document.sections[0]
    assert round(section.page_width.mm) == 148 and round(section.page_height.mm) == 210
    assert joined_ru
