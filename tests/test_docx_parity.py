"""DOCX parity with the PDF (issue 12, item 8), read back with python-docx and, when LibreOffice is
installed, converted by it: contents field, hyphenation, the PDF's ragged/justified choice, fonts
embedded (and used by LibreOffice instead of a substitute), language tags on every run and note."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from brochure.core.project import load_project
from brochure.editions.assemble import make_edition
from brochure.layout import render
from brochure.layout.docx import EMBEDDED
from brochure.layout.html import layout_geometry
from brochure.layout.linebreak import line_breaking, word_chars
from brochure.layout.typography import NBSP, typeset_edition
from brochure.store.load import load_translations
from conftest import SEEDS
from docx.oxml.ns import qn

pikepdf = pytest.importorskip("pikepdf")


def _edition(name: str):
    project = load_project(SEEDS)
    spec = project.edition(name)
    segmented, stores = load_translations(project, list(spec.languages), sync=False)
    return make_edition(project, spec, segmented, stores, False, [])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[object, Path]:
    edition = _edition("en-ru")
    out = render(edition, "docx", tmp_path_factory.mktemp("docx") / "en-ru.docx")
    return edition, out


def _setting(doc, name: str):
    return doc.settings.element.find(qn(f"w:{name}"))


def test_hyphenation_on_and_fields_updated_on_opening(built):
    doc = docx.Document(str(built[1]))
    assert _setting(doc, "autoHyphenation").get(qn("w:val")) == "true"
    assert _setting(doc, "consecutiveHyphenLimit").get(qn("w:val")) == "2"
    assert int(_setting(doc, "hyphenationZone").get(qn("w:val"))) > 0
    assert _setting(doc, "updateFields").get(qn("w:val")) == "true"
    for level in (1, 2, 3):  # headings are never hyphenated
        ppr = doc.styles[f"Heading {level}"].element.pPr
        assert ppr.find(qn("w:suppressAutoHyphens")) is not None


@pytest.mark.parametrize("name", ["en-ru", "en-ru-interleaved"])
def test_the_same_ragged_or_justified_choice_as_the_pdf(name, tmp_path):
    edition = _edition(name)
    printed = typeset_edition(edition, thin=NBSP)  # what both writers lay out
    want = line_breaking(layout_geometry(printed), word_chars(printed)).text_align
    doc = docx.Document(str(render(edition, "docx", tmp_path / "e.docx")))
    jc = doc.styles["Normal"].element.pPr.find(qn("w:jc"))
    assert {"justify": "both", "left": "left"}[want] == jc.get(qn("w:val"))
    if name == "en-ru":
        assert want == "left"  # a 32-37 character column is set ragged


def test_a_contents_page_whose_page_numbers_are_fields_to_the_headings(built):
    """Each entry links to a bookmark at its heading (in its language) and carries a PAGEREF
    field to it, marked for Word to compute on opening; LibreOffice computes it as it lays out
    (test_libreoffice_shows_the_contents_page_numbers)."""
    edition, path = built
    doc = docx.Document(str(path))
    body = doc.element.body
    entries = [p for p in doc.paragraphs if p.style.name.lower().startswith("toc ")]
    texts = [p.text.replace("\xa0", " ") for p in entries]  # (typography's no-break spaces)
    assert texts[:2] == [
        "SDK’s Transitional Program, Part I\t",
        "Переходная программа СДК. Часть I\t",
    ]
    assert "Заявление Социалистического движения Казахстана\t" in texts
    marks = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    ids = [b.get(qn("w:id")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(ids) == len(set(ids)) == len([*body.iter(qn("w:bookmarkEnd"))])
    for p, text in zip(entries, texts):
        (link,) = p._p.iter(qn("w:hyperlink"))
        name = link.get(qn("w:anchor"))
        assert [t.text for t in p._p.iter(qn("w:instrText"))] == [f" PAGEREF {name} \\h "]
        begin = next(p._p.iter(qn("w:fldChar")))
        assert begin.get(qn("w:dirty")) == "true"
        # the bookmark starts the heading's paragraph in the body, in the entry's language
        heading = marks[name].getparent()
        assert heading.tag == qn("w:p") and heading.getparent().tag == qn("w:tc")
        words = "".join(t.text for t in heading.iter(qn("w:t"))).replace("\xa0", " ")
        assert words == text.removesuffix("\t")
    # nothing else: no TOC field (LibreOffice would show its saved entries, without numbers)
    assert not [t for t in body.iter(qn("w:instrText")) if "TOC" in t.text]
    tabs = doc.styles["toc 1"].paragraph_format.tab_stops
    assert [(t.alignment, t.leader) for t in tabs] == [(2, 1)]  # right, dots


def test_fonts_are_embedded_obfuscated_and_cover_the_text(built):
    import io
    import zipfile

    from fontTools.ttLib import TTFont

    edition, path = built
    doc = docx.Document(str(path))
    table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    from lxml import etree

    root = etree.fromstring(table.blob)
    embeds = {
        (font.get(qn("w:name")), etree.QName(el).localname): (
            el.get(qn("r:id")),
            el.get(qn("w:fontKey")),
        )
        for font in root.iter(qn("w:font"))
        for el in font
        if etree.QName(el).localname.startswith("embed")
    }
    assert set(embeds) == {(family, element) for family, element, _ in EMBEDDED}
    assert _setting(doc, "embedTrueTypeFonts") is not None
    cyrillic = {ord(c) for c in "Переходная программа СДК"}
    # every letter of every language, in an en|ru edition too (see the LibreOffice test below)
    cyrillic |= {ord(c) for c in "ӘәҒғҚқҢңӨөҰұҮүҺһІіЁёЩщЪъ"}
    with zipfile.ZipFile(path) as z:
        for (family, _), (rid, key) in embeds.items():
            data = bytearray(z.read("word/" + table.rels[rid].target_ref))
            secret = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
            for i in range(32):
                data[i] ^= secret[i % 16]
            font = TTFont(io.BytesIO(bytes(data)))
            assert family.replace(" ", "") in font["name"].getDebugName(6).replace("-", "")
            assert cyrillic <= set(font.getBestCmap())


def test_every_run_and_note_carries_its_language(built):
    doc = docx.Document(str(built[1]))
    notes = 0
    for table in doc.tables:
        for row in table.rows[1:]:
            for cell, locale in zip(row.cells, ("en-US", "ru-RU")):
                for run in (r for p in cell.paragraphs for r in p.runs if r.text.strip()):
                    assert run._r.rPr.find(qn("w:lang")).get(qn("w:val")) == locale, run.text
                    notes += run.text.startswith("[")
    assert notes >= 2  # the editor's note in English and in Russian


def _converted_fonts(tmp_path, paths: list[str], name: str) -> set[str]:
    """The fonts (base names, subset tags dropped) of LibreOffice's PDF of the DOCX `name`, from one
    --convert-to run over `paths` (in that order: LibreOffice keeps the first one's faces)."""
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *paths],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = pikepdf.open(tmp_path / f"{name}.pdf")
    return {
        str(font.BaseFont).split("+")[-1]
        for page in pdf.pages
        for font in page.Resources.get("/Font", {}).values()
    }


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_it_and_sets_it_in_the_embedded_fonts(built, tmp_path):
    _, path = built
    fonts = _converted_fonts(tmp_path, [str(path)], "en-ru")
    assert {"PTSerif-Regular", "PTSerif-Italic", "PTSans-Bold"} <= fonts, fonts
    assert not any("DejaVu" in f for f in fonts)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_sets_a_second_docx_in_the_faces_the_first_embedded(tmp_path):
    """LibreOffice takes the faces embedded in the first DOCX it opens for every later one (one
    window, or one --convert-to run): the kk|ru DOCX after the en|ru one had its Kazakh ә ө ұ ү
    from DejaVu Sans, in the middle of PT Serif words. Each subset holds every letter of every
    language."""
    paths = [
        str(render(_edition(name), "docx", tmp_path / f"{name}.docx"))
        for name in ("en-ru", "kk-ru")
    ]
    fonts = _converted_fonts(tmp_path, paths, "kk-ru")
    assert {"PTSerif-Regular", "PTSerif-Italic", "PTSans-Bold"} <= fonts, fonts
    assert not any("DejaVu" in f for f in fonts), fonts


def test_a_second_document_starts_on_a_right_hand_page(built):
    # as in the PDF: the first document follows the contents, every later one starts on a recto
    from docx.enum.section import WD_SECTION

    edition, out = built
    assert len(edition.documents) >= 2
    starts = [s.start_type for s in docx.Document(str(out)).sections]
    # title/contents section, one per document, the colophon
    documents = starts[1 : 1 + len(edition.documents)]
    assert documents[0] == WD_SECTION.NEW_PAGE
    assert all(start == WD_SECTION.ODD_PAGE for start in documents[1:])


def test_font_subsets_are_kept_in_the_project_cache_and_give_the_same_docx(
    seed_project, invoke, monkeypatch
):
    """Subsetting the six faces was most of a DOCX build: a subset is kept in .brochure/fonts/ by
    face, characters, options and fontTools version, and a build from it writes the same DOCX,
    byte for byte (its date fixed, as for a reproducible build: else the core properties and the
    zip entries date each build)."""
    import zipfile

    from brochure.core.memo import Memo
    from brochure.layout import docx as docx_layout
    from brochure.layout import fonts as fonts_layout
    from fontTools import subset

    toml = seed_project / "brochure.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('formats = ["pdf", "docx"]',
                                                             'formats = ["docx"]'), encoding="utf-8")  # fmt: skip
    out = seed_project / "build" / "sdk.en-ru.docx"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")

    def build(*options: str) -> dict[str, bytes]:
        monkeypatch.setattr(fonts_layout, "_SUBSETS", Memo(24))  # a new process
        result = invoke("build", seed_project, "-e", "en-ru", "--force", *options)
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(out) as z:
            # the zip entries are dated as the parts (they were the time of saving)
            assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
            return {name: z.read(name) for name in z.namelist()} | {"": out.read_bytes()}

    first = build()
    kept = seed_project / ".brochure" / "fonts"
    assert sorted(p.name.rsplit("-", 1)[0] for p in kept.iterdir()) == sorted(
        Path(file).stem for _, _, file in docx_layout.EMBEDDED
    )
    made = subset.Subsetter.subset

    def refuse(self, font):
        raise AssertionError("subset again although it is kept")

    monkeypatch.setattr(subset.Subsetter, "subset", refuse)
    assert build() == first  # every part the same, the fonts from the cache
    monkeypatch.setattr(subset.Subsetter, "subset", made)
    shutil.rmtree(seed_project / ".brochure")
    assert build() == first  # a cache is only a cache
    # a new character: a new subset of every face, the one before kept, none older
    source = seed_project / "statement-2022-01-07.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nΩ ∑\n", encoding="utf-8")
    build("--draft")
    source.write_text(source.read_text(encoding="utf-8") + "\n∞\n", encoding="utf-8")
    build("--draft")
    assert len(list(kept.iterdir())) == 2 * len(docx_layout.EMBEDDED)


def test_the_interleaved_docx_has_the_pdf_measure(tmp_path):
    """One language after the other: the PDF holds 45-75 characters a line (rows.MAX_MEASURE_EM),
    the DOCX the same page margins, and a translation the source's measure (its rule is in the
    margin, as in the PDF), not the full width of the page less the narrow margins."""
    from docx.shared import Mm

    edition = _edition("en-ru-interleaved")
    geo = layout_geometry(typeset_edition(edition, thin=NBSP))
    doc = docx.Document(str(render(edition, "docx", tmp_path / "e.docx")))
    section = doc.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    pdf_width = Mm(geo.page_mm[0] - geo.margin_inner_mm - geo.margin_outer_mm)
    assert abs(width - pdf_width) < Mm(0.1)
    assert width < Mm(geo.page_mm[0] - 30)  # narrower than the page less 15 mm margins
    for name in ("Translation", "Translation 2"):
        assert not doc.styles[name].paragraph_format.left_indent


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_sets_the_interleaved_docx_at_45_to_75_characters(tmp_path):
    import statistics

    path = render(_edition("en-ru-interleaved"), "docx", tmp_path / "interleaved.docx")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "interleaved.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout  # fmt: skip
    # the lines of running text (five words or more): not headings, page numbers, contents
    lengths = sorted(len(" ".join(line.split())) for line in text.splitlines()
                     if len(line.split()) >= 5)  # fmt: skip
    assert len(lengths) > 300
    assert 45 <= statistics.median(lengths) <= 75, lengths
    assert lengths[int(len(lengths) * 0.95)] <= 75, lengths  # it was 80 at the 90th percentile


def _effective(style, read):
    """A run property as the style gives it: its own, else its base style's, else Normal's."""
    while style is not None:
        value = read(style.font)
        if value is not None:
            return value
        style = style.base_style
    return None


def test_the_interleaved_docx_sets_both_languages_alike(tmp_path):
    """Equal status, as interleaved.css: a translation has its source's face, size and colour
    (review: it was set small, sans and blue-grey like a footnote), from the paragraph styles an
    editor changes in one place, not from run formatting; only a hairline in the margin, solid
    0.5pt (dotted beside a third language), tells it apart. A translated heading is its source's
    heading style, without the rule."""
    edition = _edition("en-ru-interleaved")
    doc = docx.Document(str(render(edition, "docx", tmp_path / "e.docx")))
    normal = doc.styles["Normal"]
    props = {"face": lambda f: f.name, "size": lambda f: f.size, "colour": lambda f: f.color.rgb}
    source = {k: _effective(normal, read) for k, read in props.items()}
    assert source["face"] == "PT Serif" and source["size"] is not None
    for name, rule, width in (("Translation", "single", "4"), ("Translation 2", "dotted", "6")):
        style = doc.styles[name]
        assert {k: _effective(style, read) for k, read in props.items()} == source, name
        assert style.font.italic is None and style.font.bold is None
        left = style.element.pPr.find(qn("w:pBdr")).find(qn("w:left"))
        assert (left.get(qn("w:val")), left.get(qn("w:sz"))) == (rule, width)
        assert left.get(qn("w:color")) == "auto"
        assert not style.paragraph_format.left_indent  # the rule is in the margin
    body = [p for p in doc.paragraphs if p.text.strip()]
    translations = [p for p in body if p.style.name == "Translation"]
    assert len(translations) > 30
    langs = {"en-US": set(), "ru-RU": set()}
    # the units: a source paragraph and its translation, headings (not the cover or colophon)
    units = [p for n, p in enumerate(body[:-1]) if body[n + 1].style.name == "Translation"]
    units += translations + [p for p in body if p.style.name.startswith("Heading")]
    for p in units:
        for run in p.runs:
            rpr = run._r.rPr
            lang = rpr.find(qn("w:lang")).get(qn("w:val")) if rpr is not None else None
            if lang not in langs or run.text.startswith("[") or not run.text.strip():
                continue  # the editor's notes are set apart in both languages alike
            # nothing set run by run: the style decides (emphasis only)
            assert (run.font.name, run.font.size, run.font.color.rgb) == (None, None, None)
            langs[lang].add(p.style.name)
    assert langs["en-US"] >= {"Normal", "Heading 1"}
    assert langs["ru-RU"] >= {"Translation", "Heading 1"}  # a translated heading: the same style
    assert "Translation" not in langs["en-US"]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_sets_the_docx_at_the_pdf_line_pitch(tmp_path):
    """A line of running text is line_height em apart from the next, as in the PDF (Word's and
    LibreOffice's "single" is the font's ascent + descent, 1.325em for PT Serif: the DOCX's lines
    were 15% further apart, 35 lines on a page where the PDF sets 40)."""
    import re
    import statistics

    edition = _edition("en-ru-interleaved")
    geo = layout_geometry(typeset_edition(edition, thin=NBSP))
    path = render(edition, "docx", tmp_path / "pitch.docx")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", "4", "-l", "8",
                          str(tmp_path / "pitch.pdf"), "-"],
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    pitches = []
    for block in re.findall(r"<block.*?</block>", xml, re.S):  # a paragraph's lines
        tops = [float(y) for y in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)"', block)]
        pitches += [b - a for a, b in zip(tops, tops[1:])]
    assert len(pitches) > 100
    assert statistics.median(pitches) == pytest.approx(geo.font_pt * geo.line_height, rel=0.03)


@pytest.fixture(scope="module")
def through_libreoffice(tmp_path_factory) -> dict[str, tuple[Path, Path, object]]:
    """The seed en-ru columns and interleaved editions: (PDF, the DOCX as LibreOffice sets it,
    the edition's frame), the two DOCX files converted by one LibreOffice run."""
    from brochure.pipeline.proof import edition_frame

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    tmp = tmp_path_factory.mktemp("lo")
    project = load_project(SEEDS)
    out = {}
    for name in ("en-ru", "en-ru-interleaved"):
        edition = _edition(name)
        pdf = render(edition, "pdf", tmp / f"{name}.pdf")
        render(edition, "docx", tmp / f"{name}.docx")
        out[name] = (
            pdf,
            tmp / "lo" / f"{name}.pdf",
            edition_frame(project.edition(name), "screen"),
        )
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp / "lo"), *(str(tmp / f"{name}.docx") for name in out)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return out


def _short_pages(path: Path, frame) -> list[int]:
    """Pages of running text (not the cover, the contents or the closing colophon) whose text
    area is less than 85% full."""
    from pagefill import page_fills

    fills = page_fills(path, frame.margin_top_mm, frame.margin_bottom_mm)
    return [n for n, fill in enumerate(fills[2:-1], 3) if fill is not None and fill < 0.85]


@pytest.mark.parametrize("name", ["en-ru", "en-ru-interleaved"])
def test_libreoffice_fills_the_docx_pages_as_the_pdf(through_libreoffice, name):
    """A row (columns) or a source paragraph kept with its translation (interleaved) that does
    not fit the rest of a page splits there, as the PDF: every page is at least 85% full but each
    document's last (the columns DOCX left 8 pages of 21 short, down to 28%, rows never split; the
    interleaved one 6 of 19, a long source moved whole to the next page), and the DOCX takes no
    more pages than the PDF."""
    from brochure.outputs.proof import proof_pdf

    pdf, lo_pdf, frame = through_libreoffice[name]
    assert len(_short_pages(lo_pdf, frame)) <= 2, _short_pages(lo_pdf, frame)  # the documents' ends
    assert len(pypdf_pages(lo_pdf)) <= len(pypdf_pages(pdf))
    report = proof_pdf(lo_pdf, frame)
    # no error: the colophon spans the columns, its short lines may end in the gutter
    assert report.errors == [], report.errors
    if name == "en-ru-interleaved":  # no lone line at the foot or head of a page
        assert [i for i in report.issues if i.check in ("widow", "orphan")] == []


def test_libreoffice_shows_the_contents_page_numbers(through_libreoffice):
    """LibreOffice fills in each entry's page number, and the heading is on that page."""
    import re

    _, lo_pdf, _ = through_libreoffice["en-ru"]
    pages = [(p.extract_text() or "").replace("\xa0", " ") for p in pypdf_pages(lo_pdf)]
    contents = pages[1]
    found = re.findall(r"^(.+?)[ .]*\.{3,}\s*(\d+)\s*$", contents, re.M)
    titles = [title.strip() for title, _ in found]
    assert titles[:2] == ["SDK’s Transitional Program, Part I", "Переходная программа СДК. Часть I"]
    assert len(found) == 6, contents
    for title, number in found:
        assert " ".join(title.split()) in " ".join(pages[int(number) - 1].split()), (title, number)
    assert [int(n) for _, n in found] == [3, 3, 3, 3, 11, 11]  # as the PDF's contents


def test_libreoffice_sets_the_language_labels_once_per_document(through_libreoffice):
    """As the PDF: the columns' labels head each document (they repeated on every page)."""

    def labelled(path: Path) -> int:
        pages = [p.extract_text() or "" for p in pypdf_pages(path)]
        return sum("ENGLISH" in text.upper().split() for text in pages)

    pdf, lo_pdf, _ = through_libreoffice["en-ru"]
    assert labelled(pdf) == 3  # the two documents and the colophon
    assert labelled(lo_pdf) <= labelled(pdf)


def pypdf_pages(path: Path) -> list:
    import pypdf

    return list(pypdf.PdfReader(path).pages)
